//! Diff round trip on the external corpus's SQLite cases (`sqldef-sqlite`), on SQLite: load a
//! case's `before.sql` into database A and `after.sql` into B; the plan from A to B, applied to
//! A, makes A equal B (columns compared by name) and leaves nothing to diff; the inverse plan
//! then brings A back to `before.sql` loaded fresh into C. Cases whose files do not load in
//! SQLite are not counted (they are printed).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use crate::support::corpus;
use crate::support::pg::{plan_between, schema_difference};
use autogen_introspect::{IntrospectOptions, introspect_url};
use autogen_schema::{Dialect, Schema};
use autogen_testkit::SqliteDb;

const SOURCE: &str = "sqldef-sqlite";

#[test]
fn diff_round_trip_on_the_sqlite_corpus() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dbs = [
        autogen_testkit::sqlite(),
        autogen_testkit::sqlite(),
        autogen_testkit::sqlite(),
    ];
    let mut outcomes = BTreeMap::new();
    for case in sqlite_cases(&dir) {
        match round_trip(&runtime, &dbs, &dir, &case) {
            Outcome::DoesNotLoad(reason) => eprintln!("not counted\t{case}\t{reason}"),
            Outcome::Done(result) => {
                outcomes.insert(case, result);
            }
        }
    }
    eprintln!(
        "{} cases in {:.1}s",
        outcomes.len(),
        started.elapsed().as_secs_f64()
    );
    corpus::judge(
        "sqlite diff round trip",
        &outcomes,
        &corpus::known_failures("diff_sqlite.tsv"),
        0.97,
    );
}

/// Every case of the SQLite source listed in `INDEX.tsv`.
fn sqlite_cases(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("INDEX.tsv"))
        .unwrap_or_else(|e| panic!("cannot read INDEX.tsv: {e}"));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut fields = l.split('\t');
            let source = fields.next()?;
            let case = fields.next()?;
            (source == SOURCE).then(|| format!("{source}/{case}"))
        })
        .collect()
}

enum Outcome {
    DoesNotLoad(String),
    Done(Result<(), String>),
}

fn inspect(runtime: &tokio::runtime::Runtime, db: &SqliteDb) -> Result<Schema, String> {
    let options = IntrospectOptions {
        schemas: vec![Dialect::Sqlite.default_schema().to_owned()],
        ..IntrospectOptions::default()
    };
    runtime
        .block_on(introspect_url(db.url(), &options))
        .map(|i| i.schema)
        .map_err(|e| format!("cannot inspect: {e}"))
}

fn round_trip(
    runtime: &tokio::runtime::Runtime,
    [a, b, c]: &[SqliteDb; 3],
    dir: &Path,
    case: &str,
) -> Outcome {
    for db in [a, b, c] {
        db.reset();
    }
    let before = corpus::case_file(dir, case, "before.sql");
    let after = corpus::case_file(dir, case, "after.sql");
    for (db, sql, file) in [
        (a, &before, "before"),
        (b, &after, "after"),
        (c, &before, "before"),
    ] {
        if let Err(e) = db.try_execute(sql) {
            return Outcome::DoesNotLoad(format!("{file}.sql does not load: {e}"));
        }
    }
    Outcome::Done(check(runtime, a, b, c))
}

fn check(
    runtime: &tokio::runtime::Runtime,
    a: &SqliteDb,
    b: &SqliteDb,
    c: &SqliteDb,
) -> Result<(), String> {
    let current = inspect(runtime, a)?;
    let desired = inspect(runtime, b)?;
    let plan = plan_between(&current, &desired);
    let up = autogen_render::render(&plan, Dialect::Sqlite).map_err(|e| format!("up: {e}"))?;
    // The down file's statements: the down plan's steps.
    let down = autogen_render::lower(&plan, Dialect::Sqlite)
        .map_err(|e| format!("down: {e}"))?
        .down_statements();

    a.try_execute(&autogen_render::script(&up))
        .map_err(|e| format!("up fails: {e}"))?;
    let upgraded = inspect(runtime, a)?;
    // SQLite's names are case-insensitive (it keeps `USERS` when `users` is wanted): compared so.
    let same_names =
        |got: &Schema, want: &Schema| autogen_diff::spelled_as_current(got, want.clone());
    if let Some(difference) = schema_difference(&upgraded, &same_names(&upgraded, &desired)) {
        return Err(format!("after up, A differs from after.sql:\n{difference}"));
    }
    let again = plan_between(&upgraded, &desired);
    if !again.is_empty() {
        return Err(format!(
            "a second diff is not empty: {}",
            serde_json::to_string(&again.changes).unwrap_or_default()
        ));
    }

    a.try_execute(&autogen_render::script(&down))
        .map_err(|e| format!("down fails: {e}"))?;
    let downgraded = inspect(runtime, a)?;
    let original = inspect(runtime, c)?;
    if let Some(difference) = schema_difference(&downgraded, &same_names(&downgraded, &original)) {
        return Err(format!(
            "after down, A differs from before.sql:\n{difference}"
        ));
    }
    Ok(())
}
