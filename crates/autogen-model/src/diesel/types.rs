//! Diesel's SQL types (`diesel::sql_types::*`, the names `print-schema` writes and their
//! aliases) as column types, per backend.
//!
//! `print-schema` spells a PostgreSQL column as its `pg_type` name in UpperCamelCase (`int4`
//! is `Int4`, `timestamptz` is `Timestamptz`), a user-defined type as a struct of the schema's
//! `sql_types` module, an array as `Array<..>`, a nullable column as `Nullable<..>`
//! (diesel_cli `infer_schema_internals/pg.rs`). On SQLite it reads the declared type into one
//! of eleven names (`sqlite.rs`: Bool, SmallInt, BigInt, Integer, Text, Binary, Float, Double,
//! Timestamp, Date, Time). Hand-written schemas use Diesel's aliases (`Integer` for `Int4`,
//! `BigInt` for `Int8`, `Binary` for `Bytea`, ...), which are the same types.

use std::collections::BTreeMap;

use autogen_schema::{ColumnType, Dialect};
use syn::{GenericArgument, PathArguments, Type};

/// A column's type as `table!` states it.
pub(crate) struct Stated {
    pub ty: ColumnType,
    pub nullable: bool,
}

/// `custom` maps a `sql_types` struct name to its column type.
pub(crate) fn column_type(
    ty: &Type,
    max_length: Option<u32>,
    custom: &BTreeMap<String, ColumnType>,
    dialect: Dialect,
) -> Result<Stated, String> {
    let (name, argument) = last_segment(ty)?;
    match (name.as_str(), argument) {
        ("Nullable", Some(inner)) => {
            let inner = column_type(inner, max_length, custom, dialect)?;
            Ok(Stated {
                ty: inner.ty,
                nullable: true,
            })
        }
        ("Array", Some(inner)) => {
            let element = column_type(inner, max_length, custom, dialect)?.ty;
            if dialect == Dialect::Sqlite {
                return Err("SQLite has no array types".into());
            }
            Ok(Stated {
                ty: ColumnType::Array {
                    element: Box::new(element),
                    dimensions: 1,
                },
                nullable: false,
            })
        }
        ("Unsigned", Some(inner)) if dialect == Dialect::MySql => {
            let inner = column_type(inner, max_length, custom, dialect)?.ty;
            let name = format!("{} unsigned", inner.sql(Dialect::MySql));
            Ok(Stated {
                ty: ColumnType::Other { name },
                nullable: false,
            })
        }
        (_, Some(_)) => Err(format!(
            "`{name}<..>` is not a Diesel SQL type autogen knows"
        )),
        (_, None) => {
            let ty = scalar(&name, max_length, custom, dialect).ok_or_else(|| {
                format!(
                    "`{name}` is not a Diesel SQL type autogen knows for {}",
                    dialect_name(dialect)
                )
            })?;
            Ok(Stated {
                ty,
                nullable: false,
            })
        }
    }
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "PostgreSQL",
        Dialect::Sqlite => "SQLite",
        Dialect::MySql => "MySQL",
    }
}

fn last_segment(ty: &Type) -> Result<(String, Option<&Type>), String> {
    let Type::Path(path) = ty else {
        return Err(
            "expected a Diesel SQL type (a path such as `Int4` or `Nullable<Text>`)".into(),
        );
    };
    let Some(segment) = path.path.segments.last() else {
        return Err("expected a Diesel SQL type".into());
    };
    let argument = match &segment.arguments {
        PathArguments::None => None,
        PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
            _ => return Err(format!("`{}` takes one SQL type", segment.ident)),
        },
        PathArguments::Parenthesized(_) => {
            return Err("expected a Diesel SQL type".into());
        }
    };
    Ok((segment.ident.to_string(), argument))
}

fn scalar(
    name: &str,
    max_length: Option<u32>,
    custom: &BTreeMap<String, ColumnType>,
    dialect: Dialect,
) -> Option<ColumnType> {
    if let Some(ty) = custom.get(name) {
        return Some(ty.clone());
    }
    // The names every backend shares, aliases included (diesel::sql_types).
    let common = match name {
        "SmallInt" | "Smallint" | "Int2" => Some(ColumnType::SmallInt),
        "Integer" | "Int4" => Some(ColumnType::Integer),
        "BigInt" | "Bigint" | "Int8" => Some(ColumnType::BigInt),
        "Float" | "Float4" => Some(ColumnType::Real),
        "Double" | "Float8" => Some(ColumnType::Double),
        "Numeric" | "Decimal" => Some(ColumnType::Numeric {
            precision: None,
            scale: None,
        }),
        "Bool" => Some(ColumnType::Boolean),
        "Text" => Some(ColumnType::Text),
        "Binary" | "Bytea" | "Blob" => Some(ColumnType::Bytes),
        "Date" => Some(ColumnType::Date),
        "Time" => Some(ColumnType::Time {
            precision: None,
            with_time_zone: false,
        }),
        // MySQL's `timestamp` is stored in UTC and converted: autogen reads it as with zone.
        "Timestamp" => Some(ColumnType::Timestamp {
            precision: None,
            with_time_zone: dialect == Dialect::MySql,
        }),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    match dialect {
        Dialect::Sqlite => sqlite_only(name),
        Dialect::Postgres | Dialect::MySql => server_only(name, max_length, dialect),
    }
}

fn sqlite_only(name: &str) -> Option<ColumnType> {
    match name {
        // SQLite keeps a declared length but enforces none: Diesel reads every text as Text.
        "VarChar" | "Varchar" => Some(ColumnType::Text),
        "TimestamptzSqlite" => Some(ColumnType::Timestamp {
            precision: None,
            with_time_zone: true,
        }),
        _ => None,
    }
}

/// PostgreSQL and MySQL; `dialect` is one of the two.
fn server_only(name: &str, max_length: Option<u32>, dialect: Dialect) -> Option<ColumnType> {
    let postgres = dialect == Dialect::Postgres;
    let mysql = dialect == Dialect::MySql;
    match name {
        "VarChar" | "Varchar" => Some(ColumnType::Varchar { length: max_length }),
        "Bpchar" | "Char" => Some(ColumnType::Char { length: max_length }),
        "Timestamptz" => Some(ColumnType::Timestamp {
            precision: None,
            with_time_zone: true,
        }),
        "Timetz" => Some(ColumnType::Time {
            precision: None,
            with_time_zone: true,
        }),
        "Interval" => Some(ColumnType::Interval {
            fields: None,
            precision: None,
        }),
        "Uuid" => Some(ColumnType::Uuid),
        "Json" => Some(ColumnType::Json),
        "Jsonb" => Some(ColumnType::Jsonb),
        "Datetime" if mysql => Some(ColumnType::Timestamp {
            precision: None,
            with_time_zone: false,
        }),
        "TinyInt" | "Tinyint" if mysql => Some(ColumnType::Other {
            name: "tinyint".into(),
        }),
        // PostgreSQL types Diesel (or a Diesel extension crate) names after `pg_type`.
        "Inet" | "Cidr" | "MacAddr" | "Macaddr" | "Macaddr8" | "Money" | "Oid" | "Tsvector"
        | "Tsquery" | "Citext" | "Xml" | "Int4range" | "Int8range" | "Numrange" | "Tsrange"
        | "Tstzrange" | "Daterange" | "Ltree"
            if postgres =>
        {
            Some(ColumnType::Other {
                name: name.to_ascii_lowercase(),
            })
        }
        _ => None,
    }
}
