//! Comparing models with a PostgreSQL database needs no scratch database and leaves nothing
//! behind (issue 9): a role without CREATEDB that owns its database runs every command; a
//! `check` killed with SIGKILL mid-normalisation leaves no schema, table, type or role; a no-op
//! `check` sends nothing to normalise; `--dev-url` normalises elsewhere and leaves the
//! database untouched.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use autogen_introspect::{IntrospectOptions, MissingSchema, compare_models};
use autogen_model::{ModelOptions, SourceFile, read_models};
use autogen_schema::Dialect;
use autogen_testkit::PostgresDb;

const ROLE_PASSWORD: &str = "np-secret";

/// A login role with NOCREATEDB, dropped (after its database) when this value is.
struct Role {
    admin: PostgresDb,
    name: String,
}

impl Role {
    fn new(admin: PostgresDb) -> Role {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("autogen_np_{}_{nanos}", std::process::id());
        // A password too, for servers that ask for one (a trusting one ignores it).
        admin.execute(&format!(
            "CREATE ROLE {name} LOGIN PASSWORD '{ROLE_PASSWORD}' NOCREATEDB NOCREATEROLE NOSUPERUSER"
        ));
        Role { admin, name }
    }

    /// A fresh database that the role owns.
    fn own_database(&self) -> PostgresDb {
        let db = autogen_testkit::postgres();
        db.execute(&format!(
            "ALTER DATABASE \"{}\" OWNER TO {}",
            db.name(),
            self.name
        ));
        db.execute(&format!("ALTER SCHEMA public OWNER TO {}", self.name));
        db
    }

    /// `db`'s URL with this role as the user.
    fn url(&self, db: &PostgresDb) -> String {
        let mut url = url::Url::parse(db.url()).expect("a url");
        url.set_username(&self.name).expect("a user");
        url.set_password(Some(ROLE_PASSWORD)).expect("a password");
        url.to_string()
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        if let Err(e) = self
            .admin
            .try_execute(&format!("DROP ROLE IF EXISTS {}", self.name))
        {
            eprintln!("could not drop role {}: {e}", self.name);
        }
    }
}

/// What a run must not leave behind, as the server sees it: the database's schemas, relations
/// and types, and the roles and databases a normaliser could have made.
fn snapshot(db: &PostgresDb, pid_marker: &str) -> Vec<Vec<Option<String>>> {
    db.query(&format!(
        "SELECT (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace
                 WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
                (SELECT count(*)::text FROM pg_class),
                (SELECT count(*)::text FROM pg_type),
                (SELECT string_agg(rolname, ',') FROM pg_roles WHERE rolname LIKE 'pwned%'),
                (SELECT string_agg(datname, ',') FROM pg_database
                 WHERE datname LIKE 'autogen\\_normalise%' OR datname LIKE 'autogen\\_scratch\\_{pid_marker}\\_%')"
    ))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn autogen(dir: &std::path::Path, url: &str, args: &[&str]) -> Run {
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

const MODELS: &str = r#"
#[derive(autogen::Enum)]
#[autogen(name = "task_status", rename_all = "snake_case")]
pub enum TaskStatus { Pending, InProgress, Done }

#[derive(autogen::Model)]
#[autogen(table = "tasks")]
#[autogen(index(expr = "lower(title)"))]
#[autogen(index(columns(due), where = "due IS NULL"))]
#[autogen(check(expr = "priority BETWEEN 0 AND 5"))]
pub struct Task {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(max_length = 200)]
    pub title: String,
    #[autogen(default = "pending")]
    pub status: TaskStatus,
    #[autogen(default = 0, check = "priority >= 0")]
    pub priority: i32,
    #[autogen(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[autogen(default_sql = "gen_random_uuid()")]
    pub token: uuid::Uuid,
    pub due: Option<chrono::NaiveDate>,
    #[autogen(default = "", check = "code IN ('a', 'b', '')")]
    pub code: String,
}
"#;

const CHANGED: &str = r#"
    #[autogen(default_sql = "lower('X')")]
    pub note: String,
}
"#;

