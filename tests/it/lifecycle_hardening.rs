//! Issue 12: the lifecycle under concurrency, crashes and bad input, through the real binary.
//!
//! Two real `autogen` processes for the locks (MariaDB and PostgreSQL), status during a run,
//! a carriage return in `-m`, a mistyped `--migrations`, file modes, two `-m` at once, closed
//! pipes, out-of-order migrations and two heads, `stamp` and `resolve`, `--schema ''`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A project directory with `migrations/`.
struct Project {
    dir: tempfile::TempDir,
    url: String,
}

impl Project {
    fn new(url: &str) -> Project {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir(dir.path().join("migrations")).unwrap();
        Project {
            dir,
            url: url.to_owned(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn migration(&self, version: &str, name: &str, up: &str, down: &str) {
        let folder = self.path().join("migrations");
        std::fs::write(folder.join(format!("{version}_{name}.up.sql")), up).unwrap();
        std::fs::write(folder.join(format!("{version}_{name}.down.sql")), down).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
        command
            .current_dir(self.path())
            .env_remove("RUST_BACKTRACE")
            .env("DATABASE_URL", &self.url)
            .args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        output(self.command(args).output().expect("autogen runs"))
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(
            r.code == 0,
            "autogen {args:?} failed ({}): {}{}",
            r.code,
            r.stdout,
            r.stderr
        );
        r.stdout
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("autogen starts")
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.path().join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }
}

fn output(out: std::process::Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn wait(child: Child) -> Run {
    output(child.wait_with_output().expect("autogen ends"))
}

const V1: &str = "20240101000000";
const V2: &str = "20240102000000";
const V3: &str = "20240103000000";

/// Two `downgrade -1` at once on MariaDB: the down file runs once, the loser waits (told who
/// holds the lock) and then has nothing to revert; no "repair by hand".
#[test]
fn mariadb_two_downgrades_at_once_revert_once() {
    let db = autogen_testkit::mariadb();
    db.execute("CREATE TABLE runs (n int)");
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.migration(
        V2,
        "slow",
        "CREATE TABLE b (id int);\n",
        "INSERT INTO runs VALUES (1);\nSELECT SLEEP(2);\nDROP TABLE b;\n",
    );
    p.ok(&["upgrade"]);
    let first = p.spawn(&["downgrade", "-1"]);
    std::thread::sleep(Duration::from_millis(500));
    let second = p.spawn(&["downgrade", "-1"]);
    let (a, b) = (wait(first), wait(second));
    for r in [&a, &b] {
        assert_eq!(r.code, 0, "{r:?}");
        assert!(!r.stderr.contains("by hand"), "{r:?}");
    }
    assert_eq!(
        db.query("SELECT COUNT(*) FROM runs")[0][0].as_deref(),
        Some("1")
    );
    assert!(a.stdout.contains(&format!("reverted {V2} slow")), "{a:?}");
    assert!(b.stdout.contains("nothing to revert"), "{b:?}");
    assert!(
        b.stderr
            .contains("waiting for the migration lock, held by session"),
        "{b:?}"
    );
    assert!(p.ok(&["current"]).starts_with(&format!("{V1} first")));
}

/// Two `upgrade`s at once on MariaDB: each migration once, the loser finds nothing to do, and
/// `status` during the run says "in progress", not "failed".
#[test]
fn mariadb_two_upgrades_at_once_apply_once_and_status_says_in_progress() {
    let db = autogen_testkit::mariadb();
    db.execute("CREATE TABLE runs (n int)");
    let p = Project::new(db.url());
    p.migration(
        V1,
        "slow",
        "INSERT INTO runs VALUES (1);\nSELECT SLEEP(2);\nCREATE TABLE a (id int);\n",
        "DROP TABLE a;\n",
    );
    let first = p.spawn(&["upgrade"]);
    std::thread::sleep(Duration::from_millis(700));
    let second = p.spawn(&["upgrade"]);
    let status = p.run(&["status"]);
    let (a, b) = (wait(first), wait(second));
    assert_eq!(status.code, 1, "{status:?}");
    assert!(
        status.stdout.contains("in progress: 20240101000000 slow"),
        "{status:?}"
    );
    assert!(!status.stdout.contains("failed"), "{status:?}");
    assert!(status.stderr.is_empty(), "{status:?}");
    for r in [&a, &b] {
        assert_eq!(r.code, 0, "{r:?}");
        assert!(!r.stderr.contains("by hand"), "{r:?}");
    }
    assert_eq!(
        db.query("SELECT COUNT(*) FROM runs")[0][0].as_deref(),
        Some("1")
    );
    assert!(b.stdout.contains("nothing to apply"), "{b:?}");
    assert_eq!(p.run(&["status"]).code, 0);
}

/// PostgreSQL: the same, with `pg_sleep`.
#[test]
fn postgres_two_downgrades_at_once_revert_once() {
    let db = autogen_testkit::postgres();
    db.query("CREATE TABLE runs (n int)");
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.migration(
        V2,
        "slow",
        "CREATE TABLE b (id int);\n",
        "INSERT INTO runs VALUES (1);\nSELECT pg_sleep(2);\nDROP TABLE b;\n",
    );
    p.ok(&["upgrade"]);
    let first = p.spawn(&["downgrade", "-1"]);
    std::thread::sleep(Duration::from_millis(500));
    let second = p.spawn(&["downgrade", "-1"]);
    // PostgreSQL records a migration when it is done: status names the run by its lock.
    let status = p.run(&["status"]);
    let (a, b) = (wait(first), wait(second));
    assert_eq!((a.code, b.code), (0, 0), "{a:?} {b:?}");
    assert_eq!(status.code, 1, "{status:?}");
    assert!(
        status
            .stdout
            .contains("in progress: a migration run by session"),
        "{status:?}"
    );
    assert!(!status.stdout.contains("failed"), "{status:?}");
    assert_eq!(
        db.query("SELECT count(*) FROM runs")[0][0].as_deref(),
        Some("1")
    );
    assert!(b.stdout.contains("nothing to revert"), "{b:?}");
    assert!(
        b.stderr
            .contains("waiting for the migration lock, held by session"),
        "{b:?}"
    );
    assert!(p.ok(&["current"]).starts_with(&format!("{V1} first")));
}

/// SQLite: no advisory lock in sqlx, a file lock in autogen; the same guarantees.
#[test]
fn sqlite_two_downgrades_at_once_revert_once() {
    let db = autogen_testkit::sqlite();
    db.execute("CREATE TABLE runs (n int)");
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    // A down file that takes a while: a few million rows counted.
    p.migration(
        V2,
        "slow",
        "CREATE TABLE b (id int);\n",
        "INSERT INTO runs WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
         WHERE x < 3000000) SELECT count(*) FROM c;\nDROP TABLE b;\n",
    );
    p.ok(&["upgrade"]);
    let first = p.spawn(&["downgrade", "-1"]);
    std::thread::sleep(Duration::from_millis(300));
    let second = p.spawn(&["downgrade", "-1"]);
    let (a, b) = (wait(first), wait(second));
    assert_eq!((a.code, b.code), (0, 0), "{a:?} {b:?}");
    assert_eq!(
        db.query("SELECT count(*) FROM runs")[0][0].as_deref(),
        Some("1")
    );
    let reverted = [&a, &b]
        .iter()
        .filter(|r| r.stdout.contains(&format!("reverted {V2} slow")))
        .count();
    assert_eq!(reverted, 1, "{a:?} {b:?}");
    assert!(
        b.stderr
            .contains("waiting for the migration lock, held by another autogen process"),
        "the runs overlapped: {b:?}"
    );
    assert!(p.ok(&["current"]).starts_with(&format!("{V1} first")));
}

/// A carriage return (or U+2028, or `*/`) in the message stays inside the header comment: the
/// "statement" after it never runs.
#[test]
fn a_line_break_in_the_message_cannot_leave_the_header() {
    let db = autogen_testkit::postgres();
    db.query("CREATE TABLE t (id int)");
    let p = Project::new(db.url());
    for message in [
        "add note\rDROP TABLE t;",
        "add note\u{2028}DROP TABLE t;",
        "add note */ DROP TABLE t; /*",
    ] {
        p.ok(&["-m", message, "--empty"]);
        p.ok(&["upgrade"]);
        let exists = db.query("SELECT to_regclass('t') IS NOT NULL");
        assert_eq!(exists[0][0].as_deref(), Some("t"), "{message:?}");
    }
    for file in p.files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            assert!(line.starts_with("--"), "{}: {line:?}", file.display());
            assert!(
                !line.contains('\r') && !line.contains('\u{2028}'),
                "{line:?}"
            );
        }
    }
}

/// A mistyped `--migrations` on a database with applied migrations is refused, naming the flag,
/// and no folder is created.
#[test]
fn a_mistyped_migrations_folder_is_refused_not_created() {
    let db = autogen_testkit::postgres();
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.ok(&["upgrade"]);
    let r = p.run(&["--migrations", "migratoins", "-m", "next", "--empty"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(&format!("migration {V1} (first) was applied")),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("from --migrations) does not exist"),
        "{r:?}"
    );
    assert!(!p.path().join("migratoins").exists());
}

/// Files get the mode any new file gets (0644 under the usual umask), not tempfile's 0600.
#[cfg(unix)]
#[test]
fn migration_files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let db = autogen_testkit::sqlite();
    let p = Project::new(db.url());
    p.ok(&["-m", "first", "--empty"]);
    let plain = p.path().join("plain");
    std::fs::write(&plain, "x").unwrap();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode(&plain), 0o600, "the test's umask hides the difference");
    for file in p.files() {
        assert_eq!(mode(&file), mode(&plain), "{}", file.display());
    }
}

