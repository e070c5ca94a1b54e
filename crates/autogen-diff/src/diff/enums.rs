use std::collections::BTreeSet;

use autogen_schema::{Column, EnumType, QualifiedName};

use crate::apply::enum_users;
use crate::diff::{Sides, union_keys};
use crate::order::drops_default_only;
use crate::refs::{enum_dependents_of, uses_enum};
use crate::{Change, EnumColumnUse, EnumDependent, EnumValuePosition};

/// Enum types: create, drop, new labels (one `AddEnumValue` each, at its place), a rebuild when
/// labels go away or change order, comments.
pub(crate) fn diff(sides: &Sides<'_>, out: &mut Vec<Change>) {
    let (was_all, want_all) = (&sides.renamed.schemas, &sides.desired.schemas);
    for schema in union_keys(Some(was_all), Some(want_all)) {
        let was = was_all.get(schema).map(|ns| &ns.enums);
        let want = want_all.get(schema).map(|ns| &ns.enums);
        for name in union_keys(was, want) {
            let qualified = QualifiedName::new(schema, name);
            match (
                was.and_then(|m| m.get(name)),
                want.and_then(|m| m.get(name)),
            ) {
                (None, Some(definition)) => out.push(Change::CreateEnum {
                    name: qualified,
                    definition: definition.clone(),
                }),
                (Some(definition), None) => out.push(Change::DropEnum {
                    name: qualified,
                    definition: definition.clone(),
                }),
                (Some(from), Some(to)) => alter(sides, qualified, from, to, out),
                (None, None) => {}
            }
        }
    }
}

