//! Column defaults: `default_value = <literal>` as sea-query writes the value, and
//! `default_expr = ".."`, a Rust expression of sea-query's `Expr` that the reader evaluates
//! for the forms SeaORM projects use (`Expr::current_timestamp()`, `Expr::cust("..")`, ..).

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::quote_literal;
use syn::Expr;

use crate::attrs::Literal;
use crate::diagnostics::{DiagnosticKind, Loc, Sink};

pub(crate) fn default_value(literal: &Literal, loc: Loc, sink: &mut Sink) -> Option<String> {
    let text = literal_text(literal);
    if text.is_none() {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            "`default_value` takes a literal: a bool, a number or a string",
        );
    }
    text
}

/// The SQL sea-query writes for a `default_value` literal; `None` for anything but a literal.
/// The entity writer asks the same question.
pub(crate) fn literal_text(literal: &Literal) -> Option<String> {
    Some(match literal {
        Literal::Bool(true) => "TRUE".to_owned(),
        Literal::Bool(false) => "FALSE".to_owned(),
        Literal::Int(digits) | Literal::Float(digits) => digits.clone(),
        Literal::Str(text) => quote_literal(text),
        Literal::Other => return None,
    })
}

pub(crate) fn default_expr(text: &str, loc: Loc, sink: &mut Sink) -> Option<String> {
    let sql = syn::parse_str::<Expr>(text).ok().and_then(|e| expr_sql(&e));
    if sql.is_none() {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            format!(
                "cannot read `default_expr = \"{text}\"`; expected `Expr::current_timestamp()`, `Expr::current_date()`, `Expr::current_time()`, `Expr::cust(\"<sql>\")` or `Expr::val(<literal>)`"
            ),
        );
    }
    sql
}

fn last(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

pub(crate) fn expr_sql(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Call(call) => {
            let Expr::Path(func) = &*call.func else {
                return None;
            };
            let name = last(&func.path);
            let arg = call.args.first();
            match (name.as_str(), call.args.len()) {
                ("current_timestamp", 0) => Some("CURRENT_TIMESTAMP".to_owned()),
                ("current_date", 0) => Some("CURRENT_DATE".to_owned()),
                ("current_time", 0) => Some("CURRENT_TIME".to_owned()),
                ("cust", 1) => match arg? {
                    Expr::Lit(l) => match &l.lit {
                        syn::Lit::Str(s) => Some(s.value()),
                        _ => None,
                    },
                    _ => None,
                },
                ("val" | "value", 1) => literal_sql(arg?),
                _ => None,
            }
        }
        // `Expr::val(1).into()`, `Keyword::CurrentTimestamp.into()`
        Expr::MethodCall(m) if m.method == "into" && m.args.is_empty() => expr_sql(&m.receiver),
        Expr::Path(p) => match last(&p.path).as_str() {
            "CurrentTimestamp" => Some("CURRENT_TIMESTAMP".to_owned()),
            "CurrentDate" => Some("CURRENT_DATE".to_owned()),
            "CurrentTime" => Some("CURRENT_TIME".to_owned()),
            "Null" => Some("NULL".to_owned()),
            _ => None,
        },
        Expr::Lit(_) | Expr::Unary(_) => literal_sql(expr),
        _ => None,
    }
}

fn literal_sql(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Bool(b) => Some(if b.value { "TRUE" } else { "FALSE" }.to_owned()),
            syn::Lit::Int(i) => Some(i.base10_digits().to_owned()),
            syn::Lit::Float(f) => Some(f.base10_digits().to_owned()),
            syn::Lit::Str(s) => Some(quote_literal(&s.value())),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
            literal_sql(&u.expr).map(|s| format!("-{s}"))
        }
        _ => None,
    }
}
