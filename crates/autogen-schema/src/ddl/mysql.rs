//! Canonical DDL for MySQL and MariaDB: backquoted identifiers, inline `ENUM(..)` types,
//! `AUTO_INCREMENT`, comments inline, foreign keys as `ALTER TABLE .. ADD CONSTRAINT` after every
//! table, and an index prefix length wherever a text or blob column is indexed without one
//! (MySQL cannot index those whole).

use super::{DdlStatement, strip_outer_parens};
use crate::{
    CheckConstraint, Column, ColumnType, Dialect, ForeignKey, IdentityKind, Index, IndexKey,
    IndexTarget, QualifiedName, Schema, Table, UniqueConstraint, quote_literal,
};

/// The prefix length given to an indexed text or blob column that names none.
pub const DEFAULT_PREFIX_LENGTH: u32 = 255;

/// Quotes an identifier MySQL's way: backquotes around it, embedded backquotes doubled.
pub fn quote_mysql_ident(ident: &str) -> String {
    format!("`{}`", ident.replace('`', "``"))
}

fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| quote_mysql_ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statements that recreate `schema` on an empty MySQL/MariaDB database.
pub fn canonical_ddl(schema: &Schema) -> Vec<DdlStatement> {
    let mut out = Vec::new();
    for (name, table) in schema.tables() {
        out.push(DdlStatement {
            sql: create_table(schema, &name, table),
        });
    }
    for (name, table) in schema.tables() {
        for index in table.indexes.values() {
            out.push(DdlStatement {
                sql: create_index(schema, &name, index),
            });
        }
    }
    for (name, table) in schema.tables() {
        for fk in table.foreign_keys.values() {
            out.push(DdlStatement {
                sql: format!(
                    "ALTER TABLE {} ADD {}",
                    quote_mysql_ident(&name.name),
                    foreign_key_clause(fk)
                ),
            });
        }
    }
    out
}

/// `CREATE TABLE` with columns, primary key, unique and check constraints and comments inline.
pub fn create_table(schema: &Schema, name: &QualifiedName, table: &Table) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_definition(schema, c))
        .collect();
    if let Some(pk) = &table.primary_key {
        let keys = pk
            .columns
            .iter()
            .map(|c| key_column(schema, table, c, None))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!("PRIMARY KEY ({keys})"));
    }
    for unique in table.uniques.values() {
        lines.push(unique_clause(schema, table, unique));
    }
    for check in table.checks.values() {
        lines.push(check_clause(check));
    }
    let body = lines
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join(",\n");
    let comment = table
        .comment
        .as_ref()
        .map(|c| format!(" COMMENT={}", quote_literal(c)))
        .unwrap_or_default();
    format!(
        "CREATE TABLE {} (\n{body}\n){comment}",
        quote_mysql_ident(&name.name)
    )
}

/// The type as MySQL spells it; an enum type is written inline with its labels.
pub fn column_type(schema: &Schema, ty: &ColumnType) -> String {
    match ty {
        ColumnType::Enum { name } => match schema.enum_type(name) {
            Some(e) => inline_enum(&e.labels),
            None => ty.sql(Dialect::MySql),
        },
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. }
        | ColumnType::Boolean
        | ColumnType::Text
        | ColumnType::Varchar { .. }
        | ColumnType::Char { .. }
        | ColumnType::Bytes
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Array { .. }
        | ColumnType::Other { .. } => ty.sql(Dialect::MySql),
    }
}

/// `enum('a','b')`, as MySQL prints it back.
pub fn inline_enum(labels: &[String]) -> String {
    let labels = labels
        .iter()
        .map(|l| quote_literal(l))
        .collect::<Vec<_>>()
        .join(",");
    format!("enum({labels})")
}

/// One column as it appears in `CREATE TABLE` and `ALTER TABLE .. ADD/MODIFY COLUMN`.
pub fn column_definition(schema: &Schema, column: &Column) -> String {
    let mut out = format!(
        "{} {}",
        quote_mysql_ident(&column.name),
        column_type(schema, &column.ty)
    );
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &column.generated {
        let storage = if generated.stored {
            " STORED"
        } else {
            " VIRTUAL"
        };
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}){storage}",
            strip_outer_parens(&generated.expression)
        ));
    }
    if column.generated.is_none() {
        if !column.nullable {
            out.push_str(" NOT NULL");
        } else if matches!(column.ty, ColumnType::Timestamp { .. }) {
            // Old servers give a lone TIMESTAMP column NOT NULL unless told otherwise.
            out.push_str(" NULL");
        }
    }
    if let Some(identity) = &column.identity {
        match identity.kind {
            IdentityKind::AutoIncrement | IdentityKind::Always | IdentityKind::ByDefault => {
                out.push_str(" AUTO_INCREMENT")
            }
        }
    }
    if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if let Some(comment) = &column.comment {
        out.push_str(&format!(" COMMENT {}", quote_literal(comment)));
    }
    out
}