#[test]
fn a_role_without_createdb_runs_every_command_and_leaves_nothing() {
    let role = Role::new(autogen_testkit::postgres());
    let db = role.own_database();
    let url = role.url(&db);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), MODELS).expect("models");
    let pid = std::process::id().to_string();

    let before = snapshot(&db, &pid);
    let run = autogen(dir.path(), &url, &["-m", "create tasks"]);
    assert_eq!(run.code, 0, "-m: {}{}", run.stdout, run.stderr);
    assert_eq!(snapshot(&db, &pid), before, "-m left something behind");
    let run = autogen(dir.path(), &url, &["upgrade"]);
    assert_eq!(run.code, 0, "upgrade: {}{}", run.stdout, run.stderr);

    let applied = snapshot(&db, &pid);
    for args in [&["check"][..], &["diff", "--exit-code"], &["status"]] {
        let run = autogen(dir.path(), &url, args);
        assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
        assert!(!run.stdout.contains(ROLE_PASSWORD), "{}", run.stdout);
    }

    // A change: the new column's default goes to the server, in a rolled-back transaction.
    let changed = MODELS.trim_end().trim_end_matches('}').to_owned() + CHANGED;
    std::fs::write(dir.path().join("models.rs"), changed).expect("models");
    let run = autogen(dir.path(), &url, &["check"]);
    assert_eq!(run.code, 1, "check: {}{}", run.stdout, run.stderr);
    let run = autogen(dir.path(), &url, &["diff", "--format", "up"]);
    assert_eq!(run.code, 0, "diff: {}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("lower('X'::text)"),
        "the server's spelling: {}",
        run.stdout
    );
    let run = autogen(dir.path(), &url, &["-m", "add note"]);
    assert_eq!(run.code, 0, "-m: {}{}", run.stdout, run.stderr);
    assert_eq!(
        snapshot(&db, &pid),
        applied,
        "a command left something behind"
    );
    let run = autogen(dir.path(), &url, &["upgrade"]);
    assert_eq!(run.code, 0, "upgrade: {}{}", run.stdout, run.stderr);
    let run = autogen(dir.path(), &url, &["check"]);
    assert_eq!(
        run.code, 0,
        "check after upgrade: {}{}",
        run.stdout, run.stderr
    );
}

/// The statement count of the evidence: a `check` of what autogen itself created sends no
/// statement to normalise, and the introspection's count does not depend on the size.
#[test]
fn a_no_op_check_sends_nothing_to_normalise() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), MODELS).expect("models");
    for args in [&["-m", "create"][..], &["upgrade"]] {
        let run = autogen(dir.path(), db.url(), args);
        assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
    }
    let output = read_models(
        &[SourceFile::new("models.rs", MODELS)],
        &ModelOptions::new(Dialect::Postgres),
    );
    assert!(output.diagnostics.is_empty());
    let options = IntrospectOptions {
        schemas: vec!["public".to_owned()],
        missing_schema: MissingSchema::Absent,
        uncompared: false,
    };
    let compared = crate::support::pg::runtime()
        .block_on(compare_models(
            db.url(),
            None,
            output.schema,
            &options,
            |_, m| m,
        ))
        .expect("compares");
    assert_eq!(compared.pending_tables, []);
    assert_eq!(compared.normalisation_statements, 0);
    // Ten for the tables and one for the objects beyond them (views, functions, triggers ..):
    // a plan that retypes a column a view reads must drop and recreate the view, so models mode
    // reads them too.
    assert_eq!(compared.introspection_statements, 11);
}

fn many_models(count: usize) -> String {
    let mut out = String::new();
    for i in 0..count {
        out.push_str(&format!(
            r#"
#[derive(autogen::Model)]
#[autogen(table = "k{i:04}")]
#[autogen(index(expr = "lower(name)"))]
#[autogen(index(expr = "upper(name)"))]
#[autogen(index(columns(qty), where = "qty > 0"))]
pub struct K{i:04} {{
    #[autogen(primary_key)]
    pub id: i64,
    pub name: String,
    #[autogen(default = 0, check = "qty >= 0")]
    pub qty: i32,
    #[autogen(default_sql = "now()")]
    pub at: chrono::DateTime<chrono::Utc>,
}}
"#
        ));
    }
    out
}

