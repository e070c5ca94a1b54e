//! The index InnoDB made for a foreign key, kept under its name when a foreign key is added.
//!
//! A foreign key added with `ADD CONSTRAINT c FOREIGN KEY` replaces an index the server
//! generated for an earlier foreign key on the same columns (`CREATE TABLE` names it after
//! the column, `ADD CONSTRAINT` after the constraint) by a new one named `c`: a foreign key
//! changed in place (dropped and added) would rename the table's index. Renaming an index to
//! its own name in the same statement makes it an ordinary index, which the foreign key then
//! uses as it is (MariaDB 10.5+, MySQL 5.7+).

use std::collections::BTreeMap;

use autogen_diff::{Change, Plan};
use autogen_schema::IndexTarget;

/// For each `AddForeignKey` of the plan (by index), the index of its table, existing before
/// the plan and not dropped by it, whose leading columns are the foreign key's.
pub(super) fn kept_indexes(plan: &Plan) -> BTreeMap<usize, String> {
    let Some(before) = &plan.before else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let Change::AddForeignKey { table, constraint } = change else {
            continue;
        };
        let Some(existing) = before.table(table) else {
            continue;
        };
        let dropped = |name: &str| {
            plan.changes.iter().any(|c| {
                matches!(c, Change::DropIndex { table: t, index } if t == table && index.name == name)
            })
        };
        let serving = existing.indexes.values().find(|index| {
            !index.unique
                && index.method == "btree"
                && index.predicate.is_none()
                && index.name != constraint.name
                && index.keys.len() >= constraint.columns.len()
                && index
                    .keys
                    .iter()
                    .zip(&constraint.columns)
                    .all(|(key, column)| {
                        key.length.is_none()
                            && matches!(&key.target, IndexTarget::Column(c) if c == column)
                    })
                && !dropped(&index.name)
        });
        if let Some(index) = serving {
            out.insert(i, index.name.clone());
        }
    }
    out
}
