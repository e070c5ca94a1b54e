//! A constraint left `NOT VALID` (a lock-safe plan whose `VALIDATE CONSTRAINT` failed on rows
//! that violated it) is validated, not rebuilt. The differ sees the live constraint differ from
//! the desired one only in `not_valid`, so it comes out as a drop and an add; PostgreSQL
//! only has to check the existing rows, so such a pair is lowered here as `VALIDATE
//! CONSTRAINT` (the add's step: SHARE UPDATE EXCLUSIVE, reads and writes continue) and
//! nothing (the drop's step). The way back has no such form: the down plan's pair (a valid
//! constraint dropped, the same added `NOT VALID`) keeps its drop and add.

use std::collections::BTreeMap;

use autogen_diff::Change;
use autogen_schema::{CheckConstraint, ForeignKey, QualifiedName, quote_ident};

/// For every change that is half of such a pair, the SQL of its step (empty for the drop,
/// `VALIDATE CONSTRAINT` for the add).
pub(super) fn validations(changes: &[Change]) -> BTreeMap<usize, Vec<String>> {
    let mut out = BTreeMap::new();
    for (d, drop) in changes.iter().enumerate() {
        let Some((table, name)) = left_not_valid(drop) else {
            continue;
        };
        let add = (d + 1..changes.len()).find(|&a| validates(drop, &changes[a]));
        if let Some(a) = add {
            out.insert(d, Vec::new());
            out.insert(a, vec![validate(table, name)]);
        }
    }
    out
}

/// The table and name of a dropped constraint that is `NOT VALID`.
fn left_not_valid(change: &Change) -> Option<(&QualifiedName, &str)> {
    if let Change::DropCheck { table, constraint } = change
        && constraint.not_valid
    {
        return Some((table, &constraint.name));
    }
    if let Change::DropForeignKey { table, constraint } = change
        && constraint.not_valid
    {
        return Some((table, &constraint.name));
    }
    None
}

/// `add` puts back, on the same table, the constraint `drop` removes, validated and otherwise
/// the same.
fn validates(drop: &Change, add: &Change) -> bool {
    if let (
        Change::DropCheck { table, constraint },
        Change::AddCheck {
            table: to,
            constraint: added,
        },
    ) = (drop, add)
    {
        return table == to
            && CheckConstraint {
                not_valid: false,
                ..constraint.clone()
            } == *added;
    }
    if let (
        Change::DropForeignKey { table, constraint },
        Change::AddForeignKey {
            table: to,
            constraint: added,
        },
    ) = (drop, add)
    {
        return table == to
            && ForeignKey {
                not_valid: false,
                ..constraint.clone()
            } == *added;
    }
    false
}

pub(super) fn validate(table: &QualifiedName, name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        table.quoted(),
        quote_ident(name)
    )
}
