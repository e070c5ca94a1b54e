//! The text of a migration pair: a comment header (the message, the changes in plain words,
//! the hazards) and the statements. No clock and no paths: the same plan and message give
//! byte-identical files, which matters because sqlx checksums them.

use std::collections::BTreeSet;

use autogen_diff::Plan;
use autogen_schema::{Dialect, quote_literal};

use crate::step::statements;
use crate::summary::{summary_of, summary_of_changes};
use crate::{
    Boundary, LowerOptions, RenderError, Statement, Step, Steps, Transaction, lower, transactions,
};

/// The up and down files' contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationText {
    pub up: String,
    pub down: String,
}

/// The pair for `plan`: the up file runs its steps, the down file the down plan's steps
/// (`plan.inverse()` lowered); each header lists the changes with their steps' hazards.
/// `base`: the version of the folder's newest migration when this one was generated (`Some(0)`
/// for the first, on top of base; `None` records nothing), one header line in both files, so
/// two migrations made on the same base show (`autogen status`).
pub fn migration_text(
    plan: &Plan,
    dialect: Dialect,
    message: &str,
    base: Option<i64>,
) -> Result<MigrationText, RenderError> {
    Ok(migration_text_of(
        plan,
        &lower(plan, dialect)?,
        message,
        base,
    ))
}

/// As [`migration_text`], from the plan already lowered: one pair, whatever the steps. Steps
/// lowered lock-safe may need several ([`Transaction::Alone`]): [`migration_files`] writes them.
pub fn migration_text_of(
    plan: &Plan,
    steps: &Steps,
    message: &str,
    base: Option<i64>,
) -> MigrationText {
    let dialect = steps.dialect;
    let up = steps.up_statements();
    let down = steps.down_statements();
    let mut up_header = header(message, "up", &summary_of(plan, dialect, &steps.up), base);
    let mut down_header = header(
        message,
        "down: reverts it",
        &summary_of(&steps.down_plan, dialect, &steps.down),
        base,
    );
    match dialect {
        Dialect::MySql => {
            for (text, statements) in [(&mut up_header, &up), (&mut down_header, &down)] {
                if statements.len() > 1 {
                    text.push_str(NOT_TRANSACTIONAL);
                }
            }
        }
        Dialect::Postgres | Dialect::Sqlite => {}
    }
    let timeouts = Timeouts::of(dialect, &steps.options);
    MigrationText {
        up: file(&up_header, &up, &timeouts),
        down: file(&down_header, &down, &timeouts),
    }
}

/// The pairs for `plan`, in order: one unless a step must run alone (PostgreSQL's concurrent
/// index builds and drops, [`Transaction::Alone`]), which then is a pair of its own between
/// the pairs of the steps before and after it. Each up file is atomic where it can be; the
/// down file of pair k undoes pair k (the down steps whose up step is in it, see
/// [`Steps::owner_of_down`]), so downgrading the pairs newest first undoes the plan.
pub fn migration_files(
    plan: &Plan,
    steps: &Steps,
    message: &str,
    base: Option<i64>,
) -> Vec<MigrationText> {
    let files = file_steps(steps);
    let alone = |up: &[Step]| up.iter().any(|s| s.transaction == Transaction::Alone);
    if files.len() <= 1 && !files.iter().any(|(up, _)| alone(up)) {
        return vec![migration_text_of(plan, steps, message, base)];
    }
    let dialect = steps.dialect;
    let timeouts = Timeouts::of(dialect, &steps.options);
    let n = files.len();
    files
        .into_iter()
        .enumerate()
        .map(|(k, (up, down))| {
            let changes: BTreeSet<usize> = up.iter().flat_map(|s| s.changes.clone()).collect();
            let down_changes: BTreeSet<usize> =
                down.iter().flat_map(|s| s.changes.clone()).collect();
            let part = if n == 1 {
                message.to_owned()
            } else {
                format!("{message} ({} of {n})", k + 1)
            };
            let up_header = header(
                &part,
                "up",
                &summary_of_changes(plan, dialect, &up, &changes),
                base,
            );
            let mut down_header = header(
                &part,
                "down: reverts it",
                &summary_of_changes(&steps.down_plan, dialect, &down, &down_changes),
                base,
            );
            if down.iter().all(|s| s.sql.is_empty()) {
                down_header.push_str(
                    "--\n-- Nothing to undo here: the down file of a later pair removes what this \
                     one built.\n",
                );
            }
            let up_text = if alone(&up) {
                alone_file(&up_header, &statements(dialect, &up))
            } else {
                file(&up_header, &statements(dialect, &up), &timeouts)
            };
            MigrationText {
                up: up_text,
                down: file(&down_header, &statements(dialect, &down), &timeouts),
            }
        })
        .collect()
}

