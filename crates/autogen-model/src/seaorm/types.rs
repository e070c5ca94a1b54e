//! The types the entity files define for columns: active enums (`DeriveActiveEnum`, with
//! `db_type`, `enum_name`, `string_value`/`num_value`), newtypes (`DeriveValueType`) and type
//! aliases, looked up by name from any file; and a field's column type through them.

use std::collections::BTreeMap;

use syn::spanned::Spanned;
use syn::{Fields, Type};

use super::attrs::sea_args;
use super::collect::SeaItems;
use super::coltype::{RustShape, SeaType, parse_column_type, rust_shape, strip_option};
use crate::case::{RENAME_ALL, RenameAll};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};

const ENUM_KEYS: &[&str] = &["rs_type", "db_type", "enum_name", "rename_all"];
const VARIANT_KEYS: &[&str] = &["string_value", "num_value", "display_value", "rename"];
const VALUE_TYPE_KEYS: &[&str] = &[
    "column_type",
    "array_type",
    "value_type",
    "from_str",
    "to_str",
    "try_from_u64",
    "try_getable_array",
];

/// What a named type of the entity files stands for.
pub(crate) enum Named<'a> {
    Column(SeaType),
    /// An alias or a newtype: read the type it wraps.
    Alias(&'a Type),
}

pub(crate) struct Types<'a> {
    by_name: BTreeMap<String, Named<'a>>,
    /// PostgreSQL enum types to create, by name, with their labels, in first-seen order.
    pub enums: Vec<(String, Vec<String>)>,
}

pub(crate) fn read_types<'a>(items: &SeaItems<'a>, sink: &mut Sink) -> Types<'a> {
    let mut types = Types {
        by_name: BTreeMap::new(),
        enums: Vec::new(),
    };
    for found in &items.active_enums {
        if let Some(ty) = active_enum(found.item, found.file, sink) {
            if let SeaType::Enum { name, labels } = &ty
                && !types.enums.iter().any(|(n, _)| n == name)
            {
                types.enums.push((name.clone(), labels.clone()));
            }
            types
                .by_name
                .insert(found.item.ident.to_string(), Named::Column(ty));
        }
    }
    for found in &items.value_types {
        let item = found.item;
        let args = sea_args(
            &item.attrs,
            found.file,
            "a value type",
            VALUE_TYPE_KEYS,
            sink,
        );
        if let Some((text, loc)) = args.string("column_type", sink) {
            match parse_column_type(&text) {
                Some(ty) => {
                    types
                        .by_name
                        .insert(item.ident.to_string(), Named::Column(ty));
                }
                None => unknown_column_type(&text, loc, sink),
            }
            continue;
        }
        let inner = match &item.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed.first().map(|f| &f.ty),
            Fields::Named(f) if f.named.len() == 1 => f.named.first().map(|f| &f.ty),
            Fields::Named(_) | Fields::Unnamed(_) | Fields::Unit => None,
        };
        match inner {
            Some(ty) => {
                types
                    .by_name
                    .insert(item.ident.to_string(), Named::Alias(ty));
            }
            None => sink.error(
                Loc::new(found.file, item.ident.span()),
                DiagnosticKind::UnsupportedItem,
                format!(
                    "`{}` derives `DeriveValueType` but does not wrap exactly one value",
                    item.ident
                ),
            ),
        }
    }
    for (name, found) in &items.aliases {
        types
            .by_name
            .entry(name.clone())
            .or_insert(Named::Alias(&found.item.ty));
    }
    types
}

pub(crate) fn unknown_column_type(text: &str, loc: Loc, sink: &mut Sink) {
    sink.error(
        loc,
        DiagnosticKind::MalformedSqlType,
        format!(
            "cannot read `column_type = \"{text}\"`; expected one of sea-query's column types, as in \"String(StringLen::N(100))\", \"Text\", \"Decimal(Some((10, 2)))\""
        ),
    );
}

fn active_enum(item: &syn::ItemEnum, file: usize, sink: &mut Sink) -> Option<SeaType> {
    let loc = Loc::new(file, item.ident.span());
    let args = sea_args(&item.attrs, file, "an active enum", ENUM_KEYS, sink);
    let rename_all = args.string("rename_all", sink).and_then(|(text, loc)| {
        let parsed = RenameAll::parse(&text);
        if parsed.is_none() {
            sink.error(
                loc,
                DiagnosticKind::UnknownRenameAll,
                format!(
                    "unknown `rename_all` value `{text}`; expected one of: {}",
                    RENAME_ALL.join(", ")
                ),
            );
        }
        parsed
    });
    let Some((db_type, db_loc)) = args.string("db_type", sink) else {
        sink.error(
            loc,
            DiagnosticKind::UnknownType,
            format!(
                "active enum `{}` has no `db_type`; SeaORM needs `db_type = \"Enum\"`, \"String(..)\" or \"Integer\"",
                item.ident
            ),
        );
        return None;
    };
    if db_type != "Enum" {
        let ty = parse_column_type(&db_type);
        if ty.is_none() {
            unknown_column_type(&db_type, db_loc, sink);
        }
        return ty;
    }
    let name = args
        .string("enum_name", sink)
        .map(|(n, _)| n)
        .unwrap_or_else(|| RenameAll::Pascal.apply(&item.ident.to_string()));
    let mut labels = Vec::new();
    for variant in &item.variants {
        let vargs = sea_args(&variant.attrs, file, "an enum variant", VARIANT_KEYS, sink);
        let ident = variant.ident.to_string();
        let rename = vargs
            .string("rename", sink)
            .and_then(|(text, _)| RenameAll::parse(&text));
        let label = match vargs.string("string_value", sink) {
            Some((value, _)) => value,
            None => match rename.or(rename_all) {
                Some(r) => r.apply(&ident),
                None => ident,
            },
        };
        labels.push(label);
    }
    Some(SeaType::Enum { name, labels })
}

/// The column type of a field's Rust type, through the entity files' own types.
pub(crate) fn field_type(
    ty: &Type,
    file: usize,
    types: &Types<'_>,
    text: &str,
) -> Result<SeaType, (Loc, String)> {
    let (inner, _) = strip_option(ty);
    let mut seen = Vec::new();
    let ty = resolve(rust_shape(inner), types, &mut seen).ok_or_else(|| {
        let written = text
            .get(inner.span().byte_range())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "this type".to_owned());
        (
            Loc::new(file, inner.span()),
            format!(
                "unknown type `{written}`: not a type SeaORM maps, nor an active enum, `DeriveValueType` newtype or alias of the entity files; give `column_type = \"..\"`"
            ),
        )
    })?;
    Ok(ty)
}

fn resolve(shape: RustShape, types: &Types<'_>, seen: &mut Vec<String>) -> Option<SeaType> {
    match shape {
        RustShape::Known(ty) => Some(ty),
        RustShape::Array(element) => {
            Some(SeaType::Array(Box::new(resolve(*element, types, seen)?)))
        }
        RustShape::Unknown => None,
        RustShape::Named(name) => {
            if seen.contains(&name) {
                return None;
            }
            seen.push(name.clone());
            match types.by_name.get(&name)? {
                Named::Column(ty) => Some(ty.clone()),
                Named::Alias(inner) => {
                    let (inner, _) = strip_option(inner);
                    resolve(rust_shape(inner), types, seen)
                }
            }
        }
    }
}

impl Types<'_> {
    /// The column type of an active enum, newtype or alias of the model files, by name.
    pub fn named(&self, name: &str) -> Option<SeaType> {
        resolve(RustShape::Named(name.to_owned()), self, &mut Vec::new())
    }
}
