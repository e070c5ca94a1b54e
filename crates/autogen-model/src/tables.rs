//! `#[derive(autogen::Model)]` structs into table definitions: the struct's own keys and its
//! fields. Checks that need every table (names, references, renames) are made in `build`.

use autogen_schema::{Dialect, QualifiedName};
use syn::Fields;

use crate::attrs::{Arg, ArgValue, Entry, autogen_entries};
use crate::case::snake_case;
use crate::collect::Items;
use crate::columns::{ColumnDef, FieldContext, read_field};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::enums::Enums;
use crate::foreign_keys::{ForeignKeyDef, read_foreign_key};
use crate::imports::Imports;
use crate::indexes::{CheckDef, IndexDef, read_check, read_index};
use crate::keys::{self, KeySet};
use crate::naming;
use crate::sqlx;
use crate::types::TypeContext;

const TABLE_KEYS: &[&str] = &[
    "table",
    "schema",
    "renamed_from",
    "comment",
    "index",
    "unique",
    "check",
    "primary_key",
    "foreign_key",
    "strict",
    "without_rowid",
];

pub(crate) struct TableDef {
    pub name: QualifiedName,
    /// The table name's place: the `table = ".."` value, else the struct's name.
    pub loc: Loc,
    pub renamed_from: Option<(QualifiedName, Loc)>,
    pub comment: Option<String>,
    pub columns: Vec<ColumnDef>,
    /// `primary_key(a, b)` on the struct, with the key's place.
    pub primary_key: Option<(Vec<(String, Loc)>, Loc)>,
    /// A primary key was given somewhere, valid or not.
    pub primary_key_given: bool,
    /// `primary_key(.., name = "..")`: the primary key's name, when not `<table>_pkey`.
    pub primary_key_name: Option<(String, Loc)>,
    /// `primary_key = false`: the table has no primary key, on purpose (where it was said).
    pub no_primary_key: Option<Loc>,
    pub indexes: Vec<IndexDef>,
    pub checks: Vec<CheckDef>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// SQLite's `STRICT` and `WITHOUT ROWID`.
    pub options: autogen_schema::TableOptions,
}

pub(crate) fn read_tables(
    items: &Items<'_>,
    enums: &Enums,
    dialect: Dialect,
    sink: &mut Sink,
) -> Vec<TableDef> {
    let mut out = Vec::new();
    for found in &items.models {
        let item = found.item;
        let file = found.file;
        let struct_loc = Loc::new(file, item.ident.span());
        let Fields::Named(fields) = &item.fields else {
            sink.error(
                struct_loc,
                DiagnosticKind::UnsupportedItem,
                format!(
                    "model `{}` needs named fields: each field is a column",
                    item.ident
                ),
            );
            continue;
        };
        let mut table = TableDef {
            name: QualifiedName::new(
                dialect.default_schema(),
                snake_case(&item.ident.to_string()),
            ),
            loc: struct_loc,
            renamed_from: None,
            comment: None,
            columns: Vec::new(),
            primary_key: None,
            primary_key_given: false,
            primary_key_name: None,
            no_primary_key: None,
            indexes: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            options: Default::default(),
        };
        let mut set = KeySet::new("a struct", TABLE_KEYS);
        let mut renamed_from = None;
        for entry in autogen_entries(&item.attrs, file, sink) {
            let Entry::Arg(arg) = &entry else {
                keys::not_a_key(&entry, &set, sink);
                continue;
            };
            // index, unique, check and foreign_key may repeat; every other key is given once.
            let repeatable = matches!(
                arg.key.as_str(),
                "index" | "unique" | "check" | "foreign_key"
            );
            if !repeatable && !set.accept(arg, sink) {
                continue;
            }
            match arg.key.as_str() {
                "table" => {
                    if let Some((name, loc)) = keys::name(arg, sink) {
                        table.name.name = name;
                        table.loc = loc;
                    }
                }
                "schema" => {
                    if let Some((schema, _)) = keys::name(arg, sink)
                        .filter(|(_, loc)| naming::schema_allowed(dialect, *loc, sink))
                    {
                        table.name.schema = schema;
                    }
                }
                "renamed_from" => renamed_from = keys::name(arg, sink),
                "comment" => table.comment = keys::string(arg, sink).map(|(c, _)| c),
                "index" => table.indexes.extend(read_index(arg, false, dialect, sink)),
                "unique" => table.indexes.extend(read_index(arg, true, dialect, sink)),
                "check" => table.checks.extend(read_check(arg, dialect, sink)),
                "foreign_key" => table.foreign_keys.extend(read_foreign_key(arg, sink)),
                // SQLite's options: other databases have none, and a model shared between
                // databases keeps them for SQLite.
                "strict" | "without_rowid" => {
                    let on = keys::flag(arg, sink).unwrap_or(false) && dialect == Dialect::Sqlite;
                    if arg.key == "strict" {
                        table.options.strict = on;
                    } else {
                        table.options.without_rowid = on;
                    }
                }
                _ => {
                    table.primary_key_given = true;
                    read_primary_key(arg, &mut table, sink);
                }
            }
        }
        naming::check_length(&table.name.name, table.loc, dialect, sink);
        table.renamed_from = renamed_from.map(|(text, loc)| {
            let old = match text.split_once('.') {
                Some((schema, name)) => QualifiedName::new(schema, name),
                None => QualifiedName::new(table.name.schema.clone(), text),
            };
            (old, loc)
        });
        let rename_all = sqlx::rename_all(&item.attrs, file, sink);
        let fields = StructFields {
            file,
            fields,
            rename_all,
        };
        read_fields(&fields, items, enums, dialect, 0, &mut table.columns, sink);
        table.primary_key_given |= table.columns.iter().any(|c| c.primary_key_given);
        out.push(table);
    }
    out
}

