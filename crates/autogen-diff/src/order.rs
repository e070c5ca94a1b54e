//! Puts the changes of a plan in a valid order. Each change says which database objects it
//! creates, drops, modifies or needs (its effects); those give the edges of a petgraph DAG, which
//! is sorted topologically, ties broken by a fixed rank per kind of change and then by the order
//! the differ emitted them, so one input always gives one order.
//!
//! The down plan is the inverse of every step in reverse order; it needs no ordering of its
//! own: the schema between steps k and k+1 is the same going up and coming down, and each
//! inverse step is valid exactly where its forward step was.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use autogen_schema::{Column, QualifiedName, Schema, Table};
use petgraph::Direction;
use petgraph::graphmap::DiGraphMap;

use crate::Change;
use crate::refs::{enum_of, index_columns, index_key, key_of, sequences_used};

/// Something the ordering tracks, named as it is named at the time the change runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Res {
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
}

/// Which life of a resource a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// As it was: before it is dropped or modified (drops, and the old side of an alter).
    Old,
    /// As it will be: after it is created or modified (creates, and the new side of an alter).
    New,
    /// Just that it exists: after its creation, before its drop.
    Both,
}

#[derive(Debug, Default)]
struct Effects {
    creates: Vec<Res>,
    drops: Vec<Res>,
    modifies: Vec<Res>,
    uses: Vec<(Res, Side)>,
}

struct Ctx<'a> {
    current: &'a Schema,
    desired: &'a Schema,
    sequences: Vec<QualifiedName>,
}

impl Effects {
    fn uses(&mut self, res: Res, side: Side) {
        self.uses.push((res, side));
    }

    fn column(&mut self, table: &QualifiedName, column: &str, side: Side) {
        self.uses(Res::Table(table.clone()), side);
        self.uses(Res::Column(table.clone(), column.to_owned()), side);
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
        self.uses(Res::Table(table.clone()), side);
        for column in definition.iter().flat_map(|t| &t.columns) {
            self.column(table, &column.name, side);
        }
    }

    /// What a column definition needs: its enum type, the sequences its default calls.
    fn column_needs(&mut self, ctx: &Ctx<'_>, table: &QualifiedName, column: &Column, side: Side) {
        if let Some(e) = enum_of(&column.ty) {
            self.uses(Res::Enum(e.clone()), side);
            self.uses(Res::EnumLabels(e.clone()), side);
            self.uses(Res::EnumRenamed(e.clone()), Side::Both);
        }
        for s in sequences_used(column, &table.schema, &ctx.sequences) {
            self.uses(Res::Sequence(s.clone()), side);
        }
    }

    /// An alter: what only the old definition needs is needed as it was, everything the new
    /// one needs as it will be.
    fn alter_needs(&mut self, ctx: &Ctx<'_>, table: &QualifiedName, from: &Column, to: &Column) {
        let mut old = Effects::default();
        old.column_needs(ctx, table, from, Side::Old);
        let mut new = Effects::default();
        new.column_needs(ctx, table, to, Side::New);
        for (res, side) in old.uses {
            if !new.uses.iter().any(|(r, _)| r == &res) {
                self.uses(res, side);
            }
        }
        self.uses.extend(new.uses);
    }

    /// Everything a whole table holds (without foreign keys, which are separate steps).
    fn table_objects(&self, name: &QualifiedName, table: &Table) -> Vec<Res> {
        let relation = |n: &str| Res::Relation(name.schema.clone(), n.to_owned());
        let mut out = vec![
            Res::Table(name.clone()),
            Res::TypeName(name.clone()),
            relation(&name.name),
        ];
        out.extend(
            table
                .columns
                .iter()
                .map(|c| Res::Column(name.clone(), c.name.clone())),
        );
        if let Some(pk) = &table.primary_key {
            out.push(Res::PrimaryKey(name.clone()));
            out.push(relation(&pk.name));
            out.push(Res::Constraint(name.clone(), pk.name.clone()));
        }
        for u in table.uniques.values() {
            out.push(relation(&u.name));
            out.push(Res::Constraint(name.clone(), u.name.clone()));
        }
        for c in table.checks.values() {
            out.push(Res::Constraint(name.clone(), c.name.clone()));
        }
        for i in table.indexes.values() {
            out.push(relation(&i.name));
        }
        for key in crate::refs::table_keys(table) {
            out.push(Res::Key(name.clone(), key));
        }
        out
    }
}

