//! The expanded state read as the contract will leave it: while an expand is applied and its
//! contract not yet, `check` and `-m` compare the models with this, so they propose neither
//! dropping the old column nor anything about the check standing for NOT NULL.

use autogen_schema::Schema;

use super::Expansion;

/// `current` with each expansion that is in place (its table has both the old column and the
/// new one under its expand name) contracted: the old column gone, the new one as the models
/// want it, the expand's checks gone. An expansion not (or no longer) in place changes nothing.
pub fn contracted(current: &Schema, expansions: &[Expansion]) -> Schema {
    let mut out = current.clone();
    for e in expansions {
        let Some(table) = out
            .schemas
            .get_mut(&e.table.schema)
            .and_then(|ns| ns.tables.get_mut(&e.table.name))
        else {
            continue;
        };
        let during = e.during();
        let has = |name: &str| table.columns.iter().any(|c| c.name == name);
        if !has(&e.old.name) || !has(&during) {
            continue;
        }
        table.columns.retain(|c| c.name != e.old.name);
        for column in &mut table.columns {
            if column.name == during {
                *column = e.new.clone();
            }
        }
        table.checks.remove(&e.not_null_check(&during));
        table.checks.remove(&e.not_null_check(&e.old.name));
    }
    out
}
