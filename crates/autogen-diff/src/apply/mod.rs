//! A small in-memory model of what each change does to a database, strict where PostgreSQL is
//! strict: it refuses a drop whose carried definition is not what is there (the inverse would
//! not restore it), a drop that something still depends on, and any step after which the schema
//! is inconsistent (a foreign key without a key to point at, a column typed with a missing enum,
//! a default calling a missing sequence). The differ uses it to apply renames; tests use it to
//! prove that a plan and its inverse are valid sequences of steps.

use std::fmt;

mod columns;
mod consistent;
mod constraints;
mod enums;
mod namespaces;
mod objects;
mod rename;
mod sequences;
mod table_facts;
mod tables;
mod views;

use autogen_schema::{Column, EnumType, Namespace, QualifiedName, Schema, Table};

pub use consistent::check_consistent;
use rename::{rename_column, rename_table};

use crate::refs::{enum_dependents_of, index_key, key_of, uses_enum};
use crate::{Change, EnumColumnUse, EnumDependent};

/// Why a change cannot be applied to a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError {
    pub reason: String,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ApplyError {}

pub(crate) fn fail<T>(reason: impl Into<String>) -> Result<T, ApplyError> {
    Err(ApplyError {
        reason: reason.into(),
    })
}

/// Applies `change` to `schema` as the database would, or says why the database would refuse.
/// On error `schema` may be partly changed; callers that go on should apply to a copy.
pub fn apply(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    apply_step(schema, change)?;
    check_consistent(schema)
}

/// Applies every change in order; the error names the step that failed.
pub fn apply_all(schema: &mut Schema, changes: &[Change]) -> Result<(), ApplyError> {
    for (i, change) in changes.iter().enumerate() {
        apply(schema, change).map_err(|e| ApplyError {
            reason: format!("step {i}: {}", e.reason),
        })?;
    }
    Ok(())
}

/// One change on `schema`, without the consistency check: one function per change, in the
/// module of the object it changes (`namespaces`, `enums`, `sequences`, `tables`, `columns`,
/// `constraints`).
pub(crate) fn apply_step(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    step(schema, change)?;
    forget_constraint_comment(schema, change);
    Ok(())
}

/// A dropped constraint's comment goes with it.
fn forget_constraint_comment(schema: &mut Schema, change: &Change) {
    let dropped = if let Change::DropPrimaryKey { table, key } = change {
        Some((table, &key.name))
    } else if let Change::DropUnique { table, constraint } = change {
        Some((table, &constraint.name))
    } else if let Change::DropCheck { table, constraint } = change {
        Some((table, &constraint.name))
    } else if let Change::DropForeignKey { table, constraint } = change {
        Some((table, &constraint.name))
    } else {
        None
    };
    if let Some((table, name)) = dropped
        && let Ok(current) = table_mut(schema, table)
    {
        current.postgres.constraint_comments.remove(name);
    }
}

