//! Column types into entity field types. The writer proposes a Rust type (and, when it must, a
//! `column_type = ".."`), and the SeaORM reader's own mapping (`crate::seaorm::render`) decides
//! whether it gives the column's exact type on this backend and SeaORM line. So the type table
//! lives in one place: the reader's.

use autogen_schema::{ColumnType, Dialect};

use crate::SeaOrmKeys;
use crate::seaorm::coltype::{Len, SeaType};
use crate::seaorm::render::column_type;

/// A field's Rust type (without `Option`) and its `column_type`, when it needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FieldType {
    pub rust: String,
    pub column_type: Option<String>,
}

/// What the backend and the SeaORM line are, for the reader's mapping.
#[derive(Debug, Clone, Copy)]
pub(super) struct TypeContext {
    pub dialect: Dialect,
    pub keys: SeaOrmKeys,
}

/// The Rust types SeaORM maps by themselves (the names of `sea_orm::entity::prelude`), most
/// natural first.
const NATURAL: &[(&str, SeaType)] = &[
    ("i32", SeaType::Integer),
    ("i64", SeaType::BigInteger),
    ("i16", SeaType::SmallInteger),
    ("String", SeaType::String(Len::None)),
    ("bool", SeaType::Boolean),
    ("f64", SeaType::Double),
    ("f32", SeaType::Float),
    ("Decimal", SeaType::Decimal(None)),
    ("Date", SeaType::Date),
    ("DateTime", SeaType::DateTime),
    ("DateTimeWithTimeZone", SeaType::TimestampWithTimeZone),
    ("Time", SeaType::Time),
    ("Uuid", SeaType::Uuid),
    ("Json", SeaType::Json),
    ("Vec<u8>", SeaType::VarBinary(Len::None)),
    ("i8", SeaType::TinyInteger),
    ("u8", SeaType::TinyUnsigned),
    ("u16", SeaType::SmallUnsigned),
    ("u32", SeaType::Unsigned),
    ("u64", SeaType::BigUnsigned),
];

/// The field type of a column of type `ty`; `numbered` when SeaORM numbers the column (its
/// type then matters to SQLite's 1.x key). `active_enum` is the Rust enum and its SeaORM type
/// for an enum column. `Err` says why no field type gives `ty`.
pub(super) fn field_type(
    ty: &ColumnType,
    cx: TypeContext,
    numbered: bool,
    active_enum: Option<(&str, &SeaType)>,
) -> Result<FieldType, String> {
    let gives = |sea: &SeaType| column_type(sea, cx.dialect, cx.keys, numbered).as_ref() == Ok(ty);
    if let Some((rust, sea)) = active_enum {
        let array = SeaType::Array(Box::new(sea.clone()));
        if gives(sea) {
            return Ok(plain(rust));
        }
        if gives(&array) {
            return Ok(plain(&format!("Vec<{rust}>")));
        }
    }
    for (rust, sea) in NATURAL {
        if gives(sea) {
            return Ok(plain(rust));
        }
    }
    // A one-dimensional PostgreSQL array of a type SeaORM maps by itself: `Vec<T>`.
    if matches!(ty, ColumnType::Array { dimensions: 1, .. }) {
        for (rust, sea) in NATURAL {
            if gives(&SeaType::Array(Box::new(sea.clone()))) {
                return Ok(plain(&format!("Vec<{rust}>")));
            }
        }
    }
    for (rust, text, sea) in with_column_type(ty) {
        if gives(&sea) {
            return Ok(FieldType {
                rust: rust.to_owned(),
                column_type: Some(text),
            });
        }
    }
    // Any other type is sea-query's `custom("..")`, the type as the database spells it.
    let text = ty.sql(cx.dialect);
    if gives(&SeaType::Custom(text.clone())) {
        return Ok(FieldType {
            rust: family(ty),
            column_type: Some(format!(
                "custom({})",
                super::super::text::string_literal(&text)
            )),
        });
    }
    Err(format!(
        "no Rust type or `column_type` gives column type `{text}` the way SeaORM writes it"
    ))
}

fn plain(rust: &str) -> FieldType {
    FieldType {
        rust: rust.to_owned(),
        column_type: None,
    }
}

/// The `column_type` spellings that may give `ty`, with the Rust type of their family.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the types named have a `column_type` of their own; the rest are `custom`"
)]
fn with_column_type(ty: &ColumnType) -> Vec<(&'static str, String, SeaType)> {
    match ty {
        ColumnType::Text => vec![("String", "Text".to_owned(), SeaType::Text)],
        ColumnType::Varchar { length: Some(n) } => vec![(
            "String",
            format!("String(StringLen::N({n}))"),
            SeaType::String(Len::N(*n)),
        )],
        ColumnType::Char { length } => vec![(
            "String",
            match length {
                Some(n) => format!("Char(Some({n}))"),
                None => "Char(None)".to_owned(),
            },
            SeaType::Char(*length),
        )],
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => vec![(
            "Decimal",
            format!("Decimal(Some(({p}, {s})))"),
            SeaType::Decimal(Some((*p, *s))),
        )],
        ColumnType::Jsonb => vec![("Json", "JsonBinary".to_owned(), SeaType::JsonBinary)],
        ColumnType::Bytes => vec![("Vec<u8>", "Blob".to_owned(), SeaType::Blob)],
        ColumnType::Timestamp { .. } => vec![
            ("DateTime", "Timestamp".to_owned(), SeaType::Timestamp),
            (
                "DateTimeWithTimeZone",
                "TimestampWithTimeZone".to_owned(),
                SeaType::TimestampWithTimeZone,
            ),
        ],
        _ => Vec::new(),
    }
}

/// The Rust type of a `custom(..)` column: the one its values read as.
fn family(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "i16",
        ColumnType::Integer => "i32",
        ColumnType::BigInt => "i64",
        ColumnType::Real => "f32",
        ColumnType::Double => "f64",
        ColumnType::Numeric { .. } => "Decimal",
        ColumnType::Boolean => "bool",
        ColumnType::Bytes => "Vec<u8>",
        ColumnType::Date => "Date",
        ColumnType::Time { .. } => "Time",
        ColumnType::Timestamp {
            with_time_zone: true,
            ..
        } => "DateTimeWithTimeZone",
        ColumnType::Timestamp { .. } => "DateTime",
        ColumnType::Uuid => "Uuid",
        ColumnType::Json | ColumnType::Jsonb => "Json",
        ColumnType::Array { element, .. } => return format!("Vec<{}>", family(element)),
        ColumnType::Text
        | ColumnType::Varchar { .. }
        | ColumnType::Char { .. }
        | ColumnType::Interval { .. }
        | ColumnType::Enum { .. }
        | ColumnType::Other { .. } => "String",
    }
    .to_owned()
}
