//! `exclude_tables` in autogen.toml: tables another tool owns are left alone on both sides.
//! Without the setting `check` wants them dropped (the test would fail without the filter);
//! with it, `check`, `-m`, `inspect` and `diff --from/--to` never mention them, and a model of
//! an excluded table is not created.

use autogen_testkit::TestDatabase;

use crate::support::scenario::Scenario;

const MODELS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User { #[autogen(primary_key)] pub id: i64, pub name: String }

// Matches `tmp_*`: the models may not bring it in either.
#[derive(autogen::Model)]
#[autogen(table = "tmp_import")]
pub struct TmpImport { #[autogen(primary_key)] pub id: i64 }
"#;

/// The tables another tool made: one in the default schema by name, one matched by a glob,
/// and (PostgreSQL) a whole schema by `schema.*`.
fn foreign_tables(db: &dyn TestDatabase, postgres: bool) {
    db.execute("CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY, auth_name varchar(256))");
    db.execute("CREATE TABLE tmp_old (id integer)");
    if !postgres {
        // Its trigger is the other tool's too (SQLite: views and triggers are read).
        db.execute("CREATE TRIGGER tmp_old_seen AFTER INSERT ON tmp_old BEGIN SELECT 1; END");
    }
    if postgres {
        db.execute("CREATE SCHEMA audit");
        db.execute("CREATE TABLE audit.events (id bigint PRIMARY KEY, at timestamptz)");
    }
}

fn walk(db: &dyn TestDatabase, postgres: bool) {
    foreign_tables(db, postgres);
    let s = Scenario::new(db.url());
    s.models(MODELS);
    let schemas = if postgres {
        "schemas = [\"public\", \"audit\"]\n"
    } else {
        ""
    };
    // Without the setting, the foreign tables are drift: this is what the filter changes.
    std::fs::write(s.dir.path().join("autogen.toml"), schemas).unwrap();
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("spatial_ref_sys"), "{out}");

    std::fs::write(
        s.dir.path().join("autogen.toml"),
        format!("{schemas}exclude_tables = [\"spatial_ref_sys\", \"tmp_*\", \"audit.*\"]\n"),
    )
    .unwrap();
    let (code, out) = s.autogen(&["-m", "users"]);
    assert_eq!(code, 0, "{out}");
    let up = std::fs::read_dir(s.dir.path().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".up.sql"))
        .expect("an up file");
    let up = std::fs::read_to_string(up).unwrap();
    assert!(up.contains("users"), "{up}");
    for foreign in ["spatial_ref_sys", "tmp_", "audit"] {
        assert!(!up.contains(foreign), "{foreign} in\n{up}");
    }
    s.ok(&[&["upgrade"], &["check"]]);
    s.settled();
    let (code, out) = s.autogen(&["inspect"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("users") && !out.contains("spatial_ref_sys") && !out.contains("tmp_old"),
        "{out}"
    );
    // The foreign tables are still there, untouched.
    db.execute("INSERT INTO spatial_ref_sys (srid, auth_name) VALUES (4326, 'EPSG')");
    db.execute("INSERT INTO tmp_old (id) VALUES (1)");
}

#[test]
fn excluded_tables_are_left_alone_on_postgres() {
    let db = autogen_testkit::postgres();
    walk(&db, true);
    // diff between two databases honours it too: the other side lacks every foreign table.
    let other = autogen_testkit::postgres();
    other.execute("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL)");
    let s = Scenario::new(db.url());
    std::fs::write(
        s.dir.path().join("autogen.toml"),
        "schemas = [\"public\", \"audit\"]\nexclude_tables = [\"spatial_ref_sys\", \"tmp_*\", \"audit.*\", \"_sqlx*\"]\n",
    )
    .unwrap();
    let (code, out) = s.autogen(&["diff", "--from", other.url(), "--to", db.url()]);
    assert_eq!(code, 0, "{out}");
    for foreign in ["spatial_ref_sys", "tmp_old", "audit"] {
        assert!(!out.contains(foreign), "{foreign} in\n{out}");
    }
}

#[test]
fn excluded_tables_are_left_alone_on_sqlite() {
    let db = autogen_testkit::sqlite();
    walk(&db, false);
    assert_eq!(
        db.query("SELECT name FROM sqlite_schema WHERE type = 'trigger'"),
        vec![vec![Some("tmp_old_seen".to_owned())]],
        "the excluded table's trigger stays"
    );
}

#[test]
fn a_malformed_pattern_names_the_key_and_the_file() {
    let db = autogen_testkit::sqlite();
    let s = Scenario::new(db.url());
    s.models(MODELS);
    std::fs::write(
        s.dir.path().join("autogen.toml"),
        "exclude_tables = [\"[tmp\"]\n",
    )
    .unwrap();
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("exclude_tables") && out.contains("autogen.toml") && out.contains("\"[tmp\""),
        "{out}"
    );
}

/// `include_schemas`: the database's schemas a glob matches are compared (beside `schemas`),
/// and the models' tables in schemas neither listed nor matched are left out too.
#[test]
fn included_schemas_are_matched_on_both_sides() {
    let db = autogen_testkit::postgres();
    db.execute(
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA other;
         CREATE TABLE tenant_a.accounts (id bigint PRIMARY KEY);
         CREATE TABLE tenant_b.accounts (id bigint PRIMARY KEY);
         CREATE TABLE other.legacy (id bigint PRIMARY KEY);",
    );
    let s = Scenario::new(db.url());
    s.models(
        r#"
#[derive(autogen::Model)] #[autogen(schema = "tenant_a", table = "accounts")]
pub struct A { #[autogen(primary_key, identity = false)] pub id: i64 }
#[derive(autogen::Model)] #[autogen(schema = "tenant_b", table = "accounts")]
pub struct B { #[autogen(primary_key, identity = false)] pub id: i64 }
#[derive(autogen::Model)] #[autogen(schema = "other", table = "wanted")]
pub struct C { #[autogen(primary_key, identity = false)] pub id: i64 }
"#,
    );
    // Without the patterns the models' `other` schema is compared: drift.
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 1, "{out}");
    std::fs::write(
        s.dir.path().join("autogen.toml"),
        "include_schemas = [\"tenant_*\"]\n",
    )
    .unwrap();
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = s.autogen(&["inspect"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"tenant_a\".\"accounts\"") && out.contains("\"tenant_b\".\"accounts\""),
        "{out}"
    );
    assert!(!out.contains("legacy"), "{out}");
    // A new tenant schema is picked up by the pattern: the models lack it, so check drifts.
    db.execute("CREATE SCHEMA tenant_c; CREATE TABLE tenant_c.accounts (id bigint PRIMARY KEY);");
    let (code, out) = s.autogen(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tenant_c.accounts"), "{out}");
}
