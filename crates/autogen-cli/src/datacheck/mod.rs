//! Live-data checks before `autogen -m` writes a migration: for each change the rows can make
//! fail (NOT NULL, UNIQUE, CHECK, FOREIGN KEY, a narrower type, a removed enum label), one
//! bounded query counts the rows that would fail and shows up to five of them.
//!
//! `build` is pure (the plan, its steps and both schemas in, SQL text out), so the queries are
//! unit-tested without a database; this module runs them, each in a read-only transaction that
//! is rolled back, with a statement timeout. It lives in the CLI rather than in the
//! introspector because it reads the plan and the steps (`autogen-diff`, `autogen-render`),
//! which the introspector does not depend on; the connection is still the introspector's.

mod build;

use std::fmt::Write as _;

use autogen_introspect::{connect_mysql, connect_postgres, connect_sqlite};
use autogen_schema::Dialect;
use sqlx::{Connection, Executor, Row};

pub use build::{Checks, DataCheck, data_checks};

/// How long one check may run before it is given up (reported as not checked).
const TIMEOUT_MS: u64 = 10_000;

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No row would fail.
    Passed,
    /// `count` rows would fail; up to five of them, each shown column as text (NULL: `None`).
    Fails {
        count: i64,
        examples: Vec<Vec<Option<String>>>,
    },
    /// The query could not tell (a timeout, a column the same plan adds or renames).
    NotRun(String),
}

/// Runs every check on the database at `url`, one query each.
pub async fn run(
    url: &str,
    dialect: Dialect,
    checks: &[DataCheck],
) -> anyhow::Result<Vec<Outcome>> {
    let mut out = Vec::with_capacity(checks.len());
    match dialect {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            for check in checks {
                let begin = format!(
                    "BEGIN READ ONLY; SET LOCAL statement_timeout = {TIMEOUT_MS}; \
                     SET LOCAL lock_timeout = {TIMEOUT_MS}"
                );
                conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(begin)))
                    .await?;
                // One prepared statement: the server refuses a second command in it.
                let rows = sqlx::query(sqlx::AssertSqlSafe(check.sql.clone()))
                    .fetch_all(&mut conn)
                    .await;
                conn.execute(sqlx::raw_sql("ROLLBACK")).await?;
                out.push(outcome(rows, check.shown.len()));
            }
            let _ = conn.close().await;
        }
        Dialect::Sqlite => {
            let mut conn = connect_sqlite(url).await?;
            for check in checks {
                conn.execute(sqlx::raw_sql("BEGIN")).await?;
                let rows = sqlx::query(sqlx::AssertSqlSafe(check.sql.clone()))
                    .fetch_all(&mut conn)
                    .await;
                conn.execute(sqlx::raw_sql("ROLLBACK")).await?;
                out.push(outcome(rows, check.shown.len()));
            }
            let _ = conn.close().await;
        }
        Dialect::MySql => {
            let mut conn = connect_mysql(url).await?;
            let version: String = sqlx::query_scalar("SELECT VERSION()")
                .fetch_one(&mut conn)
                .await?;
            let seconds = TIMEOUT_MS / 1000;
            for check in checks {
                conn.execute(sqlx::raw_sql("START TRANSACTION READ ONLY"))
                    .await?;
                // MariaDB bounds one statement with `SET STATEMENT`; MySQL with a session value.
                let sql = if version.contains("MariaDB") {
                    format!(
                        "SET STATEMENT max_statement_time = {seconds} FOR {}",
                        check.sql
                    )
                } else {
                    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "SET SESSION max_execution_time = {TIMEOUT_MS}"
                    ))))
                    .await?;
                    check.sql.clone()
                };
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&mut conn)
                    .await;
                conn.execute(sqlx::raw_sql("ROLLBACK")).await?;
                out.push(outcome(rows, check.shown.len()));
            }
            let _ = conn.close().await;
        }
    }
    Ok(out)
}

fn outcome<R>(rows: Result<Vec<R>, sqlx::Error>, width: usize) -> Outcome
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => return Outcome::NotRun(first_line(&e.to_string())),
    };
    let Some(first) = rows.first() else {
        return Outcome::Passed;
    };
    let count = match first.try_get::<i64, _>(0) {
        Ok(count) => count,
        Err(e) => return Outcome::NotRun(first_line(&e.to_string())),
    };
    let mut examples = Vec::new();
    for row in &rows {
        let mut values = Vec::with_capacity(width);
        for n in 1..=width {
            match row.try_get::<Option<String>, _>(n) {
                Ok(value) => values.push(value),
                Err(e) => return Outcome::NotRun(first_line(&e.to_string())),
            }
        }
        examples.push(values);
    }
    Outcome::Fails { count, examples }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

/// The report: a line per check, the failing rows under their check.
pub fn report(checks: &Checks, outcomes: &[Outcome]) -> String {
    let mut text = String::from("data checks:\n");
    for (check, outcome) in checks.checks.iter().zip(outcomes) {
        match outcome {
            Outcome::Passed => {
                let _ = writeln!(text, "  ok    {}: {}", check.table, check.what);
            }
            Outcome::Fails { count, examples } => {
                let _ = writeln!(
                    text,
                    "  FAILS {}: {}: {count} row{} would fail{}",
                    check.table,
                    check.what,
                    if *count == 1 { "" } else { "s" },
                    if examples.is_empty() {
                        String::new()
                    } else if *count as usize > examples.len() {
                        format!(", the first {}:", examples.len())
                    } else {
                        ":".to_owned()
                    }
                );
                for values in examples {
                    let shown: Vec<String> = check
                        .shown
                        .iter()
                        .zip(values)
                        .map(|(name, value)| {
                            format!("{name}={}", value.as_deref().unwrap_or("NULL"))
                        })
                        .collect();
                    let _ = writeln!(text, "          {}", shown.join(", "));
                }
            }
            Outcome::NotRun(reason) => {
                let _ = writeln!(
                    text,
                    "  ?     {}: {}: not checked: {reason}",
                    check.table, check.what
                );
            }
        }
    }
    for unchecked in &checks.unchecked {
        let _ = writeln!(
            text,
            "  ?     {}: {}: not checked: {}",
            unchecked.table, unchecked.what, unchecked.reason
        );
    }
    text
}

/// How many checks found rows that would fail.
pub fn failures(outcomes: &[Outcome]) -> usize {
    outcomes
        .iter()
        .filter(|o| match o {
            Outcome::Fails { .. } => true,
            Outcome::Passed | Outcome::NotRun(_) => false,
        })
        .count()
}
