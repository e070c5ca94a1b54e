//! Tables: created (never with foreign keys, which are steps of their own), dropped (the
//! definition carried must be what is there), commented. Renames are in `rename.rs`.

use autogen_schema::{QualifiedName, Schema, Table};

use super::{ApplyError, by_name, expect_eq, expect_named, fail, namespace, table_mut};

pub(super) fn create(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Table,
) -> Result<(), ApplyError> {
    expect_named(&definition.name, name)?;
    if !definition.foreign_keys.is_empty() {
        return fail(format!(
            "create table {name} carries foreign keys; they are steps of their own"
        ));
    }
    let ns = namespace(schema, &name.schema)?;
    if ns.tables.contains_key(&name.name) {
        return fail(format!("table {name} exists"));
    }
    ns.tables.insert(name.name.clone(), definition.clone());
    Ok(())
}

pub(super) fn drop(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Table,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, name)?;
    if !current.foreign_keys.is_empty() {
        return fail(format!(
            "table {name} still has foreign keys; they are dropped as steps of their own"
        ));
    }
    expect_eq(
        &by_name(current),
        &by_name(definition),
        &format!("table {name}"),
    )?;
    if let Some(ns) = schema.schemas.get_mut(&name.schema) {
        ns.tables.remove(&name.name);
    }
    Ok(())
}

pub(super) fn set_comment(
    schema: &mut Schema,
    table: &QualifiedName,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    expect_eq(&current.comment, from, &format!("comment of table {table}"))?;
    current.comment = to.clone();
    Ok(())
}
