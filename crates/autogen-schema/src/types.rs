use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Dialect, QualifiedName, quote_ident};

/// A column's type, normalised so that every spelling of one type is one value:
/// `int4`, `int` and `integer` are all [`ColumnType::Integer`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnType {
    SmallInt,
    Integer,
    BigInt,
    Real,
    Double,
    Numeric {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<u32>,
    },
    Boolean,
    Text,
    Varchar {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    },
    Char {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        length: Option<u32>,
    },
    Bytes,
    Date,
    Time {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        with_time_zone: bool,
    },
    Timestamp {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
        with_time_zone: bool,
    },
    /// `interval [fields] [(p)]`; `fields` as PostgreSQL prints them (`day to second`).
    Interval {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<u32>,
    },
    Uuid,
    Json,
    Jsonb,
    /// A user-defined enum type.
    Enum {
        name: QualifiedName,
    },
    /// `element[]`, `element[][]`, ...
    Array {
        element: Box<ColumnType>,
        dimensions: u32,
    },
    /// Any other type, spelled as the database prints it (`inet`, `tsvector`, `bit(8)`).
    Other {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeParseError {
    pub text: String,
    pub reason: &'static str,
}

impl fmt::Display for TypeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read type `{}`: {}", self.text, self.reason)
    }
}

impl std::error::Error for TypeParseError {}

impl ColumnType {
    /// A MySQL enum column's type. MySQL has no enum types: the labels are inline, spelled as
    /// MySQL prints them back (`enum('a','b')`), so the model's column compares equal with the
    /// database's and a label change is a `MODIFY COLUMN`.
    pub fn mysql_enum(labels: &[String]) -> ColumnType {
        ColumnType::Other {
            name: crate::ddl::mysql::inline_enum(labels),
        }
    }

    /// A MySQL enum whose labels the source does not state (a Diesel `mysql_type(name =
    /// "Enum")`): under `TypeFidelity::Coarse` it agrees with any [`ColumnType::mysql_enum`].
    pub fn mysql_enum_unstated() -> ColumnType {
        ColumnType::Other {
            name: "enum".to_owned(),
        }
    }

    /// Whether this is a [`ColumnType::mysql_enum`] (labels stated).
    pub fn is_mysql_enum(&self) -> bool {
        matches!(self, ColumnType::Other { name } if name.starts_with("enum("))
    }

    /// The type without its modifiers (length, precision, scale, array dimensions): what a
    /// cast names, and what a source that cannot spell modifiers states.
    pub fn without_modifiers(&self) -> ColumnType {
        match self {
            ColumnType::Varchar { .. } => ColumnType::Varchar { length: None },
            ColumnType::Char { .. } => ColumnType::Char { length: None },
            ColumnType::Numeric { .. } => ColumnType::Numeric {
                precision: None,
                scale: None,
            },
            ColumnType::Time { with_time_zone, .. } => ColumnType::Time {
                precision: None,
                with_time_zone: *with_time_zone,
            },
            ColumnType::Timestamp { with_time_zone, .. } => ColumnType::Timestamp {
                precision: None,
                with_time_zone: *with_time_zone,
            },
            ColumnType::Interval { .. } => ColumnType::Interval {
                fields: None,
                precision: None,
            },
            // PostgreSQL prints one `[]` whatever the dimensions.
            ColumnType::Array { element, .. } => ColumnType::Array {
                element: Box::new(element.without_modifiers()),
                dimensions: 1,
            },
            ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Boolean
            | ColumnType::Text
            | ColumnType::Bytes
            | ColumnType::Date
            | ColumnType::Uuid
            | ColumnType::Json
            | ColumnType::Jsonb
            | ColumnType::Enum { .. }
            | ColumnType::Other { .. } => self.clone(),
        }
    }

