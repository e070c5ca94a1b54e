//! PostgreSQL's table facts beyond columns and keys (`Table::postgres`): options altered in
//! place, exclusion constraints, partitions attached and detached, comments on indexes,
//! constraints and sequences, index storage options. A created or dropped table carries its
//! own; these are the changes to a table both sides have, once its other changes are known (a
//! comment or storage option of an index the plan drops goes before it, one of an index it
//! creates comes after, so that the down plan restores them too).
//!
//! Models cannot state any of them: for such a source ([`fill_unstated`]) the desired side
//! takes the current side's, and the partitions of its tables, so nothing is proposed because
//! the models are silent.

use std::collections::BTreeSet;

use autogen_schema::{CommentTarget, NameMap, QualifiedName, Schema, Table};

use crate::Change;
use crate::diff::{Sides, union_keys, union_names};

/// (table, name) of the constraints and indexes the plan drops and creates.
#[derive(Default)]
struct Touched {
    dropped_indexes: BTreeSet<(QualifiedName, String)>,
    created_indexes: BTreeSet<(QualifiedName, String)>,
    dropped_constraints: BTreeSet<(QualifiedName, String)>,
    added_constraints: BTreeSet<(QualifiedName, String)>,
}

impl Touched {
    fn of(changes: &[Change]) -> Touched {
        let mut t = Touched::default();
        for change in changes {
            let entry = |table: &QualifiedName, name: &str| (table.clone(), name.to_owned());
            match change {
                Change::DropIndex { table, index } => {
                    t.dropped_indexes.insert(entry(table, &index.name));
                }
                Change::CreateIndex { table, index } => {
                    t.created_indexes.insert(entry(table, &index.name));
                }
                Change::DropPrimaryKey { table, key } => {
                    t.dropped_constraints.insert(entry(table, &key.name));
                }
                Change::DropUnique { table, constraint } => {
                    t.dropped_constraints.insert(entry(table, &constraint.name));
                }
                Change::DropCheck { table, constraint } => {
                    t.dropped_constraints.insert(entry(table, &constraint.name));
                }
                Change::DropForeignKey { table, constraint } => {
                    t.dropped_constraints.insert(entry(table, &constraint.name));
                }
                Change::DropExclusion { table, constraint } => {
                    t.dropped_constraints.insert(entry(table, &constraint.name));
                }
                Change::AddPrimaryKey { table, key } => {
                    t.added_constraints.insert(entry(table, &key.name));
                }
                Change::AddUnique { table, constraint } => {
                    t.added_constraints.insert(entry(table, &constraint.name));
                }
                Change::AddCheck { table, constraint } => {
                    t.added_constraints.insert(entry(table, &constraint.name));
                }
                Change::AddForeignKey { table, constraint } => {
                    t.added_constraints.insert(entry(table, &constraint.name));
                }
                Change::AddExclusion { table, constraint } => {
                    t.added_constraints.insert(entry(table, &constraint.name));
                }
                Change::CreateSchema { .. }
                | Change::DropSchema { .. }
                | Change::CreateEnum { .. }
                | Change::DropEnum { .. }
                | Change::AddEnumValue { .. }
                | Change::RenameEnumValue { .. }
                | Change::RebuildEnum { .. }
                | Change::SetEnumComment { .. }
                | Change::CreateSequence { .. }
                | Change::DropSequence { .. }
                | Change::AlterSequence { .. }
                | Change::CreateTable { .. }
                | Change::DropTable { .. }
                | Change::RenameTable { .. }
                | Change::SetTableComment { .. }
                | Change::AddColumn { .. }
                | Change::DropColumn { .. }
                | Change::RenameColumn { .. }
                | Change::AlterColumn { .. }
                | Change::CreateView { .. }
                | Change::DropView { .. }
                | Change::ReplaceView { .. }
                | Change::CreateTrigger { .. }
                | Change::DropTrigger { .. }
                | Change::ReplaceTrigger { .. }
                | Change::CreateObject { .. }
                | Change::DropObject { .. }
                | Change::AlterObject { .. }
                | Change::AlterTableOptions { .. }
                | Change::AttachPartition { .. }
                | Change::DetachPartition { .. }
                | Change::SetComment { .. }
                | Change::SetIndexStorage { .. }
                | Change::RenameAttachedIndex { .. } => {}
            }
        }
        t
    }
}

