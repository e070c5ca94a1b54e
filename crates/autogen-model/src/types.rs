//! Rust field types into column types, per dialect.
//!
//! A type is known by the last segment of its path after `use` resolution (`chrono::NaiveDate`,
//! an imported `NaiveDate`, `sqlx::types::chrono::NaiveDate` are one type), and enums of the
//! model files by their Rust name. `Option<T>` makes a column nullable, `Vec<T>` an array
//! (`Vec<u8>` is bytes), `Box`/`Arc`/`Rc`/`Cow` and references are see-through.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::{ColumnType, Dialect, QualifiedName};
use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

use crate::diagnostics::{DiagnosticKind, Loc};
use crate::enums::Enums;
use crate::imports::Imports;

/// What a Rust type stands for, before the dialect decides the column type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    F32,
    F64,
    Bool,
    String,
    Char,
    Bytes,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Interval,
    Uuid,
    Json,
    Decimal,
    Enum(QualifiedName),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RustType {
    pub base: Base,
    /// An `Option` outside every `Vec`.
    pub nullable: bool,
    /// How many `Vec`s (or slices) wrap the base type.
    pub dimensions: u32,
}

/// Why a type is not known, with the message for the diagnostic.
pub(crate) struct TypeProblem {
    pub kind: DiagnosticKind,
    pub message: String,
    pub loc: Loc,
}

pub(crate) struct TypeContext<'a> {
    pub file: usize,
    pub text: &'a str,
    pub imports: &'a Imports,
    pub enums: &'a Enums,
}

impl TypeContext<'_> {
    /// The type as written in the source, whitespace squeezed, for messages.
    fn written(&self, ty: &Type) -> String {
        let range = ty.span().byte_range();
        let text = self.text.get(range).unwrap_or("this type");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn loc(&self, ty: &Type) -> Loc {
        Loc::new(self.file, ty.span())
    }
}

pub(crate) fn read_type(ty: &Type, cx: &TypeContext<'_>) -> Result<RustType, TypeProblem> {
    let mut shape = RustType {
        base: Base::Bool,
        nullable: false,
        dimensions: 0,
    };
    shape.base = read(ty, cx, &mut shape)?;
    Ok(shape)
}

/// Whether the type is `Option<..>`, for skipped fields and `sql_type` fields whose Rust type
/// the reader does not need to know.
pub(crate) fn is_option(ty: &Type, cx: &TypeContext<'_>) -> bool {
    match ty {
        Type::Paren(p) => is_option(&p.elem, cx),
        Type::Group(g) => is_option(&g.elem, cx),
        Type::Path(p) if p.qself.is_none() => {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            cx.imports
                .resolve(&segments)
                .last()
                .is_some_and(|s| s == "Option")
        }
        _ => false,
    }
}

fn unknown(ty: &Type, cx: &TypeContext<'_>) -> TypeProblem {
    TypeProblem {
        kind: DiagnosticKind::UnknownType,
        message: format!(
            "unknown type `{}`: give the column type with `sql_type = \"..\"`, or derive `autogen::Enum` on it",
            cx.written(ty)
        ),
        loc: cx.loc(ty),
    }
}

