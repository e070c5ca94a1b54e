//! A column default as `default = <literal>` when the reader's own literal rule
//! (`crate::defaults::literal_sql`) gives the database's text back exactly, else as
//! `default_sql = ".."` with the text the database prints.

use autogen_schema::{ColumnType, Dialect};

use crate::attrs::Literal;
use crate::defaults::literal_sql;
use crate::enums::Enums;
use crate::write::text::{Key, string_literal};

/// The key that says `default` for a column of type `ty`. `enums` are the model's enum types
/// (a literal default of an enum column must be one of its labels).
pub(crate) fn default_key(default: &str, ty: &ColumnType, dialect: Dialect, enums: &Enums) -> Key {
    for (literal, rust) in literals(default) {
        if literal_sql(&literal, ty, dialect, enums).as_deref() == Ok(default) {
            return Key::Raw("default", rust);
        }
    }
    Key::Str("default_sql", default.to_owned())
}

/// The literals `text` may have been written from, each with its Rust spelling.
pub(crate) fn literals(text: &str) -> Vec<(Literal, String)> {
    let mut out = Vec::new();
    if text == "true" || text == "false" {
        out.push((Literal::Bool(text == "true"), text.to_owned()));
    }
    let inner = quoted_inner(text);
    let number = inner.as_deref().unwrap_or(text);
    if is_integer(number) {
        out.push((Literal::Int(number.to_owned()), number.to_owned()));
    } else if is_decimal(number) {
        out.push((Literal::Float(number.to_owned()), number.to_owned()));
    }
    if let Some(inner) = inner {
        out.push((Literal::Str(inner.clone()), string_literal(&inner)));
    }
    out
}

/// `x` of `'x'` or `'x'::type` (`''` read as `'`), when the whole text is that.
fn quoted_inner(text: &str) -> Option<String> {
    let rest = text.strip_prefix('\'')?;
    let mut inner = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            inner.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, next)| *next == '\'') {
            chars.next();
            inner.push('\'');
            continue;
        }
        let after = &rest[i + 1..];
        let plain = after.is_empty()
            || after
                .strip_prefix("::")
                .is_some_and(|cast| !cast.is_empty() && is_type_name(cast));
        return plain.then_some(inner);
    }
    None
}

/// A cast target as `pg_get_expr` prints it: words, dots and quotes (`character varying`,
/// `timestamp with time zone`, `public.status`).
fn is_type_name(cast: &str) -> bool {
    cast.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '.' | '"' | '[' | ']'))
}

/// `12`, `-3`: digits the attribute parser reads back as the same whole number.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.len() < 19 && digits.chars().all(|c| c.is_ascii_digit())
}

/// `1.5`, `-0.25`: a decimal the attribute parser reads back with the same digits.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let Some((whole, fraction)) = digits.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_literals_are_read_with_their_cast() {
        assert_eq!(quoted_inner("'it''s'::text"), Some("it's".to_owned()));
        assert_eq!(quoted_inner("'x'"), Some("x".to_owned()));
        assert_eq!(quoted_inner("'a'::character varying"), Some("a".to_owned()));
        assert_eq!(quoted_inner("'a'::text || 'b'::text"), None);
        assert_eq!(quoted_inner("now()"), None);
    }
}