/// The changes of the facts of every table both sides have, after the tables' other changes
/// (`out`), and of the sequences' comments.
pub(crate) fn diff(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let mut facts = Vec::new();
    let mut altered = Vec::new();
    for (name, from) in sides.renamed.tables() {
        let Some(to) = sides.desired.table(&name) else {
            foreign_key_comments(&sides.original_name(&name), from, true, &mut facts);
            continue;
        };
        if recreated(sides, &name, from) {
            foreign_key_comments(&sides.original_name(&name), from, true, &mut facts);
            foreign_key_comments(&name, to, false, &mut facts);
            continue;
        }
        altered.push((name, from, to));
    }
    for (name, to) in sides.desired.tables() {
        if sides.renamed.table(&name).is_none() {
            foreign_key_comments(&name, to, false, &mut facts);
        }
    }
    // Exclusions first: the comments below see them dropped and added.
    for (name, from, to) in &altered {
        exclusions(sides, name, from, to, &mut facts);
    }
    out.extend(facts);
    let touched = Touched::of(out);
    let mut facts = Vec::new();
    for (name, from, to) in &altered {
        alter(sides, name, from, to, &touched, &mut facts);
    }
    sequence_comments(sides, &mut facts);
    out.extend(facts);
}

/// PostgreSQL names the index it builds on a partition with a parent's index itself. One the
/// partition holds under another name is renamed once the parent's index is built, and given
/// PostgreSQL's name back before the parent's index is dropped (so that the down, which builds
/// it again, renames it back). A partition's own index or key that the parent's adopts keeps
/// its name and needs neither.
fn attached_renames(
    sides: &Sides<'_>,
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    touched: &Touched,
    out: &mut Vec<Change>,
) {
    let (Some(was), Some(want)) = (&from.postgres.partition_of, &to.postgres.partition_of) else {
        return;
    };
    if was.parent != want.parent {
        return;
    }
    let built = |t: &QualifiedName, i: &str| {
        let key = (t.clone(), i.to_owned());
        touched.created_indexes.contains(&key) || touched.added_constraints.contains(&key)
    };
    let dropped = |t: &QualifiedName, i: &str| {
        let key = (t.clone(), i.to_owned());
        touched.dropped_indexes.contains(&key) || touched.dropped_constraints.contains(&key)
    };
    let desired = Partition {
        schema: sides.desired,
        name: name.clone(),
        table: to,
        parent: want.parent.clone(),
    };
    renames_with_parent(&desired, &built, true, out);
    let current = Partition {
        schema: sides.current,
        name: sides.original_name(name),
        table: from,
        parent: sides.original_name(&want.parent),
    };
    renames_with_parent(&current, &dropped, false, out);
}

/// A partition on one side of the plan, with its name and its parent's there.
struct Partition<'s> {
    schema: &'s Schema,
    name: QualifiedName,
    table: &'s Table,
    parent: QualifiedName,
}

/// The renames of [`attached_renames`] on one side: for each index of the partition attached
/// to a parent's index the plan builds (`parent_built`, desired side) or drops (current side),
/// between the partition's name for it and PostgreSQL's.
fn renames_with_parent(
    side: &Partition<'_>,
    made: &dyn Fn(&QualifiedName, &str) -> bool,
    parent_built: bool,
    out: &mut Vec<Change>,
) {
    let Some(parent) = side.schema.table(&side.parent) else {
        return;
    };
    for (index, own_name) in &side.table.postgres.attached_indexes {
        if !made_in_plan(side.schema, &side.parent, index, made)
            || side.table.has_index_named(own_name)
        {
            continue;
        }
        let mut taken = names_in(side.schema, &side.name.schema, own_name);
        let origin = index_origin(side.schema, &side.parent, parent, index);
        let Some(auto) = origin.and_then(|(origin, origin_index)| {
            autogen_schema::built_partition_index_name(
                &side.name.name,
                origin,
                &origin_index,
                &mut taken,
            )
        }) else {
            continue;
        };
        if auto == *own_name {
            continue;
        }
        let (from, to) = if parent_built {
            (auto, own_name.clone())
        } else {
            (own_name.clone(), auto)
        };
        out.push(Change::RenameAttachedIndex {
            table: side.name.clone(),
            from,
            to,
            parent_index: QualifiedName::new(&side.parent.schema, index),
            parent_built,
        });
    }
}

