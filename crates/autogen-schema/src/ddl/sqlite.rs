//! Canonical DDL for SQLite: one namespace (names are never qualified), no enum types (an enum
//! column is `text`), no sequences or comments, and every constraint inline in `CREATE TABLE`,
//! foreign keys and checks included, because SQLite cannot add them to a table later. A single
//! `integer` key column is the rowid alias, SQLite's identity, whatever the key's spelling.
//! Foreign keys may name tables created further down: SQLite resolves them when rows are written.

use super::{
    DdlStatement, check_clause, column_definition, create_index, ident_list, unique_clause,
};
use std::collections::BTreeSet;

use crate::naming::{first_free, sqlite as naming};
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
    // A name the introspector would give the constraint unnamed is left out: it then follows
    // the table through `ALTER TABLE .. RENAME TO` (see `naming::sqlite`). The table's own
    // name, not `name`: a rebuild creates it under another one first.
    let table_name = table.name.as_str();
    let mut taken = BTreeSet::new();
    if let Some(pk) = &table.primary_key {
        let clause = format!(
            "CONSTRAINT {} PRIMARY KEY ({})",
            quote_ident(&pk.name),
            ident_list(&pk.columns)
        );
        lines.push(unnamed(
            &mut taken,
            clause,
            &pk.name,
            naming::primary_key(table_name),
        ));
    }
    for unique in table.uniques.values() {
        let base = naming::unique(table_name, &unique.columns);
        lines.push(unnamed(
            &mut taken,
            unique_clause(unique),
            &unique.name,
            base,
        ));
    }
    taken.clear();
    for check in table.checks.values() {
        let base = naming::check(table_name, None);
        lines.push(unnamed(&mut taken, check_clause(check), &check.name, base));
    }
    taken.clear();
    for fk in table.foreign_keys.values() {
        let base = naming::foreign_key(table_name, &fk.columns);
        lines.push(unnamed(&mut taken, foreign_key_clause(fk), &fk.name, base));
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

/// `clause` without its `CONSTRAINT "name"` when the introspector would give it that name
/// unnamed: `base`, first free among the names of its kind before it (`taken`).
fn unnamed(taken: &mut BTreeSet<String>, clause: String, constraint: &str, base: String) -> String {
    let derived = first_free(base, |n| taken.contains(n));
    taken.insert(constraint.to_owned());
    if derived != constraint {
        return clause;
    }
    let prefix = format!("CONSTRAINT {} ", quote_ident(constraint));
    match clause.strip_prefix(&prefix) {
        Some(rest) => rest.to_owned(),
        None => clause,
    }
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