fn step(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    match change {
        Change::CreateSchema { name } => namespaces::create(schema, name),
        Change::DropSchema { name } => namespaces::drop(schema, name),
        Change::CreateEnum { name, definition } => enums::create(schema, name, definition),
        Change::DropEnum { name, definition } => enums::drop(schema, name, definition),
        Change::AddEnumValue {
            name,
            value,
            position,
            from,
            to,
            columns,
            dependents,
        } => enums::add_value(
            schema,
            name,
            value,
            position,
            (from, to),
            (columns, dependents),
        ),
        Change::RenameEnumValue { name, from, to } => enums::rename_value(schema, name, from, to),
        Change::RebuildEnum {
            name,
            from,
            to,
            columns,
            dependents,
        } => enums::rebuild(schema, name, (from, to), (columns, dependents)),
        Change::SetEnumComment { name, from, to } => enums::set_comment(schema, name, from, to),
        Change::CreateSequence { name, definition } => sequences::create(schema, name, definition),
        Change::DropSequence { name, definition } => sequences::drop(schema, name, definition),
        Change::AlterSequence { name, from, to } => sequences::alter(schema, name, from, to),
        Change::CreateTable { name, definition } => tables::create(schema, name, definition),
        Change::DropTable { name, definition } => {
            views::refuse_triggers_on(schema, name)?;
            tables::drop(schema, name, definition)
        }
        Change::RenameTable {
            from,
            to,
            sequences,
        } => rename_table(schema, from, to, sequences),
        Change::SetTableComment { table, from, to } => tables::set_comment(schema, table, from, to),
        // A partitioned table's partitions take its column changes with it.
        Change::AddColumn { table, column } => {
            for t in with_partitions(schema, table) {
                columns::add(schema, &t, column)?;
            }
            Ok(())
        }
        Change::DropColumn { table, column } => {
            for t in with_partitions(schema, table) {
                columns::drop(schema, &t, column)?;
            }
            Ok(())
        }
        Change::RenameColumn { table, from, to } => {
            for t in with_partitions(schema, table) {
                rename_column(schema, &t, from, to)?;
            }
            Ok(())
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            for t in with_partitions(schema, table) {
                columns::alter(schema, &t, from, to)?;
            }
            Ok(())
        }
        Change::AddPrimaryKey { table, key } => constraints::add_primary_key(schema, table, key),
        Change::DropPrimaryKey { table, key } => {
            constraints::drop_primary_key(schema, table, key)?;
            forget_index_facts(schema, table, &key.name)
        }
        Change::AddUnique { table, constraint } => {
            let current = table_mut(schema, table)?;
            constraints::insert_new(&mut current.uniques, constraint, "constraint", table)
        }
        Change::DropUnique { table, constraint } => {
            refuse_if_referenced(schema, table, &constraint.columns)?;
            let current = table_mut(schema, table)?;
            constraints::remove_expected(&mut current.uniques, constraint, "constraint", table)?;
            forget_index_facts(schema, table, &constraint.name)
        }
        Change::AddCheck { table, constraint } => {
            let current = table_mut(schema, table)?;
            constraints::insert_new(&mut current.checks, constraint, "constraint", table)
        }
        Change::DropCheck { table, constraint } => {
            let current = table_mut(schema, table)?;
            constraints::remove_expected(&mut current.checks, constraint, "constraint", table)
        }
        Change::AddForeignKey { table, constraint } => {
            let current = table_mut(schema, table)?;
            constraints::insert_new(&mut current.foreign_keys, constraint, "constraint", table)
        }
        Change::DropForeignKey { table, constraint } => {
            let current = table_mut(schema, table)?;
            constraints::remove_expected(&mut current.foreign_keys, constraint, "constraint", table)
        }
        Change::CreateIndex { table, index } => {
            let current = table_mut(schema, table)?;
            constraints::insert_new(&mut current.indexes, index, "index", table)
        }
        Change::DropIndex { table, index } => {
            if let Some(key) = index_key(index) {
                refuse_if_referenced(schema, table, &key)?;
            }
            let current = table_mut(schema, table)?;
            constraints::remove_expected(&mut current.indexes, index, "index", table)?;
            forget_index_facts(schema, table, &index.name)
        }
        Change::CreateView { name, definition } => views::create_view(schema, name, definition),
        Change::DropView { name, definition } => views::drop_view(schema, name, definition),
        Change::ReplaceView { name, from, to } => views::replace_view(schema, name, from, to),
        Change::CreateTrigger { name, definition } => {
            views::create_trigger(schema, name, definition)
        }
        Change::DropTrigger { name, definition } => views::drop_trigger(schema, name, definition),
        Change::ReplaceTrigger { name, from, to } => views::replace_trigger(schema, name, from, to),
        Change::CreateObject { schema: on, object } => objects::create(schema, on, object),
        Change::DropObject { schema: on, object } => objects::drop(schema, on, object),
        Change::AlterObject {
            schema: on,
            from,
            to,
        } => objects::alter(schema, on, from, to),
        Change::AlterTableOptions { table, from, to } => {
            table_facts::alter_options(schema, table, from, to)
        }
        Change::AddExclusion { table, constraint } => {
            table_facts::add_exclusion(schema, table, constraint)
        }
        Change::DropExclusion { table, constraint } => {
            table_facts::drop_exclusion(schema, table, constraint)
        }
        Change::AttachPartition { table, partition } => {
            table_facts::attach(schema, table, partition)
        }
        Change::DetachPartition { table, partition } => {
            table_facts::detach(schema, table, partition)
        }
        Change::SetComment { target, from, to } => {
            table_facts::set_comment(schema, target, from, to)
        }
        Change::SetIndexStorage {
            table,
            index,
            from,
            to,
        } => table_facts::set_index_storage(schema, table, index, from, to),
        Change::RenameAttachedIndex {
            table,
            to,
            parent_index,
            ..
        } => table_facts::rename_attached_index(schema, table, parent_index, to),
    }
}

/// The comment and storage options of an index (or a key's) go with it.
fn forget_index_facts(
    schema: &mut Schema,
    table: &QualifiedName,
    index: &str,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    current.postgres.index_comments.remove(index);
    current.postgres.index_storage.remove(index);
    Ok(())
}

