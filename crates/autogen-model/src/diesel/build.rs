//! The tables, custom types and `joinable!` foreign keys as a [`Schema`]. Names the source
//! does not give (primary and foreign keys) follow PostgreSQL's own convention; the differ
//! takes the database's names anyway (the source is not authoritative for them).

use std::collections::BTreeMap;

use autogen_schema::{
    Column, ColumnType, Dialect, EnumType, ForeignKey, PrimaryKey, QualifiedName, Schema, Table,
};
use syn::Lit;
use syn::spanned::Spanned;

use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::diesel::collect::{CustomKind, Found};
use crate::diesel::syntax::{TableDecl, ident_name, name_value};
use crate::diesel::types::column_type;
use crate::naming::{Taken, name_addition};

/// A table as read, with what `joinable!` needs to find it by its Rust name.
struct Read {
    rust_name: String,
    file: usize,
    name: QualifiedName,
    table: Table,
    /// Rust column name -> database column name.
    columns: BTreeMap<String, String>,
}

pub(crate) fn build(found: &Found, dialect: Dialect, sink: &mut Sink) -> Schema {
    let default_schema = dialect.default_schema();
    let mut schema = Schema::new(dialect);
    schema.namespace_mut(default_schema);

    let mut custom = BTreeMap::new();
    for ty in &found.custom_types {
        let column_type = match (&ty.kind, dialect) {
            (
                CustomKind::Postgres {
                    name,
                    schema: in_schema,
                },
                Dialect::Postgres,
            ) => {
                let name = QualifiedName::new(in_schema.as_deref().unwrap_or(default_schema), name);
                // The labels are not in schema.rs: the differ keeps the database's (an overlay
                // can state them).
                schema.namespace_mut(&name.schema).enums.insert(
                    name.name.clone(),
                    EnumType {
                        name: name.name.clone(),
                        labels: Vec::new(),
                        comment: None,
                    },
                );
                ColumnType::Enum { name }
            }
            // The labels are not in schema.rs: the type is only "an enum", which the differ
            // matches with any `enum(..)` of the database (`TypeFidelity::Coarse`).
            (CustomKind::MysqlEnum, Dialect::MySql) => ColumnType::mysql_enum_unstated(),
            (CustomKind::Postgres { .. }, Dialect::MySql | Dialect::Sqlite)
            | (CustomKind::MysqlEnum, Dialect::Postgres | Dialect::Sqlite) => {
                sink.error(
                    ty.loc,
                    DiagnosticKind::UnknownType,
                    format!(
                        "`{}` is a type of another database than this one ({})",
                        ty.rust_name,
                        dialect.name()
                    ),
                );
                continue;
            }
        };
        custom.insert(ty.rust_name.clone(), column_type);
    }

    let mut read: Vec<Read> = Vec::new();
    for (file, decl) in &found.tables {
        if let Some(table) = read_table(*file, decl, &custom, dialect, sink) {
            if read.iter().any(|r| r.name == table.name) {
                sink.error(
                    Loc::new(*file, decl.name.span()),
                    DiagnosticKind::DuplicateTable,
                    format!("table `{}` is declared twice", table.name),
                );
                continue;
            }
            read.push(table);
        }
    }

    let mut taken: BTreeMap<String, Taken> = BTreeMap::new();
    for table in &mut read {
        let taken = taken.entry(table.name.schema.clone()).or_default();
        taken.relation(&table.name.name);
        if let Some(pk) = table.table.primary_key.as_mut() {
            pk.name = taken.choose_relation(&table.name.name, None, "pkey", true);
        }
    }
    for (file, joinable) in &found.joinables {
        let loc = Loc::new(*file, joinable.child.span());
        let find = |ident: &syn::Ident| {
            let rust = ident_name(ident);
            // The same Rust name in several files (one module per schema): the one in this
            // file wins.
            read.iter()
                .position(|r| r.rust_name == rust && r.file == *file)
                .or_else(|| read.iter().position(|r| r.rust_name == rust))
        };
        let (Some(child), Some(parent)) = (find(&joinable.child), find(&joinable.parent)) else {
            sink.error(
                loc,
                DiagnosticKind::DanglingReference,
                format!(
                    "`joinable!({} -> {} ..)` names a table that no `table!` declares",
                    joinable.child, joinable.parent
                ),
            );
            continue;
        };
        let rust_column = ident_name(&joinable.column);
        let Some(column) = read[child].columns.get(&rust_column).cloned() else {
            sink.error(
                Loc::new(*file, joinable.column.span()),
                DiagnosticKind::UnknownColumn,
                format!("table `{}` has no column `{rust_column}`", read[child].name),
            );
            continue;
        };
        let Some(parent_key) = read[parent].table.primary_key.clone() else {
            continue;
        };
        let child_name = read[child].name.clone();
        let name = taken
            .entry(child_name.schema.clone())
            .or_default()
            .choose_constraint(
                &child_name.name,
                Some(&name_addition(std::slice::from_ref(&column))),
                "fkey",
            );
        let fk = ForeignKey {
            not_valid: false,
            name: name.clone(),
            columns: vec![column],
            referenced_table: read[parent].name.clone(),
            referenced_columns: parent_key.columns,
            on_delete: Default::default(),
            on_update: Default::default(),
            deferrable: Default::default(),
            match_type: Default::default(),
        };
        read[child].table.foreign_keys.insert(name, fk);
    }

    for table in read {
        schema
            .namespace_mut(&table.name.schema)
            .tables
            .insert(table.name.name.clone(), table.table);
    }
    schema
}

