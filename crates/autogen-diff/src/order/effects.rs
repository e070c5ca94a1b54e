//! What each change creates, drops, modifies or needs, named as it is when the change runs.

use std::collections::BTreeSet;

use autogen_schema::{Column, DbObject, Dependency, ObjectKind, QualifiedName, Schema, Table};

use crate::refs::{
    enum_dependents_of, implicit_sequence_name, index_columns, index_key, key_of, mentions,
    sequences_used, table_keys, uses_enum,
};
use crate::{Change, EnumDependent};

/// Something the ordering tracks, named as it is named at the time the change runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Object {
    Schema(String),
    /// PostgreSQL's type namespace: enum types and every table's row type.
    TypeName(QualifiedName),
    Enum(QualifiedName),
    /// An enum's label list (and comment): changed by add-value, rebuild, comment steps.
    EnumLabels(QualifiedName),
    /// "The enum's labels are renamed": every user of the enum comes after, so every step sees
    /// and carries the new label names.
    EnumRenamed(QualifiedName),
    /// PostgreSQL's relation namespace: tables, sequences, indexes (also those behind primary
    /// keys and unique constraints). Makes a drop precede a create of the same name.
    Relation(String, String),
    Sequence(QualifiedName),
    Table(QualifiedName),
    Column(QualifiedName, String),
    PrimaryKey(QualifiedName),
    Constraint(QualifiedName, String),
    /// A sorted column set a foreign key can reference.
    Key(QualifiedName, Vec<String>),
    View(QualifiedName),
    Trigger(QualifiedName),
    /// A `DbObject` (view, function, trigger, ...) by schema and key.
    Catalogued(String, String),
}

/// Which life of an object a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// As it was: before it is dropped or modified (drops, and the old side of an alter).
    Old,
    /// As it will be: after it is created or modified (creates, and the new side of an alter).
    New,
    /// Just that it exists: after its creation, before its drop.
    Both,
}

#[derive(Debug, Default)]
pub(super) struct Effects {
    pub creates: Vec<Object>,
    pub drops: Vec<Object>,
    pub modifies: Vec<Object>,
    pub uses: Vec<(Object, Side)>,
}

/// What the effects of a change are read against: both schemas and the names either side
/// knows (sequences, enums, the current relation namespaces).
pub(super) struct Catalog<'a> {
    current: &'a Schema,
    desired: &'a Schema,
    /// Every sequence of either side: what a default's `nextval` may name.
    sequences: Vec<QualifiedName>,
    /// Every enum of either side: what a check or index text may name.
    enums: Vec<QualifiedName>,
    /// Every name in the current relation namespaces: (schema, name).
    relations: BTreeSet<(String, String)>,
}

