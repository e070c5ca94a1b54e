//! The migration lifecycle through the real binary on real PostgreSQL: `status`, `upgrade`,
//! `current`, `history`, `downgrade`, `upgrade --sql`, `init`, the configuration file and `.env`,
//! and the folder shared with sqlx's own migrator.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_testkit::PostgresDb;

const V1: &str = "20240101000000";
const V2: &str = "20240102000000";
const V1_UP: &str = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n";
const V2_UP: &str = "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));\nCREATE INDEX posts_user_id_idx ON posts (user_id);\n";

/// A project directory with `migrations/` holding the two hand-written migrations.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    for (name, sql) in [
        (format!("{V1}_create_users.up.sql"), V1_UP),
        (format!("{V1}_create_users.down.sql"), "DROP TABLE users;\n"),
        (format!("{V2}_create_posts.up.sql"), V2_UP),
        (format!("{V2}_create_posts.down.sql"), "DROP TABLE posts;\n"),
    ] {
        std::fs::write(migrations.join(name), sql).unwrap();
    }
    dir
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The binary, run in `dir` with nothing from the test's environment that could steer it.
fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("APP_DB")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1");
    command
}

fn run(mut command: Command) -> Run {
    let output = command.output().expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: text(output.stdout),
        stderr: text(output.stderr),
    }
}

/// `autogen ARGS` in `dir` on the database `db` (through DATABASE_URL, as users set it).
fn autogen(dir: &Path, db: &PostgresDb, args: &[&str]) -> Run {
    let mut command = command(dir);
    command.env("DATABASE_URL", db.url()).args(args);
    run(command)
}

fn ok(dir: &Path, db: &PostgresDb, args: &[&str]) -> String {
    let r = autogen(dir, db, args);
    assert!(
        r.code == 0 && r.stderr.is_empty(),
        "autogen {args:?} failed ({}): {}{}",
        r.code,
        r.stdout,
        r.stderr
    );
    r.stdout
}

/// One `error:` line, exit code 2.
fn error(r: &Run) -> &str {
    assert_eq!(r.code, 2, "expected an error: {r:?}");
    assert!(
        r.stderr.starts_with("error: ")
            && r.stderr.ends_with('\n')
            && r.stderr.lines().count() == 1,
        "one error line expected: {:?}",
        r.stderr
    );
    r.stderr.trim_end()
}

fn applied_versions(db: &PostgresDb) -> Vec<String> {
    let exists = db.query("SELECT to_regclass('_sqlx_migrations') IS NOT NULL");
    if exists[0][0].as_deref() != Some("t") {
        return Vec::new();
    }
    db.query("SELECT version FROM _sqlx_migrations ORDER BY version")
        .into_iter()
        .map(|row| row[0].clone().expect("a version"))
        .collect()
}

/// Every row of `_sqlx_migrations`, all columns as text.
fn migrations_table(db: &PostgresDb) -> Vec<Vec<Option<String>>> {
    db.query(
        "SELECT version::text, description, installed_on::text, success::text, \
         encode(checksum, 'hex'), execution_time::text FROM _sqlx_migrations ORDER BY version",
    )
}

fn table_exists(db: &PostgresDb, table: &str) -> bool {
    db.query(&format!("SELECT to_regclass('{table}') IS NOT NULL"))[0][0].as_deref() == Some("t")
}

/// sqlx's own migrator (what `sqlx migrate run` and `sqlx::migrate!()` run) on the folder.
fn sqlx_migrate_run(dir: &Path, db: &PostgresDb) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(db.url())
            .await
            .expect("a pool");
        let migrator = sqlx::migrate::Migrator::new(dir.to_path_buf())
            .await
            .expect("sqlx reads the folder");
        migrator.run(&pool).await.expect("sqlx applies the rest");
        pool.close().await;
    });
}

