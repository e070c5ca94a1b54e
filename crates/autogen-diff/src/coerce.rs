//! What a column type change does to the values already stored. Two questions, kept apart:
//! does every old value survive (widening), and can PostgreSQL keep the stored bytes as they are
//! (binary coercible: no table rewrite, no `USING` cast needed). The renderer asks the second
//! one to decide whether to write a `USING` cast.

use autogen_schema::ColumnType;

/// Every value of `from` is a value of `to`, unchanged: `varchar(50)` -> `varchar(100)` or
/// `text`, `integer` -> `bigint`, `numeric(10,2)` -> `numeric(12,2)`, anything -> `text`.
/// A type change that is not widening may lose or alter data.
pub fn is_widening(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    if from == to {
        return true;
    }
    match (from, to) {
        // Every built-in type prints as text and reads back from that text.
        (T::Array { .. }, T::Text | T::Varchar { length: None }) => false,
        (_, T::Text | T::Varchar { length: None }) => true,
        (T::Varchar { length: Some(a) }, T::Varchar { length: Some(b) }) => a <= b,
        (T::Char { length: a }, T::Char { length: b }) => at_most(*a, *b),
        (T::SmallInt, T::Integer | T::BigInt | T::Real | T::Double) => true,
        (T::Integer, T::BigInt | T::Double) => true,
        (T::SmallInt, T::Numeric { precision, scale }) => holds_digits(*precision, *scale, 5),
        (T::Integer, T::Numeric { precision, scale }) => holds_digits(*precision, *scale, 10),
        (T::BigInt, T::Numeric { precision, scale }) => holds_digits(*precision, *scale, 19),
        (T::Real, T::Double) => true,
        (
            T::Numeric {
                precision: p1,
                scale: s1,
            },
            T::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => match (p1, p2) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p1), Some(p2)) => {
                let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
                s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
            }
        },
        (
            T::Timestamp {
                precision: a,
                with_time_zone: z1,
            },
            T::Timestamp {
                precision: b,
                with_time_zone: z2,
            },
        )
        | (
            T::Time {
                precision: a,
                with_time_zone: z1,
            },
            T::Time {
                precision: b,
                with_time_zone: z2,
            },
        ) => z1 == z2 && at_most_precision(*a, *b),
        (
            T::Interval {
                fields: f1,
                precision: a,
            },
            T::Interval {
                fields: f2,
                precision: b,
            },
        ) => (f2.is_none() || f1 == f2) && at_most_precision(*a, *b),
        (
            T::Date,
            T::Timestamp {
                with_time_zone: false,
                ..
            },
        ) => true,
        (T::Jsonb, T::Json) => true,
        (
            T::Array {
                element: e1,
                dimensions: d1,
            },
            T::Array {
                element: e2,
                dimensions: d2,
            },
        ) => d1 == d2 && is_widening(e1, e2),
        // Anything not shown lossless above is treated as possibly lossy: a false alarm costs a
        // `--allow-data-loss`, a missed one costs data.
        _ => false,
    }
}

/// Whether PostgreSQL changes the type without touching the stored values: no table rewrite
/// and no `USING` cast needed (`varchar(n)` growing, `varchar` <-> `text`, `numeric` gaining
/// precision at the same scale, timestamp/time/interval precision growing).
pub fn is_binary_coercible(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    if from == to {
        return true;
    }
    match (from, to) {
        (T::Varchar { .. } | T::Text, T::Text | T::Varchar { length: None }) => true,
        (T::Varchar { length: Some(a) }, T::Varchar { length: Some(b) }) => a <= b,
        (
            T::Numeric {
                precision: p1,
                scale: s1,
            },
            T::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => match (p1, p2) {
            (_, None) => s2.is_none(),
            (None, Some(_)) => false,
            (Some(p1), Some(p2)) => s1.unwrap_or(0) == s2.unwrap_or(0) && p1 <= p2,
        },
        (
            T::Timestamp {
                precision: a,
                with_time_zone: z1,
            },
            T::Timestamp {
                precision: b,
                with_time_zone: z2,
            },
        )
        | (
            T::Time {
                precision: a,
                with_time_zone: z1,
            },
            T::Time {
                precision: b,
                with_time_zone: z2,
            },
        ) => z1 == z2 && at_most_precision(*a, *b),
        (
            T::Interval {
                fields: f1,
                precision: a,
            },
            T::Interval {
                fields: f2,
                precision: b,
            },
        ) => f1 == f2 && at_most_precision(*a, *b),
        (
            T::Array {
                element: e1,
                dimensions: d1,
            },
            T::Array {
                element: e2,
                dimensions: d2,
            },
        ) => d1 == d2 && is_binary_coercible(e1, e2),
        // Anything else gets a rewrite and a `USING` cast; an unneeded cast is harmless.
        _ => false,
    }
}

/// Whether the cast can fail on some stored value (`text` -> `integer`, a shorter `varchar`).
/// A widening change never fails.
pub fn cast_can_fail(from: &ColumnType, to: &ColumnType) -> bool {
    !is_widening(from, to)
}

/// `a <= b` where `None` is unbounded.
fn at_most(a: Option<u32>, b: Option<u32>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a <= b,
    }
}

