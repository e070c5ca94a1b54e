//! A SeaORM column type as the database receives it: the text sea-query's
//! `prepare_column_type` writes for each backend (sea-query 0.32 for SeaORM 1.x, 1.0 for 2.x),
//! read back into the IR with the schema crate's own parsers, so it compares like the database.

use autogen_schema::{ColumnType, Dialect, QualifiedName};

use super::coltype::{Len, SeaType};
use crate::SeaOrmKeys;

/// Why a type has no SQL on a backend (sea-query panics with `unimplemented!` there).
pub(crate) type Unsupported = String;

/// The IR type of `ty` on `dialect`; `auto_increment` matters to SQLite's 1.x `bigint` key.
pub(crate) fn column_type(
    ty: &SeaType,
    dialect: Dialect,
    keys: SeaOrmKeys,
    auto_increment: bool,
) -> Result<ColumnType, Unsupported> {
    match dialect {
        Dialect::Postgres => {
            if let SeaType::Enum { name, .. } = ty {
                return Ok(ColumnType::Enum {
                    name: QualifiedName::new(dialect.default_schema(), name.clone()),
                });
            }
            // An array of an active enum is an array of the enum type.
            if let SeaType::Array(element) = ty
                && matches!(**element, SeaType::Enum { .. })
            {
                return Ok(ColumnType::Array {
                    element: Box::new(column_type(element, dialect, keys, false)?),
                    dimensions: 1,
                });
            }
            let text = postgres(ty, keys)?;
            ColumnType::parse_postgres(&text).map_err(|e| e.to_string())
        }
        Dialect::Sqlite => Ok(ColumnType::parse_sqlite(&sqlite(ty, keys, auto_increment)?)),
        Dialect::MySql => {
            if let SeaType::Enum { labels, .. } = ty {
                return Ok(ColumnType::mysql_enum(labels));
            }
            ColumnType::parse_mysql(&mysql(ty)?).map_err(|e| e.to_string())
        }
    }
}

fn unsupported(ty: &SeaType, backend: &str) -> Unsupported {
    format!("SeaORM has no {backend} type for `{ty:?}`")
}

fn modifiers(name: &str, p: Option<(u32, u32)>) -> String {
    match p {
        Some((precision, scale)) => format!("{name}({precision}, {scale})"),
        None => name.to_owned(),
    }
}

fn postgres(ty: &SeaType, keys: SeaOrmKeys) -> Result<String, Unsupported> {
    let v2 = keys == SeaOrmKeys::Identity;
    Ok(match ty {
        SeaType::Char(Some(n)) => format!("char({n})"),
        SeaType::Char(None) => "char".into(),
        SeaType::String(Len::N(n)) => format!("varchar({n})"),
        SeaType::String(Len::None | Len::Max) => "varchar".into(),
        SeaType::Text => "text".into(),
        SeaType::TinyInteger | SeaType::TinyUnsigned | SeaType::SmallInteger => "smallint".into(),
        SeaType::SmallUnsigned if v2 => "integer".into(),
        SeaType::SmallUnsigned => "smallint".into(),
        SeaType::Integer => "integer".into(),
        SeaType::Unsigned if v2 => "bigint".into(),
        SeaType::Unsigned => "integer".into(),
        SeaType::BigInteger | SeaType::BigUnsigned => "bigint".into(),
        SeaType::Float => "real".into(),
        SeaType::Double => "double precision".into(),
        SeaType::Decimal(p) => modifiers("decimal", *p),
        SeaType::Money(p) => modifiers("money", *p),
        SeaType::DateTime => "timestamp without time zone".into(),
        SeaType::Timestamp => "timestamp".into(),
        SeaType::TimestampWithTimeZone => "timestamp with time zone".into(),
        SeaType::Time => "time".into(),
        SeaType::Date => "date".into(),
        SeaType::Binary(_) | SeaType::VarBinary(_) | SeaType::Blob => "bytea".into(),
        SeaType::Boolean => "bool".into(),
        SeaType::Json => "json".into(),
        SeaType::JsonBinary => "jsonb".into(),
        SeaType::Uuid => "uuid".into(),
        SeaType::Inet => "inet".into(),
        SeaType::Cidr => "cidr".into(),
        SeaType::MacAddr => "macaddr".into(),
        SeaType::Custom(text) => text.clone(),
        SeaType::Enum { name, .. } => name.clone(),
        SeaType::Array(element) => format!("{}[]", postgres(element, keys)?),
        SeaType::Year => return Err(unsupported(ty, "PostgreSQL")),
    })
}

