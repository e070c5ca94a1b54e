//! Reading one key's value, with the error that says what the key takes when it is wrong.

use std::collections::BTreeMap;

use autogen_schema::Dialect;

use crate::attrs::{Arg, ArgValue, Entry, Literal, Value};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::sqltext::{self, Shape};

/// The keys one place accepts, for the unknown-key message and the duplicate check.
pub(crate) struct KeySet {
    /// "a struct", "a field", "index(..)", ...
    pub place: &'static str,
    pub keys: &'static [&'static str],
    seen: BTreeMap<String, Loc>,
}

impl KeySet {
    pub fn new(place: &'static str, keys: &'static [&'static str]) -> KeySet {
        KeySet {
            place,
            keys,
            seen: BTreeMap::new(),
        }
    }

    /// Registers `arg`; false (with a diagnostic) when the key is unknown here or given twice.
    pub fn accept(&mut self, arg: &Arg, sink: &mut Sink) -> bool {
        if !self.keys.contains(&arg.key.as_str()) {
            let hint = closest(&arg.key, self.keys)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            sink.error(
                arg.key_loc,
                DiagnosticKind::UnknownKey,
                format!(
                    "unknown key `{}` on {}{hint}; expected one of: {}",
                    arg.key,
                    self.place,
                    self.keys.join(", ")
                ),
            );
            return false;
        }
        if self.seen.contains_key(&arg.key) {
            sink.error(
                arg.key_loc,
                DiagnosticKind::DuplicateKey,
                format!("`{}` is given twice on {}", arg.key, self.place),
            );
            return false;
        }
        self.seen.insert(arg.key.clone(), arg.key_loc);
        true
    }

    /// Where a key was given, when it was.
    pub fn loc(&self, key: &str) -> Option<Loc> {
        self.seen.get(key).copied()
    }
}

/// Reports an entry that is not a key (a bare string or literal where keys go).
pub(crate) fn not_a_key(entry: &Entry, set: &KeySet, sink: &mut Sink) {
    sink.error(
        entry.loc(),
        DiagnosticKind::Syntax,
        format!(
            "expected a key on {}; expected one of: {}",
            set.place,
            set.keys.join(", ")
        ),
    );
}

fn wrong(sink: &mut Sink, loc: Loc, message: String) {
    sink.error(loc, DiagnosticKind::WrongValue, message);
}

/// The value of `key = value`, or an error saying how the key is written.
pub(crate) fn value<'a>(arg: &'a Arg, form: &str, sink: &mut Sink) -> Option<&'a Value> {
    match &arg.value {
        ArgValue::Value(v) => Some(v),
        ArgValue::Flag | ArgValue::List(..) => {
            wrong(
                sink,
                arg.key_loc,
                format!("`{}` takes a value: `{form}`", arg.key),
            );
            None
        }
    }
}

/// `key = "text"`.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the literals named fit here; any other is refused alike"
)]
pub(crate) fn string(arg: &Arg, sink: &mut Sink) -> Option<(String, Loc)> {
    let form = format!("{} = \"..\"", arg.key);
    let v = value(arg, &form, sink)?;
    match &v.literal {
        Literal::Str(s) => Some((s.clone(), v.loc)),
        other => {
            wrong(
                sink,
                v.loc,
                format!(
                    "`{}` takes a string, not {}: `{form}`",
                    arg.key,
                    other.describe()
                ),
            );
            None
        }
    }
}

/// `key = "text"` where the text must not be empty.
pub(crate) fn name(arg: &Arg, sink: &mut Sink) -> Option<(String, Loc)> {
    let (text, loc) = string(arg, sink)?;
    if text.trim().is_empty() {
        wrong(sink, loc, format!("`{}` must not be empty", arg.key));
        return None;
    }
    Some((text, loc))
}