impl<'a> Catalog<'a> {
    pub fn new(
        current: &'a Schema,
        desired: &'a Schema,
        sequences: Vec<QualifiedName>,
    ) -> Catalog<'a> {
        let mut relations = BTreeSet::new();
        for (schema, ns) in &current.schemas {
            let tables = ns.tables.iter().flat_map(|(name, t)| {
                std::iter::once(name)
                    .chain(t.primary_key.iter().map(|pk| &pk.name))
                    .chain(t.uniques.keys())
                    .chain(t.indexes.keys())
                    .chain(t.postgres.attached_indexes.values())
            });
            for name in ns.sequences.keys().chain(ns.views.keys()).chain(tables) {
                relations.insert((schema.clone(), name.clone()));
            }
            for relation in ns.objects.values().filter_map(object_relation) {
                relations.insert((schema.clone(), relation));
            }
            for (name, t) in &ns.tables {
                for column in t.columns.iter().filter(|c| c.identity.is_some()) {
                    relations.insert((schema.clone(), implicit_sequence_name(name, &column.name)));
                }
            }
        }
        let mut enums: Vec<QualifiedName> = current
            .enums()
            .chain(desired.enums())
            .map(|(n, _)| n)
            .collect();
        enums.sort();
        enums.dedup();
        Catalog {
            current,
            desired,
            sequences,
            enums,
            relations,
        }
    }

    /// The enums whose rebuild would detach an object of `table` (as `definition` has it) for
    /// which `is` holds (see [`EnumDependent`]): such an object must not exist where the enum
    /// changes unless the change carries it, so a drop of one runs before and a creation after.
    fn enums_detaching(
        &self,
        table: &QualifiedName,
        definition: Option<&Table>,
        is: impl Fn(&EnumDependent) -> bool,
    ) -> Vec<QualifiedName> {
        let Some(definition) = definition else {
            return Vec::new();
        };
        self.enums
            .iter()
            .filter(|e| {
                enum_dependents_of(table, definition, e, &|c: &Column| uses_enum(c, e))
                    .iter()
                    .any(&is)
            })
            .cloned()
            .collect()
    }

    /// Whether the object exists before the plan runs.
    pub fn existed(&self, res: &Object) -> bool {
        let schema = self.current;
        let table = |q: &QualifiedName| schema.table(q);
        match res {
            Object::Schema(name) => schema.schemas.contains_key(name),
            Object::TypeName(q) => schema.enum_type(q).is_some() || table(q).is_some(),
            Object::Enum(q) | Object::EnumLabels(q) => schema.enum_type(q).is_some(),
            Object::EnumRenamed(_) => false,
            Object::Relation(s, n) => self.relations.contains(&(s.clone(), n.clone())),
            Object::Sequence(q) => schema
                .schemas
                .get(&q.schema)
                .is_some_and(|ns| ns.sequences.contains_key(&q.name)),
            Object::Table(q) => table(q).is_some(),
            Object::Column(q, c) => table(q).and_then(|t| t.column(c)).is_some(),
            Object::PrimaryKey(q) => table(q).is_some_and(|t| t.primary_key.is_some()),
            Object::Constraint(q, n) => table(q).is_some_and(|t| {
                t.primary_key.as_ref().is_some_and(|pk| &pk.name == n)
                    || t.uniques.contains_key(n)
                    || t.checks.contains_key(n)
                    || t.foreign_keys.contains_key(n)
                    || t.postgres.exclusions.contains_key(n)
            }),
            Object::Key(q, key) => table(q).is_some_and(|t| table_keys(t).contains(key)),
            Object::View(q) => schema
                .schemas
                .get(&q.schema)
                .is_some_and(|ns| ns.views.contains_key(&q.name)),
            Object::Trigger(q) => schema
                .schemas
                .get(&q.schema)
                .is_some_and(|ns| ns.triggers.contains_key(&q.name)),
            Object::Catalogued(s, key) => schema
                .schemas
                .get(s)
                .is_some_and(|ns| ns.objects.contains_key(key)),
        }
    }

    /// The table as it is before the plan (for drops) or after it (for creations).
    fn side_table(&self, table: &QualifiedName, side: Side) -> Option<&'a Table> {
        match side {
            Side::Old => self.current.table(table),
            Side::New | Side::Both => self.desired.table(table),
        }
    }
}

impl Effects {
    fn uses(&mut self, res: Object, side: Side) {
        self.uses.push((res, side));
    }

    /// What a trigger fires on: a table, or (`INSTEAD OF`) a view.
    fn trigger_target(&mut self, name: &QualifiedName, on: &str, side: Side) {
        let target = QualifiedName::new(&name.schema, on);
        self.uses(Object::Table(target.clone()), side);
        self.uses(Object::View(target), side);
    }

    fn column(&mut self, table: &QualifiedName, column: &str, side: Side) {
        self.uses(Object::Table(table.clone()), side);
        self.uses(Object::Column(table.clone(), column.to_owned()), side);
    }