fn effects(change: &Change, ctx: &Ctx<'_>) -> Effects {
    let mut e = Effects::default();
    match change {
        Change::CreateSchema { name } => e.creates.push(Res::Schema(name.clone())),
        Change::DropSchema { name } => e.drops.push(Res::Schema(name.clone())),
        Change::CreateEnum { name, .. } | Change::DropEnum { name, .. } => {
            let objects = vec![
                Res::Enum(name.clone()),
                Res::EnumLabels(name.clone()),
                Res::TypeName(name.clone()),
            ];
            if matches!(change, Change::CreateEnum { .. }) {
                e.creates = objects;
                e.uses(Res::Schema(name.schema.clone()), Side::New);
            } else {
                e.drops = objects;
                e.uses(Res::Schema(name.schema.clone()), Side::Old);
            }
        }
        Change::AddEnumValue { name, columns, .. } | Change::RebuildEnum { name, columns, .. } => {
            e.modifies.push(Res::EnumLabels(name.clone()));
            e.uses(Res::Enum(name.clone()), Side::Both);
            e.uses(Res::EnumRenamed(name.clone()), Side::Both);
            for u in columns {
                e.column(&u.table, &u.column.name, Side::Both);
            }
        }
        Change::SetEnumComment { name, .. } => {
            e.modifies.push(Res::EnumLabels(name.clone()));
            e.uses(Res::Enum(name.clone()), Side::Both);
        }
        Change::RenameEnumValue { name, .. } => {
            e.creates.push(Res::EnumRenamed(name.clone()));
            e.uses(Res::Enum(name.clone()), Side::Both);
        }
        Change::CreateSequence { name, definition } | Change::DropSequence { name, definition } => {
            let objects = vec![
                Res::Sequence(name.clone()),
                Res::Relation(name.schema.clone(), name.name.clone()),
            ];
            let side = if matches!(change, Change::CreateSequence { .. }) {
                e.creates = objects;
                Side::New
            } else {
                e.drops = objects;
                Side::Old
            };
            e.uses(Res::Schema(name.schema.clone()), side);
            if let Some(owner) = &definition.owned_by {
                e.column(&owner.table, &owner.column, side);
            }
        }
        Change::AlterSequence { name, from, to } => {
            e.uses(Res::Sequence(name.clone()), Side::Both);
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
            let objects = e.table_objects(name, definition);
            let side = if matches!(change, Change::CreateTable { .. }) {
                e.creates = objects;
                Side::New
            } else {
                e.drops = objects;
                Side::Old
            };
            e.uses(Res::Schema(name.schema.clone()), side);
            for column in &definition.columns {
                e.column_needs(ctx, name, column, side);
            }
        }
        Change::RenameTable { from, to } => {
            e.drops.push(Res::Table(from.clone()));
            e.drops.push(Res::TypeName(from.clone()));
            e.drops
                .push(Res::Relation(from.schema.clone(), from.name.clone()));
            e.creates.push(Res::Table(to.clone()));
            e.creates.push(Res::TypeName(to.clone()));
            e.creates
                .push(Res::Relation(to.schema.clone(), to.name.clone()));
            e.uses(Res::Schema(from.schema.clone()), Side::Old);
            e.uses(Res::Schema(to.schema.clone()), Side::New);
        }
        Change::SetTableComment { table, .. } => e.uses(Res::Table(table.clone()), Side::Both),
        Change::AddColumn { table, column } => {
            e.creates
                .push(Res::Column(table.clone(), column.name.clone()));
            e.uses(Res::Table(table.clone()), Side::Both);
            e.column_needs(ctx, table, column, Side::New);
        }
        Change::DropColumn { table, column } => {
            e.drops
                .push(Res::Column(table.clone(), column.name.clone()));
            e.uses(Res::Table(table.clone()), Side::Both);
            e.column_needs(ctx, table, column, Side::Old);
        }
        Change::RenameColumn { table, from, to } => {
            e.drops.push(Res::Column(table.clone(), from.clone()));
            e.creates.push(Res::Column(table.clone(), to.clone()));
            e.uses(Res::Table(table.clone()), Side::Both);
        }
        Change::AlterColumn { table, from, to } => {
            e.modifies
                .push(Res::Column(table.clone(), from.name.clone()));
            e.uses(Res::Table(table.clone()), Side::Both);
            if drops_default_only(from, to) {
                // Only the old default goes: this runs on the type as it is (before an enum
                // rebuild that may remove the label the default names).
                e.column_needs(ctx, table, from, Side::Old);
            } else {
                e.alter_needs(ctx, table, from, to);
            }
        }
        Change::AddPrimaryKey { table, key } | Change::DropPrimaryKey { table, key } => {
            let objects = vec![
                Res::PrimaryKey(table.clone()),
                Res::Relation(table.schema.clone(), key.name.clone()),
                Res::Constraint(table.clone(), key.name.clone()),
                Res::Key(table.clone(), key_of(&key.columns)),
            ];
            let side = create_or_drop(
                &mut e,
                objects,
                matches!(change, Change::AddPrimaryKey { .. }),
            );
            e.columns(table, &key.columns, side);
        }
        Change::AddUnique { table, constraint } | Change::DropUnique { table, constraint } => {
            let objects = vec![
                Res::Relation(table.schema.clone(), constraint.name.clone()),
                Res::Constraint(table.clone(), constraint.name.clone()),
                Res::Key(table.clone(), key_of(&constraint.columns)),
            ];
            let side = create_or_drop(&mut e, objects, matches!(change, Change::AddUnique { .. }));
            e.columns(table, &constraint.columns, side);
        }
        Change::AddCheck { table, constraint } | Change::DropCheck { table, constraint } => {
            let objects = vec![Res::Constraint(table.clone(), constraint.name.clone())];
            let adding = matches!(change, Change::AddCheck { .. });
            let side = create_or_drop(&mut e, objects, adding);
            let definition = if adding {
                ctx.desired.table(table)
            } else {
                ctx.current.table(table)
            };
            e.all_columns(table, definition, side);
        }
        Change::AddForeignKey { table, constraint }
        | Change::DropForeignKey { table, constraint } => {
            let objects = vec![Res::Constraint(table.clone(), constraint.name.clone())];
            let side = create_or_drop(
                &mut e,
                objects,
                matches!(change, Change::AddForeignKey { .. }),
            );
            let target = &constraint.referenced_table;
            e.columns(table, &constraint.columns, side);
            e.columns(target, &constraint.referenced_columns, side);
            e.uses(
                Res::Key(target.clone(), key_of(&constraint.referenced_columns)),
                side,
            );
        }
        Change::CreateIndex { table, index } | Change::DropIndex { table, index } => {
            let mut objects = vec![Res::Relation(table.schema.clone(), index.name.clone())];
            if let Some(key) = index_key(index) {
                objects.push(Res::Key(table.clone(), key));
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
                    ctx.desired.table(table)
                } else {
                    ctx.current.table(table)
                };
                e.all_columns(table, definition, side);
            }
        }
    }
    e
}

