//! Table and enum definitions into the schema: the checks that need every model (duplicate
//! tables, references, renames), primary keys and identity, and PostgreSQL's default names.

use std::collections::BTreeMap;

use autogen_schema::ddl::strip_outer_parens;
use autogen_schema::{
    CheckConstraint, Column, ColumnType, Dialect, EnumType, ForeignKey, Identity, IdentityKind,
    Index, IndexKey, IndexTarget, PrimaryKey, QualifiedName, Schema, Sequence, SequenceOptions,
    SequenceOwner, Table, UniqueConstraint,
};

use crate::columns::{ColumnDef, IdentityKey};
use crate::defaults::qualified;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::enums::Enums;
use crate::expr::{figure_name, referenced_columns};
use crate::indexes::{IndexDef, KeyDef};
use crate::naming::{Taken, check_length, index_column_names, name_addition};
use crate::tables::TableDef;
use crate::{Backfill, ColumnRename, EnumValueRename, Renames, TableRename};

pub(crate) struct Built {
    pub schema: Schema,
    pub renames: Renames,
    pub backfills: BTreeMap<(QualifiedName, String), Backfill>,
}

pub(crate) fn build(
    tables: &[TableDef],
    enums: &Enums,
    dialect: Dialect,
    sink: &mut Sink,
) -> Built {
    let mut built = Built {
        schema: Schema::new(dialect),
        renames: Renames::default(),
        backfills: BTreeMap::new(),
    };
    built.schema.namespace_mut(dialect.default_schema());
    // Only PostgreSQL has enum types of their own; elsewhere the column type says it all.
    if dialect == Dialect::Postgres {
        for e in &enums.defs {
            built.schema.namespace_mut(&e.name.schema).enums.insert(
                e.name.name.clone(),
                EnumType {
                    name: e.name.name.clone(),
                    labels: e.labels.clone(),
                    comment: e.comment.clone(),
                },
            );
            for (from, to) in &e.renames {
                built.renames.enum_values.push(EnumValueRename {
                    name: e.name.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
    }
    let tables = distinct_tables(tables, sink);
    let columns: BTreeMap<&QualifiedName, Vec<&str>> = tables
        .iter()
        .map(|t| {
            (
                &t.name,
                t.columns.iter().map(|c| c.column.name.as_str()).collect(),
            )
        })
        .collect();
    let mut taken: BTreeMap<String, Taken> = BTreeMap::new();
    for t in &tables {
        taken
            .entry(t.name.schema.clone())
            .or_default()
            .relation(&t.name.name);
    }
    for t in &tables {
        let names = taken.entry(t.name.schema.clone()).or_default();
        reserve_given_names(t, names, dialect, sink);
    }
    for t in &tables {
        let names = taken.entry(t.name.schema.clone()).or_default();
        let mut cx = TableBuild {
            def: t,
            table: Table::new(t.name.name.clone()),
            names,
            dialect,
            sink: &mut *sink,
        };
        cx.table.comment = t.comment.clone();
        let sequences = cx.columns();
        cx.primary_key();
        cx.uniques_and_indexes();
        cx.checks();
        cx.foreign_keys(&columns);
        let table = cx.table;
        let namespace = built.schema.namespace_mut(&t.name.schema);
        for sequence in sequences {
            namespace.sequences.insert(sequence.name.clone(), sequence);
        }
        namespace.tables.insert(t.name.name.clone(), table);
        renames(t, &columns, &mut built.renames, sink);
        for c in &t.columns {
            if let Some(backfill) = &c.backfill {
                built
                    .backfills
                    .insert((t.name.clone(), c.column.name.clone()), backfill.clone());
            }
        }
    }
    built
}

/// The tables, each name once: a second model for a taken name is an error and left out.
fn distinct_tables<'t>(tables: &'t [TableDef], sink: &mut Sink) -> Vec<&'t TableDef> {
    let mut seen: BTreeMap<&QualifiedName, Loc> = BTreeMap::new();
    let mut out = Vec::new();
    for t in tables {
        if let Some(first) = seen.get(&t.name) {
            let first = sink.describe(*first);
            sink.error(
                t.loc,
                DiagnosticKind::DuplicateTable,
                format!("table `{}` is defined twice (first at {first})", t.name),
            );
            continue;
        }
        seen.insert(&t.name, t.loc);
        out.push(t);
    }
    out
}

/// Names the models give are PostgreSQL's to keep as they are; generated names go around them.
fn reserve_given_names(t: &TableDef, taken: &mut Taken, dialect: Dialect, sink: &mut Sink) {
    let mut constraints: Vec<&str> = Vec::new();
    for index in &t.indexes {
        let Some((name, loc)) = &index.name else {
            continue;
        };
        check_length(name, *loc, dialect, sink);
        let is_constraint = index.is_constraint();
        if taken.has_relation(name) || (is_constraint && constraints.contains(&name.as_str())) {
            sink.error(
                *loc,
                DiagnosticKind::DuplicateName,
                format!("the name `{name}` is taken by another table, index or constraint"),
            );
            continue;
        }
        taken.relation(name);
        if is_constraint {
            taken.constraint(name);
            constraints.push(name);
        }
    }
    for check in &t.checks {
        let Some((name, loc)) = &check.name else {
            continue;
        };
        check_length(name, *loc, dialect, sink);
        // A check's name is unique in its table only.
        if constraints.contains(&name.as_str()) {
            sink.error(
                *loc,
                DiagnosticKind::DuplicateName,
                format!("the name `{name}` is taken by another constraint"),
            );
            continue;
        }
        taken.constraint(name);
        constraints.push(name);
    }
}

fn renames(
    t: &TableDef,
    columns: &BTreeMap<&QualifiedName, Vec<&str>>,
    renames: &mut Renames,
    sink: &mut Sink,
) {
    // A `renamed_from` naming the current name is a rename already done: nothing to say.
    if let Some((old, loc)) = t.renamed_from.as_ref().filter(|(old, _)| *old != t.name) {
        if columns.contains_key(old) {
            sink.error(
                *loc,
                DiagnosticKind::RenameConflict,
                format!(
                    "`renamed_from = \"{}\"`, but a model still defines table `{old}`",
                    old.name
                ),
            );
        } else {
            renames.tables.push(TableRename {
                from: old.clone(),
                to: t.name.clone(),
            });
        }
    }
    for c in &t.columns {
        let Some((old, loc)) = c
            .renamed_from
            .as_ref()
            .filter(|(old, _)| *old != c.column.name)
        else {
            continue;
        };
        if t.columns.iter().any(|other| other.column.name == *old) {
            sink.error(
                *loc,
                DiagnosticKind::RenameConflict,
                format!(
                    "`renamed_from = \"{old}\"`, but table `{}` still has a column `{old}`",
                    t.name
                ),
            );
        } else {
            renames.columns.push(ColumnRename {
                table: t.name.clone(),
                from: old.clone(),
                to: c.column.name.clone(),
            });
        }
    }
}

/// One table being built, with the names taken in its namespace.
struct TableBuild<'a> {
    def: &'a TableDef,
    table: Table,
    names: &'a mut Taken,
    dialect: Dialect,
    sink: &'a mut Sink,
}

impl TableBuild<'_> {
    fn table_name(&self) -> &str {
        &self.def.name.name
    }

    /// A column named in a struct-level list: its column name, or the name of the column of
    /// the field it names.
    fn resolve(&mut self, name: &str, loc: Loc) -> Option<String> {
        let found = self
            .def
            .columns
            .iter()
            .find(|c| c.column.name == name)
            .or_else(|| self.def.columns.iter().find(|c| c.field == name));
        if found.is_none() {
            self.sink.error(
                loc,
                DiagnosticKind::UnknownColumn,
                format!("table `{}` has no column `{name}`", self.def.name),
            );
        }
        found.map(|c| c.column.name.clone())
    }

    fn primary_key_columns(&self) -> Vec<String> {
        match &self.def.primary_key {
            Some((columns, _)) => columns
                .iter()
                .filter_map(|(name, _)| {
                    self.def
                        .columns
                        .iter()
                        .find(|c| c.column.name == *name || c.field == *name)
                        .map(|c| c.column.name.clone())
                })
                .collect(),
            None => self
                .def
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.column.name.clone())
                .collect(),
        }
    }

    /// The columns, with NOT NULL, identity and serial sequences decided.
    fn columns(&mut self) -> Vec<Sequence> {
        let primary_key = self.primary_key_columns();
        let mut sequences = Vec::new();
        let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
        for c in &self.def.columns {
            if let Some(first) = seen.get(c.column.name.as_str()) {
                let first = self.sink.describe(*first);
                self.sink.error(
                    c.loc,
                    DiagnosticKind::DuplicateColumn,
                    format!(
                        "column `{}` is defined twice in table `{}` (first at {first})",
                        c.column.name, self.def.name
                    ),
                );
                continue;
            }
            seen.insert(&c.column.name, c.loc);
            let mut column = c.column.clone();
            if !c.type_known {
                column.ty = ColumnType::Other {
                    name: "unknown".to_owned(),
                };
            }
            if primary_key.contains(&column.name) {
                column.nullable = false;
            }
            let single_key = primary_key.len() == 1 && primary_key.contains(&column.name);
            column.identity = self.identity(c, single_key);
            if column.identity.is_some() {
                column.nullable = false;
            }
            if c.serial {
                if column.default.is_some() {
                    self.sink.error(
                        c.loc,
                        DiagnosticKind::ConflictingKeys,
                        "a serial column has its own default; drop `default`/`default_sql`",
                    );
                }
                let sequence = self.serial_sequence(&column);
                column.default = Some(format!(
                    "nextval('{}'::regclass)",
                    qualified(&QualifiedName::new(
                        self.def.name.schema.clone(),
                        sequence.name.clone()
                    ))
                    .replace('\'', "''")
                ));
                column.nullable = false;
                sequences.push(sequence);
            }
            self.table.columns.push(column);
        }
        sequences
    }

    fn identity(&mut self, c: &ColumnDef, single_key: bool) -> Option<Identity> {
        let ty = &c.column.ty;
        let integer = matches!(
            ty,
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
        );
        let kind = match c.identity {
            IdentityKey::Off => return None,
            IdentityKey::On(kind, loc) => {
                if !c.type_known {
                    return None;
                }
                if !integer {
                    self.sink.error(
                        loc,
                        DiagnosticKind::WrongValue,
                        format!(
                            "`identity` needs an integer column, not `{}`",
                            ty.sql(self.dialect)
                        ),
                    );
                    return None;
                }
                if c.column.default.is_some() && !c.serial {
                    self.sink.error(
                        loc,
                        DiagnosticKind::ConflictingKeys,
                        "an identity column cannot have a default as well",
                    );
                    return None;
                }
                if c.serial {
                    // `sql_type = "serial"` already numbers the rows through its sequence.
                    return None;
                }
                kind
            }
            // A lone integer key numbers itself, unless its values come from elsewhere: a
            // default, a serial sequence or the table it references.
            IdentityKey::Auto => {
                if !(single_key
                    && integer
                    && c.type_known
                    && !c.serial
                    && c.column.default.is_none()
                    && c.reference.is_none())
                {
                    return None;
                }
                match self.dialect {
                    Dialect::Postgres => IdentityKind::ByDefault,
                    Dialect::MySql | Dialect::Sqlite => IdentityKind::AutoIncrement,
                }
            }
        };
        Some(Identity {
            kind,
            // What introspection reads for a bare identity: PostgreSQL's sequence defaults.
            sequence: (self.dialect == Dialect::Postgres)
                .then(|| SequenceOptions::postgres_default(ty.clone())),
        })
    }

    fn serial_sequence(&mut self, column: &Column) -> Sequence {
        let name =
            self.names
                .choose_relation(&self.def.name.name, Some(&column.name), "seq", false);
        Sequence {
            name,
            options: SequenceOptions::postgres_default(column.ty.clone()),
            owned_by: Some(SequenceOwner {
                table: self.def.name.clone(),
                column: column.name.clone(),
            }),
        }
    }

    fn primary_key(&mut self) {
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
        if columns.is_empty() {
            if !self.def.primary_key_given {
                self.sink.error(
                    self.def.loc,
                    DiagnosticKind::MissingPrimaryKey,
                    format!(
                        "table `{}` has no primary key; mark a field `#[autogen(primary_key)]` or give `#[autogen(primary_key(a, b))]` on the struct",
                        self.def.name
                    ),
                );
            }
            return;
        }
        let name = self
            .names
            .choose_relation(&self.def.name.name, None, "pkey", true);
        self.table.primary_key = Some(PrimaryKey { name, columns });
    }

    fn uniques_and_indexes(&mut self) {
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
            match key {
                KeyDef::Column {
                    name,
                    loc,
                    descending,
                    nulls_first,
                } => {
                    let Some(column) = self.resolve(name, *loc) else {
                        return;
                    };
                    column_names.push(column.clone());
                    keys.push(IndexKey {
                        descending: *descending,
                        nulls_first: *nulls_first,
                        ..IndexKey::column(column)
                    });
                }
                KeyDef::Expression(expr) => {
                    column_names.push(figure_name(expr));
                    keys.push(IndexKey {
                        target: IndexTarget::Expression(expr.trim().to_owned()),
                        ..IndexKey::column("")
                    });
                }
            }
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
            self.add_unique(name, column_names);
            return;
        }
        let name = match &def.name {
            Some((name, _)) => name.clone(),
            None => self
                .names
                .choose_relation(&table, Some(&addition), "idx", false),
        };
        self.table.indexes.insert(
            name.clone(),
            Index {
                name,
                unique: def.unique,
                keys,
                method: def.method.clone().unwrap_or_else(|| "btree".to_owned()),
                predicate: def.predicate.as_deref().map(wrap),
                include: Vec::new(),
                nulls_not_distinct: false,
            },
        );
    }

    /// Field checks, then struct checks. An unnamed check is `<table>_<column>_check` when it
    /// mentions one column and `<table>_check` otherwise, as PostgreSQL decides.
    fn checks(&mut self) {
        let columns: Vec<String> = self
            .def
            .columns
            .iter()
            .map(|c| c.column.name.clone())
            .collect();
        let table = self.table_name().to_owned();
        let field_checks = self
            .def
            .columns
            .iter()
            .filter_map(|c| c.check.as_ref().map(|(expr, _)| (None, expr)));
        let struct_checks = self
            .def
            .checks
            .iter()
            .map(|c| (c.name.as_ref().map(|(n, _)| n), &c.expr));
        let all: Vec<(Option<&String>, &String)> = field_checks.chain(struct_checks).collect();
        for (name, expr) in all {
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
            self.table.checks.insert(
                name.clone(),
                CheckConstraint {
                    name,
                    expression: wrap(expr),
                    no_inherit: false,
                },
            );
        }
    }

    fn foreign_keys(&mut self, tables: &BTreeMap<&QualifiedName, Vec<&str>>) {
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
            let Some(target_columns) = tables.get(&target) else {
                self.sink.error(
                    reference.loc,
                    DiagnosticKind::DanglingReference,
                    format!(
                        "`{}.{}` references `{}`, but no model defines table `{target}`",
                        self.def.name.name, c.column.name, reference.text
                    ),
                );
                continue;
            };
            if !target_columns.contains(&reference.column.as_str()) {
                self.sink.error(
                    reference.loc,
                    DiagnosticKind::DanglingReference,
                    format!(
                        "`{}.{}` references `{}`, but table `{target}` has no column `{}`",
                        self.def.name.name, c.column.name, reference.text, reference.column
                    ),
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
    }
}

/// `(expr)`, as PostgreSQL prints a CHECK or an index predicate.
fn wrap(expr: &str) -> String {
    format!("({})", strip_outer_parens(expr))
}
