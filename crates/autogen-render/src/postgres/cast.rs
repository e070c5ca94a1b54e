//! Whether `ALTER COLUMN .. TYPE` needs a `USING` cast, and which.
//!
//! Without `USING`, PostgreSQL converts with the assignment cast from the old type to the new
//! one and fails when there is none (`text` -> `integer`, anything -> an enum). With `USING
//! col::new`, it uses the explicit cast, which for some pairs behaves differently: an explicit
//! cast to `varchar(n)` silently truncates where the assignment cast raises an error. So
//! `USING` is written only where the types are of different families, and never between
//! members of one family, where the assignment cast exists and is the safer one.

use autogen_schema::{ColumnType, Dialect, quote_ident};

/// Related types between which PostgreSQL has an implicit or assignment cast.
#[derive(PartialEq, Eq)]
enum Family {
    String,
    Number,
    /// `date`, `timestamp`, `timestamptz`.
    DateTime,
    Time,
    Interval,
}

fn family(ty: &ColumnType) -> Option<Family> {
    match ty {
        ColumnType::Text | ColumnType::Varchar { .. } | ColumnType::Char { .. } => {
            Some(Family::String)
        }
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. } => Some(Family::Number),
        ColumnType::Date | ColumnType::Timestamp { .. } => Some(Family::DateTime),
        ColumnType::Time { .. } => Some(Family::Time),
        ColumnType::Interval { .. } => Some(Family::Interval),
        ColumnType::Boolean
        | ColumnType::Bytes
        | ColumnType::Uuid
        | ColumnType::Json
        | ColumnType::Jsonb
        | ColumnType::Enum { .. }
        | ColumnType::Array { .. }
        | ColumnType::Other { .. } => None,
    }
}

/// True when changing a PostgreSQL column from `from` to `to` needs `USING "col"::to`: the
/// types are of different families (`integer` -> `text`, `text` -> `integer`, enum -> `text`,
/// `json` -> `jsonb`). Widening or narrowing within a family (`varchar(50)` -> `varchar(100)`,
/// `varchar` -> `text`, `integer` -> `bigint`, `timestamp` -> `timestamptz`) needs none.
pub fn needs_using_cast(from: &ColumnType, to: &ColumnType) -> bool {
    !converts_by_assignment(from, to)
}

fn converts_by_assignment(from: &ColumnType, to: &ColumnType) -> bool {
    if from == to {
        return true;
    }
    match (from, to) {
        (
            ColumnType::Array {
                element: a,
                dimensions: m,
            },
            ColumnType::Array {
                element: b,
                dimensions: n,
            },
        ) => m == n && converts_by_assignment(a, b),
        _ => matches!((family(from), family(to)), (Some(f), Some(g)) if f == g),
    }
}

/// The `USING` expression for `column` going from `from` to `to`. An enum has casts only to and
/// from the string types, so a change between an enum and anything else goes through `text`.
pub(super) fn using_expression(column: &str, from: &ColumnType, to: &ColumnType) -> String {
    let column = quote_ident(column);
    let target = to.sql(Dialect::Postgres);
    let (from_base, from_dims) = base(from);
    let (to_base, to_dims) = base(to);
    let through_text = (is_enum(from_base) || is_enum(to_base))
        && family(from_base) != Some(Family::String)
        && family(to_base) != Some(Family::String)
        && from_dims == to_dims;
    if through_text {
        format!("{column}::{}::{target}", text_type(to_dims))
    } else {
        format!("{column}::{target}")
    }
}

/// `text`, `text[]`, `text[][]`, ...: the string form of an array of `dimensions`.
pub(super) fn text_type(dimensions: u32) -> String {
    format!("text{}", "[]".repeat(dimensions as usize))
}

/// The element type and number of array dimensions.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named differ here; every other type is handled alike"
)]
pub(super) fn base(ty: &ColumnType) -> (&ColumnType, u32) {
    match ty {
        ColumnType::Array {
            element,
            dimensions,
        } => (element, *dimensions),
        other => (other, 0),
    }
}

fn is_enum(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Enum { .. })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixtures::ty as parse;

    /// One line per pair: `from -> to: USING expr` or `from -> to: no cast`.
    fn check(pairs: &[(&str, &str)]) -> String {
        pairs
            .iter()
            .map(|(from, to)| {
                let (from_ty, to_ty) = (parse(from), parse(to));
                let verdict = if needs_using_cast(&from_ty, &to_ty) {
                    format!("USING {}", using_expression("c", &from_ty, &to_ty))
                } else {
                    "no cast".to_owned()
                };
                format!("{from} -> {to}: {verdict}\n")
            })
            .collect()
    }

    #[test]
    fn using_is_written_only_across_type_families() {
        insta::assert_snapshot!(check(&[
            ("varchar(50)", "varchar(100)"),
            ("varchar(100)", "varchar(50)"),
            ("varchar(50)", "text"),
            ("text", "varchar(20)"),
            ("char(3)", "text"),
            ("integer", "bigint"),
            ("bigint", "integer"),
            ("integer", "numeric(10,2)"),
            ("timestamp", "timestamptz"),
            ("date", "timestamp"),
            ("integer[]", "bigint[]"),
            ("integer", "text"),
            ("text", "integer"),
            ("text", "boolean"),
            ("json", "jsonb"),
            ("text", "uuid"),
            ("enum status", "text"),
            ("text", "enum status"),
            ("enum status", "enum state"),
            ("enum status", "integer"),
            ("enum status[]", "enum state[]"),
            ("text[]", "enum status[]"),
            ("integer[]", "text"),
            ("inet", "text"),
        ]));
    }
}
