//! The real binary on MariaDB: `inspect` prints MySQL DDL, and connection errors name the
//! server, user or database, never the password.

use std::process::Command;

fn autogen(url: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .arg("--database-url")
        .arg(url)
        .args(args)
        .output()
        .expect("the autogen binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn inspect_prints_mysql_ddl() {
    let db = autogen_testkit::mariadb();
    db.execute(
        "CREATE TABLE `odd ``name` (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         state enum('on','off') NOT NULL DEFAULT 'on', body text, KEY body_idx (body(12)))",
    );
    let (code, stdout, stderr) = autogen(db.url(), &["inspect", "--format", "sql"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "CREATE TABLE `odd ``name` (\n    \
         `id` int NOT NULL AUTO_INCREMENT,\n    \
         `state` enum('on','off') NOT NULL DEFAULT 'on',\n    \
         `body` text,\n    \
         PRIMARY KEY (`id`)\n);\n\n\
         CREATE INDEX `body_idx` ON `odd ``name` (`body`(12));\n"
    );
}

#[test]
fn connection_errors_never_show_the_password() {
    let db = autogen_testkit::mariadb();
    let mut url = url::Url::parse(db.url()).expect("a url");
    let server = format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().unwrap_or(3306)
    );
    let user = url.username().to_owned();
    url.set_password(Some("s3cret-wrong")).expect("a password");
    let wrong_password = url.to_string();
    let mut missing = url::Url::parse(db.url()).expect("a url");
    missing.set_path("/autogen_no_such_database");
    let cases = [
        (
            wrong_password,
            format!("error: password authentication failed for user `{user}` at {server}"),
        ),
        (
            missing.to_string(),
            format!("error: database `autogen_no_such_database` does not exist on {server}"),
        ),
        (
            "mysql://u:s3cret-wrong@127.0.0.1:1/x".to_owned(),
            "error: cannot reach the database server at 127.0.0.1:1: connection refused".to_owned(),
        ),
    ];
    for (url, expected) in cases {
        let (code, stdout, stderr) = autogen(&url, &["inspect"]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert_eq!(stderr.trim_end(), expected);
        assert!(!stdout.contains("s3cret") && !stderr.contains("s3cret"));
    }
}

/// A MariaDB user with `ALL` on one database of its own and nothing else (the usual production
/// and CI user), dropped again when this value is, also when the test fails.
struct OwnDatabaseUser {
    db: autogen_testkit::MariaDb,
    user: String,
    url: String,
}

impl OwnDatabaseUser {
    fn new() -> OwnDatabaseUser {
        let db = autogen_testkit::mariadb();
        // The database's name is unique across tests, processes and runs; so is this.
        let user = format!("autogen_u_{}", &db.name()["autogen_test_".len()..]);
        let user: String = user.chars().take(80).collect();
        let password = "own-db-only";
        db.execute(&format!(
            "CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; \
             GRANT ALL PRIVILEGES ON `{}`.* TO '{user}'@'%'",
            db.name()
        ));
        let mut url = url::Url::parse(db.url()).expect("a url");
        url.set_username(&user).expect("a user");
        url.set_password(Some(password)).expect("a password");
        OwnDatabaseUser {
            url: url.to_string(),
            db,
            user,
        }
    }

    /// The binary in `dir` as this user, with the models `models`.
    fn autogen(
        &self,
        dir: &std::path::Path,
        models: &std::path::Path,
        args: &[&str],
    ) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .arg("--database-url")
            .arg(&self.url)
            .arg("--models")
            .arg(models)
            .args(args)
            .output()
            .expect("the autogen binary runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// What the server holds outside other tests' databases: databases, tables (this test's
    /// database included), users (other tests' users left out).
    fn server_objects(&self) -> Vec<Vec<Option<String>>> {
        self.db.query(&format!(
            "SELECT 'schema', SCHEMA_NAME, '' FROM information_schema.SCHEMATA \
               WHERE SCHEMA_NAME NOT LIKE 'autogen\\_test\\_%' \
             UNION ALL SELECT 'table', TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES \
               WHERE TABLE_SCHEMA NOT LIKE 'autogen\\_test\\_%' OR TABLE_SCHEMA = '{}' \
             UNION ALL SELECT 'user', User, Host FROM mysql.user WHERE User NOT LIKE 'autogen\\_u\\_%' \
             ORDER BY 1, 2, 3",
            self.db.name()
        ))
    }

    /// How many sessions of this user run a statement whose text is `LIKE like`, asked on
    /// `conn` (kept open: the poll must be quicker than the command it watches).
    fn sessions(
        &self,
        runtime: &tokio::runtime::Runtime,
        conn: &mut sqlx::MySqlConnection,
        like: &str,
    ) -> i64 {
        let sql = format!(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST \
             WHERE USER = '{}' AND COALESCE(INFO, '') LIKE '{like}'",
            self.user
        );
        runtime
            .block_on(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(conn))
            .expect("the process list")
    }
}

/// Whether `after` holds nothing `before` did not, and lost nothing of this test's own database
/// (other tests on the same server may drop their own objects meanwhile).
fn unchanged(
    owner: &OwnDatabaseUser,
    before: &[Vec<Option<String>>],
    after: &[Vec<Option<String>>],
) -> Result<(), String> {
    let own = |r: &Vec<Option<String>>| {
        r[0].as_deref() == Some("table") && r[1].as_deref() == Some(owner.db.name())
    };
    let new: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
    let gone: Vec<_> = before
        .iter()
        .filter(|r| own(r) && !after.contains(r))
        .collect();
    if new.is_empty() && gone.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "new: {new:?}\ngone from its own database: {gone:?}"
        ))
    }
}