/// Three `-m` at once in one folder: they take turns on the folder lock, so no two share a
/// version (the later ones see the first's migration pending and refuse, not being at head).
#[test]
fn concurrent_revisions_never_share_a_version() {
    let db = autogen_testkit::sqlite();
    let p = Project::new(db.url());
    let children: Vec<Child> = (0..3)
        .map(|i| p.spawn(&["-m", &format!("change {i}"), "--empty"]))
        .collect();
    let runs: Vec<Run> = children.into_iter().map(wait).collect();
    let written = runs.iter().filter(|r| r.code == 0).count();
    assert!(written >= 1, "{runs:?}");
    for r in runs.iter().filter(|r| r.code != 0) {
        assert!(r.stderr.contains("not at head"), "{r:?}");
    }
    let mut versions: Vec<String> = p
        .files()
        .iter()
        .map(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .split('_')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(versions.len(), 2 * written, "two files per migration");
    versions.dedup();
    assert_eq!(versions.len(), written, "one version per migration");
    let status = p.run(&["status"]);
    assert_eq!(status.code, 1, "pending, nothing wrong: {status:?}");
}

/// Closed stdout and stderr (`autogen .. 2>&1 | head -0`): no panic (101), the error's code.
#[test]
fn closed_pipes_do_not_panic() {
    let db = autogen_testkit::sqlite();
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    for (args, expected) in [
        (vec!["history"], [0, 2]),
        (vec!["status", "--schema", ""], [2, 2]),
        (vec!["upgrade", "+5"], [2, 2]),
        (vec!["-m", "x", "--empty", "--dry-run"], [0, 2]),
    ] {
        for _ in 0..3 {
            let mut child = p.spawn(&args);
            drop(child.stdout.take());
            drop(child.stderr.take());
            let code = child.wait().unwrap().code();
            assert!(
                code.is_some_and(|c| expected.contains(&c)),
                "autogen {args:?} exited {code:?}"
            );
        }
    }
}

/// A teammate's migration, older than the newest applied one: `status` exit 2, `upgrade`
/// refuses, `--allow-out-of-order` applies it.
#[test]
fn out_of_order_migrations_are_reported_and_refused_unless_allowed() {
    let db = autogen_testkit::postgres();
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.migration(V3, "third", "CREATE TABLE c (id int);\n", "DROP TABLE c;\n");
    p.ok(&["upgrade"]);
    p.migration(
        V2,
        "theirs",
        "CREATE TABLE b (id int);\n",
        "DROP TABLE b;\n",
    );
    let status = p.run(&["status"]);
    assert_eq!(status.code, 2, "{status:?}");
    assert!(
        status.stdout.contains(&format!(
            "out of order: {V2} theirs (pending, but older than the applied {V3})"
        )),
        "{status:?}"
    );
    let refused = p.run(&["upgrade"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("--allow-out-of-order"),
        "{refused:?}"
    );
    assert!(p.run(&["upgrade", "--sql"]).code == 2);
    let out = p.ok(&["upgrade", "--allow-out-of-order"]);
    assert!(out.contains(&format!("applied {V2} theirs")), "{out}");
    assert_eq!(p.run(&["status"]).code, 0);
}

const TASKS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "tasks")]
pub struct Task {
    #[autogen(primary_key)]
    pub id: i64,
}
"#;

