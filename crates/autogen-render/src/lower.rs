//! `lower(plan, dialect)`: the dialect module turns the plan's changes into drafts (the SQL it
//! chose), then hazards are judged once per change with what the plan creates and what that
//! SQL does, and each step is given the down migration's statements that undo it.

use std::collections::BTreeSet;

use autogen_diff::{HazardContext, Plan, created_tables, hazards};
use autogen_schema::{Dialect, QualifiedName};

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

/// The plan lowered for `dialect`: its steps with their hazards and inverses, and the down
/// plan's steps (what the down file runs).
pub fn lower(plan: &Plan, dialect: Dialect) -> Result<Steps, RenderError> {
    let down_plan = plan.inverse().map_err(|e| RenderError::DoesNotApply {
        reason: e.to_string(),
    })?;
    let mut up = lower_one_way(plan, dialect)?;
    let mut down = lower_one_way(&down_plan, dialect)?;
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
    })
}

/// The steps of `plan` alone, with hazards but no inverses (nothing lowers the down plan).
pub(crate) fn lower_one_way(plan: &Plan, dialect: Dialect) -> Result<Vec<Step>, RenderError> {
    let drafts = match dialect {
        Dialect::Postgres => postgres::lower(&plan.changes)?,
        Dialect::Sqlite => sqlite::lower(plan)?,
        Dialect::MySql => mysql::lower(&plan.changes)?,
    };
    let new_tables = created_tables(&plan.changes);
    Ok(drafts
        .into_iter()
        .map(|draft| {
            let hazards = draft
                .changes
                .iter()
                .flat_map(|&i| {
                    let context = HazardContext {
                        dialect,
                        new_tables: &new_tables,
                        fills_nulls: draft.fills_nulls.contains(&i),
                        rebuilds: draft.rebuilds.as_ref(),
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

/// For each of `steps`, the statements of `other` (the opposite direction's steps) that undo
/// it. The other plan's change `j` inverts this plan's change `n - 1 - j`; each other step goes
/// to the step realising the change its first change inverts, so every statement of the other
/// direction belongs to exactly one step.
fn inverses(steps: &[Step], other: &[Step], n: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); steps.len()];
    for step in other {
        let Some(&first) = step.changes.first() else {
            continue;
        };
        let inverted = n - 1 - first;
        if let Some(owner) = steps.iter().position(|s| s.changes.contains(&inverted)) {
            out[owner].extend(step.sql.iter().cloned());
        }
    }
    out
}
