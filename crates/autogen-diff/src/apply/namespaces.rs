//! Schemas (PostgreSQL namespaces).

use autogen_schema::{Namespace, Schema};

use super::{ApplyError, fail, namespace};

pub(super) fn create(schema: &mut Schema, name: &str) -> Result<(), ApplyError> {
    if schema.schemas.contains_key(name) {
        return fail(format!("schema {name} exists"));
    }
    schema.schemas.insert(name.to_owned(), Namespace::default());
    Ok(())
}

pub(super) fn drop(schema: &mut Schema, name: &str) -> Result<(), ApplyError> {
    let ns = namespace(schema, name)?;
    if !ns.tables.is_empty() || !ns.enums.is_empty() || !ns.sequences.is_empty() {
        return fail(format!("schema {name} is not empty"));
    }
    schema.schemas.remove(name);
    Ok(())
}
