//! A table's keys, unique constraints, indexes, checks and foreign keys, named as PostgreSQL
//! names them when the models do not.

use std::collections::BTreeMap;

use autogen_schema::ddl::strip_outer_parens;
use autogen_schema::{
    CheckConstraint, Dialect, ForeignKey, Index, IndexKey, IndexTarget, PrimaryKey, QualifiedName,
    UniqueConstraint,
};

use super::TableBuild;
use crate::ExprKind;
use crate::columns::ColumnDef;
use crate::diagnostics::{DiagnosticKind, Loc};
use crate::expr::{figure_name, referenced_columns};
use crate::foreign_keys::ForeignKeyDef;
use crate::indexes::{IndexDef, KeyTarget};
use crate::naming::{index_column_names, name_addition};
use crate::tables::TableDef;

/// What a foreign key may point at: every model table's columns, and which of them are a
/// primary key or unique on their own (PostgreSQL refuses a reference to anything else).
/// Owned, not borrowed from the definitions: each definition is dropped once its table is
/// built, so that all of them and the whole schema are never alive at once.
pub(super) struct Targets {
    tables: BTreeMap<QualifiedName, Target>,
}

struct Target {
    columns: Vec<String>,
    unique: Vec<String>,
    /// Every key of the table: the primary key's columns and each unique's, sorted.
    keys: Vec<Vec<String>>,
}

impl Targets {
    pub fn new(tables: &[TableDef]) -> Targets {
        let tables = tables
            .iter()
            .map(|t| {
                let target = Target {
                    columns: t.columns.iter().map(|c| c.column.name.clone()).collect(),
                    unique: unique_columns(t),
                    keys: key_columns(t),
                };
                (t.name.clone(), target)
            })
            .collect();
        Targets { tables }
    }

    pub fn has_table(&self, name: &QualifiedName) -> bool {
        self.tables.contains_key(name)
    }

    /// The table a reference names; on SQLite, whose names are case-insensitive, also in
    /// another case (`REFERENCES Users` is table `users`). The reference keeps its spelling.
    fn find(&self, name: &QualifiedName, dialect: Dialect) -> Option<&Target> {
        self.tables.get(name).or_else(|| {
            (dialect == Dialect::Sqlite)
                .then(|| {
                    self.tables
                        .iter()
                        .find(|(n, _)| {
                            n.schema == name.schema && n.name.eq_ignore_ascii_case(&name.name)
                        })
                        .map(|(_, t)| t)
                })
                .flatten()
        })
    }
}

/// The columns that are unique on their own: a one-column primary key, `unique` fields, and
/// one-column `unique(..)` without a predicate.
fn unique_columns(t: &TableDef) -> Vec<String> {
    let column_of = |name: &str| {
        t.columns
            .iter()
            .find(|c| c.column.name == name || c.field == name)
            .map(|c| c.column.name.clone())
    };
    let mut out = Vec::new();
    let key: Vec<String> = match &t.primary_key {
        Some((names, _)) => names.iter().filter_map(|(n, _)| column_of(n)).collect(),
        None => t
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.column.name.clone())
            .collect(),
    };
    if let [one] = key.as_slice() {
        out.push(one.clone());
    }
    out.extend(
        t.columns
            .iter()
            .filter(|c| c.unique)
            .map(|c| c.column.name.clone()),
    );
    for index in t
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
    {
        if let [key] = index.keys.as_slice()
            && let KeyTarget::Column { name, .. } = &key.target
        {
            out.extend(column_of(name));
        }
    }
    out
}

/// Each set of columns a unique index covers (primary key, `unique` fields, `unique(..)` of
/// columns without a predicate), sorted: what a foreign key of several columns may reference.
fn key_columns(t: &TableDef) -> Vec<Vec<String>> {
    let column_of = |name: &str| {
        t.columns
            .iter()
            .find(|c| c.column.name == name || c.field == name)
            .map(|c| c.column.name.clone())
    };
    let mut out: Vec<Vec<String>> = unique_columns(t).into_iter().map(|c| vec![c]).collect();
    if let Some((names, _)) = &t.primary_key {
        out.push(names.iter().filter_map(|(n, _)| column_of(n)).collect());
    }
    for index in t
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
    {
        let columns: Option<Vec<String>> = index
            .keys
            .iter()
            .map(|k| match &k.target {
                KeyTarget::Column { name, .. } => column_of(name),
                KeyTarget::Expression(_) => None,
            })
            .collect();
        out.extend(columns);
    }
    for key in &mut out {
        key.sort();
    }
    out
}

