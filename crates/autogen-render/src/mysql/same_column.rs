//! A key group's changes to a column that the group changes more than once, taken out of the
//! group's one `ALTER TABLE` into statements of their own.
//!
//! MariaDB and MySQL apply the clauses of one `ALTER TABLE` to the table as it was: a clause
//! on a column that the same statement drops fails ("Unknown column"), two `ALTER`/`MODIFY`
//! clauses on one column fail the same way, and `ADD COLUMN c .. DEFAULT 'x', ALTER COLUMN c
//! DROP DEFAULT` adds the column without the default, so its rows get `''` instead of the
//! backfill. Such runs of changes come from the backfill (a column added with a temporary
//! default then dropped, or added nullable, filled and made NOT NULL) and from their inverses.
//! When none of them touches `AUTO_INCREMENT` (the group's reason), they need no group: they
//! run before the group's statement when the column is in the key it adds (the key needs the
//! column there and NOT NULL), after it otherwise (a column leaving the key, or dropped, is out
//! of every key by then), in the plan's order.

use autogen_diff::Change;

/// A key group's members, split: `before` and `after` are single changes with statements of
/// their own, `together` the one `ALTER TABLE`.
pub(super) struct Split {
    pub before: Vec<usize>,
    pub together: Vec<usize>,
    pub after: Vec<usize>,
}

/// The column a change adds, drops or alters, and whether the change touches
/// `AUTO_INCREMENT` (on either side).
fn column_of(change: &Change) -> Option<(&str, bool)> {
    match change {
        Change::AddColumn { column, .. } | Change::DropColumn { column, .. } => {
            Some((column.name.as_str(), column.identity.is_some()))
        }
        Change::AlterColumn { from, to, .. } => Some((
            to.name.as_str(),
            from.identity.is_some() || to.identity.is_some(),
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
        | Change::DropIndex { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::CreateObject { .. }
        | Change::DropObject { .. }
        | Change::AlterTableOptions { .. }
        | Change::AddExclusion { .. }
        | Change::DropExclusion { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => None,
    }
}

/// Splits the `members` of a key group (ascending indexes into `changes`).
pub(super) fn split(changes: &[Change], members: &[usize]) -> Split {
    let of_column = |column: &str| {
        members
            .iter()
            .filter_map(|&j| column_of(&changes[j]))
            .filter(|(c, _)| *c == column)
            .collect::<Vec<_>>()
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
        let Some((column, _)) = column_of(&changes[j]) else {
            out.together.push(j);
            continue;
        };
        let runs = of_column(column);
        if runs.len() < 2 || runs.iter().any(|&(_, auto_increment)| auto_increment) {
            out.together.push(j);
        } else if keyed(column) {
            out.before.push(j);
        } else {
            out.after.push(j);
        }
    }
    out
}
