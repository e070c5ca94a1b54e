//! PostgreSQL's objects beyond tables (`DbObject`): created where their dependencies exist,
//! dropped only as carried and while nothing depends on them, altered in place from what is
//! there.

use autogen_schema::{DbObject, Dependency, Schema};

use super::{ApplyError, fail, namespace};

/// Whether what `dependency` names exists in `schema`.
fn exists(schema: &Schema, dependency: &Dependency) -> bool {
    match dependency {
        Dependency::Table { table, column } => schema
            .table(table)
            .is_some_and(|t| column.as_ref().is_none_or(|c| t.column(c).is_some())),
        Dependency::Object { schema: s, key } => schema
            .schemas
            .get(s)
            .is_some_and(|ns| ns.objects.contains_key(key)),
        Dependency::Enum { name } => schema.enum_type(name).is_some(),
        Dependency::Sequence { name } => schema
            .schemas
            .get(&name.schema)
            .is_some_and(|ns| ns.sequences.contains_key(&name.name)),
    }
}

pub(super) fn create(schema: &mut Schema, on: &str, object: &DbObject) -> Result<(), ApplyError> {
    let key = object.key();
    if let Some(missing) = object.depends_on.iter().find(|d| !exists(schema, d)) {
        return fail(format!("{key} needs {missing:?}, which does not exist"));
    }
    let ns = namespace(schema, on)?;
    if ns.objects.contains_key(&key) {
        return fail(format!("{key} exists in schema {on}"));
    }
    ns.objects.insert(key, object.clone());
    Ok(())
}

pub(super) fn drop(schema: &mut Schema, on: &str, object: &DbObject) -> Result<(), ApplyError> {
    let key = object.key();
    let dependent = schema.objects().find(|(s, o)| {
        o.depends_on.iter().any(
            |d| matches!(d, Dependency::Object { schema: ds, key: k } if ds == on && *k == key),
        ) && !(*s == on && o.key() == key)
    });
    if let Some((s, o)) = dependent {
        return fail(format!(
            "{key} is still needed by {} in schema {s}",
            o.key()
        ));
    }
    let ns = namespace(schema, on)?;
    match ns.objects.get(&key) {
        Some(there) if there.same_as(object) => {}
        Some(_) => return fail(format!("{key} is not what the change carries")),
        None => return fail(format!("{key} does not exist in schema {on}")),
    }
    ns.objects.remove(&key);
    Ok(())
}

pub(super) fn alter(
    schema: &mut Schema,
    on: &str,
    from: &DbObject,
    to: &DbObject,
) -> Result<(), ApplyError> {
    if !from.replaces_in_place(to) {
        return fail(format!("{} cannot be replaced in place", from.key()));
    }
    let ns = namespace(schema, on)?;
    match ns.objects.get_mut(&from.key()) {
        Some(there) if there.same_as(from) => {
            *there = to.clone();
            Ok(())
        }
        Some(_) => fail(format!("{} is not what the change carries", from.key())),
        None => fail(format!("{} does not exist in schema {on}", from.key())),
    }
}