fn drops_default_only(from: &Column, to: &Column) -> bool {
    from.default.is_some()
        && *to
            == Column {
                default: None,
                ..from.clone()
            }
}

fn create_or_drop(e: &mut Effects, objects: Vec<Res>, create: bool) -> Side {
    if create {
        e.creates = objects;
        Side::New
    } else {
        e.drops = objects;
        Side::Old
    }
}

/// Tie-break between changes the graph leaves unordered: the order a reviewer expects to
/// read (schemas, drops of constraints, renames, types, tables, columns, constraints, foreign
/// keys, then the drops of whole objects).
fn rank(change: &Change) -> u8 {
    match change {
        Change::CreateSchema { .. } => 0,
        Change::DropForeignKey { .. } => 2,
        Change::DropIndex { .. }
        | Change::DropCheck { .. }
        | Change::DropUnique { .. }
        | Change::DropPrimaryKey { .. } => 3,
        Change::RenameTable { .. } => 4,
        Change::RenameColumn { .. } => 5,
        Change::RenameEnumValue { .. } => 6,
        Change::CreateEnum { .. } => 7,
        Change::AddEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. } => 8,
        Change::CreateSequence { .. } => 9,
        Change::CreateTable { .. } => 10,
        Change::AddColumn { .. } => 11,
        Change::AlterColumn { .. } | Change::SetTableComment { .. } => 12,
        Change::DropColumn { .. } => 13,
        Change::DropTable { .. } => 14,
        Change::AlterSequence { .. } => 15,
        Change::AddPrimaryKey { .. } | Change::AddUnique { .. } | Change::AddCheck { .. } => 16,
        Change::CreateIndex { .. } => 17,
        Change::AddForeignKey { .. } => 18,
        Change::DropSequence { .. } => 19,
        Change::DropEnum { .. } => 20,
        Change::DropSchema { .. } => 21,
    }
}

