//! Drop+add pairs that look like renames. They stay drop+add (renames are never guessed); the
//! hint tells the user which `renamed_from` would keep the data.

use autogen_schema::{Column, Table};

use crate::{Change, RenameHint};

pub(crate) fn find(changes: &[Change]) -> Vec<RenameHint> {
    let mut hints = Vec::new();
    tables(changes, &mut hints);
    columns(changes, &mut hints);
    enum_values(changes, &mut hints);
    hints
}

/// A dropped and a created table with the same columns (by definition, in any order) and the
/// same primary key columns.
fn tables(changes: &[Change], hints: &mut Vec<RenameHint>) {
    let created: Vec<_> = changes
        .iter()
        .filter_map(|c| {
            if let Change::CreateTable { name, definition } = c {
                Some((name, definition))
            } else {
                None
            }
        })
        .collect();
    let mut taken = vec![false; created.len()];
    for change in changes {
        let Change::DropTable { name, definition } = change else {
            continue;
        };
        let found = created
            .iter()
            .enumerate()
            // A table dropped and created under its own name is recreated (a new partition
            // key), not renamed.
            .find(|(i, (to, t))| !taken[*i] && *to != name && same_shape(definition, t));
        if let Some((i, (to, _))) = found {
            taken[i] = true;
            hints.push(RenameHint::Table {
                from: name.clone(),
                to: (*to).clone(),
            });
        }
    }
}

fn same_shape(a: &Table, b: &Table) -> bool {
    let columns = |t: &Table| {
        let mut c = t.columns.clone();
        c.sort_by(|x, y| x.name.cmp(&y.name));
        c
    };
    let pk = |t: &Table| t.primary_key.as_ref().map(|k| k.columns.clone());
    !a.columns.is_empty() && columns(a) == columns(b) && pk(a) == pk(b)
}

/// A dropped and an added column of one table, equal but for the name (a column dropped and
/// added under its own name is recreated, not renamed).
fn columns(changes: &[Change], hints: &mut Vec<RenameHint>) {
    let added: Vec<_> = changes
        .iter()
        .filter_map(|c| {
            if let Change::AddColumn { table, column } = c {
                Some((table, column))
            } else {
                None
            }
        })
        .collect();
    let mut taken = vec![false; added.len()];
    for change in changes {
        let Change::DropColumn { table, column } = change else {
            continue;
        };
        let found = added
            .iter()
            .enumerate()
            .find(|(i, (t, c))| !taken[*i] && *t == table && same_but_name(column, c));
        if let Some((i, (_, to))) = found {
            taken[i] = true;
            hints.push(RenameHint::Column {
                table: table.clone(),
                from: column.name.clone(),
                to: to.name.clone(),
            });
        }
    }
}

fn same_but_name(a: &Column, b: &Column) -> bool {
    a.name != b.name
        && Column {
            name: b.name.clone(),
            ..a.clone()
        } == *b
}

/// A rebuild that swaps one label for a new one at the same place.
fn enum_values(changes: &[Change], hints: &mut Vec<RenameHint>) {
    for change in changes {
        let Change::RebuildEnum { name, from, to, .. } = change else {
            continue;
        };
        if from.labels.len() != to.labels.len() {
            continue;
        }
        for (old, new) in from.labels.iter().zip(&to.labels) {
            if old != new && !to.labels.contains(old) && !from.labels.contains(new) {
                hints.push(RenameHint::EnumValue {
                    name: name.clone(),
                    from: old.clone(),
                    to: new.clone(),
                });
            }
        }
    }
}
