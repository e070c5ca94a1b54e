//! `autogen inspect --format rust`: models written from a live database are the database.
//! The property, on the external corpus: load a case's `after.sql` into a fresh database,
//! write its models with `inspect --format rust --out DIR`, and `check --models DIR` against
//! the same database exits 0. PostgreSQL's core subset, and the sqldef SQLite and MySQL cases
//! that load (a case whose database has no table is not counted: models are never empty); a
//! case the model keys cannot say is listed in `tests/known_failures/` with why.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::corpus;
use crate::support::mysql::LiveMy;
use crate::support::pg::Live;

/// `autogen ARGS` against `url` in `cwd`: exit code, stdout and stderr.
fn autogen(cwd: &Path, url: &str, schemas: &[String], args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command.current_dir(cwd).args(["--database-url", url]);
    for schema in schemas {
        command.args(["--schema", schema]);
    }
    let out = command.args(args).output().expect("autogen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes the models of the database at `url` into a fresh folder and checks them against it.
/// `None` when the database has no table: there is nothing to write models for.
fn inspect_then_check(url: &str, schemas: &[String]) -> Option<Result<(), String>> {
    let outcome = inspect_and_check(url, schemas);
    match &outcome {
        Err(e) if e.contains("no models to write") => None,
        Ok(()) | Err(_) => Some(outcome),
    }
}

fn inspect_and_check(url: &str, schemas: &[String]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (code, _, err) = autogen(
        dir.path(),
        url,
        schemas,
        &["inspect", "--format", "rust", "--out", "models"],
    );
    if code != 0 {
        return Err(format!("inspect --format rust exits {code}: {err}"));
    }
    let (code, out, check_err) = autogen(dir.path(), url, schemas, &["check", "--models", "models"]);
    if code == 0 {
        return Ok(());
    }
    let unsaid: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("warning: not in the models: "))
        .collect();
    Err(format!(
        "check exits {code}: {}{}{}",
        out.trim(),
        check_err.trim(),
        if unsaid.is_empty() {
            String::new()
        } else {
            format!(" [unsaid: {}]", unsaid.join("; "))
        }
    ))
}

/// With `AUTOGEN_CORPUS_LIST` set, prints each failure on one line (for the known-failures file).
fn list_failures(outcomes: &BTreeMap<String, Result<(), String>>) {
    if std::env::var_os("AUTOGEN_CORPUS_LIST").is_none() {
        return;
    }
    for (case, outcome) in outcomes {
        if let Err(reason) = outcome {
            let reason = reason.replace(['\n', '\t'], " ");
            let reason: String = reason.chars().take(400).collect();
            println!("{case}\t{reason}");
        }
    }
}

#[test]
fn models_written_from_the_core_postgres_subset_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    crate::support::pg::ensure_roles(&corpus::case_file(&dir, "", "roles.sql"));
    let mut live = Live::new();
    let mut outcomes = BTreeMap::new();
    for case in corpus::cases(&dir, "SUBSET_core_pg.tsv") {
        live.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        let outcome = live
            .execute(&after)
            .map_err(|e| format!("after.sql does not load: {e}"))
            .and_then(|()| live.user_schemas());
        let outcome = match outcome {
            Ok(schemas) => inspect_then_check(live.db().url(), &schemas),
            Err(e) => Some(Err(e)),
        };
        outcomes.extend(outcome.map(|o| (case, o)));
    }
    list_failures(&outcomes);
    corpus::judge(
        "inspect --format rust, then check (postgres)",
        &outcomes,
        &corpus::known_failures("inspect_rust_pg.tsv"),
        0.85,
    );
}

/// The case folders of one corpus source, in name order.
fn source_cases(dir: &Path, source: &str) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(dir.join(source))
        .unwrap_or_else(|e| panic!("cannot read {source}: {e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("{source}/{}", e.file_name().to_string_lossy()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn models_written_from_the_sqldef_sqlite_cases_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let db = autogen_testkit::sqlite();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(&dir, "sqldef-sqlite") {
        db.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        // A case whose file SQLite does not take is not a case for this property.
        if db.try_execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(db.url(), &[]).map(|o| (case, o)));
    }
    list_failures(&outcomes);
    corpus::judge(
        "inspect --format rust, then check (sqlite)",
        &outcomes,
        &corpus::known_failures("inspect_rust_sqlite.tsv"),
        0.85,
    );
}

#[test]
fn models_written_from_the_sqldef_mysql_cases_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let mut live = LiveMy::new();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(&dir, "sqldef-mysql") {
        live.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        // A case MariaDB does not take (another flavour, a newer server) is not counted.
        if live.execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(live.url(), &[]).map(|o| (case, o)));
    }
    list_failures(&outcomes);
    corpus::judge(
        "inspect --format rust, then check (mysql)",
        &outcomes,
        &corpus::known_failures("inspect_rust_mysql.tsv"),
        0.85,
    );
}