fn read(ty: &Type, cx: &TypeContext<'_>, shape: &mut RustType) -> Result<Base, TypeProblem> {
    match ty {
        Type::Paren(p) => read(&p.elem, cx, shape),
        Type::Group(g) => read(&g.elem, cx, shape),
        Type::Reference(r) => read(&r.elem, cx, shape),
        Type::Slice(s) => element(&s.elem, cx, shape),
        Type::Array(a) => element(&a.elem, cx, shape),
        Type::Path(p) if p.qself.is_none() => {
            let written: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let path = cx.imports.resolve(&written);
            let Some(last) = path.last() else {
                return Err(unknown(ty, cx));
            };
            let arguments = p.path.segments.last().map(|s| &s.arguments);
            let first_arg = arguments.and_then(first_type_argument);
            let enums = cx.enums.named(last);
            if enums.len() > 1 {
                return Err(TypeProblem {
                    kind: DiagnosticKind::AmbiguousType,
                    message: format!(
                        "`{last}` names {} enums ({}); give the column type with `sql_type`",
                        enums.len(),
                        enums
                            .iter()
                            .map(|e| e.name.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    loc: cx.loc(ty),
                });
            }
            if let Some(e) = enums.first() {
                return Ok(Base::Enum(e.name.clone()));
            }
            let generic = |shape: &mut RustType| match first_arg {
                Some(arg) => read(arg, cx, shape),
                None => Err(unknown(ty, cx)),
            };
            Ok(match last.as_str() {
                "Option" => {
                    if shape.dimensions == 0 {
                        shape.nullable = true;
                    }
                    return generic(shape);
                }
                "Vec" => {
                    return match first_arg {
                        Some(arg) => element(arg, cx, shape),
                        None => Err(unknown(ty, cx)),
                    };
                }
                "Box" | "Arc" | "Rc" | "Cow" => return generic(shape),
                "i8" => Base::I8,
                "i16" => Base::I16,
                "i32" => Base::I32,
                "i64" | "isize" => Base::I64,
                "i128" => Base::I128,
                "u8" => Base::U8,
                "u16" => Base::U16,
                "u32" => Base::U32,
                "u64" | "usize" => Base::U64,
                "u128" => Base::U128,
                "f32" => Base::F32,
                "f64" => Base::F64,
                "bool" => Base::Bool,
                "String" | "str" => Base::String,
                "char" => Base::Char,
                "NaiveDate" | "Date" => Base::Date,
                "NaiveTime" | "Time" => Base::Time,
                "NaiveDateTime" | "PrimitiveDateTime" => Base::Timestamp,
                "DateTime" | "OffsetDateTime" | "UtcDateTime" => Base::TimestampTz,
                "Duration" | "TimeDelta" | "PgInterval" => Base::Interval,
                "Uuid" => Base::Uuid,
                "Json" | "JsonValue" => Base::Json,
                // `Value` alone is too common a name: only serde_json's, written or imported so.
                "Value" if path.iter().any(|s| s == "serde_json") => Base::Json,
                "Decimal" | "BigDecimal" => Base::Decimal,
                _ => return Err(unknown(ty, cx)),
            })
        }
        _ => Err(unknown(ty, cx)),
    }
}

/// The element of a `Vec`, slice or array: `u8` makes bytes, anything else one more dimension.
fn element(ty: &Type, cx: &TypeContext<'_>, shape: &mut RustType) -> Result<Base, TypeProblem> {
    if is_u8(ty) {
        return Ok(Base::Bytes);
    }
    shape.dimensions += 1;
    read(ty, cx, shape)
}

fn is_u8(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p.qself.is_none() && p.path.is_ident("u8"),
        Type::Group(g) => is_u8(&g.elem),
        Type::Paren(p) => is_u8(&p.elem),
        _ => false,
    }
}

fn first_type_argument(arguments: &PathArguments) -> Option<&Type> {
    match arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        PathArguments::None | PathArguments::Parenthesized(_) => None,
    }
}

/// The column type a `sql_type` text gives, read in the dialect of the database the models
/// are for: PostgreSQL's spellings on PostgreSQL, `COLUMN_TYPE`'s on MySQL (a PostgreSQL
/// spelling MySQL has no name of its own for, `timestamptz`, `uuid`, is still read), and on
/// SQLite the declared type verbatim, as SQLite keeps it (`INT`, `VARCHAR(20)`, `DATETIME`,
/// `ANY`, none at all), so the column is created with exactly that text.
pub(crate) fn sql_type(
    text: &str,
    dialect: Dialect,
) -> Result<ColumnType, autogen_schema::TypeParseError> {
    match dialect {
        Dialect::Postgres => ColumnType::parse_postgres(text),
        Dialect::MySql => {
            let mysql = ColumnType::parse_mysql(text)?;
            if let ColumnType::Other { .. } = mysql
                && let Ok(postgres) = ColumnType::parse_postgres(text)
                && !matches!(postgres, ColumnType::Other { .. })
            {
                return Ok(postgres);
            }
            Ok(mysql)
        }
        Dialect::Sqlite => Ok(ColumnType::parse_sqlite(text)),
    }
}

/// Modifiers a field gives its type.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Modifiers {
    pub max_length: Option<u32>,
    pub precision: Option<u32>,
    pub scale: Option<u32>,
}

