//! Foreign keys: `belongs_to` variants of a `DeriveRelation` enum (1.x and expanded 2.x) and
//! `belongs_to` / `self_ref` relation fields of the 2.0 dense format. `has_one`/`has_many`
//! are the other side of someone's foreign key and make none.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::ReferentialAction;
use syn::{Field, GenericArgument, ItemEnum, PathArguments, Type};

use super::attrs::{SeaArgs, sea_args};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};

const RELATION_KEYS: &[&str] = &[
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_update",
    "on_delete",
    "on_condition",
    "condition_type",
    "fk_name",
    "skip_fk",
    "via",
    "via_rel",
];

/// Where a foreign key points: the module of an entity (`super::user::Entity` is `user`), or
/// the entity itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    SelfRef,
    Module(String),
}

#[derive(Debug, Clone)]
pub(crate) struct RelationDef {
    pub target: Target,
    /// Columns as written (`Column::UserId`'s `UserId`, `user_id`) with their place.
    pub from: Vec<(String, Loc)>,
    pub to: Vec<(String, Loc)>,
    pub on_delete: Option<ReferentialAction>,
    pub on_update: Option<ReferentialAction>,
    pub fk_name: Option<String>,
    pub loc: Loc,
}

/// The foreign keys of a `Relation` enum.
pub(crate) fn relation_enum(item: &ItemEnum, file: usize, sink: &mut Sink) -> Vec<RelationDef> {
    let mut out = Vec::new();
    for variant in &item.variants {
        let args = sea_args(&variant.attrs, file, "a relation", RELATION_KEYS, sink);
        let Some((entity, loc)) = args.string("belongs_to", sink) else {
            continue;
        };
        if args.flag("skip_fk", sink) == Some(true) {
            continue;
        }
        let Some(target) = target_of_path(&entity) else {
            sink.error(
                loc,
                DiagnosticKind::WrongValue,
                format!("cannot read `belongs_to = \"{entity}\"`; expected an entity path such as \"super::user::Entity\""),
            );
            continue;
        };
        out.extend(relation(target, &args, loc, sink));
    }
    out
}

/// A dense-format relation field; `None` for `has_one`/`has_many` and `skip_fk`.
pub(crate) fn dense_relation(
    field: &Field,
    args: &SeaArgs,
    file: usize,
    sink: &mut Sink,
) -> Option<RelationDef> {
    let belongs = args.has("belongs_to");
    let self_ref = args.has("self_ref") && args.has("from") && args.has("to");
    if !(belongs || self_ref) || args.flag("skip_fk", sink) == Some(true) {
        return None;
    }
    let loc = Loc::new(
        file,
        field
            .ident
            .as_ref()
            .map_or_else(proc_macro2::Span::call_site, |i| i.span()),
    );
    let target = match entity_of_type(&field.ty) {
        Some(target) => target,
        None => {
            sink.error(
                loc,
                DiagnosticKind::UnknownType,
                "a `belongs_to` field's type names its entity: `HasOne<super::user::Entity>`",
            );
            return None;
        }
    };
    relation(target, args, loc, sink)
}

fn relation(target: Target, args: &SeaArgs, loc: Loc, sink: &mut Sink) -> Option<RelationDef> {
    let columns = |key: &str, sink: &mut Sink| -> Option<Vec<(String, Loc)>> {
        let (text, at) = match args.string(key, sink) {
            Some(found) => found,
            None => {
                sink.error(
                    loc,
                    DiagnosticKind::WrongValue,
                    format!("a `belongs_to` relation needs `{key} = \"..\"`"),
                );
                return None;
            }
        };
        let list = column_list(&text);
        if list.is_none() {
            sink.error(
                at,
                DiagnosticKind::WrongValue,
                format!("cannot read `{key} = \"{text}\"`; expected a column (\"Column::UserId\", \"user_id\") or a tuple of them"),
            );
        }
        list.map(|l| l.into_iter().map(|c| (c, at)).collect())
    };
    let from = columns("from", sink);
    let to = columns("to", sink);
    let on_delete = action(args, "on_delete", sink);
    let on_update = action(args, "on_update", sink);
    Some(RelationDef {
        target,
        from: from?,
        to: to?,
        on_delete,
        on_update,
        fk_name: args.string("fk_name", sink).map(|(n, _)| n),
        loc,
    })
}

fn action(args: &SeaArgs, key: &str, sink: &mut Sink) -> Option<ReferentialAction> {
    let (text, loc) = args.string(key, sink)?;
    let squeezed: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match squeezed.as_str() {
        "cascade" => ReferentialAction::Cascade,
        "setnull" => ReferentialAction::SetNull,
        "setdefault" => ReferentialAction::SetDefault,
        "restrict" => ReferentialAction::Restrict,
        "noaction" => ReferentialAction::NoAction,
        _ => {
            sink.error(
                loc,
                DiagnosticKind::BadReferentialAction,
                format!("unknown `{key}` action `{text}`; expected one of: Cascade, SetNull, SetDefault, Restrict, NoAction"),
            );
            return None;
        }
    })
}

/// `Entity` is the entity itself; `super::user::Entity` (any prefix) is module `user`.
fn target_of_path(text: &str) -> Option<Target> {
    let path: syn::Path = syn::parse_str(text).ok()?;
    target_of_segments(
        &path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>(),
    )
}

fn target_of_segments(segments: &[String]) -> Option<Target> {
    match segments {
        [one] if one == "Entity" => Some(Target::SelfRef),
        [.., module, last] if last == "Entity" => Some(Target::Module(module.clone())),
        [.., module] => Some(Target::Module(module.clone())),
        [] => None,
    }
}

/// `HasOne<super::user::Entity>`, `BelongsTo<Option<Entity>>`, `Option<HasOne<..>>`.
fn entity_of_type(ty: &Type) -> Option<Target> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let wrapper = matches!(
        last.ident.to_string().as_str(),
        "HasOne" | "HasMany" | "BelongsTo" | "Option" | "Box"
    );
    if !wrapper {
        return target_of_segments(
            &p.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>(),
        );
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let inner = args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })?;
    entity_of_type(inner)
}

/// `Column::UserId`, `user_id`, `super::user::Column::Id`, or a tuple `(A, B)` of them: the
/// last segment of each.
fn column_list(text: &str) -> Option<Vec<String>> {
    let trimmed = text.trim();
    let inner = match trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => inner,
        None => trimmed,
    };
    let mut out = Vec::new();
    for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let path: syn::Path = syn::parse_str(part).ok()?;
        out.push(path.segments.last()?.ident.to_string());
    }
    (!out.is_empty()).then_some(out)
}