    /// The enum type this type is, or is an array of.
    pub fn enum_name(&self) -> Option<&QualifiedName> {
        match self {
            ColumnType::Enum { name } => Some(name),
            ColumnType::Array { element, .. } => element.enum_name(),
            ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Real
            | ColumnType::Double
            | ColumnType::Numeric { .. }
            | ColumnType::Boolean
            | ColumnType::Text
            | ColumnType::Varchar { .. }
            | ColumnType::Char { .. }
            | ColumnType::Bytes
            | ColumnType::Date
            | ColumnType::Time { .. }
            | ColumnType::Timestamp { .. }
            | ColumnType::Interval { .. }
            | ColumnType::Uuid
            | ColumnType::Json
            | ColumnType::Jsonb
            | ColumnType::Other { .. } => None,
        }
    }

    /// Reads a PostgreSQL type name, in any of its spellings (`int4`, `character varying(20)`,
    /// `timestamptz(3)`, `text[]`). Unknown names are kept verbatim as [`ColumnType::Other`].
    /// `serial` spellings are not types; see [`ColumnType::postgres_serial`].
    pub fn parse_postgres(text: &str) -> Result<ColumnType, TypeParseError> {
        let error = |reason| TypeParseError {
            text: text.to_owned(),
            reason,
        };
        let normalised = squeeze_spaces(text);
        let mut base = normalised.as_str();
        let mut dimensions = 0;
        while let Some(rest) = base.strip_suffix("[]") {
            base = rest.trim_end();
            dimensions += 1;
        }
        if base.is_empty() {
            return Err(error("the type name is empty"));
        }
        let scalar = parse_postgres_scalar(base).ok_or_else(|| error("malformed type modifier"))?;
        Ok(if dimensions == 0 {
            scalar
        } else {
            ColumnType::Array {
                element: Box::new(scalar),
                dimensions,
            }
        })
    }

    /// Reads an SQLite declared type. Only the spellings that `sql(Dialect::Sqlite)` writes
    /// back are known types (`INTEGER` is [`ColumnType::Integer`]); every other declared type
    /// (`INT`, `VARCHAR(20)`, `DATETIME`, none at all) is kept verbatim as [`ColumnType::Other`]:
    /// SQLite keeps the declared text and derives behaviour from it (`INTEGER PRIMARY KEY` is a
    /// rowid alias, `INT PRIMARY KEY` is not), so a type must come back exactly as it went in.
    pub fn parse_sqlite(text: &str) -> ColumnType {
        match squeeze_spaces(text).as_str() {
            "integer" => ColumnType::Integer,
            "real" => ColumnType::Real,
            "numeric" => ColumnType::Numeric {
                precision: None,
                scale: None,
            },
            "boolean" => ColumnType::Boolean,
            "text" => ColumnType::Text,
            "blob" => ColumnType::Bytes,
            "date" => ColumnType::Date,
            "time" => ColumnType::Time {
                precision: None,
                with_time_zone: false,
            },
            "timestamp" => ColumnType::Timestamp {
                precision: None,
                with_time_zone: false,
            },
            "json" => ColumnType::Json,
            _ => ColumnType::Other {
                name: text.trim().to_owned(),
            },
        }
    }

