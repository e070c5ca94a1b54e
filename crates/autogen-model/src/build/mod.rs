//! Table and enum definitions into the schema: the checks that need every model (duplicate
//! tables, renames, given names), then each table in `columns` (NOT NULL, identity, serial) and
//! `constraints` (keys, indexes, checks, foreign keys, with PostgreSQL's default names).

mod columns;
mod constraints;

use std::collections::BTreeMap;

use autogen_schema::{ColumnType, Dialect, EnumType, QualifiedName, Schema, Table};

use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::enums::Enums;
use crate::naming::{Taken, check_length};
use crate::tables::TableDef;
use crate::{Backfill, ColumnRename, EnumValueRename, ExprSite, Location, Renames, TableRename};

use columns::TableBuild;
use constraints::Targets;

pub(crate) struct Built {
    pub schema: Schema,
    pub renames: Renames,
    pub backfills: Vec<Backfill>,
    pub sites: BTreeMap<ExprSite, Location>,
}

pub(crate) fn build(
    tables: Vec<TableDef>,
    enums: &Enums,
    dialect: Dialect,
    sink: &mut Sink,
) -> Built {
    let mut built = Built {
        schema: Schema::new(dialect),
        renames: Renames::default(),
        backfills: Vec::new(),
        sites: BTreeMap::new(),
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
    if dialect == Dialect::Postgres {
        types_of_tables(&tables, enums, sink);
    }
    let targets = Targets::new(&tables);
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
    // By value: each definition is dropped as soon as its table is built.
    for t in tables {
        let t = &t;
        let names = taken.entry(t.name.schema.clone()).or_default();
        let mut cx = TableBuild {
            def: t,
            table: Table::new(t.name.name.clone()),
            names,
            dialect,
            sink: &mut *sink,
            sites: &mut built.sites,
        };
        cx.table.comment = t.comment.clone();
        cx.table.options = t.options;
        let sequences = cx.columns();
        cx.primary_key();
        cx.uniques_and_indexes();
        cx.checks();
        cx.foreign_keys(&targets);
        let table = cx.table;
        let namespace = built.schema.namespace_mut(&t.name.schema);
        for sequence in sequences {
            namespace.sequences.insert(sequence.name.clone(), sequence);
        }
        namespace.tables.insert(t.name.name.clone(), table);
        renames(t, &targets, &mut built.renames, sink);
        for c in &t.columns {
            for (kind, loc) in &c.sites {
                let site = ExprSite {
                    table: t.name.clone(),
                    kind: *kind,
                    name: c.column.name.clone(),
                };
                built.sites.insert(site, sink.location(*loc));
            }
            if let Some(backfill) = &c.backfill {
                let reads_row = backfill.reads_row(dialect);
                built.backfills.push(Backfill {
                    table: t.name.clone(),
                    column: c.column.name.clone(),
                    sql: backfill.clone().into_sql(),
                    reads_row,
                });
            }
        }
    }
    match dialect {
        Dialect::MySql => inline_enums(&mut built.schema, enums),
        Dialect::Sqlite => text_enums(&mut built.schema),
        Dialect::Postgres => {}
    }
    built
}

/// SQLite has no enum types: a column typed with an enum is `text`, as the database reads it
/// back. Left as a reference to a type the schema does not hold, the differ and the simulator
/// would refuse the plan ("uses missing type").
fn text_enums(schema: &mut Schema) {
    for namespace in schema.schemas.values_mut() {
        for table in namespace.tables.values_mut() {
            for column in &mut table.columns {
                if let ColumnType::Enum { .. } = column.ty {
                    column.ty = ColumnType::Text;
                }
            }
        }
    }
}

/// MySQL has no enum types: a column typed with an enum is an inline `enum('a','b')`, spelled
/// as MySQL prints it back, so that the column compares equal with the database's.
fn inline_enums(schema: &mut Schema, enums: &Enums) {
    for namespace in schema.schemas.values_mut() {
        for table in namespace.tables.values_mut() {
            for column in &mut table.columns {
                if let ColumnType::Enum { name } = &column.ty
                    && let Some(e) = enums.by_type(name)
                {
                    column.ty = ColumnType::mysql_enum(&e.labels);
                }
            }
        }
    }
}

/// The tables, each name once: a second model for a taken name is an error and left out.
fn distinct_tables(tables: Vec<TableDef>, sink: &mut Sink) -> Vec<TableDef> {
    let mut seen: BTreeMap<QualifiedName, Loc> = BTreeMap::new();
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
        seen.insert(t.name.clone(), t.loc);
        out.push(t);
    }
    out
}

/// PostgreSQL gives every table a row type of the table's name, so a table and an enum type
/// of one name cannot both be created.
fn types_of_tables(tables: &[TableDef], enums: &Enums, sink: &mut Sink) {
    for t in tables {
        if enums.by_type(&t.name).is_some() {
            sink.error(
                t.loc,
                DiagnosticKind::DuplicateName,
                format!(
                    "table `{0}` has the name of enum type `{0}`; PostgreSQL gives every table a row type of its own name",
                    t.name
                ),
            );
        }
    }
}

/// Names the models give are PostgreSQL's to keep as they are; generated names go around them.
fn reserve_given_names(t: &TableDef, taken: &mut Taken, dialect: Dialect, sink: &mut Sink) {
    let mut constraints: Vec<&str> = Vec::new();
    if let Some((name, loc)) = &t.primary_key_name {
        check_length(name, *loc, dialect, sink);
        if taken.has_relation(name) {
            sink.error(
                *loc,
                DiagnosticKind::DuplicateName,
                format!("the name `{name}` is taken by another table, index or constraint"),
            );
        } else {
            taken.relation(name);
            taken.constraint(name);
            constraints.push(name);
        }
    }
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
    let given = t
        .checks
        .iter()
        .filter_map(|c| c.name.as_ref())
        .chain(t.foreign_keys.iter().filter_map(|f| f.name.as_ref()));
    for (name, loc) in given {
        check_length(name, *loc, dialect, sink);
        // A check's or foreign key's name is unique in its table only.
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

fn renames(t: &TableDef, targets: &Targets, renames: &mut Renames, sink: &mut Sink) {
    // A `renamed_from` naming the current name is a rename already done: nothing to say.
    if let Some((old, loc)) = t.renamed_from.as_ref().filter(|(old, _)| *old != t.name) {
        if targets.has_table(old) {
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
            .as_deref()
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
