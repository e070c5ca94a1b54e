//! Literal values (`default = ..`, `backfill = ..`) as SQL, written the way PostgreSQL prints a
//! stored default (`pg_get_expr`) so a model compares equal to a hand-made table as often as
//! possible: `false`, `0`, `'-1'::integer`, `'active'::text`, `'todo'::public.status`.

use autogen_schema::{ColumnType, Dialect, QualifiedName, quote_ident, quote_literal};

use crate::attrs::Literal;
use crate::enums::Enums;

/// The SQL of `literal` for a column of type `ty`, or why the literal does not fit the type.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named differ here; every other type is handled alike"
)]
pub(crate) fn literal_sql(
    literal: &Literal,
    ty: &ColumnType,
    dialect: Dialect,
    enums: &Enums,
) -> Result<String, String> {
    let numeric = matches!(
        ty,
        ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Numeric { .. }
    );
    let integer = matches!(
        ty,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
    );
    let mismatch = || {
        format!(
            "{} does not fit column type `{}`",
            literal.describe(),
            ty.sql(dialect)
        )
    };
    match literal {
        Literal::Bool(b) if *ty == ColumnType::Boolean => Ok(b.to_string()),
        Literal::Int(digits) if numeric => Ok(match dialect {
            Dialect::Postgres => postgres_number(digits, true),
            Dialect::MySql | Dialect::Sqlite => digits.clone(),
        }),
        Literal::Float(digits) if numeric && !integer => Ok(match dialect {
            Dialect::Postgres => postgres_number(digits, false),
            Dialect::MySql | Dialect::Sqlite => digits.clone(),
        }),
        Literal::Str(text) if !numeric && *ty != ColumnType::Boolean => {
            let unknown_label = match ty {
                ColumnType::Enum { name } => {
                    enums.by_type(name).filter(|e| !e.labels.contains(text))
                }
                _ => None,
            };
            if let Some(e) = unknown_label {
                return Err(format!(
                    "enum `{}` has no label `{text}`; its labels are: {}",
                    e.name,
                    e.labels.join(", ")
                ));
            }
            Ok(match dialect {
                Dialect::Postgres => format!("{}::{}", quote_literal(text), cast_name(ty)),
                Dialect::MySql | Dialect::Sqlite => quote_literal(text),
            })
        }
        Literal::Bool(_) | Literal::Int(_) | Literal::Float(_) | Literal::Str(_) => Err(mismatch()),
        Literal::Other => Err("expected a literal: a bool, a number or a string".to_owned()),
    }
}

/// A number as `pg_get_expr` prints the constant the literal becomes: a non-negative `int4`
/// bare, a wider integer as `'n'::bigint` or `'n'::numeric`, a decimal bare unless negative.
/// The implicit cast to the column's type is not printed.
fn postgres_number(digits: &str, whole: bool) -> String {
    let negative = digits.starts_with('-');
    if whole {
        if digits.parse::<i32>().is_ok() {
            if negative {
                return format!("'{digits}'::integer");
            }
            return digits.to_owned();
        }
        if digits.parse::<i64>().is_ok() {
            return format!("'{digits}'::bigint");
        }
        return format!("'{digits}'::numeric");
    }
    let looks_decimal = digits.contains(['.', 'e', 'E']);
    if !negative && looks_decimal {
        digits.to_owned()
    } else {
        format!("'{digits}'::numeric")
    }
}

/// The type as `format_type` names it in a cast: no modifiers, user types schema-qualified
/// (the introspector prints with an empty search_path).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named differ here; every other type is handled alike"
)]
fn cast_name(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Enum { name } => qualified(name),
        // format_type prints one `[]` whatever the dimensions.
        ColumnType::Array { element, .. } => format!("{}[]", cast_name(element)),
        ColumnType::Char { .. } => "bpchar".to_owned(),
        ColumnType::Varchar { .. } => "character varying".to_owned(),
        ColumnType::Numeric { .. } => "numeric".to_owned(),
        ColumnType::Time { with_time_zone, .. } => zone("time", *with_time_zone),
        ColumnType::Timestamp { with_time_zone, .. } => zone("timestamp", *with_time_zone),
        ColumnType::Interval { .. } => "interval".to_owned(),
        ColumnType::Other { name } => match name.find('(') {
            Some(open) => name[..open].trim_end().to_owned(),
            None => name.clone(),
        },
        other => other.sql(Dialect::Postgres),
    }
}

fn zone(name: &str, with_time_zone: bool) -> String {
    if with_time_zone {
        format!("{name} with time zone")
    } else {
        format!("{name} without time zone")
    }
}

/// `schema.name`, each part quoted only where PostgreSQL's `quote_identifier` would.
pub(crate) fn qualified(name: &QualifiedName) -> String {
    format!("{}.{}", ident(&name.schema), ident(&name.name))
}

fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain && !KEYWORDS.contains(&name) {
        name.to_owned()
    } else {
        quote_ident(name)
    }
}

/// PostgreSQL's keywords that `quote_identifier` quotes (all but the unreserved ones).
const KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_stored_defaults() {
        assert_eq!(postgres_number("0", true), "0");
        assert_eq!(postgres_number("-1", true), "'-1'::integer");
        assert_eq!(postgres_number("5000000000", true), "'5000000000'::bigint");
        assert_eq!(
            postgres_number("99999999999999999999", true),
            "'99999999999999999999'::numeric"
        );
        assert_eq!(postgres_number("1.5", false), "1.5");
        assert_eq!(postgres_number("-1.5", false), "'-1.5'::numeric");
    }

    #[test]
    fn identifiers_are_quoted_only_where_needed() {
        assert_eq!(
            qualified(&QualifiedName::new("public", "status")),
            "public.status"
        );
        assert_eq!(
            qualified(&QualifiedName::new("App", "user")),
            "\"App\".\"user\""
        );
    }
}
