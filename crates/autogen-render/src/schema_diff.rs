//! A unified diff of the canonical DDL of every object that differs between two schemas.

use std::collections::BTreeMap;

use autogen_schema::{
    Dialect, QualifiedName, Schema, Table,
    ddl::{
        create_enum, create_index, create_sequence, create_table_ddl, foreign_key_clause,
        not_valid_checks,
    },
    quote_ident,
};
use similar::TextDiff;

use crate::postgres::{comment, sequence};

/// Objects in the order canonical DDL creates them, so the diff reads top-down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    Schema(String),
    Enum(String),
    Sequence(String),
    Table(String),
}

impl Object {
    fn label(&self) -> String {
        match self {
            Object::Schema(name) => format!("schema {name}"),
            Object::Enum(name) => format!("enum {name}"),
            Object::Sequence(name) => format!("sequence {name}"),
            Object::Table(name) => format!("table {name}"),
        }
    }
}

/// For each schema, enum, sequence and table that differs, a unified diff (`--- current ..` /
/// `+++ desired ..`) of its DDL; a table's DDL is its `CREATE TABLE`, indexes, foreign keys and
/// comments. Unchanged objects are left out, so equal schemas give an empty string.
pub fn schema_diff(current: &Schema, desired: &Schema) -> String {
    let before = objects(current);
    let after = objects(desired);
    let mut keys: Vec<&Object> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = String::new();
    for key in keys {
        let old = before.get(key).map_or("", String::as_str);
        let new = after.get(key).map_or("", String::as_str);
        if old == new {
            continue;
        }
        let label = key.label();
        let diff = TextDiff::from_lines(old, new);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("current: {label}"), &format!("desired: {label}"))
                .to_string(),
        );
    }
    out
}

fn objects(schema: &Schema) -> BTreeMap<Object, String> {
    let mut out = BTreeMap::new();
    // As in canonical DDL, only PostgreSQL has namespaces, enum types and sequences of its own.
    let postgres = match schema.dialect {
        Dialect::Postgres => true,
        Dialect::MySql | Dialect::Sqlite => false,
    };
    if postgres {
        namespaced_objects(schema, &mut out);
    }
    for (name, table) in schema.tables() {
        out.insert(
            Object::Table(name.to_string()),
            script(&table_ddl(schema, &name, table)),
        );
    }
    out
}

fn namespaced_objects(schema: &Schema, out: &mut BTreeMap<Object, String>) {
    for name in schema.schemas.keys() {
        out.insert(
            Object::Schema(name.clone()),
            script(&[format!("CREATE SCHEMA {}", quote_ident(name))]),
        );
    }
    for (name, definition) in schema.enums() {
        let mut statements = vec![create_enum(&name, definition)];
        if let Some(text) = &definition.comment {
            statements.push(comment::on_type(&name, Some(text)));
        }
        out.insert(Object::Enum(name.to_string()), script(&statements));
    }
    for (name, sequence) in schema.sequences() {
        let mut statements = vec![create_sequence(&name, sequence)];
        if let Some(owner) = &sequence.owned_by {
            statements.push(sequence::owned_by(&name, Some(owner)));
        }
        out.insert(Object::Sequence(name.to_string()), script(&statements));
    }
}

fn table_ddl(schema: &Schema, name: &QualifiedName, table: &Table) -> Vec<String> {
    let dialect = schema.dialect;
    let mut out = vec![create_table_ddl(dialect, name, table)];
    out.extend(not_valid_checks(name, table));
    out.extend(
        table
            .indexes
            .values()
            .map(|i| create_index(dialect, name, i)),
    );
    out.extend(table.foreign_keys.values().map(|fk| {
        format!(
            "ALTER TABLE {} ADD {}",
            name.quoted(),
            foreign_key_clause(fk)
        )
    }));
    if let Some(text) = &table.comment {
        out.push(comment::on_table(name, Some(text)));
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            out.push(comment::on_column(name, &column.name, Some(text)));
        }
    }
    out
}

fn script(statements: &[String]) -> String {
    statements.iter().map(|s| format!("{s};\n")).collect()
}
