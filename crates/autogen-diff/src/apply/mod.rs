//! A small in-memory model of what each change does to a database, strict where PostgreSQL is
//! strict: it refuses a drop whose carried definition is not what is there (the inverse would
//! not restore it), a drop that something still depends on, and any step after which the schema
//! is inconsistent (a foreign key without a key to point at, a column typed with a missing enum,
//! a default calling a missing sequence). The differ uses it to apply renames; tests use it to
//! prove that a plan and its inverse are valid sequences of steps.

use std::fmt;

mod consistent;
mod rename;

use autogen_schema::{Column, EnumType, Namespace, QualifiedName, Schema, Table};

pub use consistent::check_consistent;
use rename::{rename_column, rename_enum_label_in_defaults, rename_table};

use crate::refs::{enum_dependents_of, index_key, key_of, uses_enum};
use crate::{Change, EnumColumnUse, EnumDependent, EnumValuePosition};

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

pub(crate) fn apply_step(schema: &mut Schema, change: &Change) -> Result<(), ApplyError> {
    match change {
        Change::CreateSchema { name } => {
            if schema.schemas.contains_key(name) {
                return fail(format!("schema {name} exists"));
            }
            schema.schemas.insert(name.clone(), Namespace::default());
        }
        Change::DropSchema { name } => {
            let ns = namespace(schema, name)?;
            if !ns.tables.is_empty() || !ns.enums.is_empty() || !ns.sequences.is_empty() {
                return fail(format!("schema {name} is not empty"));
            }
            schema.schemas.remove(name);
        }
        Change::CreateEnum { name, definition } => {
            expect_named(&definition.name, name)?;
            let ns = namespace(schema, &name.schema)?;
            if ns.enums.contains_key(&name.name) {
                return fail(format!("type {name} exists"));
            }
            ns.enums.insert(name.name.clone(), definition.clone());
        }
        Change::DropEnum { name, definition } => {
            let ns = namespace(schema, &name.schema)?;
            expect_eq(
                ns.enums.get(&name.name),
                Some(definition),
                &format!("type {name}"),
            )?;
            ns.enums.remove(&name.name);
        }
        Change::AddEnumValue {
            name,
            value,
            position,
            from,
            to,
            columns,
            dependents,
        } => {
            expect_columns(schema, name, columns)?;
            expect_dependents(schema, name, dependents)?;
            let current = enum_mut(schema, name)?;
            expect_eq(&*current, from, &format!("type {name}"))?;
            if current.labels.contains(value) {
                return fail(format!("type {name} already has label {value}"));
            }
            let at = match position {
                EnumValuePosition::Before(l) => label_index(current, l)?,
                EnumValuePosition::After(l) => label_index(current, l)? + 1,
                EnumValuePosition::End => current.labels.len(),
            };
            current.labels.insert(at, value.clone());
            expect_eq(&*current, to, &format!("type {name} after adding {value}"))?;
        }
        Change::RenameEnumValue { name, from, to } => {
            let current = enum_mut(schema, name)?;
            if current.labels.contains(to) {
                return fail(format!("type {name} already has label {to}"));
            }
            let at = label_index(current, from)?;
            current.labels[at] = to.clone();
            rename_enum_label_in_defaults(schema, name, from, to);
        }
        Change::RebuildEnum {
            name,
            from,
            to,
            columns,
            dependents,
        } => {
            expect_columns(schema, name, columns)?;
            expect_dependents(schema, name, dependents)?;
            let current = enum_mut(schema, name)?;
            expect_eq(&*current, from, &format!("type {name}"))?;
            *current = to.clone();
        }
        Change::SetEnumComment { name, from, to } => {
            let current = enum_mut(schema, name)?;
            expect_eq(&current.comment, from, &format!("comment of type {name}"))?;
            current.comment = to.clone();
        }
        Change::CreateSequence { name, definition } => {
            expect_named(&definition.name, name)?;
            let ns = namespace(schema, &name.schema)?;
            if ns.sequences.contains_key(&name.name) {
                return fail(format!("sequence {name} exists"));
            }
            ns.sequences.insert(name.name.clone(), definition.clone());
        }
        Change::DropSequence { name, definition } => {
            let ns = namespace(schema, &name.schema)?;
            expect_eq(
                ns.sequences.get(&name.name),
                Some(definition),
                &format!("sequence {name}"),
            )?;
            ns.sequences.remove(&name.name);
        }
        Change::AlterSequence { name, from, to } => {
            expect_named(&to.name, name)?;
            let ns = namespace(schema, &name.schema)?;
            let Some(current) = ns.sequences.get_mut(&name.name) else {
                return fail(format!("sequence {name} does not exist"));
            };
            expect_eq(&*current, from, &format!("sequence {name}"))?;
            *current = to.clone();
        }
        Change::CreateTable { name, definition } => {
            expect_named(&definition.name, name)?;
            if !definition.foreign_keys.is_empty() {
                return fail(format!(
                    "create table {name} carries foreign keys; they are steps of their own"
                ));
            }
            let ns = namespace(schema, &name.schema)?;
            if ns.tables.contains_key(&name.name) {
                return fail(format!("table {name} exists"));
            }
            ns.tables.insert(name.name.clone(), definition.clone());
        }
        Change::DropTable { name, definition } => {
            let current = table_mut(schema, name)?;
            if !current.foreign_keys.is_empty() {
                return fail(format!(
                    "table {name} still has foreign keys; they are dropped as steps of their own"
                ));
            }
            expect_eq(
                &by_name(current),
                &by_name(definition),
                &format!("table {name}"),
            )?;
            if let Some(ns) = schema.schemas.get_mut(&name.schema) {
                ns.tables.remove(&name.name);
            }
        }
        Change::RenameTable { from, to } => rename_table(schema, from, to)?,
        Change::SetTableComment { table, from, to } => {
            let current = table_mut(schema, table)?;
            expect_eq(&current.comment, from, &format!("comment of table {table}"))?;
            current.comment = to.clone();
        }
        Change::AddColumn { table, column } => {
            let current = table_mut(schema, table)?;
            if current.column(&column.name).is_some() {
                return fail(format!("column {table}.{} exists", column.name));
            }
            current.columns.push(column.clone());
        }
        Change::DropColumn { table, column } => {
            let current = table_mut(schema, table)?;
            expect_eq(
                current.column(&column.name),
                Some(column),
                &format!("column {table}.{}", column.name),
            )?;
            current.columns.retain(|c| c.name != column.name);
        }
        Change::RenameColumn { table, from, to } => rename_column(schema, table, from, to)?,
        Change::AlterColumn { table, from, to } => {
            if from.name != to.name {
                return fail(format!(
                    "alter column {table}.{} changes the name; that is a rename",
                    from.name
                ));
            }
            let current = table_mut(schema, table)?;
            let Some(column) = current.columns.iter_mut().find(|c| c.name == from.name) else {
                return fail(format!("column {table}.{} does not exist", from.name));
            };
            expect_eq(&*column, from, &format!("column {table}.{}", from.name))?;
            *column = to.clone();
        }
        Change::AddPrimaryKey { table, key } => {
            let current = table_mut(schema, table)?;
            if current.primary_key.is_some() {
                return fail(format!("table {table} has a primary key"));
            }
            current.primary_key = Some(key.clone());
        }
        Change::DropPrimaryKey { table, key } => {
            refuse_if_referenced(schema, table, &key.columns)?;
            let current = table_mut(schema, table)?;
            expect_eq(
                current.primary_key.as_ref(),
                Some(key),
                &format!("primary key of {table}"),
            )?;
            current.primary_key = None;
        }
        Change::AddUnique { table, constraint } => {
            let current = table_mut(schema, table)?;
            if current.uniques.contains_key(&constraint.name) {
                return fail(format!("constraint {} exists on {table}", constraint.name));
            }
            current
                .uniques
                .insert(constraint.name.clone(), constraint.clone());
        }
        Change::DropUnique { table, constraint } => {
            refuse_if_referenced(schema, table, &constraint.columns)?;
            let current = table_mut(schema, table)?;
            expect_eq(
                current.uniques.get(&constraint.name),
                Some(constraint),
                &format!("constraint {} on {table}", constraint.name),
            )?;
            current.uniques.remove(&constraint.name);
        }
        Change::AddCheck { table, constraint } => {
            let current = table_mut(schema, table)?;
            if current.checks.contains_key(&constraint.name) {
                return fail(format!("constraint {} exists on {table}", constraint.name));
            }
            current
                .checks
                .insert(constraint.name.clone(), constraint.clone());
        }
        Change::DropCheck { table, constraint } => {
            let current = table_mut(schema, table)?;
            expect_eq(
                current.checks.get(&constraint.name),
                Some(constraint),
                &format!("constraint {} on {table}", constraint.name),
            )?;
            current.checks.remove(&constraint.name);
        }
        Change::AddForeignKey { table, constraint } => {
            let current = table_mut(schema, table)?;
            if current.foreign_keys.contains_key(&constraint.name) {
                return fail(format!("constraint {} exists on {table}", constraint.name));
            }
            current
                .foreign_keys
                .insert(constraint.name.clone(), constraint.clone());
        }
        Change::DropForeignKey { table, constraint } => {
            let current = table_mut(schema, table)?;
            expect_eq(
                current.foreign_keys.get(&constraint.name),
                Some(constraint),
                &format!("constraint {} on {table}", constraint.name),
            )?;
            current.foreign_keys.remove(&constraint.name);
        }
        Change::CreateIndex { table, index } => {
            let current = table_mut(schema, table)?;
            if current.indexes.contains_key(&index.name) {
                return fail(format!("index {} exists on {table}", index.name));
            }
            current.indexes.insert(index.name.clone(), index.clone());
        }
        Change::DropIndex { table, index } => {
            if let Some(key) = index_key(index) {
                refuse_if_referenced(schema, table, &key)?;
            }
            let current = table_mut(schema, table)?;
            expect_eq(
                current.indexes.get(&index.name),
                Some(index),
                &format!("index {} on {table}", index.name),
            )?;
            current.indexes.remove(&index.name);
        }
    }
    Ok(())
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

fn enum_mut<'a>(
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

fn label_index(e: &EnumType, label: &str) -> Result<usize, ApplyError> {
    match e.labels.iter().position(|l| l == label) {
        Some(i) => Ok(i),
        None => fail(format!("type {} has no label {label}", e.name)),
    }
}

fn expect_eq<T: PartialEq + fmt::Debug>(
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

fn expect_named(name: &str, qualified: &QualifiedName) -> Result<(), ApplyError> {
    if name == qualified.name {
        Ok(())
    } else {
        fail(format!(
            "definition named {name} is filed under {qualified}"
        ))
    }
}

/// The table with its columns sorted by name: position is not part of a definition.
fn by_name(table: &Table) -> Table {
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

fn expect_columns(
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

fn expect_dependents(
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
fn refuse_if_referenced(
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
