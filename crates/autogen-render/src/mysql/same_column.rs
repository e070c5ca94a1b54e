//! A key group's changes to a column that another change of the group touches too, taken out
//! of the group's one `ALTER TABLE` into statements of their own.
//!
//! MariaDB and MySQL apply the clauses of one `ALTER TABLE` to the table as it was: a clause
//! on a column that the same statement drops fails ("Unknown column"), two `ALTER`/`MODIFY`
//! clauses on one column fail the same way, and `ADD COLUMN c .. DEFAULT 'x', ALTER COLUMN c
//! DROP DEFAULT` adds the column without the default, so its rows get `''` instead of the
//! backfill. The changes come in pairs like these from the backfill (a column added with a
//! temporary default, then the default dropped) and from their inverses. Such a change never
//! needs the group (it changes no `AUTO_INCREMENT`, the group's reason): it runs before the
//! group's statement when the group drops the column or adds it to the key (the key needs it
//! finished), after it otherwise (the column is there, or out of the key, by then), in the
//! plan's order.

use autogen_diff::Change;

/// A key group's members, split: `before` and `after` are single changes with statements of
/// their own, `together` the one `ALTER TABLE`.
pub(super) struct Split {
    pub before: Vec<usize>,
    pub together: Vec<usize>,
    pub after: Vec<usize>,
}

/// The column a change adds, drops or alters, and whether it is an `AlterColumn` that may
/// leave the group (no `AUTO_INCREMENT` on either side).
fn column_of(change: &Change) -> Option<(&str, bool)> {
    match change {
        Change::AddColumn { column, .. } | Change::DropColumn { column, .. } => {
            Some((column.name.as_str(), false))
        }
        Change::AlterColumn { from, to, .. } => Some((
            to.name.as_str(),
            from.identity.is_none() && to.identity.is_none(),
        )),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::RenameColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::DropUnique { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. } => None,
    }
}

/// Splits the `members` of a key group (ascending indexes into `changes`).
pub(super) fn split(changes: &[Change], members: &[usize]) -> Split {
    let touching = |column: &str| {
        members
            .iter()
            .filter(|&&j| column_of(&changes[j]).is_some_and(|(c, _)| c == column))
            .count()
    };
    let dropped = |column: &str| {
        members.iter().any(
            |&j| matches!(&changes[j], Change::DropColumn { column: c, .. } if c.name == column),
        )
    };
    let added = |column: &str| {
        members.iter().any(
            |&j| matches!(&changes[j], Change::AddColumn { column: c, .. } if c.name == column),
        )
    };
    let keyed = |column: &str| {
        members.iter().any(|&j| {
            matches!(&changes[j], Change::AddPrimaryKey { key, .. }
                if key.columns.iter().any(|c| c == column))
        })
    };
    let mut out = Split {
        before: Vec::new(),
        together: Vec::new(),
        after: Vec::new(),
    };
    for &j in members {
        match column_of(&changes[j]) {
            Some((column, true)) if touching(column) > 1 => {
                if dropped(column) || (keyed(column) && !added(column)) {
                    out.before.push(j);
                } else {
                    out.after.push(j);
                }
            }
            Some(_) | None => out.together.push(j),
        }
    }
    out
}
