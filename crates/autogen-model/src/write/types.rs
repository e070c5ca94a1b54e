//! Column types into Rust field types. The writer proposes a Rust type and its modifiers, and
//! the reader's own mapping (`crate::types::column_type`) decides whether it gives the column's
//! exact type; when it does not, the field says the type with `sql_type`, checked the same way.
//! So the type table lives in one place: the reader's.

use autogen_schema::{ColumnType, Dialect};

use crate::types::{Base, Modifiers, RustType, column_type};
use crate::write::text::Key;

/// A field's Rust type (without `Option`) and the keys that complete its column type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldType {
    pub rust: String,
    pub keys: Vec<Key>,
}

/// The Rust spelling of a reader base type, written in full so that no `use` is needed.
/// `enum_name` is the Rust enum a `Base::Enum` stands for.
fn rust_path(base: &Base, enum_name: &str) -> String {
    match base {
        Base::I8 => "i8",
        Base::I16 => "i16",
        Base::I32 => "i32",
        Base::I64 => "i64",
        Base::I128 => "i128",
        Base::U8 => "u8",
        Base::U16 => "u16",
        Base::U32 => "u32",
        Base::U64 => "u64",
        Base::U128 => "u128",
        Base::F32 => "f32",
        Base::F64 => "f64",
        Base::Bool => "bool",
        Base::String => "String",
        Base::Char => "char",
        Base::Bytes => "Vec<u8>",
        Base::Date => "chrono::NaiveDate",
        Base::Time => "chrono::NaiveTime",
        Base::Timestamp => "chrono::NaiveDateTime",
        Base::TimestampTz => "chrono::DateTime<chrono::Utc>",
        Base::Interval => "sqlx::postgres::types::PgInterval",
        Base::Uuid => "uuid::Uuid",
        Base::Json => "serde_json::Value",
        Base::Decimal => "rust_decimal::Decimal",
        Base::Enum(_) => enum_name,
    }
    .to_owned()
}

