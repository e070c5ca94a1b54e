//! Which plans expand: every change of the plan is matched to a kind of [`Expansion`] or
//! refused, each `Change` variant by name (no wildcard), so a new variant cannot slip through.

use autogen_diff::{Change, Plan, fills_nulls_with_default};
use autogen_schema::{Column, QualifiedName, Schema};

use super::{
    ColumnChange, ExpandError, Expansion, NotNull, TableRename, current_table, table_rename,
};

/// The plan's changes as expansions: column renames and type changes (a rename with a type
/// change is one), columns becoming NOT NULL (with the backfill or default that fills their
/// NULLs), and table renames (with the keys, checks, foreign keys, indexes and sequences
/// renamed along, as the plain migration renames them). A table rename goes in an expand of
/// its own. Each kind refuses what it cannot do (a column a key or index uses, an identity
/// column, ...), with the reason.
pub fn expansions(
    plan: &Plan,
    current: &Schema,
    desired: &Schema,
) -> Result<Vec<Expansion>, ExpandError> {
    if !matches!(current.dialect, autogen_schema::Dialect::Postgres) {
        return Err(ExpandError::NotPostgres);
    }
    // The drop+add pairs the PostgreSQL lowering makes renames of, after a table rename.
    let kept = crate::postgres::keep::kept_objects(&plan.changes);
    let mut out: Vec<Expansion> = plan
        .changes
        .iter()
        .filter_map(|change| {
            let Change::RenameTable { from, to, .. } = change else {
                return None;
            };
            Some(Expansion::TableRename(TableRename {
                from: from.clone(),
                to: to.clone(),
                changes: vec![change.clone()],
                up: Vec::new(),
                down: Vec::new(),
            }))
        })
        .collect();
    let mut others = Vec::new();
    for (i, change) in plan.changes.iter().enumerate() {
        match change {
            // Taken before the loop: the pairs that go with it may come first.
            Change::RenameTable { .. } => {}
            Change::RenameColumn { table, from, to } => {
                match (column(current, table, from), column(desired, table, to)) {
                    (Some(old), Some(new)) => out.push(Expansion::Column(ColumnChange {
                        table: table.clone(),
                        old: old.clone(),
                        new: new.clone(),
                    })),
                    (None, _) | (_, None) => others.push(describe(change)),
                }
            }
            Change::AlterColumn {
                table,
                from,
                to,
                backfill,
            } => alter_column(&mut out, desired, table, from, to, backfill.as_deref()),
            Change::DropForeignKey { table, constraint }
            | Change::AddForeignKey { table, constraint }
                if kept.contains_key(&i) =>
            {
                let points_at = Some(&constraint.referenced_table);
                match table_rename::owner(&mut out, table, points_at) {
                    Some(rename) => rename.changes.push(change.clone()),
                    None => others.push(describe(change)),
                }
            }
            Change::DropPrimaryKey { table, .. }
            | Change::AddPrimaryKey { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropCheck { table, .. }
            | Change::AddCheck { table, .. }
            | Change::CreateIndex { table, .. }
            | Change::DropIndex { table, .. }
                if kept.contains_key(&i) =>
            {
                match table_rename::owner(&mut out, table, None) {
                    Some(rename) => rename.changes.push(change.clone()),
                    None => others.push(describe(change)),
                }
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
            | Change::SetTableComment { .. }
            | Change::AddColumn { .. }
            | Change::DropColumn { .. }
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
            // PostgreSQL's views, functions, policies, ...: nothing to keep in step.
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
            | Change::AlterObject { .. } => others.push(describe(change)),
        }
    }
    // A run of alters that ends where it began, or changes more than nullability and the
    // default, is no column becoming NOT NULL.
    out.retain(|e| match e {
        Expansion::NotNull(n) if !is_not_null(n) => {
            others.push(format!("AlterColumn of {}.{}", n.table, n.old.name));
            false
        }
        Expansion::NotNull(_) | Expansion::Column(_) | Expansion::TableRename(_) => true,
    });
    if !others.is_empty() {
        return Err(ExpandError::OtherChanges(others.join(", ")));
    }
    if out.is_empty() {
        return Err(ExpandError::Nothing);
    }
    if out.len() > 1 && out.iter().any(|e| matches!(e, Expansion::TableRename(_))) {
        let rest: Vec<String> = out.iter().map(Expansion::summary).collect();
        return Err(ExpandError::TableRenameNotAlone(rest.join(", ")));
    }
    for e in &mut out {
        match e {
            Expansion::Column(c) => c.refuse_unsupported(current)?,
            Expansion::NotNull(n) => n.refuse_unsupported(current)?,
            Expansion::TableRename(r) => r.lower(plan, current)?,
        }
    }
    Ok(out)
}

/// An `AlterColumn`: part of a column change (a type change, or any alter after a rename of
/// the column), else part of a column becoming NOT NULL. The backfill of a NOT NULL comes as
/// a run of alters of one column (a temporary default, NOT NULL, the models' default): the
/// run is one expansion, from its first `from` to the desired column, filled with the
/// expression or the default of the alter that makes it NOT NULL.
fn alter_column(
    out: &mut Vec<Expansion>,
    desired: &Schema,
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    backfill: Option<&str>,
) {
    let of_column = |e: &Expansion| match e {
        Expansion::Column(c) => &c.table == table && c.new.name == to.name,
        Expansion::NotNull(_) | Expansion::TableRename(_) => false,
    };
    if let Some(Expansion::Column(c)) = out.iter_mut().find(|e| of_column(e)) {
        // After a rename (or a type change) in the same plan, the alter names the new column.
        c.new = desired_or(desired, table, to);
        return;
    }
    if from.ty != to.ty || from.collation != to.collation {
        out.push(Expansion::Column(ColumnChange {
            table: table.clone(),
            old: from.clone(),
            new: desired_or(desired, table, to),
        }));
        return;
    }
    let position = out.iter().position(|e| match e {
        Expansion::NotNull(n) => &n.table == table && n.new.name == to.name,
        Expansion::Column(_) | Expansion::TableRename(_) => false,
    });
    let index = position.unwrap_or_else(|| {
        out.push(Expansion::NotNull(NotNull {
            table: table.clone(),
            old: from.clone(),
            new: desired_or(desired, table, to),
            fill: None,
            fill_reads_row: false,
        }));
        out.len() - 1
    });
    if let Some(Expansion::NotNull(n)) = out.get_mut(index)
        && from.nullable
        && !to.nullable
    {
        n.fill = backfill.map(str::to_owned).or_else(|| {
            fills_nulls_with_default(to)
                .then(|| to.default.clone())
                .flatten()
        });
        n.fill_reads_row = backfill.is_some();
    }
}

/// Nullable before, NOT NULL after, and nothing else changed but the default.
fn is_not_null(n: &NotNull) -> bool {
    let same_but_nullability_and_default = Column {
        nullable: n.new.nullable,
        default: n.new.default.clone(),
        ..n.old.clone()
    } == n.new;
    n.old.nullable && !n.new.nullable && same_but_nullability_and_default
}

fn describe(change: &Change) -> String {
    let text = format!("{change:?}");
    text.split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn column<'a>(schema: &'a Schema, table: &QualifiedName, name: &str) -> Option<&'a Column> {
    current_table(schema, table)?
        .columns
        .iter()
        .find(|c| c.name == name)
}

fn desired_or(desired: &Schema, table: &QualifiedName, to: &Column) -> Column {
    column(desired, table, &to.name)
        .cloned()
        .unwrap_or_else(|| to.clone())
}
