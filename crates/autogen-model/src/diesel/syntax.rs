//! The bodies of Diesel's macros as `syn` reads them: `table!`, `joinable!`. The macros are
//! never expanded; their tokens are parsed here with the grammar Diesel documents.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, ExprLit, Ident, ItemUse, Lit, Meta, Token, Type, braced, parenthesized,
};

/// One `table!` invocation: the tables it declares (Diesel 1 allowed several in one).
pub(crate) struct TableMacro {
    pub tables: Vec<TableDecl>,
}

pub(crate) struct TableDecl {
    /// `(alias, original)` for each `use a::B as C;` of the invocation: a column typed `C`
    /// is of the custom type `B`.
    pub type_aliases: Vec<(String, String)>,
    pub attrs: Vec<Attribute>,
    pub schema: Option<Ident>,
    pub name: Ident,
    /// `None` when the declaration names no key: Diesel then takes `id`.
    pub primary_key: Option<Vec<Ident>>,
    pub columns: Vec<ColumnDecl>,
}

pub(crate) struct ColumnDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub ty: Type,
}

/// `joinable!(child -> parent (fk_column))`.
pub(crate) struct Joinable {
    pub child: Ident,
    pub parent: Ident,
    pub column: Ident,
}

impl Parse for TableMacro {
    fn parse(input: ParseStream<'_>) -> syn::Result<TableMacro> {
        let mut uses = Vec::new();
        let mut tables = Vec::new();
        while !input.is_empty() {
            // `use` lines may come before the table's attributes; both are outer items.
            let attrs = input.call(Attribute::parse_outer)?;
            if input.peek(Token![use]) {
                uses.push(input.parse()?);
                continue;
            }
            tables.push(TableDecl::parse_with(attrs, input)?);
        }
        let aliases = use_renames(&uses);
        for table in &mut tables {
            table.type_aliases = aliases.clone();
        }
        Ok(TableMacro { tables })
    }
}

impl TableDecl {
    fn parse_with(attrs: Vec<Attribute>, input: ParseStream<'_>) -> syn::Result<TableDecl> {
        let first = input.call(Ident::parse_any)?;
        let (schema, name) = if input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            (Some(first), input.call(Ident::parse_any)?)
        } else {
            (None, first)
        };
        let primary_key = if input.peek(syn::token::Paren) {
            let keys;
            parenthesized!(keys in input);
            let list =
                Punctuated::<Ident, Token![,]>::parse_terminated_with(&keys, Ident::parse_any)?;
            Some(list.into_iter().collect())
        } else {
            None
        };
        let body;
        braced!(body in input);
        let mut columns = Vec::new();
        while !body.is_empty() {
            let attrs = body.call(Attribute::parse_outer)?;
            let name = body.call(Ident::parse_any)?;
            body.parse::<Token![->]>()?;
            let ty: Type = body.parse()?;
            columns.push(ColumnDecl { attrs, name, ty });
            if body.is_empty() {
                break;
            }
            body.parse::<Token![,]>()?;
        }
        Ok(TableDecl {
            type_aliases: Vec::new(),
            attrs,
            schema,
            name,
            primary_key,
            columns,
        })
    }
}

impl Parse for Joinable {
    fn parse(input: ParseStream<'_>) -> syn::Result<Joinable> {
        let child = input.call(Ident::parse_any)?;
        input.parse::<Token![->]>()?;
        let parent = input.call(Ident::parse_any)?;
        let column;
        parenthesized!(column in input);
        let column = column.call(Ident::parse_any)?;
        Ok(Joinable {
            child,
            parent,
            column,
        })
    }
}

/// An identifier as the name it stands for (`r#type` is `type`).
pub(crate) fn ident_name(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The value of `#[key = "text"]` or `#[key = 12]`, with the attribute's span; `None` when
/// no attribute has that key. A value of another shape is an error at the value.
pub(crate) fn name_value<'a>(
    attrs: &'a [Attribute],
    key: &str,
) -> Option<syn::Result<(&'a Lit, Span)>> {
    let attr = attrs.iter().find(|a| a.path().is_ident(key))?;
    Some(match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit { lit, .. }) => Ok((lit, attr.span())),
            other => Err(syn::Error::new(
                other.span(),
                format!("expected a literal after `{key} =`"),
            )),
        },
        other => Err(syn::Error::new(
            other.span(),
            format!("expected `#[{key} = ..]`"),
        )),
    })
}

/// `use a::B as C;` inside `table!`: every `(C, B)` pair, so a column typed `C` finds `B`.
fn use_renames(uses: &[ItemUse]) -> Vec<(String, String)> {
    fn walk(tree: &syn::UseTree, out: &mut Vec<(String, String)>) {
        match tree {
            syn::UseTree::Path(p) => walk(&p.tree, out),
            syn::UseTree::Rename(r) => out.push((r.rename.to_string(), r.ident.to_string())),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, out)),
            syn::UseTree::Name(_) | syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = Vec::new();
    for item in uses {
        walk(&item.tree, &mut out);
    }
    out
}
