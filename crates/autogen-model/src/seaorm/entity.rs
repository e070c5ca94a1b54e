//! One `DeriveEntityModel` struct into an entity: its table, its columns with everything their
//! `#[sea_orm(..)]` keys say, and (2.0 dense format) its relation fields.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::{Dialect, QualifiedName};
use syn::{Fields, ItemStruct, Type};

use super::attrs::{SeaArgs, sea_args};
use super::coltype::{SeaType, parse_column_type, strip_option};
use super::defaults::{default_expr, default_value};
use super::relations::{RelationDef, dense_relation};
use super::types::{Types, field_type, unknown_column_type};
use crate::case::{RenameAll, snake_case};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};

const TABLE_KEYS: &[&str] = &[
    "table_name",
    "schema_name",
    "comment",
    "table_iden",
    "rename_all",
    "model_attrs",
    "model_ex_attrs",
    "arrow_schema",
    // Names of the generated items (`DeriveEntity`'s own keys): no schema effect.
    "column",
    "entity",
    "model",
    "model_ex",
    "active_model",
    "active_model_ex",
    "primary_key",
    "relation",
];

/// Column keys, then (2.0 dense format) relation keys, then keys with no schema effect.
pub(crate) const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "auto_increment",
    "column_type",
    "column_name",
    "nullable",
    "unique",
    "unique_key",
    "indexed",
    "default_value",
    "default_expr",
    "ignore",
    "extra",
    "comment",
    "renamed_from",
    "enum_name",
    "has_one",
    "has_many",
    "belongs_to",
    "self_ref",
    "via",
    "via_rel",
    "reverse",
    "from",
    "to",
    "relation_enum",
    "relation_reverse",
    "on_update",
    "on_delete",
    "skip_fk",
    "fk_name",
    "select_as",
    "save_as",
];

pub(crate) struct ColumnDef {
    /// The `Column` variant's name, folded (`AuthorId` and `author_id` are `authorid`), for
    /// `from = "Column::AuthorId"` and `from = "author_id"` alike.
    pub key: String,
    pub name: String,
    pub loc: Loc,
    /// `None` when the type could not be read (reported).
    pub ty: Option<SeaType>,
    pub nullable: bool,
    pub primary_key: bool,
    pub auto_increment: Option<(bool, Loc)>,
    pub unique: bool,
    pub unique_key: Option<String>,
    pub indexed: bool,
    pub default: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
    /// `extra = "CHECK (..)"`: the expression.
    pub check: Option<String>,
}

pub(crate) struct EntityDef {
    pub module: String,
    pub file: usize,
    pub name: QualifiedName,
    pub loc: Loc,
    pub comment: Option<String>,
    pub columns: Vec<ColumnDef>,
    /// Foreign keys of the 2.0 dense format's `belongs_to` fields.
    pub relations: Vec<RelationDef>,
    /// The column names of `ignore`d fields.
    pub ignored: Vec<String>,
}

/// `AuthorId`, `author_id` and `authorId` are one key.
pub(crate) fn fold(name: &str) -> String {
    name.strip_prefix("r#")
        .unwrap_or(name)
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) struct EntityContext<'a, 'b> {
    pub file: usize,
    pub module: &'a str,
    pub text: &'a str,
    pub types: &'a Types<'b>,
    pub dialect: Dialect,
}

pub(crate) fn read_entity(
    item: &ItemStruct,
    cx: &EntityContext<'_, '_>,
    sink: &mut Sink,
) -> Option<EntityDef> {
    let file = cx.file;
    let loc = Loc::new(file, item.ident.span());
    let Fields::Named(fields) = &item.fields else {
        sink.error(
            loc,
            DiagnosticKind::UnsupportedItem,
            format!("entity model `{}` needs named fields", item.ident),
        );
        return None;
    };
    let args = sea_args(&item.attrs, file, "an entity model", TABLE_KEYS, sink);
    let Some((table, table_loc)) = args.string("table_name", sink) else {
        sink.error(
            loc,
            DiagnosticKind::UnsupportedItem,
            format!(
                "entity model `{}` has no `#[sea_orm(table_name = \"..\")]`",
                item.ident
            ),
        );
        return None;
    };
    let mut schema = cx.dialect.default_schema().to_owned();
    // SeaORM qualifies the table on every backend; autogen's SQLite and MySQL have one
    // namespace, the database connected to, which is where such a table is read.
    if let Some((name, _)) = args.string("schema_name", sink)
        && cx.dialect == Dialect::Postgres
    {
        schema = name;
    }
    let rename_all = args.string("rename_all", sink).and_then(|(text, loc)| {
        let parsed = RenameAll::parse(&text);
        if parsed.is_none() {
            sink.error(
                loc,
                DiagnosticKind::UnknownRenameAll,
                format!(
                    "unknown `rename_all` value `{text}`; expected one of: {}",
                    crate::case::RENAME_ALL.join(", ")
                ),
            );
        }
        parsed
    });
    let mut entity = EntityDef {
        module: cx.module.to_owned(),
        file,
        name: QualifiedName::new(schema, table),
        loc: table_loc,
        comment: args.string("comment", sink).map(|(c, _)| c),
        columns: Vec::new(),
        relations: Vec::new(),
        ignored: Vec::new(),
    };
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let field_args = sea_args(&field.attrs, file, "a field", FIELD_KEYS, sink);
        if is_relation(&field_args, &field.ty) {
            entity
                .relations
                .extend(dense_relation(field, &field_args, file, sink));
            continue;
        }
        let field_name = ident.to_string();
        let field_name = field_name.strip_prefix("r#").unwrap_or(&field_name);
        if field_args.flag("ignore", sink) == Some(true) {
            entity
                .ignored
                .push(match field_args.string("column_name", sink) {
                    Some((name, _)) => name,
                    None => snake_case(field_name),
                });
            continue;
        }
        entity.columns.push(read_column(
            field_name,
            ident,
            &field.ty,
            &field_args,
            rename_all,
            cx,
            sink,
        ));
    }
    Some(entity)
}