/// The table whose own index (or key) `index` of `table` is, with its name there: `table`
/// itself, or, for the index PostgreSQL built on a partitioned partition for its parent's,
/// the parent's (and so on up).
fn index_origin<'s>(
    schema: &'s Schema,
    name: &QualifiedName,
    table: &'s Table,
    index: &str,
) -> Option<(&'s Table, String)> {
    if table.has_index_named(index) {
        return Some((table, index.to_owned()));
    }
    let parent = &table.postgres.partition_of.as_ref()?.parent;
    let (parent_index, _) = table
        .postgres
        .attached_indexes
        .iter()
        .find(|(_, own)| own.as_str() == index)?;
    if parent == name {
        return None;
    }
    index_origin(schema, parent, schema.table(parent)?, parent_index)
}

/// Whether `index` of `table` is built (or dropped: `touched` says which) by the plan: itself,
/// or as the index PostgreSQL builds on a partitioned table for its parent's index that is
/// (a partition of a partition).
fn made_in_plan(
    schema: &Schema,
    table: &QualifiedName,
    index: &str,
    touched: &dyn Fn(&QualifiedName, &str) -> bool,
) -> bool {
    if touched(table, index) {
        return true;
    }
    let Some(definition) = schema.table(table) else {
        return false;
    };
    let Some(parent) = definition.postgres.partition_of.as_ref().map(|p| &p.parent) else {
        return false;
    };
    definition
        .postgres
        .attached_indexes
        .iter()
        .filter(|(_, own)| own.as_str() == index)
        .any(|(parent_index, _)| made_in_plan(schema, parent, parent_index, touched))
}

/// The relation and constraint names of one namespace of `schema` but `except`: what a name
/// PostgreSQL generates there must not be.
fn names_in(schema: &Schema, namespace: &str, except: &str) -> autogen_schema::naming::Taken {
    let mut taken = autogen_schema::naming::Taken::default();
    let Some(ns) = schema.schemas.get(namespace) else {
        return taken;
    };
    let relations = ns.sequences.keys().chain(ns.views.keys());
    for n in relations.filter(|n| n.as_str() != except) {
        taken.relation(n);
    }
    for (n, t) in &ns.tables {
        let keys = t
            .uniques
            .keys()
            .chain(t.primary_key.iter().map(|k| &k.name));
        let relations = std::iter::once(n)
            .chain(t.indexes.keys())
            .chain(keys.clone())
            .chain(t.postgres.attached_indexes.values());
        for r in relations.filter(|r| r.as_str() != except) {
            taken.relation(r);
        }
        let constraints = keys
            .chain(t.checks.keys())
            .chain(t.foreign_keys.keys())
            .chain(t.postgres.exclusions.keys());
        for c in constraints.filter(|c| c.as_str() != except) {
            taken.constraint(c);
        }
    }
    taken
}

/// The comments on the foreign keys of a table the plan drops (`gone`) or creates: the
/// foreign keys are steps of their own, and so are their comments.
fn foreign_key_comments(name: &QualifiedName, table: &Table, gone: bool, out: &mut Vec<Change>) {
    for fk in table.foreign_keys.keys() {
        let Some(text) = table.postgres.constraint_comments.get(fk) else {
            continue;
        };
        let target = CommentTarget::Constraint {
            table: name.clone(),
            name: fk.clone(),
        };
        let (from, to) = if gone {
            (Some(text.clone()), None)
        } else {
            (None, Some(text.clone()))
        };
        out.push(Change::SetComment { target, from, to });
    }
}

