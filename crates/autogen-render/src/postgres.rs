//! PostgreSQL: each change as the statements that perform it, plus the few decisions that need
//! the whole plan (where a sequence's OWNED BY goes, where a transaction must commit).

mod cast;
mod column;
pub(crate) mod comment;
pub(crate) mod enums;
pub(crate) mod keep;
mod locksafe;
mod object;
mod sea;
pub(crate) mod sequence;
mod table;
mod validate;

use std::collections::BTreeSet;

use autogen_diff::Change;
use autogen_schema::ddl::postgres as ddl;
use autogen_schema::{Dialect, QualifiedName, SequenceOwner, quote_ident, quote_literal};

pub use cast::needs_using_cast;

use crate::lower::{Draft, Mode};
use crate::{RenderError, Transaction, describe};

/// Why a change cannot be rendered; [`lower`] names the change around it.
type Refusal = String;

/// One draft per change; a created sequence's `OWNED BY` joins the draft of the change that
/// creates its column, and a step that a new enum label's first user follows commits. A
/// renamed table's keys and indexes are renamed with it (`keep.rs`). In lock-safe `mode`, a
/// change to a table that exists before the plan (not in `new_tables`) then becomes the drafts
/// of its lock-safe form (`locksafe.rs`).
pub(crate) fn lower(
    changes: &[Change],
    new_tables: &BTreeSet<QualifiedName>,
    mode: Mode,
) -> Result<Vec<Draft>, RenderError> {
    let kept = keep::kept_objects(changes);
    let validated = validate::validations(changes);
    let mut drafts = Vec::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        if let Some(sql) = kept.get(&i) {
            let mut draft = Draft::one(i, sql.clone());
            draft.renames.insert(i);
            drafts.push(draft);
            continue;
        }
        // `VALIDATE CONSTRAINT` scans under SHARE UPDATE EXCLUSIVE: already lock-safe.
        if let Some(sql) = validated.get(&i) {
            let mut draft = Draft::one(i, sql.clone());
            draft.lock_safe.insert(i);
            drafts.push(draft);
            continue;
        }
        let sql = render_change(change, &changes[..i]).map_err(|reason| {
            RenderError::Unrepresentable {
                change: describe::change(change, Dialect::Postgres),
                dialect: Dialect::Postgres,
                reason,
            }
        })?;
        let mut draft = Draft::one(i, sql);
        if let Change::AlterColumn {
            from, to, backfill, ..
        } = change
            && autogen_diff::fills_nulls(from, to, backfill.as_deref())
        {
            draft.fills_nulls.insert(i);
        }
        drafts.push(draft);
    }
    place_ownerships(changes, &mut drafts);
    mark_commits(changes, &mut drafts);
    if !mode.lock_safe {
        return Ok(drafts);
    }
    commit_around_validations(&validated, &mut drafts);
    commit_before_fills(changes, new_tables, &mut drafts);
    Ok(drafts
        .into_iter()
        .zip(changes)
        .flat_map(|(draft, change)| {
            let existing = touched_table(change).is_some_and(|t| !new_tables.contains(t));
            if existing && draft.renames.is_empty() && draft.lock_safe.is_empty() {
                locksafe::expand(change, draft, mode)
            } else {
                vec![draft]
            }
        })
        .collect())
}

/// A `VALIDATE CONSTRAINT` of a lock-safe plan runs in a transaction of its own, as the
/// lock-safe forms' do: the steps before it commit (a strong lock they took is not held
/// during its scan), and so does it.
fn commit_around_validations(
    validated: &std::collections::BTreeMap<usize, Vec<String>>,
    drafts: &mut [Draft],
) {
    for (&i, sql) in validated {
        if sql.is_empty() {
            continue;
        }
        let previous = (0..i).rev().find(|&p| !drafts[p].sql.is_empty());
        for d in previous.into_iter().chain([i]) {
            if drafts[d].transaction == Transaction::Shared {
                drafts[d].transaction = Transaction::CommitAfter;
            }
        }
    }
}

/// The `UPDATE` that fills a column's NULLs before SET NOT NULL on a table with rows runs in
/// a lock-safe plan's transaction of its own (`locksafe.rs`): the steps before it commit, so
/// that a strong lock one of them took (`ADD COLUMN`'s ACCESS EXCLUSIVE) is not held while it
/// updates the rows.
fn commit_before_fills(
    changes: &[Change],
    new_tables: &BTreeSet<QualifiedName>,
    drafts: &mut [Draft],
) {
    for i in 0..drafts.len() {
        let existing = touched_table(&changes[i]).is_some_and(|t| !new_tables.contains(t));
        if !existing || !drafts[i].fills_nulls.contains(&i) {
            continue;
        }
        if let Some(previous) = (0..i).rev().find(|&p| !drafts[p].sql.is_empty())
            && drafts[previous].transaction == Transaction::Shared
        {
            drafts[previous].transaction = Transaction::CommitAfter;
        }
    }
}

