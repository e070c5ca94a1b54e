//! `#[derive(autogen::Enum)]` enums into enum types: name, schema, labels and label renames.

use std::collections::BTreeMap;

use autogen_schema::{Dialect, QualifiedName};
use syn::Fields;

use crate::attrs::{Entry, autogen_entries};
use crate::case::{RENAME_ALL, RenameAll, snake_case};
use crate::collect::Items;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::keys::{self, KeySet};
use crate::naming;

const ENUM_KEYS: &[&str] = &["name", "schema", "rename_all", "comment"];
const VARIANT_KEYS: &[&str] = &["value", "renamed_from"];

pub(crate) struct EnumDef {
    pub name: QualifiedName,
    pub labels: Vec<String>,
    pub comment: Option<String>,
    /// (old label, new label)
    pub renames: Vec<(String, String)>,
}

pub(crate) struct Enums {
    pub defs: Vec<EnumDef>,
    by_rust_name: BTreeMap<String, Vec<usize>>,
}

impl Enums {
    /// Enum types known by their database name only (the writer's, which has no Rust names
    /// to look them up by).
    pub fn from_defs(defs: Vec<EnumDef>) -> Enums {
        Enums {
            defs,
            by_rust_name: BTreeMap::new(),
        }
    }

    /// The enums whose Rust name is `name` (more than one is ambiguous).
    pub fn named(&self, name: &str) -> Vec<&EnumDef> {
        self.by_rust_name
            .get(name)
            .map(|ids| ids.iter().filter_map(|i| self.defs.get(*i)).collect())
            .unwrap_or_default()
    }

    pub fn by_type(&self, name: &QualifiedName) -> Option<&EnumDef> {
        self.defs.iter().find(|d| &d.name == name)
    }
}

pub(crate) fn read_enums(items: &Items<'_>, dialect: Dialect, sink: &mut Sink) -> Enums {
    let mut enums = Enums {
        defs: Vec::new(),
        by_rust_name: BTreeMap::new(),
    };
    let mut seen: BTreeMap<QualifiedName, Loc> = BTreeMap::new();
    for found in &items.enums {
        let item = found.item;
        let file = found.file;
        let loc = Loc::new(file, item.ident.span());
        let rust_name = item.ident.to_string();
        let mut set = KeySet::new("an enum", ENUM_KEYS);
        let mut name = snake_case(&rust_name);
        let mut name_loc = loc;
        let mut schema = dialect.default_schema().to_owned();
        let mut rename_all = None;
        let mut comment = None;
        for entry in autogen_entries(&item.attrs, file, sink) {
            let Entry::Arg(arg) = &entry else {
                keys::not_a_key(&entry, &set, sink);
                continue;
            };
            if !set.accept(arg, sink) {
                continue;
            }
            match arg.key.as_str() {
                "name" => {
                    if let Some((n, loc)) = keys::name(arg, sink) {
                        name = n;
                        name_loc = loc;
                    }
                }
                "schema" => {
                    if let Some((s, _)) = keys::name(arg, sink)
                        .filter(|(_, loc)| naming::schema_allowed(dialect, *loc, sink))
                    {
                        schema = s;
                    }
                }
                "rename_all" => {
                    if let Some((text, loc)) = keys::string(arg, sink) {
                        match RenameAll::parse(&text) {
                            Some(r) => rename_all = Some(r),
                            None => sink.error(
                                loc,
                                DiagnosticKind::UnknownRenameAll,
                                format!(
                                    "unknown `rename_all` value `{text}`; expected one of: {}",
                                    RENAME_ALL.join(", ")
                                ),
                            ),
                        }
                    }
                }
                _ => comment = keys::string(arg, sink).map(|(c, _)| c),
            }
        }
        naming::check_length(&name, name_loc, dialect, sink);
        let (labels, renames) = read_variants(item, file, rename_all, sink);
        let qualified = QualifiedName::new(schema, name);
        if let Some(first) = seen.get(&qualified) {
            let first = sink.describe(*first);
            sink.error(
                loc,
                DiagnosticKind::DuplicateName,
                format!("enum type `{qualified}` is defined twice (first at {first})"),
            );
            continue;
        }
        seen.insert(qualified.clone(), loc);
        enums
            .by_rust_name
            .entry(rust_name)
            .or_default()
            .push(enums.defs.len());
        enums.defs.push(EnumDef {
            name: qualified,
            labels,
            comment,
            renames,
        });
    }
    enums
}

type Labels = (Vec<String>, Vec<(String, String)>);

fn read_variants(
    item: &syn::ItemEnum,
    file: usize,
    rename_all: Option<RenameAll>,
    sink: &mut Sink,
) -> Labels {
    let mut labels: Vec<String> = Vec::new();
    let mut olds: Vec<(String, Loc)> = Vec::new();
    let mut renames = Vec::new();
    for variant in &item.variants {
        let loc = Loc::new(file, variant.ident.span());
        if !matches!(variant.fields, Fields::Unit) {
            sink.error(
                loc,
                DiagnosticKind::UnsupportedItem,
                format!(
                    "variant `{}` carries data; a database enum's variants are plain names",
                    variant.ident
                ),
            );
        }
        let ident = variant.ident.to_string();
        let mut label = match rename_all {
            Some(r) => r.apply(&ident),
            None => ident.strip_prefix("r#").unwrap_or(&ident).to_owned(),
        };
        let mut renamed_from = None;
        let mut set = KeySet::new("an enum variant", VARIANT_KEYS);
        for entry in autogen_entries(&variant.attrs, file, sink) {
            let Entry::Arg(arg) = &entry else {
                keys::not_a_key(&entry, &set, sink);
                continue;
            };
            if !set.accept(arg, sink) {
                continue;
            }
            if let Some(text) = keys::name(arg, sink) {
                if arg.key == "value" {
                    label = text.0;
                } else {
                    renamed_from = Some(text);
                }
            }
        }
        if labels.contains(&label) {
            sink.error(
                loc,
                DiagnosticKind::DuplicateName,
                format!("label `{label}` appears twice in enum `{}`", item.ident),
            );
            continue;
        }
        if let Some((old, old_loc)) = renamed_from.filter(|(old, _)| *old != label) {
            renames.push((old.clone(), label.clone()));
            olds.push((old, old_loc));
        }
        labels.push(label);
    }
    for (old, loc) in olds {
        if labels.contains(&old) {
            sink.error(
                loc,
                DiagnosticKind::RenameConflict,
                format!(
                    "`renamed_from = \"{old}\"`, but enum `{}` still has a label `{old}`",
                    item.ident
                ),
            );
        }
    }
    renames.retain(|(old, _)| !labels.contains(old));
    (labels, renames)
}
