//! `just bench`: what autogen costs as the schema grows, against the floor measured in the same run.
//!
//! For each size (default 100, 1,000 and 5,000 tables of the twin in `tests/it/support/scale.rs`:
//! 15 columns, 5 indexes, 2 foreign keys, 2 checks and 2 comments per table, 10 enums) the
//! twin's SQL is loaded once into a PostgreSQL database, and then, run after run, each of these
//! is timed as a whole process (the release `autogen` binary, as a user runs it):
//!
//! - `floor`: this benchmark re-run as a child that connects through sqlx and runs the
//!   introspector's own catalog queries (`read_postgres_catalog`), one connection, and builds
//!   nothing: what reading the facts costs;
//! - `inspect`: `autogen inspect` of the twin's schemas;
//! - `check`: the no-op `autogen check` against the matching models (must exit 0);
//! - `diff`: `autogen diff` after one table in a hundred gained a column in the models.
//!
//! Each prints min / median / max wall time, its ratio to the floor of the same round (min /
//! median / max of the pairs) and the peak RSS (`/usr/bin/time`'s `%M`, from the kernel's
//! accounting of the finished child). Numbers, not assertions: the tests hold the invariants.
//! A `check` that does not exit 0 or a `diff` that does not find the change stops the run.
//!
//! Environment:
//! - `AUTOGEN_BENCH_SIZES=100,1000`: the sizes (default `100,1000,5000`);
//! - `AUTOGEN_BENCH_RUNS=5`: counted runs per command (after one warm-up);
//! - `AUTOGEN_BENCH_COMMANDS=inspect,check`: the commands besides the floor (default all);
//! - `AUTOGEN_BENCH_URL=postgres://..`: a database to use (and empty!) instead of a fresh one
//!   from autogen-testkit; a twin of the right size already loaded there is kept, so a second
//!   run skips the loading;
//! - `AUTOGEN_BENCH_BIN=path`: another `autogen` binary to measure (an older build, say);
//! - `AUTOGEN_BENCH_KEEP=1`: print the database's URL and keep it (the Alembic comparison in
//!   docs/performance.md runs against it).

#[path = "../../../tests/it/support/scale.rs"]
mod scale;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use autogen_introspect::{IntrospectOptions, connect_postgres, read_postgres_catalog};
use scale::{SECOND_SCHEMA, Twin};
use sqlx::{Connection, Executor, PgConnection, Row};

const SIZES: &str = "AUTOGEN_BENCH_SIZES";
const RUNS: &str = "AUTOGEN_BENCH_RUNS";
const COMMANDS: &str = "AUTOGEN_BENCH_COMMANDS";
const URL: &str = "AUTOGEN_BENCH_URL";
const KEEP: &str = "AUTOGEN_BENCH_KEEP";
const BIN: &str = "AUTOGEN_BENCH_BIN";
/// Set (to the database URL) in the child that measures the floor.
const FLOOR_CHILD: &str = "AUTOGEN_BENCH_FLOOR_URL";
const DEFAULT_SIZES: [usize; 3] = [100, 1_000, 5_000];
const DEFAULT_RUNS: usize = 5;
const WARMUP: usize = 1;
const TIME: &str = "/usr/bin/time";
const CHECK_CLEAN: &str = "the database matches the models\n";

fn main() {
    if let Ok(url) = std::env::var(FLOOR_CHILD) {
        floor_child(&url);
        return;
    }
    let sizes = sizes();
    let runs = number(RUNS, DEFAULT_RUNS).max(1);
    let commands = commands();
    let bench = Bench::new();
    println!(
        "autogen scale benchmark: sizes {sizes:?}, {runs} counted runs after {WARMUP} warm-up, \
         release binary {}",
        bench.autogen.display()
    );
    println!("machine: {}", machine());
    if !Path::new(TIME).exists() {
        println!("note: {TIME} is missing, so no peak RSS");
    }
    let mut results = Vec::new();
    for &size in &sizes {
        results.push(bench.size(size, runs, &commands));
    }
    summary(&results);
}

/// The child that measures the floor: the introspector's catalog queries, rows kept, nothing
/// built. Prints `statements rows` for the parent.
fn floor_child(url: &str) {
    let runtime = runtime();
    let (statements, rows) = runtime.block_on(async {
        let mut conn = connect_postgres(url).await.expect("the floor connects");
        let mut rows = 0_usize;
        let statements = read_postgres_catalog(&mut conn, &options(), |_, _row| {
            rows += 1;
            Ok(())
        })
        .await
        .expect("the floor reads the catalog");
        (statements, rows)
    });
    println!("{statements} {rows}");
}