fn read_table(
    file: usize,
    decl: &TableDecl,
    custom: &BTreeMap<String, ColumnType>,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<Read> {
    let rust_name = ident_name(&decl.name);
    let sql_name = string_attr(file, &decl.attrs, "sql_name", sink).unwrap_or(rust_name.clone());
    let schema_name = match &decl.schema {
        Some(schema) if dialect != Dialect::Postgres => {
            sink.error(
                Loc::new(file, schema.span()),
                DiagnosticKind::WrongValue,
                format!("schema `{schema}`: only PostgreSQL has schemas"),
            );
            return None;
        }
        Some(schema) => ident_name(schema),
        None => dialect.default_schema().to_owned(),
    };
    let mut table = Table::new(&sql_name);
    let mut columns = BTreeMap::new();
    let mut custom = custom.clone();
    for (alias, original) in &decl.type_aliases {
        if let Some(name) = custom.get(original).cloned() {
            custom.insert(alias.clone(), name);
        }
    }
    for column in &decl.columns {
        let rust = ident_name(&column.name);
        let name = string_attr(file, &column.attrs, "sql_name", sink).unwrap_or(rust.clone());
        let max_length = match name_value(&column.attrs, "max_length") {
            None => None,
            Some(Ok((Lit::Int(n), _))) => match n.base10_parse::<u32>() {
                Ok(n) => Some(n),
                Err(e) => {
                    sink.syn_error(file, e);
                    None
                }
            },
            Some(Ok((other, _))) => {
                sink.error(
                    Loc::new(file, other.span()),
                    DiagnosticKind::WrongValue,
                    "expected a number after `max_length =`",
                );
                None
            }
            Some(Err(e)) => {
                sink.syn_error(file, e);
                None
            }
        };
        let stated = match column_type(&column.ty, max_length, &custom, dialect) {
            Ok(stated) => stated,
            Err(message) => {
                sink.error(
                    Loc::new(file, column.ty.span()),
                    DiagnosticKind::UnknownType,
                    message,
                );
                continue;
            }
        };
        if columns.values().any(|c: &String| c == &name) {
            sink.error(
                Loc::new(file, column.name.span()),
                DiagnosticKind::DuplicateColumn,
                format!("column `{name}` is declared twice in table `{sql_name}`"),
            );
            continue;
        }
        let mut out = Column::new(&name, stated.ty);
        out.nullable = stated.nullable;
        table.columns.push(out);
        columns.insert(rust, name);
    }
    let key_idents: Vec<(String, Loc)> = match &decl.primary_key {
        Some(keys) => keys
            .iter()
            .map(|k| (ident_name(k), Loc::new(file, k.span())))
            .collect(),
        // Diesel's default when the declaration names no key.
        None => vec![("id".to_owned(), Loc::new(file, decl.name.span()))],
    };
    let mut key = Vec::new();
    for (rust, loc) in key_idents {
        match columns.get(&rust) {
            Some(name) => key.push(name.clone()),
            None => sink.error(
                loc,
                DiagnosticKind::UnknownColumn,
                format!("primary key column `{rust}` is not a column of table `{sql_name}`"),
            ),
        }
    }
    if !key.is_empty() {
        for column in table.columns.iter_mut().filter(|c| key.contains(&c.name)) {
            column.nullable = false;
        }
        table.primary_key = Some(PrimaryKey {
            name: String::new(),
            columns: key,
        });
    }
    Some(Read {
        rust_name,
        file,
        name: QualifiedName::new(schema_name, sql_name),
        table,
        columns,
    })
}

fn string_attr(
    file: usize,
    attrs: &[syn::Attribute],
    key: &str,
    sink: &mut Sink,
) -> Option<String> {
    match name_value(attrs, key)? {
        Ok((Lit::Str(s), _)) => Some(s.value()),
        Ok((other, _)) => {
            sink.error(
                Loc::new(file, other.span()),
                DiagnosticKind::WrongValue,
                format!("expected a string after `{key} =`"),
            );
            None
        }
        Err(e) => {
            sink.syn_error(file, e);
            None
        }
    }
}