    /// Reads a MySQL/MariaDB column type as `information_schema.COLUMNS.COLUMN_TYPE` prints it
    /// (`int(11)`, `bigint(20) unsigned`, `tinyint(1)`, `varchar(20)`, `decimal(10,2)`,
    /// `datetime(6)`, `enum('a','b')`). Integer display widths are dropped (MySQL 8 no longer
    /// prints them), `tinyint(1)` is the boolean; what has no variant of its own (`unsigned`
    /// types, `mediumtext`, inline `enum(..)`, `set(..)`) is kept as [`ColumnType::Other`] so that
    /// it round-trips verbatim.
    pub fn parse_mysql(text: &str) -> Result<ColumnType, TypeParseError> {
        let error = |reason| TypeParseError {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(error("the type name is empty"));
        }
        let lowered = trimmed.to_ascii_lowercase();
        // Inline enums and sets carry their labels, whose case and spaces matter.
        if lowered.starts_with("enum(") || lowered.starts_with("set(") {
            let open = trimmed.find('(').unwrap_or(0);
            return Ok(ColumnType::Other {
                name: format!("{}{}", &lowered[..open], &trimmed[open..]),
            });
        }
        let normalised = squeeze_spaces(trimmed);
        let (name, modifiers) =
            split_modifiers(&normalised).ok_or_else(|| error("malformed type modifier"))?;
        let first = modifiers.first().copied();
        let second = modifiers.get(1).copied();
        let integer = |base: &str, rest: &str| -> ColumnType {
            ColumnType::Other {
                name: format!("{base}{rest}"),
            }
        };
        let ty = match name.as_str() {
            "tinyint" if first == Some(1) => ColumnType::Boolean,
            "bool" | "boolean" => ColumnType::Boolean,
            "smallint" => ColumnType::SmallInt,
            "int" | "integer" => ColumnType::Integer,
            "bigint" => ColumnType::BigInt,
            "tinyint" | "mediumint" => integer(&name, ""),
            unsigned
                if [
                    "tinyint",
                    "smallint",
                    "mediumint",
                    "int",
                    "integer",
                    "bigint",
                ]
                .iter()
                .any(|b| unsigned.strip_prefix(b).is_some_and(|r| r.starts_with(' '))) =>
            {
                let (base, rest) = unsigned.split_once(' ').unwrap_or((unsigned, ""));
                let base = if base == "integer" { "int" } else { base };
                integer(base, &format!(" {rest}"))
            }
            "float" if second.is_none() => ColumnType::Real,
            "double" | "double precision" | "real" if first.is_none() => ColumnType::Double,
            "decimal" | "numeric" | "dec" | "fixed" => ColumnType::Numeric {
                precision: first,
                scale: second,
            },
            "text" if first.is_none() => ColumnType::Text,
            "varchar" => ColumnType::Varchar { length: first },
            "char" => ColumnType::Char {
                length: Some(first.unwrap_or(1)),
            },
            "blob" if first.is_none() => ColumnType::Bytes,
            "date" => ColumnType::Date,
            "time" => ColumnType::Time {
                precision: first,
                with_time_zone: false,
            },
            "datetime" => ColumnType::Timestamp {
                precision: first,
                with_time_zone: false,
            },
            "timestamp" => ColumnType::Timestamp {
                precision: first,
                with_time_zone: true,
            },
            "json" => ColumnType::Json,
            _ => ColumnType::Other { name: normalised },
        };
        Ok(ty)
    }

    /// `serial` = `integer` plus an owned sequence default; this gives the integer type of a
    /// `smallserial`/`serial`/`bigserial` spelling, `None` for anything else.
    pub fn postgres_serial(text: &str) -> Option<ColumnType> {
        match squeeze_spaces(text).as_str() {
            "smallserial" | "serial2" => Some(ColumnType::SmallInt),
            "serial" | "serial4" => Some(ColumnType::Integer),
            "bigserial" | "serial8" => Some(ColumnType::BigInt),
            _ => None,
        }
    }

