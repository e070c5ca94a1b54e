//! A Diesel project as it ships (`fixtures/models/diesel/projects`: its migrations' up.sql and
//! the schema.rs `diesel print-schema` prints for them), read through the real binary with
//! the Diesel reader (a `schema.rs` is detected as Diesel; native models beside it are its overlay):
//! - `check` on the database its migrations built is clean: nothing schema.rs cannot state
//!   (defaults, indexes, checks, uniques, foreign-key actions, serial) is reported;
//! - `-m` on an empty database then `upgrade` builds the same tables, columns, types, keys
//!   and enums (judged by the database's catalogs, restricted to what schema.rs states), and
//!   a second `-m` says "No changes detected";
//! - a type change in schema.rs is an ALTER (PostgreSQL) or a rebuild keeping the rest
//!   (SQLite), and never drops an index, default or constraint schema.rs is silent about.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/models/diesel/projects")
        .join(path)
}

/// Every migration's up.sql, in Diesel's order (the folder names sort by time).
fn migrations_up(dialect: &str) -> Vec<String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture(&format!("{dialect}/migrations")))
        .expect("migrations folder")
        .map(|e| e.expect("entry").path())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|d| std::fs::read_to_string(d.join("up.sql")).expect("up.sql"))
        .collect()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn autogen(dir: &Path, url: &str, schema_rs: &Path, overlay: Option<&Path>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .arg("--database-url")
        .arg(url)
        .arg("--models")
        .arg(schema_rs)
        .args(args);
    // A schema.rs is detected as Diesel; native models beside it are its overlay.
    if let Some(overlay) = overlay {
        command.arg("--models").arg(overlay);
    }
    let output = command.output().expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: text(output.stdout),
        stderr: text(output.stderr),
    }
}

fn ok(run: Run, what: &str) -> String {
    assert_eq!(
        run.code, 0,
        "{what} failed:\n{}\n{}",
        run.stdout, run.stderr
    );
    run.stdout
}

/// The text of the only up migration autogen wrote in `dir`.
fn up_file(dir: &Path) -> String {
    let mut ups: Vec<PathBuf> = std::fs::read_dir(dir.join("migrations"))
        .expect("migrations written")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    std::fs::read_to_string(ups.last().expect("an up migration")).expect("readable")
}

fn rows_to_set(rows: Vec<Vec<Option<String>>>) -> BTreeSet<String> {
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| v.unwrap_or_else(|| "NULL".into()))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// Columns with the types schema.rs states (no numeric precision; varchar and char lengths),
/// nullability; primary keys; foreign keys without their actions; enum labels.
fn pg_view(db: &autogen_testkit::PostgresDb) -> BTreeSet<String> {
    let mut out = rows_to_set(db.query(
        "SELECT 'column', c.relname, a.attname,
                format_type(a.atttypid, CASE WHEN a.atttypid IN ('varchar'::regtype, 'bpchar'::regtype)
                                             THEN a.atttypmod END),
                a.attnotnull::text
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
           AND c.relname <> '_sqlx_migrations'",
    ));
    out.extend(rows_to_set(db.query(
        "SELECT 'key', conrelid::regclass::text, contype::text,
                split_part(pg_get_constraintdef(oid), ' ON ', 1)
         FROM pg_constraint
         WHERE contype IN ('p', 'f') AND connamespace = 'public'::regnamespace
           AND conrelid::regclass::text <> '_sqlx_migrations'",
    )));
    out.extend(rows_to_set(db.query(
        "SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
         FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname",
    )));
    out
}