/// Why a modifier does not apply: the key to point at and the message.
pub(crate) type ModifierProblem = (&'static str, String);

/// The column type of `shape` on `dialect`, arrays included.
pub(crate) fn column_type(
    shape: &RustType,
    dialect: Dialect,
    modifiers: Modifiers,
) -> Result<ColumnType, ModifierProblem> {
    let scalar = scalar_type(&shape.base, dialect, modifiers)?;
    if shape.dimensions == 0 {
        return Ok(scalar);
    }
    Ok(match dialect {
        Dialect::Postgres => ColumnType::Array {
            element: Box::new(scalar),
            dimensions: shape.dimensions,
        },
        // No arrays outside PostgreSQL: a list is stored as JSON there.
        Dialect::MySql | Dialect::Sqlite => ColumnType::Json,
    })
}

fn other(name: &str) -> ColumnType {
    ColumnType::Other {
        name: name.to_owned(),
    }
}

/// PostgreSQL's limits: fractional seconds up to 6 digits, numeric up to 1000.
const MAX_TIME_PRECISION: u32 = 6;
const MAX_NUMERIC_PRECISION: u32 = 1000;

fn check_modifiers(base: &Base, dialect: Dialect, m: Modifiers) -> Result<(), ModifierProblem> {
    let string_like = matches!(base, Base::String | Base::Char);
    let numeric = matches!(base, Base::Decimal);
    let temporal = matches!(base, Base::Time | Base::Timestamp | Base::TimestampTz);
    let plain = || {
        scalar_type(base, dialect, Modifiers::default())
            .map(|t| t.sql(dialect))
            .unwrap_or_default()
    };
    if m.max_length.is_some() && !string_like {
        let message = format!("`max_length` is for strings, not column type `{}`", plain());
        return Err(("max_length", message));
    }
    if m.scale.is_some() && !numeric {
        let message = format!("`scale` is for decimals, not column type `{}`", plain());
        return Err(("scale", message));
    }
    match m.precision {
        Some(_) if !(numeric || temporal) => Err((
            "precision",
            format!(
                "`precision` is for decimals, times and timestamps, not column type `{}`",
                plain()
            ),
        )),
        Some(p) if temporal && p > MAX_TIME_PRECISION => Err((
            "precision",
            format!("a time's `precision` goes from 0 to {MAX_TIME_PRECISION}"),
        )),
        Some(p) if numeric && !(1..=MAX_NUMERIC_PRECISION).contains(&p) => Err((
            "precision",
            format!("a decimal's `precision` goes from 1 to {MAX_NUMERIC_PRECISION}"),
        )),
        _ => Ok(()),
    }
}

fn scalar_type(base: &Base, dialect: Dialect, m: Modifiers) -> Result<ColumnType, ModifierProblem> {
    check_modifiers(base, dialect, m)?;
    let pg = dialect == Dialect::Postgres;
    let my = dialect == Dialect::MySql;
    Ok(match base {
        Base::I8 if my => other("tinyint"),
        Base::I8 | Base::I16 => ColumnType::SmallInt,
        Base::I32 => ColumnType::Integer,
        Base::I64 => ColumnType::BigInt,
        Base::I128 | Base::U128 => ColumnType::Numeric {
            precision: Some(39),
            scale: Some(0),
        },
        // PostgreSQL has no unsigned types: the next wider signed one holds every value.
        Base::U8 if my => other("tinyint unsigned"),
        Base::U16 if my => other("smallint unsigned"),
        Base::U32 if my => other("int unsigned"),
        Base::U64 if my => other("bigint unsigned"),
        Base::U8 => ColumnType::SmallInt,
        Base::U16 => ColumnType::Integer,
        Base::U32 => ColumnType::BigInt,
        Base::U64 if pg => ColumnType::Numeric {
            precision: Some(20),
            scale: Some(0),
        },
        Base::U64 => ColumnType::BigInt,
        Base::F32 => ColumnType::Real,
        Base::F64 => ColumnType::Double,
        Base::Bool => ColumnType::Boolean,
        Base::String => match m.max_length {
            Some(n) => ColumnType::Varchar { length: Some(n) },
            None if my => ColumnType::Varchar { length: Some(255) },
            None => ColumnType::Text,
        },
        Base::Char => ColumnType::Char {
            length: Some(m.max_length.unwrap_or(1)),
        },
        Base::Bytes => ColumnType::Bytes,
        Base::Date => ColumnType::Date,
        Base::Time => ColumnType::Time {
            precision: m.precision,
            with_time_zone: false,
        },
        Base::Timestamp => ColumnType::Timestamp {
            precision: m.precision,
            with_time_zone: false,
        },
        Base::TimestampTz => ColumnType::Timestamp {
            precision: m.precision,
            with_time_zone: true,
        },
        Base::Interval => ColumnType::Interval {
            fields: None,
            precision: None,
        },
        Base::Uuid => ColumnType::Uuid,
        Base::Json if pg => ColumnType::Jsonb,
        Base::Json => ColumnType::Json,
        // `numeric(p)` is `numeric(p,0)`, and the database says so when read back.
        Base::Decimal => ColumnType::Numeric {
            precision: m.precision,
            scale: m.precision.map(|_| m.scale.unwrap_or(0)),
        },
        Base::Enum(name) => ColumnType::Enum { name: name.clone() },
    })
}