/// Each generated migration records its base; two on the same base are two heads for
/// `status` (exit 2) and `check`, with what to do; a migration on top of both joins them.
#[test]
fn two_migrations_on_the_same_base_are_reported_as_two_heads() {
    let db = autogen_testkit::postgres();
    let p = Project::new(db.url());
    std::fs::write(p.path().join("models.rs"), TASKS).unwrap();
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.ok(&["upgrade"]);
    p.ok(&["-m", "mine", "--empty"]);
    let mine = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("_mine.up.sql"))
        .unwrap();
    let text = std::fs::read_to_string(&mine).unwrap();
    assert!(
        text.contains(&format!("-- generated on top of {V1}\n")),
        "{text}"
    );
    // A teammate's migration on the same base, merged after mine was written.
    p.migration(
        V2,
        "theirs",
        &format!("-- theirs\n-- generated on top of {V1}\nSELECT 1;\n"),
        "SELECT 1;\n",
    );
    let status = p.run(&["status"]);
    assert_eq!(status.code, 2, "{status:?}");
    assert!(
        status
            .stdout
            .contains(&format!("two heads: {V2} theirs and ")),
        "{status:?}"
    );
    assert!(
        status.stderr.contains("write a migration on top of both"),
        "{status:?}"
    );
    let check = p.run(&["--models", "models.rs", "check"]);
    assert!(check.stdout.contains("note: two heads:"), "{check:?}");
    p.ok(&["upgrade"]);
    p.ok(&["-m", "join", "--empty"]);
    p.ok(&["upgrade"]);
    let status = p.run(&["status"]);
    assert_eq!(status.code, 0, "{status:?}");
}

