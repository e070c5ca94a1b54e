//! An index replaced by another on the same leading column goes in one `ALTER TABLE` with
//! its replacement, where the replacement is.
//!
//! A foreign key needs an index whose leading columns are its own at every moment: dropping
//! the only one fails ("Cannot drop index ..: needed in a foreign key constraint"), so the
//! new index must exist first. Creating it first is not enough either: when the old index is
//! the one InnoDB made for the foreign key, the new one replaces it on the spot and the later
//! `DROP INDEX` finds nothing. One statement that drops and adds works in both cases (and for
//! an index redefined under its own name).

use autogen_diff::Change;
use autogen_schema::{Index, IndexTarget, QualifiedName};

use super::Group;

fn leading(index: &Index) -> Option<&str> {
    match index.keys.first().map(|k| &k.target) {
        Some(IndexTarget::Column(c)) => Some(c.as_str()),
        Some(IndexTarget::Expression(_)) | None => None,
    }
}

/// What an index change of the plan is: the table, the index's name and its leading column.
fn index_change(change: &Change) -> Option<(&QualifiedName, &str, Option<&str>, bool)> {
    match change {
        Change::DropIndex { table, index } => {
            Some((table, index.name.as_str(), leading(index), false))
        }
        Change::CreateIndex { table, index } => {
            Some((table, index.name.as_str(), leading(index), true))
        }
        Change::DropUnique { table, constraint } => Some((
            table,
            constraint.name.as_str(),
            constraint.columns.first().map(String::as_str),
            false,
        )),
        Change::AddUnique { table, constraint } => Some((
            table,
            constraint.name.as_str(),
            constraint.columns.first().map(String::as_str),
            true,
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
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::RenameColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
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

/// Whether `change` alters `column` of `table` or the table as a whole: the dropped index
/// would change under it, so its drop cannot wait past it.
fn touches(change: &Change, table: &QualifiedName, column: &str) -> bool {
    match change {
        Change::DropColumn {
            table: t,
            column: c,
        } => t == table && c.name == column,
        Change::AlterColumn { table: t, from, .. } => t == table && from.name == column,
        Change::RenameColumn { table: t, from, .. } => t == table && from == column,
        Change::DropTable { name, .. } => name == table,
        Change::RenameTable { from, .. } => from == table,
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
        | Change::SetTableComment { .. }
        | Change::AddColumn { .. }
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
        | Change::AlterObject { .. } => false,
    }
}

/// Each dropped index (or unique key) with the indexes the plan creates later on the same
/// table and leading column, none of them in `taken` (another group), as one group placed at
/// the last of them. The scan stops at a change that alters the dropped index's leading
/// column, and after an index created under the dropped one's name.
pub(super) fn index_replacements(changes: &[Change], taken: &[Group]) -> Vec<Group> {
    let free =
        |i: usize, groups: &[Group]| !taken.iter().chain(groups).any(|g| g.members.contains(&i));
    let mut groups: Vec<Group> = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let Some((table, name, Some(leading), false)) = index_change(change) else {
            continue;
        };
        if !free(i, &groups) {
            continue;
        }
        let mut members = vec![i];
        for (j, later) in changes.iter().enumerate().skip(i + 1) {
            if touches(later, table, leading) {
                break;
            }
            let Some((t, n, l, true)) = index_change(later) else {
                continue;
            };
            if t != table {
                continue;
            }
            if l == Some(leading) && free(j, &groups) {
                members.push(j);
            }
            if n == name {
                break;
            }
        }
        if let Some(&at) = members.last()
            && members.len() > 1
        {
            groups.push(Group {
                table: table.clone(),
                members,
                at,
            });
        }
    }
    groups
}