/// Whether the plan drops `table` and creates it again (`tables.rs`): it carries its facts.
fn recreated(sides: &Sides<'_>, name: &QualifiedName, from: &Table) -> bool {
    sides
        .desired
        .table(name)
        .is_some_and(|to| must_recreate(sides.renamed, sides.desired, name, from, to))
}

/// A partitioned table whose key changes is a new table (PostgreSQL cannot change the key),
/// and so is a partition of a table that is new that way.
pub(crate) fn must_recreate(
    current: &Schema,
    desired: &Schema,
    name: &QualifiedName,
    from: &Table,
    to: &Table,
) -> bool {
    if from.postgres.partition_by != to.postgres.partition_by {
        return true;
    }
    let (Some(a), Some(b)) = (&from.postgres.partition_of, &to.postgres.partition_of) else {
        return false;
    };
    a.parent == b.parent
        && a.parent != *name
        && match (current.table(&a.parent), desired.table(&b.parent)) {
            (Some(pf), Some(pt)) => must_recreate(current, desired, &a.parent, pf, pt),
            (Some(_), None) | (None, Some(_)) | (None, None) => false,
        }
}

fn exclusions(
    sides: &Sides<'_>,
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    out: &mut Vec<Change>,
) {
    let original = sides.original_name(name);
    let (a, b) = (&from.postgres.exclusions, &to.postgres.exclusions);
    for key in union_names(a, b) {
        let (was, want) = (a.get(key), b.get(key));
        if was == want {
            continue;
        }
        if let Some(was) = was {
            out.push(Change::DropExclusion {
                table: original.clone(),
                constraint: was.clone(),
            });
        }
        if let Some(want) = want {
            out.push(Change::AddExclusion {
                table: name.clone(),
                constraint: want.clone(),
            });
        }
    }
}

fn alter(
    sides: &Sides<'_>,
    name: &QualifiedName,
    from: &Table,
    to: &Table,
    touched: &Touched,
    out: &mut Vec<Change>,
) {
    let original = sides.original_name(name);
    let (was, want) = (&from.postgres, &to.postgres);
    attached_renames(sides, name, from, to, touched, out);
    if was.partition_of != want.partition_of {
        if let Some(partition) = &was.partition_of {
            out.push(Change::DetachPartition {
                table: original.clone(),
                partition: partition.clone(),
            });
        }
        if let Some(partition) = &want.partition_of {
            out.push(Change::AttachPartition {
                table: name.clone(),
                partition: partition.clone(),
            });
        }
    }
    if was.options != want.options {
        out.push(Change::AlterTableOptions {
            table: name.clone(),
            from: was.options.clone(),
            to: want.options.clone(),
        });
    }
    let index = |table: &QualifiedName, n: &str| CommentTarget::Index {
        table: table.clone(),
        name: n.to_owned(),
    };
    let constraint = |table: &QualifiedName, n: &str| CommentTarget::Constraint {
        table: table.clone(),
        name: n.to_owned(),
    };
    // An index's comment and storage options, given whether it goes and whether it comes.
    let mut index_facts = |n: &String, gone: bool, comes: bool| {
        let (old, new) = (was.index_comments.get(n), want.index_comments.get(n));
        comment(
            (index(&original, n), gone, old),
            (index(name, n), comes, new),
            out,
        );
        let empty = Vec::new();
        let old = was.index_storage.get(n).unwrap_or(&empty);
        let new = want.index_storage.get(n).unwrap_or(&empty);
        storage((&original, gone, old), (name, n, comes, new), out);
    };
    let mut index_names: Vec<&String> = from.indexes.keys().chain(to.indexes.keys()).collect();
    index_names.sort();
    index_names.dedup();
    for n in index_names {
        let gone = touched
            .dropped_indexes
            .contains(&(original.clone(), n.clone()))
            || !to.indexes.contains_key(n);
        let comes = touched.created_indexes.contains(&(name.clone(), n.clone()))
            || !from.indexes.contains_key(n);
        index_facts(n, gone, comes);
    }
    // The indexes behind primary keys and unique constraints (named as they are).
    let keyed = |t: &Table| -> BTreeSet<String> {
        t.uniques
            .keys()
            .cloned()
            .chain(t.primary_key.iter().map(|k| k.name.clone()))
            .collect()
    };
    let (keyed_from, keyed_to) = (keyed(from), keyed(to));
    for n in keyed_from.union(&keyed_to) {
        let gone = touched
            .dropped_constraints
            .contains(&(original.clone(), n.clone()))
            || !keyed_to.contains(n);
        let comes = touched
            .added_constraints
            .contains(&(name.clone(), n.clone()))
            || !keyed_from.contains(n);
        index_facts(n, gone, comes);
    }
    for n in constraint_names(from).union(&constraint_names(to)) {
        let gone = touched
            .dropped_constraints
            .contains(&(original.clone(), n.clone()))
            || !constraint_names(to).contains(n);
        let comes = touched
            .added_constraints
            .contains(&(name.clone(), n.clone()))
            || !constraint_names(from).contains(n);
        let (old, new) = (
            was.constraint_comments.get(n),
            want.constraint_comments.get(n),
        );
        comment(
            (constraint(&original, n), gone, old),
            (constraint(name, n), comes, new),
            out,
        );
    }
}

