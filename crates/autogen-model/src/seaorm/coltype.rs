//! SeaORM's column types (sea-query's `ColumnType`), read from `column_type = ".."` text and
//! from Rust field types the way `DeriveEntityModel` and `ValueType::column_type()` decide them.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over syn's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use syn::{Expr, GenericArgument, PathArguments, Type};

/// sea-query's `StringLen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Len {
    None,
    N(u32),
    Max,
}

/// The variants of sea-query's `ColumnType` that a column can carry, as SeaORM hands them to
/// `Schema::create_table_from_entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SeaType {
    Char(Option<u32>),
    String(Len),
    Text,
    TinyInteger,
    SmallInteger,
    Integer,
    BigInteger,
    TinyUnsigned,
    SmallUnsigned,
    Unsigned,
    BigUnsigned,
    Float,
    Double,
    Decimal(Option<(u32, u32)>),
    Money(Option<(u32, u32)>),
    DateTime,
    Timestamp,
    TimestampWithTimeZone,
    Time,
    Date,
    Year,
    Binary(u32),
    VarBinary(Len),
    Blob,
    Boolean,
    Json,
    JsonBinary,
    Uuid,
    Inet,
    Cidr,
    MacAddr,
    /// `Custom("citext")`: the text is the type.
    Custom(String),
    /// An `Enum` active enum: the type's name and its labels.
    Enum {
        name: String,
        labels: Vec<String>,
    },
    Array(Box<SeaType>),
}

impl SeaType {
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            SeaType::SmallInteger | SeaType::Integer | SeaType::BigInteger
        )
    }
}

/// `column_type = "String(StringLen::N(100))"`, `"Decimal(Some((10, 2)))"`, `"Text"`, ..; a
/// leading `ColumnType::` is allowed. `None` when the text is not one of sea-query's types.
pub(crate) fn parse_column_type(text: &str) -> Option<SeaType> {
    let expr: Expr = syn::parse_str(text).ok()?;
    from_expr(&expr)
}

fn last_ident(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

pub(crate) fn from_expr(expr: &Expr) -> Option<SeaType> {
    let (name, args): (String, Vec<&Expr>) = match expr {
        Expr::Path(_) => (last_ident(expr)?, Vec::new()),
        Expr::Call(call) => (last_ident(&call.func)?, call.args.iter().collect()),
        Expr::Paren(p) => return from_expr(&p.expr),
        _ => return None,
    };
    let arg = args.first().copied();
    Some(match (name.as_str(), args.len()) {
        ("Char", 0) => SeaType::Char(None),
        ("Char", 1) => SeaType::Char(option(arg?, number)?),
        ("String", 0) | ("string", 0) => SeaType::String(Len::None),
        ("String", 1) | ("string", 1) => SeaType::String(len(arg?)?),
        ("Text", 0) => SeaType::Text,
        ("TinyInteger", 0) => SeaType::TinyInteger,
        ("SmallInteger", 0) => SeaType::SmallInteger,
        ("Integer", 0) => SeaType::Integer,
        ("BigInteger", 0) => SeaType::BigInteger,
        ("TinyUnsigned", 0) => SeaType::TinyUnsigned,
        ("SmallUnsigned", 0) => SeaType::SmallUnsigned,
        ("Unsigned", 0) => SeaType::Unsigned,
        ("BigUnsigned", 0) => SeaType::BigUnsigned,
        ("Float", 0) => SeaType::Float,
        ("Double", 0) => SeaType::Double,
        ("Decimal", 0) => SeaType::Decimal(None),
        ("Decimal", 1) => SeaType::Decimal(option(arg?, pair)?),
        ("Money", 0) => SeaType::Money(None),
        ("Money", 1) => SeaType::Money(option(arg?, pair)?),
        ("DateTime", 0) => SeaType::DateTime,
        ("Timestamp", 0) => SeaType::Timestamp,
        ("TimestampWithTimeZone", 0) => SeaType::TimestampWithTimeZone,
        ("Time", 0) => SeaType::Time,
        ("Date", 0) => SeaType::Date,
        ("Year", 0) => SeaType::Year,
        ("Binary", 1) => SeaType::Binary(number(arg?)?),
        ("VarBinary", 1) => SeaType::VarBinary(len(arg?)?),
        ("Blob", 0) => SeaType::Blob,
        ("Boolean", 0) => SeaType::Boolean,
        ("Json", 0) => SeaType::Json,
        ("JsonBinary", 0) => SeaType::JsonBinary,
        ("Uuid", 0) => SeaType::Uuid,
        ("Inet", 0) => SeaType::Inet,
        ("Cidr", 0) => SeaType::Cidr,
        ("MacAddr", 0) => SeaType::MacAddr,
        ("Custom", 1) | ("custom", 1) => SeaType::Custom(string(arg?)?),
        // PostgreSQL-only types sea-orm-cli writes: spelled as sea-query writes them there.
        ("Interval", _) => SeaType::Custom("interval".to_owned()),
        ("Bit", 1) => SeaType::Custom(match option(arg?, number)? {
            Some(n) => format!("bit({n})"),
            None => "bit".to_owned(),
        }),
        ("VarBit", 1) => SeaType::Custom(format!("varbit({})", number(arg?)?)),
        ("Vector", 1) => SeaType::Custom(match option(arg?, number)? {
            Some(n) => format!("vector({n})"),
            None => "vector".to_owned(),
        }),
        ("LTree", 0) => SeaType::Custom("ltree".to_owned()),
        // `Array(RcOrArc::new(ColumnType::Integer))`, `Array(SeaRc::new(..))`, ..
        ("Array", 1) => SeaType::Array(Box::new(match arg? {
            Expr::Call(c) if c.args.len() == 1 => from_expr(c.args.first()?)?,
            other => from_expr(other)?,
        })),
        _ => return None,
    })
}

fn number(expr: &Expr) -> Option<u32> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        Expr::Paren(p) => number(&p.expr),
        _ => None,
    }
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        // `"citext".into()`, `Alias::new("citext")`, `SeaRc::new(..)`
        Expr::MethodCall(m) => string(&m.receiver),
        Expr::Call(c) => c.args.first().and_then(string),
        _ => None,
    }
}

