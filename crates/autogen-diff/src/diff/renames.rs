//! Caller-supplied rename hints, checked against both schemas and applied to a copy of the
//! current schema. Everything after this compares that renamed copy with the desired schema,
//! so a renamed table or column is "the same object" to the rest of the differ.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::naming::implicit_sequence_name;
use autogen_schema::{Dialect, QualifiedName, Schema};

use crate::apply::apply_step;
use crate::{Change, DiffOptions, SequenceRename};

pub(crate) struct Renamed<'a> {
    /// The current schema with every accepted rename applied, plus the desired side's
    /// namespaces (empty) so that a table can be renamed into a namespace the plan creates.
    /// Borrowed when there is nothing to apply: a copy of a 5,000-table schema is tens of MB.
    pub schema: Cow<'a, Schema>,
    /// The accepted renames, in the order they were given.
    pub changes: Vec<Change>,
    /// Renamed table name -> its name in the current schema.
    pub table_origin: BTreeMap<QualifiedName, QualifiedName>,
}

/// A hint applies when its old name exists on the current side and its new name exists on the
/// desired side but not on the current side; anything else (a stale hint, a chain or swap of
/// names) is ignored and the objects are compared as they are.
pub(crate) fn apply_hints<'a>(
    current: &'a Schema,
    desired: &Schema,
    options: &DiffOptions,
) -> Renamed<'a> {
    let no_hints = options.renames.is_empty();
    if no_hints
        && desired
            .schemas
            .keys()
            .all(|name| current.schemas.contains_key(name))
    {
        return Renamed {
            schema: Cow::Borrowed(current),
            changes: Vec::new(),
            table_origin: BTreeMap::new(),
        };
    }
    let mut schema = current.clone();
    for name in desired.schemas.keys() {
        schema.schemas.entry(name.clone()).or_default();
    }
    let mut changes = Vec::new();
    let mut table_origin = BTreeMap::new();
    let mut targets = BTreeSet::new();

    for hint in &options.renames.tables {
        let usable = hint.from != hint.to
            && current.table(&hint.from).is_some()
            && desired.table(&hint.to).is_some()
            && current.table(&hint.to).is_none()
            && !table_origin.values().any(|from| from == &hint.from)
            && targets.insert(hint.to.clone());
        let change = Change::RenameTable {
            from: hint.from.clone(),
            to: hint.to.clone(),
            sequences: renamed_sequences(current, desired, &hint.from, &hint.to),
        };
        if usable && apply_step(&mut schema, &change).is_ok() {
            table_origin.insert(hint.to.clone(), hint.from.clone());
            changes.push(change);
        }
    }

    for hint in &options.renames.columns {
        // The table may be named by either side; renames of tables are already applied.
        let table = match options.renames.tables.iter().find(|t| t.from == hint.table) {
            Some(t) if table_origin.get(&t.to) == Some(&hint.table) => t.to.clone(),
            _ => hint.table.clone(),
        };
        let (Some(was), Some(want)) = (schema.table(&table), desired.table(&table)) else {
            continue;
        };
        let usable = hint.from != hint.to
            && was.column(&hint.from).is_some()
            && was.column(&hint.to).is_none()
            && want.column(&hint.to).is_some();
        let change = Change::RenameColumn {
            table,
            from: hint.from.clone(),
            to: hint.to.clone(),
        };
        if usable && apply_step(&mut schema, &change).is_ok() {
            changes.push(change);
        }
    }

    for hint in &options.renames.enum_values {
        let (Some(was), Some(want)) = (schema.enum_type(&hint.name), desired.enum_type(&hint.name))
        else {
            continue;
        };
        let usable = hint.from != hint.to
            && was.labels.contains(&hint.from)
            && !was.labels.contains(&hint.to)
            && want.labels.contains(&hint.to);
        let change = Change::RenameEnumValue {
            name: hint.name.clone(),
            from: hint.from.clone(),
            to: hint.to.clone(),
        };
        if usable && apply_step(&mut schema, &change).is_ok() {
            changes.push(change);
        }
    }

    Renamed {
        schema: Cow::Owned(schema),
        changes,
        table_origin,
    }
}

/// The sequences of the columns of table `from` that its rename to `to` renames (PostgreSQL,
/// within one schema: `SET SCHEMA` moves them, under their names). A `serial` column's
/// sequence takes the name the desired side gives the sequence its column owns, when that name
/// is free on both sides; an identity column's, the new table's default name, when the old
/// table's default name was free of any standalone sequence (PostgreSQL then gave it that name).
fn renamed_sequences(
    current: &Schema,
    desired: &Schema,
    from: &QualifiedName,
    to: &QualifiedName,
) -> Vec<SequenceRename> {
    let (Some(was), Some(want)) = (current.table(from), desired.table(to)) else {
        return Vec::new();
    };
    if current.dialect != Dialect::Postgres || from.schema != to.schema {
        return Vec::new();
    }
    let sequence_names = |schema: &Schema| {
        schema
            .schemas
            .get(&from.schema)
            .map(|ns| ns.sequences.keys().cloned().collect::<BTreeSet<_>>())
            .unwrap_or_default()
    };
    let (live, wanted) = (sequence_names(current), sequence_names(desired));
    let owned = |schema: &Schema, table: &QualifiedName, column: &str| {
        schema
            .sequences()
            .find(|(_, s)| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|o| o.table == *table && o.column == column)
            })
            .map(|(name, _)| name)
    };
    let mut out = Vec::new();
    for column in &was.columns {
        let Some(target) = want.column(&column.name) else {
            continue;
        };
        if column.identity.is_some() && target.identity.is_some() {
            let old = implicit_sequence_name(&from.name, &column.name);
            let new = implicit_sequence_name(&to.name, &column.name);
            if old != new && !live.contains(&old) && !live.contains(&new) && !wanted.contains(&new)
            {
                out.push(SequenceRename {
                    column: column.name.clone(),
                    from: old,
                    to: new,
                    identity: true,
                });
            }
            continue;
        }
        let (Some(old), Some(new)) = (
            owned(current, from, &column.name),
            owned(desired, to, &column.name),
        ) else {
            continue;
        };
        if old.schema == from.schema
            && new.schema == from.schema
            && old.name != new.name
            && !live.contains(&new.name)
            && !wanted.contains(&old.name)
        {
            out.push(SequenceRename {
                column: column.name.clone(),
                from: old.name,
                to: new.name,
                identity: false,
            });
        }
    }
    out
}
