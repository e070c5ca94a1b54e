//! A plan as one line per change, for snapshots.

use autogen_schema::{
    Column, Deferrable, Dialect, EnumType, ForeignKey, Index, IndexTarget, MatchType,
    ReferentialAction, Sequence, Table,
};

use crate::{
    Change, EnumColumnUse, EnumDependent, EnumValuePosition, Hazard, HazardContext, HazardKind,
    Plan, RenameHint, created_tables, fills_nulls, hazards,
};

/// The rules as PostgreSQL's lowering (`autogen_render::lower`) evaluates them, which this
/// crate cannot call: its SQL fills NULLs with the backfill or the default by [`fills_nulls`].
pub(crate) fn postgres_hazards(plan: &Plan) -> Vec<(usize, Hazard)> {
    let new_tables = created_tables(&plan.changes);
    let mut out = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        let fills_nulls = matches!(change, Change::AlterColumn { from, to, backfill, .. }
            if fills_nulls(from, to, backfill.as_deref()));
        let context = HazardContext {
            dialect: Dialect::Postgres,
            new_tables: &new_tables,
            fills_nulls,
            rebuilds: None,
            lock_safe: false,
            fills_placeholder: false,
        };
        out.extend(hazards(change, &context).into_iter().map(|h| (i, h)));
    }
    out
}

pub(crate) fn plan(plan: &Plan) -> String {
    let hazards = postgres_hazards(plan);
    let mut out = String::new();
    for (i, change) in plan.changes.iter().enumerate() {
        out.push_str(&line(change));
        out.push('\n');
        for (_, h) in hazards.iter().filter(|(at, _)| *at == i) {
            out.push_str(&format!("    ! {:?} {}: {}\n", h.kind, h.object, h.reason));
        }
    }
    for hint in &plan.rename_hints {
        out.push_str(&match hint {
            RenameHint::Table { from, to } => {
                format!("hint: table {from} -> {to} may be a rename\n")
            }
            RenameHint::Column { table, from, to } => {
                format!("hint: column {table}.{from} -> {to} may be a rename\n")
            }
            RenameHint::EnumValue { name, from, to } => {
                format!("hint: label {name} '{from}' -> '{to}' may be a rename\n")
            }
        });
    }
    if plan.is_empty() {
        out.push_str("(no changes)\n");
    } else if hazards
        .iter()
        .any(|(_, h)| matches!(h.kind, HazardKind::DataLoss | HazardKind::Irreversible))
    {
        out.push_str("irreversible\n");
    }
    out
}