/// The table whose rows a change may scan or whose index it builds, for the changes that have
/// a lock-safe form.
fn touched_table(change: &Change) -> Option<&QualifiedName> {
    match change {
        Change::CreateIndex { table, .. }
        | Change::DropIndex { table, .. }
        | Change::AddUnique { table, .. }
        | Change::AddPrimaryKey { table, .. }
        | Change::AddForeignKey { table, .. }
        | Change::AddCheck { table, .. }
        | Change::AlterColumn { table, .. } => Some(table),
        Change::CreateView { .. }
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
        | Change::AlterObject { .. }
        | Change::CreateSchema { .. }
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
        | Change::DropPrimaryKey { .. }
        | Change::DropUnique { .. }
        | Change::DropCheck { .. }
        | Change::DropForeignKey { .. } => None,
    }
}

/// The SQL of one change. `before` are the plan's earlier changes.
fn render_change(change: &Change, before: &[Change]) -> Result<Vec<String>, Refusal> {
    // Patterns name every field (no `..`): a field the differ adds later must be looked at here.
    Ok(match change {
        // Raw: sea-query has no schema statements.
        Change::CreateSchema { name } => vec![format!("CREATE SCHEMA {}", quote_ident(name))],
        Change::DropSchema { name } => vec![format!("DROP SCHEMA {}", quote_ident(name))],

        Change::CreateEnum { name, definition } => enums::create(name, definition),
        Change::DropEnum {
            name,
            definition: _,
        } => vec![enums::drop(name)],
        Change::AddEnumValue {
            name,
            value,
            position,
            from: _,
            to: _,
            columns: _,
            dependents: _,
        } => vec![enums::add_value(name, value, position)],
        Change::RenameEnumValue { name, from, to } => vec![enums::rename_value(name, from, to)],
        Change::RebuildEnum {
            name,
            from,
            to,
            columns,
            dependents,
        } => enums::rebuild(name, from, to, columns, dependents),

        // OWNED BY is placed by `place_ownerships`: its column may not exist yet.
        Change::CreateSequence { name, definition } => vec![sequence::create(name, definition)],
        Change::DropSequence { name, definition } => {
            let gone_with_owner = definition
                .owned_by
                .as_ref()
                .is_some_and(|owner| before.iter().any(|c| drops_column(c, owner)));
            vec![sequence::drop(name, gone_with_owner)]
        }
        Change::AlterSequence { name, from, to } => sequence::alter(name, from, to),

        Change::CreateTable { name, definition } => table::create(name, definition),
        // A partition is detached first: a foreign key to its parent refuses the drop.
        Change::DropTable { name, definition } => match &definition.postgres.partition_of {
            Some(partition) => vec![
                format!(
                    "ALTER TABLE {} DETACH PARTITION {}",
                    partition.parent.quoted(),
                    name.quoted()
                ),
                table::drop(name),
            ],
            None => vec![table::drop(name)],
        },
        Change::RenameTable {
            from,
            to,
            sequences,
        } => table::rename(from, to, sequences),
        Change::SetTableComment { table, from: _, to } => {
            vec![comment::on_table(table, to.as_deref())]
        }
        Change::SetEnumComment { name, from: _, to } => {
            vec![comment::on_type(name, to.as_deref())]
        }

        Change::AddColumn { table, column } => column::add(table, column),
        Change::DropColumn { table, column } => vec![column::drop(table, column)],
        Change::RenameColumn { table, from, to } => vec![column::rename(table, from, to)],
        Change::AlterColumn {
            table,
            from,
            to,
            backfill,
        } => column::alter(table, from, to, backfill.as_deref())?,

        Change::AddPrimaryKey { table, key } => vec![table::add_primary_key(table, key)],
        Change::DropPrimaryKey { table, key } => vec![table::drop_constraint(table, &key.name)],
        Change::AddUnique { table, constraint } => vec![table::add_unique(table, constraint)],
        Change::DropUnique { table, constraint } => {
            vec![table::drop_constraint(table, &constraint.name)]
        }
        Change::AddCheck { table, constraint } => vec![table::add_check(table, constraint)],
        Change::DropCheck { table, constraint } => {
            vec![table::drop_constraint(table, &constraint.name)]
        }
        Change::AddForeignKey { table, constraint } => {
            vec![table::add_foreign_key(table, constraint)]
        }
        Change::DropForeignKey { table, constraint } => {
            vec![table::drop_constraint(table, &constraint.name)]
        }
        Change::CreateIndex { table, index } => vec![autogen_schema::ddl::create_index(
            Dialect::Postgres,
            table,
            index,
        )],
        Change::DropIndex { table, index } => vec![table::drop_index(table, index)],
        Change::CreateObject { schema, object } => object::create(schema, object),
        Change::DropObject { schema, object } => object::drop(schema, object),
        Change::AlterObject { schema, from, to } => object::alter(schema, from, to),
        Change::AlterTableOptions { table, from, to } => ddl::alter_options(table, from, to),
        Change::AddExclusion { table, constraint } => vec![ddl::add_exclusion(table, constraint)],
        Change::DropExclusion { table, constraint } => {
            vec![table::drop_constraint(table, &constraint.name)]
        }
        Change::AttachPartition { table, partition } => vec![format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            partition.parent.quoted(),
            table.quoted(),
            partition.bound
        )],
        Change::DetachPartition { table, partition } => vec![format!(
            "ALTER TABLE {} DETACH PARTITION {}",
            partition.parent.quoted(),
            table.quoted()
        )],
        Change::SetComment {
            target,
            from: _,
            to,
        } => vec![ddl::comment(target, to.as_deref())],
        Change::SetIndexStorage {
            table,
            index,
            from,
            to,
        } => ddl::set_index_storage(table, index, from, to),
        Change::RenameAttachedIndex {
            table, from, to, ..
        } => vec![format!(
            "ALTER INDEX {} RENAME TO {}",
            QualifiedName::new(&table.schema, from).quoted(),
            quote_ident(to)
        )],
        // SQLite's views and triggers; PostgreSQL's are `DbObject`s.
        Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. } => {
            return Err("SQLite's views and triggers are not PostgreSQL's".to_owned());
        }
    })
}