/// Both schemas of the twin, as `inspect` is asked for them.
fn options() -> IntrospectOptions {
    IntrospectOptions {
        schemas: vec!["public".to_owned(), SECOND_SCHEMA.to_owned()],
        ..IntrospectOptions::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn number(var: &str, default: usize) -> usize {
    match std::env::var(var) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{var}={text}: expected a number")),
        Err(_) => default,
    }
}

fn sizes() -> Vec<usize> {
    match std::env::var(SIZES) {
        Ok(text) => text
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .ok()
                    .filter(|&n: &usize| n > 0)
                    .unwrap_or_else(|| panic!("{SIZES}={text}: expected sizes like 100,1000"))
            })
            .collect(),
        Err(_) => DEFAULT_SIZES.to_vec(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Floor,
    Inspect,
    Check,
    Diff,
}

impl What {
    const ALL: [What; 4] = [What::Floor, What::Inspect, What::Check, What::Diff];

    fn label(self) -> &'static str {
        match self {
            What::Floor => "catalog floor",
            What::Inspect => "inspect",
            What::Check => "check (no-op)",
            What::Diff => "diff (1% changed)",
        }
    }

    fn key(self) -> &'static str {
        match self {
            What::Floor => "floor",
            What::Inspect => "inspect",
            What::Check => "check",
            What::Diff => "diff",
        }
    }
}

/// The floor always; the others as `AUTOGEN_BENCH_COMMANDS` says.
fn commands() -> Vec<What> {
    let Ok(text) = std::env::var(COMMANDS) else {
        return What::ALL.to_vec();
    };
    let wanted: Vec<&str> = text.split(',').map(str::trim).collect();
    for w in &wanted {
        assert!(
            What::ALL.iter().any(|what| what.key() == *w),
            "{COMMANDS}={text}: `{w}` is not one of floor, inspect, check, diff"
        );
    }
    What::ALL
        .into_iter()
        .filter(|what| *what == What::Floor || wanted.contains(&what.key()))
        .collect()
}

struct Bench {
    autogen: PathBuf,
    myself: PathBuf,
    work: tempfile::TempDir,
}

/// One finished process.
struct Sample {
    wall: Duration,
    rss_kb: Option<u64>,
}

/// One size's figures.
struct SizeResult {
    tables: usize,
    statements: usize,
    medians: Vec<(What, Duration, Option<u64>)>,
}

impl Bench {
    fn new() -> Self {
        Self {
            autogen: std::env::var_os(BIN).map_or_else(
                || PathBuf::from(env!("CARGO_BIN_EXE_autogen")),
                PathBuf::from,
            ),
            myself: std::env::current_exe().expect("the benchmark's own path"),
            work: tempfile::tempdir().expect("a temp dir"),
        }
    }

