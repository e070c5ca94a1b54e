//! Changes and hazards in plain words, for the summary and the Markdown report.

use autogen_diff::{Change, EnumValuePosition, HazardKind, RenameHint};
use autogen_schema::{
    Column, Dialect, EnumType, IdentityKind, Index, IndexTarget, QualifiedName, Sequence,
    SequenceOptions, quote_literal,
};

/// What an `AlterTableOptions` sets, in words: `unlogged, row-level security enabled`.
fn table_options(
    from: &autogen_schema::PostgresTableOptions,
    to: &autogen_schema::PostgresTableOptions,
) -> String {
    let mut parts = Vec::new();
    if from.unlogged != to.unlogged {
        parts.push(if to.unlogged { "unlogged" } else { "logged" }.to_owned());
    }
    if from.row_security != to.row_security {
        parts.push(format!(
            "row-level security {}",
            if to.row_security {
                "enabled"
            } else {
                "disabled"
            }
        ));
    }
    if from.force_row_security != to.force_row_security {
        parts.push(format!(
            "row-level security {}",
            if to.force_row_security {
                "forced"
            } else {
                "not forced"
            }
        ));
    }
    if from.storage != to.storage {
        parts.push(if to.storage.is_empty() {
            "default storage options".to_owned()
        } else {
            format!("storage options ({})", to.storage.join(", "))
        });
    }
    if from.replica_identity != to.replica_identity {
        parts.push(format!(
            "replica identity {}",
            to.replica_identity.sql().to_lowercase()
        ));
    }
    parts.join(", ")
}

