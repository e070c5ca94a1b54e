//! Lock-safe PostgreSQL plans on a real server: applied with `autogen upgrade` while a writer
//! inserts continuously, no insert waits longer than the configured `lock_timeout`; a failed
//! concurrent index build (an invalid index) is repaired by the next revision; a renamed table
//! keeps its indexes and constraints (same OIDs, new names).

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use autogen_testkit::PostgresDb;

struct Project {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Project {
    fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("autogen.toml"), config).expect("config written");
        Project { dir }
    }

    fn models(&self, text: &str) {
        std::fs::write(self.dir.path().join("models.rs"), text).expect("models written");
    }

    fn autogen(&self, db: &PostgresDb, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(self.dir.path())
            .env_remove("DATABASE_URL")
            .args(["--database-url", db.url(), "--models", "models.rs"])
            .args(args)
            .output()
            .expect("the autogen binary runs");
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: text(output.stdout),
            stderr: text(output.stderr),
        }
    }

    fn ok(&self, db: &PostgresDb, args: &[&str]) -> String {
        let run = self.autogen(db, args);
        assert_eq!(
            run.code, 0,
            "autogen {args:?} failed\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("migrations"))
            .map(|entries| entries.map(|e| e.expect("entry").path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }
}

const V1: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "orders")]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    pub account_id: Option<i64>,
    pub code: Option<String>,
    pub qty: Option<i32>,
}
"#;

/// Every lock-safe form at once: an index, a unique key, a check, a foreign key, NOT NULL.
const V2: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "orders")]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(references = "accounts.id")]
    pub account_id: Option<i64>,
    #[autogen(unique)]
    pub code: String,
    #[autogen(check = "qty >= 0", index)]
    pub qty: Option<i32>,
}
"#;

const LOCK_TIMEOUT: Duration = Duration::from_secs(1);

/// Inserts into `orders` until told to stop; returns the slowest insert and the count.
fn writer(db_url: String, stop: Arc<AtomicBool>) -> (Duration, usize, Vec<String>) {
    let db = PostgresDbUrl(db_url);
    let mut slowest = Duration::ZERO;
    let mut count = 0;
    let mut errors = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let result = db.execute(
            "INSERT INTO orders (account_id, code, qty) \
             VALUES (1, md5(random()::text || clock_timestamp()::text), 1)",
        );
        slowest = slowest.max(started.elapsed());
        count += 1;
        if let Err(e) = result {
            errors.push(e);
        }
    }
    (slowest, count, errors)
}

/// A second handle on the test database for the writer thread: psql, one connection per
/// insert, so the latency measured includes nothing shared with the migration.
struct PostgresDbUrl(String);

impl PostgresDbUrl {
    fn execute(&self, sql: &str) -> Result<(), String> {
        let output = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.0,
                "-c",
                sql,
            ])
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

#[test]
fn lock_safe_plan_never_blocks_a_writer_longer_than_the_lock_timeout() {
    let (slowest, took) = apply_under_writes(true);
    assert!(
        slowest < LOCK_TIMEOUT,
        "an insert waited {slowest:?} (lock_timeout {LOCK_TIMEOUT:?}); the upgrade took {took:?}"
    );
}

#[test]
#[ignore = "control, by hand: the plain plan blocks the writer"]
fn plain_plan_blocks_the_writer() {
    let (slowest, took) = apply_under_writes(false);
    eprintln!("plain: slowest {slowest:?}, upgrade {took:?}");
}

