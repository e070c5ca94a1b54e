//! Finds Diesel's items in the parsed files, at any module depth: `table!` and `joinable!`
//! invocations, `allow_tables_to_appear_in_same_query!` (accepted, nothing to read) and the
//! `#[derive(SqlType)]` structs of `sql_types` modules.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use syn::{Attribute, Item, ItemMacro, ItemStruct, LitStr};

use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::diesel::syntax::{Joinable, TableDecl, TableMacro};

pub(crate) struct Found {
    pub tables: Vec<(usize, TableDecl)>,
    pub joinables: Vec<(usize, Joinable)>,
    pub custom_types: Vec<CustomType>,
}

/// `#[derive(SqlType)] #[diesel(postgres_type(name = "..", schema = ".."))] pub struct X;`, or
/// `mysql_type(name = "Enum")`, what print-schema writes for a MySQL `enum(..)` column.
pub(crate) struct CustomType {
    pub rust_name: String,
    pub kind: CustomKind,
    pub loc: Loc,
}

pub(crate) enum CustomKind {
    Postgres {
        name: String,
        schema: Option<String>,
    },
    /// A MySQL inline enum; its labels are not in schema.rs.
    MysqlEnum,
}

pub(crate) fn collect(parsed: &[(usize, syn::File)], sink: &mut Sink) -> Found {
    let mut found = Found {
        tables: Vec::new(),
        joinables: Vec::new(),
        custom_types: Vec::new(),
    };
    for (file, ast) in parsed {
        walk(*file, &ast.items, &mut found, sink);
    }
    found
}

fn walk(file: usize, items: &[Item], found: &mut Found, sink: &mut Sink) {
    for item in items {
        match item {
            Item::Macro(mac) => read_macro(file, mac, found, sink),
            Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    walk(file, inner, found, sink);
                }
            }
            Item::Struct(s) if derives_sql_type(&s.attrs) => {
                if let Some(custom) = custom_type(file, s, sink) {
                    found.custom_types.push(custom);
                }
            }
            // Anything else in a schema file (imports, helper code) says nothing about tables.
            _ => {}
        }
    }
}

fn read_macro(file: usize, mac: &ItemMacro, found: &mut Found, sink: &mut Sink) {
    let Some(last) = mac.mac.path.segments.last() else {
        return;
    };
    match last.ident.to_string().as_str() {
        "table" => match mac.mac.parse_body::<TableMacro>() {
            Ok(parsed) => {
                found
                    .tables
                    .extend(parsed.tables.into_iter().map(|t| (file, t)));
            }
            Err(e) => sink.syn_error(file, e),
        },
        "joinable" => match mac.mac.parse_body::<Joinable>() {
            Ok(joinable) => found.joinables.push((file, joinable)),
            Err(e) => sink.syn_error(file, e),
        },
        // Which tables may be joined in one query: a fact about Rust code, not the database.
        "allow_tables_to_appear_in_same_query" | "allow_columns_to_appear_in_same_group_by_clause" => {}
        other => sink.error(
            Loc::new(file, last.ident.span()),
            DiagnosticKind::UnsupportedItem,
            format!(
                "`{other}!` is not a Diesel schema macro: expected `table!`, `joinable!` or `allow_tables_to_appear_in_same_query!`"
            ),
        ),
    }
}

fn derives_sql_type(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "SqlType")
                {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

fn custom_type(file: usize, item: &ItemStruct, sink: &mut Sink) -> Option<CustomType> {
    let mut name = None;
    let mut schema = None;
    let mut other_backend = false;
    let mut mysql_enum = false;
    for attr in item.attrs.iter().filter(|a| a.path().is_ident("diesel")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("postgres_type") {
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("name") {
                        name = Some(inner.value()?.parse::<LitStr>()?.value());
                    } else if inner.path.is_ident("schema") {
                        schema = Some(inner.value()?.parse::<LitStr>()?.value());
                    } else {
                        // `oid`, `array_oid`: a built-in type by number, not a type of the schema.
                        let _ = inner.value()?.parse::<syn::Expr>()?;
                    }
                    Ok(())
                })
            } else {
                other_backend = true;
                let mysql = meta.path.is_ident("mysql_type");
                if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|inner| {
                        let value = inner.value()?.parse::<syn::Expr>()?;
                        if mysql && inner.path.is_ident("name") {
                            mysql_enum |= matches!(
                                &value,
                                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
                                    if s.value().eq_ignore_ascii_case("enum")
                            );
                        }
                        Ok(())
                    })
                } else {
                    Ok(())
                }
            }
        });
        if let Err(e) = result {
            sink.syn_error(file, e);
            return None;
        }
    }
    let loc = Loc::new(file, item.ident.span());
    let rust_name = item.ident.to_string();
    match name {
        Some(name) => Some(CustomType {
            rust_name,
            kind: CustomKind::Postgres { name, schema },
            loc,
        }),
        None if mysql_enum => Some(CustomType {
            rust_name,
            kind: CustomKind::MysqlEnum,
            loc,
        }),
        // `mysql_type`/`sqlite_type` name a built-in type of those backends, read as a column
        // type by name; a struct without any is not a type of the schema.
        None if other_backend => None,
        None => {
            sink.error(
                Loc::new(file, item.ident.span()),
                DiagnosticKind::UnknownType,
                format!(
                    "`{}` derives `SqlType` without `#[diesel(postgres_type(name = \"..\"))]`: autogen cannot tell which database type it is",
                    item.ident
                ),
            );
            None
        }
    }
}
