//! A small in-memory model of what each change does to a database, strict where PostgreSQL is
//! strict: it refuses a drop whose carried definition is not what is there (the inverse would
//! not restore it), a drop that something still depends on, and any step after which the schema
//! is inconsistent (a foreign key without a key to point at, a column typed with a missing enum,
//! a default calling a missing sequence). The differ uses it to apply renames; tests use it to
//! prove that a plan and its inverse are valid sequences of steps.

use std::collections::BTreeSet;
use std::fmt;

use autogen_schema::{Column, EnumType, IndexTarget, Namespace, QualifiedName, Schema, Table};

use crate::refs::{default_uses_sequence, index_key, key_of, table_keys, uses_enum};
use crate::{Change, EnumColumnUse, EnumValuePosition};

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

fn fail<T>(reason: impl Into<String>) -> Result<T, ApplyError> {
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
        } => {
            expect_columns(schema, name, columns)?;
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
        } => {
            expect_columns(schema, name, columns)?;
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

fn namespace<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut Namespace, ApplyError> {
    match schema.schemas.get_mut(name) {
        Some(ns) => Ok(ns),
        None => fail(format!("schema {name} does not exist")),
    }
}

fn table_mut<'a>(
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

fn rename_table(
    schema: &mut Schema,
    from: &QualifiedName,
    to: &QualifiedName,
) -> Result<(), ApplyError> {
    if schema.table(to).is_some() {
        return fail(format!("table {to} exists"));
    }
    namespace(schema, &to.schema)?;
    let Some(mut table) = schema
        .schemas
        .get_mut(&from.schema)
        .and_then(|ns| ns.tables.remove(&from.name))
    else {
        return fail(format!("table {from} does not exist"));
    };
    table.name = to.name.clone();
    namespace(schema, &to.schema)?
        .tables
        .insert(to.name.clone(), table);
    // Foreign keys and sequence owners point at the table itself, not at its name.
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for fk in t.foreign_keys.values_mut() {
                if &fk.referenced_table == from {
                    fk.referenced_table = to.clone();
                }
            }
        }
        for s in ns.sequences.values_mut() {
            if let Some(owner) = s.owned_by.as_mut().filter(|o| &o.table == from) {
                owner.table = to.clone();
            }
        }
    }
    Ok(())
}

/// Renames a column and every structured reference to it. Expressions (checks, index
/// expressions, generated columns) are text and keep the old spelling; the differ then sees them
/// differ and replaces them, which is correct if not minimal.
fn rename_column(
    schema: &mut Schema,
    table_name: &QualifiedName,
    from: &str,
    to: &str,
) -> Result<(), ApplyError> {
    let table = table_mut(schema, table_name)?;
    if table.column(to).is_some() {
        return fail(format!("column {table_name}.{to} exists"));
    }
    let Some(column) = table.columns.iter_mut().find(|c| c.name == from) else {
        return fail(format!("column {table_name}.{from} does not exist"));
    };
    column.name = to.to_owned();
    let rename = |names: &mut Vec<String>| {
        for n in names.iter_mut() {
            if n == from {
                *n = to.to_owned();
            }
        }
    };
    if let Some(pk) = &mut table.primary_key {
        rename(&mut pk.columns);
    }
    for u in table.uniques.values_mut() {
        rename(&mut u.columns);
    }
    for fk in table.foreign_keys.values_mut() {
        rename(&mut fk.columns);
    }
    for index in table.indexes.values_mut() {
        rename(&mut index.include);
        for key in &mut index.keys {
            match &mut key.target {
                IndexTarget::Column(c) if c == from => *c = to.to_owned(),
                IndexTarget::Column(_) | IndexTarget::Expression(_) => {}
            }
        }
    }
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for fk in t.foreign_keys.values_mut() {
                if &fk.referenced_table == table_name {
                    rename(&mut fk.referenced_columns);
                }
            }
        }
        for s in ns.sequences.values_mut() {
            if let Some(owner) = s
                .owned_by
                .as_mut()
                .filter(|o| &o.table == table_name && o.column == from)
            {
                owner.column = to.to_owned();
            }
        }
    }
    Ok(())
}

/// A default that is one label of the enum (`'old'::status`) names the label by its identity,
/// so PostgreSQL prints the new label after a rename.
fn rename_enum_label_in_defaults(schema: &mut Schema, name: &QualifiedName, from: &str, to: &str) {
    let old = format!("{}::", autogen_schema::quote_literal(from));
    let new = format!("{}::", autogen_schema::quote_literal(to));
    for ns in schema.schemas.values_mut() {
        for t in ns.tables.values_mut() {
            for c in t.columns.iter_mut().filter(|c| uses_enum(c, name)) {
                let renamed = c
                    .default
                    .as_deref()
                    .and_then(|d| d.strip_prefix(&old))
                    .map(|rest| format!("{new}{rest}"));
                if renamed.is_some() {
                    c.default = renamed;
                }
            }
        }
    }
}