    fn columns<'s>(
        &mut self,
        table: &QualifiedName,
        columns: impl IntoIterator<Item = &'s String>,
        side: Side,
    ) {
        for column in columns {
            self.column(table, column, side);
        }
    }

    /// A constraint or index whose text (a check, an index expression or predicate) may name
    /// any column: it needs all of them, as the table is on that side.
    fn all_columns(&mut self, table: &QualifiedName, definition: Option<&Table>, side: Side) {
        self.uses(Object::Table(table.clone()), side);
        for column in definition.iter().flat_map(|t| &t.columns) {
            self.column(table, &column.name, side);
        }
    }

    /// An object an enum rebuild would detach (see `Catalog::enums_detaching`) needs the enum's
    /// labels as they are on its side of the plan.
    fn enum_labels(&mut self, enums: Vec<QualifiedName>, side: Side) {
        for e in enums {
            self.uses(Object::EnumLabels(e), side);
        }
    }

    /// A generated column an enum rebuild would detach is added after the enum changes and
    /// dropped before.
    fn detached_column(
        &mut self,
        catalog: &Catalog<'_>,
        table: &QualifiedName,
        column: &Column,
        side: Side,
    ) {
        if column.generated.is_none() {
            return;
        }
        let enums = catalog.enums_detaching(table, catalog.side_table(table, side), |d| {
            matches!(d, EnumDependent::GeneratedColumn { column: c, .. } if c.name == column.name)
        });
        self.enum_labels(enums, side);
    }

    /// What a column definition needs: its enum type, the sequences its default calls, the
    /// columns its generation expression reads.
    fn column_needs(
        &mut self,
        catalog: &Catalog<'_>,
        table: &QualifiedName,
        column: &Column,
        side: Side,
    ) {
        if let Some(generated) = &column.generated {
            let definition = match side {
                Side::Old => catalog.current.table(table),
                Side::New | Side::Both => catalog.desired.table(table),
            };
            let read = definition
                .into_iter()
                .flat_map(|t| &t.columns)
                .filter(|c| c.name != column.name && mentions(&generated.expression, &c.name));
            for c in read {
                self.column(table, &c.name, side);
            }
        }
        if let Some(e) = column.ty.enum_name() {
            self.uses(Object::Enum(e.clone()), side);
            self.uses(Object::EnumLabels(e.clone()), side);
            self.uses(Object::EnumRenamed(e.clone()), Side::Both);
        }
        for s in sequences_used(column, &table.schema, &catalog.sequences) {
            self.uses(Object::Sequence(s.clone()), side);
        }
    }

    /// An alter: what only the old definition needs is needed as it was, everything the new
    /// one needs as it will be.
    fn alter_needs(
        &mut self,
        catalog: &Catalog<'_>,
        table: &QualifiedName,
        from: &Column,
        to: &Column,
    ) {
        let mut old = Effects::default();
        old.column_needs(catalog, table, from, Side::Old);
        let mut new = Effects::default();
        new.column_needs(catalog, table, to, Side::New);
        for (res, side) in old.uses {
            if !new.uses.iter().any(|(r, _)| r == &res) {
                self.uses(res, side);
            }
        }
        self.uses.extend(new.uses);
    }

    /// Everything a whole table holds (without foreign keys, which are separate steps).
    fn table_objects(&self, name: &QualifiedName, table: &Table) -> Vec<Object> {
        let relation = |n: &str| Object::Relation(name.schema.clone(), n.to_owned());
        let mut out = vec![
            Object::Table(name.clone()),
            Object::TypeName(name.clone()),
            relation(&name.name),
        ];
        out.extend(
            table
                .columns
                .iter()
                .map(|c| Object::Column(name.clone(), c.name.clone())),
        );
        if let Some(pk) = &table.primary_key {
            out.push(Object::PrimaryKey(name.clone()));
            out.push(relation(&pk.name));
            out.push(Object::Constraint(name.clone(), pk.name.clone()));
        }
        for u in table.uniques.values() {
            out.push(relation(&u.name));
            out.push(Object::Constraint(name.clone(), u.name.clone()));
        }
        for c in table.checks.values() {
            out.push(Object::Constraint(name.clone(), c.name.clone()));
        }
        for i in table.indexes.values() {
            out.push(relation(&i.name));
        }
        for x in table.postgres.exclusions.values() {
            out.push(relation(&x.name));
            out.push(Object::Constraint(name.clone(), x.name.clone()));
        }
        for key in table_keys(table) {
            out.push(Object::Key(name.clone(), key));
        }
        out
    }
}