/// Who touches one resource, by index into the plan.
#[derive(Default)]
struct Life {
    creators: Vec<usize>,
    droppers: Vec<usize>,
    modifiers: Vec<usize>,
    old: Vec<usize>,
    new: Vec<usize>,
    both: Vec<usize>,
}

/// The dependency graph: an edge a -> b says change a must run before change b.
fn graph(changes: &[Change], current: &Schema, desired: &Schema) -> DiGraphMap<usize, ()> {
    let mut sequences: Vec<QualifiedName> = current
        .sequences()
        .chain(desired.sequences())
        .map(|(n, _)| n)
        .collect();
    sequences.sort();
    sequences.dedup();
    let ctx = Ctx {
        current,
        desired,
        sequences,
    };
    let mut lives: BTreeMap<Res, Life> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        let e = effects(change, &ctx);
        for r in e.creates {
            lives.entry(r).or_default().creators.push(i);
        }
        for r in e.drops {
            lives.entry(r).or_default().droppers.push(i);
        }
        for r in e.modifies {
            lives.entry(r).or_default().modifiers.push(i);
        }
        for (r, side) in e.uses {
            let life = lives.entry(r).or_default();
            match side {
                Side::Old => life.old.push(i),
                Side::New => life.new.push(i),
                Side::Both => life.both.push(i),
            }
        }
    }
    let mut g = DiGraphMap::new();
    for i in 0..changes.len() {
        g.add_node(i);
    }
    let mut edge = |a: usize, b: usize| {
        if a != b {
            g.add_edge(a, b, ());
        }
    };
    for life in lives.values() {
        for &d in &life.droppers {
            for &c in &life.creators {
                edge(d, c);
            }
        }
        for &m in &life.modifiers {
            for &c in &life.creators {
                edge(c, m);
            }
            for &d in &life.droppers {
                edge(m, d);
            }
        }
        for pair in life.modifiers.windows(2) {
            edge(pair[0], pair[1]);
        }
        for &u in &life.old {
            for &x in life.droppers.iter().chain(&life.modifiers) {
                edge(u, x);
            }
        }
        for &u in &life.new {
            for &x in life.creators.iter().chain(&life.modifiers) {
                edge(x, u);
            }
        }
        for &u in &life.both {
            for &c in &life.creators {
                edge(c, u);
            }
            for &d in &life.droppers {
                edge(u, d);
            }
        }
    }
    g
}

/// The changes in dependency order. Should the graph have a cycle (it has none for any plan
/// the differ makes; the tests check), the lowest-ranked waiting change goes next, so the
/// result is still deterministic and nothing panics.
pub(crate) fn order(changes: Vec<Change>, current: &Schema, desired: &Schema) -> Vec<Change> {
    let g = graph(&changes, current, desired);
    let key = |i: usize| Reverse((rank(&changes[i]), i));
    let mut waiting: Vec<usize> = (0..changes.len())
        .map(|i| g.neighbors_directed(i, Direction::Incoming).count())
        .collect();
    let mut done = vec![false; changes.len()];
    let mut ready: BinaryHeap<_> = (0..changes.len())
        .filter(|&i| waiting[i] == 0)
        .map(key)
        .collect();
    let mut sorted = Vec::with_capacity(changes.len());
    while sorted.len() < changes.len() {
        let next = match ready.pop() {
            Some(Reverse((_, i))) => i,
            None => match (0..changes.len())
                .filter(|&i| !done[i])
                .min_by_key(|&i| (rank(&changes[i]), i))
            {
                Some(i) => i,
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        sorted.push(next);
        for n in g.neighbors_directed(next, Direction::Outgoing) {
            waiting[n] = waiting[n].saturating_sub(1);
            if waiting[n] == 0 && !done[n] {
                ready.push(key(n));
            }
        }
    }
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    sorted
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Whether the dependency graph of a plan's changes has a cycle (tests assert it never does).
#[cfg(test)]
pub(crate) fn has_cycle(changes: &[Change], current: &Schema, desired: &Schema) -> bool {
    petgraph::algo::is_cyclic_directed(&graph(changes, current, desired))
}
