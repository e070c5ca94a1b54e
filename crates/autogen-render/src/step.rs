//! The layer between a [`Plan`] and its SQL (after Atlas's `migrate.Plan`): each dialect lowers
//! the plan's changes into steps, and everything downstream (the statements, the migration
//! files and their headers, the reports, reversibility, the `--allow-data-loss` refusal) reads
//! the steps instead of guessing what SQL a change became.

use autogen_diff::{Hazard, Plan};
use autogen_schema::Dialect;
use serde::Serialize;

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
}

/// True when no step destroys data or anything its inverse cannot restore.
pub fn is_reversible(steps: &[Step]) -> bool {
    !steps
        .iter()
        .flat_map(|s| &s.hazards)
        .any(|(_, h)| h.kind.loses_data())
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
            Transaction::CommitAfter | Transaction::Shared | Transaction::Own => {}
        }
    }
    let own = steps.iter().any(|s| match s.transaction {
        Transaction::Own => true,
        Transaction::Shared | Transaction::CommitAfter => false,
    });
    match dialect {
        Dialect::Sqlite if own => sqlite::own_transaction(out),
        // Only SQLite asks for a transaction of its own.
        Dialect::Sqlite | Dialect::Postgres | Dialect::MySql => out,
    }
}
