//! Enum types into `#[derive(autogen::Enum)]` enums: a `rename_all` when one rule gives every
//! label from its variant, else a `value = ".."` on each variant whose name is not its label.

use std::collections::BTreeSet;

use autogen_schema::{Dialect, EnumType, QualifiedName};

use crate::case::{RENAME_ALL, RenameAll, snake_case};
use crate::write::names;
use crate::write::text::{Key, attribute};

/// A PostgreSQL enum type.
pub(crate) fn write_enum(
    rust: &str,
    name: &QualifiedName,
    e: &EnumType,
    dialect: Dialect,
) -> String {
    let mut keys = Vec::new();
    if snake_case(rust) != name.name {
        keys.push(Key::Str("name", name.name.clone()));
    }
    if name.schema != dialect.default_schema() {
        keys.push(Key::Str("schema", name.schema.clone()));
    }
    let mut attrs = Vec::new();
    if !keys.is_empty() {
        attrs.push(keys);
    }
    if let Some(comment) = &e.comment {
        attrs.push(vec![Key::Str("comment", comment.clone())]);
    }
    enum_text(rust, attrs, &e.labels)
}

/// The enum of a MySQL inline `enum(..)` column (MySQL has no enum types: the name is the
/// model's own).
pub(crate) fn write_inline_enum(rust: &str, labels: &[String]) -> String {
    enum_text(rust, Vec::new(), labels)
}

fn enum_text(rust: &str, mut attrs: Vec<Vec<Key>>, labels: &[String]) -> String {
    let mut taken = BTreeSet::new();
    let variants: Vec<String> = labels
        .iter()
        .map(|l| names::variant(l, &mut taken))
        .collect();
    let rule = RENAME_ALL
        .iter()
        .filter_map(|r| RenameAll::parse(r))
        .find(|r| variants.iter().zip(labels).all(|(v, l)| r.apply(v) == *l));
    let as_written = variants.iter().zip(labels).all(|(v, l)| v == l);
    if let (Some(rule), false) = (rule, as_written) {
        let text = RENAME_ALL
            .iter()
            .find(|r| RenameAll::parse(r) == Some(rule))
            .copied()
            .unwrap_or("snake_case");
        attrs.push(vec![Key::Str("rename_all", text.to_owned())]);
    }
    let mut out = String::from("#[derive(autogen::Enum)]\n");
    for keys in &attrs {
        out.push_str(&attribute(keys, 0));
    }
    out.push_str(&format!("pub enum {rust} {{\n"));
    for (variant, label) in variants.iter().zip(labels) {
        let said = match rule {
            Some(rule) if !as_written => rule.apply(variant) == *label,
            _ => variant == label,
        };
        if !said {
            out.push_str(&attribute(&[Key::Str("value", label.clone())], 4));
        }
        out.push_str(&format!("    {variant},\n"));
    }
    out.push_str("}\n");
    out
}
