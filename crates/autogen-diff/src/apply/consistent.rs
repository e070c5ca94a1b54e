//! Whether a schema could exist in a database: the check run after every simulated step.

use std::collections::BTreeSet;

use autogen_schema::{Dialect, QualifiedName, Schema, Table};

use super::{ApplyError, fail};
use crate::refs::{default_uses_sequence, key_of, table_keys};

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
            // Which names share the namespace with tables is the database's: PostgreSQL's key
            // and index names are relations; SQLite's index names are schema-wide but its
            // constraint names are not; MySQL's are per table (every primary key is `PRIMARY`).
            match schema.dialect {
                Dialect::Postgres => {
                    if let Some(pk) = &table.primary_key {
                        claim(&pk.name)?;
                    }
                    for name in table.uniques.keys().chain(table.indexes.keys()) {
                        claim(name)?;
                    }
                }
                Dialect::Sqlite => {
                    for name in table.indexes.keys() {
                        claim(name)?;
                    }
                }
                Dialect::MySql => {}
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
        if let Some(e) = column
            .ty
            .enum_name()
            .filter(|e| schema.enum_type(e).is_none())
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
            // SQLite takes NULL in a key column not declared NOT NULL (outside the rowid and
            // WITHOUT ROWID tables), and `INT PRIMARY KEY` is read so.
            if column.nullable && schema.dialect != autogen_schema::Dialect::Sqlite {
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
        // SQLite takes a foreign key to any table at DDL time (and resolves names without
        // regard to case); it only complains when a row is written.
        match schema.dialect {
            Dialect::Sqlite => continue,
            Dialect::Postgres | Dialect::MySql => {}
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
