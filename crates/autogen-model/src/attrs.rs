//! The syntax of `#[autogen(..)]`: comma-separated `key`, `key = literal`, `key(..)` and, inside
//! lists, string literals. This only reads the shape; what each key means is decided by the
//! readers of structs, fields and enums, which know the keys expected at their place.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Lit, LitStr, Meta, Token};

use crate::diagnostics::{DiagnosticKind, Loc, Sink};

/// One element of an `#[autogen(..)]` list.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Arg(Arg),
    /// A bare string, as in `columns("created_at DESC")`.
    Str(String, Loc),
    /// A bare literal or expression that is neither (reported by whoever reads the list).
    Other(Loc),
}

impl Entry {
    pub fn loc(&self) -> Loc {
        match self {
            Entry::Arg(arg) => arg.key_loc,
            Entry::Str(_, loc) | Entry::Other(loc) => *loc,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Arg {
    /// The key without `r#`, so `r#where` and `where` are one key.
    pub key: String,
    pub key_loc: Loc,
    pub value: ArgValue,
}

#[derive(Debug, Clone)]
pub(crate) enum ArgValue {
    /// `key`
    Flag,
    /// `key = value`
    Value(Value),
    /// `key(..)`
    List(Vec<Entry>, Loc),
}

#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub literal: Literal,
    pub loc: Loc,
}

/// A literal as written: numbers keep their digits (with a leading `-` when negative) so that
/// no value is rounded on its way to SQL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Bool(bool),
    Int(String),
    Float(String),
    Str(String),
    /// Anything else (`users.id`, `b"x"`): the readers say what they expected instead.
    Other,
}

impl Literal {
    /// How the value reads in a message: "a string", "a whole number", ...
    pub fn describe(&self) -> &'static str {
        match self {
            Literal::Bool(_) => "a bool",
            Literal::Int(_) => "a whole number",
            Literal::Float(_) => "a decimal number",
            Literal::Str(_) => "a string",
            Literal::Other => "an expression",
        }
    }
}

/// The entries of every `#[autogen(..)]` among `attrs`, in order. Malformed attributes are
/// reported and contribute the entries read before the error.
pub(crate) fn autogen_entries(attrs: &[Attribute], file: usize, sink: &mut Sink) -> Vec<Entry> {
    tool_entries(attrs, "autogen", file, sink)
}

/// The entries of every `#[tool(..)]` among `attrs` (`sqlx` too has this shape).
pub(crate) fn tool_entries(
    attrs: &[Attribute],
    tool: &str,
    file: usize,
    sink: &mut Sink,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(tool)) {
        let list = match &attr.meta {
            Meta::List(list) => list,
            Meta::Path(_) | Meta::NameValue(_) => {
                sink.error(
                    Loc::new(file, attr.span()),
                    DiagnosticKind::Syntax,
                    format!("expected `#[{tool}(..)]` with keys in parentheses"),
                );
                continue;
            }
        };
        let mut error = None;
        let parser = |input: ParseStream| {
            let (entries, e) = parse_entries(input, file);
            error = e;
            Ok(entries)
        };
        match parser.parse2(list.tokens.clone()) {
            Ok(entries) => out.extend(entries),
            Err(e) => sink.syn_error(file, e),
        }
        if let Some(e) = error {
            sink.syn_error(file, e);
        }
    }
    out
}

/// Reads entries until the end or the first malformed one, and returns what it read with the
/// error. Consumes the rest of the stream on error so the parser's own check stays quiet.
fn parse_entries(input: ParseStream, file: usize) -> (Vec<Entry>, Option<syn::Error>) {
    let mut out = Vec::new();
    while !input.is_empty() {
        match parse_entry(input, file) {
            Ok(entry) => out.push(entry),
            Err(e) => {
                skip_rest(input);
                return (out, Some(e));
            }
        }
        if input.is_empty() {
            break;
        }
        if let Err(e) = input.parse::<Token![,]>() {
            skip_rest(input);
            return (out, Some(e));
        }
    }
    (out, None)
}

fn skip_rest(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((_, next)) = rest.token_tree() {
            rest = next;
        }
        Ok(((), rest))
    });
}

fn parse_entry(input: ParseStream, file: usize) -> syn::Result<Entry> {
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        return Ok(Entry::Str(s.value(), Loc::new(file, s.span())));
    }
    if input.peek(Lit) {
        let lit: Lit = input.parse()?;
        return Ok(Entry::Other(Loc::new(file, lit.span())));
    }
    if !input.peek(Ident::peek_any) {
        return Err(input.error("expected a key, as in `key`, `key = \"..\"` or `key(..)`"));
    }
    let key = Ident::parse_any(input)?;
    let key_loc = Loc::new(file, key.span());
    let key = key.unraw().to_string();
    let value = if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        ArgValue::Value(parse_value(input, file)?)
    } else if input.peek(syn::token::Paren) {
        let content;
        let parens = syn::parenthesized!(content in input);
        let (entries, error) = parse_entries(&content, file);
        if let Some(e) = error {
            return Err(e);
        }
        ArgValue::List(entries, Loc::new(file, parens.span.join()))
    } else {
        ArgValue::Flag
    };
    Ok(Entry::Arg(Arg {
        key,
        key_loc,
        value,
    }))
}

fn parse_value(input: ParseStream, file: usize) -> syn::Result<Value> {
    if input.peek(Token![-]) {
        let minus: Token![-] = input.parse()?;
        let expr: Expr = input.parse()?;
        let span = minus.span.join(expr.span()).unwrap_or(minus.span);
        let literal = match &expr {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Int(i) => Literal::Int(format!("-{}", i.base10_digits())),
                Lit::Float(f) => Literal::Float(format!("-{}", f.base10_digits())),
                _ => Literal::Other,
            },
            _ => Literal::Other,
        };
        return Ok(value(literal, file, span));
    }
    let expr: Expr = input.parse()?;
    let literal = match &expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Bool(b) => Literal::Bool(b.value),
            Lit::Int(i) => Literal::Int(i.base10_digits().to_owned()),
            Lit::Float(f) => Literal::Float(f.base10_digits().to_owned()),
            Lit::Str(s) => Literal::Str(s.value()),
            _ => Literal::Other,
        },
        _ => Literal::Other,
    };
    Ok(value(literal, file, expr.span()))
}

fn value(literal: Literal, file: usize, span: Span) -> Value {
    Value {
        literal,
        loc: Loc::new(file, span),
    }
}
