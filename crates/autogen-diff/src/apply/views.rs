//! Views and triggers: created, dropped (the definition carried must be what is there) and
//! replaced. Their text is not read: a trigger needs the table or view it fires on, nothing
//! else is checked.

use autogen_schema::{QualifiedName, Schema, Trigger, View, same_definition};

use super::{ApplyError, expect_named, fail, namespace};

fn taken(schema: &Schema, name: &QualifiedName) -> bool {
    schema.table(name).is_some()
        || schema
            .schemas
            .get(&name.schema)
            .is_some_and(|ns| ns.views.contains_key(&name.name))
}

pub(super) fn create_view(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &View,
) -> Result<(), ApplyError> {
    expect_named(&definition.name, name)?;
    if taken(schema, name) {
        return fail(format!("a table or view named {name} exists"));
    }
    namespace(schema, &name.schema)?
        .views
        .insert(name.name.clone(), definition.clone());
    Ok(())
}

pub(super) fn drop_view(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &View,
) -> Result<(), ApplyError> {
    let ns = namespace(schema, &name.schema)?;
    match ns.views.get(&name.name) {
        Some(view) if same_definition(&view.definition, &definition.definition) => {}
        Some(view) => {
            return fail(format!(
                "view {name} is {:?}, but the change expects {:?}",
                view.definition, definition.definition
            ));
        }
        None => return fail(format!("view {name} does not exist")),
    }
    if let Some(trigger) = ns.triggers.values().find(|t| t.table == name.name) {
        return fail(format!(
            "view {name} still has trigger {}; it is dropped as a step of its own",
            trigger.name
        ));
    }
    ns.views.remove(&name.name);
    Ok(())
}

pub(super) fn replace_view(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &View,
    to: &View,
) -> Result<(), ApplyError> {
    expect_named(&to.name, name)?;
    let ns = namespace(schema, &name.schema)?;
    match ns.views.get_mut(&name.name) {
        Some(view) if same_definition(&view.definition, &from.definition) => {
            *view = to.clone();
            Ok(())
        }
        Some(_) => fail(format!(
            "view {name} is not the definition the change expects"
        )),
        None => fail(format!("view {name} does not exist")),
    }
}

fn expect_target(
    schema: &Schema,
    name: &QualifiedName,
    trigger: &Trigger,
) -> Result<(), ApplyError> {
    let on = QualifiedName::new(&name.schema, &trigger.table);
    if taken(schema, &on) {
        Ok(())
    } else {
        fail(format!(
            "trigger {name} fires on {on}, which does not exist"
        ))
    }
}

pub(super) fn create_trigger(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Trigger,
) -> Result<(), ApplyError> {
    expect_named(&definition.name, name)?;
    expect_target(schema, name, definition)?;
    let ns = namespace(schema, &name.schema)?;
    if ns.triggers.contains_key(&name.name) {
        return fail(format!("trigger {name} exists"));
    }
    ns.triggers.insert(name.name.clone(), definition.clone());
    Ok(())
}

pub(super) fn drop_trigger(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Trigger,
) -> Result<(), ApplyError> {
    let ns = namespace(schema, &name.schema)?;
    match ns.triggers.get(&name.name) {
        Some(t) if same_trigger(t, definition) => {
            ns.triggers.remove(&name.name);
            Ok(())
        }
        Some(_) => fail(format!(
            "trigger {name} is not the definition the change expects"
        )),
        None => fail(format!("trigger {name} does not exist")),
    }
}

pub(super) fn replace_trigger(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &Trigger,
    to: &Trigger,
) -> Result<(), ApplyError> {
    expect_named(&to.name, name)?;
    expect_target(schema, name, to)?;
    let ns = namespace(schema, &name.schema)?;
    match ns.triggers.get_mut(&name.name) {
        Some(t) if same_trigger(t, from) => {
            *t = to.clone();
            Ok(())
        }
        Some(_) => fail(format!(
            "trigger {name} is not the definition the change expects"
        )),
        None => fail(format!("trigger {name} does not exist")),
    }
}

fn same_trigger(a: &Trigger, b: &Trigger) -> bool {
    a.table == b.table && same_definition(&a.definition, &b.definition)
}

/// The triggers on `table`: a table with triggers is not dropped (the plan drops them first,
/// so that its inverse creates them again).
pub(super) fn refuse_triggers_on(schema: &Schema, table: &QualifiedName) -> Result<(), ApplyError> {
    let trigger = schema
        .schemas
        .get(&table.schema)
        .and_then(|ns| ns.triggers.values().find(|t| t.table == table.name));
    match trigger {
        Some(t) => fail(format!(
            "table {table} still has trigger {}; it is dropped as a step of its own",
            t.name
        )),
        None => Ok(()),
    }
}
