//! Enum types: created, dropped, a label added or renamed, rebuilt with other labels, commented.
//! A change that touches the enum's users carries them, and they must be what is there.

use autogen_schema::{EnumType, QualifiedName, Schema};

use super::rename::rename_enum_label_in_defaults;
use super::{
    ApplyError, enum_mut, expect_columns, expect_dependents, expect_eq, expect_named, fail,
    label_index, namespace,
};
use crate::{EnumColumnUse, EnumDependent, EnumValuePosition};

/// The columns and other objects using an enum, as a change carries them.
type Users<'a> = (&'a [EnumColumnUse], &'a [EnumDependent]);

pub(super) fn create(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &EnumType,
) -> Result<(), ApplyError> {
    expect_named(&definition.name, name)?;
    let ns = namespace(schema, &name.schema)?;
    if ns.enums.contains_key(&name.name) {
        return fail(format!("type {name} exists"));
    }
    ns.enums.insert(name.name.clone(), definition.clone());
    Ok(())
}

pub(super) fn drop(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &EnumType,
) -> Result<(), ApplyError> {
    let ns = namespace(schema, &name.schema)?;
    expect_eq(
        ns.enums.get(&name.name),
        Some(definition),
        &format!("type {name}"),
    )?;
    ns.enums.remove(&name.name);
    Ok(())
}

pub(super) fn add_value(
    schema: &mut Schema,
    name: &QualifiedName,
    value: &str,
    position: &EnumValuePosition,
    (from, to): (&EnumType, &EnumType),
    (columns, dependents): Users<'_>,
) -> Result<(), ApplyError> {
    expect_columns(schema, name, columns)?;
    expect_dependents(schema, name, dependents)?;
    let current = enum_mut(schema, name)?;
    expect_eq(&*current, from, &format!("type {name}"))?;
    if current.labels.iter().any(|l| l == value) {
        return fail(format!("type {name} already has label {value}"));
    }
    let at = match position {
        EnumValuePosition::Before(l) => label_index(current, l)?,
        EnumValuePosition::After(l) => label_index(current, l)? + 1,
        EnumValuePosition::End => current.labels.len(),
    };
    current.labels.insert(at, value.to_owned());
    expect_eq(&*current, to, &format!("type {name} after adding {value}"))
}

pub(super) fn rename_value(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &str,
    to: &str,
) -> Result<(), ApplyError> {
    let current = enum_mut(schema, name)?;
    if current.labels.iter().any(|l| l == to) {
        return fail(format!("type {name} already has label {to}"));
    }
    let at = label_index(current, from)?;
    current.labels[at] = to.to_owned();
    rename_enum_label_in_defaults(schema, name, from, to);
    Ok(())
}

pub(super) fn rebuild(
    schema: &mut Schema,
    name: &QualifiedName,
    (from, to): (&EnumType, &EnumType),
    (columns, dependents): Users<'_>,
) -> Result<(), ApplyError> {
    expect_columns(schema, name, columns)?;
    expect_dependents(schema, name, dependents)?;
    let current = enum_mut(schema, name)?;
    expect_eq(&*current, from, &format!("type {name}"))?;
    *current = to.clone();
    Ok(())
}

pub(super) fn set_comment(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(), ApplyError> {
    let current = enum_mut(schema, name)?;
    expect_eq(&current.comment, from, &format!("comment of type {name}"))?;
    current.comment = to.clone();
    Ok(())
}