/// A dense-format relation field: a relation key, or a `HasOne`/`HasMany` type.
fn is_relation(args: &SeaArgs, ty: &Type) -> bool {
    let keyed = ["has_one", "has_many", "belongs_to", "self_ref"]
        .iter()
        .any(|k| args.has(k));
    let (ty, _) = strip_option(ty);
    let typed = match ty {
        Type::Path(p) => p.path.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "HasOne" | "HasMany" | "BelongsTo"
            )
        }),
        _ => false,
    };
    keyed || typed
}

fn read_column(
    field_name: &str,
    ident: &syn::Ident,
    ty: &Type,
    args: &SeaArgs,
    rename_all: Option<RenameAll>,
    cx: &EntityContext<'_, '_>,
    sink: &mut Sink,
) -> ColumnDef {
    let file = cx.file;
    let mut loc = Loc::new(file, ident.span());
    // SeaORM: `column_name`, else `rename_all` applied to the variant, else the field in
    // snake_case (which trims leading and trailing underscores).
    let name = match args.string("column_name", sink) {
        Some((name, name_loc)) => {
            loc = name_loc;
            name
        }
        None => match rename_all {
            Some(r) => r.apply(&RenameAll::Pascal.apply(field_name)),
            None => snake_case(field_name),
        },
    };
    let key = match args.string("enum_name", sink) {
        Some((variant, _)) => fold(&variant),
        None => fold(field_name),
    };
    let mut column = ColumnDef {
        key,
        name,
        loc,
        ty: None,
        nullable: args.flag("nullable", sink).unwrap_or(false),
        primary_key: args.flag("primary_key", sink).unwrap_or(false),
        auto_increment: args
            .get("auto_increment")
            .and_then(|a| crate::keys::flag(a, sink).map(|b| (b, a.key_loc))),
        unique: args.flag("unique", sink).unwrap_or(false),
        unique_key: args.string("unique_key", sink).map(|(k, _)| k),
        indexed: args.flag("indexed", sink).unwrap_or(false),
        default: None,
        comment: args.string("comment", sink).map(|(c, _)| c),
        renamed_from: args.string("renamed_from", sink).map(|(r, _)| r),
        check: None,
    };
    let (_, optional) = strip_option(ty);
    column.nullable |= optional;
    match args.string("column_type", sink) {
        Some((text, type_loc)) => match parse_column_type(&text) {
            Some(t) => column.ty = Some(t),
            None => unknown_column_type(&text, type_loc, sink),
        },
        None => match field_type(ty, file, cx.types, cx.text) {
            Ok(read) => column.ty = Some(read),
            Err((type_loc, message)) => sink.error(type_loc, DiagnosticKind::UnknownType, message),
        },
    }
    if let Some((literal, value_loc)) = args.literal("default_value", sink) {
        column.default = default_value(&literal, value_loc, sink);
    }
    if let Some((text, expr_loc)) = args.string("default_expr", sink) {
        if column.default.is_some() {
            sink.error(
                expr_loc,
                DiagnosticKind::ConflictingKeys,
                "give either `default_value` or `default_expr`, not both",
            );
        } else {
            column.default = default_expr(&text, expr_loc, sink);
        }
    }
    if let Some((text, extra_loc)) = args.string("extra", sink) {
        read_extra(&text, extra_loc, &mut column, sink);
    }
    column
}

/// `extra = ".."` is SQL appended to the column definition. A `DEFAULT ..` is read as the
/// default and a `CHECK (..)` as the column's check; anything else changes the schema in a way
/// the reader cannot know.
fn read_extra(text: &str, loc: Loc, column: &mut ColumnDef, sink: &mut Sink) {
    let trimmed = text.trim();
    let upper = trimmed.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("CHECK")
        && rest.trim_start().starts_with('(')
        && column.check.is_none()
    {
        column.check = Some(trimmed["CHECK".len()..].trim().to_owned());
        return;
    }
    if let Some(rest) = upper.strip_prefix("DEFAULT ")
        && !rest.trim().is_empty()
        && column.default.is_none()
    {
        column.default = Some(trimmed["DEFAULT ".len()..].trim().to_owned());
        return;
    }
    sink.error(
        loc,
        DiagnosticKind::WrongValue,
        format!(
            "cannot read `extra = \"{text}\"`: only `DEFAULT <expression>` and `CHECK (<expression>)` are understood; the rest of a column definition is not known to the reader"
        ),
    );
}
