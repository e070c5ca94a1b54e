//! Every case against a real PostgreSQL: setup, up, down, and the database must be as it was
//! (compared through `pg_dump --schema-only`). Each case gets its own throwaway database.

use std::process::Command;

use autogen_diff::Plan;
use autogen_schema::Dialect;
use autogen_testkit::PostgresDb;
use similar::TextDiff;

use super::cases::{self, Case};
use crate::{Statement, render, script, transactions};

/// The schema as `pg_dump` prints it, without the lines that change from run to run.
pub(crate) fn dump(db: &PostgresDb) -> Result<String, String> {
    let output = Command::new("pg_dump")
        .args(["--schema-only", "--no-owner", "--no-privileges", "--dbname"])
        .arg(db.url())
        .output()
        .map_err(|e| format!("cannot run pg_dump (PostgreSQL's client tools are needed): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    // `\restrict` carries a random key; the version lines name the binaries.
    Ok(text
        .lines()
        .filter(|l| {
            !l.starts_with("\\restrict")
                && !l.starts_with("\\unrestrict")
                && !l.starts_with("-- Dumped")
        })
        .map(|l| format!("{l}\n"))
        .collect())
}

/// Runs the statements as the migration runner would: one transaction per group.
pub(crate) fn apply(db: &PostgresDb, statements: &[Statement], label: &str) -> Result<(), String> {
    for group in transactions(statements) {
        let sql = script(group);
        db.try_execute(&sql)
            .map_err(|e| format!("{label} failed: {e}\n{sql}"))?;
    }
    Ok(())
}

pub(crate) fn same_dump(before: &str, after: &str) -> Result<(), String> {
    if before == after {
        return Ok(());
    }
    Err(format!(
        "down did not restore the database:\n{}",
        TextDiff::from_lines(before, after)
            .unified_diff()
            .header("before up", "after down")
    ))
}

fn round_trip(case: &Case) -> Result<(), String> {
    let db = autogen_testkit::postgres();
    db.try_execute(case.setup)
        .map_err(|e| format!("setup failed: {e}"))?;
    let before = dump(&db)?;
    let plan = Plan {
        changes: case.changes.clone(),
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    };
    let up = render(&plan, Dialect::Postgres).map_err(|e| e.to_string())?;
    let down = render(
        &plan.inverse().expect("the plan applies"),
        Dialect::Postgres,
    )
    .map_err(|e| e.to_string())?;
    apply(&db, &up, "up")?;
    apply(&db, &down, "down")?;
    same_dump(&before, &dump(&db)?)
}

#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn every_case_applies_up_then_down_on_postgres() {
    let cases = cases::all();
    // Most of the time goes to creating and dropping databases, which waits on the server's
    // disk rather than on this process: a few cases at once finish sooner.
    const WORKERS: usize = 4;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let cases = &cases;
                scope.spawn(move || {
                    cases
                        .iter()
                        .skip(worker)
                        .step_by(WORKERS)
                        .filter_map(|case| {
                            round_trip(case)
                                .err()
                                .map(|e| format!("case {}: {e}", case.name))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec!["a worker panicked".into()])
            })
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The commit after `ADD VALUE` is not decoration: run as one transaction, the plan fails.
#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn a_new_enum_label_is_unusable_before_its_commit() {
    let case = cases::all()
        .into_iter()
        .find(|c| c.name == "add_enum_value_used_in_the_same_plan")
        .expect("the case exists");
    let plan = Plan {
        changes: case.changes.clone(),
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    };
    let up = render(&plan, Dialect::Postgres).expect("renders");
    assert_eq!(transactions(&up).len(), 2);
    let db = autogen_testkit::postgres();
    db.execute(case.setup);
    let error = db
        .try_execute(&script(&up))
        .expect_err("one transaction cannot use the label it adds");
    assert!(error.contains("unsafe use of new value"), "{error}");
}