    fn size(&self, tables: usize, runs: usize, commands: &[What]) -> SizeResult {
        let twin = Twin::new(tables);
        let dir = self.work.path().join(tables.to_string());
        let models = write_models(&dir.join("models"), &twin.model_files());
        let (changed_files, changed) = twin.changed_model_files();
        let changed_models = write_models(&dir.join("changed"), &changed_files);

        let database = Database::new();
        let loaded = database.load(twin);
        println!();
        println!(
            "== {tables} tables: {} columns, {} indexes besides the keys, {} foreign keys, {} enums ({loaded})",
            tables * 15,
            tables * 5,
            tables * 2,
            scale::ENUMS
        );
        let url = database.url.as_str();

        // The instrument checks itself first: the models match, the change is found.
        let started = Instant::now();
        let check = self.autogen(&["--models", &models, "check", "--database-url", url]);
        let first_check = started.elapsed();
        assert!(
            check.0 == 0 && check.1 == CHECK_CLEAN && check.2.is_empty(),
            "the no-op check is not a no-op at {tables} tables (exit {}):\n{}{}",
            check.0,
            check.1,
            check.2
        );
        let started = Instant::now();
        let diff = self.autogen(&["--models", &changed_models, "diff", "--database-url", url]);
        let first_diff = started.elapsed();
        let found = diff.1.matches("extra").count();
        assert!(
            diff.0 == 0 && found == changed,
            "diff of {changed} changed tables at {tables} tables found {found} (exit {}):\n{}{}",
            diff.0,
            diff.1,
            diff.2
        );
        let floor = self.floor(url).output().expect("the floor child runs");
        let counts = String::from_utf8_lossy(&floor.stdout).into_owned();
        assert!(
            floor.status.success(),
            "the floor child failed: {}",
            String::from_utf8_lossy(&floor.stderr)
        );
        let mut counts = counts.split_whitespace().map(|n| n.parse::<usize>().ok());
        let statements = counts.next().flatten().expect("a statement count");
        let rows = counts.next().flatten().expect("a row count");
        println!(
            "catalog: {rows} rows in {statements} statements (BEGIN and COMMIT included); \
             check is clean ({}, first run), diff finds the {changed} changed tables ({})",
            seconds(first_check),
            seconds(first_diff),
        );

        let mut samples: Vec<(What, Vec<Sample>)> =
            commands.iter().map(|&w| (w, Vec::new())).collect();
        for round in 0..WARMUP + runs {
            for (what, list) in &mut samples {
                let mut command = match what {
                    What::Floor => self.floor(url),
                    What::Inspect => self.command(&[
                        "--database-url",
                        url,
                        "--schema",
                        "public",
                        "--schema",
                        SECOND_SCHEMA,
                        "inspect",
                    ]),
                    What::Check => {
                        self.command(&["--models", &models, "check", "--database-url", url])
                    }
                    What::Diff => {
                        self.command(&["--models", &changed_models, "diff", "--database-url", url])
                    }
                };
                let sample = measure(&mut command, &dir.join("rss"));
                if round >= WARMUP {
                    list.push(sample);
                }
            }
        }

        println!(
            "{:<20} {:>9} {:>9} {:>9}   {:>22}   {:>12}",
            "", "min", "median", "max", "x floor (min/med/max)", "peak RSS MB"
        );
        let floor_walls: Vec<Duration> = samples[0].1.iter().map(|s| s.wall).collect();
        let mut medians = Vec::new();
        for (what, list) in &samples {
            let walls: Vec<Duration> = list.iter().map(|s| s.wall).collect();
            let ratios: Vec<f64> = walls
                .iter()
                .zip(&floor_walls)
                .map(|(w, f)| w.as_secs_f64() / f.as_secs_f64())
                .collect();
            let (min, median, max) = spread(&walls);
            let (rmin, rmed, rmax) = spread_f64(&ratios);
            let rss: Vec<u64> = list.iter().filter_map(|s| s.rss_kb).collect();
            let rss_median = (!rss.is_empty()).then(|| {
                let mut rss = rss.clone();
                rss.sort_unstable();
                rss[rss.len() / 2]
            });
            println!(
                "{:<20} {:>9} {:>9} {:>9}   {:>22}   {:>12}",
                what.label(),
                seconds(min),
                seconds(median),
                seconds(max),
                format!("{rmin:.2} / {rmed:.2} / {rmax:.2}"),
                rss_median.map_or("n/a".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
            );
            medians.push((*what, median, rss_median));
        }
        database.finish();
        SizeResult {
            tables,
            statements,
            medians,
        }
    }

    fn floor(&self, url: &str) -> Command {
        let mut command = Command::new(&self.myself);
        command.env(FLOOR_CHILD, url);
        command
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.autogen);
        // No autogen.toml or .env of the directory cargo runs us in, no DATABASE_URL.
        command
            .args(args)
            .current_dir(self.work.path())
            .env_remove("DATABASE_URL");
        command
    }

    fn autogen(&self, args: &[&str]) -> (i32, String, String) {
        let output = self
            .command(args)
            .output()
            .expect("the autogen binary runs");
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
        (
            output.status.code().unwrap_or(-1),
            text(output.stdout),
            text(output.stderr),
        )
    }
}

fn write_models(dir: &Path, files: &[String]) -> String {
    std::fs::create_dir_all(dir).expect("a models directory");
    for (n, text) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("models_{n:03}.rs")), text).expect("a model file");
    }
    dir.to_str().expect("a UTF-8 temp path").to_owned()
}

/// Runs `command` under `/usr/bin/time` (for the peak RSS the kernel accounted to the finished
/// child) with its output read and thrown away, as a pipe to a pager would; the wall time is
/// taken around the whole.
fn measure(command: &mut Command, rss_file: &Path) -> Sample {
    let timed = Path::new(TIME).exists();
    let mut wrapped = if timed {
        let mut time = Command::new(TIME);
        time.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(rss_file)
            .arg(command.get_program())
            .args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => time.env(key, value),
                None => time.env_remove(key),
            };
        }
        if let Some(dir) = command.get_current_dir() {
            time.current_dir(dir);
        }
        time
    } else {
        std::mem::replace(command, Command::new("true"))
    };
    wrapped.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let output = wrapped.output().expect("the command runs");
    let wall = started.elapsed();
    assert!(
        output.status.success() || !timed,
        "a measured command failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rss_kb = timed
        .then(|| std::fs::read_to_string(rss_file).ok())
        .flatten()
        .and_then(|text| text.lines().last().and_then(|l| l.trim().parse().ok()));
    Sample { wall, rss_kb }
}