fn alter(
    sides: &Sides<'_>,
    name: QualifiedName,
    from: &EnumType,
    to: &EnumType,
    out: &mut Vec<Change>,
) {
    if from.labels != to.labels {
        let columns = continuing_users(sides, &name);
        match insertions(&from.labels, &to.labels) {
            Some(steps) => {
                let mut before = from.clone();
                for (value, position, labels) in steps {
                    let after = EnumType {
                        labels,
                        ..before.clone()
                    };
                    out.push(Change::AddEnumValue {
                        name: name.clone(),
                        value,
                        position,
                        from: before,
                        to: after.clone(),
                        columns: columns.clone(),
                        dependents: Vec::new(),
                    });
                    before = after;
                }
            }
            None => out.push(Change::RebuildEnum {
                name: name.clone(),
                from: from.clone(),
                to: EnumType {
                    labels: to.labels.clone(),
                    ..from.clone()
                },
                columns,
                dependents: Vec::new(),
            }),
        }
    }
    if from.comment != to.comment {
        out.push(Change::SetEnumComment {
            name,
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
}

/// The columns typed with the enum when its labels change. Columns that stop using it (dropped,
/// retyped away, in dropped tables) change before; columns that start using it change after;
/// columns that use it on both sides are altered after, so here they are as they are now,
/// except for a default dropped before: around a rebuild, or when dropping it is the column's
/// only change (that runs on the labels as they were, so before any label change).
fn continuing_users(sides: &Sides<'_>, name: &QualifiedName) -> Vec<EnumColumnUse> {
    enum_users(sides.renamed, name)
        .into_iter()
        .filter_map(|mut u| {
            let target = sides
                .desired
                .table(&u.table)
                .and_then(|t| t.column(&u.column.name))
                .filter(|c| uses_enum(c, name))?;
            if default_dropped_around_rebuild(sides, &u.column, target)
                || drops_default_only(&u.column, target)
            {
                u.column.default = None;
            }
            Some(u)
        })
        .collect()
}

/// Fills in the `dependents` of every enum change, once the rest of the plan is known: what a
/// rebuild must detach (see [`EnumDependent`]; columns typed with the enum on both sides count
/// as typed with it) and that the plan leaves as it is. Those the plan drops or creates are ordered
/// before or after the enum change instead (`order`), so that at the enum change, and at its
/// inverse in the down plan, exactly the carried ones exist.
pub(crate) fn attach_dependents(sides: &Sides<'_>, changes: &mut [Change]) {
    let dropped: BTreeSet<Dropped> = changes.iter().filter_map(dropped).collect();
    for change in changes.iter_mut() {
        if let Change::AddEnumValue {
            name, dependents, ..
        }
        | Change::RebuildEnum {
            name, dependents, ..
        } = change
        {
            *dependents = steady_dependents(sides, name, &dropped);
        }
    }
}

/// An object the plan drops: its table as the drop names it, its kind, its name.
type Dropped = (QualifiedName, &'static str, String);

fn dropped(change: &Change) -> Option<Dropped> {
    let (table, kind, name) = match change {
        Change::DropCheck { table, constraint } => (table, "check", &constraint.name),
        Change::DropIndex { table, index } => (table, "index", &index.name),
        Change::DropForeignKey { table, constraint } => (table, "foreign key", &constraint.name),
        Change::DropUnique { table, constraint } => (table, "unique", &constraint.name),
        Change::DropPrimaryKey { table, key } => (table, "primary key", &key.name),
        Change::DropColumn { table, column } => (table, "column", &column.name),
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
        | Change::RenameColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::AddCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::CreateIndex { .. }
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
        | Change::AlterObject { .. } => return None,
    };
    Some((table.clone(), kind, name.clone()))
}

fn steady_dependents(
    sides: &Sides<'_>,
    name: &QualifiedName,
    dropped: &BTreeSet<Dropped>,
) -> Vec<EnumDependent> {
    let mut out = Vec::new();
    for (table_name, was) in sides.renamed.tables() {
        let Some(want) = sides.desired.table(&table_name) else {
            continue;
        };
        let typed = |c: &Column| {
            uses_enum(c, name) && want.column(&c.name).is_some_and(|w| uses_enum(w, name))
        };
        // Constraints and indexes are dropped under the table's current name, columns under
        // its desired one.
        let original = sides.original_name(&table_name);
        let kept = |table: &QualifiedName, kind: &'static str, object: &String| {
            !dropped.contains(&(table.clone(), kind, object.clone()))
        };
        for dependent in enum_dependents_of(&table_name, was, name, &typed) {
            let steady = match &dependent {
                EnumDependent::Check { constraint, .. } => {
                    want.checks.get(&constraint.name) == Some(constraint)
                        && kept(&original, "check", &constraint.name)
                }
                EnumDependent::Index { index, .. } => {
                    want.indexes.get(&index.name) == Some(index)
                        && kept(&original, "index", &index.name)
                }
                EnumDependent::ForeignKey { constraint, .. } => {
                    want.foreign_keys.get(&constraint.name) == Some(constraint)
                        && kept(&original, "foreign key", &constraint.name)
                }
                EnumDependent::Unique { constraint, .. } => {
                    want.uniques.get(&constraint.name) == Some(constraint)
                        && kept(&original, "unique", &constraint.name)
                }
                EnumDependent::PrimaryKey { key, .. } => {
                    want.primary_key.as_ref() == Some(key)
                        && kept(&original, "primary key", &key.name)
                }
                EnumDependent::GeneratedColumn { column, .. } => {
                    want.column(&column.name) == Some(column)
                        && kept(&table_name, "column", &column.name)
                }
            };
            if steady {
                out.push(dependent);
            }
        }
    }
    out
}

/// Whether the labels of enum `name` change in a way `ADD VALUE` cannot make.
pub(crate) fn is_rebuilt(sides: &Sides<'_>, name: &QualifiedName) -> bool {
    match (sides.renamed.enum_type(name), sides.desired.enum_type(name)) {
        (Some(from), Some(to)) => {
            from.labels != to.labels && insertions(&from.labels, &to.labels).is_none()
        }
        (Some(_), None) | (None, Some(_)) | (None, None) => false,
    }
}

/// A column typed with a rebuilt enum whose default changes: the old default may name a label
/// that goes away and the new one a label that does not exist yet, so the default is dropped
/// before the rebuild and the column altered to its new definition after it.
pub(crate) fn default_dropped_around_rebuild(
    sides: &Sides<'_>,
    from: &Column,
    to: &Column,
) -> bool {
    from.default.is_some()
        && from.default != to.default
        && from
            .ty
            .enum_name()
            .is_some_and(|e| to.ty.enum_name() == Some(e) && is_rebuilt(sides, e))
}

/// When `to` is `from` with labels inserted (order kept), the insertions one by one: the new
/// label, where it goes, and the whole list after it. `None` when labels are removed or moved.
fn insertions(
    from: &[String],
    to: &[String],
) -> Option<Vec<(String, EnumValuePosition, Vec<String>)>> {
    let mut labels = from.to_vec();
    let mut next_old = 0;
    let mut steps = Vec::new();
    for (i, label) in to.iter().enumerate() {
        if from.get(next_old) == Some(label) {
            next_old += 1;
            continue;
        }
        if labels.contains(label) {
            return None;
        }
        let (at, position) = match i.checked_sub(1).and_then(|p| to.get(p)) {
            Some(previous) => {
                let at = labels.iter().position(|l| l == previous)? + 1;
                (at, EnumValuePosition::After(previous.clone()))
            }
            None => match labels.first() {
                Some(first) => (0, EnumValuePosition::Before(first.clone())),
                None => (0, EnumValuePosition::End),
            },
        };
        labels.insert(at, label.clone());
        steps.push((label.clone(), position, labels.clone()));
    }
    (next_old == from.len()).then_some(steps)
}