pub(super) fn effects(change: &Change, catalog: &Catalog<'_>) -> Effects {
    let mut e = Effects::default();
    match change {
        Change::CreateSchema { name } => e.creates.push(Object::Schema(name.clone())),
        Change::DropSchema { name } => e.drops.push(Object::Schema(name.clone())),
        Change::CreateEnum { name, .. } | Change::DropEnum { name, .. } => {
            let objects = vec![
                Object::Enum(name.clone()),
                Object::EnumLabels(name.clone()),
                Object::TypeName(name.clone()),
            ];
            if matches!(change, Change::CreateEnum { .. }) {
                e.creates = objects;
                e.uses(Object::Schema(name.schema.clone()), Side::New);
            } else {
                e.drops = objects;
                e.uses(Object::Schema(name.schema.clone()), Side::Old);
            }
        }
        Change::AddEnumValue {
            name,
            columns,
            dependents,
            ..
        }
        | Change::RebuildEnum {
            name,
            columns,
            dependents,
            ..
        } => {
            e.modifies.push(Object::EnumLabels(name.clone()));
            e.uses(Object::Enum(name.clone()), Side::Both);
            e.uses(Object::EnumRenamed(name.clone()), Side::Both);
            for u in columns {
                e.column(&u.table, &u.column.name, Side::Both);
            }
            // Detached and created again by the step: they exist, as they are, around it.
            for d in dependents {
                let (table, object) = match d {
                    EnumDependent::Check { table, constraint } => (
                        table,
                        Object::Constraint(table.clone(), constraint.name.clone()),
                    ),
                    EnumDependent::ForeignKey { table, constraint } => (
                        table,
                        Object::Constraint(table.clone(), constraint.name.clone()),
                    ),
                    EnumDependent::Index { table, index } => (
                        table,
                        Object::Relation(table.schema.clone(), index.name.clone()),
                    ),
                    EnumDependent::Unique { table, constraint } => (
                        table,
                        Object::Constraint(table.clone(), constraint.name.clone()),
                    ),
                    EnumDependent::PrimaryKey { table, key } => {
                        (table, Object::Constraint(table.clone(), key.name.clone()))
                    }
                    EnumDependent::GeneratedColumn { table, column } => {
                        (table, Object::Column(table.clone(), column.name.clone()))
                    }
                };
                e.uses(Object::Table(table.clone()), Side::Both);
                e.uses(object, Side::Both);
            }
        }
        Change::SetEnumComment { name, .. } => {
            e.modifies.push(Object::EnumLabels(name.clone()));
            e.uses(Object::Enum(name.clone()), Side::Both);
        }
        Change::RenameEnumValue { name, .. } => {
            e.creates.push(Object::EnumRenamed(name.clone()));
            e.uses(Object::Enum(name.clone()), Side::Both);
        }
        Change::CreateSequence { name, definition } | Change::DropSequence { name, definition } => {
            let objects = vec![
                Object::Sequence(name.clone()),
                Object::Relation(name.schema.clone(), name.name.clone()),
            ];
            let side = if matches!(change, Change::CreateSequence { .. }) {
                e.creates = objects;
                Side::New
            } else {
                e.drops = objects;
                Side::Old
            };
            e.uses(Object::Schema(name.schema.clone()), side);
            if let Some(owner) = &definition.owned_by {
                e.column(&owner.table, &owner.column, side);
            }
        }
        Change::AlterSequence { name, from, to } => {
            e.uses(Object::Sequence(name.clone()), Side::Both);
            match (&from.owned_by, &to.owned_by) {
                (Some(a), Some(b)) if a == b => e.column(&a.table, &a.column, Side::Both),
                (a, b) => {
                    if let Some(a) = a {
                        e.column(&a.table, &a.column, Side::Old);
                    }
                    if let Some(b) = b {
                        e.column(&b.table, &b.column, Side::New);
                    }
                }
            }
        }
        Change::CreateTable { name, definition } | Change::DropTable { name, definition } => {
            let mut objects = e.table_objects(name, definition);
            for column in &definition.columns {
                objects.extend(identity_sequence(name, column));
            }
            let side = if matches!(change, Change::CreateTable { .. }) {
                e.creates = objects;
                Side::New
            } else {
                e.drops = objects;
                Side::Old
            };
            e.uses(Object::Schema(name.schema.clone()), side);
            if let Some(partition) = &definition.postgres.partition_of {
                // Its columns are the parent's: created after they are, dropped before.
                e.uses(Object::Table(partition.parent.clone()), side);
                for column in &definition.columns {
                    e.column(&partition.parent, &column.name, side);
                }
            }
            if let autogen_schema::ReplicaIdentity::Index(index) =
                &definition.postgres.options.replica_identity
            {
                e.uses(Object::Relation(name.schema.clone(), index.clone()), side);
            }
            for column in &definition.columns {
                e.column_needs(catalog, name, column, side);
            }
            e.enum_labels(
                catalog.enums_detaching(name, Some(definition), |_| true),
                side,
            );
        }
        Change::RenameTable {
            from,
            to,
            sequences,
        } => {
            // Everything of the table moves to the new name: the old names of its columns,
            // keys and constraints end here (drops on them come first), the new ones begin.
            // Table renames run before column renames, so the table is as it is now. So do
            // the names of the sequences renamed with it.
            let bare = Table::new(from.name.clone());
            let table = catalog.current.table(from).unwrap_or(&bare);
            e.drops = e.table_objects(from, table);
            e.creates = e.table_objects(to, table);
            for rename in sequences {
                let old = QualifiedName::new(&from.schema, &rename.from);
                let new = QualifiedName::new(&to.schema, &rename.to);
                e.drops
                    .push(Object::Relation(old.schema.clone(), old.name.clone()));
                e.creates
                    .push(Object::Relation(new.schema.clone(), new.name.clone()));
                if !rename.identity {
                    e.drops.push(Object::Sequence(old));
                    e.creates.push(Object::Sequence(new));
                }
            }
            e.uses(Object::Schema(from.schema.clone()), Side::Old);
            e.uses(Object::Schema(to.schema.clone()), Side::New);
        }
        Change::SetTableComment { table, .. } => e.uses(Object::Table(table.clone()), Side::Both),
        Change::AddColumn { table, column } => {
            e.creates
                .push(Object::Column(table.clone(), column.name.clone()));
            e.creates.extend(identity_sequence(table, column));
            e.uses(Object::Table(table.clone()), Side::Both);
            e.column_needs(catalog, table, column, Side::New);
            e.detached_column(catalog, table, column, Side::New);
        }
        Change::DropColumn { table, column } => {
            e.drops
                .push(Object::Column(table.clone(), column.name.clone()));
            e.drops.extend(identity_sequence(table, column));
            e.uses(Object::Table(table.clone()), Side::Both);
            e.column_needs(catalog, table, column, Side::Old);
            e.detached_column(catalog, table, column, Side::Old);
        }
        Change::RenameColumn { table, from, to } => {
            e.drops.push(Object::Column(table.clone(), from.clone()));
            e.creates.push(Object::Column(table.clone(), to.clone()));
            e.uses(Object::Table(table.clone()), Side::Both);
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            e.modifies
                .push(Object::Column(table.clone(), from.name.clone()));
            match (&from.identity, &to.identity) {
                (Some(_), None) => e.drops.extend(identity_sequence(table, from)),
                (None, Some(_)) => e.creates.extend(identity_sequence(table, to)),
                (Some(_), Some(_)) | (None, None) => {}
            }
            e.uses(Object::Table(table.clone()), Side::Both);
            if drops_default_only(from, to) {
                // Only the old default goes: this runs on the type as it is (before an enum
                // rebuild that may remove the label the default names).
                e.column_needs(catalog, table, from, Side::Old);
            } else {
                e.alter_needs(catalog, table, from, to);
            }
            e.detached_column(catalog, table, from, Side::Old);
            e.detached_column(catalog, table, to, Side::New);
            // A partition's own NOT NULL is set once its parent's column has changed: the
            // parent's change reaches the partition's column (a DROP NOT NULL among it).
            if let Some(partition) = catalog
                .desired
                .table(table)
                .and_then(|t| t.postgres.partition_of.as_ref())
            {
                e.uses(
                    Object::Column(partition.parent.clone(), to.name.clone()),
                    Side::New,
                );
            }
        }
        Change::AddPrimaryKey { table, key } | Change::DropPrimaryKey { table, key } => {
            let objects = vec![
                Object::PrimaryKey(table.clone()),
                Object::Relation(table.schema.clone(), key.name.clone()),
                Object::Constraint(table.clone(), key.name.clone()),
                Object::Key(table.clone(), key_of(&key.columns)),
            ];
            let side = create_or_drop(
                &mut e,
                objects,
                matches!(change, Change::AddPrimaryKey { .. }),
            );
            e.columns(table, &key.columns, side);
            let enums = catalog.enums_detaching(
                table,
                catalog.side_table(table, side),
                |d| matches!(d, EnumDependent::PrimaryKey { key: k, .. } if k.name == key.name),
            );
            e.enum_labels(enums, side);
        }
        Change::AddUnique { table, constraint } | Change::DropUnique { table, constraint } => {
            let objects = vec![
                Object::Relation(table.schema.clone(), constraint.name.clone()),
                Object::Constraint(table.clone(), constraint.name.clone()),
                Object::Key(table.clone(), key_of(&constraint.columns)),
            ];
            let side = create_or_drop(&mut e, objects, matches!(change, Change::AddUnique { .. }));
            e.columns(table, &constraint.columns, side);
            let enums = catalog.enums_detaching(table, catalog.side_table(table, side), |d| {
                matches!(d, EnumDependent::Unique { constraint: u, .. } if u.name == constraint.name)
            });
            e.enum_labels(enums, side);
        }
        Change::AddCheck { table, constraint } | Change::DropCheck { table, constraint } => {
            let objects = vec![Object::Constraint(table.clone(), constraint.name.clone())];
            let adding = matches!(change, Change::AddCheck { .. });
            let side = create_or_drop(&mut e, objects, adding);
            let definition = if adding {
                catalog.desired.table(table)
            } else {
                catalog.current.table(table)
            };
            e.all_columns(table, definition, side);
            let enums = catalog.enums_detaching(table, definition, |d| {
                matches!(d, EnumDependent::Check { constraint: c, .. } if c.name == constraint.name)
            });
            e.enum_labels(enums, side);
        }
        Change::AddForeignKey { table, constraint }
        | Change::DropForeignKey { table, constraint } => {
            let objects = vec![Object::Constraint(table.clone(), constraint.name.clone())];
            let side = create_or_drop(
                &mut e,
                objects,
                matches!(change, Change::AddForeignKey { .. }),
            );
            let target = &constraint.referenced_table;
            e.columns(table, &constraint.columns, side);
            e.columns(target, &constraint.referenced_columns, side);
            e.uses(
                Object::Key(target.clone(), key_of(&constraint.referenced_columns)),
                side,
            );
            let enums = catalog.enums_detaching(table, catalog.side_table(table, side), |d| {
                matches!(d, EnumDependent::ForeignKey { constraint: f, .. } if f.name == constraint.name)
            });
            e.enum_labels(enums, side);
        }
        Change::CreateIndex { table, index } | Change::DropIndex { table, index } => {
            let mut objects = vec![Object::Relation(table.schema.clone(), index.name.clone())];
            if let Some(key) = index_key(index) {
                objects.push(Object::Key(table.clone(), key));
            }
            let creating = matches!(change, Change::CreateIndex { .. });
            let side = create_or_drop(&mut e, objects, creating);
            e.columns(table, &index_columns(index), side);
            let has_text = index.predicate.is_some()
                || index
                    .keys
                    .iter()
                    .any(|k| matches!(k.target, autogen_schema::IndexTarget::Expression(_)));
            if has_text {
                let definition = if creating {
                    catalog.desired.table(table)
                } else {
                    catalog.current.table(table)
                };
                e.all_columns(table, definition, side);
            }
            let enums = catalog.enums_detaching(
                table,
                catalog.side_table(table, side),
                |d| matches!(d, EnumDependent::Index { index: i, .. } if i.name == index.name),
            );
            e.enum_labels(enums, side);
        }
        // What a view reads is text the differ does not parse: views are created after the
        // tables and dropped before them by rank (`order::rank`).
        Change::CreateView { name, .. } | Change::DropView { name, .. } => {
            let objects = vec![
                Object::View(name.clone()),
                Object::Relation(name.schema.clone(), name.name.clone()),
            ];
            let side = create_or_drop(&mut e, objects, matches!(change, Change::CreateView { .. }));
            e.uses(Object::Schema(name.schema.clone()), side);
        }
        Change::ReplaceView { name, .. } => {
            e.modifies.push(Object::View(name.clone()));
        }
        Change::CreateTrigger { name, definition } | Change::DropTrigger { name, definition } => {
            let creating = matches!(change, Change::CreateTrigger { .. });
            let side = create_or_drop(&mut e, vec![Object::Trigger(name.clone())], creating);
            e.trigger_target(name, &definition.table, side);
        }
        Change::ReplaceTrigger { name, from, to } => {
            e.modifies.push(Object::Trigger(name.clone()));
            e.trigger_target(name, &from.table, Side::Old);
            e.trigger_target(name, &to.table, Side::New);
        }
        // What an object needs is read from the catalog (`DbObject::depends_on`).
        Change::CreateObject { schema, object } | Change::DropObject { schema, object } => {
            let creating = matches!(change, Change::CreateObject { .. });
            let mut objects = vec![Object::Catalogued(schema.clone(), object.key())];
            if let Some(relation) = object_relation(object) {
                objects.push(Object::Relation(schema.clone(), relation));
            }
            let side = create_or_drop(&mut e, objects, creating);
            e.uses(Object::Schema(schema.clone()), side);
            e.dependencies(object, side);
        }
        Change::AlterObject { schema, from, to } => {
            e.modifies
                .push(Object::Catalogued(schema.clone(), from.key()));
            e.dependencies(from, Side::Old);
            e.dependencies(to, Side::New);
        }
        Change::AlterTableOptions { table, from, to } => {
            e.uses(Object::Table(table.clone()), Side::Both);
            for (options, side) in [(from, Side::Old), (to, Side::New)] {
                if let autogen_schema::ReplicaIdentity::Index(index) = &options.replica_identity {
                    e.uses(Object::Relation(table.schema.clone(), index.clone()), side);
                }
            }
        }
        Change::AddExclusion { table, constraint }
        | Change::DropExclusion { table, constraint } => {
            let objects = vec![
                Object::Relation(table.schema.clone(), constraint.name.clone()),
                Object::Constraint(table.clone(), constraint.name.clone()),
            ];
            let adding = matches!(change, Change::AddExclusion { .. });
            let side = create_or_drop(&mut e, objects, adding);
            e.all_columns(table, catalog.side_table(table, side), side);
        }
        Change::AttachPartition { table, partition }
        | Change::DetachPartition { table, partition } => {
            e.uses(Object::Table(table.clone()), Side::Both);
            e.uses(Object::Table(partition.parent.clone()), Side::Both);
            // Attached once both tables have their columns as they will be; detached before
            // either changes.
            let side = if matches!(change, Change::AttachPartition { .. }) {
                Side::New
            } else {
                Side::Old
            };
            for t in [table, &partition.parent] {
                if let Some(definition) = catalog.side_table(t, side) {
                    for column in &definition.columns {
                        e.column(t, &column.name, side);
                    }
                }
            }
            // Its indexes attached to the parent's: detached, they become its own (dropped
            // after); attached, its own are adopted (created before).
            let attached = catalog.side_table(table, side).into_iter();
            for index in attached.flat_map(|t| t.postgres.attached_indexes.values()) {
                let index = Object::Relation(table.schema.clone(), index.clone());
                if matches!(change, Change::AttachPartition { .. }) {
                    e.uses(index, Side::New);
                } else {
                    e.modifies.push(index);
                }
            }
        }
        Change::SetComment { target, from, to } => {
            // One that goes runs before its object is dropped, one that comes after it is
            // created; the others while it exists.
            let side = match (from, to) {
                (_, None) => Side::Old,
                (None, Some(_)) => Side::New,
                (Some(_), Some(_)) => Side::Both,
            };
            match target {
                autogen_schema::CommentTarget::Index { table, name } => {
                    e.uses(Object::Table(table.clone()), Side::Both);
                    e.uses(Object::Relation(table.schema.clone(), name.clone()), side);
                }
                autogen_schema::CommentTarget::Constraint { table, name } => {
                    e.uses(Object::Table(table.clone()), Side::Both);
                    e.uses(Object::Constraint(table.clone(), name.clone()), side);
                }
                autogen_schema::CommentTarget::Sequence { name } => {
                    e.uses(Object::Sequence(name.clone()), side);
                }
            }
        }
        Change::RenameAttachedIndex {
            table,
            from,
            to,
            parent_index,
            parent_built,
        } => {
            e.uses(Object::Table(table.clone()), Side::Both);
            e.drops = vec![Object::Relation(table.schema.clone(), from.clone())];
            e.creates = vec![Object::Relation(table.schema.clone(), to.clone())];
            // After the parent's index is built (it builds the one renamed), or before it is
            // dropped (it drops the one renamed).
            let side = if *parent_built { Side::New } else { Side::Old };
            e.uses(
                Object::Relation(parent_index.schema.clone(), parent_index.name.clone()),
                side,
            );
        }
        Change::SetIndexStorage {
            table,
            index,
            from,
            to,
        } => {
            let side = match (from.is_empty(), to.is_empty()) {
                (_, true) => Side::Old,
                (true, false) => Side::New,
                (false, false) => Side::Both,
            };
            e.uses(Object::Table(table.clone()), Side::Both);
            e.uses(Object::Relation(table.schema.clone(), index.clone()), side);
        }
    }
    e
}