/// `stamp` records without running, the way sqlx records (its migrator accepts the rows);
/// `resolve` settles a failed row; both refuse when the state does not fit and show in
/// `history`.
#[test]
fn stamp_and_resolve_repair_the_bookkeeping_and_are_audited() {
    let db = autogen_testkit::postgres();
    let p = Project::new(db.url());
    p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
    p.migration(
        V2,
        "second",
        "CREATE TABLE b (id int);\n",
        "DROP TABLE b;\n",
    );
    // The tables exist already (made by hand): stamp instead of running.
    db.query("CREATE TABLE a (id int)");
    let out = p.ok(&["stamp", V1]);
    assert!(
        out.contains(&format!("recorded {V1} first as applied (not run)")),
        "{out}"
    );
    assert_eq!(
        p.run(&["status"]).code,
        1,
        "V2 pending, V1 checksum as sqlx computes it"
    );
    p.ok(&["upgrade"]);
    // sqlx's own migrator agrees with the rows (checksums, success).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(db.url())
            .await
            .unwrap();
        let migrator = sqlx::migrate::Migrator::new(p.path().join("migrations"))
            .await
            .unwrap();
        migrator
            .run(&mut conn)
            .await
            .expect("sqlx accepts the stamped rows");
    });
    p.ok(&["stamp", "base"]);
    assert_eq!(p.ok(&["current"]), "base (2 pending)\n");
    p.ok(&["stamp", "head"]);
    assert_eq!(p.run(&["status"]).code, 0);
    let unknown = p.run(&["stamp", "20990101000000"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");

    // resolve: only a failed row.
    let refused = p.run(&["resolve", V2, "--applied"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("is applied, not failed"),
        "{refused:?}"
    );
    db.query(&format!(
        "UPDATE _sqlx_migrations SET success = false WHERE version = {V2}"
    ));
    let status = p.run(&["status"]);
    assert_eq!(status.code, 2);
    assert!(
        status
            .stdout
            .contains(&format!("autogen resolve {V2} --applied")),
        "{status:?}"
    );
    p.ok(&["resolve", V2, "--rolled-back"]);
    assert_eq!(p.run(&["status"]).code, 1, "pending again");
    db.query("DROP TABLE b");
    p.ok(&["upgrade"]);
    db.query(&format!(
        "UPDATE _sqlx_migrations SET success = false WHERE version = {V2}"
    ));
    p.ok(&["resolve", V2, "--applied"]);
    assert_eq!(p.run(&["status"]).code, 0);
    assert!(
        p.run(&["resolve", V2]).code == 2,
        "one of --applied / --rolled-back"
    );

    let history = p.ok(&["history"]);
    assert!(
        history.contains("repairs (recorded in _autogen_audit):"),
        "{history}"
    );
    assert_eq!(history.matches("  stamp ").count(), 3, "{history}");
    assert_eq!(history.matches("  resolve --").count(), 2, "{history}");
}

/// MariaDB: a statement that fails leaves a failed row; `resolve --rolled-back` after undoing
/// by hand makes it pending again, and the fixed file applies.
#[test]
fn mariadb_resolve_a_failed_migration() {
    let db = autogen_testkit::mariadb();
    let p = Project::new(db.url());
    p.migration(
        V1,
        "broken",
        "CREATE TABLE a (id int);\nCREATE TABLE a (id int);\n",
        "DROP TABLE a;\n",
    );
    let failed = p.run(&["upgrade"]);
    assert_eq!(failed.code, 2, "{failed:?}");
    assert!(
        failed.stderr.contains(&format!("autogen resolve {V1}")),
        "{failed:?}"
    );
    let status = p.run(&["status"]);
    assert!(status.stdout.contains("failed:"), "{status:?}");
    db.execute("DROP TABLE a");
    p.ok(&["resolve", V1, "--rolled-back"]);
    p.migration(
        V1,
        "broken",
        "CREATE TABLE a (id int);\n",
        "DROP TABLE a;\n",
    );
    p.ok(&["upgrade"]);
    assert_eq!(p.run(&["status"]).code, 0);
}

/// `--schema ''` is an error naming the flag, for every command that reads it.
#[test]
fn an_empty_schema_name_is_refused() {
    let db = autogen_testkit::sqlite();
    let p = Project::new(db.url());
    for command in [
        &["diff"][..],
        &["status"],
        &["upgrade"],
        &["check"],
        &["-m", "x"],
    ] {
        let mut args = command.to_vec();
        args.extend(["--schema", ""]);
        let r = p.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert_eq!(
            r.stderr, "error: --schema needs a schema name; an empty one was given\n",
            "{args:?}"
        );
    }
}

/// `url` with the password `Secr3t` added to its user info (PostgreSQL's local service trusts
/// it: the URL still connects).
fn with_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("scheme://");
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or(user);
            format!("{scheme}://{user}:Secr3t@{host}")
        }
        None => format!("{scheme}://postgres:Secr3t@{rest}"),
    }
}

