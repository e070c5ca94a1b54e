//! A Mermaid `erDiagram` of a plan for the pull-request report (GitHub renders it): the tables
//! the plan touches and their neighbours (tables a touched table references or is referenced
//! by), each column and relation marked added, dropped, changed or renamed.

use std::collections::{BTreeMap, BTreeSet};

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, Dialect, ForeignKey, QualifiedName, Schema, Table};

/// How a table, column or relation fares in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Added,
    Dropped,
    Changed(String),
    Renamed(String),
}

impl Mark {
    fn text(&self) -> String {
        match self {
            Mark::Added => "added".to_owned(),
            Mark::Dropped => "dropped".to_owned(),
            Mark::Changed(how) => format!("changed: {how}"),
            Mark::Renamed(from) => format!("renamed from {from}"),
        }
    }
}

/// What the plan does, keyed for the diagram.
#[derive(Default)]
struct Marks {
    touched: BTreeSet<QualifiedName>,
    tables: BTreeMap<QualifiedName, Mark>,
    columns: BTreeMap<(QualifiedName, String), Mark>,
    relations: BTreeMap<(QualifiedName, String), Mark>,
}

impl Marks {
    fn of(plan: &Plan, dialect: Dialect) -> Marks {
        let mut marks = Marks::default();
        for change in &plan.changes {
            marks.note(change, dialect);
        }
        marks
    }

    fn touch(&mut self, table: &QualifiedName) {
        self.touched.insert(table.clone());
    }

    fn column(&mut self, table: &QualifiedName, column: &str, mark: Mark) {
        self.touch(table);
        // The first mark wins: a column added then altered in one plan is "added".
        self.columns
            .entry((table.clone(), column.to_owned()))
            .or_insert(mark);
    }