/// Whether MySQL needs a prefix length to index a column of this type.
pub fn needs_prefix(ty: &ColumnType) -> bool {
    match ty {
        ColumnType::Text | ColumnType::Bytes => true,
        ColumnType::Other { name } => {
            let name = name.to_ascii_lowercase();
            name.ends_with("text") || name.ends_with("blob")
        }
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. }
        | ColumnType::Boolean
        | ColumnType::Varchar { .. }
        | ColumnType::Char { .. }
        | ColumnType::Date
        | ColumnType::Time { .. }
        | ColumnType::Timestamp { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. } => false,
    }
}

/// A key column with its prefix length: the given one, else a default one for text and blobs.
fn key_column(schema: &Schema, table: &Table, column: &str, length: Option<u32>) -> String {
    let _ = schema;
    let length = length.or_else(|| {
        table
            .column(column)
            .filter(|c| needs_prefix(&c.ty))
            .map(|_| DEFAULT_PREFIX_LENGTH)
    });
    match length {
        Some(n) => format!("{}({n})", quote_mysql_ident(column)),
        None => quote_mysql_ident(column),
    }
}

pub fn unique_clause(schema: &Schema, table: &Table, unique: &UniqueConstraint) -> String {
    let keys = unique
        .columns
        .iter()
        .map(|c| key_column(schema, table, c, None))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CONSTRAINT {} UNIQUE ({keys})",
        quote_mysql_ident(&unique.name)
    )
}

pub fn check_clause(check: &CheckConstraint) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        quote_mysql_ident(&check.name),
        strip_outer_parens(&check.expression)
    )
}

pub fn foreign_key_clause(fk: &ForeignKey) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_mysql_ident(&fk.name),
        ident_list(&fk.columns),
        quote_mysql_ident(&fk.referenced_table.name),
        ident_list(&fk.referenced_columns)
    );
    if !fk.on_delete.is_no_action() {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if !fk.on_update.is_no_action() {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    out
}

/// `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX`, prefix lengths included.
pub fn create_index(schema: &Schema, table: &QualifiedName, index: &Index) -> String {
    let (kind, keys, using) = index_parts(schema, table, index);
    format!(
        "CREATE {kind}INDEX {} ON {} ({keys}){using}",
        quote_mysql_ident(&index.name),
        quote_mysql_ident(&table.name)
    )
}

/// The `ADD .. INDEX` clause of an `ALTER TABLE` that creates `index` on `table`: the same
/// index as [`create_index`], for a statement that also does something else to the table.
pub fn add_index_clause(schema: &Schema, table: &QualifiedName, index: &Index) -> String {
    let (kind, keys, using) = index_parts(schema, table, index);
    format!(
        "ADD {kind}INDEX {} ({keys}){using}",
        quote_mysql_ident(&index.name)
    )
}

/// An index's kind (`UNIQUE `, `FULLTEXT `, ...), key list and `USING` clause.
fn index_parts(
    schema: &Schema,
    table: &QualifiedName,
    index: &Index,
) -> (&'static str, String, &'static str) {
    let kind = match index.method.as_str() {
        "fulltext" => "FULLTEXT ",
        "spatial" => "SPATIAL ",
        _ if index.unique => "UNIQUE ",
        _ => "",
    };
    let owner = schema.table(table);
    let keys = index
        .keys
        .iter()
        .map(|k| index_key(schema, owner, index, k))
        .collect::<Vec<_>>()
        .join(", ");
    let using = match index.method.as_str() {
        "hash" => " USING HASH",
        _ => "",
    };
    (kind, keys, using)
}

fn index_key(schema: &Schema, table: Option<&Table>, index: &Index, key: &IndexKey) -> String {
    let mut out = match (&key.target, table) {
        (IndexTarget::Column(name), Some(table)) if index.method != "fulltext" => {
            key_column(schema, table, name, key.length)
        }
        (IndexTarget::Column(name), _) => match key.length {
            Some(n) => format!("{}({n})", quote_mysql_ident(name)),
            None => quote_mysql_ident(name),
        },
        (IndexTarget::Expression(expr), _) => format!("({})", strip_outer_parens(expr)),
    };
    if key.descending {
        out.push_str(" DESC");
    }
    out
}
