//! The table-level shapes: `index(..)` and `unique(..)` (one shape: `columns(..)` or `expr`,
//! plus `name`, `where` and, for indexes, `method`) and `check(name, expr)`; each may be limited
//! to some dialects with `dialects(..)`.

use autogen_schema::Dialect;

use crate::attrs::{Arg, ArgValue, Entry};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::expr::{Token, split_top_level, tokenize};
use crate::keys::{self, KeySet};
use crate::sqltext::Shape;

const INDEX_KEYS: &[&str] = &["columns", "expr", "name", "method", "where", "dialects"];
const UNIQUE_KEYS: &[&str] = &["columns", "expr", "name", "where", "dialects"];
const CHECK_KEYS: &[&str] = &["name", "expr", "dialects"];

#[derive(Debug, Clone)]
pub(crate) struct IndexDef {
    pub unique: bool,
    pub keys: Vec<KeyDef>,
    pub name: Option<(String, Loc)>,
    pub method: Option<String>,
    pub predicate: Option<String>,
    /// Where `expr = ".."` and `where = ".."` were written.
    pub expr_loc: Option<Loc>,
    pub predicate_loc: Option<Loc>,
}

impl IndexDef {
    /// A UNIQUE constraint can only list plain ascending columns; anything more is a unique
    /// index (which PostgreSQL names `_idx`, not `_key`).
    pub fn is_constraint(&self) -> bool {
        self.unique
            && self.predicate.is_none()
            && self.method.is_none()
            && self.keys.iter().all(|k| match k {
                KeyDef::Column {
                    descending,
                    nulls_first,
                    ..
                } => !descending && nulls_first.is_none(),
                KeyDef::Expression(_) => false,
            })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum KeyDef {
    Column {
        name: String,
        loc: Loc,
        descending: bool,
        /// Only when it differs from the default for the order, like the IR.
        nulls_first: Option<bool>,
    },
    Expression(String),
}

#[derive(Debug, Clone)]
pub(crate) struct CheckDef {
    pub name: Option<(String, Loc)>,
    pub expr: String,
    pub expr_loc: Loc,
}

/// `index(..)` or `unique(..)` on a struct.
pub(crate) fn read_index(
    arg: &Arg,
    unique: bool,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<IndexDef> {
    let (place, allowed, form) = if unique {
        ("unique(..)", UNIQUE_KEYS, "unique(columns(a, b))")
    } else {
        ("index(..)", INDEX_KEYS, "index(columns(a, b))")
    };
    let entries = keys::list(arg, form, sink)?;
    let (dialect, applies) = dialect_to_read(entries, dialect, sink)?;
    let mut set = KeySet::new(place, allowed);
    let mut def = IndexDef {
        unique,
        keys: Vec::new(),
        name: None,
        method: None,
        predicate: None,
        expr_loc: None,
        predicate_loc: None,
    };
    let mut ok = true;
    for entry in entries {
        let Entry::Arg(inner) = entry else {
            keys::not_a_key(entry, &set, sink);
            ok = false;
            continue;
        };
        if !set.accept(inner, sink) {
            ok = false;
            continue;
        }
        match inner.key.as_str() {
            "columns" => match read_columns(inner, sink) {
                Some(columns) => def.keys.extend(columns),
                None => ok = false,
            },
            // One expression or several, comma-separated: `expr = "lower(a), lower(b)"`.
            "expr" => match keys::sql(
                inner,
                &format!("{}(expr = ..)", arg.key),
                Shape::ExpressionList,
                dialect,
                sink,
            ) {
                Some((text, loc)) => {
                    def.expr_loc = Some(loc);
                    let parts = split_top_level(&text);
                    if parts.iter().any(String::is_empty) {
                        ok = false;
                        sink.error(
                            loc,
                            DiagnosticKind::WrongValue,
                            format!("an empty expression in `expr = \"{text}\"`"),
                        );
                    }
                    def.keys.extend(parts.into_iter().map(KeyDef::Expression));
                }
                None => ok = false,
            },
            "name" => def.name = keys::name(inner, sink),
            "method" => def.method = keys::name(inner, sink).map(|(m, _)| m.to_lowercase()),
            "dialects" => {}
            _ => match keys::sql(inner, "where", Shape::Expression, dialect, sink) {
                Some((predicate, loc)) => {
                    def.predicate = Some(predicate);
                    def.predicate_loc = Some(loc);
                }
                None => ok = false,
            },
        }
    }
    if let (Some(columns), Some(expr)) = (set.loc("columns"), set.loc("expr")) {
        let second = if columns.line > expr.line
            || (columns.line == expr.line && columns.column > expr.column)
        {
            columns
        } else {
            expr
        };
        sink.error(
            second,
            DiagnosticKind::ConflictingKeys,
            format!("{place} takes either `columns(..)` or `expr = \"..\"`, not both"),
        );
        return None;
    }
    if def.keys.is_empty() {
        if ok {
            sink.error(
                arg.key_loc,
                DiagnosticKind::WrongValue,
                format!("{place} needs `columns(..)` or `expr = \"..\"`: `{form}`"),
            );
        }
        return None;
    }
    // Kept even after an error in one of its keys, so its columns are still checked.
    applies.then_some(def)
}

/// The dialect a shape's SQL is read in, and whether the shape exists on `dialect`: a shape
/// limited by `dialects(..)` to others is still read, in the first dialect it names, so its
/// errors are reported whatever database the models are read for. `None`: `dialects(..)` is
/// malformed (reported).
fn dialect_to_read(
    entries: &[Entry],
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<(Dialect, bool)> {
    match keys::dialects(entries, sink).ok()? {
        Some(only) if !only.contains(&dialect) => Some((*only.first()?, false)),
        Some(_) | None => Some((dialect, true)),
    }
}

/// `columns(a, "b DESC", "c NULLS FIRST")`.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the entries named are read here; any other is refused alike"
)]
fn read_columns(arg: &Arg, sink: &mut Sink) -> Option<Vec<KeyDef>> {
    let form = "columns(a, \"b DESC\")";
    let entries = keys::list(arg, form, sink)?;
    let mut out = Vec::new();
    let mut ok = true;
    for entry in entries {
        match entry {
            Entry::Arg(Arg {
                key,
                key_loc,
                value: ArgValue::Flag,
            }) => out.push(KeyDef::Column {
                name: key.clone(),
                loc: *key_loc,
                descending: false,
                nulls_first: None,
            }),
            Entry::Str(text, loc) => match ordered_column(text) {
                Some((name, descending, nulls_first)) => out.push(KeyDef::Column {
                    name,
                    loc: *loc,
                    descending,
                    nulls_first,
                }),
                None => {
                    ok = false;
                    sink.error(
                        *loc,
                        DiagnosticKind::WrongValue,
                        format!(
                            "cannot read `{text}` as a column with its order; expected `column [ASC | DESC] [NULLS FIRST | NULLS LAST]`"
                        ),
                    );
                }
            },
            other => {
                ok = false;
                sink.error(
                    other.loc(),
                    DiagnosticKind::WrongValue,
                    format!("`columns` takes column names: `{form}`"),
                );
            }
        }
    }
    if out.is_empty() && ok {
        sink.error(
            arg.key_loc,
            DiagnosticKind::WrongValue,
            format!("`columns` needs at least one column: `{form}`"),
        );
        return None;
    }
    // The columns that could be read, so the others are still checked against the table.
    (!out.is_empty()).then_some(out)
}

/// `"created_at DESC NULLS LAST"` -> (`created_at`, descending, nulls placement when it is
/// not the default of the order).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the tokens named matter here; the others are handled alike"
)]
fn ordered_column(text: &str) -> Option<(String, bool, Option<bool>)> {
    // The column keeps its case unless quoted: it names a model column, not an SQL word.
    let trimmed = text.trim();
    let (name, rest) = if let Some(quoted) = trimmed.strip_prefix('"') {
        let end = quoted.find('"')?;
        (quoted[..end].to_owned(), &quoted[end + 1..])
    } else {
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        (trimmed[..end].to_owned(), &trimmed[end..])
    };
    if name.is_empty() {
        return None;
    }
    let words: Vec<String> = tokenize(rest)
        .into_iter()
        .map(|t| match t {
            Token::Ident {
                text,
                quoted: false,
            } => Some(text),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut words = words.iter().map(String::as_str).peekable();
    let descending = match words.peek() {
        Some(&"desc") => {
            words.next();
            true
        }
        Some(&"asc") => {
            words.next();
            false
        }
        _ => false,
    };
    let nulls_first = match (words.next(), words.next()) {
        (None, _) => None,
        (Some("nulls"), Some("first")) => Some(true),
        (Some("nulls"), Some("last")) => Some(false),
        _ => return None,
    };
    if words.next().is_some() {
        return None;
    }
    Some((name, descending, nulls_first.filter(|f| *f != descending)))
}

/// `check(name = "..", expr = "..")` on a struct.
pub(crate) fn read_check(arg: &Arg, dialect: Dialect, sink: &mut Sink) -> Option<CheckDef> {
    let form = "check(name = \"..\", expr = \"..\")";
    let entries = keys::list(arg, form, sink)?;
    let (dialect, applies) = dialect_to_read(entries, dialect, sink)?;
    let mut set = KeySet::new("check(..)", CHECK_KEYS);
    let mut name = None;
    let mut expr = None;
    let mut ok = true;
    for entry in entries {
        let Entry::Arg(inner) = entry else {
            keys::not_a_key(entry, &set, sink);
            ok = false;
            continue;
        };
        if !set.accept(inner, sink) {
            ok = false;
            continue;
        }
        if inner.key == "dialects" {
            continue;
        }
        let value = if inner.key == "name" {
            keys::name(inner, sink)
        } else {
            keys::sql(inner, "check(expr = ..)", Shape::Expression, dialect, sink)
        };
        ok &= value.is_some();
        if inner.key == "name" {
            name = value;
        } else {
            expr = value;
        }
    }
    let Some(expr) = expr else {
        if ok {
            sink.error(
                arg.key_loc,
                DiagnosticKind::WrongValue,
                format!("`check` needs `expr`: `{form}`"),
            );
        }
        return None;
    };
    let (expr, expr_loc) = expr;
    (ok && applies).then_some(CheckDef {
        name,
        expr,
        expr_loc,
    })
}

#[cfg(test)]
mod tests {
    use super::ordered_column;

    #[test]
    fn a_column_entry_carries_its_order() {
        assert_eq!(
            ordered_column("created_at DESC"),
            Some(("created_at".into(), true, None))
        );
        assert_eq!(
            ordered_column("a desc nulls last"),
            Some(("a".into(), true, Some(false)))
        );
        assert_eq!(
            ordered_column("a NULLS FIRST"),
            Some(("a".into(), false, Some(true)))
        );
        assert_eq!(
            ordered_column("a asc nulls last"),
            Some(("a".into(), false, None))
        );
        assert_eq!(
            ordered_column("\"Odd Name\" DESC"),
            Some(("Odd Name".into(), true, None))
        );
        assert_eq!(ordered_column("a sideways"), None);
        assert_eq!(ordered_column(""), None);
    }
}