    fn note(&mut self, change: &Change, dialect: Dialect) {
        match change {
            Change::CreateTable { name, .. } => {
                self.touch(name);
                self.tables.insert(name.clone(), Mark::Added);
            }
            Change::DropTable { name, .. } => {
                self.touch(name);
                self.tables.insert(name.clone(), Mark::Dropped);
            }
            Change::RenameTable { from, to, .. } => {
                self.touch(to);
                self.tables
                    .insert(to.clone(), Mark::Renamed(from.to_string()));
            }
            Change::AddColumn { table, column } => self.column(table, &column.name, Mark::Added),
            Change::DropColumn { table, column } => {
                self.column(table, &column.name, Mark::Dropped);
            }
            Change::RenameColumn { table, from, to } => {
                self.column(table, to, Mark::Renamed(from.clone()));
            }
            Change::AlterColumn {
                table, from, to, ..
            } => {
                self.column(
                    table,
                    &to.name,
                    Mark::Changed(column_change(from, to, dialect)),
                );
            }
            Change::AddForeignKey { table, constraint } => {
                self.touch(table);
                self.relations
                    .insert((table.clone(), constraint.name.clone()), Mark::Added);
            }
            Change::DropForeignKey { table, constraint } => {
                self.touch(table);
                self.relations
                    .entry((table.clone(), constraint.name.clone()))
                    // Dropped and added again under the same name: changed.
                    .and_modify(|m| *m = Mark::Changed("redefined".to_owned()))
                    .or_insert(Mark::Dropped);
            }
            Change::SetTableComment { table, .. }
            | Change::AddPrimaryKey { table, .. }
            | Change::DropPrimaryKey { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::CreateIndex { table, .. }
            | Change::DropIndex { table, .. } => self.touch(table),
            // Types, sequences, schemas, views and triggers are not entities of the diagram.
            Change::CreateView { .. }
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
            | Change::AlterObject { .. }
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
            | Change::AlterSequence { .. } => {}
        }
    }
}

/// `integer -> bigint, NOT NULL`: what an altered column changes, in a few words.
fn column_change(from: &Column, to: &Column, dialect: Dialect) -> String {
    let mut parts = Vec::new();
    if from.ty != to.ty {
        parts.push(format!(
            "{} -> {}",
            from.ty.sql(dialect),
            to.ty.sql(dialect)
        ));
    }
    if from.nullable != to.nullable {
        parts.push(if to.nullable { "NULL" } else { "NOT NULL" }.to_owned());
    }
    if from.default != to.default {
        parts.push("default".to_owned());
    }
    if from.identity != to.identity || from.generated != to.generated {
        parts.push("generation".to_owned());
    }
    if from.comment != to.comment || from.collation != to.collation {
        parts.push("details".to_owned());
    }
    parts.join(", ")
}

/// The diagram as a fenced `mermaid` block, or `None` when the plan touches no table.
pub fn er_diagram(plan: &Plan, current: &Schema, desired: &Schema) -> Option<String> {
    let dialect = desired.dialect;
    let marks = Marks::of(plan, dialect);
    if marks.touched.is_empty() {
        return None;
    }
    // Each table as the plan leaves it, or as it was when the plan drops it.
    let table = |name: &QualifiedName| desired.table(name).or_else(|| current.table(name));
    let mut shown: BTreeSet<QualifiedName> = marks.touched.clone();
    for side in [current, desired] {
        for (name, t) in side.tables() {
            for fk in t.foreign_keys.values() {
                if marks.touched.contains(&name) || marks.touched.contains(&fk.referenced_table) {
                    shown.insert(name.clone());
                    shown.insert(fk.referenced_table.clone());
                }
            }
        }
    }
    let default_schema = dialect.default_schema();
    let id = |name: &QualifiedName| entity_id(name, default_schema);
    let mut out = String::from("```mermaid\nerDiagram\n");
    for name in &shown {
        let Some(t) = table(name) else { continue };
        let label = match marks.tables.get(name) {
            Some(mark) => format!("{} ({})", display(name, default_schema), mark.text()),
            None => display(name, default_schema),
        };
        out.push_str(&format!("    {}[\"{}\"] {{\n", id(name), quote(&label)));
        for column in columns(t, name, current, &marks, dialect) {
            out.push_str(&format!("        {column}\n"));
        }
        out.push_str("    }\n");
    }
    for (name, fk, mark) in relations(&shown, current, desired, &marks) {
        let Some(t) = table(&name) else { continue };
        let optional = fk
            .columns
            .iter()
            .any(|c| t.columns.iter().any(|col| col.name == *c && col.nullable));
        let parent = if optional { "o|" } else { "||" };
        let label = match mark {
            Some(mark) => format!("{} ({})", fk.name, mark.text()),
            None => fk.name.clone(),
        };
        out.push_str(&format!(
            "    {} }}o--{parent} {} : \"{}\"\n",
            id(&name),
            id(&fk.referenced_table),
            quote(&label)
        ));
    }
    out.push_str("```\n");
    Some(out)
}

/// The attribute lines of a table: its columns as the plan leaves them, then the ones it
/// drops; keys marked PK/FK/UK, the plan's marks in the comment.
fn columns(
    t: &Table,
    name: &QualifiedName,
    current: &Schema,
    marks: &Marks,
    dialect: Dialect,
) -> Vec<String> {
    let dropped: Vec<&Column> = current
        .table(name)
        .map(|old| {
            old.columns
                .iter()
                .filter(|c| {
                    matches!(
                        marks.columns.get(&(name.clone(), c.name.clone())),
                        Some(Mark::Dropped)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let in_table = t.columns.iter().filter(|c| {
        !matches!(
            marks.columns.get(&(name.clone(), c.name.clone())),
            Some(Mark::Dropped)
        )
    });
    in_table
        .chain(dropped)
        .map(|c| {
            let mut keys = Vec::new();
            if t.primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.contains(&c.name))
            {
                keys.push("PK");
            }
            if t.foreign_keys
                .values()
                .any(|fk| fk.columns.contains(&c.name))
            {
                keys.push("FK");
            }
            if t.uniques.values().any(|u| u.columns == [c.name.clone()]) {
                keys.push("UK");
            }
            let mut line = format!("{} {}", word(&c.ty.sql(dialect)), word(&c.name));
            if !keys.is_empty() {
                line.push(' ');
                line.push_str(&keys.join(", "));
            }
            if let Some(mark) = marks.columns.get(&(name.clone(), c.name.clone())) {
                line.push_str(&format!(" \"{}\"", quote(&mark.text())));
            }
            line
        })
        .collect()
}

/// Every foreign key between shown tables: as the plan leaves them, then the ones it drops.
fn relations(
    shown: &BTreeSet<QualifiedName>,
    current: &Schema,
    desired: &Schema,
    marks: &Marks,
) -> Vec<(QualifiedName, ForeignKey, Option<Mark>)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (side, dropped_only) in [(desired, false), (current, true)] {
        for (name, t) in side.tables() {
            if !shown.contains(&name) {
                continue;
            }
            for fk in t.foreign_keys.values() {
                let key = (name.clone(), fk.name.clone());
                let mark = marks.relations.get(&key).cloned();
                if dropped_only && mark != Some(Mark::Dropped) {
                    continue;
                }
                if shown.contains(&fk.referenced_table) && seen.insert(key) {
                    out.push((name.clone(), fk.clone(), mark));
                }
            }
        }
    }
    out
}

/// A Mermaid attribute type or name: letters, digits and `_` (`character varying(200)` reads
/// `character_varying_200`).
fn word(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_owned();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("t_{out}")
    } else {
        out
    }
}

/// The entity's identifier (`users`, `audit_events`); its label says the real name.
fn entity_id(name: &QualifiedName, default_schema: &str) -> String {
    word(&display(name, default_schema).replace('.', "__"))
}

fn display(name: &QualifiedName, default_schema: &str) -> String {
    if name.schema == default_schema {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

/// Text inside a Mermaid double-quoted string: it has no escape for `"`.
fn quote(text: &str) -> String {
    text.replace('"', "'")
}