/// Whether `schema` could exist in a database: every reference resolves.
pub fn check_consistent(schema: &Schema) -> Result<(), ApplyError> {
    let sequences: Vec<QualifiedName> = schema.sequences().map(|(n, _)| n).collect();
    for (ns_name, ns) in &schema.schemas {
        let mut relations = BTreeSet::new();
        let mut claim = |name: &str| {
            if relations.insert(name.to_owned()) {
                Ok(())
            } else {
                fail(format!("relation name {ns_name}.{name} is used twice"))
            }
        };
        for (key, e) in &ns.enums {
            if &e.name != key {
                return fail(format!("type {key} is named {}", e.name));
            }
        }
        for (key, s) in &ns.sequences {
            if &s.name != key {
                return fail(format!("sequence {key} is named {}", s.name));
            }
            claim(key)?;
            if let Some(owner) = &s.owned_by {
                let owned = schema
                    .table(&owner.table)
                    .and_then(|t| t.column(&owner.column));
                if owned.is_none() {
                    return fail(format!(
                        "sequence {ns_name}.{key} is owned by missing column {}.{}",
                        owner.table, owner.column
                    ));
                }
            }
        }
        for (key, table) in &ns.tables {
            let table_name = QualifiedName::new(ns_name, key);
            if &table.name != key {
                return fail(format!("table {table_name} is named {}", table.name));
            }
            claim(key)?;
            check_table(schema, &table_name, table, &sequences)?;
            if let Some(pk) = &table.primary_key {
                claim(&pk.name)?;
            }
            for name in table.uniques.keys().chain(table.indexes.keys()) {
                claim(name)?;
            }
        }
    }
    Ok(())
}

fn check_table(
    schema: &Schema,
    name: &QualifiedName,
    table: &Table,
    sequences: &[QualifiedName],
) -> Result<(), ApplyError> {
    let mut columns = BTreeSet::new();
    for column in &table.columns {
        if !columns.insert(column.name.as_str()) {
            return fail(format!("column {name}.{} appears twice", column.name));
        }
        if let Some(e) = crate::refs::enum_of(&column.ty).filter(|e| schema.enum_type(e).is_none())
        {
            return fail(format!(
                "column {name}.{} uses missing type {e}",
                column.name
            ));
        }
        let default = column.default.as_deref().unwrap_or_default();
        if default.contains("nextval(")
            && !sequences
                .iter()
                .any(|s| default_uses_sequence(default, s, &name.schema))
        {
            return fail(format!(
                "column {name}.{} calls a missing sequence: {default}",
                column.name
            ));
        }
    }
    let has = |c: &String| columns.contains(c.as_str());
    let mut constraint_names = BTreeSet::new();
    if let Some(pk) = &table.primary_key {
        constraint_names.insert(pk.name.as_str());
        for c in &pk.columns {
            let Some(column) = table.column(c) else {
                return fail(format!("primary key of {name} names missing column {c}"));
            };
            if column.nullable {
                return fail(format!("primary key column {name}.{c} is nullable"));
            }
        }
    }
    for (key, u) in &table.uniques {
        if let Some(c) = u.columns.iter().find(|c| !has(c)) {
            return fail(format!(
                "constraint {key} of {name} names missing column {c}"
            ));
        }
        if !constraint_names.insert(key.as_str()) {
            return fail(format!("constraint name {key} is used twice on {name}"));
        }
    }
    for key in table.checks.keys() {
        if !constraint_names.insert(key.as_str()) {
            return fail(format!("constraint name {key} is used twice on {name}"));
        }
    }
    for (key, index) in &table.indexes {
        if let Some(c) = crate::refs::index_columns(index).iter().find(|c| !has(c)) {
            return fail(format!("index {key} of {name} names missing column {c}"));
        }
    }
    for (key, fk) in &table.foreign_keys {
        if !constraint_names.insert(key.as_str()) {
            return fail(format!("constraint name {key} is used twice on {name}"));
        }
        if let Some(c) = fk.columns.iter().find(|c| !has(c)) {
            return fail(format!(
                "foreign key {key} of {name} names missing column {c}"
            ));
        }
        let Some(target) = schema.table(&fk.referenced_table) else {
            return fail(format!(
                "foreign key {key} of {name} references missing table {}",
                fk.referenced_table
            ));
        };
        if let Some(c) = fk
            .referenced_columns
            .iter()
            .find(|c| target.column(c).is_none())
        {
            return fail(format!(
                "foreign key {key} of {name} references missing column {}.{c}",
                fk.referenced_table
            ));
        }
        if !table_keys(target).contains(&key_of(&fk.referenced_columns)) {
            return fail(format!(
                "foreign key {key} of {name} references ({}) of {}, which is not a key",
                fk.referenced_columns.join(", "),
                fk.referenced_table
            ));
        }
    }
    Ok(())
}