/// `+` adds, `-` removes, `~` changes in place.
pub(crate) fn sign(change: &Change) -> char {
    match change {
        Change::CreateSchema { .. }
        | Change::CreateEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::CreateSequence { .. }
        | Change::CreateTable { .. }
        | Change::AddColumn { .. }
        | Change::AddPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::AddCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::CreateIndex { .. }
        | Change::CreateView { .. }
        | Change::CreateTrigger { .. }
        | Change::AddExclusion { .. }
        | Change::AttachPartition { .. } => '+',
        Change::DropSchema { .. }
        | Change::DropEnum { .. }
        | Change::DropSequence { .. }
        | Change::DropTable { .. }
        | Change::DropColumn { .. }
        | Change::DropPrimaryKey { .. }
        | Change::DropUnique { .. }
        | Change::DropCheck { .. }
        | Change::DropForeignKey { .. }
        | Change::DropIndex { .. }
        | Change::DropView { .. }
        | Change::DropTrigger { .. }
        | Change::DropExclusion { .. }
        | Change::DetachPartition { .. } => '-',
        Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::AlterSequence { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::SetEnumComment { .. }
        | Change::RenameColumn { .. }
        | Change::AlterColumn { .. }
        | Change::ReplaceView { .. }
        | Change::ReplaceTrigger { .. }
        | Change::CreateObject { .. }
        | Change::DropObject { .. }
        | Change::AlterTableOptions { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => '~',
    }
}

/// An object's name as a reader knows it: `f(integer)`, `audit on t`.
fn object_name(object: &autogen_schema::DbObject) -> String {
    match (&object.arguments, &object.table) {
        (Some(args), _) => format!("{}({args})", object.name),
        (None, Some(table)) => format!("{} on {table}", object.name),
        (None, None) => object.name.clone(),
    }
}

/// One line saying what the change does, e.g. `add column public.tasks.due_date (date, nullable)`.
pub(crate) fn change(change: &Change, dialect: Dialect) -> String {
    match change {
        Change::CreateSchema { name } => format!("create schema {name}"),
        Change::CreateView { name, .. } => format!("create view {name}"),
        Change::DropView { name, .. } => format!("drop view {name}"),
        Change::ReplaceView { name, .. } => format!("replace view {name}"),
        Change::CreateTrigger { name, definition } => {
            format!("create trigger {name} on {}", definition.table)
        }
        Change::DropTrigger { name, definition } => {
            format!("drop trigger {name} on {}", definition.table)
        }
        Change::ReplaceTrigger { name, to, .. } => {
            format!("replace trigger {name} on {}", to.table)
        }
        Change::CreateObject { schema, object } => {
            format!(
                "create {} {schema}.{}",
                object.kind.word(),
                object_name(object)
            )
        }
        Change::DropObject { schema, object } => {
            format!(
                "drop {} {schema}.{}",
                object.kind.word(),
                object_name(object)
            )
        }
        Change::AlterObject { schema, to, .. } => {
            format!("replace {} {schema}.{}", to.kind.word(), object_name(to))
        }
        Change::AlterTableOptions { table, from, to } => {
            format!("set {} on table {table}", table_options(from, to))
        }
        Change::AddExclusion { table, constraint } => format!(
            "add exclusion constraint {} on {table} ({})",
            constraint.name, constraint.definition
        ),
        Change::DropExclusion { table, constraint } => {
            format!("drop exclusion constraint {} on {table}", constraint.name)
        }
        Change::AttachPartition { table, partition } => format!(
            "attach {table} to {} as a partition {}",
            partition.parent, partition.bound
        ),
        Change::DetachPartition { table, partition } => {
            format!("detach partition {table} from {}", partition.parent)
        }
        Change::SetComment {
            target,
            from: _,
            to,
        } => {
            let what = match target {
                autogen_schema::CommentTarget::Index { table, name } => {
                    format!("index {name} on {table}")
                }
                autogen_schema::CommentTarget::Constraint { table, name } => {
                    format!("constraint {name} on {table}")
                }
                autogen_schema::CommentTarget::Sequence { name } => format!("sequence {name}"),
            };
            match to {
                Some(text) => format!("set comment on {what} to {}", quote_literal(text)),
                None => format!("remove comment on {what}"),
            }
        }
        Change::RenameAttachedIndex {
            table,
            from,
            to,
            parent_index,
            ..
        } => {
            format!("rename index {from} of partition {table} to {to} (attached to {parent_index})")
        }
        Change::SetIndexStorage {
            table,
            index,
            from: _,
            to,
        } => {
            if to.is_empty() {
                format!("reset storage options of index {index} on {table}")
            } else {
                format!(
                    "set storage options of index {index} on {table} to ({})",
                    to.join(", ")
                )
            }
        }
        Change::DropSchema { name } => format!("drop schema {name}"),
        Change::CreateEnum { name, definition } => {
            format!("create enum {name} {}", labels(definition))
        }
        Change::DropEnum { name, definition } => {
            format!("drop enum {name} {}", labels(definition))
        }
        Change::AddEnumValue {
            name,
            value,
            position,
            from: _,
            to: _,
            columns: _,
            dependents: _,
        } => {
            let position = match position {
                EnumValuePosition::Before(label) => format!(" before {}", quote_literal(label)),
                EnumValuePosition::After(label) => format!(" after {}", quote_literal(label)),
                EnumValuePosition::End => String::new(),
            };
            format!(
                "add value {} to enum {name}{position}",
                quote_literal(value)
            )
        }
        Change::RenameEnumValue { name, from, to } => format!(
            "rename value {} to {} in enum {name}",
            quote_literal(from),
            quote_literal(to)
        ),
        Change::RebuildEnum {
            name,
            from,
            to,
            columns: _,
            dependents: _,
        } => {
            format!("rebuild enum {name}: {} -> {}", labels(from), labels(to))
        }
        Change::CreateSequence { name, definition } => {
            format!("create sequence {name} {}", sequence(definition, dialect))
        }
        Change::DropSequence { name, definition } => {
            format!("drop sequence {name} {}", sequence(definition, dialect))
        }
        Change::AlterSequence { name, from, to } => {
            format!(
                "alter sequence {name}: {}",
                sequence_changes(from, to, dialect)
            )
        }
        Change::CreateTable { name, definition } => {
            format!(
                "create table {name} ({})",
                column_names(&definition.columns)
            )
        }
        Change::DropTable { name, definition } => {
            format!("drop table {name} ({})", column_names(&definition.columns))
        }
        Change::RenameTable {
            from,
            to,
            sequences,
        } => {
            let mut out = format!("rename table {from} to {to}");
            for s in sequences {
                out.push_str(&format!(", its sequence {} to {}", s.from, s.to));
            }
            out
        }
        Change::SetEnumComment { name, from: _, to } => match to {
            Some(text) => format!("set comment on enum {name} to {}", quote_literal(text)),
            None => format!("remove comment on enum {name}"),
        },
        Change::SetTableComment { table, from: _, to } => match to {
            Some(text) => format!("set comment on table {table} to {}", quote_literal(text)),
            None => format!("remove comment on table {table}"),
        },
        Change::AddColumn { table, column } => {
            format!(
                "add column {table}.{} ({})",
                column.name,
                column_facts(column, dialect)
            )
        }
        Change::DropColumn { table, column } => {
            format!(
                "drop column {table}.{} ({})",
                column.name,
                column_facts(column, dialect)
            )
        }
        Change::RenameColumn { table, from, to } => {
            format!("rename column {table}.{from} to {to}")
        }
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
                to.name,
                column_changes(from, to, dialect)
            )
        }
        Change::AddPrimaryKey { table, key } => format!(
            "add primary key {} on {table} ({})",
            key.name,
            key.columns.join(", ")
        ),
        Change::DropPrimaryKey { table, key } => format!(
            "drop primary key {} on {table} ({})",
            key.name,
            key.columns.join(", ")
        ),
        Change::AddUnique { table, constraint } => format!(
            "add unique constraint {} on {table} ({})",
            constraint.name,
            constraint.columns.join(", ")
        ),
        Change::DropUnique { table, constraint } => format!(
            "drop unique constraint {} on {table} ({})",
            constraint.name,
            constraint.columns.join(", ")
        ),
        Change::AddCheck { table, constraint } => format!(
            "add check constraint {} on {table}: {}{}",
            constraint.name,
            constraint.expression,
            not_valid(constraint.not_valid)
        ),
        Change::DropCheck { table, constraint } => format!(
            "drop check constraint {} on {table}: {}{}",
            constraint.name,
            constraint.expression,
            not_valid(constraint.not_valid)
        ),
        Change::AddForeignKey { table, constraint } => format!(
            "add foreign key {} on {table} ({}) -> {} ({}){}",
            constraint.name,
            constraint.columns.join(", "),
            constraint.referenced_table,
            constraint.referenced_columns.join(", "),
            not_valid(constraint.not_valid)
        ),
        Change::DropForeignKey { table, constraint } => format!(
            "drop foreign key {} on {table} ({}) -> {} ({}){}",
            constraint.name,
            constraint.columns.join(", "),
            constraint.referenced_table,
            constraint.referenced_columns.join(", "),
            not_valid(constraint.not_valid)
        ),
        Change::CreateIndex { table, index } => format!("create {}", index_words(table, index)),
        Change::DropIndex { table, index } => format!("drop {}", index_words(table, index)),
    }
}

