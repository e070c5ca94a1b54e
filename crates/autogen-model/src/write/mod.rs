//! The other direction of the reader: a [`Schema`] (what `autogen inspect` reads from a live
//! database) into native model files, `#[derive(autogen::Model)]` structs and
//! `#[derive(autogen::Enum)]` enums that the reader reads back as the same schema.
//!
//! Pure: it returns the files' paths and texts; the CLI writes them. One file per table (a
//! table is what a reviewer looks for, and a file per table keeps a diff of the models to the
//! tables it touches), enums together in `enums.rs`, the tables of a schema other than the
//! default one in a folder of that schema's name, and a `mod.rs` per folder listing the
//! modules. The keys written are the reader's (`crate::keys`, `crate::columns`,
//! `crate::tables`), checked against it: types through the reader's type table, literal
//! defaults through its literal rule. What the keys cannot say is listed ([`Unsaid`]) and
//! named in a comment above the struct.

mod defaults;
mod enums;
mod names;
pub(crate) mod seaorm;
mod table;
mod text;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::{ColumnType, Dialect, QualifiedName, Schema};

use crate::enums::{EnumDef, Enums};
use table::{TableContext, write_table};

/// One file the writer produces, its path relative to the models folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    pub path: String,
    pub text: String,
}

/// The files, and what the models could not say about the schema, one line each
/// (`public.orders: foreign key `orders_fk`: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenModels {
    pub files: Vec<ModelFile>,
    pub unsaid: Vec<String>,
}

const HEADER: &str =
    "// Written by `autogen inspect --format rust` from the database's schema; edit freely.\n";

/// The model files of `schema`. Deterministic: the same schema gives the same bytes.
pub fn write_models(schema: &Schema) -> WrittenModels {
    let dialect = schema.dialect;
    let mut unsaid = Vec::new();
    let mut type_names = BTreeSet::new();

    // Enum types first: their Rust names are taken before the tables'.
    let mut enum_items: Vec<String> = Vec::new();
    let mut enum_names: BTreeMap<QualifiedName, String> = BTreeMap::new();
    for (name, e) in schema.enums() {
        let rust = names::type_name(&name.name, "Type", &mut type_names);
        enum_items.push(enums::write_enum(&rust, &name, e, dialect));
        enum_names.insert(name, rust);
    }
    let model_enums = Enums::from_defs(
        schema
            .enums()
            .map(|(name, e)| EnumDef {
                name,
                labels: e.labels.clone(),
                comment: None,
                renames: Vec::new(),
            })
            .collect(),
    );

    // Folders: the default schema at the top, each other schema in a folder of its own.
    let mut root_modules = BTreeSet::new();
    let mut folders: BTreeMap<String, String> = BTreeMap::new();
    for schema_name in schema.schemas.keys() {
        if schema_name != dialect.default_schema() && !schema.schemas[schema_name].tables.is_empty()
        {
            folders.insert(
                schema_name.clone(),
                names::module(schema_name, &mut root_modules),
            );
        }
    }
    let mut files = Vec::new();
    let mut said_sequences = BTreeSet::new();
    let mut folder_modules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (schema_name, namespace) in &schema.schemas {
        let folder = folders.get(schema_name);
        let mut taken_modules = if folder.is_some() {
            BTreeSet::new()
        } else {
            root_modules.clone()
        };
        let enums_path = if folder.is_some() {
            "super::super::enums"
        } else {
            "super::enums"
        };
        let enum_paths: BTreeMap<QualifiedName, String> = enum_names
            .iter()
            .map(|(q, rust)| (q.clone(), format!("{enums_path}::{rust}")))
            .collect();
        for (table_name, table) in &namespace.tables {
            let name = QualifiedName::new(schema_name.clone(), table_name.clone());
            let struct_name = names::type_name(table_name, "Row", &mut type_names);
            // MySQL's inline enums become enums of their own, one per column.
            let mut inline_enums = BTreeMap::new();
            if dialect == Dialect::MySql {
                for column in &table.columns {
                    let Some(labels) = mysql_enum_labels(&column.ty) else {
                        continue;
                    };
                    let rust = names::type_name(
                        &format!("{struct_name}_{}", column.name),
                        "Type",
                        &mut type_names,
                    );
                    enum_items.push(enums::write_inline_enum(&rust, &labels));
                    inline_enums.insert(column.name.clone(), format!("{enums_path}::{rust}"));
                }
            }
            let cx = TableContext {
                schema,
                name,
                table,
                dialect,
                enums: &model_enums,
                enum_paths: &enum_paths,
                inline_enums: &inline_enums,
            };
            let written = write_table(&cx, &struct_name);
            unsaid.extend(written.unsaid);
            said_sequences.extend(written.sequences);
            let module = names::module(table_name, &mut taken_modules);
            let path = match folder {
                Some(folder) => format!("{folder}/{module}.rs"),
                None => format!("{module}.rs"),
            };
            files.push(ModelFile {
                path,
                text: format!("{HEADER}\n{}", written.text),
            });
            folder_modules
                .entry(folder.cloned().unwrap_or_default())
                .or_default()
                .push(module);
        }
    }
    for (name, _) in schema.sequences() {
        if !said_sequences.contains(&name) {
            unsaid.push(format!(
                "{name}: the sequence (the models say only the sequences of `serial` columns)"
            ));
        }
    }
    if !enum_items.is_empty() {
        files.push(ModelFile {
            path: "enums.rs".to_owned(),
            text: format!("{HEADER}\n{}", enum_items.join("\n")),
        });
    }
    // The `mod.rs` files, so that the folder is a module tree a crate can include.
    let mut root: Vec<String> = folder_modules.remove("").unwrap_or_default();
    if !enum_items.is_empty() {
        root.push("enums".to_owned());
    }
    for (folder, modules) in &folder_modules {
        root.push(folder.clone());
        files.push(ModelFile {
            path: format!("{folder}/mod.rs"),
            text: mod_text(modules),
        });
    }
    files.push(ModelFile {
        path: "mod.rs".to_owned(),
        text: mod_text(&root),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    WrittenModels { files, unsaid }
}

fn mod_text(modules: &[String]) -> String {
    let mut modules = modules.to_vec();
    modules.sort();
    let lines: String = modules.iter().map(|m| format!("pub mod {m};\n")).collect();
    format!("{HEADER}\n{lines}")
}

/// The labels of a MySQL inline `enum('a','b')`, when the reader's inline enum of those labels
/// is exactly this type.
pub(crate) fn mysql_enum_labels(ty: &ColumnType) -> Option<Vec<String>> {
    let ColumnType::Other { name } = ty else {
        return None;
    };
    let inner = name.strip_prefix("enum(")?.strip_suffix(')')?;
    let mut labels = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut label = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    label.push('\'');
                }
                '\'' => break,
                c => label.push(c),
            }
        }
        labels.push(label);
        match chars.next() {
            None => break,
            Some(',') => {}
            Some(_) => return None,
        }
    }
    (ColumnType::mysql_enum(&labels) == *ty).then_some(labels)
}