#[test]
fn the_whole_lifecycle_and_sqlx_s_migrator_on_the_same_folder() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();

    let status = autogen(dir, &db, &["status"]);
    assert_eq!(status.code, 1, "{status:?}");
    assert_eq!(
        status.stdout,
        format!(
            "current: base (2 pending)\npending: 2\n  {V1} create users\n  {V2} create posts\n"
        )
    );
    assert!(applied_versions(&db).is_empty(), "status creates nothing");
    assert!(!table_exists(&db, "_sqlx_migrations"));

    assert_eq!(
        ok(dir, &db, &["upgrade"]),
        format!(
            "applied {V1} create users\napplied {V2} create posts\nat {V2} create posts (head)\n"
        )
    );
    assert_eq!(
        ok(dir, &db, &["upgrade"]),
        format!("nothing to apply\nat {V2} create posts (head)\n")
    );
    assert_eq!(
        ok(dir, &db, &["status"]),
        format!("current: {V2} create posts (head)\nnothing pending\n")
    );
    assert_eq!(
        ok(dir, &db, &["current"]),
        format!("{V2} create posts (head)\n")
    );
    let history = ok(dir, &db, &["history"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(
        lines[0].starts_with(&format!("{V1}  applied  ")),
        "{history}"
    );
    assert!(lines[0].ends_with("Z  create users"), "{history}");
    assert!(
        lines[1].starts_with(&format!("{V2}  applied  ")),
        "{history}"
    );
    assert!(
        lines[1].ends_with("create posts (current, head)"),
        "{history}"
    );
    assert!(table_exists(&db, "posts"));

    assert_eq!(
        ok(dir, &db, &["downgrade", "-1"]),
        format!("reverted {V2} create posts\nat {V1} create users (1 pending)\n")
    );
    assert_eq!(
        ok(dir, &db, &["current"]),
        format!("{V1} create users (1 pending)\n")
    );
    assert!(!table_exists(&db, "posts") && table_exists(&db, "users"));

    assert_eq!(
        ok(dir, &db, &["downgrade", "base"]),
        format!("reverted {V1} create users\nat base (2 pending)\n")
    );
    assert_eq!(ok(dir, &db, &["current"]), "base (2 pending)\n");
    assert_eq!(
        ok(dir, &db, &["downgrade", "base"]),
        "nothing to revert\nat base (2 pending)\n"
    );
    assert!(applied_versions(&db).is_empty());
    assert!(!table_exists(&db, "users") && !table_exists(&db, "posts"));

    assert_eq!(
        ok(dir, &db, &["upgrade", "+1"]),
        format!("applied {V1} create users\nat {V1} create users (1 pending)\n")
    );
    assert_eq!(applied_versions(&db), [V1]);

    // The real sqlx migrator takes over on the same folder and table, and autogen agrees.
    sqlx_migrate_run(&dir.join("migrations"), &db);
    assert_eq!(applied_versions(&db), [V1, V2]);
    assert_eq!(
        ok(dir, &db, &["current"]),
        format!("{V2} create posts (head)\n")
    );
    assert_eq!(autogen(dir, &db, &["status"]).code, 0);
    // And the other way round: what autogen applied, sqlx validates (checksums) and leaves be.
    sqlx_migrate_run(&dir.join("migrations"), &db);

    // An applied file edited: reported, not re-run; upgrade and downgrade refuse.
    let users = dir.join(format!("migrations/{V1}_create_users.up.sql"));
    std::fs::write(&users, format!("{V1_UP}-- edited\n")).unwrap();
    let status = autogen(dir, &db, &["status"]);
    assert_ne!(status.code, 0);
    assert!(
        status.stdout.contains(&format!(
            "checksum mismatch: {V1} create users (applied, but migrations/{V1}_create_users.up.sql has changed since)"
        )),
        "{status:?}"
    );
    assert_eq!(
        error(&status),
        format!(
            "error: migration {V1} (migrations/{V1}_create_users.up.sql) was applied, but the file \
             has changed since (checksum mismatch); restore it, and put further changes in a new migration"
        )
    );
    let history = ok(dir, &db, &["history"]);
    assert!(
        history.starts_with(&format!("{V1}  checksum mismatch  ")),
        "{history}"
    );
    for args in [&["upgrade"][..], &["downgrade", "base"]] {
        let refused = autogen(dir, &db, args);
        assert!(error(&refused).contains("checksum mismatch"), "{refused:?}");
    }
    assert_eq!(applied_versions(&db), [V1, V2], "nothing ran");
}

#[test]
fn a_failing_migration_stops_the_run_and_names_its_version_and_file() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    let bad = "20240103000000";
    let file = format!("migrations/{bad}_add_tags.up.sql");
    std::fs::write(
        dir.join(&file),
        "CREATE TABLE tags (id int);\n\nSELECT missing FROM nowhere;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(format!("migrations/{bad}_add_tags.down.sql")),
        "DROP TABLE tags;\n",
    )
    .unwrap();

    let r = autogen(dir, &db, &["upgrade"]);
    assert_eq!(
        r.stdout,
        format!("applied {V1} create users\napplied {V2} create posts\n"),
        "the migrations before it are applied and said so"
    );
    assert_eq!(
        error(&r),
        format!(
            "error: migration {bad} failed ({file}): relation \"nowhere\" does not exist (line 3); \
             it ran in a transaction, which was rolled back: nothing of it was applied"
        )
    );
    assert_eq!(applied_versions(&db), [V1, V2]);
    assert!(!table_exists(&db, "tags"), "rolled back");
    // The lock was released: the next run is not blocked, and fails the same way.
    let again = autogen(dir, &db, &["upgrade"]);
    assert!(error(&again).contains(&format!("migration {bad} failed")));

    // The same outside a transaction.
    std::fs::write(
        dir.join(&file),
        "-- no-transaction\nCREATE TABLE tags (id int);\nSELECT missing FROM nowhere;\n",
    )
    .unwrap();
    let r = autogen(dir, &db, &["upgrade"]);
    assert_eq!(
        error(&r),
        format!(
            "error: migration {bad} failed ({file}): relation \"nowhere\" does not exist (line 3); \
             it ran outside a transaction (-- no-transaction): statements before the failing one \
             may have been applied; check the database before running it again"
        )
    );
    assert_eq!(
        applied_versions(&db),
        [V1, V2],
        "no row for a failed migration"
    );
    // Why "may": sqlx sends the file as one simple-protocol query, which PostgreSQL runs as one
    // implicit transaction, so here the CREATE TABLE went too. A file that commits in between,
    // or a failed CREATE INDEX CONCURRENTLY, does leave work behind.
    assert!(!table_exists(&db, "tags"));
}

