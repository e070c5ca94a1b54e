use autogen_diff::Plan;
use autogen_schema::Dialect;
use serde::Serialize;

use crate::RenderError;
use crate::lower::lower_one_way;
use crate::step::statements;

/// One SQL statement of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The statement, without the trailing `;`.
    pub sql: String,
    /// Whether the transaction must end after this statement (from its step's
    /// [`crate::Transaction`]).
    #[serde(skip_serializing_if = "Boundary::is_none")]
    pub boundary: Boundary,
}

/// Where a migration's transaction may end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// Shares one transaction with the statements around it.
    #[default]
    None,
    /// The statements after this one use something an earlier statement added that PostgreSQL
    /// only lets them use once it is committed (a label from `ALTER TYPE .. ADD VALUE`), so the
    /// migration is split here into two, each atomic on its own.
    CommitAfter,
    /// The statement must run outside any transaction (SQLite's `PRAGMA foreign_keys`, a no-op
    /// inside one): the file runs without sqlx's transaction, and the renderer writes the
    /// `BEGIN`/`COMMIT` of the statements around it itself.
    OutsideTransaction,
}

impl Boundary {
    pub fn is_none(&self) -> bool {
        *self == Boundary::None
    }
}

impl Statement {
    pub(crate) fn new(sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            boundary: Boundary::None,
        }
    }
}

/// The statements that apply `plan` on `dialect`, in order: its steps' statements (see
/// [`crate::lower`], which also gives the down migration's). The down migration is
/// `render(&plan.inverse()?, dialect)`.
pub fn render(plan: &Plan, dialect: Dialect) -> Result<Vec<Statement>, RenderError> {
    Ok(statements(dialect, &lower_one_way(plan, dialect)?))
}

/// The statements as one script: each ends with `;` and a blank line separates them; where a
/// transaction must end, a comment says so.
pub fn script(statements: &[Statement]) -> String {
    let mut out = String::new();
    for (i, statement) in statements.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&statement.sql);
        out.push_str(";\n");
        let more_follow = i + 1 < statements.len();
        match statement.boundary {
            Boundary::None | Boundary::OutsideTransaction => {}
            Boundary::CommitAfter if more_follow => {
                out.push_str("-- commit here: the statements below need what the ones above did committed (a new enum label, a NOT VALID constraint to validate without its lock)\n")
            }
            Boundary::CommitAfter => {}
        }
    }
    out
}

/// The statements grouped into the transactions they must run in: a new group starts after
/// each [`Boundary::CommitAfter`]. Never yields an empty group.
pub fn transactions(statements: &[Statement]) -> Vec<&[Statement]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, statement) in statements.iter().enumerate() {
        match statement.boundary {
            Boundary::None | Boundary::OutsideTransaction => {}
            Boundary::CommitAfter => {
                out.push(&statements[start..=i]);
                start = i + 1;
            }
        }
    }
    if start < statements.len() {
        out.push(&statements[start..]);
    }
    out
}