/// No password of any URL form appears in any output of any command, whether the URL comes from
/// the flag, DATABASE_URL or `.env`, in errors from the driver, under `-v` (every connection and
/// statement; the URL from the environment or `.env` runs with `-v`, from the flag without) or
/// in generated files (a message that holds a URL included). The working URLs, on PostgreSQL
/// and MariaDB, carry a real password.
#[test]
fn no_password_in_any_output() {
    let pg = autogen_testkit::postgres();
    let working = with_password(pg.url());
    let maria = autogen_testkit::mariadb();
    // A MariaDB user whose password is the secret (root has none).
    for sql in [
        "CREATE USER IF NOT EXISTS 'autogen_secret'@'%' IDENTIFIED BY 'Secr3t'".to_owned(),
        "CREATE USER IF NOT EXISTS 'autogen_secret'@'localhost' IDENTIFIED BY 'Secr3t'".to_owned(),
        format!(
            "GRANT ALL PRIVILEGES ON `{}`.* TO 'autogen_secret'@'%'",
            maria.name()
        ),
        format!(
            "GRANT ALL PRIVILEGES ON `{}`.* TO 'autogen_secret'@'localhost'",
            maria.name()
        ),
    ] {
        maria.try_query(&sql).unwrap();
    }
    let working_maria = format!(
        "mysql://autogen_secret:Secr3t@127.0.0.1:3306/{}",
        maria.name()
    );
    let forms = [
        working.as_str(),
        working_maria.as_str(),
        "postgres://u:Secr3t%40pw@127.0.0.1:1/db",
        "postgres://postgres:Secr3t@127.0.0.1:5432/autogen_no_such_database",
        "postgres://u:Secr3t@[::1/db",
        "mysql:root:Secr3t%40pw@127.0.0.1:3306/db",
        "mysql://root:Secr3t@127.0.0.1:3306/db",
        "mariadb://root:Secr3t@pw@127.0.0.1:3306/db",
        "sqlite://user:Secr3t@/tmp/autogen-no-such-dir/x.db",
        "sqlite:user:Secr3t%40pw@/tmp/autogen-no-such-dir/x.db",
        "oracle://u:Secr3t@h/db",
    ];
    let commands: [&[&str]; 17] = [
        &["status"],
        &["history"],
        &["current"],
        &["upgrade"],
        // At head: the message holding a URL is written (a header, a file name).
        &["-m", "was postgres://u:Secr3t@h/db", "--empty"],
        &["upgrade", "--sql"],
        &["downgrade"],
        &["inspect"],
        &["check"],
        &["diff"],
        &["upgrade"],
        &["-m", "add tasks"],
        &["-m", "empty one", "--empty"],
        &["stamp", "head"],
        &["resolve", V1, "--applied"],
        &["diff", "--from", "URL", "--to", "URL"],
        &["--dev-url", "URL", "check"],
    ];
    for form in forms {
        let p = Project::new(form);
        std::fs::write(p.path().join("models.rs"), TASKS).unwrap();
        p.migration(V1, "first", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n");
        for source in ["flag", "env", "dotenv"] {
            let _ = std::fs::remove_file(p.path().join(".env"));
            for args in commands {
                let args: Vec<&str> = args
                    .iter()
                    .map(|a| if *a == "URL" { form } else { a })
                    .collect();
                let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
                command
                    .current_dir(p.path())
                    .env_remove("DATABASE_URL")
                    .args(["--models", "models.rs"]);
                if source != "flag" {
                    command.arg("-v");
                }
                match source {
                    "flag" => {
                        command.args(["--database-url", form]);
                    }
                    "env" => {
                        command.env("DATABASE_URL", form);
                    }
                    _ => std::fs::write(p.path().join(".env"), format!("DATABASE_URL='{form}'\n"))
                        .unwrap(),
                }
                let r = output(command.args(&args).output().unwrap());
                for (what, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
                    assert!(
                        !text.contains("Secr3t"),
                        "{form} via {source}, autogen {args:?}: the password in {what}:\n{text}"
                    );
                }
                assert_ne!(r.code, 101, "{form} {args:?}: {r:?}");
                // `-v` did show the working databases' connections and statements.
                if source != "flag"
                    && args == ["status"]
                    && [&working, &working_maria].contains(&&form.to_owned())
                {
                    assert!(r.stderr.contains("-- connected to"), "{form}: {r:?}");
                    assert!(r.stderr.contains("_sqlx_migrations"), "{form}: {r:?}");
                }
            }
        }
        for file in p.files() {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(!text.contains("Secr3t"), "{}: {text}", file.display());
            let name = file.display().to_string().to_lowercase();
            assert!(!name.contains("secr3t"), "{name}");
        }
    }
    // The working URLs did write migrations and apply them: the table above saw real output.
    assert!(pg.query("SELECT count(*) FROM _sqlx_migrations")[0][0].as_deref() != Some("0"));
    let applied = maria
        .try_query("SELECT count(*) FROM _sqlx_migrations")
        .unwrap();
    assert_ne!(applied[0][0].as_deref(), Some("0"));
}

/// `-v` prints, on stderr, each connection (server, user, database) and each statement as it
/// runs, with its timing; `-q` prints nothing but errors and what was asked for (`check` and
/// `status` answer with their exit code); without either, neither.
#[test]
fn verbose_shows_connections_and_statements_and_quiet_only_errors() {
    let pg = autogen_testkit::postgres();
    let p = Project::new(&with_password(pg.url()));
    std::fs::write(p.path().join("models.rs"), TASKS).unwrap();
    let models = ["--models", "models.rs"];
    let database = pg.url().rsplit('/').next().unwrap();
    let database = database.split('?').next().unwrap().to_owned();

    let r = p.run(&[&models[..], &["-v", "-m", "add tasks"]].concat());
    assert_eq!(r.code, 0, "{r:?}");
    let connected =
        format!("-- connected to postgres at 127.0.0.1:5432 as postgres, database {database} (");
    assert!(r.stderr.contains(&connected), "{}", r.stderr);
    // Each statement, whole, follows its timing line (`-- 0.42 ms, 3 rows`), the catalog reads
    // included.
    let timed = |stderr: &str, sql: &str| {
        stderr.split("\n-- ").any(|block| {
            let (head, statement) = block.split_once('\n').unwrap_or((block, ""));
            (head.ends_with(" ms") || head.contains(" ms, ")) && statement.contains(sql)
        })
    };
    assert!(timed(&r.stderr, "FROM pg_attribute"), "{}", r.stderr);
    assert!(r.stdout.contains("wrote "), "{r:?}");
    let r = p.run(&[&models[..], &["upgrade", "--verbose"]].concat());
    assert_eq!(r.code, 0, "{r:?}");
    // The migration's own statements (its header comments included, so not split on `-- `).
    assert!(
        r.stderr.contains("CREATE TABLE \"public\".\"tasks\""),
        "{}",
        r.stderr
    );
    assert!(
        timed(&r.stderr, "INSERT INTO _sqlx_migrations"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Secr3t"), "{}", r.stderr);

    // Without -v: no connection, no statement.
    let r = p.run(&[&models[..], &["check"]].concat());
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "the database matches the models\n", "")
    );

    // -q: nothing for what was done or found, the answer asked for still, errors always.
    for args in [
        &["check"][..],
        &["status"],
        &["upgrade"],
        &["downgrade"],
        &["upgrade"],
    ] {
        let r = p.run(&[&models[..], &["-q"], args].concat());
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (0, "", ""),
            "-q {args:?}"
        );
    }
    assert_eq!(
        p.run(&[&models[..], &["-q", "-m", "nothing"]].concat())
            .stdout,
        ""
    );
    std::fs::write(
        p.path().join("models.rs"),
        TASKS.replace("id: i64,", "id: i64,\n    pub note: String,"),
    )
    .unwrap();
    let r = p.run(&[&models[..], &["--quiet", "check"]].concat());
    assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{r:?}");
    let r = p.run(&[&models[..], &["-q", "diff", "--format", "up"]].concat());
    assert!(r.stdout.contains("ADD COLUMN \"note\""), "{r:?}");
    let r = p.run(&[&models[..], &["-q", "inspect"]].concat());
    assert!(r.stdout.contains("CREATE TABLE"), "{r:?}");
    let r = p.run(&["-q", "--models", "missing.rs", "check"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: "), "{r:?}");
    // Both at once is a contradiction, refused by the command line.
    assert_eq!(
        p.run(&[&models[..], &["-q", "-v", "check"]].concat()).code,
        2
    );
}
