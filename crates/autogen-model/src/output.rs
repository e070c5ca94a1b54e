//! What goes in and what comes out of [`crate::read_models`].

use std::collections::BTreeMap;

use autogen_schema::{Authority, Dialect, QualifiedName, Schema};

use crate::Diagnostic;

/// One model file: its name as diagnostics should print it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOptions {
    /// Which database the models are read for: it picks the type mapping, the per-dialect
    /// `sql_type(..)`/`default_sql(..)` entry, identity and the default namespace.
    pub dialect: Dialect,
}

impl ModelOptions {
    pub fn new(dialect: Dialect) -> ModelOptions {
        ModelOptions { dialect }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOutput {
    /// The desired schema. Always holds the dialect's default namespace, even when empty.
    pub schema: Schema,
    pub renames: Renames,
    /// Values for existing rows when a column becomes NOT NULL, keyed by (table, column).
    /// Not part of the `Schema` IR: a backfill is an instruction for one migration, not a
    /// property of the column.
    pub backfills: BTreeMap<(QualifiedName, String), Backfill>,
    /// Every error of the run; the schema is only usable when this is empty.
    pub diagnostics: Vec<Diagnostic>,
    /// What the source states: full for the native models, less for a Diesel schema.rs. The
    /// CLI hands it to the differ (`DiffOptions::authority`).
    pub authority: Authority,
}

/// The renames that `renamed_from` keys declare, in model order. Shaped like the differ's
/// options so the CLI can hand them over one to one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    pub tables: Vec<TableRename>,
    pub columns: Vec<ColumnRename>,
    pub enum_values: Vec<EnumValueRename>,
}

impl Renames {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty() && self.enum_values.is_empty()
    }
}

/// Table `from` (the database's name) is now table `to` (the model's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRename {
    pub from: QualifiedName,
    pub to: QualifiedName,
}

/// Column `from` of `table` is now column `to`; `table` is the model's (new) table name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRename {
    pub table: QualifiedName,
    pub from: String,
    pub to: String,
}

/// Label `from` of enum type `name` is now label `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValueRename {
    pub name: QualifiedName,
    pub from: String,
    pub to: String,
}

/// What fills existing rows of a column that becomes NOT NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backfill {
    /// `backfill = <literal>`, already written as SQL for the column's type (`0`, `'n/a'::text`).
    Value(String),
    /// `backfill_sql = ".."`, verbatim.
    Sql(String),
}

impl Backfill {
    /// The SQL expression either way.
    pub fn sql(&self) -> &str {
        match self {
            Backfill::Value(sql) | Backfill::Sql(sql) => sql,
        }
    }
}
