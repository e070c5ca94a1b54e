//! What goes in and what comes out of [`crate::read_models`].

use std::collections::BTreeMap;

use autogen_schema::{Authority, Dialect, Facts, QualifiedName, Schema};

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
    /// Where each SQL text of the schema came from, so that a server error while normalising
    /// it can name the model attribute, not only the server's words.
    pub expression_sites: BTreeMap<ExprSite, Location>,
    /// What the source states: full for the native models, less for a Diesel schema.rs. The
    /// CLI hands it to the differ (`DiffOptions::authority`).
    pub authority: Authority,
}

/// One SQL text of the desired schema: the table it belongs to, what it is, and the column,
/// constraint or index it belongs to (`name`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExprSite {
    pub table: QualifiedName,
    pub kind: ExprKind,
    /// The column (`Default`, `Backfill`, `ColumnType`), the CHECK constraint (`Check`) or
    /// the index or unique constraint (`IndexExpression`, `IndexPredicate`).
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExprKind {
    /// `default_sql` (a `default` literal is written by the reader, not taken from the file).
    Default,
    /// `backfill_sql`.
    Backfill,
    /// `sql_type`.
    ColumnType,
    /// A field's `check` or a struct's `check(expr = ..)`.
    Check,
    /// `index(expr = ..)` / `unique(expr = ..)`: every expression of that index.
    IndexExpression,
    /// `where` of an index.
    IndexPredicate,
}

/// The attribute value's place in a model file (1-based line and character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
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

impl ModelOutput {
    /// The outputs of several model sources (one per source, each read on its own) as one.
    /// A table, enum type or sequence that two of them define is an error: the sources must
    /// describe different objects.
    pub fn merge(outputs: Vec<ModelOutput>) -> Result<ModelOutput, String> {
        let authority = merged_authority(&outputs);
        let merged = ModelOutput::merge_objects(outputs)?;
        Ok(ModelOutput {
            authority,
            ..merged
        })
    }

    fn merge_objects(outputs: Vec<ModelOutput>) -> Result<ModelOutput, String> {
        let mut outputs = outputs.into_iter();
        let Some(mut merged) = outputs.next() else {
            return Err("no model output to merge".to_owned());
        };
        for output in outputs {
            for (name, namespace) in output.schema.schemas {
                let into = merged.schema.namespace_mut(&name);
                for (key, table) in namespace.tables {
                    if into.tables.insert(key.clone(), table).is_some() {
                        return Err(format!(
                            "table `{name}.{key}` is defined by two model sources"
                        ));
                    }
                }
                for (key, e) in namespace.enums {
                    if into.enums.insert(key.clone(), e).is_some() {
                        return Err(format!(
                            "enum type `{name}.{key}` is defined by two model sources"
                        ));
                    }
                }
                for (key, sequence) in namespace.sequences {
                    if into.sequences.insert(key.clone(), sequence).is_some() {
                        return Err(format!(
                            "sequence `{name}.{key}` is defined by two model sources"
                        ));
                    }
                }
            }
            merged.renames.tables.extend(output.renames.tables);
            merged.renames.columns.extend(output.renames.columns);
            merged
                .renames
                .enum_values
                .extend(output.renames.enum_values);
            merged.backfills.extend(output.backfills);
            merged.diagnostics.extend(output.diagnostics);
            merged.expression_sites.extend(output.expression_sites);
        }
        Ok(merged)
    }
}

/// What the merged outputs state: where one source is partial (a Diesel `schema.rs`), that is
/// the default, and each table and enum of a full source (native models, SeaORM) is stated
/// whole; each source stays the authority for its own objects.
fn merged_authority(outputs: &[ModelOutput]) -> Authority {
    let Some(partial) = outputs.iter().find(|o| !o.authority.is_full()) else {
        return Authority::full();
    };
    let mut authority = Authority::of(partial.authority.facts);
    for output in outputs {
        if output.authority.is_full() {
            for (name, _) in output.schema.tables() {
                authority.tables.insert(name, Facts::ALL);
            }
            authority
                .enum_labels
                .extend(output.schema.enums().map(|(name, _)| name));
        } else {
            for (name, facts) in &output.authority.tables {
                let widened = authority
                    .tables
                    .get(name)
                    .map_or(*facts, |f| f.union(*facts));
                authority.tables.insert(name.clone(), widened);
            }
            authority
                .enum_labels
                .extend(output.authority.enum_labels.iter().cloned());
        }
    }
    authority
}
