//! The value a down migration puts in the rows of a NOT NULL column it brings back.
//!
//! The up migration dropped the column and its values; the down re-adds it to a table that
//! has rows, and NOT NULL without a default fails there ("column .. contains null values").
//! The down adds it with this value as a temporary default (filling every row, in the same
//! statement) and then drops the default, so the column ends as it was defined, holding
//! placeholders that say "no value was kept". One rule for every dialect's renderer.

use crate::{Column, ColumnType, Dialect};

/// Whether re-adding `column` to a table with rows needs placeholder values: NOT NULL, and
/// nothing (a default, an identity, a generation expression) gives the rows a value.
pub fn needs_placeholder(column: &Column) -> bool {
    !column.nullable
        && column.default.is_none()
        && column.identity.is_none()
        && column.generated.is_none()
}

/// The zero value of `ty` on `dialect`, as SQL for a `DEFAULT` clause: `0`, `false`, `''`,
/// the epoch, the nil UUID, an empty JSON object or array, an enum's first label. `None` for a
/// type with no obvious zero (`inet`, `tsvector`, a spatial type): the column is re-added as
/// it was defined, which fails on rows.
pub fn placeholder_value(ty: &ColumnType, dialect: Dialect) -> Option<String> {
    let mysql = matches!(dialect, Dialect::MySql);
    Some(match ty {
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. } => "0".to_owned(),
        ColumnType::Boolean if mysql => "0".to_owned(),
        ColumnType::Boolean => "false".to_owned(),
        // MySQL 8 takes a default on TEXT, BLOB and JSON only as an expression.
        ColumnType::Text | ColumnType::Bytes if mysql => "('')".to_owned(),
        ColumnType::Text | ColumnType::Varchar { .. } | ColumnType::Char { .. } => "''".to_owned(),
        // SQLite's empty blob (a STRICT table's BLOB column takes no text).
        ColumnType::Bytes if matches!(dialect, Dialect::Sqlite) => "X''".to_owned(),
        ColumnType::Bytes => "''".to_owned(),
        // MySQL's TIMESTAMP starts at 1970-01-01 00:00:01 UTC, so the epoch in a session east
        // of UTC is out of its range: MySQL gets a date safely inside it.
        ColumnType::Date if mysql => "'2000-01-01'".to_owned(),
        ColumnType::Date => "'1970-01-01'".to_owned(),
        ColumnType::Time { .. } => "'00:00:00'".to_owned(),
        ColumnType::Timestamp { .. } if mysql => "'2000-01-01 00:00:00'".to_owned(),
        ColumnType::Timestamp {
            with_time_zone: true,
            ..
        } => "'1970-01-01 00:00:00+00'".to_owned(),
        ColumnType::Timestamp { .. } => "'1970-01-01 00:00:00'".to_owned(),
        ColumnType::Interval { .. } => "'0 seconds'".to_owned(),
        ColumnType::Uuid => "'00000000-0000-0000-0000-000000000000'".to_owned(),
        ColumnType::Json if mysql => "('{}')".to_owned(),
        ColumnType::Json | ColumnType::Jsonb => "'{}'".to_owned(),
        // A PostgreSQL enum's first label, read from the type when the statement runs.
        ColumnType::Enum { name } => format!("(enum_range(NULL::{}))[1]", name.quoted()),
        ColumnType::Array { .. } => "'{}'".to_owned(),
        ColumnType::Other { name } => return other_placeholder(name, dialect),
    })
}

/// MySQL's inline `enum('a','b')` (its first label) and `set(..)` (the empty set), and
/// `year`; nothing for any other type spelled verbatim.
fn other_placeholder(name: &str, dialect: Dialect) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    match dialect {
        Dialect::MySql if lower.starts_with("enum(") => {
            let labels = &name["enum(".len()..];
            let first = first_quoted(labels)?;
            Some(first.to_owned())
        }
        Dialect::MySql if lower.starts_with("set(") => Some("''".to_owned()),
        Dialect::MySql if lower == "year" || lower.starts_with("year(") => Some("2000".to_owned()),
        Dialect::MySql if lower.contains("int") => Some("0".to_owned()),
        // SQLite stores any value in any declared type: the zero of the type's affinity
        // (<https://www.sqlite.org/datatype3.html#determination_of_column_affinity>).
        Dialect::Sqlite => Some(sqlite_affinity_zero(&lower).to_owned()),
        Dialect::MySql | Dialect::Postgres => None,
    }
}

/// `0` for INTEGER and NUMERIC affinity, `0.0` for REAL, `''` for TEXT, `X''` for BLOB.
fn sqlite_affinity_zero(declared: &str) -> &'static str {
    if declared.contains("int") {
        "0"
    } else if ["char", "clob", "text"]
        .iter()
        .any(|t| declared.contains(t))
    {
        "''"
    } else if declared.contains("blob") || declared.trim().is_empty() {
        "X''"
    } else if ["real", "floa", "doub"]
        .iter()
        .any(|t| declared.contains(t))
    {
        "0.0"
    } else {
        "0"
    }
}

/// The first `'..'` literal of `text`, quotes included (`''` inside it kept).
fn first_quoted(text: &str) -> Option<&str> {
    let start = text.find('\'')?;
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(&text[start..=i]);
        }
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QualifiedName;

    #[test]
    fn each_type_has_its_zero() {
        let cases: &[(ColumnType, Dialect, Option<&str>)] = &[
            (ColumnType::Integer, Dialect::Postgres, Some("0")),
            (ColumnType::Boolean, Dialect::Postgres, Some("false")),
            (ColumnType::Boolean, Dialect::MySql, Some("0")),
            (ColumnType::Text, Dialect::Postgres, Some("''")),
            (ColumnType::Text, Dialect::MySql, Some("('')")),
            (
                ColumnType::Varchar { length: Some(5) },
                Dialect::MySql,
                Some("''"),
            ),
            (
                ColumnType::Uuid,
                Dialect::Postgres,
                Some("'00000000-0000-0000-0000-000000000000'"),
            ),
            (
                ColumnType::Enum {
                    name: QualifiedName::new("public", "mood"),
                },
                Dialect::Postgres,
                Some("(enum_range(NULL::\"public\".\"mood\"))[1]"),
            ),
            (
                ColumnType::Other {
                    name: "enum('it''s','b')".to_owned(),
                },
                Dialect::MySql,
                Some("'it''s'"),
            ),
            (
                ColumnType::Other {
                    name: "bigint unsigned".to_owned(),
                },
                Dialect::MySql,
                Some("0"),
            ),
            (
                ColumnType::Other {
                    name: "inet".to_owned(),
                },
                Dialect::Postgres,
                None,
            ),
        ];
        for (ty, dialect, want) in cases {
            assert_eq!(
                placeholder_value(ty, *dialect).as_deref(),
                *want,
                "{ty:?} on {dialect:?}"
            );
        }
    }
}