/// `(10, 2)`
fn pair(expr: &Expr) -> Option<(u32, u32)> {
    match expr {
        Expr::Tuple(t) if t.elems.len() == 2 => {
            Some((number(t.elems.first()?)?, number(t.elems.last()?)?))
        }
        Expr::Paren(p) => pair(&p.expr),
        _ => None,
    }
}

/// `Some(x)` or `None`.
fn option<T>(expr: &Expr, inner: impl Fn(&Expr) -> Option<T>) -> Option<Option<T>> {
    match expr {
        Expr::Path(_) if last_ident(expr)? == "None" => Some(None),
        Expr::Call(c) if last_ident(&c.func)? == "Some" && c.args.len() == 1 => {
            Some(Some(inner(c.args.first()?)?))
        }
        _ => None,
    }
}

/// `StringLen::N(100)`, `StringLen::None`, `StringLen::Max`, or a bare number (sea-query 0.x).
fn len(expr: &Expr) -> Option<Len> {
    if let Some(n) = number(expr) {
        return Some(Len::N(n));
    }
    match expr {
        Expr::Path(_) => match last_ident(expr)?.as_str() {
            "None" => Some(Len::None),
            "Max" => Some(Len::Max),
            _ => None,
        },
        Expr::Call(c) if matches!(last_ident(&c.func)?.as_str(), "N" | "Some") => {
            Some(Len::N(number(c.args.first()?)?))
        }
        _ => None,
    }
}

/// What a Rust field type says, before enums and newtypes of the entity files are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RustShape {
    Known(SeaType),
    /// A name to look up among the active enums, value types and aliases: the last segment.
    Named(String),
    /// `Vec<T>` of something other than `u8`: a PostgreSQL array of `T`.
    Array(Box<RustShape>),
    Unknown,
}

/// The type inside `Option<..>`, and whether there was one.
pub(crate) fn strip_option(ty: &Type) -> (&Type, bool) {
    if let Some(inner) = generic(ty, "Option") {
        return (inner, true);
    }
    (ty, false)
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// `T` of `Name<T>`.
fn generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let segment = last_segment(ty)?;
    if segment.ident != name {
        return None;
    }
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        PathArguments::None | PathArguments::Parenthesized(_) => None,
    }
}

/// The column type SeaORM gives a Rust type (`ValueType::column_type()` of sea-query, and the
/// names SeaORM's prelude defines: `DateTimeWithTimeZone`, `DateTimeUtc`, `Json`, ..).
pub(crate) fn rust_shape(ty: &Type) -> RustShape {
    if let Type::Reference(r) = ty {
        return rust_shape(&r.elem);
    }
    if let Some(inner) = generic(ty, "Vec") {
        if last_segment(inner).is_some_and(|s| s.ident == "u8") {
            return RustShape::Known(SeaType::VarBinary(Len::None));
        }
        return RustShape::Array(Box::new(rust_shape(inner)));
    }
    if let Some(inner) = generic(ty, "Box") {
        return rust_shape(inner);
    }
    let Some(segment) = last_segment(ty) else {
        return RustShape::Unknown;
    };
    let name = segment.ident.to_string();
    let with_generics = !matches!(segment.arguments, PathArguments::None);
    let path_has = |word: &str| match ty {
        Type::Path(p) => p.path.segments.iter().any(|s| s.ident == word),
        _ => false,
    };
    let known = match name.as_str() {
        "char" => SeaType::Char(None),
        "String" | "str" | "Cow" => SeaType::String(Len::None),
        "i8" => SeaType::TinyInteger,
        "i16" => SeaType::SmallInteger,
        "i32" => SeaType::Integer,
        "i64" => SeaType::BigInteger,
        "u8" => SeaType::TinyUnsigned,
        "u16" => SeaType::SmallUnsigned,
        "u32" => SeaType::Unsigned,
        "u64" => SeaType::BigUnsigned,
        "f32" => SeaType::Float,
        "f64" => SeaType::Double,
        "bool" => SeaType::Boolean,
        "Date" | "NaiveDate" | "TimeDate" => SeaType::Date,
        "Time" | "NaiveTime" | "TimeTime" => SeaType::Time,
        // chrono's `DateTime<Tz>` carries a zone; SeaORM's prelude `DateTime` is `NaiveDateTime`.
        "DateTime" if with_generics => SeaType::TimestampWithTimeZone,
        "DateTime" | "NaiveDateTime" | "PrimitiveDateTime" | "TimeDateTime" => SeaType::DateTime,
        "DateTimeUtc"
        | "DateTimeLocal"
        | "DateTimeWithTimeZone"
        | "OffsetDateTime"
        | "TimeDateTimeWithTimeZone"
        | "ChronoDateTimeUtc"
        | "ChronoDateTimeLocal"
        | "ChronoDateTimeWithTimeZone" => SeaType::TimestampWithTimeZone,
        "Uuid" => SeaType::Uuid,
        "Json" | "JsonValue" => SeaType::Json,
        "Value" if path_has("serde_json") => SeaType::Json,
        "Decimal" | "BigDecimal" => SeaType::Decimal(None),
        "IpNetwork" => SeaType::Inet,
        "MacAddress" => SeaType::MacAddr,
        _ => return RustShape::Named(name),
    };
    RustShape::Known(known)
}