fn line(change: &Change) -> String {
    match change {
        Change::CreateSchema { name } => format!("create schema {name}"),
        Change::DropSchema { name } => format!("drop schema {name}"),
        Change::CreateEnum { name, definition } => {
            format!("create enum {name} {}", labels(definition))
        }
        Change::DropEnum { name, definition } => format!("drop enum {name} {}", labels(definition)),
        Change::AddEnumValue {
            name,
            value,
            position,
            from,
            to,
            columns,
            dependents,
        } => format!(
            "add value '{value}' {} to {name}: {} -> {}{}{}",
            match position {
                EnumValuePosition::Before(l) => format!("before '{l}'"),
                EnumValuePosition::After(l) => format!("after '{l}'"),
                EnumValuePosition::End => "at the end".to_owned(),
            },
            labels(from),
            labels(to),
            uses(columns),
            detaches(dependents)
        ),
        Change::RenameEnumValue { name, from, to } => {
            format!("rename value '{from}' of {name} to '{to}'")
        }
        Change::RebuildEnum {
            name,
            from,
            to,
            columns,
            dependents,
        } => format!(
            "rebuild enum {name}: {} -> {}{}{}",
            labels(from),
            labels(to),
            uses(columns),
            detaches(dependents)
        ),
        Change::SetEnumComment { name, from, to } => {
            format!("comment on enum {name}: {} -> {}", opt(from), opt(to))
        }
        Change::CreateSequence { name, definition } => {
            format!("create sequence {name} {}", sequence(definition))
        }
        Change::DropSequence { name, definition } => {
            format!("drop sequence {name} {}", sequence(definition))
        }
        Change::AlterSequence { name, from, to } => {
            format!(
                "alter sequence {name}: {} -> {}",
                sequence(from),
                sequence(to)
            )
        }
        Change::CreateTable { name, definition } => {
            format!("create table {name} {}", table(definition))
        }
        Change::DropTable { name, definition } => {
            format!("drop table {name} {}", table(definition))
        }
        Change::RenameTable { from, to, .. } => format!("rename table {from} -> {to}"),
        Change::SetTableComment { table, from, to } => {
            format!("comment on table {table}: {} -> {}", opt(from), opt(to))
        }
        Change::AddColumn { table, column: c } => format!("add column {table}.{}", column(c)),
        Change::DropColumn { table, column: c } => format!("drop column {table}.{}", column(c)),
        Change::RenameColumn { table, from, to } => format!("rename column {table}.{from} -> {to}"),
        Change::AlterColumn {
            table,
            from,
            to,
            backfill,
        } => {
            let fill = backfill
                .as_ref()
                .map(|sql| format!(" (NULLs become {sql})"))
                .unwrap_or_default();
            format!(
                "alter column {table}.{}: {}{fill}",
                from.name,
                column_delta(from, to)
            )
        }
        Change::AddPrimaryKey { table, key } => {
            format!(
                "add primary key {table} {} ({})",
                key.name,
                key.columns.join(", ")
            )
        }
        Change::DropPrimaryKey { table, key } => {
            format!(
                "drop primary key {table} {} ({})",
                key.name,
                key.columns.join(", ")
            )
        }
        Change::AddUnique {
            table,
            constraint: u,
        } => {
            format!("add unique {table} {} ({})", u.name, u.columns.join(", "))
        }
        Change::DropUnique {
            table,
            constraint: u,
        } => {
            format!("drop unique {table} {} ({})", u.name, u.columns.join(", "))
        }
        Change::AddCheck {
            table,
            constraint: c,
        } => format!("add check {table} {} {}", c.name, c.expression),
        Change::DropCheck {
            table,
            constraint: c,
        } => {
            format!("drop check {table} {} {}", c.name, c.expression)
        }
        Change::AddForeignKey { table, constraint } => format!("add fk {table} {}", fk(constraint)),
        Change::DropForeignKey { table, constraint } => {
            format!("drop fk {table} {}", fk(constraint))
        }
        Change::CreateIndex { table, index: i } => format!("create index {table} {}", index(i)),
        Change::DropIndex { table, index: i } => format!("drop index {table} {}", index(i)),
        Change::CreateView { name, definition } => {
            format!("create view {name} {}", definition.definition)
        }
        Change::DropView { name, definition } => {
            format!("drop view {name} {}", definition.definition)
        }
        Change::ReplaceView { name, from, to } => format!(
            "replace view {name} {} -> {}",
            from.definition, to.definition
        ),
        Change::CreateTrigger { name, definition } => format!(
            "create trigger {name} on {} {}",
            definition.table, definition.definition
        ),
        Change::DropTrigger { name, definition } => format!(
            "drop trigger {name} on {} {}",
            definition.table, definition.definition
        ),
        Change::CreateObject { schema, object } => {
            format!(
                "create object {schema} {} {:?}",
                object.key(),
                object.create
            )
        }
        Change::DropObject { schema, object } => {
            format!("drop object {schema} {} {:?}", object.key(), object.create)
        }
        Change::AlterObject { schema, from, to } => format!(
            "alter object {schema} {} {:?} -> {:?}",
            from.key(),
            from.create,
            to.create
        ),
        Change::AlterTableOptions { table, from, to } => {
            format!("alter options of {table}: {from:?} -> {to:?}")
        }
        Change::AddExclusion { table, constraint } => format!(
            "add exclusion {table}.{} {}",
            constraint.name, constraint.definition
        ),
        Change::DropExclusion { table, constraint } => format!(
            "drop exclusion {table}.{} {}",
            constraint.name, constraint.definition
        ),
        Change::AttachPartition { table, partition } => {
            format!("attach {table} to {} {}", partition.parent, partition.bound)
        }
        Change::DetachPartition { table, partition } => format!(
            "detach {table} from {} {}",
            partition.parent, partition.bound
        ),
        Change::SetComment { target, from, to } => {
            format!("comment on {target:?}: {} -> {}", opt(from), opt(to))
        }
        Change::SetIndexStorage {
            table,
            index,
            from,
            to,
        } => format!("storage of index {table}.{index}: {from:?} -> {to:?}"),
        Change::RenameAttachedIndex {
            table, from, to, ..
        } => format!("rename attached index {table}.{from} -> {to}"),
        Change::ReplaceTrigger { name, from, to } => format!(
            "replace trigger {name} on {} {} -> on {} {}",
            from.table, from.definition, to.table, to.definition
        ),
    }
}

