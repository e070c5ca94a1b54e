//! A table's primary key, unique, check and foreign-key constraints and indexes. All but the
//! primary key live in a name-keyed map of the table: added when the name is free, dropped
//! when the definition carried is what is there. A key something still references cannot go
//! (`refuse_if_referenced`, checked by the caller).

use std::fmt;

use autogen_schema::{NameMap, PrimaryKey, QualifiedName, Schema};

use super::{ApplyError, expect_eq, fail, refuse_if_referenced, table_mut};

/// A named object of a table: a constraint or an index.
pub(super) trait Named: Clone + PartialEq + fmt::Debug {
    fn name(&self) -> &str;
}

macro_rules! named {
    ($($ty:ty),*) => {
        $(impl Named for $ty {
            fn name(&self) -> &str {
                &self.name
            }
        })*
    };
}

named!(
    autogen_schema::UniqueConstraint,
    autogen_schema::CheckConstraint,
    autogen_schema::ForeignKey,
    autogen_schema::Index,
    autogen_schema::Exclusion
);

/// Adds `object` to `map`; its name must be free. `what` is "constraint" or "index".
pub(super) fn insert_new<T: Named>(
    map: &mut NameMap<T>,
    object: &T,
    what: &str,
    table: &QualifiedName,
) -> Result<(), ApplyError> {
    if map.contains_key(object.name()) {
        return fail(format!("{what} {} exists on {table}", object.name()));
    }
    map.insert(object.name().to_owned(), object.clone());
    Ok(())
}

/// Removes `object` from `map`; what is there under its name must equal it.
pub(super) fn remove_expected<T: Named>(
    map: &mut NameMap<T>,
    object: &T,
    what: &str,
    table: &QualifiedName,
) -> Result<(), ApplyError> {
    expect_eq(
        map.get(object.name()),
        Some(object),
        &format!("{what} {} on {table}", object.name()),
    )?;
    map.remove(object.name());
    Ok(())
}

pub(super) fn add_primary_key(
    schema: &mut Schema,
    table: &QualifiedName,
    key: &PrimaryKey,
) -> Result<(), ApplyError> {
    let current = table_mut(schema, table)?;
    if current.primary_key.is_some() {
        return fail(format!("table {table} has a primary key"));
    }
    current.primary_key = Some(key.clone());
    Ok(())
}

pub(super) fn drop_primary_key(
    schema: &mut Schema,
    table: &QualifiedName,
    key: &PrimaryKey,
) -> Result<(), ApplyError> {
    refuse_if_referenced(schema, table, &key.columns)?;
    let current = table_mut(schema, table)?;
    expect_eq(
        current.primary_key.as_ref(),
        Some(key),
        &format!("primary key of {table}"),
    )?;
    current.primary_key = None;
    Ok(())
}
