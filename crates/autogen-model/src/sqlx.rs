//! sqlx's `#[sqlx(..)]` attributes on a native model, so that the columns are named and typed
//! as `#[derive(sqlx::FromRow)]` queries them: `rename_all` on the struct; `rename`, `skip`,
//! `default`, `flatten`, `try_from` and `json` on fields. Names follow sqlx's own rules
//! (`sqlx-macros-core`: the `heck` crate's conversions, plain `to_lowercase`/`to_uppercase`).
//!
//! Precedence: what `#[autogen(..)]` says wins (`column` over `rename_all`, `sql_type` over
//! `try_from`/`json`), as sqlx's own field `rename` wins over its `rename_all`. A `column` and a
//! `#[sqlx(rename)]` that disagree are an error: the table would not have the column sqlx reads.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use syn::{Attribute, Type};

use crate::attrs::{ArgValue, Entry, tool_entries};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::keys::{self, KeySet};

/// sqlx's `rename_all` values, as `sqlx-macros-core` lists them.
const RENAME_ALL: &[&str] = &[
    "lowercase",
    "snake_case",
    "UPPERCASE",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "camelCase",
    "PascalCase",
];

/// The struct keys that `FromRow` and `sqlx::Type` take; only `rename_all` names columns.
const STRUCT_KEYS: &[&str] = &[
    "rename_all",
    "default",
    "transparent",
    "type_name",
    "no_pg_array",
];
const FIELD_KEYS: &[&str] = &["rename", "default", "flatten", "try_from", "skip", "json"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameAll {
    Lower,
    Snake,
    Upper,
    ScreamingSnake,
    Kebab,
    Camel,
    Pascal,
}

impl RenameAll {
    /// The column sqlx queries for `field` (without `r#`).
    pub fn apply(self, field: &str) -> String {
        match self {
            RenameAll::Lower => field.to_lowercase(),
            RenameAll::Snake => field.to_snake_case(),
            RenameAll::Upper => field.to_uppercase(),
            RenameAll::ScreamingSnake => field.to_shouty_snake_case(),
            RenameAll::Kebab => field.to_kebab_case(),
            RenameAll::Camel => field.to_lower_camel_case(),
            RenameAll::Pascal => field.to_upper_camel_case(),
        }
    }

    fn parse(text: &str) -> Option<RenameAll> {
        Some(match text {
            "lowercase" => RenameAll::Lower,
            "snake_case" => RenameAll::Snake,
            "UPPERCASE" => RenameAll::Upper,
            "SCREAMING_SNAKE_CASE" => RenameAll::ScreamingSnake,
            "kebab-case" => RenameAll::Kebab,
            "camelCase" => RenameAll::Camel,
            "PascalCase" => RenameAll::Pascal,
            _ => return None,
        })
    }
}

/// `#[sqlx(rename_all = "..")]` on a struct.
pub(crate) fn rename_all(attrs: &[Attribute], file: usize, sink: &mut Sink) -> Option<RenameAll> {
    let mut set = KeySet::new("#[sqlx(..)] on a struct", STRUCT_KEYS);
    let mut out = None;
    for entry in tool_entries(attrs, "sqlx", file, sink) {
        let Entry::Arg(arg) = &entry else {
            keys::not_a_key(&entry, &set, sink);
            continue;
        };
        if !set.accept(arg, sink) || arg.key != "rename_all" {
            continue;
        }
        if let Some((text, loc)) = keys::string(arg, sink) {
            out = RenameAll::parse(&text);
            if out.is_none() {
                sink.error(
                    loc,
                    DiagnosticKind::UnknownRenameAll,
                    format!(
                        "unknown `#[sqlx(rename_all)]` value `{text}`; expected one of: {}",
                        RENAME_ALL.join(", ")
                    ),
                );
            }
        }
    }
    out
}

/// What `#[sqlx(..)]` says about one field.
#[derive(Default)]
pub(crate) struct SqlxField {
    pub rename: Option<(String, Loc)>,
    pub skip: bool,
    /// The place of `flatten`.
    pub flatten: Option<Loc>,
    /// The type sqlx decodes, with the place of its string.
    pub try_from: Option<(Type, String, Loc)>,
    /// `json` (false) or `json(nullable)` (true), with the key's place.
    pub json: Option<(bool, Loc)>,
}

pub(crate) fn field(attrs: &[Attribute], file: usize, sink: &mut Sink) -> SqlxField {
    let mut set = KeySet::new("#[sqlx(..)] on a field", FIELD_KEYS);
    let mut out = SqlxField::default();
    for entry in tool_entries(attrs, "sqlx", file, sink) {
        let Entry::Arg(arg) = &entry else {
            keys::not_a_key(&entry, &set, sink);
            continue;
        };
        if !set.accept(arg, sink) {
            continue;
        }
        match arg.key.as_str() {
            "rename" => out.rename = keys::name(arg, sink),
            "skip" => out.skip = keys::flag(arg, sink).unwrap_or(false),
            // Fills a missing column with `Default::default()` when reading: no schema effect.
            "default" => {}
            "flatten" => {
                if keys::flag(arg, sink).unwrap_or(false) {
                    out.flatten = Some(arg.key_loc);
                }
            }
            "try_from" => {
                if let Some((text, loc)) = keys::name(arg, sink) {
                    match syn::parse_str::<Type>(&text) {
                        Ok(ty) => out.try_from = Some((ty, text, loc)),
                        Err(e) => sink.error(
                            loc,
                            DiagnosticKind::UnknownType,
                            format!("cannot read `try_from = \"{text}\"` as a Rust type: {e}"),
                        ),
                    }
                }
            }
            _ => out.json = json(arg, sink),
        }
    }
    if let (Some(_), Some((_, loc))) = (out.flatten, &out.json) {
        sink.error(
            *loc,
            DiagnosticKind::ConflictingKeys,
            "`#[sqlx(json)]` and `#[sqlx(flatten)]` exclude each other (sqlx refuses both)",
        );
    }
    out
}

/// `json` or `json(nullable)`.
fn json(arg: &crate::attrs::Arg, sink: &mut Sink) -> Option<(bool, Loc)> {
    match &arg.value {
        ArgValue::Flag => Some((false, arg.key_loc)),
        ArgValue::List(entries, _) if matches!(entries.as_slice(), [Entry::Arg(a)] if a.key == "nullable" && matches!(a.value, ArgValue::Flag)) => {
            Some((true, arg.key_loc))
        }
        ArgValue::List(_, loc) | ArgValue::Value(crate::attrs::Value { loc, .. }) => {
            sink.error(
                *loc,
                DiagnosticKind::WrongValue,
                "`json` is written `json` or `json(nullable)`",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenameAll;

    /// The values sqlx's own `rename_all` gives (heck 0.5, as sqlx-macros-core uses it).
    #[test]
    fn rename_all_names_columns_as_sqlx_does() {
        let cases = [
            (RenameAll::Lower, "user_id", "user_id"),
            (RenameAll::Lower, "userId", "userid"),
            (RenameAll::Snake, "userId", "user_id"),
            (RenameAll::Snake, "HTTPStatus", "http_status"),
            (RenameAll::Upper, "user_id", "USER_ID"),
            (RenameAll::ScreamingSnake, "userId", "USER_ID"),
            (RenameAll::Kebab, "user_id", "user-id"),
            (RenameAll::Camel, "user_id", "userId"),
            (RenameAll::Pascal, "user_id", "UserId"),
            (RenameAll::Camel, "created_at2", "createdAt2"),
        ];
        for (rule, field, column) in cases {
            assert_eq!(rule.apply(field), column, "{rule:?} {field}");
        }
    }
}