fn pg_dump_lines(db: &autogen_testkit::PostgresDb) -> BTreeSet<String> {
    let output = Command::new("pg_dump")
        .args([
            "-s",
            "--no-owner",
            "--no-privileges",
            "-T",
            "_sqlx_migrations",
            "-d",
            db.url(),
        ])
        .output()
        .expect("pg_dump runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| l.trim_end_matches(',').trim().to_owned())
        .filter(|l| {
            // `\restrict` lines carry a random key per dump (pg_dump 15.14 and later).
            !l.is_empty()
                && !l.starts_with("--")
                && !l.starts_with('\\')
                && !l.contains("_sqlx_migrations")
        })
        .collect()
}

/// `autogen check` with `schema_rs` against the database at `url` finds nothing to do.
fn check_is_clean(url: &str, schema_rs: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = autogen(dir.path(), url, &fixture(schema_rs), None, &["check"]);
    assert_eq!(
        run.code, 0,
        "check reports drift:\n{}\n{}",
        run.stdout, run.stderr
    );
}

fn pg_migrated() -> autogen_testkit::PostgresDb {
    let db = autogen_testkit::postgres();
    for sql in migrations_up("postgres") {
        db.execute(&sql);
    }
    db
}

#[test]
fn postgres_check_is_clean_on_the_database_diesel_migrations_built() {
    check_is_clean(pg_migrated().url(), "postgres/schema.rs");
}

#[test]
fn postgres_from_empty_builds_what_schema_rs_states_and_then_finds_nothing() {
    let migrated = pg_migrated();
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().expect("temp dir");
    let schema_rs = fixture("postgres/schema.rs");
    let overlay = fixture("overlay");
    ok(
        autogen(
            dir.path(),
            db.url(),
            &schema_rs,
            Some(&overlay),
            &["-m", "initial"],
        ),
        "-m",
    );
    ok(
        autogen(
            dir.path(),
            db.url(),
            &schema_rs,
            Some(&overlay),
            &["upgrade"],
        ),
        "upgrade",
    );
    let again = ok(
        autogen(
            dir.path(),
            db.url(),
            &schema_rs,
            Some(&overlay),
            &["-m", "again"],
        ),
        "second -m",
    );
    assert!(again.contains("No changes detected"), "{again}");

    // The foreign keys schema.rs does not list: two from tasks to users (print-schema leaves
    // out every foreign key between a pair of tables that has several).
    let unlisted: BTreeSet<String> = [
        "key | tasks | f | FOREIGN KEY (assignee_id) REFERENCES users(id)",
        "key | tasks | f | FOREIGN KEY (reporter_id) REFERENCES users(id)",
    ]
    .map(str::to_owned)
    .into();
    let want: BTreeSet<String> = pg_view(&migrated).difference(&unlisted).cloned().collect();
    let got = pg_view(&db);
    assert_eq!(
        got.symmetric_difference(&want).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the database built from schema.rs differs from the one Diesel's migrations built"
    );
    assert!(got.len() > 80, "the view reads the catalogs: {got:?}");
}

#[test]
fn postgres_type_change_is_an_alter_and_keeps_what_schema_rs_does_not_state() {
    let db = pg_migrated();
    let dir = tempfile::tempdir().expect("temp dir");
    let changed = dir.path().join("schema.rs");
    let text = std::fs::read_to_string(fixture("postgres/schema.rs")).expect("schema.rs");
    let text = text
        .replace(
            "estimate_hours -> Nullable<Float4>",
            "estimate_hours -> Nullable<Float8>",
        )
        .replace(
            "#[max_length = 100]\n        display_name",
            "#[max_length = 150]\n        display_name",
        );
    std::fs::write(&changed, text).expect("written");
    let before = pg_dump_lines(&db);

    ok(
        autogen(dir.path(), db.url(), &changed, None, &["-m", "widen"]),
        "-m",
    );
    let up = up_file(dir.path());
    assert!(
        up.contains("ALTER COLUMN \"estimate_hours\" TYPE double precision"),
        "{up}"
    );
    assert!(
        up.contains("ALTER COLUMN \"display_name\" TYPE character varying(150)"),
        "{up}"
    );
    let statements: Vec<&str> = up
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    assert!(
        statements.iter().all(|l| !l.contains("DROP")),
        "the migration drops something:\n{up}"
    );
    ok(
        autogen(dir.path(), db.url(), &changed, None, &["upgrade"]),
        "upgrade",
    );
    let after = pg_dump_lines(&db);
    let gone: Vec<&String> = before.difference(&after).collect();
    let new: Vec<&String> = after.difference(&before).collect();
    assert_eq!(
        gone,
        vec![
            "display_name character varying(100) NOT NULL",
            "estimate_hours real"
        ],
        "pg_dump lost more than the two old column types"
    );
    assert_eq!(
        new,
        vec![
            "display_name character varying(150) NOT NULL",
            "estimate_hours double precision"
        ],
    );
    let clean = autogen(dir.path(), db.url(), &changed, None, &["check"]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
}

// ---------------------------------------------------------------------------------------------
// SQLite

/// The class `diesel print-schema` reads a declared SQLite type as (diesel_cli
/// `infer_schema_internals/sqlite.rs`): what schema.rs states about a column's type.
fn diesel_class(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t == "boolean" || t == "bool" || (t.contains("tiny") && t.contains("int")) {
        "Bool"
    } else if t.contains("int") {
        "Integer"
    } else if t.contains("char") || t.contains("clob") || t.contains("text") {
        "Text"
    } else if t.contains("blob") || t.contains("binary") || t.is_empty() {
        "Binary"
    } else if t.contains("float")
        || t.contains("real")
        || t.contains("double")
        || t.contains("num")
        || t.contains("dec")
    {
        "Float"
    } else if t == "datetime" || t == "timestamp" {
        "Timestamp"
    } else if t == "date" {
        "Date"
    } else if t == "time" {
        "Time"
    } else {
        "unsupported"
    }
}

fn sqlite_view(db: &autogen_testkit::SqliteDb) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for row in db.query(
        "SELECT m.name, p.name, p.type, p.\"notnull\" OR p.pk = 1, p.pk
         FROM sqlite_schema m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> '_sqlx_migrations'",
    ) {
        let v: Vec<String> = row.into_iter().map(|v| v.unwrap_or_default()).collect();
        out.insert(format!(
            "column {} {} {} notnull={} pk={}",
            v[0],
            v[1],
            diesel_class(&v[2]),
            v[3],
            v[4]
        ));
    }
    for row in db.query(
        "SELECT m.name, f.\"from\", f.\"table\", f.\"to\"
         FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'",
    ) {
        let v: Vec<String> = row.into_iter().map(|v| v.unwrap_or_default()).collect();
        out.insert(format!("fk {}.{} -> {}.{}", v[0], v[1], v[2], v[3]));
    }
    out
}

/// Indexes, defaults and CHECKs: what schema.rs is silent about.
fn sqlite_unstated(db: &autogen_testkit::SqliteDb) -> BTreeSet<String> {
    // Indexes by their columns: a rebuild writes the same index with quoted names.
    let mut out = rows_to_set(db.query(
        "SELECT 'index', m.name, m.tbl_name, group_concat(i.name, ',')
         FROM sqlite_schema m, pragma_index_info(m.name) i
         WHERE m.type = 'index' AND m.sql IS NOT NULL GROUP BY m.name",
    ));
    out.extend(rows_to_set(db.query(
        "SELECT 'default', m.name, p.name, p.dflt_value
         FROM sqlite_schema m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.dflt_value IS NOT NULL AND m.name <> '_sqlx_migrations'",
    )));
    out.extend(rows_to_set(db.query(
        "SELECT 'fk action', m.name, f.\"from\", f.on_delete
         FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
    )));
    out
}

fn sqlite_migrated() -> autogen_testkit::SqliteDb {
    let db = autogen_testkit::sqlite();
    for sql in migrations_up("sqlite") {
        db.execute(&sql);
    }
    db
}

#[test]
fn sqlite_check_is_clean_on_the_database_diesel_migrations_built() {
    check_is_clean(sqlite_migrated().url(), "sqlite/schema.rs");
}

#[test]
fn sqlite_from_empty_builds_what_schema_rs_states_and_then_finds_nothing() {
    let migrated = sqlite_migrated();
    let db = autogen_testkit::sqlite();
    let dir = tempfile::tempdir().expect("temp dir");
    let schema_rs = fixture("sqlite/schema.rs");
    ok(
        autogen(dir.path(), db.url(), &schema_rs, None, &["-m", "initial"]),
        "-m",
    );
    ok(
        autogen(dir.path(), db.url(), &schema_rs, None, &["upgrade"]),
        "upgrade",
    );
    let again = ok(
        autogen(dir.path(), db.url(), &schema_rs, None, &["-m", "again"]),
        "second -m",
    );
    assert!(again.contains("No changes detected"), "{again}");

    let unlisted: BTreeSet<String> = [
        "fk tasks.assignee_id -> users.id",
        "fk tasks.reporter_id -> users.id",
    ]
    .map(str::to_owned)
    .into();
    let want: BTreeSet<String> = sqlite_view(&migrated)
        .difference(&unlisted)
        .cloned()
        .collect();
    let got = sqlite_view(&db);
    assert_eq!(
        got.symmetric_difference(&want).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the database built from schema.rs differs from the one Diesel's migrations built"
    );
    assert!(got.len() > 60, "{got:?}");
}

#[test]
fn sqlite_type_change_keeps_what_schema_rs_does_not_state() {
    let db = sqlite_migrated();
    db.execute(
        "INSERT INTO users (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada');
         INSERT INTO organizations (id, name, slug) VALUES (1, 'Acme', 'acme');
         INSERT INTO projects (organization_id, name) VALUES (1, 'Launch');
         INSERT INTO tasks (id, project_id, reporter_id, title, estimate_hours) VALUES (1, 1, 1, 'Plan', 3);",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let changed = dir.path().join("schema.rs");
    let text = std::fs::read_to_string(fixture("sqlite/schema.rs")).expect("schema.rs");
    std::fs::write(
        &changed,
        text.replace(
            "estimate_hours -> Nullable<Float>",
            "estimate_hours -> Nullable<Integer>",
        ),
    )
    .expect("written");
    let before = sqlite_unstated(&db);

    ok(
        autogen(
            dir.path(),
            db.url(),
            &changed,
            None,
            &["-m", "whole hours", "--allow-data-loss"],
        ),
        "-m",
    );
    let up = up_file(dir.path());
    assert!(up.contains("\"estimate_hours\" integer"), "{up}");
    ok(
        autogen(dir.path(), db.url(), &changed, None, &["upgrade"]),
        "upgrade",
    );
    let after = sqlite_unstated(&db);
    assert_eq!(
        before.symmetric_difference(&after).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the rebuild lost or changed an index, default or foreign-key action:\n{up}"
    );
    let check_kept =
        db.query("SELECT sql LIKE '%estimate_hours%>=%0%' FROM sqlite_schema WHERE name = 'tasks'");
    assert_eq!(
        check_kept,
        vec![vec![Some("1".to_owned())]],
        "the CHECK on tasks was dropped:\n{up}"
    );
    assert_eq!(
        db.query("SELECT title, estimate_hours, typeof(estimate_hours) FROM tasks"),
        vec![vec![
            Some("Plan".into()),
            Some("3".into()),
            Some("integer".into())
        ]]
    );
    let clean = autogen(dir.path(), db.url(), &changed, None, &["check"]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
}

// ---------------------------------------------------------------------------------------------
// MariaDB (schema.rs written by hand in print-schema's MySQL format: the diesel_cli used for the
// other two was built without MySQL). No `-m` from an empty database: schema.rs gives a MySQL
// enum column no labels, so autogen cannot create it.

fn mariadb_migrated() -> autogen_testkit::MariaDb {
    let db = autogen_testkit::mariadb();
    for sql in migrations_up("mysql") {
        db.execute(&sql);
    }
    db
}

/// `SHOW CREATE TABLE` of every table, one line per column, key and constraint.
fn mariadb_lines(db: &autogen_testkit::MariaDb) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let tables = db.query(
        "SELECT table_name FROM information_schema.tables
         WHERE table_schema = DATABASE() AND table_name <> '_sqlx_migrations'",
    );
    for table in tables {
        let name = table[0].clone().unwrap_or_default();
        for row in db.query(&format!("SHOW CREATE TABLE `{name}`")) {
            let text = row.get(1).cloned().flatten().unwrap_or_default();
            out.extend(
                text.lines()
                    .map(|l| format!("{name}: {}", l.trim().trim_end_matches(','))),
            );
        }
    }
    out
}

#[test]
fn mariadb_check_is_clean_on_the_database_diesel_migrations_built() {
    check_is_clean(mariadb_migrated().url(), "mysql/schema.rs");
}

#[test]
fn mariadb_type_change_is_a_modify_that_keeps_what_schema_rs_does_not_state() {
    let db = mariadb_migrated();
    let dir = tempfile::tempdir().expect("temp dir");
    let changed = dir.path().join("schema.rs");
    let text = std::fs::read_to_string(fixture("mysql/schema.rs")).expect("schema.rs");
    std::fs::write(
        &changed,
        text.replace(
            "estimate_hours -> Nullable<Float>",
            "estimate_hours -> Nullable<Double>",
        )
        .replace(
            "#[max_length = 20]\n        role",
            "#[max_length = 40]\n        role",
        ),
    )
    .expect("written");
    let before = mariadb_lines(&db);

    ok(
        autogen(dir.path(), db.url(), &changed, None, &["-m", "widen"]),
        "-m",
    );
    let up = up_file(dir.path());
    let statements: Vec<&str> = up
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    assert!(
        statements.iter().all(|l| !l.contains("DROP")),
        "the migration drops something:\n{up}"
    );
    ok(
        autogen(dir.path(), db.url(), &changed, None, &["upgrade"]),
        "upgrade",
    );
    let after = mariadb_lines(&db);
    let gone: Vec<&String> = before.difference(&after).collect();
    let new: Vec<&String> = after.difference(&before).collect();
    assert_eq!(
        gone,
        vec![
            "memberships: `role` varchar(20) NOT NULL DEFAULT 'member'",
            "tasks: `estimate_hours` float DEFAULT NULL",
        ],
        "SHOW CREATE TABLE lost more than the two old column types:\n{up}"
    );
    assert_eq!(
        new,
        vec![
            "memberships: `role` varchar(40) NOT NULL DEFAULT 'member'",
            "tasks: `estimate_hours` double DEFAULT NULL",
        ],
        "{up}"
    );
    let clean = autogen(dir.path(), db.url(), &changed, None, &["check"]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
}