#[test]
fn a_check_killed_mid_normalisation_leaves_nothing() {
    let role = Role::new(autogen_testkit::postgres());
    let db = role.own_database();
    let url = role.url(&db);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), many_models(1500)).expect("models");

    let before = snapshot(&db, "none");
    let mut child = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["--database-url", &url, "--models", "models.rs", "check"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the autogen binary starts");
    let pid = child.id().to_string();
    // Wait until the normaliser's transaction has written to the catalog, then kill.
    let writing = format!(
        "SELECT count(*)::text FROM pg_stat_activity WHERE usename = '{}' AND backend_xid IS NOT NULL",
        role.name
    );
    let started = Instant::now();
    let mut caught = false;
    while started.elapsed() < Duration::from_secs(120) {
        if child.try_wait().expect("waits").is_some() {
            break;
        }
        if db.query(&writing)[0][0].as_deref() != Some("0") {
            caught = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(caught, "the check ended before it was caught normalising");
    // The server notices the dead client and rolls its transaction back.
    let gone = format!(
        "SELECT count(*)::text FROM pg_stat_activity WHERE usename = '{}'",
        role.name
    );
    let waiting = Instant::now();
    while db.query(&gone)[0][0].as_deref() != Some("0") {
        assert!(
            waiting.elapsed() < Duration::from_secs(30),
            "the killed client's backend stays"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        snapshot(&db, &pid),
        before,
        "the killed check left something"
    );
}

#[test]
fn the_dev_database_normalises_where_the_role_may_create_nothing() {
    let role = Role::new(autogen_testkit::postgres());
    // The role may connect and read, not create a schema: the database is not its own.
    let db = autogen_testkit::postgres();
    db.execute(&format!(
        "REVOKE CREATE ON DATABASE \"{}\" FROM PUBLIC",
        db.name()
    ));
    let url = role.url(&db);
    let dev = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("models.rs"), MODELS).expect("models");
    let pid = std::process::id().to_string();
    let before = snapshot(&db, &pid);
    let dev_before = snapshot(&dev, &pid);

    let refused = autogen(dir.path(), &url, &["diff", "--format", "up"]);
    assert_eq!(refused.code, 2, "{}{}", refused.stdout, refused.stderr);
    assert!(
        !refused.stderr.contains(ROLE_PASSWORD),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--dev-url"),
        "the error says what to do: {}",
        refused.stderr
    );
    let run = autogen(
        dir.path(),
        &url,
        &["--dev-url", dev.url(), "diff", "--format", "up"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("CREATE INDEX") && run.stdout.contains("lower((title)::text)"),
        "spelled by the dev database: {}",
        run.stdout
    );
    assert_eq!(snapshot(&db, &pid), before, "the database was touched");
    assert_eq!(
        snapshot(&dev, &pid),
        dev_before,
        "the dev database keeps something"
    );
}

/// No code path creates a database any more.
#[test]
fn no_create_database_in_the_postgres_normaliser() {
    let source = include_str!("../../crates/autogen-introspect/src/postgres/normalise.rs");
    assert!(!source.to_uppercase().contains("CREATE DATABASE"));
}

#[test]
fn a_server_error_while_normalising_names_the_model_attribute() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    // Line 6, column 29: the value of `default_sql` (a function the server does not have).
    let models = "#[derive(autogen::Model)]\n\
                  #[autogen(table = \"notes\")]\n\
                  pub struct Note {\n    \
                  #[autogen(primary_key)]\n    \
                  pub id: i64,\n    \
                  #[autogen(default_sql = \"no_such_function()\")]\n    \
                  pub body: String,\n\
                  }\n";
    std::fs::write(dir.path().join("models.rs"), models).expect("writable");
    let run = autogen(dir.path(), db.url(), &["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("models.rs:6:"),
        "the error names the attribute's place: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no_such_function") && run.stderr.contains("notes.body"),
        "the error names the object and the server's reason: {}",
        run.stderr
    );
}

/// A column retyped under its default: PostgreSQL keeps the default with the old type's cast
/// (`varchar` to `text` keeps `'anon'::character varying`), which the cheap comparison must
/// not call the models' `'anon'`: the plan sets the default again, so the database's own dump
/// is the one of the models built directly, `check` is clean, and down gives back the start.
#[test]
fn a_default_kept_through_a_retype_is_set_again() {
    const MOOD: &str = r#"
#[derive(autogen::Enum)]
#[autogen(name = "mood", rename_all = "snake_case")]
pub enum Mood { Happy, Sad }
"#;
    let model = |field: &str| {
        format!(
            "{MOOD}
#[derive(autogen::Model)]
#[autogen(table = \"users\")]
pub struct Users {{
    #[autogen(primary_key)]
    pub id: i64,
    {field}
}}
"
        )
    };
    let varchar = model("#[autogen(max_length = 50, default = \"anon\")]\n    pub name: String,");
    let text = model("#[autogen(default = \"anon\")]\n    pub name: String,");
    let char =
        model("#[autogen(sql_type = \"char(4)\", default = \"anon\")]\n    pub name: String,");
    let word = model("#[autogen(max_length = 20, default = \"happy\")]\n    pub mood: String,");
    let mood = model("#[autogen(default = \"happy\")]\n    pub mood: Mood,");
    for (a, b) in [
        (&varchar, &text),
        (&text, &varchar),
        (&char, &text),
        (&word, &mood),
    ] {
        let db = autogen_testkit::postgres();
        let scenario = crate::support::scenario::Scenario::new(db.url());
        scenario.models(a);
        scenario.ok(&[&["-m", "a"], &["upgrade"]]);
        let start = crate::properties::dump::postgres(db.url());
        db.execute("INSERT INTO users DEFAULT VALUES");
        scenario.models(b);
        scenario.ok(&[&["-m", "b", "--allow-data-loss"], &["upgrade"], &["check"]]);
        let direct = autogen_testkit::postgres();
        let built = crate::support::scenario::Scenario::new(direct.url());
        built.models(b);
        built.ok(&[&["-m", "b"], &["upgrade"]]);
        let up = crate::properties::dump::postgres(db.url());
        let target = crate::properties::dump::postgres(direct.url());
        assert_eq!(
            crate::properties::dump::difference(&up, &target),
            None,
            "up does not reach the models built directly:\n--- A:\n{a}--- B:\n{b}"
        );
        db.execute("DELETE FROM users");
        scenario.ok(&[&["downgrade", "-1"]]);
        let down = crate::properties::dump::postgres(db.url());
        assert_eq!(
            crate::properties::dump::difference(&down, &start),
            None,
            "down does not give back the start:\n--- A:\n{a}--- B:\n{b}"
        );
    }
}