/// Fractional-seconds precision: `None` is the maximum (6).
fn at_most_precision(a: Option<u32>, b: Option<u32>) -> bool {
    a.unwrap_or(6) <= b.unwrap_or(6)
}

/// Whether `numeric(precision, scale)` holds every integer of `digits` digits.
fn holds_digits(precision: Option<u32>, scale: Option<u32>, digits: u32) -> bool {
    match precision {
        None => true,
        Some(p) => p.saturating_sub(scale.unwrap_or(0)) >= digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse_postgres(text).unwrap_or(ColumnType::Other { name: text.into() })
    }

    /// One line per pair: `from -> to: widening, binary coercible`.
    fn table(pairs: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for (from, to) in pairs {
            let (a, b) = (ty(from), ty(to));
            out.push_str(&format!(
                "{from} -> {to}: widening={} coercible={}\n",
                is_widening(&a, &b),
                is_binary_coercible(&a, &b)
            ));
        }
        out
    }

    #[test]
    fn widening_and_coercion() {
        insta::assert_snapshot!(table(&[
            ("varchar(50)", "varchar(100)"),
            ("varchar(100)", "varchar(50)"),
            ("varchar(50)", "text"),
            ("text", "varchar"),
            ("text", "varchar(10)"),
            ("char(5)", "char(10)"),
            ("char(5)", "varchar(10)"),
            ("smallint", "integer"),
            ("integer", "bigint"),
            ("bigint", "integer"),
            ("integer", "real"),
            ("integer", "double precision"),
            ("integer", "numeric(10,0)"),
            ("integer", "numeric(9,0)"),
            ("integer", "text"),
            ("text", "integer"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric(12,4)"),
            ("numeric(10,2)", "numeric(10,1)"),
            ("numeric(10,2)", "numeric"),
            ("numeric", "numeric(10,2)"),
            ("timestamp(3)", "timestamp(6)"),
            ("timestamp", "timestamp(3)"),
            ("timestamp", "timestamptz"),
            ("date", "timestamp"),
            ("json", "jsonb"),
            ("jsonb", "json"),
            ("integer[]", "bigint[]"),
            ("varchar(5)[]", "text[]"),
            ("integer[]", "text"),
            ("uuid", "text"),
            ("boolean", "integer"),
            ("inet", "cidr"),
        ]), @r"
            varchar(50) -> varchar(100): widening=true coercible=true
            varchar(100) -> varchar(50): widening=false coercible=false
            varchar(50) -> text: widening=true coercible=true
            text -> varchar: widening=true coercible=true
            text -> varchar(10): widening=false coercible=false
            char(5) -> char(10): widening=true coercible=false
            char(5) -> varchar(10): widening=false coercible=false
            smallint -> integer: widening=true coercible=false
            integer -> bigint: widening=true coercible=false
            bigint -> integer: widening=false coercible=false
            integer -> real: widening=false coercible=false
            integer -> double precision: widening=true coercible=false
            integer -> numeric(10,0): widening=true coercible=false
            integer -> numeric(9,0): widening=false coercible=false
            integer -> text: widening=true coercible=false
            text -> integer: widening=false coercible=false
            numeric(10,2) -> numeric(12,2): widening=true coercible=true
            numeric(10,2) -> numeric(12,4): widening=true coercible=false
            numeric(10,2) -> numeric(10,1): widening=false coercible=false
            numeric(10,2) -> numeric: widening=true coercible=true
            numeric -> numeric(10,2): widening=false coercible=false
            timestamp(3) -> timestamp(6): widening=true coercible=true
            timestamp -> timestamp(3): widening=false coercible=false
            timestamp -> timestamptz: widening=false coercible=false
            date -> timestamp: widening=true coercible=false
            json -> jsonb: widening=false coercible=false
            jsonb -> json: widening=true coercible=false
            integer[] -> bigint[]: widening=true coercible=false
            varchar(5)[] -> text[]: widening=true coercible=true
            integer[] -> text: widening=false coercible=false
            uuid -> text: widening=true coercible=false
            boolean -> integer: widening=false coercible=false
            inet -> cidr: widening=false coercible=false
            ");
    }
}

/// A smaller type of the same family: `varchar(100)` -> `varchar(50)`, `bigint` -> `integer`,
/// `numeric(12,4)` -> `numeric(10,2)`. Values that fit survive, the rest fail the cast; either
/// way the column keeps less than it could, which is what "narrowing" means to a reviewer.
pub fn is_narrowing(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    if is_widening(from, to) {
        return false;
    }
    let family = |t: &ColumnType| match t {
        T::SmallInt | T::Integer | T::BigInt => 1,
        T::Real | T::Double => 2,
        T::Numeric { .. } => 3,
        T::Text | T::Varchar { .. } | T::Char { .. } => 4,
        T::Time { .. } => 5,
        T::Timestamp { .. } => 6,
        T::Interval { .. } => 7,
        T::Boolean
        | T::Bytes
        | T::Date
        | T::Uuid
        | T::Json
        | T::Jsonb
        | T::Enum { .. }
        | T::Array { .. }
        | T::Other { .. } => 0,
    };
    family(from) != 0 && family(from) == family(to)
}

/// PostgreSQL converts some values without complaint but changes them: rounding to fewer
/// digits or to an integer, cutting a timestamp to a date, dropping a time zone. Those casts
/// lose data silently, and only those: a cast that cannot hold a value (`text` -> `integer`,
/// `varchar(100)` -> `varchar(50)`, `bigint` -> `integer`) fails the migration instead, which
/// is [`cast_can_fail`]'s hazard, not data loss.
pub fn is_lossy_cast(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    if is_widening(from, to) {
        return false;
    }
    let fewer = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
        (Some(_) | None, None) => false,
    };
    match (from, to) {
        (T::Numeric { scale: a, .. }, T::Numeric { scale: b, .. }) => fewer(*a, *b),
        (T::Numeric { .. } | T::Real | T::Double, T::SmallInt | T::Integer | T::BigInt) => true,
        (T::Numeric { .. } | T::Double | T::BigInt, T::Real) => true,
        (T::Numeric { .. } | T::BigInt, T::Double) => true,
        (T::Timestamp { .. }, T::Date) => true,
        (
            T::Timestamp {
                precision: a,
                with_time_zone: za,
            },
            T::Timestamp {
                precision: b,
                with_time_zone: zb,
            },
        ) => fewer(*a, *b) || (*za && !*zb),
        (
            T::Time {
                precision: a,
                with_time_zone: za,
            },
            T::Time {
                precision: b,
                with_time_zone: zb,
            },
        ) => fewer(*a, *b) || (*za && !*zb),
        (T::Timestamp { .. }, T::Time { .. }) => true,
        _ => false,
    }
}

#[cfg(test)]
mod lossy_tests {
    use autogen_schema::ColumnType;

    use super::{cast_can_fail, is_lossy_cast};

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse_postgres(text).expect("a type")
    }

    #[test]
    fn only_silent_rounding_and_cutting_is_lossy() {
        let lossy = [
            ("numeric(10,2)", "numeric(10,0)"),
            ("numeric", "numeric(12,2)"),
            ("double precision", "integer"),
            ("numeric(10,2)", "bigint"),
            ("timestamptz", "date"),
            ("timestamptz", "timestamp"),
            ("timestamp(6)", "timestamp(0)"),
        ];
        for (from, to) in lossy {
            assert!(
                is_lossy_cast(&ty(from), &ty(to)),
                "{from} -> {to} should be lossy"
            );
        }
        // These fail on a value they cannot hold instead of changing it.
        let failing = [
            ("text", "integer"),
            ("varchar(100)", "varchar(50)"),
            ("bigint", "integer"),
        ];
        for (from, to) in failing {
            assert!(
                !is_lossy_cast(&ty(from), &ty(to)),
                "{from} -> {to} is not lossy"
            );
            assert!(cast_can_fail(&ty(from), &ty(to)), "{from} -> {to} can fail");
        }
        for (from, to) in [
            ("integer", "bigint"),
            ("varchar(50)", "text"),
            ("numeric(10,2)", "numeric(12,2)"),
        ] {
            assert!(!is_lossy_cast(&ty(from), &ty(to)), "{from} -> {to} widens");
        }
    }
}