#[test]
fn a_failing_down_migration_names_the_down_file() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    ok(dir, &db, &["upgrade"]);
    let down = format!("migrations/{V2}_create_posts.down.sql");
    std::fs::write(dir.join(&down), "DROP TABLE posts;\nDROP TABLE nowhere;\n").unwrap();
    let r = autogen(dir, &db, &["downgrade", "base"]);
    assert_eq!(
        error(&r),
        format!(
            "error: migration {V2} failed ({down}): table \"nowhere\" does not exist; it ran in a \
             transaction, which was rolled back: nothing of it was applied"
        )
    );
    assert_eq!(applied_versions(&db), [V1, V2]);
    assert!(table_exists(&db, "posts"));
}

#[test]
fn upgrade_sql_prints_the_pending_sql_and_applies_nothing() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    ok(dir, &db, &["upgrade", "+1"]);
    let before = migrations_table(&db);

    let script = ok(dir, &db, &["upgrade", "--sql"]);
    let checksum = checksum_hex(&dir.join("migrations"), 20240102000000);
    assert_eq!(
        script,
        format!(
            "-- autogen upgrade head --sql: 1 migration\n\
             \n\
             CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    \
             description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    \
             success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);\n\
             \n\
             -- {V2} create posts ({V2}_create_posts.up.sql)\n\
             BEGIN;\n\
             {V2_UP}\
             INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)\n\
             VALUES ({V2}, 'create posts', TRUE, decode('{checksum}', 'hex'), -1);\n\
             COMMIT;\n"
        )
    );
    assert_eq!(
        migrations_table(&db),
        before,
        "_sqlx_migrations is unchanged"
    );
    assert!(!table_exists(&db, "posts"));

    // Run by hand, the script leaves the database where upgrade would have.
    db.execute(&script);
    assert_eq!(
        ok(dir, &db, &["status"]),
        format!("current: {V2} create posts (head)\nnothing pending\n")
    );
    assert_eq!(
        ok(dir, &db, &["upgrade", "--sql"]),
        "-- autogen upgrade head --sql: 0 migrations\n-- nothing to apply\n"
    );
}