/// A created sequence's `OWNED BY` needs its column: it goes right after the change of the
/// plan that creates that column, or right after the sequence when the column already exists.
/// (The sequence itself must come first: the column's default calls `nextval` on it.)
fn place_ownerships(changes: &[Change], drafts: &mut [Draft]) {
    for (i, change) in changes.iter().enumerate() {
        let Change::CreateSequence { name, definition } = change else {
            continue;
        };
        let Some(owner) = &definition.owned_by else {
            continue;
        };
        let target = (i + 1..changes.len())
            .find(|&j| creates_column(&changes[j], owner))
            .unwrap_or(i);
        if let Some(draft) = drafts.get_mut(target) {
            draft.sql.push(sequence::owned_by(name, Some(owner)));
        }
    }
}

/// A label added by `ALTER TYPE .. ADD VALUE` cannot be used before it is committed. When a
/// later step mentions it (as a quoted literal: a default, a check, an index predicate), the
/// step before that one commits. A mention by a statement that does not use it as a value only
/// costs an extra commit, so the test is deliberately broad.
fn mark_commits(changes: &[Change], drafts: &mut [Draft]) {
    for (i, change) in changes.iter().enumerate() {
        let Change::AddEnumValue { name, value, .. } = change else {
            continue;
        };
        let literal = quote_literal(value);
        // One draft per change, in plan order: draft `d` is change `d`.
        let first_use = (i + 1..drafts.len()).find(|&d| {
            !adds_value_to(&changes[d], name) && drafts[d].sql.iter().any(|s| s.contains(&literal))
        });
        let previous = first_use.and_then(|d| (0..d).rev().find(|&p| !drafts[p].sql.is_empty()));
        if let Some(previous) = previous {
            drafts[previous].transaction = Transaction::CommitAfter;
        }
    }
}

/// Further labels added to the same type may be positioned relative to the new one before it
/// is committed.
fn adds_value_to(change: &Change, type_name: &QualifiedName) -> bool {
    matches!(change, Change::AddEnumValue { name, .. } if name == type_name)
}

fn creates_column(change: &Change, owner: &SequenceOwner) -> bool {
    let is_owner =
        |table: &QualifiedName, column: &str| *table == owner.table && column == owner.column;
    match change {
        Change::CreateTable { name, definition } => {
            *name == owner.table && definition.column(&owner.column).is_some()
        }
        Change::AddColumn { table, column } => is_owner(table, &column.name),
        Change::RenameColumn { table, from: _, to } => is_owner(table, to),
        Change::RenameTable { to, .. } => *to == owner.table,
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::DropTable { .. }
        | Change::SetTableComment { .. }
        | Change::SetEnumComment { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
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

/// Dropping a column (or its table) drops the sequences it owns.
fn drops_column(change: &Change, owner: &SequenceOwner) -> bool {
    match change {
        Change::DropTable {
            name,
            definition: _,
        } => *name == owner.table,
        Change::DropColumn { table, column } => {
            *table == owner.table && column.name == owner.column
        }
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::SetEnumComment { .. }
        | Change::AddColumn { .. }
        | Change::RenameColumn { .. }
        | Change::AlterColumn { .. }
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