impl Drop for OwnDatabaseUser {
    fn drop(&mut self) {
        if let Err(e) = self
            .db
            .try_execute(&format!("DROP USER IF EXISTS '{}'@'%'", self.user))
        {
            eprintln!("could not drop test user {}: {e}", self.user);
        }
    }
}

fn todo_models(version: u32) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../fixtures/todo/v{version}.rs"))
}

/// (a) and (b): `-m`, `upgrade`, `check`, `diff` and `status` work for a user with `ALL` on its
/// own database only, and the comparing commands leave no database, table or user behind.
#[test]
fn a_user_with_its_own_database_only_runs_every_command_and_leaves_nothing() {
    let owner = OwnDatabaseUser::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let run = |version: u32, args: &[&str], expected: i32| {
        let (code, stdout, stderr) = owner.autogen(dir, &todo_models(version), args);
        assert_eq!(
            code, expected,
            "autogen {args:?} (v{version}):\n{stdout}\n{stderr}"
        );
        stdout
    };

    let before = owner.server_objects();
    run(1, &["-m", "initial schema"], 0);
    run(1, &["check"], 1);
    run(1, &["diff"], 0);
    run(1, &["status"], 1);
    let after = owner.server_objects();
    if let Err(changes) = unchanged(&owner, &before, &after) {
        panic!("-m, check, diff or status left something: {changes}");
    }

    run(1, &["upgrade"], 0);
    run(1, &["status"], 0);
    let applied = owner.server_objects();
    assert_ne!(applied, before, "upgrade created the tables");
    run(1, &["check"], 0);
    run(2, &["check"], 1);
    let diff = run(2, &["diff"], 0);
    assert!(diff.contains("due_date"), "{diff}");
    run(2, &["-m", "add due_date"], 0);
    let after = owner.server_objects();
    if let Err(changes) = unchanged(&owner, &applied, &after) {
        panic!("check, diff or -m left something: {changes}");
    }
    run(2, &["upgrade"], 0);
    run(2, &["check"], 0);
    run(2, &["status"], 0);
}

