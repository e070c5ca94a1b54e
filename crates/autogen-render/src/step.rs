//! The layer between a [`Plan`] and its SQL (after Atlas's `migrate.Plan`): each dialect lowers
//! the plan's changes into steps, and everything downstream (the statements, the migration
//! files and their headers, the reports, reversibility, the `--allow-data-loss` refusal) reads
//! the steps instead of guessing what SQL a change became.

use autogen_diff::{Hazard, Plan};
use autogen_schema::Dialect;
use serde::Serialize;

use crate::lower::LowerOptions;
use crate::{Boundary, Statement, sqlite};

/// One unit of a migration: the SQL that realises some of the plan's changes, what undoes it,
/// what can go wrong, and how it may share a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The changes this step realises, as indexes into the plan's `changes`, ascending. Usually
    /// one; a SQLite rebuild realises consecutive changes of one table, a MySQL key group the
    /// changes that one `ALTER TABLE` must hold together. A change with no SQL on the dialect
    /// (a SQLite enum) still has its step, with no statements.
    pub changes: Vec<usize>,
    /// The statements, in order, each without its trailing `;`.
    pub sql: Vec<String>,
    /// The statements of the down migration that undo this step, in the order the down file
    /// runs them. They are the down plan's own steps (`plan.inverse()` lowered, which is what
    /// the down file contains), each given to the up step whose change it inverts.
    pub inverse: Vec<String>,
    /// What can go wrong, each with the change (index into the plan) it belongs to. Judged
    /// once, by the lowering, knowing what the plan creates and what SQL was chosen.
    pub hazards: Vec<(usize, Hazard)>,
    pub transaction: Transaction,
}

/// How a step may share a transaction with the steps around it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transaction {
    /// Runs in the migration's transaction with the steps around it.
    #[default]
    Shared,
    /// What the steps so far did must be committed before the next step runs (PostgreSQL: a
    /// label from `ALTER TYPE .. ADD VALUE` that a later step uses), so the migration's
    /// transaction ends after this step and a new one begins.
    CommitAfter,
    /// Needs a transaction the migration opens itself, outside sqlx's, with something set
    /// around it that a transaction cannot change (SQLite: a rebuild or a drop with
    /// `PRAGMA foreign_keys` off). The file's steps then all run in that one transaction.
    Own,
    /// Cannot run inside any transaction, nor next to another statement in one query string
    /// (PostgreSQL: `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, which PostgreSQL
    /// refuses in a multi-statement query too): the step is a migration of its own, one
    /// statement, marked `-- no-transaction` (see [`crate::migration_files`]).
    Alone,
}

/// A plan lowered for one dialect: its steps, and the down plan's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steps {
    pub dialect: Dialect,
    /// The up migration's steps, in order.
    pub up: Vec<Step>,
    /// The down plan (`plan.inverse()`): the up plan's changes inverted, in reverse order.
    pub down_plan: Plan,
    /// The down plan's steps: the down file runs these.
    pub down: Vec<Step>,
    /// The options the plan was lowered with (the files read the timeouts).
    pub options: LowerOptions,
}

impl Steps {
    /// Every hazard of the up migration, with the index of its change.
    pub fn hazards(&self) -> impl Iterator<Item = &(usize, Hazard)> {
        self.up.iter().flat_map(|s| &s.hazards)
    }

    /// Whether the down migration gives back every row and value the up migration touched:
    /// false when a step destroys data or something its inverse cannot restore.
    pub fn is_reversible(&self) -> bool {
        is_reversible(&self.up)
    }

    pub fn up_statements(&self) -> Vec<Statement> {
        statements(self.dialect, &self.up)
    }

    pub fn down_statements(&self) -> Vec<Statement> {
        statements(self.dialect, &self.down)
    }

    /// The up step that down step `down` undoes: the last up step realising the change its
    /// first change inverts (a change lowered into several steps is undone after its last).
    pub fn owner_of_down(&self, down: usize) -> Option<usize> {
        owner(&self.up, &self.down[down], self.down_plan.changes.len())
    }
}

/// The step of `steps` that `other` (a step of the opposite direction) undoes: the last one
/// realising the change `other`'s first change inverts. The plans have `n` changes each.
pub(crate) fn owner(steps: &[Step], other: &Step, n: usize) -> Option<usize> {
    let &first = other.changes.first()?;
    let inverted = n.checked_sub(1 + first)?;
    steps.iter().rposition(|s| s.changes.contains(&inverted))
}

/// True when no step destroys data or anything its inverse cannot restore.
pub fn is_reversible(steps: &[Step]) -> bool {
    !steps
        .iter()
        .flat_map(|s| &s.hazards)
        .any(|(_, h)| h.kind.loses_data())
}

/// The statements of `steps` (some of a plan's, lowered for `dialect`), as they run.
pub fn statements_of(dialect: Dialect, steps: &[Step]) -> Vec<Statement> {
    statements(dialect, steps)
}

/// The steps' statements as they run, with the transaction boundaries the steps ask for.
pub(crate) fn statements(dialect: Dialect, steps: &[Step]) -> Vec<Statement> {
    let mut out = Vec::new();
    for step in steps {
        out.extend(step.sql.iter().map(Statement::new));
        match step.transaction {
            Transaction::CommitAfter if !step.sql.is_empty() => {
                if let Some(last) = out.last_mut() {
                    last.boundary = Boundary::CommitAfter;
                }
            }
            Transaction::CommitAfter
            | Transaction::Shared
            | Transaction::Own
            | Transaction::Alone => {}
        }
    }
    let own = steps.iter().any(|s| match s.transaction {
        Transaction::Own => true,
        Transaction::Shared | Transaction::CommitAfter | Transaction::Alone => false,
    });
    match dialect {
        Dialect::Sqlite if own => sqlite::own_transaction(out),
        // Only SQLite asks for a transaction of its own.
        Dialect::Sqlite | Dialect::Postgres | Dialect::MySql => out,
    }
}