    /// The type as `dialect` spells it in DDL.
    pub fn sql(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::Postgres => self.postgres_sql(),
            Dialect::MySql => self.mysql_sql(),
            Dialect::Sqlite => self.sqlite_sql(),
        }
    }

    fn postgres_sql(&self) -> String {
        match self {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "integer".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Real => "real".into(),
            ColumnType::Double => "double precision".into(),
            ColumnType::Numeric { precision, scale } => match (precision, scale) {
                (Some(p), Some(s)) => format!("numeric({p},{s})"),
                (Some(p), None) => format!("numeric({p})"),
                (None, _) => "numeric".into(),
            },
            ColumnType::Boolean => "boolean".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar { length } => with_length("character varying", *length),
            ColumnType::Char { length } => with_length("character", *length),
            ColumnType::Bytes => "bytea".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time {
                precision,
                with_time_zone,
            } => {
                format!(
                    "{}{}",
                    with_length("time", *precision),
                    zone_suffix(*with_time_zone)
                )
            }
            ColumnType::Timestamp {
                precision,
                with_time_zone,
            } => {
                format!(
                    "{}{}",
                    with_length("timestamp", *precision),
                    zone_suffix(*with_time_zone)
                )
            }
            ColumnType::Interval { fields, precision } => {
                let mut out = String::from("interval");
                if let Some(fields) = fields {
                    out.push(' ');
                    out.push_str(fields);
                }
                if let Some(p) = precision {
                    out.push_str(&format!("({p})"));
                }
                out
            }
            ColumnType::Uuid => "uuid".into(),
            ColumnType::Json => "json".into(),
            ColumnType::Jsonb => "jsonb".into(),
            ColumnType::Enum { name } => name.quoted(),
            ColumnType::Array {
                element,
                dimensions,
            } => {
                format!(
                    "{}{}",
                    element.postgres_sql(),
                    "[]".repeat(*dimensions as usize)
                )
            }
            ColumnType::Other { name } => name.clone(),
        }
    }

    fn mysql_sql(&self) -> String {
        match self {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "int".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Real => "float".into(),
            ColumnType::Double => "double".into(),
            ColumnType::Numeric { precision, scale } => match (precision, scale) {
                (Some(p), Some(s)) => format!("decimal({p},{s})"),
                (Some(p), None) => format!("decimal({p})"),
                (None, _) => "decimal".into(),
            },
            ColumnType::Boolean => "tinyint(1)".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar { length } => format!("varchar({})", length.unwrap_or(255)),
            ColumnType::Char { length } => with_length("char", *length),
            ColumnType::Bytes => "blob".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time { precision, .. } => with_length("time", *precision),
            ColumnType::Timestamp {
                precision,
                with_time_zone,
            } => with_length(
                if *with_time_zone {
                    "timestamp"
                } else {
                    "datetime"
                },
                *precision,
            ),
            ColumnType::Interval { .. } => "time".into(),
            ColumnType::Uuid => "char(36)".into(),
            ColumnType::Json | ColumnType::Jsonb => "json".into(),
            ColumnType::Enum { name } => quote_ident(&name.name),
            ColumnType::Array { .. } => "json".into(),
            ColumnType::Other { name } => name.clone(),
        }
    }

    fn sqlite_sql(&self) -> String {
        match self {
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "integer".into(),
            ColumnType::Real | ColumnType::Double => "real".into(),
            ColumnType::Numeric { .. } => "numeric".into(),
            ColumnType::Boolean => "boolean".into(),
            ColumnType::Text
            | ColumnType::Varchar { .. }
            | ColumnType::Char { .. }
            | ColumnType::Uuid
            | ColumnType::Enum { .. }
            | ColumnType::Interval { .. } => "text".into(),
            ColumnType::Bytes => "blob".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time { .. } => "time".into(),
            ColumnType::Timestamp { .. } => "timestamp".into(),
            ColumnType::Json | ColumnType::Jsonb | ColumnType::Array { .. } => "json".into(),
            ColumnType::Other { name } => name.clone(),
        }
    }
}

/// `text` lowercased outside double quotes (a quoted type name, `public."PositiveInt"`, keeps
/// its case: it is another type than `positiveint`), with single spaces.
fn squeeze_spaces(text: &str) -> String {
    let mut quoted = false;
    let lowered: String = text
        .trim()
        .chars()
        .map(|c| {
            if c == '"' {
                quoted = !quoted;
            }
            if quoted { c } else { c.to_ascii_lowercase() }
        })
        .collect();
    let mut out = String::with_capacity(lowered.len());
    for word in lowered.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
}

fn with_length(name: &str, length: Option<u32>) -> String {
    match length {
        Some(n) => format!("{name}({n})"),
        None => name.to_owned(),
    }
}

fn zone_suffix(with_time_zone: bool) -> &'static str {
    if with_time_zone {
        " with time zone"
    } else {
        " without time zone"
    }
}

