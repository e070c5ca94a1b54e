//! Active enums (`DeriveActiveEnum`, `db_type = "Enum"`), as `sea-orm-cli` writes them in
//! `sea_orm_active_enums.rs`: every label a `string_value`, so no renaming rule is involved.

use std::collections::BTreeSet;

use crate::write::names;
use crate::write::text::{Key, named_attribute};

/// The enum `rust` for the database enum `name` (a PostgreSQL type, or a MySQL column's
/// inline enum) with `labels`.
pub(super) fn active_enum(rust: &str, name: &str, labels: &[String]) -> String {
    let mut out =
        String::from("#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]\n");
    out.push_str(&named_attribute(
        "sea_orm",
        &[
            Key::Str("rs_type", "String".to_owned()),
            Key::Str("db_type", "Enum".to_owned()),
            Key::Str("enum_name", name.to_owned()),
        ],
        0,
    ));
    out.push_str(&format!("pub enum {rust} {{\n"));
    let mut taken = BTreeSet::new();
    for label in labels {
        let variant = names::variant(label, &mut taken);
        out.push_str(&named_attribute(
            "sea_orm",
            &[Key::Str("string_value", label.clone())],
            4,
        ));
        out.push_str(&format!("    {variant},\n"));
    }
    out.push_str("}\n");
    out
}