/// The V1 -> V2 plan applied by `autogen upgrade` on 300,000 rows while a writer inserts:
/// the slowest insert, and how long the upgrade took.
fn apply_under_writes(lock_safe: bool) -> (Duration, Duration) {
    let db = autogen_testkit::postgres();
    let project = Project::new(&format!("lock_timeout = \"1s\"\nlock_safe = {lock_safe}\n"));
    project.models(V1);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    db.execute(
        "INSERT INTO accounts (id) VALUES (1);
         INSERT INTO orders (account_id, code, qty)
         SELECT 1, md5(g::text), g % 100 FROM generate_series(1, 300000) g;
         ANALYZE orders;",
    );

    project.models(V2);
    let out = project.ok(&db, &["-m", "constraints"]);
    let files = project.files();
    // v1 pair, then the lock-safe plan's pairs: the two concurrent builds (the unique key's
    // index and the plain index) each alone.
    if !lock_safe {
        assert_eq!(files.len(), 4, "{out}\n{files:#?}");
    } else {
        assert!(files.len() >= 2 + 3 * 2, "{out}\n{files:#?}");
        let texts: String = files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("readable"))
            .collect();
        for expected in [
            "CREATE UNIQUE INDEX CONCURRENTLY",
            "CREATE INDEX CONCURRENTLY",
            "USING INDEX",
            "NOT VALID",
            "VALIDATE CONSTRAINT",
            "SET LOCAL lock_timeout = '1s'",
            "SET lock_timeout = '1s'",
        ] {
            assert!(texts.contains(expected), "no {expected} in\n{texts}");
        }
    }

    let stop = Arc::new(AtomicBool::new(false));
    let handle = {
        let (url, stop) = (db.url().to_owned(), Arc::clone(&stop));
        std::thread::spawn(move || writer(url, stop))
    };
    // The writer is running before the migration starts.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    project.ok(&db, &["upgrade"]);
    let took = started.elapsed();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let (slowest, count, errors) = handle.join().expect("writer");
    eprintln!("upgrade took {took:?}; {count} inserts, the slowest {slowest:?}");
    assert!(errors.is_empty(), "the writer failed: {errors:#?}");
    assert!(count > 5, "the writer ran {count} inserts during {took:?}");
    // The models and the database agree: nothing left to do.
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
    let valid = db.query(
        "SELECT count(*)::text FROM pg_constraint WHERE conrelid = 'orders'::regclass \
         AND NOT convalidated",
    );
    assert_eq!(valid[0][0].as_deref(), Some("0"));
    (slowest, took)
}

const UNIQUE_CODE: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "orders")]
#[autogen(unique(columns(code), where = "qty > 0"))]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    pub account_id: Option<i64>,
    pub code: Option<String>,
    pub qty: Option<i32>,
}
"#;

#[test]
fn an_interrupted_concurrent_build_is_repaired_by_the_next_revision() {
    let db = autogen_testkit::postgres();
    let project = Project::new("");
    project.models(V1);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    db.execute("INSERT INTO orders (code, qty) VALUES ('a', 1), ('a', 1), ('b', 1);");
    project.models(UNIQUE_CODE);
    // The data checks would refuse it (they count the duplicates); the point here is a build
    // that fails on the server, so they are skipped.
    project.ok(&db, &["-m", "unique code", "--skip-data-checks"]);
    let failed = project.autogen(&db, &["upgrade"]);
    assert_ne!(
        failed.code, 0,
        "duplicates must fail the build: {}",
        failed.stdout
    );
    let invalid = db.query(
        "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         WHERE NOT i.indisvalid",
    );
    assert_eq!(
        invalid.len(),
        1,
        "a failed concurrent build leaves an invalid index"
    );
    // Read as such: a flag of the index, its access method as it is.
    let json = project.ok(&db, &["inspect", "--format", "json"]);
    assert!(json.contains("\"invalid\": true"), "{json}");
    assert!(!json.contains("(invalid)"), "{json}");

    // The failed migration is removed (it never applied), the data fixed, and the next
    // revision drops the invalid index and builds it again.
    for file in project.files().iter().skip(2) {
        std::fs::remove_file(file).expect("removed");
    }
    db.execute("DELETE FROM orders WHERE id = (SELECT max(id) FROM orders WHERE code = 'a')");
    let out = project.ok(&db, &["-m", "unique code again"]);
    let texts: String = project
        .files()
        .iter()
        .skip(2)
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    assert!(texts.contains("DROP INDEX CONCURRENTLY"), "{out}\n{texts}");
    assert!(
        texts.contains("CREATE UNIQUE INDEX CONCURRENTLY"),
        "{texts}"
    );
    project.ok(&db, &["upgrade"]);
    let invalid = db.query("SELECT count(*)::text FROM pg_index WHERE NOT indisvalid");
    assert_eq!(invalid[0][0].as_deref(), Some("0"));
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
}

const RENAMED: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "purchases", renamed_from = "orders")]
pub struct Purchase {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(references = "accounts.id")]
    pub account_id: Option<i64>,
    #[autogen(unique)]
    pub code: String,
    #[autogen(check = "qty >= 0", index)]
    pub qty: Option<i32>,
}
"#;

