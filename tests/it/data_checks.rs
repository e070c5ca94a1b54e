//! Live-data checks of `autogen -m`: a change the existing rows would fail is refused with the
//! count and example rows (PostgreSQL, MariaDB, SQLite); `--skip-data-checks` writes it anyway;
//! clean rows pass; `--dry-run` shows the migration and the findings and exits as the refusal.

use std::path::Path;
use std::process::Command;

use autogen_testkit::PostgresDb;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn autogen(dir: &Path, url: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["--database-url", url, "--models", "models.rs"])
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

/// A project whose models are `models`, on a database prepared with `setup`.
fn project(db: &PostgresDb, setup: &str, models: &str) -> tempfile::TempDir {
    db.execute(setup);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), models).expect("models written");
    dir
}

fn migrations(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("migrations"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

const USERS: &str =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, age integer);";

const UNIQUE_EMAIL: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(unique)]
    pub email: Option<String>,
    pub name: Option<String>,
    pub age: Option<i32>,
}
"#;

#[test]
fn unique_over_duplicates_is_refused_with_count_and_examples() {
    let db = autogen_testkit::postgres();
    let dir = project(&db, USERS, UNIQUE_EMAIL);
    db.execute(
        "INSERT INTO users (id, email) VALUES (1, 'a@x.io'), (2, 'a@x.io'), (3, 'b@x.io'), \
         (4, 'a@x.io'), (5, NULL), (6, NULL)",
    );
    let run = autogen(dir.path(), db.url(), &["-m", "unique email"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("adds unique constraint users_email_key: 3 rows would fail"),
        "{}",
        run.stdout
    );
    for example in [
        "id=1, email=a@x.io",
        "id=2, email=a@x.io",
        "id=4, email=a@x.io",
    ] {
        assert!(run.stdout.contains(example), "{}", run.stdout);
    }
    assert!(!run.stdout.contains("b@x.io"), "{}", run.stdout);
    assert!(run.stderr.contains("--skip-data-checks"), "{}", run.stderr);
    assert_eq!(migrations(dir.path()), 0);

    // `--skip-data-checks` writes it anyway.
    let run = autogen(
        dir.path(),
        db.url(),
        &["-m", "unique email", "--skip-data-checks"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("data checks"), "{}", run.stdout);
    // Lock-safe: a unique key is several pairs (its concurrent index runs alone).
    assert!(migrations(dir.path()) >= 2, "written");
}

#[test]
fn a_clean_table_passes() {
    let db = autogen_testkit::postgres();
    let dir = project(&db, USERS, UNIQUE_EMAIL);
    db.execute(
        "INSERT INTO users (id, email) VALUES (1, 'a@x.io'), (2, 'b@x.io'), (3, NULL), (4, NULL)",
    );
    let run = autogen(dir.path(), db.url(), &["-m", "unique email"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("ok    public.users: adds unique constraint users_email_key"),
        "{}",
        run.stdout
    );
    // Lock-safe: a unique key is several pairs (its concurrent index runs alone).
    assert!(migrations(dir.path()) >= 2, "written");
}

#[test]
fn not_null_over_nulls_is_refused() {
    let db = autogen_testkit::postgres();
    let models = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: Option<String>,
    pub name: String,
    pub age: Option<i32>,
}
"#;
    let dir = project(&db, USERS, models);
    db.execute("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, NULL), (3, NULL)");
    let run = autogen(dir.path(), db.url(), &["-m", "name required"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("sets users.name NOT NULL: 2 rows would fail"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("id=2") && run.stdout.contains("id=3"),
        "{}",
        run.stdout
    );
}

#[test]
fn foreign_key_with_orphans_is_refused() {
    let db = autogen_testkit::postgres();
    let setup = "CREATE TABLE teams (id bigint PRIMARY KEY); \
                 CREATE TABLE players (id bigint PRIMARY KEY, team_id bigint); \
                 INSERT INTO teams VALUES (1); \
                 INSERT INTO players VALUES (1, 1), (2, 7), (3, NULL), (4, 9);";
    let models = r#"
#[derive(autogen::Model)]
#[autogen(table = "teams")]
pub struct Team {
    #[autogen(primary_key)]
    pub id: i64,
}

#[derive(autogen::Model)]
#[autogen(table = "players")]
pub struct Player {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(references = "teams.id")]
    pub team_id: Option<i64>,
}
"#;
    let dir = project(&db, setup, models);
    let run = autogen(dir.path(), db.url(), &["-m", "player team"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 rows would fail"), "{}", run.stdout);
    assert!(
        run.stdout.contains("id=2, team_id=7") && run.stdout.contains("id=4, team_id=9"),
        "{}",
        run.stdout
    );
}

#[test]
fn violated_check_is_refused() {
    let db = autogen_testkit::postgres();
    let models = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    #[autogen(check = "age >= 0")]
    pub age: Option<i32>,
}
"#;
    let dir = project(&db, USERS, models);
    db.execute("INSERT INTO users (id, age) VALUES (1, 30), (2, -1), (3, NULL)");
    let run = autogen(dir.path(), db.url(), &["-m", "sane age"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("1 row would fail"), "{}", run.stdout);
    assert!(run.stdout.contains("id=2"), "{}", run.stdout);
}

#[test]
fn narrowed_type_is_refused() {
    let db = autogen_testkit::postgres();
    let models = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: Option<String>,
    #[autogen(max_length = 3)]
    pub name: Option<String>,
    pub age: Option<i32>,
}
"#;
    let dir = project(&db, USERS, models);
    db.execute("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bartholomew')");
    let run = autogen(
        dir.path(),
        db.url(),
        &["-m", "short names", "--allow-data-loss"],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("1 row would fail"), "{}", run.stdout);
    assert!(
        run.stdout.contains("id=2, name=bartholomew"),
        "{}",
        run.stdout
    );
}

#[test]
fn sqlite_unique_over_duplicates_is_refused() {
    let db = autogen_testkit::sqlite();
    db.execute("CREATE TABLE users (id integer PRIMARY KEY, email text, name text, age integer)");
    db.execute("INSERT INTO users (id, email) VALUES (1, 'a@x.io'), (2, 'a@x.io'), (3, 'b@x.io')");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), UNIQUE_EMAIL).expect("models written");
    let run = autogen(dir.path(), db.url(), &["-m", "unique email"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 rows would fail"), "{}", run.stdout);
    assert!(
        run.stdout.contains("id=1, email=a@x.io") && run.stdout.contains("id=2, email=a@x.io"),
        "{}",
        run.stdout
    );
}

const MARIADB_USERS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(unique, max_length = 100)]
    pub email: Option<String>,
    #[autogen(max_length = 100)]
    pub name: Option<String>,
}
"#;

#[test]
fn mariadb_unique_over_duplicates_and_not_null_over_nulls_are_refused() {
    let db = autogen_testkit::mariadb();
    db.execute(
        "CREATE TABLE users (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         email varchar(100), name varchar(100))",
    );
    db.execute(
        "INSERT INTO users (id, email, name) VALUES (1, 'a@x.io', 'x'), (2, 'a@x.io', NULL), \
         (3, 'b@x.io', 'y'), (4, 'a@x.io', NULL), (5, 'a@x.io', NULL), (6, 'a@x.io', NULL), \
         (7, 'a@x.io', NULL), (8, NULL, NULL)",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), MARIADB_USERS).expect("models written");
    let run = autogen(dir.path(), db.url(), &["-m", "unique email"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("adds unique constraint users_email_key: 6 rows would fail, the first 5:"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches(", email=a@x.io").count(),
        5,
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("b@x.io"), "{}", run.stdout);
    assert!(run.stderr.contains("--skip-data-checks"), "{}", run.stderr);
    assert_eq!(migrations(dir.path()), 0);

    // NOT NULL over NULLs: the same refusal, the NULL rows shown.
    std::fs::write(
        dir.path().join("models.rs"),
        MARIADB_USERS
            .replace(
                "#[autogen(unique, max_length = 100)]",
                "#[autogen(max_length = 100)]",
            )
            .replace("pub name: Option<String>", "pub name: String"),
    )
    .expect("models written");
    let run = autogen(dir.path(), db.url(), &["-m", "name not null"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("6 rows would fail, the first 5:"),
        "{}",
        run.stdout
    );
    // The first five by key, every run.
    let shown: Vec<&str> = run
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("id="))
        .collect();
    assert_eq!(
        shown,
        ["id=2", "id=4", "id=5", "id=6", "id=7"],
        "{}",
        run.stdout
    );
    assert_eq!(migrations(dir.path()), 0);
}

#[test]
fn a_dry_run_shows_the_migration_and_the_failing_rows_and_exits_as_the_refusal() {
    let db = autogen_testkit::postgres();
    let dir = project(&db, USERS, UNIQUE_EMAIL);
    db.execute("INSERT INTO users (id, email) VALUES (1, 'a@x.io'), (2, 'a@x.io')");
    let refused = autogen(dir.path(), db.url(), &["-m", "unique email"]);
    assert_eq!(refused.code, 1, "{}\n{}", refused.stdout, refused.stderr);
    let run = autogen(dir.path(), db.url(), &["-m", "unique email", "--dry-run"]);
    assert_eq!(run.code, refused.code, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("adds unique constraint users_email_key: 2 rows would fail"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("id=1, email=a@x.io"), "{}", run.stdout);
    assert!(run.stdout.contains("-- would write "), "{}", run.stdout);
    assert!(
        run.stdout.contains("CREATE UNIQUE INDEX CONCURRENTLY"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("would refuse"), "{}", run.stderr);
    assert_eq!(migrations(dir.path()), 0, "a dry run writes nothing");
}

/// A key over a column the same migration adds cannot be counted on the live rows (the column
/// is not there yet): it is listed as not checked, saying so, instead of sending a query the
/// server refuses ("Unknown column", "does not exist").
#[test]
fn a_key_over_a_column_the_migration_adds_is_listed_as_not_checked() {
    let models = r#"
#[derive(autogen::Model)]
#[autogen(table = "items", unique(columns(code)))]
pub struct Item {
    #[autogen(primary_key, identity = false)] pub id: i64,
    #[autogen(max_length = 20)] pub code: Option<String>,
}
"#;
    let pg = autogen_testkit::postgres();
    let maria = autogen_testkit::mariadb();
    for (url, setup) in [
        (
            pg.url(),
            "CREATE TABLE items (id bigint PRIMARY KEY); INSERT INTO items VALUES (1), (2)",
        ),
        (
            maria.url(),
            "CREATE TABLE items (id bigint NOT NULL PRIMARY KEY); INSERT INTO items VALUES (1), (2)",
        ),
    ] {
        if url == pg.url() {
            pg.execute(setup);
        } else {
            maria.execute(setup);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("models.rs"), models).expect("models written");
        let run = autogen(dir.path(), url, &["-m", "code"]);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("not checked: column code added by this migration"),
            "{}",
            run.stdout
        );
        for refused in ["Unknown column", "does not exist"] {
            assert!(!run.stdout.contains(refused), "{}", run.stdout);
        }
        // Written: a lock-safe PostgreSQL plan is several pairs (the unique index builds alone).
        assert!(migrations(dir.path()) >= 2, "{}", run.stdout);
    }
}