/// Splits `name(args) rest` into `name rest` and the modifier list.
fn split_modifiers(text: &str) -> Option<(String, Vec<u32>)> {
    let Some(open) = text.find('(') else {
        return Some((text.to_owned(), Vec::new()));
    };
    let close = text[open..].find(')')? + open;
    let args = text[open + 1..close]
        .split(',')
        .map(|a| a.trim().parse::<u32>().ok())
        .collect::<Option<Vec<_>>>()?;
    let name = format!("{}{}", &text[..open], &text[close + 1..]);
    Some((squeeze_spaces(&name), args))
}

fn parse_postgres_scalar(text: &str) -> Option<ColumnType> {
    // Interval field lists and quoted user types are kept whole.
    if text.starts_with('"') {
        return Some(ColumnType::Other {
            name: text.to_owned(),
        });
    }
    let (name, modifiers) = split_modifiers(text)?;
    let first = modifiers.first().copied();
    let second = modifiers.get(1).copied();
    let ty = match name.as_str() {
        "smallint" | "int2" => ColumnType::SmallInt,
        "integer" | "int" | "int4" => ColumnType::Integer,
        "bigint" | "int8" => ColumnType::BigInt,
        "real" | "float4" => ColumnType::Real,
        "double precision" | "float8" => ColumnType::Double,
        // `float(p)` is real up to 24 bits of precision, double beyond, as PostgreSQL decides.
        "float" => match first {
            Some(p) if p <= 24 => ColumnType::Real,
            _ => ColumnType::Double,
        },
        "numeric" | "decimal" => ColumnType::Numeric {
            precision: first,
            scale: second,
        },
        "boolean" | "bool" => ColumnType::Boolean,
        "text" => ColumnType::Text,
        "character varying" | "varchar" => ColumnType::Varchar { length: first },
        "character" | "char" | "bpchar" => {
            // A bare `char` is char(1); only the internal `bpchar` spelling is unbounded.
            let length = if name == "bpchar" {
                first
            } else {
                Some(first.unwrap_or(1))
            };
            ColumnType::Char { length }
        }
        "bytea" => ColumnType::Bytes,
        "date" => ColumnType::Date,
        "time" | "time without time zone" => ColumnType::Time {
            precision: first,
            with_time_zone: false,
        },
        "timetz" | "time with time zone" => ColumnType::Time {
            precision: first,
            with_time_zone: true,
        },
        "timestamp" | "timestamp without time zone" => ColumnType::Timestamp {
            precision: first,
            with_time_zone: false,
        },
        "timestamptz" | "timestamp with time zone" => ColumnType::Timestamp {
            precision: first,
            with_time_zone: true,
        },
        "uuid" => ColumnType::Uuid,
        "json" => ColumnType::Json,
        "jsonb" => ColumnType::Jsonb,
        interval if interval == "interval" || interval.starts_with("interval ") => {
            let fields = interval
                .strip_prefix("interval")
                .map(str::trim)
                .filter(|f| !f.is_empty());
            ColumnType::Interval {
                fields: fields.map(str::to_owned),
                precision: first,
            }
        }
        _ => ColumnType::Other {
            name: text.to_owned(),
        },
    };
    Some(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(spellings: &[&str], canonical: &str) {
        for spelling in spellings {
            let ty = ColumnType::parse_postgres(spelling).unwrap();
            assert_eq!(ty.sql(Dialect::Postgres), canonical, "{spelling}");
            let reparsed = ColumnType::parse_postgres(&ty.sql(Dialect::Postgres)).unwrap();
            assert_eq!(reparsed, ty, "{spelling} does not survive its own spelling");
        }
    }

    #[test]
    fn spellings_of_one_type_compare_equal() {
        check(&["int4", "integer", "INT", " Integer "], "integer");
        check(&["int8", "bigint"], "bigint");
        check(&["int2", "smallint"], "smallint");
        check(
            &["float8", "double precision", "float", "float(53)"],
            "double precision",
        );
        check(&["float4", "real", "float(10)"], "real");
        check(
            &["varchar(20)", "character varying(20)", "VARCHAR (20)"],
            "character varying(20)",
        );
        check(&["varchar", "character varying"], "character varying");
        check(&["char", "character(1)", "char(1)"], "character(1)");
        check(
            &["timestamptz", "timestamp with time zone"],
            "timestamp with time zone",
        );
        check(
            &["timestamptz(3)", "timestamp(3) with time zone"],
            "timestamp(3) with time zone",
        );
        check(
            &["timestamp", "timestamp without time zone"],
            "timestamp without time zone",
        );
        check(&["timetz", "time with time zone"], "time with time zone");
        check(&["decimal(10,2)", "numeric(10, 2)"], "numeric(10,2)");
        check(&["bool", "boolean"], "boolean");
        check(&["int[]", "integer[]", "int4 []"], "integer[]");
        check(&["text[][]"], "text[][]");
        check(&["interval day to second(3)"], "interval day to second(3)");
        check(&["inet"], "inet");
        // A quoted name is another type than its lowercase form.
        check(
            &["public.\"PositiveInt\"", "PUBLIC.\"PositiveInt\""],
            "public.\"PositiveInt\"",
        );
        check(&["\"Mixed Case\"[]"], "\"Mixed Case\"[]");
    }

    #[test]
    fn mysql_spellings_round_trip() {
        let cases = [
            ("int(11)", "int"),
            ("int", "int"),
            ("bigint(20)", "bigint"),
            ("bigint(20) unsigned", "bigint unsigned"),
            ("int(10) unsigned", "int unsigned"),
            ("tinyint(1)", "tinyint(1)"),
            ("tinyint(4)", "tinyint"),
            ("smallint(6)", "smallint"),
            ("varchar(20)", "varchar(20)"),
            ("char(36)", "char(36)"),
            ("decimal(10,2)", "decimal(10,2)"),
            ("datetime(6)", "datetime(6)"),
            ("datetime", "datetime"),
            ("timestamp", "timestamp"),
            ("enum('a','B c')", "enum('a','B c')"),
            ("json", "json"),
            ("mediumtext", "mediumtext"),
            ("longblob", "longblob"),
            ("double", "double"),
            ("float", "float"),
            ("text", "text"),
        ];
        for (spelling, canonical) in cases {
            let ty = ColumnType::parse_mysql(spelling).unwrap();
            assert_eq!(ty.sql(Dialect::MySql), canonical, "{spelling}");
            assert_eq!(
                ColumnType::parse_mysql(&ty.sql(Dialect::MySql)).unwrap(),
                ty,
                "{spelling}"
            );
        }
    }

    #[test]
    fn serial_is_an_integer_type_not_a_type_of_its_own() {
        assert_eq!(
            ColumnType::postgres_serial("serial"),
            Some(ColumnType::Integer)
        );
        assert_eq!(
            ColumnType::postgres_serial("BIGSERIAL"),
            Some(ColumnType::BigInt)
        );
        assert_eq!(ColumnType::postgres_serial("integer"), None);
    }

    #[test]
    fn sqlite_declared_types_round_trip() {
        for (declared, canonical) in [
            ("INTEGER", "integer"),
            ("text", "text"),
            (" Real ", "real"),
            ("BLOB", "blob"),
            ("NUMERIC", "numeric"),
            ("BOOLEAN", "boolean"),
            ("DATE", "date"),
            ("TIMESTAMP", "timestamp"),
            ("INT", "INT"),
            ("VARCHAR(20)", "VARCHAR(20)"),
            ("", ""),
        ] {
            let ty = ColumnType::parse_sqlite(declared);
            assert_eq!(ty.sql(Dialect::Sqlite), canonical, "{declared}");
            assert_eq!(ColumnType::parse_sqlite(&ty.sql(Dialect::Sqlite)), ty);
        }
    }

    #[test]
    fn malformed_modifiers_are_errors() {
        assert!(ColumnType::parse_postgres("varchar(abc)").is_err());
        assert!(ColumnType::parse_postgres("varchar(20").is_err());
        assert!(ColumnType::parse_postgres("").is_err());
    }
}
