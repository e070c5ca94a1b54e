//! `foreign_key(..)` on a struct: a foreign key of one or more columns, with its name and
//! actions, where a field's `references` says a one-column key of the default name.

use autogen_schema::{Deferrable, MatchType, QualifiedName, ReferentialAction};

use crate::attrs::{Arg, Entry};
use crate::columns::{ACTIONS, referential_action};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::keys::{self, KeySet};

const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "name",
    "on_delete",
    "on_update",
    "deferrable",
    "initially_deferred",
    "match_full",
    "not_valid",
];

#[derive(Debug, Clone)]
pub(crate) struct ForeignKeyDef {
    pub columns: Vec<(String, Loc)>,
    /// The referenced table, without a schema when the text gave none.
    pub schema: Option<String>,
    pub table: String,
    pub target_columns: Vec<String>,
    pub text: String,
    pub loc: Loc,
    pub name: Option<(String, Loc)>,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    pub deferrable: Deferrable,
    pub match_type: MatchType,
    pub not_valid: bool,
}

impl ForeignKeyDef {
    pub fn target(&self, default_schema: &str) -> QualifiedName {
        QualifiedName::new(
            self.schema
                .clone()
                .unwrap_or_else(|| default_schema.to_owned()),
            self.table.clone(),
        )
    }
}

/// `foreign_key(columns(a, b), references = "t(x, y)", name = "..", on_delete = "..")`.
pub(crate) fn read_foreign_key(arg: &Arg, sink: &mut Sink) -> Option<ForeignKeyDef> {
    let form = "foreign_key(columns(a, b), references = \"table(x, y)\")";
    let entries = keys::list(arg, form, sink)?;
    let mut set = KeySet::new("foreign_key(..)", FOREIGN_KEY_KEYS);
    let mut columns = None;
    let mut target = None;
    let mut name = None;
    let mut actions = [ReferentialAction::NoAction; 2];
    let mut flags = Flags::default();
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
            "columns" => columns = keys::names(inner, "columns(a, b)", sink),
            "references" => target = keys::name(inner, sink),
            "name" => name = keys::name(inner, sink),
            "deferrable" | "initially_deferred" | "match_full" | "not_valid" => {
                ok &= flags.read(inner, sink)
            }
            key => {
                let Some((text, loc)) = keys::string(inner, sink) else {
                    ok = false;
                    continue;
                };
                match referential_action(&text) {
                    Some(action) => actions[usize::from(key == "on_update")] = action,
                    None => {
                        ok = false;
                        sink.error(
                            loc,
                            DiagnosticKind::BadReferentialAction,
                            format!("unknown `{key}` action `{text}`; expected one of: {ACTIONS}"),
                        );
                    }
                }
            }
        }
    }
    let (Some(columns), Some((text, loc))) = (columns, target) else {
        if ok {
            sink.error(
                arg.key_loc,
                DiagnosticKind::WrongValue,
                format!("`foreign_key` needs `columns(..)` and `references`: `{form}`"),
            );
        }
        return None;
    };
    let Some((schema, table, target_columns)) = parse_target(&text) else {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            format!(
                "cannot read `references = \"{text}\"`; expected \"table(x, y)\" or \"schema.table(x, y)\""
            ),
        );
        return None;
    };
    if target_columns.len() != columns.len() {
        sink.error(
            loc,
            DiagnosticKind::WrongValue,
            format!(
                "`foreign_key` has {} columns but references {}",
                columns.len(),
                target_columns.len()
            ),
        );
        return None;
    }
    ok.then_some(ForeignKeyDef {
        columns,
        schema,
        table,
        target_columns,
        text,
        loc,
        name,
        on_delete: actions[0],
        on_update: actions[1],
        deferrable: flags.deferrable(),
        match_type: if flags.match_full {
            MatchType::Full
        } else {
            MatchType::Simple
        },
        not_valid: flags.not_valid,
    })
}

/// The flags of a constraint: `deferrable`, `initially_deferred` (deferrable, and deferred
/// until the transaction commits, whether or not `deferrable` is written), `match_full`,
/// `not_valid`, `nulls_not_distinct`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flags {
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub match_full: bool,
    pub not_valid: bool,
    pub nulls_not_distinct: bool,
}

impl Flags {
    /// Reads one flag key (the caller accepted it); false when its value is wrong (reported).
    pub fn read(&mut self, arg: &Arg, sink: &mut Sink) -> bool {
        let Some(on) = keys::flag(arg, sink) else {
            return false;
        };
        match arg.key.as_str() {
            "deferrable" => self.deferrable = on,
            "initially_deferred" => self.initially_deferred = on,
            "match_full" => self.match_full = on,
            "not_valid" => self.not_valid = on,
            _ => self.nulls_not_distinct = on,
        }
        true
    }

    pub fn deferrable(&self) -> Deferrable {
        if self.initially_deferred {
            Deferrable::InitiallyDeferred
        } else if self.deferrable {
            Deferrable::InitiallyImmediate
        } else {
            Deferrable::NotDeferrable
        }
    }
}

/// `schema.table(a, b)` -> (schema, table, columns). Names are taken as written; a name with
/// a `.`, `(` or `,` cannot be said here.
fn parse_target(text: &str) -> Option<(Option<String>, String, Vec<String>)> {
    let (relation, rest) = text.split_once('(')?;
    let inner = rest.trim_end().strip_suffix(')')?;
    let columns: Vec<String> = inner.split(',').map(|c| c.trim().to_owned()).collect();
    if columns.iter().any(String::is_empty) {
        return None;
    }
    let (schema, table) = match relation.trim().split_once('.') {
        Some((schema, table)) => (Some(schema.trim().to_owned()), table.trim().to_owned()),
        None => (None, relation.trim().to_owned()),
    };
    if table.is_empty() || schema.as_deref() == Some("") {
        return None;
    }
    Some((schema, table, columns))
}