fn sqlite(ty: &SeaType, keys: SeaOrmKeys, auto_increment: bool) -> Result<String, Unsupported> {
    let v2 = keys == SeaOrmKeys::Identity;
    Ok(match ty {
        SeaType::Char(Some(n)) => format!("char({n})"),
        SeaType::Char(None) => "char".into(),
        SeaType::String(Len::N(n)) => format!("varchar({n})"),
        SeaType::String(Len::None | Len::Max) => "varchar".into(),
        SeaType::Text => "text".into(),
        SeaType::TinyInteger | SeaType::TinyUnsigned => "tinyint".into(),
        SeaType::SmallInteger | SeaType::SmallUnsigned => "smallint".into(),
        SeaType::Integer | SeaType::Unsigned => "integer".into(),
        // sea-query 1.0 writes every big integer as `integer`; 0.32 only an auto-increment key.
        SeaType::BigInteger | SeaType::BigUnsigned if v2 || auto_increment => "integer".into(),
        SeaType::BigInteger | SeaType::BigUnsigned => "bigint".into(),
        SeaType::Float => "float".into(),
        SeaType::Double => "double".into(),
        SeaType::Decimal(Some((p, s))) => format!("real({p}, {s})"),
        SeaType::Decimal(None) if v2 => "real_decimal".into(),
        SeaType::Decimal(None) => "real".into(),
        SeaType::Money(p) => modifiers("real_money", *p),
        SeaType::DateTime => "datetime_text".into(),
        SeaType::Timestamp => "timestamp_text".into(),
        SeaType::TimestampWithTimeZone => "timestamp_with_timezone_text".into(),
        SeaType::Time => "time_text".into(),
        SeaType::Date => "date_text".into(),
        SeaType::Binary(n) => format!("blob({n})"),
        SeaType::VarBinary(Len::N(n)) => format!("varbinary_blob({n})"),
        SeaType::VarBinary(Len::None | Len::Max) => "varbinary_blob".into(),
        SeaType::Blob => "blob".into(),
        SeaType::Boolean => "boolean".into(),
        SeaType::Json => "json_text".into(),
        SeaType::JsonBinary => "jsonb_text".into(),
        SeaType::Uuid => "uuid_text".into(),
        SeaType::Custom(text) => text.clone(),
        SeaType::Enum { .. } => "enum_text".into(),
        SeaType::Year | SeaType::Inet | SeaType::Cidr | SeaType::MacAddr | SeaType::Array(_) => {
            return Err(unsupported(ty, "SQLite"));
        }
    })
}

fn mysql(ty: &SeaType) -> Result<String, Unsupported> {
    let base = match ty {
        SeaType::Char(Some(n)) => format!("char({n})"),
        SeaType::Char(None) => "char".into(),
        SeaType::String(Len::N(n)) => format!("varchar({n})"),
        SeaType::String(Len::None) => "varchar(255)".into(),
        SeaType::String(Len::Max) => "varchar(65535)".into(),
        SeaType::Text => "text".into(),
        SeaType::TinyInteger | SeaType::TinyUnsigned => "tinyint".into(),
        SeaType::SmallInteger | SeaType::SmallUnsigned => "smallint".into(),
        SeaType::Integer | SeaType::Unsigned => "int".into(),
        SeaType::BigInteger | SeaType::BigUnsigned => "bigint".into(),
        SeaType::Float => "float".into(),
        SeaType::Double => "double".into(),
        SeaType::Decimal(p) | SeaType::Money(p) => modifiers("decimal", *p).replace(", ", ","),
        SeaType::DateTime => "datetime".into(),
        SeaType::Timestamp | SeaType::TimestampWithTimeZone => "timestamp".into(),
        SeaType::Time => "time".into(),
        SeaType::Date => "date".into(),
        SeaType::Year => "year".into(),
        SeaType::Binary(n) => format!("binary({n})"),
        SeaType::VarBinary(Len::N(n)) => format!("varbinary({n})"),
        SeaType::VarBinary(Len::None) => "varbinary(255)".into(),
        SeaType::VarBinary(Len::Max) => "varbinary(65535)".into(),
        SeaType::Blob => "blob".into(),
        SeaType::Boolean => "bool".into(),
        SeaType::Json | SeaType::JsonBinary => "json".into(),
        SeaType::Uuid => "binary(16)".into(),
        SeaType::Custom(text) => text.clone(),
        SeaType::Enum { labels, .. } => autogen_schema::ddl::mysql::inline_enum(labels),
        SeaType::Inet | SeaType::Cidr | SeaType::MacAddr | SeaType::Array(_) => {
            return Err(unsupported(ty, "MySQL"));
        }
    };
    let unsigned = matches!(
        ty,
        SeaType::TinyUnsigned | SeaType::SmallUnsigned | SeaType::Unsigned | SeaType::BigUnsigned
    );
    Ok(if unsigned {
        format!("{base} unsigned")
    } else {
        base
    })
}
