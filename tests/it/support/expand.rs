//! Helpers of the expand/contract suites (`expand_contract*`): a project folder driving the
//! real binary, `pg_dump -s` as the judge, and writers standing for the application versions.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use autogen_testkit::PostgresDb;

/// The lock timeout the suites' autogen.toml sets: no write may wait this long.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(1);

/// A project folder: autogen.toml (`lock_timeout = "1s"`), models.rs, migrations/.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("autogen.toml"), "lock_timeout = \"1s\"\n")
            .expect("config written");
        Project { dir }
    }

    pub fn models(&self, text: &str) {
        std::fs::write(self.dir.path().join("models.rs"), text).expect("models written");
    }

    pub fn autogen(&self, db: &PostgresDb, args: &[&str]) -> (i32, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .args(["--database-url", db.url(), "--models", "models.rs"])
            .args(args)
            .output()
            .expect("the autogen binary runs");
        (
            output.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        )
    }

    pub fn ok(&self, db: &PostgresDb, args: &[&str]) -> String {
        let (code, out) = self.autogen(db, args);
        assert_eq!(code, 0, "autogen {args:?}:\n{out}");
        out
    }

    /// The up files, in order.
    pub fn ups(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path().join("migrations"))
            .map(|d| d.map(|e| e.expect("entry").path()).collect())
            .unwrap_or_default();
        names.sort();
        names
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
            .map(|p| std::fs::read_to_string(p).expect("read"))
            .collect()
    }

    /// The version of the migration whose file name holds `slug`.
    pub fn version_of(&self, slug: &str) -> String {
        std::fs::read_dir(self.dir.path().join("migrations"))
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(slug))
            .map(|n| n.split('_').next().expect("version").to_owned())
            .next()
            .expect("the migration file")
    }
}

/// A database made from `models` by plain `-m` and `upgrade`: what the contracted schema is
/// compared with.
pub fn reference_dump(models: &str) -> Vec<String> {
    let fresh = autogen_testkit::postgres();
    let reference = Project::new();
    reference.models(models);
    reference.ok(&fresh, &["-m", "models"]);
    reference.ok(&fresh, &["upgrade"]);
    dump(&fresh)
}

pub fn scalar(db: &PostgresDb, sql: &str) -> String {
    db.try_query(sql).expect("query")[0][0]
        .clone()
        .unwrap_or_default()
}

/// `pg_dump -s` as the round-trip judge reads it ([`crate::support::pg::dump_lines`]): lines
/// sorted and without trailing commas, because PostgreSQL cannot put a column back where it
/// was, so a down that adds one back is judged on the definitions, not the order.
pub fn dump(db: &PostgresDb) -> Vec<String> {
    crate::support::pg::dump_lines(db.url()).unwrap_or_else(|e| panic!("{e}"))
}

/// The end of an expand test: `contract` written, applied and checked clean, the schema equal
/// to what plain `-m` makes of `models`; then each down brings its phase back (`expanded`, then
/// `before`) and the table `users` still holds `rows` rows.
pub fn contract_then_down_twice(
    db: &PostgresDb,
    project: &Project,
    models: &str,
    expanded: &[String],
    before: &[String],
    rows: i64,
) {
    project.ok(db, &["contract"]);
    project.ok(db, &["upgrade"]);
    project.ok(db, &["check"]);
    assert_eq!(
        dump(db),
        reference_dump(models),
        "the contracted schema is the models'"
    );
    project.ok(db, &["downgrade", "-1"]);
    assert_eq!(
        dump(db),
        expanded,
        "the contract's down gives the expanded state back"
    );
    project.ok(db, &["downgrade", "-1"]);
    assert_eq!(
        dump(db),
        before,
        "the expand's down gives the schema before it back"
    );
    assert_eq!(scalar(db, "SELECT count(*) FROM users"), rows.to_string());
}

/// Runs `sql` through psql (a connection of its own, as an application instance would).
pub fn psql(url: &str, sql: &str) -> Result<(), String> {
    let output = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// What one writer did: the tags of the rows it inserted, failed writes, the slowest write.
pub struct Written {
    pub inserted: Vec<String>,
    pub errors: Vec<String>,
    pub slowest: Duration,
}

impl Written {
    /// No write failed, some were made, none waited as long as the lock timeout.
    pub fn assert_clean(&self, who: &str, took: Duration) {
        assert!(self.errors.is_empty(), "{who} writer: {:#?}", self.errors);
        assert!(!self.inserted.is_empty(), "the {who} writer wrote nothing");
        assert!(
            self.slowest < LOCK_TIMEOUT,
            "the {who} writer waited {:?} (lock_timeout {LOCK_TIMEOUT:?}); the phase took {took:?}",
            self.slowest
        );
    }
}

/// One application version writing until `stop`: once `ready` (a statement that fails until
/// the version can run) succeeds, round `n` inserts the row tagged `tag(n)` with the round's
/// first statement and runs the others (updates), each timed.
pub fn spawn_writer(
    url: String,
    ready: Option<String>,
    stop: Arc<AtomicBool>,
    round: impl Fn(i64) -> (String, Vec<String>) + Send + 'static,
) -> std::thread::JoinHandle<Written> {
    std::thread::spawn(move || {
        let mut written = Written {
            inserted: Vec::new(),
            errors: Vec::new(),
            slowest: Duration::ZERO,
        };
        if let Some(ready) = ready {
            while psql(&url, &ready).is_err() {
                if stop.load(Ordering::Relaxed) {
                    return written;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let mut n = 0_i64;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let (tag, statements) = round(n);
            for (k, sql) in statements.iter().enumerate() {
                let started = Instant::now();
                let result = psql(&url, sql);
                written.slowest = written.slowest.max(started.elapsed());
                match result {
                    Ok(()) if k == 0 => written.inserted.push(tag.clone()),
                    Ok(()) => {}
                    Err(e) => written.errors.push(format!("{sql}: {e}")),
                }
            }
        }
        written
    })
}

/// Runs `phase` (an `autogen` command) while `writers` write, then stops them: the phase's
/// exit code and output, how long it took, what each writer did.
pub fn under_writers(
    project: &Project,
    db: &PostgresDb,
    args: &[&str],
    stop: &Arc<AtomicBool>,
    writers: Vec<std::thread::JoinHandle<Written>>,
) -> ((i32, String), Duration, Vec<Written>) {
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let result = project.autogen(db, args);
    let took = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let written = writers
        .into_iter()
        .map(|w| w.join().expect("writer"))
        .collect();
    (result, took, written)
}

/// A statement that fails until `relation` exists (a writer's `ready`).
pub fn exists(relation: &str) -> String {
    format!(
        "DO $$ BEGIN IF to_regclass('{relation}') IS NULL THEN RAISE EXCEPTION 'not yet'; END IF; END $$"
    )
}