/// `table` and its partitions (a column change reaches them all).
fn with_partitions(schema: &Schema, table: &QualifiedName) -> Vec<QualifiedName> {
    let mut out = vec![table.clone()];
    out.extend(table_facts::partitions_of(schema, table));
    out
}

pub(crate) fn namespace<'a>(
    schema: &'a mut Schema,
    name: &str,
) -> Result<&'a mut Namespace, ApplyError> {
    match schema.schemas.get_mut(name) {
        Some(ns) => Ok(ns),
        None => fail(format!("schema {name} does not exist")),
    }
}

pub(crate) fn table_mut<'a>(
    schema: &'a mut Schema,
    name: &QualifiedName,
) -> Result<&'a mut Table, ApplyError> {
    match schema
        .schemas
        .get_mut(&name.schema)
        .and_then(|ns| ns.tables.get_mut(&name.name))
    {
        Some(t) => Ok(t),
        None => fail(format!("table {name} does not exist")),
    }
}

pub(super) fn enum_mut<'a>(
    schema: &'a mut Schema,
    name: &QualifiedName,
) -> Result<&'a mut EnumType, ApplyError> {
    match schema
        .schemas
        .get_mut(&name.schema)
        .and_then(|ns| ns.enums.get_mut(&name.name))
    {
        Some(e) => Ok(e),
        None => fail(format!("type {name} does not exist")),
    }
}

pub(super) fn label_index(e: &EnumType, label: &str) -> Result<usize, ApplyError> {
    match e.labels.iter().position(|l| l == label) {
        Some(i) => Ok(i),
        None => fail(format!("type {} has no label {label}", e.name)),
    }
}

pub(super) fn expect_eq<T: PartialEq + fmt::Debug>(
    actual: T,
    expected: T,
    what: &str,
) -> Result<(), ApplyError> {
    if actual == expected {
        Ok(())
    } else {
        fail(format!(
            "{what} is {actual:?}, but the change expects {expected:?}"
        ))
    }
}

pub(super) fn expect_named(name: &str, qualified: &QualifiedName) -> Result<(), ApplyError> {
    if name == qualified.name {
        Ok(())
    } else {
        fail(format!(
            "definition named {name} is filed under {qualified}"
        ))
    }
}

/// The table with its columns sorted by name: position is not part of a definition.
pub(super) fn by_name(table: &Table) -> Table {
    let mut out = table.clone();
    out.columns.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every column typed with enum `name` (or an array of it), in namespace, table, column order.
pub fn enum_users(schema: &Schema, name: &QualifiedName) -> Vec<EnumColumnUse> {
    let mut out = Vec::new();
    for (table_name, table) in schema.tables() {
        let mut columns: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| uses_enum(c, name))
            .collect();
        columns.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(columns.into_iter().map(|column| EnumColumnUse {
            table: table_name.clone(),
            column: column.clone(),
        }));
    }
    out
}

pub(super) fn expect_columns(
    schema: &Schema,
    name: &QualifiedName,
    columns: &[EnumColumnUse],
) -> Result<(), ApplyError> {
    expect_eq(
        enum_users(schema, name).as_slice(),
        columns,
        &format!("columns typed with {name}"),
    )
}

/// Every check, index and foreign key that a rebuild of enum `name` must detach (see
/// [`EnumDependent`]), in namespace, table, kind, name order.
pub fn enum_dependents(schema: &Schema, name: &QualifiedName) -> Vec<EnumDependent> {
    schema
        .tables()
        .flat_map(|(table_name, table)| {
            enum_dependents_of(&table_name, table, name, &|c: &Column| uses_enum(c, name))
        })
        .collect()
}

pub(super) fn expect_dependents(
    schema: &Schema,
    name: &QualifiedName,
    dependents: &[EnumDependent],
) -> Result<(), ApplyError> {
    expect_eq(
        enum_dependents(schema, name).as_slice(),
        dependents,
        &format!("objects naming {name}"),
    )
}

/// A key that a foreign key depends on cannot be dropped: PostgreSQL ties the constraint to the
/// index it found, so the plan drops such foreign keys first.
pub(super) fn refuse_if_referenced(
    schema: &Schema,
    table: &QualifiedName,
    columns: &[String],
) -> Result<(), ApplyError> {
    let key = key_of(columns);
    for (from, t) in schema.tables() {
        for fk in t.foreign_keys.values() {
            if &fk.referenced_table == table && key_of(&fk.referenced_columns) == key {
                return fail(format!(
                    "key ({}) of {table} is used by foreign key {} of {from}",
                    columns.join(", "),
                    fk.name
                ));
            }
        }
    }
    Ok(())
}
