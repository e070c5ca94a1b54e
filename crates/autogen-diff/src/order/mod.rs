//! Puts the changes of a plan in a valid order. Each change says which database objects it
//! creates, drops, modifies or needs (its effects); those give the edges of a petgraph DAG, which
//! is sorted topologically, ties broken by a fixed rank per kind of change and then by the order
//! the differ emitted them, so one input always gives one order.
//!
//! The down plan is the inverse of every step in reverse order; it needs no ordering of its
//! own: the schema between steps k and k+1 is the same going up and coming down, and each
//! inverse step is valid exactly where its forward step was.

mod effects;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use autogen_schema::{ObjectKind, QualifiedName, Schema};
use petgraph::Direction;
use petgraph::graphmap::DiGraphMap;

use crate::Change;
pub(crate) use effects::drops_default_only;
use effects::{Catalog, Object, Side, effects};

/// Tie-break between changes the graph leaves unordered: the order a reviewer expects to
/// read (schemas, drops of triggers and views, drops of constraints, renames, types, tables, columns, constraints, foreign
/// keys, the drops of whole objects, then views and triggers, whose text may read any of them).
fn rank(change: &Change) -> u8 {
    match change {
        Change::CreateSchema { .. } => 0,
        Change::DropTrigger { .. } | Change::DropView { .. } => 1,
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
        Change::CreateView { .. } | Change::ReplaceView { .. } => 22,
        Change::CreateTrigger { .. } | Change::ReplaceTrigger { .. } => 23,
        Change::CreateObject { object, .. } => match object.kind {
            ObjectKind::Extension => 0,
            ObjectKind::Domain | ObjectKind::CompositeType => 7,
            ObjectKind::Function | ObjectKind::Procedure => 8,
            ObjectKind::View | ObjectKind::MaterializedView => 22,
            ObjectKind::Trigger | ObjectKind::Policy | ObjectKind::Privilege => 23,
        },
        Change::DropObject { object, .. } => match object.kind {
            ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Trigger
            | ObjectKind::Policy
            | ObjectKind::Privilege => 1,
            ObjectKind::Function | ObjectKind::Procedure => 19,
            ObjectKind::Domain | ObjectKind::CompositeType | ObjectKind::Extension => 20,
        },
        Change::AlterObject { .. } => 22,
        Change::DetachPartition { .. } => 2,
        Change::DropExclusion { .. } => 3,
        Change::AlterTableOptions { .. } => 12,
        Change::AddExclusion { .. } => 16,
        Change::AttachPartition { .. } | Change::SetIndexStorage { .. } => 17,
        // PostgreSQL's name given back before the parent's index goes; the partition's own
        // given once the parent's is built.
        Change::RenameAttachedIndex {
            parent_built: false,
            ..
        } => 3,
        Change::RenameAttachedIndex {
            parent_built: true, ..
        } => 17,
        // A comment that goes with its object goes before it; the others come last.
        Change::SetComment { to: None, .. } => 3,
        Change::SetComment { to: Some(_), .. } => 18,
    }
}

/// Who touches one object, by index into the plan.
#[derive(Default)]
struct Touches {
    creators: Vec<usize>,
    droppers: Vec<usize>,
    modifiers: Vec<usize>,
    old: Vec<usize>,
    new: Vec<usize>,
    both: Vec<usize>,
}

impl Touches {
    /// The order one object imposes. One that exists before the plan lives
    /// `[old life, modifiers] -> droppers -> creators -> [new life]` (a name dropped and taken
    /// again); one that does not, `creators -> [its life, modifiers] -> droppers` (a name a
    /// rename brings and a later rename takes away).
    fn edges(&self, existed: bool, edge: &mut impl FnMut(usize, usize)) {
        let mut all = |from: &[usize], to: &[usize]| {
            for &a in from {
                for &b in to {
                    edge(a, b);
                }
            }
        };
        let Touches {
            creators,
            droppers,
            modifiers,
            old,
            new,
            both,
        } = self;
        for pair in modifiers.windows(2) {
            all(&pair[..1], &pair[1..]);
        }
        if existed {
            all(droppers, creators);
            if droppers.is_empty() {
                all(creators, modifiers);
            } else {
                all(modifiers, droppers);
            }
            all(old, droppers);
            all(old, modifiers);
            all(creators, new);
            all(modifiers, new);
            all(creators, both);
            if creators.is_empty() {
                all(both, droppers);
            }
        } else {
            all(creators, droppers);
            all(creators, modifiers);
            all(modifiers, droppers);
            all(creators, old);
            all(old, droppers);
            all(old, modifiers);
            all(creators, new);
            all(modifiers, new);
            all(new, droppers);
            all(creators, both);
            all(both, droppers);
        }
    }
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
    let catalog = Catalog::new(current, desired, sequences);
    let mut touches: BTreeMap<Object, Touches> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        let e = effects(change, &catalog);
        for r in e.creates {
            touches.entry(r).or_default().creators.push(i);
        }
        for r in e.drops {
            touches.entry(r).or_default().droppers.push(i);
        }
        for r in e.modifies {
            touches.entry(r).or_default().modifiers.push(i);
        }
        for (r, side) in e.uses {
            let life = touches.entry(r).or_default();
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
    for (object, life) in &touches {
        life.edges(catalog.existed(object), &mut edge);
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