/// The comment of an object that goes (`gone`) is removed before it, that of one that comes is
/// set after it; one that stays changes in place.
fn comment(
    (old_target, gone, old): (CommentTarget, bool, Option<&String>),
    (new_target, comes, new): (CommentTarget, bool, Option<&String>),
    out: &mut Vec<Change>,
) {
    if gone || comes {
        if let Some(old) = old.filter(|_| gone) {
            out.push(Change::SetComment {
                target: old_target,
                from: Some(old.clone()),
                to: None,
            });
        }
        if let Some(new) = new.filter(|_| comes) {
            out.push(Change::SetComment {
                target: new_target,
                from: None,
                to: Some(new.clone()),
            });
        }
    } else if old != new {
        out.push(Change::SetComment {
            target: new_target,
            from: old.cloned(),
            to: new.cloned(),
        });
    }
}

fn storage(
    (original, gone, old): (&QualifiedName, bool, &Vec<String>),
    (name, index, comes, new): (&QualifiedName, &str, bool, &Vec<String>),
    out: &mut Vec<Change>,
) {
    let set =
        |table: &QualifiedName, from: &Vec<String>, to: &Vec<String>| Change::SetIndexStorage {
            table: table.clone(),
            index: index.to_owned(),
            from: from.clone(),
            to: to.clone(),
        };
    let empty = Vec::new();
    if gone || comes {
        if gone && !old.is_empty() {
            out.push(set(original, old, &empty));
        }
        if comes && !new.is_empty() {
            out.push(set(name, &empty, new));
        }
    } else if old != new {
        out.push(set(name, old, new));
    }
}

fn constraint_names(table: &Table) -> BTreeSet<String> {
    table
        .primary_key
        .iter()
        .map(|k| k.name.clone())
        .chain(table.uniques.keys().cloned())
        .chain(table.checks.keys().cloned())
        .chain(table.foreign_keys.keys().cloned())
        .chain(table.postgres.exclusions.keys().cloned())
        .collect()
}

fn sequence_comments(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (was_all, want_all) = (&sides.renamed.schemas, &sides.desired.schemas);
    for schema in union_keys(Some(was_all), Some(want_all)) {
        let was = was_all.get(schema);
        let want = want_all.get(schema);
        let sequences = union_keys(was.map(|n| &n.sequences), want.map(|n| &n.sequences));
        for sequence in sequences {
            let exists = |ns: Option<&autogen_schema::Namespace>| {
                ns.is_some_and(|n| n.sequences.contains_key(sequence))
            };
            let old = was.and_then(|n| n.sequence_comments.get(sequence));
            let new = want.and_then(|n| n.sequence_comments.get(sequence));
            let target = CommentTarget::Sequence {
                name: QualifiedName::new(schema, sequence),
            };
            comment(
                (target.clone(), !exists(want), old),
                (target, !exists(was), new),
                out,
            );
        }
    }
}

