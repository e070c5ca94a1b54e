//! Columns: added, dropped (the definition carried must be what is there), altered (never
//! renamed: that is `RenameColumn`, in `rename.rs`).

use autogen_schema::{Column, QualifiedName, Schema};

use super::{ApplyError, expect_eq, fail, table_mut};

pub(super) fn add(
    schema: &mut Schema,
    table: &QualifiedName,
    column: &Column,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    if current.column(&column.name).is_some() {
        return fail(format!("column {table}.{} exists", column.name));
    }
    current.columns.push(column.clone());
    Ok(())
}

pub(super) fn drop(
    schema: &mut Schema,
    table: &QualifiedName,
    column: &Column,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    expect_eq(
        current.column(&column.name),
        Some(column),
        &format!("column {table}.{}", column.name),
    )?;
    current.columns.retain(|c| c.name != column.name);
    Ok(())
}

pub(super) fn alter(
    schema: &mut Schema,
    table: &QualifiedName,
    from: &Column,
    to: &Column,
) -> Result<(), ApplyError> {
    if from.name != to.name {
        return fail(format!(
            "alter column {table}.{} changes the name; that is a rename",
            from.name
        ));
    }
    let current = table_mut(schema, table)?;
    let Some(column) = current.columns.iter_mut().find(|c| c.name == from.name) else {
        return fail(format!("column {table}.{} does not exist", from.name));
    };
    expect_eq(&*column, from, &format!("column {table}.{}", from.name))?;
    *column = to.clone();
    Ok(())
}