/// The steps of each migration pair of [`migration_files`], in order: (up steps, down steps).
/// One pair unless a step must run alone.
pub fn file_steps(steps: &Steps) -> Vec<(Vec<Step>, Vec<Step>)> {
    let segments = segments(&steps.up);
    if segments.len() <= 1 {
        return vec![(steps.up.clone(), steps.down.clone())];
    }
    let last = segments.len() - 1;
    let mut downs: Vec<Vec<Step>> = vec![Vec::new(); segments.len()];
    for (d, step) in steps.down.iter().enumerate() {
        let k = steps
            .owner_of_down(d)
            .and_then(|owner| segments.iter().position(|s| s.contains(&owner)))
            .unwrap_or(last);
        downs[k].push(step.clone());
    }
    segments
        .into_iter()
        .zip(downs)
        .map(|(segment, down)| (segment.iter().map(|&i| steps.up[i].clone()).collect(), down))
        .collect()
}

/// The up steps in files: a run of steps that may share one, or one step that must be alone.
fn segments(steps: &[Step]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match step.transaction {
            Transaction::Alone => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(vec![i]);
            }
            Transaction::Shared | Transaction::CommitAfter | Transaction::Own => current.push(i),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A migration of one statement that PostgreSQL runs only outside a transaction and alone in
/// its query string: no `SET` can go with it.
fn alone_file(header: &str, statements: &[Statement]) -> String {
    let mut out = String::from("-- no-transaction\n");
    out.push_str(header);
    out.push_str(
        "--\n-- Runs alone, outside a transaction: PostgreSQL refuses a concurrent index build or\n\
         -- drop inside one or next to another statement, so no lock_timeout is set here. It\n\
         -- takes a SHARE UPDATE EXCLUSIVE lock: reads and writes continue while it runs. If it\n\
         -- fails, an invalid index stays behind; the next revision drops it and builds it again.\n",
    );
    for statement in statements {
        out.push('\n');
        out.push_str(&statement.sql);
        out.push_str(";\n");
    }
    out
}

/// The PostgreSQL settings at the top of a file, as `(name, value)`.
struct Timeouts(Vec<(&'static str, String)>);

impl Timeouts {
    fn of(dialect: Dialect, options: &LowerOptions) -> Timeouts {
        match dialect {
            Dialect::Postgres => Timeouts(
                [
                    ("lock_timeout", &options.lock_timeout),
                    ("statement_timeout", &options.statement_timeout),
                ]
                .into_iter()
                .filter_map(|(name, value)| value.as_ref().map(|v| (name, v.clone())))
                .collect(),
            ),
            Dialect::Sqlite | Dialect::MySql => Timeouts(Vec::new()),
        }
    }

    /// Inside sqlx's transaction, `SET LOCAL`: the settings end with the migration and do
    /// not stay on the connection.
    fn local(&self) -> String {
        self.0
            .iter()
            .map(|(name, value)| format!("SET LOCAL {name} = {};\n", quote_literal(value)))
            .collect()
    }

    /// Outside one (a file with its own BEGIN/COMMIT groups), `SET` for the session, and
    /// `RESET` at the end so the connection is left as it was.
    fn session(&self) -> (String, String) {
        let set = self
            .0
            .iter()
            .map(|(name, value)| format!("SET {name} = {};\n", quote_literal(value)))
            .collect();
        let reset = self
            .0
            .iter()
            .map(|(name, _)| format!("RESET {name};\n"))
            .collect();
        (set, reset)
    }
}

/// MySQL and MariaDB commit each DDL statement on its own: the transaction sqlx wraps a
/// migration in does not hold them together.
const NOT_TRANSACTIONAL: &str = "--\n\
    -- MySQL commits each statement on its own: if one fails, the ones before it stay applied.\n\
    -- `autogen upgrade` runs them one by one and reports the last one that succeeded.\n";

/// A pair for a hand-written migration (`revision --empty`).
pub fn empty_migration_text(message: &str, base: Option<i64>) -> MigrationText {
    let note = "-- Hand-written migration: put its SQL below.\n";
    MigrationText {
        up: format!("{}{note}", header(message, "up", "", base)),
        down: format!("{}{note}", header(message, "down: reverts it", "", base)),
    }
}

fn header(message: &str, side: &str, summary: &str, base: Option<i64>) -> String {
    let mut out = crate::comment::comment_lines(message);
    out.push_str(&format!("-- ({side}; generated by autogen)\n"));
    out.push_str(&crate::comment::base_line(base));
    if !summary.is_empty() {
        out.push_str("--\n");
        for line in summary.lines() {
            out.push_str(&format!("-- {line}\n"));
        }
    }
    out
}

/// Statements that must commit before later ones use their result (a new enum label) cannot
/// share one transaction: such a file runs outside sqlx's transaction (`-- no-transaction`,
/// which sqlx wants on the very first line) and wraps each group in its own BEGIN/COMMIT, so
/// each group stays atomic.
fn file(header: &str, statements: &[Statement], timeouts: &Timeouts) -> String {
    let groups = transactions(statements);
    let needs_split = statements.iter().any(|s| match s.boundary {
        Boundary::CommitAfter => true,
        Boundary::None | Boundary::OutsideTransaction => false,
    }) && groups.len() > 1;
    let own_transaction = statements.iter().any(|s| match s.boundary {
        Boundary::OutsideTransaction => true,
        Boundary::None | Boundary::CommitAfter => false,
    });
    let mut out = String::new();
    if needs_split || own_transaction {
        out.push_str("-- no-transaction\n");
    }
    out.push_str(header);
    if own_transaction {
        out.push_str(
            "--\n-- Runs outside sqlx's transaction: SQLite only turns foreign keys off between\n\
             -- transactions. The statements below are one transaction of their own (BEGIN/COMMIT),\n\
             -- checked with PRAGMA foreign_key_check before it commits.\n",
        );
    }
    if needs_split {
        out.push_str(&format!(
            "--\n-- Runs as {} transactions: a new enum value must be committed before it is used, or\n\
             -- a constraint added NOT VALID before it is validated without blocking writes.\n\
             -- If a later one fails, the earlier ones stay applied.\n",
            groups.len()
        ));
    }
    let no_transaction = needs_split || own_transaction;
    let (set, reset) = timeouts.session();
    if !timeouts.0.is_empty() {
        out.push('\n');
        out.push_str(&if no_transaction {
            set
        } else {
            timeouts.local()
        });
    }
    for group in groups {
        out.push('\n');
        if needs_split {
            out.push_str("BEGIN;\n");
        }
        for statement in group {
            out.push_str(&statement.sql);
            out.push_str(";\n");
        }
        if needs_split {
            out.push_str("COMMIT;\n");
        }
    }
    if no_transaction && !timeouts.0.is_empty() {
        out.push('\n');
        out.push_str(&reset);
    }
    out
}
