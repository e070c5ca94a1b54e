//! Property tests (issue 12, item 7). Random pairs of schemas ([`spec::Spec`]: every kind the
//! IR has, see `properties/spec.rs`) are written as native autogen models, so the model reader
//! is exercised, and for each dialect:
//!
//! - on the simulator, many cases: the plan applied to the start reaches the target (a second
//!   diff is empty) and its inverse applied after it restores the start;
//! - on the real database (PostgreSQL, MariaDB, SQLite), a bounded number per run, through the
//!   binary: models A migrated (`-m`, `upgrade`), a row put in each table, models B migrated
//!   (`-m --allow-data-loss`, `upgrade`): the database's own dump (`pg_dump -s`, `SHOW CREATE
//!   TABLE`, `sqlite_master`) equals the dump of B built directly on an empty database, `check`
//!   finds nothing (a second diff is empty), the rows of the tables both sides have survived,
//!   and `downgrade` of what B wrote gives back the dump of A (the rows deleted first when B
//!   loses data, which no down can give back).
//!
//! The model reader also gets near-valid input: the real fixture model files (native, SeaORM,
//! Diesel) with tokens deleted, duplicated, swapped and literals changed; and token soup. It
//! never panics, and every diagnostic has a span inside the file.
//!
//! Time bound (2 cores): the simulator properties (256 pairs x 3 dialects) take about 3 s, the
//! reader ones about 2 s; a real-database case about 0.5 s on SQLite, 2 s on MariaDB and 6 s on
//! PostgreSQL (two databases, eight runs of the binary, normalisation included): [`REAL_CASES`]
//! cases each, under a minute in all, set by `AUTOGEN_PROPTEST_REAL_CASES` (30 each took
//! 20 s, 50 s and 180 s).
//! Failures are shrunk (within [`REAL_SHRINK`] steps on a real database) and the minimal pair is
//! printed with its model texts. The seed of each run is printed; `PROPTEST_RNG_SEED=<seed>`
//! replays it.

pub(crate) mod dump;
mod mutate;
mod spec;

use std::path::Path;
use std::process::Command;

use self::spec::Spec;
use autogen_diff::{DiffOptions, apply_all, diff};
use autogen_model::{ModelOptions, Source, SourceFile, read_models, read_source};
use autogen_schema::{Dialect, Schema};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Real-database cases per dialect and run (each a few seconds).
const REAL_CASES: u32 = 6;
/// Shrinking steps on a real database (each a round trip).
const REAL_SHRINK: u32 = 64;