fn labels(e: &EnumType) -> String {
    let mut out = format!("({})", e.labels.join(", "));
    if let Some(c) = &e.comment {
        out.push_str(&format!(" comment '{c}'"));
    }
    out
}

fn uses(columns: &[EnumColumnUse]) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let names: Vec<String> = columns
        .iter()
        .map(|u| format!("{}.{}", u.table, u.column.name))
        .collect();
    format!(" [columns: {}]", names.join(", "))
}

fn detaches(dependents: &[EnumDependent]) -> String {
    if dependents.is_empty() {
        return String::new();
    }
    let names: Vec<String> = dependents
        .iter()
        .map(|d| match d {
            EnumDependent::Check { table, constraint } => {
                format!("check {table}.{}", constraint.name)
            }
            EnumDependent::Index { table, index } => format!("index {table}.{}", index.name),
            EnumDependent::ForeignKey { table, constraint } => {
                format!("fk {table}.{}", constraint.name)
            }
            EnumDependent::Unique { table, constraint } => {
                format!("unique {table}.{}", constraint.name)
            }
            EnumDependent::PrimaryKey { table, key } => format!("pk {table}.{}", key.name),
            EnumDependent::GeneratedColumn { table, column } => {
                format!("column {table}.{}", column.name)
            }
        })
        .collect();
    format!(" [detaches: {}]", names.join(", "))
}

fn opt(text: &Option<String>) -> String {
    text.as_ref()
        .map_or_else(|| "NULL".to_owned(), |t| format!("'{t}'"))
}

fn sequence(s: &Sequence) -> String {
    let o = &s.options;
    let mut out = format!(
        "({} start {} increment {}",
        o.data_type.sql(Dialect::Postgres),
        o.start,
        o.increment
    );
    if o.cycle {
        out.push_str(" cycle");
    }
    match &s.owned_by {
        Some(owner) => out.push_str(&format!(" owned by {}.{})", owner.table, owner.column)),
        None => out.push(')'),
    }
    out
}

fn column(c: &Column) -> String {
    let mut out = format!("{} {}", c.name, c.ty.sql(Dialect::Postgres));
    if !c.nullable {
        out.push_str(" not null");
    }
    if let Some(d) = &c.default {
        out.push_str(&format!(" default {d}"));
    }
    if let Some(i) = &c.identity {
        out.push_str(&format!(" identity {:?}", i.kind));
    }
    if let Some(g) = &c.generated {
        out.push_str(&format!(" generated {}", g.expression));
    }
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" collate {collation}"));
    }
    if let Some(comment) = &c.comment {
        out.push_str(&format!(" comment '{comment}'"));
    }
    out
}