/// `primary_key(a, b)`, `primary_key(a, name = "pk")` or `primary_key = false` on a struct.
fn read_primary_key(arg: &Arg, table: &mut TableDef, sink: &mut Sink) {
    let form = "primary_key(a, b)";
    if let ArgValue::Value(_) = &arg.value {
        // Only `false` is a value here: a table without a primary key, said on purpose.
        match keys::flag(arg, sink) {
            Some(false) => table.no_primary_key = Some(arg.key_loc),
            Some(true) => sink.error(
                arg.key_loc,
                DiagnosticKind::WrongValue,
                format!("`primary_key` on a struct takes its columns, `{form}`, or `primary_key = false` for a table without one"),
            ),
            None => {}
        }
        return;
    }
    // `name = ".."` among the columns names the key; the rest are its columns.
    let mut columns = arg.clone();
    if let ArgValue::List(entries, _) = &mut columns.value {
        entries.retain(|entry| match entry {
            // A bare `name` is a column of that name; `name = ".."` names the key.
            Entry::Arg(inner) if inner.key == "name" && !matches!(inner.value, ArgValue::Flag) => {
                table.primary_key_name = keys::name(inner, sink);
                false
            }
            Entry::Arg(_) | Entry::Str(..) | Entry::Other(_) => true,
        });
    }
    if let Some(columns) = keys::names(&columns, form, sink) {
        table.primary_key = Some((columns, arg.key_loc));
    }
}

/// The fields of one struct, in its file, with its `#[sqlx(rename_all)]`.
struct StructFields<'a> {
    file: usize,
    fields: &'a syn::FieldsNamed,
    rename_all: Option<sqlx::RenameAll>,
}

/// How deep `#[sqlx(flatten)]` may nest: a struct that flattens itself stops here.
const FLATTEN_DEPTH: usize = 8;

/// Each field's column; a `#[sqlx(flatten)]` field gives the columns of the struct it names
/// (read with that struct's own attributes, as sqlx's `FromRow` of that struct reads them).
fn read_fields(
    s: &StructFields<'_>,
    items: &Items<'_>,
    enums: &Enums,
    dialect: Dialect,
    depth: usize,
    out: &mut Vec<ColumnDef>,
    sink: &mut Sink,
) {
    let no_imports = Imports::default();
    let cx = FieldContext {
        types: TypeContext {
            file: s.file,
            text: items.texts.get(s.file).map_or("", |t| t.as_ref()),
            imports: items.imports.get(s.file).unwrap_or(&no_imports),
            enums,
        },
        enums,
        dialect,
        rename_all: s.rename_all,
    };
    for field in &s.fields.named {
        let attrs = sqlx::field(&field.attrs, s.file, sink);
        let Some(at) = attrs.flatten else {
            out.extend(read_field(field, &attrs, &cx, sink));
            continue;
        };
        if attrs.skip {
            continue;
        }
        let ty = attrs.try_from.as_ref().map_or(&field.ty, |(ty, _, _)| ty);
        match flattened(ty, items, depth) {
            Ok(found) => {
                let syn::Fields::Named(fields) = &found.item.fields else {
                    continue;
                };
                let inner = StructFields {
                    file: found.file,
                    fields,
                    rename_all: sqlx::rename_all(&found.item.attrs, found.file, sink),
                };
                read_fields(&inner, items, enums, dialect, depth + 1, out, sink);
            }
            Err(problem) => sink.error(
                at,
                DiagnosticKind::UnsupportedItem,
                format!(
                    "`#[sqlx(flatten)]` on `{}`: {problem}",
                    field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            ),
        }
    }
}

/// The struct with named fields that `ty` names (by its last path segment), or why not.
fn flattened<'a>(
    ty: &syn::Type,
    items: &'a Items<'a>,
    depth: usize,
) -> Result<&'a crate::collect::Found<'a, syn::ItemStruct>, String> {
    let syn::Type::Path(path) = ty else {
        return Err("expected the name of a struct".to_owned());
    };
    let Some(name) = path.path.segments.last().map(|s| s.ident.to_string()) else {
        return Err("expected the name of a struct".to_owned());
    };
    if depth >= FLATTEN_DEPTH {
        return Err(format!(
            "flattening nests more than {FLATTEN_DEPTH} deep at `{name}` (a struct that flattens itself?)"
        ));
    }
    let mut found = items.structs.iter().filter(|s| s.item.ident == name);
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (Some(_), Some(_)) => Err(format!(
            "two structs named `{name}` in the model files; cannot tell which one sqlx flattens"
        )),
        (None, _) => Err(format!(
            "no struct `{name}` with named fields in the model files, so its columns are unknown; add the file that defines it to the models path"
        )),
    }
}