/// `key = "sql"` where the text must be exactly `shape` in `dialect` (one expression, one
/// type): anything else is reported at the value, saying what was expected, and gives `None`.
/// `label` names the attribute in the message (`check(expr = ..)`).
pub(crate) fn sql(
    arg: &Arg,
    label: &str,
    shape: Shape,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<(String, Loc)> {
    let (text, loc) = string(arg, sink)?;
    sql_text(text, loc, label, shape, dialect, sink)
}

fn sql_text(
    text: String,
    loc: Loc,
    label: &str,
    shape: Shape,
    dialect: Dialect,
    sink: &mut Sink,
) -> Option<(String, Loc)> {
    match sqltext::check(&text, shape, dialect, label) {
        Ok(()) => Some((text, loc)),
        Err(message) => {
            let kind = match shape {
                Shape::DataType => DiagnosticKind::MalformedSqlType,
                Shape::Expression | Shape::ExpressionList => DiagnosticKind::MalformedExpression,
            };
            sink.error(loc, kind, message);
            None
        }
    }
}

/// `key`, `key = true` or `key = false`.
pub(crate) fn flag(arg: &Arg, sink: &mut Sink) -> Option<bool> {
    match &arg.value {
        ArgValue::Flag => Some(true),
        ArgValue::Value(Value {
            literal: Literal::Bool(b),
            ..
        }) => Some(*b),
        ArgValue::Value(v) => {
            wrong(
                sink,
                v.loc,
                format!(
                    "`{}` is a flag: `{0}` or `{0} = false`, not {}",
                    arg.key,
                    v.literal.describe()
                ),
            );
            None
        }
        ArgValue::List(_, loc) => {
            wrong(
                sink,
                *loc,
                format!("`{}` is a flag: `{0}` or `{0} = false`", arg.key),
            );
            None
        }
    }
}

/// `key = N` with `N` a positive whole number that fits PostgreSQL's type modifiers.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the literals named fit here; any other is refused alike"
)]
pub(crate) fn positive(arg: &Arg, sink: &mut Sink) -> Option<u32> {
    let form = format!("{} = 10", arg.key);
    let v = value(arg, &form, sink)?;
    let parsed = match &v.literal {
        Literal::Int(digits) => digits.parse::<u32>().ok().filter(|n| *n > 0),
        _ => None,
    };
    if parsed.is_none() {
        wrong(
            sink,
            v.loc,
            format!(
                "`{}` takes a positive whole number{}: `{form}`",
                arg.key,
                not_a_number(&v.literal)
            ),
        );
    }
    parsed
}

/// `key = N` with `N` zero or more (`scale = 0`).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the literals named fit here; any other is refused alike"
)]
pub(crate) fn non_negative(arg: &Arg, sink: &mut Sink) -> Option<u32> {
    let form = format!("{} = 2", arg.key);
    let v = value(arg, &form, sink)?;
    let parsed = match &v.literal {
        Literal::Int(digits) => digits.parse::<u32>().ok(),
        _ => None,
    };
    if parsed.is_none() {
        wrong(
            sink,
            v.loc,
            format!(
                "`{}` takes a whole number, zero or more{}: `{form}`",
                arg.key,
                not_a_number(&v.literal)
            ),
        );
    }
    parsed
}

/// `, not a string` when the value is no whole number at all; nothing when it is one that is
/// out of range.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the literals named fit here; any other is refused alike"
)]
fn not_a_number(literal: &Literal) -> String {
    match literal {
        Literal::Int(_) => String::new(),
        other => format!(", not {}", other.describe()),
    }
}

/// `key(..)`.
pub(crate) fn list<'a>(arg: &'a Arg, form: &str, sink: &mut Sink) -> Option<&'a [Entry]> {
    match &arg.value {
        ArgValue::List(entries, _) => Some(entries),
        ArgValue::Flag => {
            wrong(
                sink,
                arg.key_loc,
                format!("`{}` takes a list: `{form}`", arg.key),
            );
            None
        }
        ArgValue::Value(v) => {
            wrong(sink, v.loc, format!("`{}` takes a list: `{form}`", arg.key));
            None
        }
    }
}