fn spread(values: &[Duration]) -> (Duration, Duration, Duration) {
    let mut sorted = values.to_vec();
    sorted.sort();
    (
        sorted[0],
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1],
    )
}

fn spread_f64(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (
        sorted[0],
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1],
    )
}

fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// The medians side by side, the growth from 1,000 to 5,000 tables and the statement counts.
fn summary(results: &[SizeResult]) {
    println!();
    println!("== summary (medians)");
    let header: String = results
        .iter()
        .map(|r| format!(" {:>12}", format!("{} tables", r.tables)))
        .collect();
    println!("{:<20}{header}", "");
    let Some(first) = results.first() else {
        return;
    };
    for (i, (what, _, _)) in first.medians.iter().enumerate() {
        let row: String = results
            .iter()
            .map(|r| format!(" {:>12}", seconds(r.medians[i].1)))
            .collect();
        println!("{:<20}{row}", what.label());
    }
    let growth = |from: usize, to: usize| {
        let at = |n: usize| results.iter().find(|r| r.tables == n);
        if let (Some(a), Some(b)) = (at(from), at(to)) {
            for (i, (what, _, _)) in a.medians.iter().enumerate() {
                let ratio = b.medians[i].1.as_secs_f64() / a.medians[i].1.as_secs_f64();
                println!("{}: {to}/{from} tables = {ratio:.2}", what.label());
            }
        }
    };
    growth(1_000, 5_000);
    let counts: Vec<String> = results
        .iter()
        .map(|r| format!("{}: {}", r.tables, r.statements))
        .collect();
    let same = results.iter().all(|r| r.statements == first.statements);
    println!(
        "introspection statements by size: {} ({})",
        counts.join(", "),
        if same {
            "independent of size"
        } else {
            "GROWS WITH SIZE"
        }
    );
}

/// A short description of the machine the figures come from.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown cpu".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("? GB".to_owned(), |kb| {
            format!("{:.0} GB", kb as f64 / 1024.0 / 1024.0)
        });
    format!("{cores} cores ({cpu}), {memory} RAM")
}

/// The database the twin is loaded into: a fresh one from autogen-testkit, or `AUTOGEN_BENCH_URL`.
struct Database {
    url: String,
    owned: Option<autogen_testkit::PostgresDb>,
}

impl Database {
    fn new() -> Self {
        match std::env::var(URL) {
            Ok(url) => Self { url, owned: None },
            Err(_) => {
                let db = autogen_testkit::postgres();
                Self {
                    url: db.url().to_owned(),
                    owned: Some(db),
                }
            }
        }
    }

    /// Loads the twin unless this database already holds it (a marker comment on the second
    /// schema, which the IR does not carry); says which and how long it took.
    fn load(&self, twin: Twin) -> String {
        let marker = format!("autogen bench twin of {} tables", twin.tables);
        let runtime = runtime();
        runtime.block_on(async {
            let mut conn = PgConnection::connect(&self.url)
                .await
                .expect("the bench database connects");
            let present: Option<String> = conn
                .fetch_optional(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace \
                     WHERE nspname = '{SECOND_SCHEMA}'"
                ))))
                .await
                .expect("the marker query runs")
                .and_then(|row| row.try_get(0).ok());
            if present.as_deref() == Some(marker.as_str()) {
                return "already loaded".to_owned();
            }
            let started = Instant::now();
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {SECOND_SCHEMA} CASCADE; \
                 DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"
            ))))
            .await
            .expect("the bench database empties");
            for script in twin.sql_scripts() {
                conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(script)))
                    .await
                    .unwrap_or_else(|e| panic!("the twin does not load: {e}"));
            }
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "COMMENT ON SCHEMA {SECOND_SCHEMA} IS '{marker}'"
            ))))
            .await
            .expect("the marker is set");
            format!("loaded in {:.1} s", started.elapsed().as_secs_f64())
        })
    }

    fn finish(self) {
        if std::env::var_os(KEEP).is_some() {
            println!("kept: {}", self.url);
            if let Some(db) = self.owned {
                std::mem::forget(db);
            }
        }
    }
}