pub(crate) fn hazard_kind(kind: HazardKind) -> &'static str {
    match kind {
        HazardKind::DataLoss => "data loss",
        HazardKind::MayFailOnExistingRows => "may fail on existing rows",
        HazardKind::LocksTable => "locks table",
        HazardKind::Irreversible => "irreversible",
    }
}

/// The hint as a question, e.g. `was column public.t.a renamed to b?`.
pub(crate) fn rename_hint(hint: &RenameHint) -> String {
    let question = match hint {
        RenameHint::Table { from, to } => format!("was table {from} renamed to {to}?"),
        RenameHint::Column { table, from, to } => {
            format!("was column {table}.{from} renamed to {to}?")
        }
        RenameHint::EnumValue { name, from, to } => {
            format!(
                "was value {} of enum {name} renamed to {}?",
                quote_literal(from),
                quote_literal(to)
            )
        }
    };
    format!(
        "{question} It is dropped and added with the same definition, which loses its data; \
         `renamed_from` on the new name makes it a rename"
    )
}

fn labels(definition: &EnumType) -> String {
    let labels: Vec<String> = definition.labels.iter().map(|l| quote_literal(l)).collect();
    format!("({})", labels.join(", "))
}

fn column_names(columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    names.join(", ")
}

/// `date, nullable`, `bigint, not null, identity by default`, ...
fn column_facts(column: &Column, dialect: Dialect) -> String {
    let mut facts = vec![column.ty.sql(dialect)];
    facts.push(nullability(column.nullable).to_owned());
    if let Some(default) = &column.default {
        facts.push(format!("default {default}"));
    }
    if let Some(identity) = &column.identity {
        facts.push(format!("identity {}", identity_kind(identity.kind)));
    }
    if let Some(generated) = &column.generated {
        facts.push(format!("generated as {}", generated.expression));
    }
    if let Some(collation) = &column.collation {
        facts.push(format!("collation {collation}"));
    }
    facts.join(", ")
}