/// Names in a list, each a bare identifier or a string: `primary_key(a, b)`.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the entries named are read here; any other is refused alike"
)]
pub(crate) fn names(arg: &Arg, form: &str, sink: &mut Sink) -> Option<Vec<(String, Loc)>> {
    let entries = list(arg, form, sink)?;
    let mut out = Vec::new();
    let mut ok = true;
    for entry in entries {
        match entry {
            Entry::Arg(Arg {
                key,
                key_loc,
                value: ArgValue::Flag,
            }) => out.push((key.clone(), *key_loc)),
            Entry::Str(s, loc) => out.push((s.clone(), *loc)),
            other => {
                ok = false;
                wrong(
                    sink,
                    other.loc(),
                    format!("`{}` takes column names: `{form}`", arg.key),
                );
            }
        }
    }
    if out.is_empty() && ok {
        wrong(
            sink,
            arg.key_loc,
            format!("`{}` needs at least one column: `{form}`", arg.key),
        );
        return None;
    }
    ok.then_some(out)
}

/// `key = "text"` or `key(postgres = "..", mysql = "..", sqlite = "..")`: the text for
/// `dialect`, `None` when the per-dialect form leaves it out. Every text must be `shape` in the
/// dialect it is given for (all of them, so that a model is wrong or right whatever database
/// it is read for).
pub(crate) fn per_dialect(
    arg: &Arg,
    dialect: Dialect,
    shape: Shape,
    sink: &mut Sink,
) -> Option<Option<(String, Loc)>> {
    let ArgValue::List(entries, _) = &arg.value else {
        return sql(arg, &arg.key, shape, dialect, sink).map(Some);
    };
    let place: &'static str = if arg.key == "sql_type" {
        "sql_type(..)"
    } else {
        "default_sql(..)"
    };
    let mut set = KeySet::new(place, &["postgres", "mysql", "sqlite"]);
    let mut chosen = None;
    for entry in entries {
        let Entry::Arg(inner) = entry else {
            not_a_key(entry, &set, sink);
            continue;
        };
        if !set.accept(inner, sink) {
            continue;
        }
        let named = Dialect::from_name(&inner.key).unwrap_or(Dialect::Postgres);
        let label = format!("{}({} = ..)", arg.key, inner.key);
        let text = string(inner, sink)
            .and_then(|(text, loc)| sql_text(text, loc, &label, shape, named, sink));
        if inner.key == dialect.name() {
            chosen = text;
        }
    }
    Some(chosen)
}

/// `dialects(postgres, sqlite)` among the entries of a table-level shape (`index(..)`,
/// `unique(..)`, `check(..)`): the dialects it exists on, `Ok(None)` when the key is absent (on
/// every dialect), `Err` (reported) when it is malformed. The shape is still read, and its SQL
/// checked, when it does not apply to the dialect being read: a model is right or wrong
/// whatever database it is read for.
pub(crate) fn dialects(entries: &[Entry], sink: &mut Sink) -> Result<Option<Vec<Dialect>>, ()> {
    let Some(arg) = entries.iter().find_map(|entry| match entry {
        Entry::Arg(arg) if arg.key == "dialects" => Some(arg),
        Entry::Arg(_) | Entry::Str(..) | Entry::Other(_) => None,
    }) else {
        return Ok(None);
    };
    let form = "dialects(postgres, mysql, sqlite)";
    if let ArgValue::List(listed, loc) = &arg.value
        && listed.is_empty()
    {
        wrong(
            sink,
            *loc,
            format!("`dialects` needs at least one dialect: `{form}`"),
        );
        return Err(());
    }
    let names = names(arg, form, sink).ok_or(())?;
    let known: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
    let mut out = Vec::new();
    for (name, loc) in names {
        let Some(dialect) = Dialect::from_name(&name.to_lowercase()) else {
            let hint = closest(&name.to_lowercase(), &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            wrong(
                sink,
                loc,
                format!(
                    "unknown dialect `{name}` in `dialects(..)`{hint}; expected {} (MariaDB is mysql)",
                    known.join(", ")
                ),
            );
            return Err(());
        };
        if !out.contains(&dialect) {
            out.push(dialect);
        }
    }
    Ok(Some(out))
}

/// The known key nearest to a misspelt one, when it is near enough to be a typo.
fn closest<'k>(key: &str, keys: &[&'k str]) -> Option<&'k str> {
    keys.iter()
        .map(|k| (strsim::levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}