/// The base types that may give `ty` exactly, most natural first (the reader has the last word).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named have a Rust type of their own; the rest take `sql_type`"
)]
fn candidates(ty: &ColumnType) -> Vec<(Base, Modifiers)> {
    let plain = |base| vec![(base, Modifiers::default())];
    match ty {
        ColumnType::SmallInt => plain(Base::I16),
        ColumnType::Integer => plain(Base::I32),
        ColumnType::BigInt => plain(Base::I64),
        ColumnType::Real => plain(Base::F32),
        ColumnType::Double => plain(Base::F64),
        ColumnType::Boolean => plain(Base::Bool),
        ColumnType::Text => plain(Base::String),
        ColumnType::Varchar { length: Some(n) } => vec![(
            Base::String,
            Modifiers {
                max_length: Some(*n),
                ..Modifiers::default()
            },
        )],
        ColumnType::Char { length: Some(1) } => plain(Base::Char),
        ColumnType::Numeric { precision, scale } => vec![(
            Base::Decimal,
            Modifiers {
                precision: *precision,
                scale: scale.filter(|s| *s != 0),
                ..Modifiers::default()
            },
        )],
        ColumnType::Bytes => plain(Base::Bytes),
        ColumnType::Date => plain(Base::Date),
        ColumnType::Time {
            precision,
            with_time_zone: false,
        } => vec![(
            Base::Time,
            Modifiers {
                precision: *precision,
                ..Modifiers::default()
            },
        )],
        ColumnType::Timestamp {
            precision,
            with_time_zone,
        } => vec![(
            if *with_time_zone {
                Base::TimestampTz
            } else {
                Base::Timestamp
            },
            Modifiers {
                precision: *precision,
                ..Modifiers::default()
            },
        )],
        ColumnType::Interval { .. } => plain(Base::Interval),
        ColumnType::Uuid => plain(Base::Uuid),
        ColumnType::Json | ColumnType::Jsonb => plain(Base::Json),
        ColumnType::Enum { name } => plain(Base::Enum(name.clone())),
        // MySQL's integer types without a variant of their own.
        ColumnType::Other { name } => match name.as_str() {
            "tinyint" => plain(Base::I8),
            "tinyint unsigned" => plain(Base::U8),
            "smallint unsigned" => plain(Base::U16),
            "int unsigned" => plain(Base::U32),
            "bigint unsigned" => plain(Base::U64),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The Rust type a field with `sql_type` carries: the nearest the reader knows (it only reads
/// `Option` from it), so that the model still means something to a reader of the code.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "types without a nearer Rust type are strings alike"
)]
fn fallback(ty: &ColumnType) -> Base {
    match ty {
        ColumnType::SmallInt => Base::I16,
        ColumnType::Integer => Base::I32,
        ColumnType::BigInt => Base::I64,
        ColumnType::Real => Base::F32,
        ColumnType::Double => Base::F64,
        ColumnType::Boolean => Base::Bool,
        ColumnType::Numeric { .. } => Base::Decimal,
        ColumnType::Bytes => Base::Bytes,
        ColumnType::Date => Base::Date,
        ColumnType::Timestamp {
            with_time_zone: true,
            ..
        } => Base::TimestampTz,
        ColumnType::Timestamp { .. } => Base::Timestamp,
        ColumnType::Interval { .. } => Base::Interval,
        ColumnType::Uuid => Base::Uuid,
        ColumnType::Json | ColumnType::Jsonb => Base::Json,
        ColumnType::Other { name } => {
            let name = name.to_ascii_lowercase();
            let word = name.split(['(', ' ']).next().unwrap_or_default();
            match word {
                "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
                    if name.contains("unsigned") =>
                {
                    Base::U64
                }
                "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" => Base::I64,
                "float" | "double" | "real" => Base::F64,
                "decimal" | "numeric" => Base::Decimal,
                _ => Base::String,
            }
        }
        _ => Base::String,
    }
}

/// The Rust type of a column of type `ty` and the keys its field needs. `enum_name` is the Rust
/// enum of the enum type `ty` is (or is an array of). `Err` says why no field can give `ty`.
pub(crate) fn field_type(
    ty: &ColumnType,
    dialect: Dialect,
    enum_name: &str,
) -> Result<FieldType, String> {
    let (element, dimensions) = if let ColumnType::Array {
        element,
        dimensions,
    } = ty
    {
        (element.as_ref(), *dimensions)
    } else {
        (ty, 0)
    };
    for (base, modifiers) in candidates(element) {
        let shape = RustType {
            base: base.clone(),
            nullable: false,
            dimensions,
        };
        if column_type(&shape, dialect, modifiers).as_ref() == Ok(ty) {
            return Ok(FieldType {
                rust: wrap_vec(rust_path(&base, enum_name), dimensions),
                keys: modifier_keys(modifiers),
            });
        }
    }
    let text = sql_type_text(ty, dialect).ok_or_else(|| {
        format!(
            "no Rust type or `sql_type` gives column type `{}`",
            ty.sql(dialect)
        )
    })?;
    let base = fallback(element);
    Ok(FieldType {
        rust: wrap_vec(rust_path(&base, enum_name), dimensions),
        keys: vec![Key::Str("sql_type", text)],
    })
}

/// The `sql_type` text the reader reads back as exactly `ty`.
fn sql_type_text(ty: &ColumnType, dialect: Dialect) -> Option<String> {
    if ty.enum_name().is_some() {
        return None;
    }
    [ty.sql(dialect), ty.sql(Dialect::Postgres)]
        .into_iter()
        .find(|text| crate::types::sql_type(text, dialect).as_ref() == Ok(ty))
}

fn wrap_vec(rust: String, dimensions: u32) -> String {
    (0..dimensions).fold(rust, |inner, _| format!("Vec<{inner}>"))
}

fn modifier_keys(m: Modifiers) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(n) = m.max_length {
        keys.push(Key::Raw("max_length", n.to_string()));
    }
    if let Some(p) = m.precision {
        keys.push(Key::Raw("precision", p.to_string()));
    }
    if let Some(s) = m.scale {
        keys.push(Key::Raw("scale", s.to_string()));
    }
    keys
}
