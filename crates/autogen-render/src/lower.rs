//! `lower(plan, dialect)`: the dialect module turns the plan's changes into drafts (the SQL it
//! chose), then hazards are judged once per change with what the plan creates and what that
//! SQL does, and each step is given the down migration's statements that undo it.

use std::collections::BTreeSet;

use autogen_diff::{Change, HazardContext, Plan, created_tables, hazards};
use autogen_schema::{Column, Dialect, QualifiedName, needs_placeholder, placeholder_value};

use crate::step::owner;
use crate::{RenderError, Step, Steps, Transaction, mysql, postgres, sqlite};

/// A step as a dialect module chose it, before hazards and inverse are known, with the facts
/// of its SQL that the hazard rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Draft {
    /// As [`Step::changes`].
    pub changes: Vec<usize>,
    pub sql: Vec<String>,
    pub transaction: Transaction,
    /// The changes among `changes` whose SQL fills NULLs with the column's default before the
    /// column becomes NOT NULL.
    pub fills_nulls: BTreeSet<usize>,
    /// The table this draft rebuilds to make its changes (SQLite), if it does.
    pub rebuilds: Option<QualifiedName>,
    /// The changes among `changes` whose SQL gives the existing rows of a NOT NULL column
    /// without a default its placeholder value (SQLite: a down file adding back a dropped
    /// column in a rebuild).
    pub fills_placeholder: BTreeSet<usize>,
    /// The changes among `changes` whose SQL avoids the lock that blocks writes for a scan or
    /// a build (PostgreSQL's lock-safe forms: `CONCURRENTLY`, `NOT VALID` + `VALIDATE`).
    pub lock_safe: BTreeSet<usize>,
    /// The changes among `changes` that this draft realises as renames of objects a renamed
    /// table keeps (PostgreSQL: a drop and an add of the same key under the new default name),
    /// which neither build nor check anything.
    pub renames: BTreeSet<usize>,
}

/// How a plan is lowered. The timeouts go at the top of every PostgreSQL migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerOptions {
    /// PostgreSQL: changes to tables that exist before the plan take the forms that do not
    /// block writes for a scan or a build (`CREATE INDEX CONCURRENTLY`, `NOT VALID` +
    /// `VALIDATE CONSTRAINT`, `SET NOT NULL` through a validated check, a unique key or primary
    /// key through a concurrent unique index). No effect on SQLite or MySQL.
    pub lock_safe: bool,
    /// PostgreSQL `lock_timeout` (`'5s'`): how long a statement waits for its lock before the
    /// migration fails, instead of queueing the traffic behind it. `None`: not set.
    pub lock_timeout: Option<String>,
    /// PostgreSQL `statement_timeout` (`'0'`: no limit). `None`: not set.
    pub statement_timeout: Option<String>,
}

impl Default for LowerOptions {
    /// What `autogen -m` writes unless autogen.toml says otherwise: lock-safe, a statement
    /// waits at most 5 s for a lock, and no statement limit (the long statements of a
    /// lock-safe plan, a concurrent build or a validation, do not block writes while they run;
    /// a role's own `statement_timeout` would cut them off).
    fn default() -> LowerOptions {
        LowerOptions {
            lock_safe: true,
            lock_timeout: Some("5s".to_owned()),
            statement_timeout: Some("0".to_owned()),
        }
    }
}

impl LowerOptions {
    /// The statements as written, nothing set around them: [`lower`]'s options.
    pub fn plain() -> LowerOptions {
        LowerOptions {
            lock_safe: false,
            lock_timeout: None,
            statement_timeout: None,
        }
    }
}

/// What a dialect module may do with one direction of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mode {
    /// Lock-safe forms (see [`LowerOptions::lock_safe`]).
    pub lock_safe: bool,
    /// Steps that must be migrations of their own ([`Transaction::Alone`]) are allowed. Not in
    /// the down plan: the down file of a migration is one file, so it builds and drops indexes
    /// the plain way (its hazards say which lock that takes).
    pub alone: bool,
    /// The plan is a down plan: a column it adds to an existing table is one the up plan
    /// dropped, and the rows the up plan left need a value in it (`restore_columns`).
    pub restores: bool,
}