fn column_changes(from: &Column, to: &Column, dialect: Dialect) -> String {
    let mut parts = Vec::new();
    if from.name != to.name {
        parts.push(format!("name {} -> {}", from.name, to.name));
    }
    if from.ty != to.ty {
        parts.push(format!(
            "type {} -> {}",
            from.ty.sql(dialect),
            to.ty.sql(dialect)
        ));
    }
    if from.nullable != to.nullable {
        parts.push(format!(
            "{} -> {}",
            nullability(from.nullable),
            nullability(to.nullable)
        ));
    }
    if from.default != to.default {
        parts.push(format!(
            "default {} -> {}",
            or_none(from.default.as_deref()),
            or_none(to.default.as_deref())
        ));
    }
    let kind = |c: &Column| c.identity.as_ref().map(|i| identity_kind(i.kind));
    if kind(from) != kind(to) {
        parts.push(format!(
            "identity {} -> {}",
            or_none(kind(from)),
            or_none(kind(to))
        ));
    }
    let options = |c: &Column| c.identity.as_ref().and_then(|i| i.sequence.clone());
    if from.identity.is_some() && to.identity.is_some() && options(from) != options(to) {
        parts.push("identity sequence options".to_owned());
    }
    if from.generated != to.generated {
        let expression = |c: &Column| c.generated.as_ref().map(|g| g.expression.clone());
        parts.push(format!(
            "generated as {} -> {}",
            or_none(expression(from).as_deref()),
            or_none(expression(to).as_deref())
        ));
    }
    if from.collation != to.collation {
        parts.push(format!(
            "collation {} -> {}",
            or_none(from.collation.as_deref()),
            or_none(to.collation.as_deref())
        ));
    }
    if from.comment != to.comment {
        parts.push(match &to.comment {
            Some(text) => format!("comment {}", quote_literal(text)),
            None => "comment removed".to_owned(),
        });
    }
    if parts.is_empty() {
        return "no difference".to_owned();
    }
    parts.join(", ")
}

fn sequence(definition: &Sequence, dialect: Dialect) -> String {
    let mut out = format!("({}", definition.options.data_type.sql(dialect));
    if let Some(owner) = &definition.owned_by {
        out.push_str(&format!(", owned by {}.{}", owner.table, owner.column));
    }
    out.push(')');
    out
}

fn sequence_changes(from: &Sequence, to: &Sequence, dialect: Dialect) -> String {
    let (a, b): (&SequenceOptions, &SequenceOptions) = (&from.options, &to.options);
    let mut parts = Vec::new();
    if a.data_type != b.data_type {
        parts.push(format!(
            "type {} -> {}",
            a.data_type.sql(dialect),
            b.data_type.sql(dialect)
        ));
    }
    let numbers = [
        ("increment", a.increment, b.increment),
        ("min value", a.min_value, b.min_value),
        ("max value", a.max_value, b.max_value),
        ("start", a.start, b.start),
        ("cache", a.cache, b.cache),
    ];
    for (what, old, new) in numbers {
        if old != new {
            parts.push(format!("{what} {old} -> {new}"));
        }
    }
    if a.cycle != b.cycle {
        parts.push(if b.cycle { "cycle" } else { "no cycle" }.to_owned());
    }
    if from.owned_by != to.owned_by {
        let owner = |s: &Sequence| {
            s.owned_by.as_ref().map_or_else(
                || "none".to_owned(),
                |o| format!("{}.{}", o.table, o.column),
            )
        };
        parts.push(format!("owned by {} -> {}", owner(from), owner(to)));
    }
    if parts.is_empty() {
        return "no difference".to_owned();
    }
    parts.join(", ")
}

fn index_words(table: &QualifiedName, index: &Index) -> String {
    let keys: Vec<&str> = index
        .keys
        .iter()
        .map(|k| match &k.target {
            IndexTarget::Column(name) | IndexTarget::Expression(name) => name.as_str(),
        })
        .collect();
    let unique = if index.unique { "unique " } else { "" };
    let mut out = format!(
        "{unique}index {} on {table} ({})",
        index.name,
        keys.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" where {predicate}"));
    }
    if index.invalid {
        out.push_str(" (invalid: a failed concurrent build)");
    }
    out
}

/// A constraint whose existing rows were never checked says so.
fn not_valid(not_valid: bool) -> &'static str {
    if not_valid { " (NOT VALID)" } else { "" }
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not null" }
}

fn identity_kind(kind: IdentityKind) -> &'static str {
    match kind {
        IdentityKind::Always => "always",
        IdentityKind::ByDefault => "by default",
        IdentityKind::AutoIncrement => "auto increment",
    }
}

fn or_none(value: Option<&str>) -> &str {
    value.unwrap_or("none")
}