/// The table's own relations and constraints, by OID, with their names.
fn objects(db: &PostgresDb, table: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = db
        .query(&format!(
            "SELECT oid::text, conname::text FROM pg_constraint WHERE conrelid = '{table}'::regclass
             UNION ALL
             SELECT c.oid::text, c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = '{table}'::regclass"
        ))
        .into_iter()
        .map(|row| {
            (
                row[0].clone().expect("oid"),
                row[1].clone().expect("name"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_renamed_table_keeps_every_index_and_constraint() {
    let db = autogen_testkit::postgres();
    let project = Project::new("");
    project.models(V2);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    let before = objects(&db, "orders");
    assert!(before.len() >= 6, "{before:?}");

    project.models(RENAMED);
    project.ok(&db, &["-m", "rename"]);
    let text: String = project
        .files()
        .iter()
        .skip(2)
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    eprintln!("{text}");
    assert!(!text.contains("DROP CONSTRAINT"), "{text}");
    assert!(!text.contains("DROP INDEX"), "{text}");
    assert!(!text.contains("CREATE"), "{text}");
    project.ok(&db, &["upgrade"]);
    let after = objects(&db, "purchases");
    let oids = |v: &[(String, String)]| v.iter().map(|(o, _)| o.clone()).collect::<Vec<_>>();
    assert_eq!(oids(&before), oids(&after), "{before:?}\n{after:?}");
    for (_, name) in &after {
        assert!(
            !name.starts_with("orders"),
            "{name} kept the old name: {after:?}"
        );
    }
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
    // And back down.
    project.ok(&db, &["downgrade"]);
    assert_eq!(oids(&objects(&db, "orders")), oids(&before));
}

const CHECKED: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "orders")]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(references = "accounts.id")]
    pub account_id: Option<i64>,
    pub code: Option<String>,
    #[autogen(check = "qty >= 0")]
    pub qty: Option<i32>,
}
"#;

/// The foreign key and check of `orders`: (name, OID, validated).
fn constraints(db: &PostgresDb) -> Vec<(String, String, String)> {
    db.query(
        "SELECT conname::text, oid::text, convalidated::text FROM pg_constraint \
         WHERE conrelid = 'orders'::regclass AND contype IN ('c', 'f') ORDER BY 1",
    )
    .into_iter()
    .map(|r| {
        let field = |i: usize| r[i].clone().expect("not null");
        (field(0), field(1), field(2))
    })
    .collect()
}

#[test]
fn a_constraint_left_not_valid_is_validated_by_the_next_revision() {
    let db = autogen_testkit::postgres();
    let project = Project::new("");
    project.models(V1);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    db.execute("INSERT INTO orders (account_id, qty) VALUES (7, -1)");
    project.models(CHECKED);
    // The data checks would refuse it; the point is a VALIDATE that fails on the server.
    project.ok(&db, &["-m", "checked", "--skip-data-checks"]);
    let failed = project.autogen(&db, &["upgrade"]);
    assert_ne!(failed.code, 0, "the rows must fail: {}", failed.stdout);
    // The check comes first and is left NOT VALID; the foreign key is left so as a second
    // failed run would leave it (the first stops at the check).
    assert_eq!(constraints(&db).len(), 1, "{:?}", constraints(&db));
    db.execute(
        "ALTER TABLE orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) \
         REFERENCES accounts (id) NOT VALID",
    );
    let left = constraints(&db);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left.iter().all(|(_, _, valid)| valid == "false"),
        "{left:?}"
    );

    // Read as NOT VALID: drift, although the constraints are there.
    for file in project.files().iter().skip(2) {
        std::fs::remove_file(file).expect("removed");
    }
    let check = project.autogen(&db, &["check"]);
    assert_eq!(check.code, 1, "{}\n{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("(NOT VALID)"), "{}", check.stdout);

    // The rows fixed, the next revision validates both, in place.
    db.execute("INSERT INTO accounts (id) VALUES (7); UPDATE orders SET qty = 1");
    project.ok(&db, &["-m", "validate"]);
    let files = project.files();
    let up: String = files
        .iter()
        .skip(2)
        .filter(|f| f.to_string_lossy().ends_with(".up.sql"))
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    let down: String = files
        .iter()
        .skip(2)
        .filter(|f| f.to_string_lossy().ends_with(".down.sql"))
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    assert_eq!(up.matches("VALIDATE CONSTRAINT").count(), 2, "{up}");
    assert!(!up.contains("DROP CONSTRAINT"), "{up}");
    assert!(!up.contains("ADD CONSTRAINT"), "{up}");
    // Each VALIDATE in a transaction of its own.
    assert!(up.starts_with("-- no-transaction"), "{up}");
    assert_eq!(up.matches("COMMIT").count(), 2, "{up}");
    assert_eq!(down.matches("NOT VALID;").count(), 2, "{down}");
    project.ok(&db, &["upgrade"]);
    let validated = constraints(&db);
    let oids = |v: &[(String, String, String)]| v.iter().map(|c| c.1.clone()).collect::<Vec<_>>();
    assert_eq!(oids(&validated), oids(&left), "validated in place");
    assert!(
        validated.iter().all(|(_, _, valid)| valid == "true"),
        "{validated:?}"
    );
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
    assert_eq!(project.autogen(&db, &["check"]).code, 0);

    // The down puts them back NOT VALID.
    project.ok(&db, &["downgrade"]);
    let back = constraints(&db);
    assert_eq!(back.len(), 2, "{back:?}");
    assert!(
        back.iter().all(|(_, _, valid)| valid == "false"),
        "{back:?}"
    );
}

/// `pg_dump -s` of `db`, its lines sorted (the order of a dump is not the point), without
/// comments, blank lines and the per-dump `\restrict` key.
fn dump(db: &PostgresDb) -> Vec<String> {
    let output = Command::new("pg_dump")
        .args([
            "-s",
            "--no-owner",
            "--no-privileges",
            "-T",
            "_sqlx_migrations",
        ])
        .args(["-d", db.url()])
        .output()
        .expect("pg_dump runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("--") && !l.starts_with('\\'))
        .filter(|l| !l.contains("_sqlx_migrations"))
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_database_keeping_not_valid_constraints_round_trips_through_diff() {
    let wanted = autogen_testkit::postgres();
    wanted.execute(
        "CREATE TABLE accounts (id bigint PRIMARY KEY);
         CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, qty integer);
         INSERT INTO orders VALUES (1, 7, -1);
         ALTER TABLE orders ADD CONSTRAINT orders_qty_check CHECK (qty >= 0) NOT VALID;
         ALTER TABLE orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id)
             REFERENCES accounts (id) NOT VALID;",
    );
    let empty = autogen_testkit::postgres();
    let project = Project::new("");
    let run = project.autogen(
        &empty,
        &[
            "diff",
            "--from",
            empty.url(),
            "--to",
            wanted.url(),
            "--format",
            "up",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    empty.execute(&run.stdout);
    assert_eq!(dump(&empty), dump(&wanted), "{}", run.stdout);
    // And nothing left to do either way.
    let again = project.autogen(
        &empty,
        &[
            "diff",
            "--from",
            empty.url(),
            "--to",
            wanted.url(),
            "--exit-code",
        ],
    );
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
}

const SEQUENCES: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "orders")]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(sql_type = "serial")]
    pub ticket: i32,
}
"#;