/// The configuration of a property: `cases`, and the run's seed, printed so a failure in CI
/// replays (`PROPTEST_RNG_SEED`).
fn config(cases: u32, max_shrink_iters: u32) -> ProptestConfig {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        });
    eprintln!("proptest seed {seed}: replay with PROPTEST_RNG_SEED={seed}");
    ProptestConfig {
        cases,
        max_shrink_iters,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

fn real_cases() -> u32 {
    std::env::var("AUTOGEN_PROPTEST_REAL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(REAL_CASES)
}

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

fn read(spec: &Spec, dialect: Dialect) -> Result<Schema, TestCaseError> {
    let text = spec::text(spec, dialect);
    let output = read_models(
        &[SourceFile::new("models.rs", text.clone())],
        &ModelOptions::new(dialect),
    );
    if !output.diagnostics.is_empty() {
        return Err(TestCaseError::fail(format!(
            "{dialect:?}: the models do not read: {:?}\n{text}",
            output.diagnostics
        )));
    }
    Ok(output.schema)
}

/// Up reaches the target, a second diff is empty, down restores the start, on the simulator.
fn simulate(a: &Spec, b: &Spec, dialect: Dialect) -> Result<(), TestCaseError> {
    let (from, to) = (read(a, dialect)?, read(b, dialect)?);
    let options = DiffOptions::default();
    let plan = diff(&from, &to, &options);
    let mut up = from.clone();
    apply_all(&mut up, &plan.changes).map_err(|e| {
        TestCaseError::fail(format!(
            "{dialect:?} up: {}\nplan: {:#?}",
            e.reason, plan.changes
        ))
    })?;
    let again = diff(&up, &to, &options);
    prop_assert!(
        again.is_empty(),
        "{dialect:?}: a second diff: {:?}",
        again.changes
    );
    let inverse = plan
        .inverse()
        .map_err(|e| TestCaseError::fail(format!("{dialect:?} inverse: {}", e.reason)))?;
    let mut down = up;
    apply_all(&mut down, &inverse.changes)
        .map_err(|e| TestCaseError::fail(format!("{dialect:?} down: {}", e.reason)))?;
    let back = diff(&down, &from, &options);
    prop_assert!(
        back.is_empty(),
        "{dialect:?}: down does not restore the start: {:?}",
        back.changes
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(256, 1024))]

    #[test]
    fn on_the_simulator_up_reaches_the_target_and_down_the_start(a in spec::spec(), b in spec::spec()) {
        for dialect in DIALECTS {
            simulate(&a, &b, dialect)?;
        }
    }
}

/// A database of `dialect` for one case, dropped at the end.
enum Db {
    Postgres(autogen_testkit::PostgresDb),
    MariaDb(autogen_testkit::MariaDb),
    Sqlite(autogen_testkit::SqliteDb),
}

impl Db {
    fn new(dialect: Dialect) -> Db {
        match dialect {
            Dialect::Postgres => Db::Postgres(autogen_testkit::postgres()),
            Dialect::MySql => Db::MariaDb(autogen_testkit::mariadb()),
            Dialect::Sqlite => Db::Sqlite(autogen_testkit::sqlite()),
        }
    }

    fn url(&self) -> &str {
        match self {
            Db::Postgres(db) => db.url(),
            Db::MariaDb(db) => db.url(),
            Db::Sqlite(db) => db.url(),
        }
    }

    fn dump(&self) -> Vec<String> {
        match self {
            Db::Postgres(db) => dump::postgres(db.url()),
            Db::MariaDb(db) => dump::mariadb(db),
            Db::Sqlite(db) => dump::sqlite(db),
        }
    }

    fn query(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        match self {
            Db::Postgres(db) => db.try_query(sql),
            Db::MariaDb(db) => db.try_query(sql),
            Db::Sqlite(db) => db.try_query(sql),
        }
    }
}

/// `autogen ARGS` in `dir` on `url`, with `models.rs`: exit code and output. On PostgreSQL
/// both schemas a spec may use are compared, `app` too when the models no longer name it
/// (otherwise its tables would be left alone, as the CLI contract says).
fn autogen(dir: &Path, url: &str, args: &[&str]) -> (i32, String) {
    let schemas: &[&str] = if url.starts_with("postgres") {
        &["--schema", "public", "--schema", "app"]
    } else {
        &[]
    };
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["--database-url", url, "--models", "models.rs"])
        .args(schemas)
        .args(args)
        .output()
        .expect("autogen runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `autogen ARGS`, which must succeed.
fn ok(dir: &Path, url: &str, args: &[&str]) -> Result<String, TestCaseError> {
    let (code, out) = autogen(dir, url, args);
    if code != 0 {
        return Err(TestCaseError::fail(format!(
            "autogen {args:?} exits {code}:\n{out}"
        )));
    }
    Ok(out)
}

/// What migrating to a spec did.
struct Migrated {
    /// The migrations written: none without changes, several when a step runs alone (a
    /// concurrent index build on PostgreSQL).
    wrote: usize,
    /// `-m` refused it without `--allow-data-loss`: its down cannot give back what it dropped.
    loses_data: bool,
}

/// The spec migrated onto `db` from wherever it is.
fn migrate(
    dir: &Path,
    db: &Db,
    spec: &Spec,
    dialect: Dialect,
    message: &str,
) -> Result<Migrated, TestCaseError> {
    std::fs::write(dir.join("models.rs"), spec::text(spec, dialect)).unwrap();
    let (code, out) = autogen(dir, db.url(), &["-m", message]);
    let loses_data = code == 1 && out.contains("refusing to write a migration that loses data");
    let out = if loses_data {
        ok(dir, db.url(), &["-m", message, "--allow-data-loss"])?
    } else if code == 0 {
        out
    } else {
        return Err(TestCaseError::fail(format!(
            "autogen -m exits {code}:\n{out}"
        )));
    };
    ok(dir, db.url(), &["upgrade"])?;
    Ok(Migrated {
        wrote: out.matches("wrote ").count() / 2,
        loses_data,
    })
}

fn round_trip(dialect: Dialect, a: &Spec, b: &Spec) -> Result<(), TestCaseError> {
    let context = |what: &str| {
        format!(
            "{dialect:?}: {what}\n--- models A:\n{}--- models B:\n{}",
            spec::text(a, dialect),
            spec::text(b, dialect)
        )
    };
    let fail = |what: String| TestCaseError::fail(context(&what));
    let dir = tempfile::tempdir().unwrap();
    let db = Db::new(dialect);
    migrate(dir.path(), &db, a, dialect, "a").map_err(|e| fail(format!("A: {e}")))?;
    let start = db.dump();
    for table in &a.tables {
        let row = table.row(a, dialect);
        let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
        db.query(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.qualified(dialect),
            columns.join(", "),
            values.join(", ")
        ))
        .map_err(|e| fail(format!("a row in {}: {e}", table.name)))?;
    }
    let up_to_b =
        migrate(dir.path(), &db, b, dialect, "b").map_err(|e| fail(format!("A to B: {e}")))?;
    let (code, out) = autogen(dir.path(), db.url(), &["check"]);
    if code != 0 {
        return Err(fail(format!(
            "check after up exits {code}: a second diff is not empty:\n{out}"
        )));
    }
    let up = db.dump();
    let target = {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::new(dialect);
        migrate(dir.path(), &db, b, dialect, "b").map_err(|e| fail(format!("B directly: {e}")))?;
        db.dump()
    };
    if let Some(difference) = dump::difference(&up, &target) {
        return Err(fail(format!("up does not reach the target:\n{difference}")));
    }
    for table in &b.tables {
        let kept = a
            .tables
            .iter()
            .any(|t| t.qualified(dialect) == table.qualified(dialect));
        if !kept {
            continue;
        }
        let rows = db
            .query(&format!(
                "SELECT count(*) FROM {}",
                table.qualified(dialect)
            ))
            .map_err(&fail)?;
        if rows[0][0].as_deref() != Some("1") {
            return Err(fail(format!(
                "the row of {} did not survive: {rows:?}",
                table.name
            )));
        }
    }
    if up_to_b.wrote > 0 {
        // Down cannot bring back what up dropped (a NOT NULL column comes back empty): the rows
        // go first, and down must then restore the schema.
        if up_to_b.loses_data {
            for table in b.tables.iter().rev() {
                db.query(&format!("DELETE FROM {}", table.qualified(dialect)))
                    .map_err(&fail)?;
            }
        }
        let back = format!("-{}", up_to_b.wrote);
        ok(dir.path(), db.url(), &["downgrade", &back]).map_err(|e| fail(format!("down: {e}")))?;
        if let Some(difference) = dump::difference(&db.dump(), &start) {
            return Err(fail(format!(
                "down does not restore the start:\n{difference}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(real_cases(), REAL_SHRINK))]

    #[test]
    fn on_postgres_up_reaches_the_target_and_down_the_start(a in spec::spec(), b in spec::spec()) {
        round_trip(Dialect::Postgres, &a, &b)?;
    }

    #[test]
    fn on_mariadb_up_reaches_the_target_and_down_the_start(a in spec::spec(), b in spec::spec()) {
        round_trip(Dialect::MySql, &a, &b)?;
    }

    #[test]
    fn on_sqlite_up_reaches_the_target_and_down_the_start(a in spec::spec(), b in spec::spec()) {
        round_trip(Dialect::Sqlite, &a, &b)?;
    }
}

/// Every diagnostic of `output` lies inside `text` (line and column from 1).
fn spans_inside(output: &autogen_model::ModelOutput, text: &str) -> Result<(), TestCaseError> {
    // A span may sit after the last line break (an error at the end of the file).
    let lines = text.split('\n').count();
    for d in &output.diagnostics {
        prop_assert!(
            d.line >= 1 && d.line <= lines && d.column >= 1,
            "{d:?} in {text:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256, 1024))]

    /// The fixture model files, mutated: the reader answers with diagnostics, each with a span.
    #[test]
    fn the_model_reader_never_panics_on_mutated_models_and_every_error_has_a_span(
        (source, name, text) in mutate::mutated(),
        dialect in prop::sample::select(DIALECTS.to_vec()),
    ) {
        let output = read_source(source, &[SourceFile::new(name, text.clone())], &ModelOptions::new(dialect));
        spans_inside(&output, &text)?;
    }

    /// Whatever tokens a model file holds, the reader answers with diagnostics, each with a span.
    #[test]
    fn the_model_reader_never_panics_on_token_soup_and_every_error_has_a_span(
        tokens in prop::collection::vec(prop::sample::select(mutate::SOUP.to_vec()), 0..60)
    ) {
        let text = tokens.join(" ");
        let output = read_source(Source::Autogen, &[SourceFile::new("soup.rs", text.clone())], &ModelOptions::new(Dialect::Postgres));
        spans_inside(&output, &text)?;
    }
}
