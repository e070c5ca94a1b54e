//! Rust names for database names: fields, structs, enums, variants and modules. A name that
//! cannot be the Rust name as it is gets a Rust name of its own, and the writer then says the
//! database name with a key (`column = ".."`, `table = ".."`, `name = ".."`, `value = ".."`).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords (2024 edition), which need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names a model file's fields use or the reader knows by their last segment: a struct
/// or enum of that name would shadow them (an enum named `Option` would make every
/// `Option<..>` field that enum).
const TYPE_NAMES: &[&str] = &[
    "Option",
    "Vec",
    "Box",
    "Arc",
    "Rc",
    "Cow",
    "String",
    "Self",
    "Json",
    "JsonValue",
    "Value",
    "Uuid",
    "Decimal",
    "BigDecimal",
    "NaiveDate",
    "NaiveTime",
    "NaiveDateTime",
    "Date",
    "Time",
    "DateTime",
    "OffsetDateTime",
    "PrimitiveDateTime",
    "UtcDateTime",
    "Duration",
    "TimeDelta",
    "PgInterval",
    "Utc",
    "Model",
    "Enum",
];

fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

/// Letters, digits and `_` only, starting with a letter or `_`; `fallback` when nothing is left.
fn sanitize(name: &str, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    out = out.trim_matches('_').to_owned();
    if out.is_empty() {
        return fallback.to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        // A snake_case name takes `_` after its letter (`c_2fa`); a PascalCase one does not,
        // or rustc warns that `V_0` is not UpperCamelCase in the user's crate.
        if fallback.starts_with(|c: char| c.is_ascii_lowercase()) {
            out.insert(0, '_');
        }
        out.insert_str(0, fallback);
    }
    out
}

/// A field name for `column`: the column name itself when it is a snake_case identifier
/// (`r#type` for a keyword), else a snake_case rendering of it. Unique among `taken`.
pub(crate) fn field(column: &str, taken: &mut BTreeSet<String>) -> String {
    let base = if is_plain_ident(column) && column.to_snake_case() == column {
        column.to_owned()
    } else {
        sanitize(&column.to_snake_case(), "c")
    };
    let base = if NOT_RAW.contains(&base.as_str()) {
        format!("{base}_")
    } else {
        base
    };
    let name = unique(base, taken);
    if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name a field gives its column, as the reader reads it (`r#type` is `type`).
pub(crate) fn field_column(field: &str) -> &str {
    field.strip_prefix("r#").unwrap_or(field)
}

/// A type name (struct, enum) for a database name: PascalCase, not a keyword or a type the
/// reader knows, unique among `taken`.
pub(crate) fn type_name(name: &str, suffix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = sanitize(&name.to_upper_camel_case(), "T");
    if base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base = base.to_upper_camel_case();
    }
    if TYPE_NAMES.contains(&base.as_str()) || KEYWORDS.contains(&base.as_str()) {
        base.push_str(suffix);
    }
    unique(base, taken)
}

/// A variant name for an enum label, unique among `taken`.
pub(crate) fn variant(label: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = sanitize(&label.to_upper_camel_case(), "V");
    if base == "Self" {
        base.push('_');
    }
    unique(base, taken)
}

/// A module (file) name for a database name: snake_case, not a keyword, unique among `taken`.
pub(crate) fn module(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = sanitize(&name.to_snake_case(), "m");
    if KEYWORDS.contains(&base.as_str())
        || NOT_RAW.contains(&base.as_str())
        || ["mod", "lib", "main", "enums"].contains(&base.as_str())
    {
        base.push('_');
    }
    unique(base, taken)
}

/// `base`, or `base_2`, `base_3`, ... (`Base2` for a type name): the first not in `taken`, which then takes it.
fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    // Type names stay PascalCase (`Status2`), the others snake_case (`status_2`).
    let separator = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
        ""
    } else {
        "_"
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{separator}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_become_identifiers() {
        let mut taken = BTreeSet::new();
        assert_eq!(field("user_id", &mut taken), "user_id");
        assert_eq!(field("type", &mut taken), "r#type");
        assert_eq!(field("userId", &mut taken), "user_id_2");
        assert_eq!(field("2fa code", &mut taken), "c_2fa_code");
        assert_eq!(field("self", &mut taken), "self_");
        assert_eq!(field_column("r#type"), "type");
        let mut types = BTreeSet::new();
        assert_eq!(type_name("order_items", "Row", &mut types), "OrderItems");
        assert_eq!(type_name("option", "Row", &mut types), "OptionRow");
        assert_eq!(type_name("Order Items", "Row", &mut types), "OrderItems2");
        assert_eq!(type_name("2fa", "Row", &mut types), "T2fa");
        let mut variants = BTreeSet::new();
        assert_eq!(variant("0", &mut variants), "V0");
        assert_eq!(variant("1.5", &mut variants), "V15");
        assert_eq!(variant("so-so", &mut variants), "SoSo");
        let mut modules = BTreeSet::new();
        assert_eq!(module("Mod", &mut modules), "mod_");
        assert_eq!(module("users", &mut modules), "users");
        assert_eq!(module("Users", &mut modules), "users_2");
    }
}