/// The sequences of `orders`/`purchases`' columns: (column, OID, name).
fn column_sequences(db: &PostgresDb, table: &str) -> Vec<(String, String, String)> {
    db.query(&format!(
        "SELECT a.attname::text, s.oid::text, s.relname::text FROM pg_attribute a
         JOIN pg_class s ON s.oid = pg_get_serial_sequence('{table}', a.attname)::regclass
         WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0 ORDER BY 1"
    ))
    .into_iter()
    .map(|r| {
        let field = |i: usize| r[i].clone().expect("not null");
        (field(0), field(1), field(2))
    })
    .collect()
}

#[test]
fn a_renamed_table_renames_its_serial_and_identity_sequences() {
    let db = autogen_testkit::postgres();
    let project = Project::new("");
    project.models(SEQUENCES);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    db.execute("INSERT INTO orders DEFAULT VALUES");
    let before = column_sequences(&db, "orders");
    assert_eq!(
        before.iter().map(|s| s.2.as_str()).collect::<Vec<_>>(),
        ["orders_id_seq", "orders_ticket_seq"]
    );

    project.models(&SEQUENCES.replace(
        "table = \"orders\"",
        "table = \"purchases\", renamed_from = \"orders\"",
    ));
    project.ok(&db, &["-m", "rename"]);
    project.ok(&db, &["upgrade"]);
    let after = column_sequences(&db, "purchases");
    let oids = |v: &[(String, String, String)]| v.iter().map(|s| s.1.clone()).collect::<Vec<_>>();
    assert_eq!(oids(&after), oids(&before), "the same sequences: {after:?}");
    assert_eq!(
        after.iter().map(|s| s.2.as_str()).collect::<Vec<_>>(),
        ["purchases_id_seq", "purchases_ticket_seq"]
    );
    // The counters went on.
    db.execute("INSERT INTO purchases DEFAULT VALUES");
    let next = db.query("SELECT max(id)::text, max(ticket)::text FROM purchases");
    assert_eq!(next[0], [Some("2".to_owned()), Some("2".to_owned())]);
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
    // As a table created under the new name would be.
    let fresh = autogen_testkit::postgres();
    let other = Project::new("");
    other.models(&SEQUENCES.replace("table = \"orders\"", "table = \"purchases\""));
    other.ok(&fresh, &["-m", "purchases"]);
    other.ok(&fresh, &["upgrade"]);
    assert_eq!(dump(&db), dump(&fresh));

    project.ok(&db, &["downgrade"]);
    assert_eq!(column_sequences(&db, "orders"), before);
}

