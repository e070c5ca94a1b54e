//! `#[derive(autogen::Model)]` structs into table definitions: the struct's own keys and its
//! fields. Checks that need every table (names, references, renames) are made in `build`.

use autogen_schema::{Dialect, QualifiedName};
use syn::Fields;

use crate::attrs::{Entry, autogen_entries};
use crate::case::snake_case;
use crate::collect::Items;
use crate::columns::{ColumnDef, FieldContext, read_field};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::enums::Enums;
use crate::imports::Imports;
use crate::indexes::{CheckDef, IndexDef, read_check, read_index};
use crate::keys::{self, KeySet};
use crate::naming;
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
    pub indexes: Vec<IndexDef>,
    pub checks: Vec<CheckDef>,
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
            indexes: Vec::new(),
            checks: Vec::new(),
        };
        let mut set = KeySet::new("a struct", TABLE_KEYS);
        let mut renamed_from = None;
        for entry in autogen_entries(&item.attrs, file, sink) {
            let Entry::Arg(arg) = &entry else {
                keys::not_a_key(&entry, &set, sink);
                continue;
            };
            // index, unique and check may repeat; every other key is given once.
            let repeatable = matches!(arg.key.as_str(), "index" | "unique" | "check");
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
                _ => {
                    table.primary_key_given = true;
                    let form = "primary_key(a, b)";
                    if let Some(columns) = keys::names(arg, form, sink) {
                        table.primary_key = Some((columns, arg.key_loc));
                    }
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
        let no_imports = Imports::default();
        let cx = FieldContext {
            types: TypeContext {
                file,
                text: items.texts.get(file).map_or("", |t| t.as_ref()),
                imports: items.imports.get(file).unwrap_or(&no_imports),
                enums,
            },
            enums,
            dialect,
        };
        for field in &fields.named {
            table.columns.extend(read_field(field, &cx, sink));
        }
        table.primary_key_given |= table.columns.iter().any(|c| c.primary_key_given);
        out.push(table);
    }
    out
}
