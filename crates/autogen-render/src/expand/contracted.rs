//! The expanded state read as the contract will leave it: while an expand is applied and its
//! contract not yet, `check` and `-m` compare the models with this, so they propose neither
//! dropping the old column nor anything about the check standing for NOT NULL or the view
//! under a table's old name.

use autogen_schema::{ObjectKind, Schema};

use super::{ColumnChange, Expansion, NotNull, TableRename};

/// `current` with each expansion that is in place contracted. An expansion not (or no
/// longer) in place changes nothing.
pub fn contracted(current: &Schema, expansions: &[Expansion]) -> Schema {
    let mut out = current.clone();
    for e in expansions {
        match e {
            Expansion::Column(c) => column(&mut out, c),
            Expansion::NotNull(n) => not_null(&mut out, n),
            Expansion::TableRename(r) => table_rename(&mut out, r),
        }
    }
    out
}

/// The old column gone, the new one as the models want it, the expand's checks gone.
fn column(out: &mut Schema, e: &ColumnChange) {
    let Some(table) = out
        .schemas
        .get_mut(&e.table.schema)
        .and_then(|ns| ns.tables.get_mut(&e.table.name))
    else {
        return;
    };
    let during = e.during();
    let has = |name: &str| table.columns.iter().any(|c| c.name == name);
    if !has(&e.old.name) || !has(&during) {
        return;
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

/// The column NOT NULL as the models want it, its check gone.
fn not_null(out: &mut Schema, n: &NotNull) {
    let Some(table) = out
        .schemas
        .get_mut(&n.table.schema)
        .and_then(|ns| ns.tables.get_mut(&n.table.name))
    else {
        return;
    };
    if table.checks.remove(&n.check()).is_none() {
        return;
    }
    for column in &mut table.columns {
        if column.name == n.column() {
            *column = n.new.clone();
        }
    }
}

/// The view under the old name gone (the table has its new name already).
fn table_rename(out: &mut Schema, r: &TableRename) {
    if !r.in_place(out) {
        return;
    }
    if let Some(ns) = out.schemas.get_mut(&r.from.schema) {
        ns.objects
            .retain(|_, o| !(o.kind == ObjectKind::View && o.name == r.from.name));
    }
}
