//! The models' expressions spelled as the live database spells them, so that a second run finds
//! nothing to do (DESIGN §6), at the least cost:
//!
//! 1. [`reconcile`] (pure): every expression slot of the desired schema (column default,
//!    generated expression, check, index key expression, index predicate) is compared with the
//!    live text at the same place ([`canon`]); an equivalent one takes the live spelling.
//! 2. Tables with a slot the cheap comparison cannot settle are "pending"; only they go to a
//!    server ([`Reconciled::pending_schema`]), which spells them ([`crate::normalise_postgres`]:
//!    inside a transaction that is always rolled back), and [`Reconciled::merge`] puts the
//!    server's spelling into those slots.
//!
//! A no-op `check` of a schema autogen created thus sends nothing to the server to normalise.

mod canon;
mod flow;
mod guard;
mod mysql;
mod slots;

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::{QualifiedName, Schema, Table};

pub use flow::{Compared, Live, compare_models, read_live, spell_models};
pub(crate) use guard::check_expressions;
pub use slots::Slot;

use canon::{Columns, Place, equivalent};

/// The desired schema after the cheap comparison, and what it could not settle.
#[derive(Debug, Clone)]
pub struct Reconciled {
    /// The desired schema, settled slots in the live spelling.
    pub schema: Schema,
    /// Per pending table, the slots still spelled as the models wrote them.
    pending: BTreeMap<QualifiedName, BTreeSet<Slot>>,
}

/// Compares every expression slot of `desired` with the live text at the same place in
/// `current`. Pure: no database.
pub fn reconcile(desired: Schema, current: &Schema) -> Reconciled {
    let mut schema = desired;
    let mut pending = BTreeMap::new();
    let dialect = schema.dialect;
    for (namespace_name, namespace) in schema.schemas.iter_mut() {
        for (table_name, table) in namespace.tables.iter_mut() {
            let name = QualifiedName::new(namespace_name, table_name);
            let live = current.table(&name);
            let unsettled = settle(dialect, table, live);
            if !unsettled.is_empty() {
                pending.insert(name, unsettled);
            }
        }
    }
    Reconciled { schema, pending }
}

/// Gives each slot of `table` that is equivalent to `live`'s the live spelling; returns the
/// others.
fn settle(
    dialect: autogen_schema::Dialect,
    table: &mut Table,
    live: Option<&Table>,
) -> BTreeSet<Slot> {
    let mut unsettled = BTreeSet::new();
    // Types are context for the rewrites; only where both sides agree on a column's type.
    let types: BTreeMap<String, autogen_schema::ColumnType> = table
        .columns
        .iter()
        .filter(|c| {
            live.and_then(|l| l.column(&c.name))
                .is_some_and(|l| l.ty == c.ty)
        })
        .map(|c| (c.name.clone(), c.ty.clone()))
        .collect();
    let columns: Columns<'_> = types.iter().map(|(n, t)| (n.as_str(), t)).collect();
    for slot in Slot::all(table) {
        let model = slot.text(table).map(str::to_owned);
        let live_text = live.and_then(|l| slot.text(l)).map(str::to_owned);
        let (Some(model), Some(live_text)) = (model, live_text) else {
            unsettled.insert(slot);
            continue;
        };
        // A default is compared as one of the models' column, whatever the live type: a
        // retype keeps the old default's cast (`'x'::character varying` on a column now
        // `text`), which a direct build would not print.
        let default_of = match &slot {
            Slot::Default(column) => table.column(column).map(|c| c.ty.clone()),
            Slot::Generated(_) | Slot::Check(_) | Slot::IndexKey(..) | Slot::Predicate(_) => None,
        };
        let place = match &default_of {
            Some(ty) => Place::Default(ty),
            None => Place::Other,
        };
        if equivalent(dialect, &model, &live_text, place, &columns) {
            slot.set(table, live_text);
        } else {
            unsettled.insert(slot);
        }
    }
    unsettled
}

impl Reconciled {
    /// The tables the cheap comparison left to the server.
    pub fn pending_tables(&self) -> impl Iterator<Item = &QualifiedName> {
        self.pending.keys()
    }

    pub fn is_settled(&self) -> bool {
        self.pending.is_empty()
    }

    /// What the server must spell: the pending tables without their foreign keys (which name
    /// tables that are not sent), with every enum type and sequence of the desired schema,
    /// which their columns and defaults may use.
    pub fn pending_schema(&self) -> Schema {
        let mut out = Schema::new(self.schema.dialect);
        for (name, namespace) in &self.schema.schemas {
            let target = out.namespace_mut(name);
            target.enums = namespace.enums.clone();
            target.sequences = namespace.sequences.clone();
        }
        for name in self.pending.keys() {
            if let Some(table) = self.schema.table(name) {
                let mut table = table.clone();
                table.foreign_keys.clear();
                out.namespace_mut(&name.schema)
                    .tables
                    .insert(name.name.clone(), table);
            }
        }
        out
    }

    /// The desired schema with the server's spelling (`normalised`, the pending schema as the
    /// server read it back) in every slot the cheap comparison left open.
    pub fn merge(self, normalised: &Schema) -> Schema {
        let mut schema = self.schema;
        for (name, slots) in self.pending {
            let Some(spelled) = normalised.table(&name) else {
                continue;
            };
            let Some(table) = schema
                .schemas
                .get_mut(&name.schema)
                .and_then(|ns| ns.tables.get_mut(&name.name))
            else {
                continue;
            };
            for slot in slots {
                slot.copy(spelled, table);
            }
        }
        schema
    }
}

#[cfg(test)]
mod tests;