/// (b) A `check` killed with `kill -9` while the server normalises its models leaves nothing
/// behind: the temporary tables went with its session.
#[test]
fn a_check_killed_mid_run_leaves_nothing_behind() {
    let owner = OwnDatabaseUser::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let models = dir.path().join("models.rs");
    let text: String = (0..800)
        .map(|i| {
            format!(
                "#[derive(autogen::Model)]\n#[autogen(table = \"t{i}\")]\n\
                 #[autogen(check(name = \"t{i}_n_check\", expr = \"n >= 0\"))]\n\
                 pub struct T{i} {{\n    #[autogen(primary_key)]\n    pub id: i64,\n    \
                 #[autogen(default_sql = \"(1 + {i})\")]\n    pub n: i32,\n    \
                 #[autogen(default = \"x\")]\n    pub s: String,\n}}\n\n"
            )
        })
        .collect();
    std::fs::write(&models, text).expect("models written");
    let before = owner.server_objects();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut root: sqlx::MySqlConnection = runtime
        .block_on(<sqlx::MySqlConnection as sqlx::Connection>::connect(
            owner.db.url(),
        ))
        .expect("a root connection");

    let mut child = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .arg("--database-url")
        .arg(&owner.url)
        .arg("--models")
        .arg(&models)
        .arg("check")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the autogen binary starts");
    let seen = loop {
        if owner.sessions(&runtime, &mut root, "%autogen\\_normalise%") > 0 {
            break true;
        }
        if child.try_wait().expect("wait").is_some() {
            break false;
        }
    };
    child.kill().expect("kill -9"); // SIGKILL on Unix
    let _ = child.wait();
    assert!(
        seen,
        "the check ended before the server was seen normalising its models"
    );

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while owner.sessions(&runtime, &mut root, "%") > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the killed session never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let after = owner.server_objects();
    if let Err(changes) = unchanged(&owner, &before, &after) {
        panic!("the killed check left something: {changes}");
    }
    // The same names again on a new session: nothing of the killed one is in the way.
    let (code, stdout, stderr) = owner.autogen(dir.path(), &models, &["check"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let after = owner.server_objects();
    if let Err(changes) = unchanged(&owner, &before, &after) {
        panic!("a check left something: {changes}");
    }
}

/// A `default_sql` carrying a second statement: `check` fails (exit 2) naming where it is, and
/// the server never runs the smuggled `CREATE USER`.
#[test]
fn a_smuggled_create_user_in_a_model_file_never_runs() {
    let owner = OwnDatabaseUser::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let victim = format!("autogen_pwned_cli_{}", std::process::id());
    let models = dir.path().join("models.rs");
    std::fs::write(
        &models,
        format!(
            "#[derive(autogen::Model)]\n#[autogen(table = \"t\")]\npub struct T {{\n    \
             #[autogen(primary_key)]\n    pub id: i64,\n    \
             #[autogen(default_sql = \"0); CREATE USER '{victim}'@'%'; CREATE TABLE z (id int\")]\n    \
             pub c: i32,\n}}\n"
        ),
    )
    .expect("models written");
    for command in [&["check"][..], &["diff"], &["-m", "smuggle"]] {
        let (code, stdout, stderr) = owner.autogen(dir.path(), &models, command);
        assert_eq!(code, 2, "{command:?}\n{stdout}\n{stderr}");
        assert!(
            stderr.contains("column `t`.`c`: not a single SQL expression")
                || stderr.contains("models.rs:"),
            "{command:?}: {stderr}"
        );
        let users = owner.db.query(&format!(
            "SELECT COUNT(*) FROM mysql.user WHERE User = '{victim}'"
        ));
        assert_eq!(users, vec![vec![Some("0".to_owned())]], "{command:?}");
        let tables = owner.db.query(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
        );
        assert_eq!(tables, vec![vec![Some("0".to_owned())]], "{command:?}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The `.rs` files of `path` (a file or a folder), as the model reader takes them.
fn model_files(path: &std::path::Path) -> Vec<autogen_model::SourceFile> {
    let paths: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut paths: Vec<_> = std::fs::read_dir(path)
            .expect("a models folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        paths.sort();
        paths
    } else {
        vec![path.to_owned()]
    };
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("a model file");
            autogen_model::SourceFile::new(p.to_string_lossy().into_owned(), text)
        })
        .collect()
}

/// The models at `path` against `url`'s database, as `check` compares them.
fn compare(url: &str, path: &std::path::Path) -> autogen_introspect::Compared {
    let output = autogen_model::read_models(
        &model_files(path),
        &autogen_model::ModelOptions::new(autogen_schema::Dialect::MySql),
    );
    assert!(
        output.diagnostics.is_empty(),
        "{}: {:?}",
        path.display(),
        output.diagnostics
    );
    runtime()
        .block_on(autogen_introspect::compare_models(
            url,
            None,
            output.schema,
            &autogen_introspect::IntrospectOptions::default(),
            |_, m| m,
        ))
        .expect("compares")
}

/// `autogen -m` and `upgrade` of the models at `models` in `dir`, on `url`.
fn migrate(url: &str, dir: &std::path::Path, models: &std::path::Path) {
    for args in [&["-m", "models"][..], &["upgrade"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .arg("--database-url")
            .arg(url)
            .arg("--models")
            .arg(models)
            .args(args)
            .output()
            .expect("the autogen binary runs");
        assert!(
            output.status.success(),
            "{args:?} of {}:\n{}{}",
            models.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn check_code(url: &str, dir: &std::path::Path, models: &std::path::Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .arg("--database-url")
        .arg(url)
        .arg("--models")
        .arg(models)
        .arg("check")
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

/// Every native MySQL model fixture, created by autogen itself: the comparison that follows settles
/// every table without the server (MySQL's own facts derived, `normalise/mysql.rs`), and
/// `check` is clean.
#[test]
fn a_no_op_check_of_every_mysql_model_fixture_sends_nothing_to_normalise() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    // The native MySQL model fixtures: the todo app's eight versions (`fixtures/models/*` are
    // PostgreSQL's: schemas, arrays, numbers beyond MySQL's types; Diesel's and SeaORM's MySQL
    // sets have `models_diesel` and `seaorm_oracle`).
    let fixtures: Vec<std::path::PathBuf> = (1..=8)
        .map(|v| root.join(format!("todo/v{v}.rs")))
        .collect();
    let db = autogen_testkit::mariadb();
    let mut failures = Vec::new();
    for models in &fixtures {
        db.reset();
        let dir = tempfile::tempdir().expect("temp dir");
        migrate(db.url(), dir.path(), models);
        let compared = compare(db.url(), models);
        let (code, out) = check_code(db.url(), dir.path(), models);
        if !compared.pending_tables.is_empty()
            || compared.normalisation_statements != 0
            || code != 0
        {
            failures.push(format!(
                "{}: pending {:?}, {} statements, check exit {code}\n{out}",
                models.display(),
                compared.pending_tables,
                compared.normalisation_statements
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `count` tables with what MySQL decides on its own: a primary key, a foreign key no index
/// serves (InnoDB adds one) and one an index serves, a unique column, defaults the server
/// respells, a check, a comment, an inline enum.
fn many_mysql_models(count: usize, changed: bool) -> String {
    let mut out = String::from(
        "#[derive(autogen::Enum)]\n#[autogen(name = \"state\", rename_all = \"snake_case\")]\n\
         pub enum State { On, Off }\n",
    );
    for i in 0..count {
        let parent = if i == 0 { 0 } else { i - 1 };
        // The first table's default changes in the second version.
        let n_default = if changed && i == 0 {
            "(2 + 40)"
        } else {
            "(1 + 41)"
        };
        out.push_str(&format!(
            r#"
#[derive(autogen::Model)]
#[autogen(table = "k{i:04}", comment = "table\\tk{i}")]
#[autogen(index(columns(name, qty)))]
pub struct K{i:04} {{
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(unique, max_length = 80)]
    pub name: String,
    #[autogen(default = 0, check = "qty >= 0")]
    pub qty: i32,
    #[autogen(default_sql = "{n_default}")]
    pub n: i32,
    #[autogen(default_sql = "now()")]
    pub at: chrono::DateTime<chrono::Utc>,
    #[autogen(default = "on")]
    pub state: State,
    #[autogen(references = "k{parent:04}.id", on_delete = "cascade")]
    pub parent_id: Option<i64>,
    #[autogen(references = "k{parent:04}.id", index, comment = "served by an index")]
    pub other_id: Option<i64>,
    pub note: Option<String>,
}}
"#
        ));
    }
    if changed {
        out.push_str(
            r#"
#[derive(autogen::Model)]
#[autogen(table = "fresh")]
pub struct Fresh {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(default_sql = "now()")]
    pub at: chrono::DateTime<chrono::Utc>,
    #[autogen(references = "k0000.id")]
    pub k_id: i64,
}
"#,
        );
    }
    out
}

/// A no-op `check` of 10 and of 200 tables sends nothing to normalise and reads the database in
/// the same number of statements; a changed default and a new table go to the server, only
/// they, and come back in its spelling with nothing else differing.
#[test]
fn the_cheap_pass_settles_a_no_op_check_at_any_size_and_sends_only_what_changed() {
    let db = autogen_testkit::mariadb();
    let mut counts = Vec::new();
    for count in [10, 200] {
        db.reset();
        let dir = tempfile::tempdir().expect("temp dir");
        let models = dir.path().join("models.rs");
        std::fs::write(&models, many_mysql_models(count, false)).expect("models written");
        migrate(db.url(), dir.path(), &models);
        let compared = compare(db.url(), &models);
        assert_eq!(compared.pending_tables, [], "{count} tables");
        assert_eq!(compared.normalisation_statements, 0, "{count} tables");
        let (code, out) = check_code(db.url(), dir.path(), &models);
        assert_eq!(code, 0, "{count} tables: {out}");

        std::fs::write(&models, many_mysql_models(count, true)).expect("models written");
        let changed = compare(db.url(), &models);
        let names: Vec<&str> = changed
            .pending_tables
            .iter()
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(names, ["fresh", "k0000"], "{count} tables");
        let desired = &changed.desired;
        let current = &changed.current;
        for (name, table) in desired.tables() {
            match name.name.as_str() {
                "fresh" => {
                    let at = table.column("at").expect("at");
                    assert_eq!(at.default.as_deref(), Some("current_timestamp()"));
                    // The index InnoDB adds for the foreign key, as the server reads it.
                    assert!(table.indexes.contains_key("fresh_k_id_fkey"), "{table:?}");
                    assert_eq!(
                        table.primary_key.as_ref().map(|p| p.name.as_str()),
                        Some("PRIMARY")
                    );
                }
                "k0000" => {
                    let live = current.table(&name).expect("live k0000");
                    let mut expected = live.clone();
                    for column in &mut expected.columns {
                        if column.name == "n" {
                            column.default = Some("(2 + 40)".to_owned());
                        }
                    }
                    assert_eq!(table, &expected);
                }
                _ => assert_eq!(Some(table), current.table(&name), "{name}"),
            }
        }
        counts.push((
            count,
            compared.introspection_statements,
            changed.normalisation_statements,
        ));
    }
    eprintln!("(tables, introspection statements, statements for 2 pending tables): {counts:?}");
    assert_eq!(counts[0].1, counts[1].1);
    assert_eq!(counts[0].2, counts[1].2);
}