impl TableBuild<'_> {
    pub(super) fn primary_key(&mut self) {
        let fields: Vec<&ColumnDef> = self.def.columns.iter().filter(|c| c.primary_key).collect();
        let columns = match &self.def.primary_key {
            Some((names, loc)) => {
                if let Some(field) = fields.first() {
                    let first = self.sink.describe(*loc);
                    self.sink.error(
                        field.loc,
                        DiagnosticKind::ConflictingKeys,
                        format!(
                            "the primary key is given twice: by `primary_key(..)` on the struct (at {first}) and on this field"
                        ),
                    );
                }
                let mut out = Vec::new();
                for (name, loc) in names {
                    if let Some(column) = self.resolve(name, *loc) {
                        out.push(column);
                    }
                }
                out
            }
            None => fields.iter().map(|c| c.column.name.clone()).collect(),
        };
        if let (Some(loc), false) = (self.def.no_primary_key, columns.is_empty()) {
            self.sink.error(
                loc,
                DiagnosticKind::ConflictingKeys,
                format!(
                    "`primary_key = false` says table `{}` has no primary key, but a field is marked `primary_key`",
                    self.def.name
                ),
            );
            return;
        }
        if columns.is_empty() {
            if !self.def.primary_key_given {
                self.sink.error(
                    self.def.loc,
                    DiagnosticKind::MissingPrimaryKey,
                    format!(
                        "table `{}` has no primary key; mark a field `#[autogen(primary_key)]`, give `#[autogen(primary_key(a, b))]` on the struct, or `#[autogen(primary_key = false)]` for a table without one",
                        self.def.name
                    ),
                );
            }
            return;
        }
        let name = match &self.def.primary_key_name {
            Some((name, _)) => name.clone(),
            None => self
                .names
                .choose_relation(&self.def.name.name, None, "pkey", true),
        };
        self.table.primary_key = Some(PrimaryKey { name, columns });
    }

    pub(super) fn uniques_and_indexes(&mut self) {
        let table = self.def.name.name.clone();
        for c in &self.def.columns {
            if c.unique {
                let columns = vec![c.column.name.clone()];
                let name =
                    self.names
                        .choose_relation(&table, Some(&name_addition(&columns)), "key", true);
                self.add_unique(name, columns);
            }
        }
        for c in &self.def.columns {
            if c.index {
                let columns = vec![c.column.name.clone()];
                let name = self.names.choose_relation(
                    &table,
                    Some(&name_addition(&columns)),
                    "idx",
                    false,
                );
                self.table.indexes.insert(
                    name.clone(),
                    Index {
                        invalid: false,
                        name,
                        unique: false,
                        keys: vec![IndexKey::column(&c.column.name)],
                        method: "btree".to_owned(),
                        predicate: None,
                        include: Vec::new(),
                        nulls_not_distinct: false,
                    },
                );
            }
        }
        for def in &self.def.indexes {
            self.table_index(def);
        }
    }

    fn add_unique(&mut self, name: String, columns: Vec<String>) {
        self.table.uniques.insert(
            name.clone(),
            UniqueConstraint {
                name,
                columns,
                nulls_not_distinct: false,
                deferrable: Default::default(),
            },
        );
    }

    fn table_index(&mut self, def: &IndexDef) {
        let mut keys = Vec::new();
        let mut column_names = Vec::new();
        for key in &def.keys {
            let target = match &key.target {
                KeyTarget::Column { name, loc } => {
                    let Some(column) = self.resolve(name, *loc) else {
                        return;
                    };
                    column_names.push(column.clone());
                    IndexTarget::Column(column)
                }
                KeyTarget::Expression(expr) => {
                    column_names.push(figure_name(expr));
                    IndexTarget::Expression(expr.trim().to_owned())
                }
            };
            keys.push(IndexKey {
                target,
                descending: key.descending,
                nulls_first: key.nulls_first,
                opclass: key.opclass.clone(),
                collation: key.collation.clone(),
                length: key.length,
            });
        }
        let mut include = Vec::new();
        for (name, loc) in &def.include {
            let Some(column) = self.resolve(name, *loc) else {
                return;
            };
            include.push(column);
        }
        let addition = name_addition(&index_column_names(&column_names));
        let table = self.table_name().to_owned();
        if def.is_constraint() {
            let name = match &def.name {
                Some((name, _)) => name.clone(),
                None => self
                    .names
                    .choose_relation(&table, Some(&addition), "key", true),
            };
            self.table.uniques.insert(
                name.clone(),
                UniqueConstraint {
                    name,
                    columns: column_names,
                    nulls_not_distinct: def.nulls_not_distinct,
                    deferrable: def.deferrable,
                },
            );
            return;
        }
        let name = match &def.name {
            Some((name, _)) => name.clone(),
            None => self
                .names
                .choose_relation(&table, Some(&addition), "idx", false),
        };
        if let Some(loc) = def.expr_loc {
            self.site(ExprKind::IndexExpression, &name, loc);
        }
        if let Some(loc) = def.predicate_loc {
            self.site(ExprKind::IndexPredicate, &name, loc);
        }
        self.table.indexes.insert(
            name.clone(),
            Index {
                invalid: false,
                name,
                unique: def.unique,
                keys,
                method: def.method.clone().unwrap_or_else(|| "btree".to_owned()),
                predicate: def.predicate.as_deref().map(wrap),
                include,
                nulls_not_distinct: def.nulls_not_distinct,
            },
        );
    }

    /// Field checks, then struct checks. An unnamed check is `<table>_<column>_check` when it
    /// mentions one column and `<table>_check` otherwise, as PostgreSQL decides.
    pub(super) fn checks(&mut self) {
        let columns: Vec<String> = self
            .def
            .columns
            .iter()
            .map(|c| c.column.name.clone())
            .collect();
        let table = self.table_name().to_owned();
        let field_checks = self.def.columns.iter().filter_map(|c| {
            c.check
                .as_deref()
                .map(|(expr, loc)| (None, expr, *loc, [false; 2]))
        });
        let struct_checks = self.def.checks.iter().map(|c| {
            (
                c.name.as_ref().map(|(n, _)| n),
                &c.expr,
                c.expr_loc,
                [c.no_inherit, c.not_valid],
            )
        });
        let all: Vec<(Option<&String>, &String, Loc, [bool; 2])> =
            field_checks.chain(struct_checks).collect();
        for (name, expr, loc, [no_inherit, not_valid]) in all {
            let name = match name {
                Some(name) => name.clone(),
                None => {
                    let mentioned = referenced_columns(expr, &columns);
                    let column = match mentioned.as_slice() {
                        [one] => Some(one.as_str()),
                        _ => None,
                    };
                    self.names.choose_constraint(&table, column, "check")
                }
            };
            self.site(ExprKind::Check, &name, loc);
            self.table.checks.insert(
                name.clone(),
                CheckConstraint {
                    not_valid,
                    name,
                    expression: wrap(expr),
                    no_inherit,
                },
            );
        }
    }

    pub(super) fn foreign_keys(&mut self, targets: &Targets) {
        let table = self.table_name().to_owned();
        for c in &self.def.columns {
            let Some(reference) = &c.reference else {
                continue;
            };
            let target = QualifiedName::new(
                reference
                    .schema
                    .clone()
                    .unwrap_or_else(|| self.def.name.schema.clone()),
                reference.table.clone(),
            );
            let here = format!("{}.{}", self.def.name.name, c.column.name);
            let problem = match targets.find(&target, self.dialect) {
                None => Some(format!("no model defines table `{target}`")),
                Some(t) if !t.columns.contains(&reference.column) => Some(format!(
                    "table `{target}` has no column `{}`",
                    reference.column
                )),
                Some(t) if !t.unique.contains(&reference.column) => Some(format!(
                    "`{}` is neither the primary key of `{target}` nor unique",
                    reference.column
                )),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                self.sink.error(
                    reference.loc,
                    DiagnosticKind::DanglingReference,
                    format!("`{here}` references `{}`, but {problem}", reference.text),
                );
                continue;
            }
            let columns = vec![c.column.name.clone()];
            let name = self
                .names
                .choose_constraint(&table, Some(&name_addition(&columns)), "fkey");
            self.table.foreign_keys.insert(
                name.clone(),
                ForeignKey {
                    not_valid: false,
                    name,
                    columns,
                    referenced_table: target,
                    referenced_columns: vec![reference.column.clone()],
                    on_delete: reference.on_delete,
                    on_update: reference.on_update,
                    deferrable: Default::default(),
                    match_type: Default::default(),
                },
            );
        }
        for def in &self.def.foreign_keys {
            self.struct_foreign_key(def, targets);
        }
    }

    /// A `foreign_key(..)` of the struct: its columns, its target (a key of the referenced
    /// table, as PostgreSQL requires), its name.
    fn struct_foreign_key(&mut self, def: &ForeignKeyDef, targets: &Targets) {
        let mut columns = Vec::new();
        for (name, loc) in &def.columns {
            let Some(column) = self.resolve(name, *loc) else {
                return;
            };
            columns.push(column);
        }
        let target = def.target(&self.def.name.schema);
        let mut wanted = def.target_columns.clone();
        wanted.sort();
        let problem = match targets.find(&target, self.dialect) {
            None => Some(format!("no model defines table `{target}`")),
            Some(t) => match def.target_columns.iter().find(|c| !t.columns.contains(c)) {
                Some(missing) => Some(format!("table `{target}` has no column `{missing}`")),
                None if !t.keys.contains(&wanted) => Some(format!(
                    "({}) is neither the primary key of `{target}` nor unique",
                    def.target_columns.join(", ")
                )),
                None => None,
            },
        };
        if let Some(problem) = problem {
            self.sink.error(
                def.loc,
                DiagnosticKind::DanglingReference,
                format!(
                    "`{}` references `{}`, but {problem}",
                    self.def.name, def.text
                ),
            );
            return;
        }
        let table = self.table_name().to_owned();
        let name = match &def.name {
            Some((name, _)) => name.clone(),
            None => self
                .names
                .choose_constraint(&table, Some(&name_addition(&columns)), "fkey"),
        };
        self.table.foreign_keys.insert(
            name.clone(),
            ForeignKey {
                name,
                columns,
                referenced_table: target,
                referenced_columns: def.target_columns.clone(),
                on_delete: def.on_delete,
                on_update: def.on_update,
                deferrable: def.deferrable,
                match_type: def.match_type,
                not_valid: def.not_valid,
            },
        );
    }
}

/// `(expr)`, as PostgreSQL prints a CHECK or an index predicate.
fn wrap(expr: &str) -> String {
    format!("({})", strip_outer_parens(expr))
}