impl Draft {
    /// A draft for change `change` alone, sharing the migration's transaction.
    pub fn one(change: usize, sql: Vec<String>) -> Draft {
        Draft {
            changes: vec![change],
            sql,
            ..Draft::default()
        }
    }
}

/// The plan lowered for `dialect` with [`LowerOptions::plain`]: its steps with their hazards
/// and inverses, and the down plan's steps (what the down file runs).
pub fn lower(plan: &Plan, dialect: Dialect) -> Result<Steps, RenderError> {
    lower_with(plan, dialect, &LowerOptions::plain())
}

/// As [`lower`], with `options` (what `autogen -m` uses: lock-safe by default).
pub fn lower_with(
    plan: &Plan,
    dialect: Dialect,
    options: &LowerOptions,
) -> Result<Steps, RenderError> {
    let down_plan = plan.inverse().map_err(|e| RenderError::DoesNotApply {
        reason: e.to_string(),
    })?;
    let up_mode = Mode {
        lock_safe: options.lock_safe,
        alone: true,
        restores: false,
    };
    let down_mode = Mode {
        lock_safe: options.lock_safe,
        alone: false,
        restores: true,
    };
    let mut up = lower_mode(plan, dialect, up_mode)?;
    let mut down = lower_mode(&down_plan, dialect, down_mode)?;
    let n = plan.changes.len();
    let up_inverses = inverses(&up, &down, n);
    let down_inverses = inverses(&down, &up, n);
    for (step, inverse) in up.iter_mut().zip(up_inverses) {
        step.inverse = inverse;
    }
    for (step, inverse) in down.iter_mut().zip(down_inverses) {
        step.inverse = inverse;
    }
    Ok(Steps {
        dialect,
        up,
        down_plan,
        down,
        options: options.clone(),
    })
}

/// The steps of `plan` alone, with hazards but no inverses (nothing lowers the down plan).
pub(crate) fn lower_one_way(plan: &Plan, dialect: Dialect) -> Result<Vec<Step>, RenderError> {
    lower_mode(
        plan,
        dialect,
        Mode {
            lock_safe: false,
            alone: false,
            restores: false,
        },
    )
}

/// As [`lower_one_way`], in `mode`.
pub(crate) fn lower_mode(
    plan: &Plan,
    dialect: Dialect,
    mode: Mode,
) -> Result<Vec<Step>, RenderError> {
    let new_tables = created_tables(&plan.changes);
    let restored = if mode.restores {
        restored_columns(plan, dialect, &new_tables)
    } else {
        Vec::new()
    };
    let with_placeholders;
    let plan = if restored.is_empty() {
        plan
    } else {
        let mut changes = plan.changes.clone();
        for (i, filled) in &restored {
            if let Change::AddColumn { column, .. } = &mut changes[*i] {
                *column = filled.clone();
            }
        }
        with_placeholders = Plan {
            changes,
            ..plan.clone()
        };
        &with_placeholders
    };
    let mut drafts = match dialect {
        Dialect::Postgres => {
            // A partitioned table takes none of the lock-safe forms: PostgreSQL builds or drops
            // no index of one concurrently, adds no key to one `USING INDEX` and no foreign key
            // `NOT VALID`; it is built as a new table is.
            let mut plain = new_tables.clone();
            plain.extend(partitioned_tables(plan));
            postgres::lower(&plan.changes, &plain, mode)?
        }
        Dialect::Sqlite => sqlite::lower(plan, mode)?,
        Dialect::MySql => mysql::lower(plan)?,
    };
    for (i, _) in &restored {
        drop_placeholder_default(plan, *i, dialect, &mut drafts)?;
    }
    // A change lowered into several drafts has its hazards judged once, on the first.
    let mut judged = BTreeSet::new();
    Ok(drafts
        .into_iter()
        .map(|draft| {
            let hazards = draft
                .changes
                .iter()
                .filter(|&&i| judged.insert(i))
                .filter(|&i| !draft.renames.contains(i))
                .flat_map(|&i| {
                    let context = HazardContext {
                        dialect,
                        new_tables: &new_tables,
                        fills_nulls: draft.fills_nulls.contains(&i),
                        rebuilds: draft.rebuilds.as_ref(),
                        lock_safe: draft.lock_safe.contains(&i),
                        fills_placeholder: draft.fills_placeholder.contains(&i),
                    };
                    hazards(&plan.changes[i], &context)
                        .into_iter()
                        .map(move |h| (i, h))
                })
                .collect();
            Step {
                changes: draft.changes,
                sql: draft.sql,
                inverse: Vec::new(),
                hazards,
                transaction: draft.transaction,
            }
        })
        .collect())
}

