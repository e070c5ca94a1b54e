//! A model attribute that carries a second statement never reaches the server. Every SQL text
//! a model gives (`default_sql`, per-dialect `default_sql(..)`, `check`, `where`, `expr`,
//! `backfill_sql`, `sql_type`) is parsed as one expression first: `check`, `diff` and `-m`
//! exit 2 with the diagnostic at file:line:col, write no file, and the role (PostgreSQL) or
//! user (MariaDB) that the smuggled statement names does not exist afterwards.

use std::path::Path;
use std::process::Command;

/// A name no other run uses, for the role or user the attack would create.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{nanos}", std::process::id())
}

/// The model file for one attribute: `{}` in `attribute` is replaced by the smuggled text;
/// struct-level attributes start with `#![struct]`.
fn model(attribute: &str, smuggled: &str) -> (String, usize, usize) {
    let attribute = attribute.replace("{}", smuggled);
    let (struct_attr, field_attr) = match attribute.strip_prefix("#![struct]") {
        Some(a) => (a.to_owned(), String::new()),
        None => (String::new(), attribute.clone()),
    };
    let text = format!(
        "#[derive(autogen::Model)]\n#[autogen(table = \"t\")]\n{struct_attr}\nstruct T {{\n    #[autogen(primary_key)]\n    id: i64,\n    {field_attr}\n    v: Option<String>,\n}}\n"
    );
    // The diagnostic points at the string that holds the smuggled text.
    let needle = format!("\"{smuggled}");
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(&needle)
                .map(|at| (i + 1, l[..at].chars().count() + 1))
        })
        .expect("the attribute is in the file");
    (text, line, column)
}

const ATTRIBUTES: &[&str] = &[
    "#[autogen(default_sql = \"{}\")]",
    "#[autogen(check = \"{}\")]",
    "#[autogen(backfill_sql = \"{}\")]",
    "#[autogen(sql_type = \"{}\")]",
    "#![struct]#[autogen(index(expr = \"{}\"))]",
    "#![struct]#[autogen(index(columns(v), r#where = \"{}\"))]",
    "#![struct]#[autogen(check(expr = \"{}\"))]",
];

fn run(dir: &Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args([
            "--database-url",
            url,
            "--models",
            "models",
            "--migrations",
            "migrations",
        ])
        .args(args)
        .output()
        .expect("the autogen binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `check`, `diff` and `-m` for every attribute carrying `smuggled(name)` (plus the
/// dialect's per-dialect `default_sql(..)`), asserting each is refused; `exists` says whether
/// the named role/user exists on the server.
fn refuse_everywhere(
    url: &str,
    dialect: &str,
    smuggled: &dyn Fn(&str) -> String,
    exists: &dyn Fn(&str) -> bool,
    drop: &dyn Fn(&str),
) {
    let per_dialect = format!("#[autogen(default_sql({dialect} = \"{{}}\"))]");
    let attributes: Vec<&str> = ATTRIBUTES
        .iter()
        .copied()
        .chain([per_dialect.as_str()])
        .collect();
    for attribute in attributes {
        let name = unique("autogen_pwned");
        let text = smuggled(&name);
        let (file, line, column) = model(attribute, &text);
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("models")).expect("models dir");
        std::fs::write(dir.path().join("models/models.rs"), &file).expect("model file");
        for args in [&["check"][..], &["diff"], &["-m", "smuggled"]] {
            let (code, stdout, stderr) = run(dir.path(), url, args);
            // First: whatever else went wrong, the statement must not have run.
            let found = exists(&name);
            drop(&name);
            assert!(
                !found,
                "{attribute} {args:?}: the smuggled statement ran: {name} exists\n{stderr}"
            );
            let at = format!("models/models.rs:{line}:{column}");
            assert_eq!(code, 2, "{attribute} {args:?}: {stdout}{stderr}");
            assert!(
                stderr.contains(&at),
                "{attribute} {args:?}: expected {at} in:\n{stderr}"
            );
            assert!(
                stderr.contains("must be one SQL"),
                "{attribute} {args:?}:\n{stderr}"
            );
            assert!(
                stdout.is_empty(),
                "{attribute} {args:?}: a plan was printed: {stdout}"
            );
            let written = std::fs::read_dir(dir.path().join("migrations"))
                .map(|d| d.count())
                .unwrap_or(0);
            assert_eq!(written, 0, "{attribute} {args:?}: a migration was written");
        }
    }
}

#[test]
fn postgres_never_runs_a_statement_from_a_model_attribute() {
    let db = autogen_testkit::postgres();
    refuse_everywhere(
        db.url(),
        "postgres",
        &|name| format!("0); CREATE ROLE {name}; CREATE TABLE z (id int"),
        &|name| {
            !db.query(&format!("SELECT 1 FROM pg_roles WHERE rolname = '{name}'"))
                .is_empty()
        },
        &|name| db.execute(&format!("DROP ROLE IF EXISTS {name}")),
    );
    assert!(
        db.query("SELECT 1 FROM pg_tables WHERE tablename = 'z'")
            .is_empty(),
        "the smuggled table was created"
    );
}

#[test]
fn mariadb_never_runs_a_statement_from_a_model_attribute() {
    let db = autogen_testkit::mariadb();
    refuse_everywhere(
        db.url(),
        "mysql",
        // The key is declared after the columns in MySQL DDL: close it so the first statement
        // loads and the second one would run.
        &|name| format!("0, PRIMARY KEY (id)); CREATE USER {name}; CREATE TABLE z (id int"),
        &|name| {
            !db.query(&format!("SELECT 1 FROM mysql.user WHERE User = '{name}'"))
                .is_empty()
        },
        &|name| db.execute(&format!("DROP USER IF EXISTS {name}")),
    );
    assert!(
        db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'z'")
            .is_empty(),
        "the smuggled table was created"
    );
}
