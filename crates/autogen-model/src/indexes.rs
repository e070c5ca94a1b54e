//! The table-level shapes: `index(..)` and `unique(..)` (one shape: `columns(..)` or `expr`,
//! plus `name`, `where` and, for indexes, `method`) and `check(name, expr)`; each may be limited
//! to some dialects with `dialects(..)`.

use autogen_schema::{Deferrable, Dialect};

use crate::attrs::{Arg, ArgValue, Entry};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::expr::split_top_level;
use crate::foreign_keys::Flags;
use crate::index_element::{self, ElementTarget};
use crate::keys::{self, KeySet};
use crate::sqltext::{self, Shape};

const INDEX_KEYS: &[&str] = &[
    "columns",
    "expr",
    "name",
    "method",
    "where",
    "unique",
    "nulls_not_distinct",
    "include",
    "dialects",
];
const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "expr",
    "name",
    "where",
    "nulls_not_distinct",
    "deferrable",
    "initially_deferred",
    "dialects",
];
const CHECK_KEYS: &[&str] = &["name", "expr", "no_inherit", "not_valid", "dialects"];

#[derive(Debug, Clone)]
pub(crate) struct IndexDef {
    pub unique: bool,
    /// `index(.., unique)`: a unique index, never a UNIQUE constraint.
    pub unique_index: bool,
    pub nulls_not_distinct: bool,
    /// `unique(.., deferrable)`: only a constraint can be deferred.
    pub deferrable: Deferrable,
    pub keys: Vec<KeyDef>,
    /// `include(a, b)`: PostgreSQL's `INCLUDE`, columns stored in the index but not keys.
    pub include: Vec<(String, Loc)>,
    pub name: Option<(String, Loc)>,
    pub method: Option<String>,
    pub predicate: Option<String>,
    /// Where `expr = ".."` (or the first expression element) and `where = ".."` were written.
    pub expr_loc: Option<Loc>,
    pub predicate_loc: Option<Loc>,
}

impl IndexDef {
    /// A UNIQUE constraint can only list plain ascending columns; anything more is a unique
    /// index (which PostgreSQL names `_idx`, not `_key`), and so is `index(.., unique)`.
    pub fn is_constraint(&self) -> bool {
        self.unique
            && !self.unique_index
            && self.predicate.is_none()
            && self.method.is_none()
            && self.include.is_empty()
            && self.keys.iter().all(KeyDef::is_plain_column)
    }
}

/// One key of an index: a column or an expression, with its order, operator class,
/// collation and prefix length.
#[derive(Debug, Clone)]
pub(crate) struct KeyDef {
    pub target: KeyTarget,
    pub descending: bool,
    /// Only when it differs from the default for the order, like the IR.
    pub nulls_first: Option<bool>,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    pub length: Option<u32>,
}

#[derive(Debug, Clone)]
pub(crate) enum KeyTarget {
    Column { name: String, loc: Loc },
    Expression(String),
}

impl KeyDef {
    fn new(target: KeyTarget) -> KeyDef {
        KeyDef {
            target,
            descending: false,
            nulls_first: None,
            opclass: None,
            collation: None,
            length: None,
        }
    }