#[test]
fn upgrade_sql_without_a_database_prints_every_migration() {
    let project = project();
    let dir = project.path();
    std::fs::write(
        dir.join("migrations/20240103000000_index_names.up.sql"),
        "-- no-transaction\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);",
    )
    .unwrap();
    let mut cmd = command(dir);
    cmd.args(["upgrade", "--sql"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r:?}");
    let text = &r.stdout;
    assert!(
        text.starts_with("-- autogen upgrade head --sql: 3 migrations\n"),
        "{text}"
    );
    assert_eq!(text.matches("BEGIN;\n").count(), 2, "{text}");
    assert_eq!(text.matches("COMMIT;\n").count(), 2, "{text}");
    assert!(
        text.contains(
            "-- 20240103000000 index names (20240103000000_index_names.up.sql)\n\
             -- runs outside a transaction (-- no-transaction)\n\
             -- no-transaction\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n\
             INSERT INTO _sqlx_migrations"
        ),
        "{text}"
    );
    let mut cmd = command(dir);
    cmd.args(["upgrade", "--sql", "+1"]);
    let first = run(cmd);
    assert!(
        first.stdout.contains(V1) && !first.stdout.contains(V2),
        "{first:?}"
    );
}

/// Two upgrades at once: sqlx's advisory lock makes one wait, and each migration runs once.
#[test]
fn concurrent_upgrades_apply_each_migration_once() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    std::fs::write(
        dir.join("migrations/20240103000000_slow.up.sql"),
        "SELECT pg_sleep(0.5);\nCREATE TABLE slow (id int);\n",
    )
    .unwrap();
    let spawn = || {
        let mut cmd = command(dir);
        cmd.env("DATABASE_URL", db.url()).arg("upgrade");
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("autogen starts")
    };
    let (a, b) = (spawn(), spawn());
    let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let applied_lines: usize = outputs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .matches("applied ")
                .count()
        })
        .sum();
    assert_eq!(
        applied_lines, 3,
        "each migration applied by exactly one of them"
    );
    assert_eq!(applied_versions(&db), [V1, V2, "20240103000000"]);
}

#[test]
fn init_writes_autogen_toml_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    cmd.arg("init");
    let r = run(cmd);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "wrote autogen.toml\n", "")
    );
    let written = std::fs::read_to_string(dir.path().join("autogen.toml")).unwrap();
    for line in [
        "models = [\"src/models\"]",
        "migrations = \"migrations\"",
        "schemas = [\"public\"]",
        "database_url_env = \"DATABASE_URL\"",
    ] {
        assert!(written.lines().any(|l| l == line), "{line} in:\n{written}");
    }
    assert!(
        written.lines().filter(|l| l.starts_with('#')).count() >= 5,
        "commented"
    );

    std::fs::write(dir.path().join("autogen.toml"), "# mine\n").unwrap();
    let mut cmd = command(dir.path());
    cmd.arg("init");
    let r = run(cmd);
    assert_eq!(
        error(&r),
        "error: autogen.toml already exists; autogen init never overwrites it"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("autogen.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn the_config_file_and_dotenv_are_honoured_with_flags_first() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    // The config file moves the folder and names the variable; .env holds the URL.
    std::fs::create_dir(dir.join("db")).unwrap();
    std::fs::rename(dir.join("migrations"), dir.join("db/migrations")).unwrap();
    std::fs::write(
        dir.join("autogen.toml"),
        "migrations = \"db/migrations\"\ndatabase_url_env = \"APP_DB\"\n",
    )
    .unwrap();
    std::fs::write(dir.join(".env"), format!("APP_DB={}\n", db.url())).unwrap();

    let mut cmd = command(dir);
    // DATABASE_URL is not the variable the file names: it must not be used.
    cmd.env(
        "DATABASE_URL",
        "postgres://nobody:s3cret@127.0.0.1:1/nothing",
    )
    .arg("upgrade");
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .ends_with(&format!("at {V2} create posts (head)\n")),
        "{r:?}"
    );
    assert_eq!(applied_versions(&db), [V1, V2]);

    // The process environment beats .env ...
    let mut cmd = command(dir);
    cmd.env("APP_DB", "postgres://nobody:s3cret@127.0.0.1:1/nothing")
        .arg("current");
    let r = run(cmd);
    let line = error(&r);
    assert!(line.contains("127.0.0.1:1"), "{line}");
    assert!(
        !line.contains("s3cret"),
        "the password is never printed: {line}"
    );
    // ... and the flag beats both.
    let mut cmd = command(dir);
    cmd.env("APP_DB", "postgres://nobody:s3cret@127.0.0.1:1/nothing")
        .args(["current", "--database-url", db.url()]);
    assert_eq!(run(cmd).stdout, format!("{V2} create posts (head)\n"));
    // --migrations beats the file, and the error names where the folder came from.
    let mut cmd = command(dir);
    cmd.args(["status", "--migrations", "elsewhere"]);
    assert_eq!(
        error(&run(cmd)),
        "error: migration folder elsewhere (from --migrations) does not exist"
    );
    std::fs::write(dir.join("autogen.toml"), "migrations = \"nowhere\"\n").unwrap();
    let mut cmd = command(dir);
    cmd.arg("status");
    assert_eq!(
        error(&run(cmd)),
        "error: migration folder nowhere (from `migrations` in autogen.toml) does not exist"
    );
}

