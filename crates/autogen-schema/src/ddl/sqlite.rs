//! Canonical DDL for SQLite: one namespace (names are never qualified), no enum types (an enum
//! column is `text`), no sequences or comments, and every constraint inline in `CREATE TABLE`,
//! foreign keys and checks included, because SQLite cannot add them to a table later. A single
//! `integer` key column is the rowid alias, SQLite's identity, whatever the key's spelling.
//! Foreign keys may name tables created further down: SQLite resolves them when rows are written.

use super::{
    DdlStatement, check_clause, column_definition, create_index, ident_list, unique_clause,
};
use crate::{Dialect, ForeignKey, MatchType, QualifiedName, Schema, Table, quote_ident};

pub(super) fn canonical_ddl(schema: &Schema) -> Vec<DdlStatement> {
    let mut out = Vec::new();
    for (name, table) in schema.tables() {
        out.push(DdlStatement {
            sql: create_table(&name, table),
        });
    }
    for (name, table) in schema.tables() {
        for index in table.indexes.values() {
            out.push(DdlStatement {
                sql: create_index(Dialect::Sqlite, &name, index),
            });
        }
    }
    // Views and triggers as SQLite keeps them; views first (a trigger may fire on one).
    for (_, view) in schema.views() {
        out.push(DdlStatement {
            sql: view.definition.clone(),
        });
    }
    for (_, trigger) in schema.triggers() {
        out.push(DdlStatement {
            sql: trigger.definition.clone(),
        });
    }
    out
}

/// `CREATE TABLE` with columns, primary key, unique, check and foreign key constraints inline.
pub(crate) fn create_table(name: &QualifiedName, table: &Table) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_definition(Dialect::Sqlite, c))
        .collect();
    if let Some(pk) = &table.primary_key {
        lines.push(format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            quote_ident(&pk.name),
            ident_list(&pk.columns)
        ));
    }
    for unique in table.uniques.values() {
        lines.push(unique_clause(unique));
    }
    for check in table.checks.values() {
        lines.push(check_clause(check));
    }
    for fk in table.foreign_keys.values() {
        lines.push(foreign_key_clause(fk));
    }
    let body = lines
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join(",\n");
    let mut options = Vec::new();
    if table.options.strict {
        options.push(" STRICT");
    }
    if table.options.without_rowid {
        options.push(" WITHOUT ROWID");
    }
    format!(
        "CREATE TABLE {} (\n{}\n){}",
        quote_ident(&name.name),
        body,
        options.join(",")
    )
}

/// SQLite's `REFERENCES` takes a bare table name (the referenced table is always in the same
/// database).
pub fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        ident_list(&fk.columns),
        quote_ident(&fk.referenced_table.name),
        ident_list(&fk.referenced_columns)
    );
    match fk.match_type {
        MatchType::Simple => {}
        MatchType::Full => out.push_str(" MATCH FULL"),
        MatchType::Partial => out.push_str(" MATCH PARTIAL"),
    }
    if !fk.on_update.is_no_action() {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if !fk.on_delete.is_no_action() {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    out.push_str(fk.deferrable.sql());
    out
}