const INDEXED: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "orders", unique(columns(code), where = "qty > 0"))]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i64,
    pub account_id: Option<i64>,
    pub code: Option<String>,
    #[autogen(index)]
    pub qty: Option<i32>,
}
"#;

/// The hazard lines of a summary (`! ...`), as a file header writes them too (`-- ` before).
fn hazard_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .map(|l| l.trim_start_matches("--").trim())
        .filter(|l| l.starts_with('!'))
        .map(str::to_owned)
        .collect();
    out.sort();
    out
}

#[test]
fn check_diff_and_the_file_header_name_the_same_lock_safe_hazards() {
    let db = autogen_testkit::postgres();
    let project = Project::new("");
    project.models(V1);
    project.ok(&db, &["-m", "orders"]);
    project.ok(&db, &["upgrade"]);
    project.models(INDEXED);
    let check = project.autogen(&db, &["check"]);
    assert_eq!(check.code, 1, "{}\n{}", check.stdout, check.stderr);
    let diff = project.ok(&db, &["diff"]);
    project.ok(&db, &["-m", "indexes"]);
    let headers: String = project
        .files()
        .iter()
        .skip(2)
        .filter(|f| f.to_string_lossy().ends_with(".up.sql"))
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    let from_check = hazard_lines(&check.stdout);
    assert!(
        from_check.iter().any(|h| h.contains("concurrently")),
        "{}",
        check.stdout
    );
    assert!(
        !from_check.iter().any(|h| h.contains("lock")),
        "{}",
        check.stdout
    );
    assert_eq!(from_check, hazard_lines(&diff), "{diff}");
    assert_eq!(from_check, hazard_lines(&headers), "{headers}");
}

const EVENTS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "events", primary_key(id, at))]
#[autogen(index(name = "events_kind_idx", columns(kind)))]
#[autogen(unique(name = "events_code_at_key", columns(code, at)))]
pub struct Event {
    pub id: i64,
    pub at: chrono::NaiveDate,
    pub kind: Option<String>,
    pub code: Option<String>,
    #[autogen(references = "accounts.id")]
    pub account_id: Option<i64>,
}
"#;

/// A partitioned table takes the plain forms in a lock-safe plan: PostgreSQL builds no index
/// of one concurrently ("cannot create index on partitioned table concurrently"), adds it no
/// key `USING INDEX` and no foreign key `NOT VALID`. The revision applies, up and down, and
/// its partitions get the new index too.
#[test]
fn a_partitioned_table_gets_its_index_key_and_foreign_key_the_plain_way() {
    let db = autogen_testkit::postgres();
    db.execute(
        "CREATE TABLE accounts (id bigint PRIMARY KEY);
         CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text, code text,
             account_id bigint, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
         INSERT INTO accounts VALUES (1);
         INSERT INTO events VALUES (1, '2026-12-04', 'a', 'x', 1);",
    );
    let project = Project::new("");
    project.models(EVENTS);
    project.ok(&db, &["-m", "index the events"]);
    let text: String = project
        .files()
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable"))
        .collect();
    assert!(text.contains("CREATE INDEX"), "{text}");
    assert!(!text.contains("CONCURRENTLY"), "{text}");
    assert!(!text.contains("NOT VALID"), "{text}");
    project.ok(&db, &["upgrade"]);
    let on_partition =
        db.query("SELECT count(*)::text FROM pg_index WHERE indrelid = 'events_2026'::regclass");
    assert_eq!(
        on_partition,
        [[Some("3".to_owned())]],
        "the key, the unique key and the index"
    );
    assert!(
        project
            .ok(&db, &["-m", "again"])
            .contains("No changes detected")
    );
    project.ok(&db, &["downgrade"]);
}