#[test]
fn configuration_and_usage_errors_are_one_line() {
    let project = project();
    let dir = project.path();
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (
            vec!["status"],
            None,
            "error: no database given; pass --database-url or set DATABASE_URL",
        ),
        (
            vec!["status", "--migrations", "missing"],
            Some("postgres://u@127.0.0.1:1/x"),
            "error: migration folder missing (from --migrations) does not exist",
        ),
        (
            vec!["upgrade"],
            Some("mysql://u:s3cret@127.0.0.1:1/x"),
            "error: cannot reach the database server at 127.0.0.1:1: connection refused",
        ),
        (
            vec!["history"],
            Some("oracle://u:s3cret@localhost/x"),
            "error: unsupported database url scheme `oracle`; expected postgres://, postgresql://, \
             mysql://, mariadb:// or sqlite: (the url is from the environment variable DATABASE_URL)",
        ),
        (
            vec!["current"],
            Some("postgres://u:s3cret@[::1/x"),
            "error: invalid database url: invalid IPv6 address; expected \
             postgres://user:password@host:port/database (the url is from the environment \
             variable DATABASE_URL)",
        ),
        (
            vec!["current"],
            Some("postgres://u:s3cret@127.0.0.1:1/x"),
            "error: cannot reach the database server at 127.0.0.1:1: connection refused",
        ),
    ];
    for (args, url, expected) in cases {
        let mut cmd = command(dir);
        if let Some(url) = url {
            cmd.env("DATABASE_URL", url);
        }
        cmd.args(&args);
        let r = run(cmd);
        assert_eq!(error(&r), expected, "autogen {args:?}");
        assert!(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"));
    }

    // Targets are checked before anything connects.
    for (args, expected) in [
        (vec!["upgrade", "-1"], "'-1'"),
        (vec!["upgrade", "nope"], "invalid upgrade target `nope`"),
        (vec!["upgrade", "+0"], "invalid upgrade target `+0`"),
        (vec!["downgrade", "+1"], "invalid downgrade target `+1`"),
        (vec!["downgrade", "head"], "invalid downgrade target `head`"),
    ] {
        let mut cmd = command(dir);
        cmd.args(&args);
        let r = run(cmd);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains(expected),
            "autogen {args:?}: {}",
            r.stderr
        );
    }

    // A bad configuration file names itself, the line and the key.
    std::fs::write(
        dir.join("autogen.toml"),
        "migrations = \"m\"\nschema = [\"public\"]\n",
    )
    .unwrap();
    let mut cmd = command(dir);
    cmd.arg("status");
    assert_eq!(
        error(&run(cmd)),
        "error: invalid autogen.toml (line 2, `schema`): unknown field `schema`, expected one of \
         `models`, `source`, `migrations`, `schemas`, `database_url_env`, `database_url_direct_env`, `dev_url`, `seaorm_keys`, `lock_safe`, `lock_timeout`, `statement_timeout`, `exclude_tables`, `include_schemas`, `zero_downtime`"
    );
    let mut cmd = command(dir);
    cmd.args(["status", "--config", "other.toml"]);
    assert_eq!(
        error(&run(cmd)),
        "error: cannot read --config other.toml: no such file"
    );
}

#[test]
fn an_applied_migration_missing_from_the_folder_is_reported() {
    let db = autogen_testkit::postgres();
    let project = project();
    let dir = project.path();
    ok(dir, &db, &["upgrade"]);
    for direction in ["up", "down"] {
        std::fs::remove_file(dir.join(format!("migrations/{V2}_create_posts.{direction}.sql")))
            .unwrap();
    }
    let status = autogen(dir, &db, &["status"]);
    assert!(
        status.stdout.contains(&format!(
            "file missing: {V2} create posts (applied, but no file in migrations holds it)"
        )),
        "{status:?}"
    );
    assert_eq!(
        error(&status),
        format!(
            "error: migration {V2} (create posts) was applied, but no file in migrations holds it"
        )
    );
    assert_eq!(ok(dir, &db, &["current"]), format!("{V2} create posts\n"));
    let history = ok(dir, &db, &["history"]);
    assert!(
        history
            .lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{V2}  file missing  ")),
        "{history}"
    );
}

/// sqlx's checksum of a migration's up file, as hex.
fn checksum_hex(folder: &Path, version: i64) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let migrator = runtime
        .block_on(sqlx::migrate::Migrator::new(PathBuf::from(folder)))
        .unwrap();
    let migration = migrator
        .iter()
        .find(|m| m.version == version && m.migration_type.is_up_migration())
        .expect("the migration");
    migration
        .checksum
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