    /// A column, ascending, with nothing else said: what a UNIQUE constraint may list.
    pub fn is_plain_column(&self) -> bool {
        matches!(self.target, KeyTarget::Column { .. })
            && !self.descending
            && self.nulls_first.is_none()
            && self.opclass.is_none()
            && self.collation.is_none()
            && self.length.is_none()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CheckDef {
    pub name: Option<(String, Loc)>,
    pub expr: String,
    pub expr_loc: Loc,
    /// `no_inherit`: PostgreSQL's `NO INHERIT` (the check does not pass to child tables).
    pub no_inherit: bool,
    /// `not_valid`: the check holds for new rows only; existing rows are not checked.
    pub not_valid: bool,
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
        unique_index: false,
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
        keys: Vec::new(),
        include: Vec::new(),
        name: None,
        method: None,
        predicate: None,
        expr_loc: None,
        predicate_loc: None,
    };
    let mut ok = true;
    let mut flags = Flags::default();
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
            "columns" => match read_columns(inner, dialect, sink) {
                Some((columns, expr_loc)) => {
                    def.keys.extend(columns);
                    def.expr_loc = def.expr_loc.or(expr_loc);
                }
                None => ok = false,
            },
            "include" => match keys::names(inner, "include(a, b)", sink) {
                Some(columns) => def.include = columns,
                None => ok = false,
            },
            "unique" => match keys::flag(inner, sink) {
                Some(on) => {
                    def.unique = on;
                    def.unique_index = on;
                }
                None => ok = false,
            },
            "nulls_not_distinct" | "deferrable" | "initially_deferred" => {
                ok &= flags.read(inner, sink)
            }
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
                    def.keys.extend(
                        parts
                            .into_iter()
                            .map(|e| KeyDef::new(KeyTarget::Expression(e))),
                    );
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
    def.nulls_not_distinct = flags.nulls_not_distinct;
    def.deferrable = flags.deferrable();
    if !def.deferrable.is_not_deferrable() && !def.is_constraint() {
        let at = set
            .loc("deferrable")
            .or(set.loc("initially_deferred"))
            .unwrap_or(arg.key_loc);
        sink.error(
            at,
            DiagnosticKind::ConflictingKeys,
            "only a UNIQUE constraint (plain ascending columns, no `where`) can be `deferrable`; this is a unique index",
        );
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

/// `columns(a, "b DESC", "name text_pattern_ops", "(lower(email))")`: each entry a column,
/// or a string that is an index element (`crate::index_element`). With the place of the first
/// expression element, for messages about it.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the entries named are read here; any other is refused alike"
)]
fn read_columns(
    arg: &Arg,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<(Vec<KeyDef>, Option<Loc>)> {
    let form = "columns(a, \"b DESC\")";
    let entries = keys::list(arg, form, sink)?;
    let mut out = Vec::new();
    let mut expr_loc = None;
    let mut ok = true;
    for entry in entries {
        match entry {
            Entry::Arg(Arg {
                key,
                key_loc,
                value: ArgValue::Flag,
            }) => out.push(KeyDef::new(KeyTarget::Column {
                name: key.clone(),
                loc: *key_loc,
            })),
            Entry::Str(text, loc) => match index_element::parse(text) {
                Ok(element) => {
                    let target = match element.target {
                        ElementTarget::Column(name) => KeyTarget::Column { name, loc: *loc },
                        ElementTarget::Expression(expr) => {
                            if let Err(message) = sqltext::check(
                                &expr,
                                Shape::Expression,
                                dialect,
                                "columns(\"(..)\")",
                            ) {
                                ok = false;
                                sink.error(*loc, DiagnosticKind::MalformedExpression, message);
                                continue;
                            }
                            expr_loc = expr_loc.or(Some(*loc));
                            KeyTarget::Expression(expr)
                        }
                    };
                    out.push(KeyDef {
                        target,
                        descending: element.descending,
                        nulls_first: element.nulls_first,
                        opclass: element.opclass,
                        collation: element.collation,
                        length: element.length,
                    });
                }
                Err(problem) => {
                    ok = false;
                    sink.error(
                        *loc,
                        DiagnosticKind::WrongValue,
                        format!(
                            "cannot read `{text}` as an index key: {problem}; expected {}",
                            index_element::FORM
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
    (!out.is_empty()).then_some((out, expr_loc))
}

/// `check(name = "..", expr = "..")` on a struct.
pub(crate) fn read_check(arg: &Arg, dialect: Dialect, sink: &mut Sink) -> Option<CheckDef> {
    let form = "check(name = \"..\", expr = \"..\")";
    let entries = keys::list(arg, form, sink)?;
    let (dialect, applies) = dialect_to_read(entries, dialect, sink)?;
    let mut set = KeySet::new("check(..)", CHECK_KEYS);
    let mut name = None;
    let mut expr = None;
    let mut flags = [false; 2];
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
        if inner.key == "no_inherit" || inner.key == "not_valid" {
            match keys::flag(inner, sink) {
                Some(on) => flags[usize::from(inner.key == "not_valid")] = on,
                None => ok = false,
            }
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
        no_inherit: flags[0],
        not_valid: flags[1],
    })
}
