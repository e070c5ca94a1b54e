//! Sequences: created, dropped, altered.

use autogen_schema::{QualifiedName, Schema, Sequence};

use super::{ApplyError, expect_eq, expect_named, fail, namespace};

pub(super) fn create(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Sequence,
) -> Result<(), ApplyError> {
    expect_named(&definition.name, name)?;
    let ns = namespace(schema, &name.schema)?;
    if ns.sequences.contains_key(&name.name) {
        return fail(format!("sequence {name} exists"));
    }
    ns.sequences.insert(name.name.clone(), definition.clone());
    Ok(())
}

pub(super) fn drop(
    schema: &mut Schema,
    name: &QualifiedName,
    definition: &Sequence,
) -> Result<(), ApplyError> {
    let ns = namespace(schema, &name.schema)?;
    expect_eq(
        ns.sequences.get(&name.name),
        Some(definition),
        &format!("sequence {name}"),
    )?;
    ns.sequences.remove(&name.name);
    Ok(())
}

pub(super) fn alter(
    schema: &mut Schema,
    name: &QualifiedName,
    from: &Sequence,
    to: &Sequence,
) -> Result<(), ApplyError> {
    expect_named(&to.name, name)?;
    let ns = namespace(schema, &name.schema)?;
    let Some(current) = ns.sequences.get_mut(&name.name) else {
        return fail(format!("sequence {name} does not exist"));
    };
    expect_eq(&*current, from, &format!("sequence {name}"))?;
    *current = to.clone();
    Ok(())
}