/// The relation (and row type) name a view, materialized view or composite type takes.
fn object_relation(object: &DbObject) -> Option<String> {
    match object.kind {
        ObjectKind::View | ObjectKind::MaterializedView | ObjectKind::CompositeType => {
            Some(object.name.clone())
        }
        ObjectKind::Extension
        | ObjectKind::Domain
        | ObjectKind::Function
        | ObjectKind::Procedure
        | ObjectKind::Trigger
        | ObjectKind::Policy
        | ObjectKind::Privilege => None,
    }
}

impl Effects {
    /// An object's catalog dependencies, each needed on `side`.
    fn dependencies(&mut self, object: &DbObject, side: Side) {
        for dependency in &object.depends_on {
            let needed = match dependency {
                Dependency::Table {
                    table,
                    column: Some(column),
                } => Object::Column(table.clone(), column.clone()),
                Dependency::Table {
                    table,
                    column: None,
                } => Object::Table(table.clone()),
                Dependency::Object { schema, key } => {
                    Object::Catalogued(schema.clone(), key.clone())
                }
                Dependency::Enum { name } => Object::Enum(name.clone()),
                Dependency::Sequence { name } => Object::Sequence(name.clone()),
            };
            self.uses(needed, side);
        }
    }
}

/// The relation name the sequence behind an identity column takes (when it is free): an
/// identity that goes frees it for a sequence of that name, one that comes needs it free.
/// Not part of `table_objects`: renaming a table leaves the sequence's name as it was.
fn identity_sequence(table: &QualifiedName, column: &Column) -> Option<Object> {
    column.identity.as_ref().map(|_| {
        Object::Relation(
            table.schema.clone(),
            implicit_sequence_name(&table.name, &column.name),
        )
    })
}

/// An `AlterColumn` that only drops the default: it runs on the types as they are before the
/// plan changes them (see [`effects`]), so before a change to an enum's labels.
pub(crate) fn drops_default_only(from: &Column, to: &Column) -> bool {
    from.default.is_some()
        && *to
            == Column {
                default: None,
                ..from.clone()
            }
}

fn create_or_drop(e: &mut Effects, objects: Vec<Object>, create: bool) -> Side {
    if create {
        e.creates = objects;
        Side::New
    } else {
        e.drops = objects;
        Side::Old
    }
}
