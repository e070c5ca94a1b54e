//! PostgreSQL's objects beyond tables (`DbObject`: views, functions, triggers, policies,
//! domains, ...). Compared by what the server prints; a new version replaces the old in place
//! where PostgreSQL allows (`DbObject::replaces_in_place`), otherwise it is dropped and created
//! again, and so is every object that depends on it, or on a column the plan retypes or drops,
//! or on a table it drops (PostgreSQL refuses those while a view or policy needs them). The
//! dependencies are the catalog's (`DbObject::depends_on`), never searched for in text.
//!
//! A source that does not state them (models cannot declare them, `Authority::views_and_triggers`)
//! leaves them as they are, except those on a table the plan drops: they go with it, as steps
//! of their own so that the down plan creates them again.

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::{DbObject, Dependency, QualifiedName, Schema};

use crate::Change;
use crate::diff::Sides;

/// Objects by (schema, key).
type Objects<'a> = BTreeMap<(String, String), &'a DbObject>;

pub(crate) fn diff(sides: &Sides<'_>, stated: bool, out: &mut Vec<Change>) {
    let current: Objects<'_> = sides
        .renamed
        .objects()
        .map(|(s, o)| ((s.to_owned(), o.key()), o))
        .collect();
    let kept_tables: BTreeSet<QualifiedName> = sides
        .desired
        .tables()
        .map(|(q, _)| sides.original_name(&q))
        .collect();
    let wanted: Objects<'_> = if stated {
        sides
            .desired
            .objects()
            .map(|(s, o)| ((s.to_owned(), o.key()), o))
            .collect()
    } else {
        current
            .iter()
            .filter(|(_, o)| {
                o.depends_on.iter().all(|d| match d {
                    Dependency::Table { table, .. } => {
                        kept_tables.contains(table) || sides.current.table(table).is_none()
                    }
                    Dependency::Object { .. }
                    | Dependency::Enum { .. }
                    | Dependency::Sequence { .. } => true,
                })
            })
            .map(|(k, o)| (k.clone(), *o))
            .collect()
    };

    // What goes: dropped for good, or dropped to be created again.
    let mut dropped: BTreeSet<(String, String)> = BTreeSet::new();
    let mut altered: Vec<(String, &DbObject, &DbObject)> = Vec::new();
    for (key, was) in &current {
        match wanted.get(key) {
            None => {
                dropped.insert(key.clone());
            }
            Some(want) if was.same_as(want) => {}
            Some(want) if was.replaces_in_place(want) => altered.push((key.0.clone(), was, want)),
            Some(_) => {
                dropped.insert(key.clone());
            }
        }
    }
    // What the table changes disturb: a column retyped or dropped, a table dropped.
    let disturbed = disturbed_columns(sides, out);
    // Every object that needs something that goes goes too (and comes back if wanted).
    loop {
        let more: Vec<(String, String)> = current
            .iter()
            .filter(|(key, _)| !dropped.contains(*key))
            .filter(|(_, o)| {
                o.depends_on.iter().any(|d| match d {
                    Dependency::Table { table, column } => {
                        disturbed.contains(&(table.clone(), None))
                            || column.as_ref().is_some_and(|c| {
                                disturbed.contains(&(table.clone(), Some(c.clone())))
                            })
                    }
                    Dependency::Object { schema, key } => {
                        dropped.contains(&(schema.clone(), key.clone()))
                    }
                    Dependency::Enum { .. } | Dependency::Sequence { .. } => false,
                })
            })
            .map(|(key, _)| key.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        dropped.extend(more);
    }
    for (schema, from, to) in altered {
        if !dropped.contains(&(schema.clone(), from.key())) {
            out.push(Change::AlterObject {
                schema,
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    for key in &dropped {
        out.push(Change::DropObject {
            schema: key.0.clone(),
            object: current[key].clone(),
        });
    }
    for (key, want) in &wanted {
        if dropped.contains(key) || !current.contains_key(key) {
            out.push(Change::CreateObject {
                schema: key.0.clone(),
                object: (*want).clone(),
            });
        }
    }
}

/// `desired` with the objects the differ compares it with when its source does not state
/// them: the current ones, less those on a table `desired` does not have.
pub(crate) fn fill_unstated(renamed: &Schema, desired: &mut Schema) {
    let kept: Vec<(String, DbObject)> = renamed
        .objects()
        .filter(|(_, o)| {
            o.depends_on.iter().all(|d| match d {
                Dependency::Table { table, .. } => {
                    desired.table(table).is_some() || renamed.table(table).is_none()
                }
                Dependency::Object { .. }
                | Dependency::Enum { .. }
                | Dependency::Sequence { .. } => true,
            })
        })
        .map(|(s, o)| (s.to_owned(), o.clone()))
        .collect();
    for ns in desired.schemas.values_mut() {
        ns.objects.clear();
    }
    for (schema, object) in kept {
        if let Some(ns) = desired.schemas.get_mut(&schema) {
            ns.objects.insert(object.key(), object);
        }
    }
}

/// The columns (`Some`) and whole tables (`None`) of the current schema that the table
/// changes of the plan retype, drop or drop with their table.
fn disturbed_columns(
    sides: &Sides<'_>,
    changes: &[Change],
) -> BTreeSet<(QualifiedName, Option<String>)> {
    let mut out = BTreeSet::new();
    for change in changes {
        match change {
            Change::DropTable { name, .. } => {
                out.insert((sides.original_name(name), None));
            }
            Change::DropColumn { table, column } => {
                out.insert((sides.original_name(table), Some(column.name.clone())));
            }
            Change::AlterColumn {
                table, from, to, ..
            } if from.ty != to.ty || from.collation != to.collation => {
                out.insert((sides.original_name(table), Some(from.name.clone())));
            }
            Change::AlterColumn { .. }
            | Change::CreateSchema { .. }
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
            | Change::RenameTable { .. }
            | Change::SetTableComment { .. }
            | Change::AddColumn { .. }
            | Change::RenameColumn { .. }
            | Change::AddPrimaryKey { .. }
            | Change::DropPrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::CreateObject { .. }
            | Change::DropObject { .. }
            | Change::AlterTableOptions { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::SetComment { .. }
            | Change::SetIndexStorage { .. }
            | Change::RenameAttachedIndex { .. }
            | Change::AlterObject { .. } => {}
        }
    }
    out
}
