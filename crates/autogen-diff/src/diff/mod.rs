//! `diff(&current, &desired, &options)`: what changed, as unordered steps; `order` then puts
//! them in a valid order. One module per kind of object.

pub(crate) mod enums;
mod hints;
mod namespaces;
mod objects;
mod renames;
mod scope;
mod sequences;
mod table_facts;
mod tables;
mod views;

use std::borrow::Cow;
use std::collections::BTreeMap;

use autogen_schema::{Dialect, QualifiedName, Schema, Table};

use crate::{DiffOptions, Plan};

/// The plan that turns `current` into `desired`. Pure and deterministic: the same inputs give
/// the same plan, byte for byte.
pub fn diff(current: &Schema, desired: &Schema, options: &DiffOptions) -> Plan {
    let folded = crate::fold::spelled_as_current_borrowed(current, desired);
    let desired = folded.as_ref();
    let renamed = renames::apply_hints(current, desired, options);
    // Schemas are copied only where something changes them: at 5,000 tables each copy is
    // tens of MB, and `check` holds both sides already.
    let scoped = if scope::states_everything(&options.authority) {
        Cow::Borrowed(desired)
    } else {
        Cow::Owned(scope::scope(
            &renamed.schema,
            desired.clone(),
            &options.authority,
        ))
    };
    // The table facts models cannot state are the database's.
    let filled;
    let desired = if options.authority.views_and_triggers || !table_facts::any_facts(current) {
        scoped.as_ref()
    } else {
        let mut out = scoped.into_owned();
        table_facts::fill_unstated(&renamed.schema, &mut out);
        filled = out;
        &filled
    };
    let sides = Sides {
        current,
        renamed: &renamed.schema,
        desired,
        table_origin: &renamed.table_origin,
    };
    let mut changes = renamed.changes.clone();
    namespaces::diff(&sides, &mut changes);
    enums::diff(&sides, &mut changes);
    sequences::diff(&sides, &mut changes);
    tables::diff(&sides, &mut changes);
    table_facts::diff(&sides, &mut changes);
    views::diff(&sides, options.authority.views_and_triggers, &mut changes);
    objects::diff(&sides, options.authority.views_and_triggers, &mut changes);
    enums::attach_dependents(&sides, &mut changes);
    let rename_hints = hints::find(&changes);
    let changes = crate::order::order(changes, current, desired);
    // SQLite's renderer needs whole tables (a rebuild), MySQL's the indexes a table has (the
    // one InnoDB made for a foreign key); on PostgreSQL the copy is waste.
    let before = match current.dialect {
        Dialect::Sqlite | Dialect::MySql => Some(current.clone()),
        Dialect::Postgres => None,
    };
    let partitioned = current
        .tables()
        .chain(desired.tables())
        .filter(|(_, t)| t.postgres.partition_by.is_some())
        .map(|(name, _)| name)
        .collect();
    Plan {
        changes,
        rename_hints,
        before,
        partitioned,
    }
}

/// `desired` as the differ compares it: every fact its source is not authoritative for
/// (`DiffOptions::authority`) taken from `current`, renames applied. What a plan from [`diff`]
/// reaches, and what a caller should report as the desired side.
pub fn scoped_desired(current: &Schema, desired: Schema, options: &DiffOptions) -> Schema {
    let desired = crate::fold::spelled_as_current(current, desired);
    let all_views = options.authority.views_and_triggers;
    if scope::states_everything(&options.authority) && all_views {
        return desired;
    }
    let renamed = renames::apply_hints(current, &desired, options);
    let mut out = if scope::states_everything(&options.authority) {
        desired
    } else {
        scope::scope(&renamed.schema, desired, &options.authority)
    };
    if !all_views {
        views::fill_unstated(&renamed.schema, &mut out);
        objects::fill_unstated(&renamed.schema, &mut out);
        table_facts::fill_unstated(&renamed.schema, &mut out);
    }
    out
}

/// The two schemas being compared, plus the current one with hinted renames applied (which is
/// what objects are compared against).
pub(crate) struct Sides<'a> {
    pub current: &'a Schema,
    pub renamed: &'a Schema,
    pub desired: &'a Schema,
    table_origin: &'a BTreeMap<QualifiedName, QualifiedName>,
}

impl Sides<'_> {
    /// The current-side name of a table known by its renamed (desired-side) name.
    pub fn original_name(&self, name: &QualifiedName) -> QualifiedName {
        self.table_origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.clone())
    }

    /// The current-side definition of a table known by its renamed name. Drops of indexes and
    /// constraints run before any rename, so they carry this definition.
    pub fn original_table(&self, name: &QualifiedName) -> Option<&Table> {
        self.current.table(&self.original_name(name))
    }
}

/// Every name of two of a table's name maps once, in order.
pub(crate) fn union_names<'k, V, W>(
    a: &'k autogen_schema::NameMap<V>,
    b: &'k autogen_schema::NameMap<W>,
) -> Vec<&'k String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Every key of `a` and `b` once, in order.
pub(crate) fn union_keys<'k, V, W>(
    a: Option<&'k BTreeMap<String, V>>,
    b: Option<&'k BTreeMap<String, W>>,
) -> Vec<&'k String> {
    let mut keys: Vec<&String> = a
        .into_iter()
        .flat_map(|m| m.keys())
        .chain(b.into_iter().flat_map(|m| m.keys()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}
