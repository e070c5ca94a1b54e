//! `#[sea_orm(..)]` keys, read with the native reader's attribute parser. A key SeaORM's
//! macros do not take at that place is an error with its span: SeaORM itself would ignore
//! some of them, but a misspelt `nulable` would silently change the schema.

use crate::attrs::{Arg, ArgValue, Entry, Literal, tool_entries};
use crate::diagnostics::{DiagnosticKind, Loc, Sink};
use crate::keys;

pub(crate) struct SeaArgs {
    pub args: Vec<Arg>,
}

/// The `#[sea_orm(..)]` keys among `attrs`, each checked against `allowed`.
pub(crate) fn sea_args(
    attrs: &[syn::Attribute],
    file: usize,
    place: &str,
    allowed: &[&str],
    sink: &mut Sink,
) -> SeaArgs {
    let mut args = Vec::new();
    for entry in tool_entries(attrs, "sea_orm", file, sink) {
        match entry {
            Entry::Arg(arg) if allowed.contains(&arg.key.as_str()) => args.push(arg),
            Entry::Arg(arg) => sink.error(
                arg.key_loc,
                DiagnosticKind::UnknownKey,
                format!(
                    "unknown key `{}` in #[sea_orm(..)] on {place}; expected one of: {}",
                    arg.key,
                    allowed.join(", ")
                ),
            ),
            Entry::Str(_, loc) | Entry::Other(loc) => sink.error(
                loc,
                DiagnosticKind::Syntax,
                format!("expected a key in #[sea_orm(..)] on {place}"),
            ),
        }
    }
    SeaArgs { args }
}

impl SeaArgs {
    pub fn get(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// `key = "text"`.
    pub fn string(&self, key: &str, sink: &mut Sink) -> Option<(String, Loc)> {
        self.get(key).and_then(|a| keys::string(a, sink))
    }

    /// `key`, `key = true` or `key = false`; absent is `None`.
    pub fn flag(&self, key: &str, sink: &mut Sink) -> Option<bool> {
        self.get(key).and_then(|a| keys::flag(a, sink))
    }

    /// `key = <literal>` with the literal as written, or `None` (reported when malformed).
    pub fn literal(&self, key: &str, sink: &mut Sink) -> Option<(Literal, Loc)> {
        let arg = self.get(key)?;
        match &arg.value {
            ArgValue::Value(v) => Some((v.literal.clone(), v.loc)),
            ArgValue::Flag | ArgValue::List(..) => {
                sink.error(
                    arg.key_loc,
                    DiagnosticKind::WrongValue,
                    format!("`{key}` takes a value: `{key} = ..`"),
                );
                None
            }
        }
    }
}