/// Only what differs.
fn column_delta(from: &Column, to: &Column) -> String {
    let mut parts = Vec::new();
    if from.ty != to.ty {
        parts.push(format!(
            "type {} -> {}",
            from.ty.sql(Dialect::Postgres),
            to.ty.sql(Dialect::Postgres)
        ));
    }
    let null = |n: bool| if n { "null" } else { "not null" };
    if from.nullable != to.nullable {
        parts.push(format!("{} -> {}", null(from.nullable), null(to.nullable)));
    }
    if from.default != to.default {
        parts.push(format!(
            "default {} -> {}",
            opt(&from.default),
            opt(&to.default)
        ));
    }
    if from.identity != to.identity {
        let id = |c: &Column| c.identity.as_ref().map(|i| format!("{:?}", i.kind));
        parts.push(format!("identity {} -> {}", opt(&id(from)), opt(&id(to))));
    }
    if from.generated != to.generated {
        let g = |c: &Column| c.generated.as_ref().map(|g| g.expression.clone());
        parts.push(format!("generated {} -> {}", opt(&g(from)), opt(&g(to))));
    }
    if from.collation != to.collation {
        parts.push(format!(
            "collate {} -> {}",
            opt(&from.collation),
            opt(&to.collation)
        ));
    }
    if from.comment != to.comment {
        parts.push(format!(
            "comment {} -> {}",
            opt(&from.comment),
            opt(&to.comment)
        ));
    }
    parts.join(", ")
}

fn table(t: &Table) -> String {
    let columns: Vec<String> = t.columns.iter().map(column).collect();
    let mut out = format!("({})", columns.join(", "));
    if let Some(pk) = &t.primary_key {
        out.push_str(&format!(" pk {} ({})", pk.name, pk.columns.join(", ")));
    }
    for u in t.uniques.values() {
        out.push_str(&format!(" unique {} ({})", u.name, u.columns.join(", ")));
    }
    for c in t.checks.values() {
        out.push_str(&format!(" check {} {}", c.name, c.expression));
    }
    for i in t.indexes.values() {
        out.push_str(&format!(" index {}", index(i)));
    }
    if let Some(c) = &t.comment {
        out.push_str(&format!(" comment '{c}'"));
    }
    out
}

fn fk(fk: &ForeignKey) -> String {
    let mut out = format!(
        "{} ({}) -> {} ({})",
        fk.name,
        fk.columns.join(", "),
        fk.referenced_table,
        fk.referenced_columns.join(", ")
    );
    if fk.on_delete != ReferentialAction::NoAction {
        out.push_str(&format!(" on delete {}", fk.on_delete.sql()));
    }
    if fk.on_update != ReferentialAction::NoAction {
        out.push_str(&format!(" on update {}", fk.on_update.sql()));
    }
    if fk.deferrable != Deferrable::NotDeferrable {
        out.push_str(fk.deferrable.sql());
    }
    if fk.match_type != MatchType::Simple {
        out.push_str(&format!(" match {:?}", fk.match_type));
    }
    out
}

fn index(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let mut s = match &k.target {
                IndexTarget::Column(c) => c.clone(),
                IndexTarget::Expression(e) => format!("({e})"),
            };
            if k.descending {
                s.push_str(" desc");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" nulls first"),
                Some(false) => s.push_str(" nulls last"),
                None => {}
            }
            s
        })
        .collect();
    let mut out = format!(
        "{}{} ({})",
        if i.unique { "unique " } else { "" },
        i.name,
        keys.join(", ")
    );
    if i.method != "btree" {
        out.push_str(&format!(" using {}", i.method));
    }
    if !i.include.is_empty() {
        out.push_str(&format!(" include ({})", i.include.join(", ")));
    }
    if let Some(p) = &i.predicate {
        out.push_str(&format!(" where {p}"));
    }
    if i.nulls_not_distinct {
        out.push_str(" nulls not distinct");
    }
    out
}
