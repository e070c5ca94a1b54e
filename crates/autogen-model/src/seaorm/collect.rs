//! Finds what the SeaORM reader reads, at any module depth: entity models
//! (`DeriveEntityModel`), `Relation` enums (`DeriveRelation`), active enums
//! (`DeriveActiveEnum`), newtypes (`DeriveValueType`) and type aliases, each with the module it
//! lives in, which is how `super::user::Entity` names an entity.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::collections::BTreeMap;

use syn::punctuated::Punctuated;
use syn::{Attribute, Item, ItemEnum, ItemImpl, ItemStruct, ItemType, Path, Token};

use crate::SourceFile;
use crate::collect::Parsed;

pub(crate) struct Found<'a, T> {
    pub file: usize,
    /// The innermost module: the file's stem (`user.rs` is `user`, `user/mod.rs` is `user`)
    /// or an inline `mod user { .. }`.
    pub module: String,
    pub item: &'a T,
}

#[derive(Default)]
pub(crate) struct SeaItems<'a> {
    pub models: Vec<Found<'a, ItemStruct>>,
    pub relations: Vec<Found<'a, ItemEnum>>,
    pub active_enums: Vec<Found<'a, ItemEnum>>,
    pub value_types: Vec<Found<'a, ItemStruct>>,
    /// `type Email = String;` by name; the first definition wins.
    pub aliases: BTreeMap<String, Found<'a, ItemType>>,
    /// The expanded format's pieces: `DeriveEntity` structs, `DeriveColumn` and
    /// `DerivePrimaryKey` enums, and impls of `EntityName`, `ColumnTrait`, `PrimaryKeyTrait`
    /// and `RelationTrait`.
    pub entity_structs: Vec<Found<'a, ItemStruct>>,
    pub column_enums: Vec<Found<'a, ItemEnum>>,
    pub key_enums: Vec<Found<'a, ItemEnum>>,
    pub impls: Vec<Found<'a, ItemImpl>>,
}

pub(crate) fn collect<'a>(files: &[SourceFile], parsed: &'a [Parsed]) -> SeaItems<'a> {
    let mut items = SeaItems::default();
    for p in parsed {
        let module = files
            .get(p.file)
            .map(|f| file_module(&f.path))
            .unwrap_or_default();
        walk(&p.ast.items, p.file, &module, &mut items);
    }
    items
}

/// `src/entities/user.rs` is module `user`; a `mod.rs` or `lib.rs` is its directory's.
pub(crate) fn file_module(path: &str) -> String {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    let stem = |name: &str| name.strip_suffix(".rs").unwrap_or(name).to_owned();
    match parts.as_slice() {
        [.., dir, last] if matches!(*last, "mod.rs" | "lib.rs" | "main.rs") => (*dir).to_owned(),
        [.., last] => stem(last),
        [] => String::new(),
    }
}

fn walk<'a>(list: &'a [Item], file: usize, module: &str, items: &mut SeaItems<'a>) {
    fn found<'t, T>(file: usize, module: &str, item: &'t T) -> Found<'t, T> {
        Found {
            file,
            module: module.to_owned(),
            item,
        }
    }
    for item in list {
        match item {
            Item::Struct(s) if derives(&s.attrs, "DeriveEntityModel") => {
                items.models.push(found(file, module, s));
            }
            Item::Struct(s) if derives(&s.attrs, "DeriveValueType") => {
                items.value_types.push(found(file, module, s));
            }
            Item::Struct(s) if derives(&s.attrs, "DeriveEntity") => {
                items.entity_structs.push(found(file, module, s));
            }
            Item::Enum(e) if derives(&e.attrs, "DeriveRelation") => {
                items.relations.push(found(file, module, e));
            }
            Item::Enum(e) if derives(&e.attrs, "DeriveActiveEnum") => {
                items.active_enums.push(found(file, module, e));
            }
            Item::Enum(e)
                if derives(&e.attrs, "DeriveColumn") || derives(&e.attrs, "DeriveCustomColumn") =>
            {
                items.column_enums.push(found(file, module, e));
            }
            Item::Enum(e) if derives(&e.attrs, "DerivePrimaryKey") => {
                items.key_enums.push(found(file, module, e));
            }
            Item::Impl(i) if i.trait_.is_some() => {
                items.impls.push(found(file, module, i));
            }
            Item::Type(t) => {
                items
                    .aliases
                    .entry(t.ident.to_string())
                    .or_insert_with(|| found(file, module, t));
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    walk(inner, file, &m.ident.to_string(), items);
                }
            }
            _ => {}
        }
    }
}

/// Whether a `#[derive(..)]` among `attrs` names `name` as its last path segment.
pub(crate) fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .map(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                })
                .unwrap_or(false)
        })
}