/// `desired` with the table facts of `current` where its source cannot state them: every
/// table both have takes the current one's (less the comments and storage options of
/// indexes and constraints it no longer has), every partition of a desired table joins it
/// (with its parent's desired columns), and the sequences keep their comments.
pub(crate) fn fill_unstated(current: &Schema, desired: &mut Schema) {
    let mut partitions: Vec<(QualifiedName, Table)> = Vec::new();
    loop {
        let more: Vec<(QualifiedName, Table)> = current
            .tables()
            .filter(|(name, t)| {
                desired.table(name).is_none()
                    && !partitions.iter().any(|(n, _)| n == name)
                    && t.postgres.partition_of.as_ref().is_some_and(|p| {
                        desired.table(&p.parent).is_some()
                            || partitions.iter().any(|(n, _)| *n == p.parent)
                    })
            })
            .map(|(name, t)| (name, t.clone()))
            .collect();
        if more.is_empty() {
            break;
        }
        partitions.extend(more);
    }
    for (name, table) in partitions {
        if let Some(ns) = desired.schemas.get_mut(&name.schema) {
            ns.tables.insert(name.name.clone(), table);
        }
    }
    for (schema, ns) in desired.schemas.iter_mut() {
        let Some(was) = current.schemas.get(schema) else {
            continue;
        };
        for (name, table) in ns.tables.iter_mut() {
            if let Some(old) = was.tables.get(name) {
                table.postgres = kept_facts(old, table);
            }
        }
        ns.sequence_comments = was
            .sequence_comments
            .iter()
            .filter(|(s, _)| ns.sequences.contains_key(*s))
            .map(|(s, c)| (s.clone(), c.clone()))
            .collect();
    }
    // A partition's columns are its parent's.
    let parents: Vec<(QualifiedName, QualifiedName)> = desired
        .tables()
        .filter_map(|(name, t)| Some((name, t.postgres.partition_of.as_ref()?.parent.clone())))
        .collect();
    for (name, parent) in parents {
        let Some(columns) = desired.table(&parent).map(|p| p.columns.clone()) else {
            continue;
        };
        if let Some(t) = desired
            .schemas
            .get_mut(&name.schema)
            .and_then(|ns| ns.tables.get_mut(&name.name))
        {
            t.columns = columns;
        }
    }
}

fn kept_facts(old: &Table, table: &Table) -> autogen_schema::PostgresTable {
    let mut facts = old.postgres.clone();
    let constraints = constraint_names(table);
    let keep = |map: &NameMap<String>, has: &dyn Fn(&str) -> bool| -> NameMap<String> {
        map.iter()
            .filter(|(n, _)| has(n))
            .map(|(n, c)| (n.clone(), c.clone()))
            .collect()
    };
    let has_index = |n: &str| table.has_index_named(n);
    facts.index_comments = keep(&old.postgres.index_comments, &has_index);
    facts.index_storage = old
        .postgres
        .index_storage
        .iter()
        .filter(|(n, _)| has_index(n))
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect();
    facts.constraint_comments = keep(&old.postgres.constraint_comments, &|n| {
        constraints.contains(n) || old.postgres.exclusions.contains_key(n)
    });
    if let Some(index) = facts.options.replica_identity.index()
        && !has_index(index)
    {
        facts.options.replica_identity = autogen_schema::ReplicaIdentity::Default;
    }
    facts
}

/// Whether filling the unstated facts could change `desired` at all: some current table has
/// facts or partitions, or some sequence a comment.
pub(crate) fn any_facts(current: &Schema) -> bool {
    current.tables().any(|(_, t)| !t.postgres.is_default())
        || current
            .schemas
            .values()
            .any(|ns| !ns.sequence_comments.is_empty())
}