/// The columns a down plan adds back to tables with rows that need placeholder values
/// (`autogen_schema::needs_placeholder`), by change, each with the placeholder as its default.
/// PostgreSQL and MySQL; SQLite's rebuilds fill columns their own way.
fn restored_columns(
    plan: &Plan,
    dialect: Dialect,
    new_tables: &BTreeSet<QualifiedName>,
) -> Vec<(usize, Column)> {
    if matches!(dialect, Dialect::Sqlite) {
        return Vec::new();
    }
    plan.changes
        .iter()
        .enumerate()
        .filter_map(|(i, change)| {
            let Change::AddColumn { table, column } = change else {
                return None;
            };
            if new_tables.contains(table) || !needs_placeholder(column) {
                return None;
            }
            let value = placeholder_value(&column.ty, dialect)?;
            Some((
                i,
                Column {
                    default: Some(value),
                    ..column.clone()
                },
            ))
        })
        .collect()
}

/// After the column `plan.changes[i]` re-added with a placeholder default, the default goes
/// (the dialect's own statement for that change), in the same draft.
fn drop_placeholder_default(
    plan: &Plan,
    i: usize,
    dialect: Dialect,
    drafts: &mut [Draft],
) -> Result<(), RenderError> {
    let Change::AddColumn { table, column } = &plan.changes[i] else {
        return Ok(());
    };
    let drop = Plan {
        changes: vec![Change::AlterColumn {
            table: table.clone(),
            from: column.clone(),
            to: Column {
                default: None,
                ..column.clone()
            },
            backfill: None,
        }],
        rename_hints: Vec::new(),
        before: None,
        partitioned: plan.partitioned.clone(),
    };
    let sql: Vec<String> = lower_one_way(&drop, dialect)?
        .into_iter()
        .flat_map(|step| step.sql)
        .collect();
    if let Some(draft) = drafts.iter_mut().rev().find(|d| d.changes.contains(&i)) {
        draft.sql.extend(sql);
    }
    Ok(())
}

/// For each of `steps`, the statements of `other` (the opposite direction's steps) that undo
/// it. The other plan's change `j` inverts this plan's change `n - 1 - j`; each other step goes
/// to the (last) step realising the change its first change inverts, so every statement of the
/// other direction belongs to exactly one step.
fn inverses(steps: &[Step], other: &[Step], n: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); steps.len()];
    for step in other {
        if let Some(owner) = owner(steps, step, n) {
            out[owner].extend(step.sql.iter().cloned());
        }
    }
    out
}

/// The partitioned tables a plan touches: those the differ saw on either side, those it
/// creates or drops, and the parents it attaches a partition to or detaches one from.
fn partitioned_tables(plan: &Plan) -> BTreeSet<QualifiedName> {
    let mut out = plan.partitioned.clone();
    for change in &plan.changes {
        if let Change::CreateTable { name, definition } | Change::DropTable { name, definition } =
            change
            && definition.postgres.partition_by.is_some()
        {
            out.insert(name.clone());
        }
        if let Change::AttachPartition { partition, .. }
        | Change::DetachPartition { partition, .. } = change
        {
            out.insert(partition.parent.clone());
        }
    }
    out
}
