//! The other kinds of expand/contract on a real PostgreSQL (docs/zero-downtime.md): a column
//! becoming NOT NULL (filled by a `backfill_sql` reading the row, and by a default) and a
//! table rename, each made in two phases while two writers run, one as the old application
//! version (writes NULLs / the old table name), one as the new. No write fails or waits as
//! long as the lock timeout, no row is lost, every row ends in the new state; the contract
//! leaves the schema the models describe (`pg_dump -s` against a database built from the
//! models), `check` exits 0, and each down file brings its phase back. Plain `-m` keeps
//! writing one migration for both kinds, and a NOT NULL with no fill value is refused while
//! NULLs exist.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::support::expand::{
    Project, contract_then_down_twice, dump, exists, reference_dump, scalar, spawn_writer,
    under_writers,
};

const NULLABLE: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: String,
    pub handle: Option<String>,
    pub note: Option<String>,
}
"#;

const NOT_NULL: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: String,
    #[autogen(backfill_sql = "split_part(email, '@', 1)")]
    pub handle: String,
    #[autogen(default = "x")]
    pub note: String,
}
"#;

const NO_FILL: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub email: String,
    pub handle: Option<String>,
    pub note: String,
}
"#;

const USERS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(index)]
    pub name: String,
    pub qty: Option<i32>,
}
"#;

const ACCOUNTS: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "accounts", renamed_from = "users")]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(index)]
    pub name: String,
    pub qty: Option<i32>,
}
"#;

const ROWS: i64 = 200_000;

/// A database at `v1` (applied), with a project whose models are `v2`.
fn at(v1: &str, v2: &str) -> (autogen_testkit::PostgresDb, Project) {
    let db = autogen_testkit::postgres();
    let project = Project::new();
    project.models(v1);
    project.ok(&db, &["-m", "start"]);
    project.ok(&db, &["upgrade"]);
    project.models(v2);
    (db, project)
}

#[test]
fn plain_m_keeps_writing_one_migration_for_not_null_and_a_table_rename() {
    for (v1, v2, expect) in [
        (NULLABLE, NOT_NULL, "SET NOT NULL"),
        (USERS, ACCOUNTS, "RENAME TO \"accounts\""),
    ] {
        let (db, project) = at(v1, v2);
        project.ok(&db, &["-m", "change"]);
        let ups = project.ups();
        assert_eq!(ups.len(), 2, "{ups:#?}");
        assert!(ups[1].contains(expect), "{}", ups[1]);
        assert!(!ups[1].contains("autogen-expansion"), "{}", ups[1]);
    }
}

#[test]
fn not_null_without_a_fill_value_is_refused_while_nulls_exist() {
    let (db, project) = at(NULLABLE, NO_FILL);
    db.execute("INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 3) g");
    let (code, out) = project.autogen(&db, &["-m", "note", "--expand-contract"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("public.users.note: 3 row(s) hold NULL"),
        "{out}"
    );
    assert!(out.contains("backfill"), "{out}");
    assert_eq!(project.ups().len(), 1, "nothing written");

    // With no NULL left, it expands (the check alone: no trigger, nothing to fill).
    db.execute("UPDATE users SET note = 'n'");
    project.ok(&db, &["-m", "note", "--expand-contract"]);
    let expand = &project.ups()[1];
    assert!(expand.contains("no fill value"), "{expand}");
    assert!(!expand.contains("CREATE TRIGGER"), "{expand}");
    project.ok(&db, &["upgrade"]);
    project.ok(&db, &["check"]);
    project.ok(&db, &["contract"]);
    project.ok(&db, &["upgrade"]);
    project.ok(&db, &["check"]);
    assert_eq!(dump(&db), reference_dump(NO_FILL));
}

#[test]
fn not_null_expands_and_contracts_under_two_writers() {
    let (db, project) = at(NULLABLE, NULLABLE);
    db.execute(&format!(
        "INSERT INTO users (email) SELECT 'u' || g || '@x.org' FROM generate_series(1, {ROWS}) g; \
         ANALYZE users;"
    ));
    let before = dump(&db);
    project.models(NOT_NULL);
    project.ok(&db, &["-m", "not null", "--expand-contract"]);
    let ups = project.ups();
    assert_eq!(ups.len(), 2);
    assert!(ups[1].starts_with("-- no-transaction\n"), "{}", ups[1]);
    assert!(
        ups[1].contains("-- autogen: expand of public.users.handle to NOT NULL"),
        "{}",
        ups[1]
    );

    // The old version knows neither column is NOT NULL: it writes NULL there, on insert and
    // on update; the new one writes values.
    let stop = Arc::new(AtomicBool::new(false));
    let url = db.url().to_owned();
    let old = spawn_writer(url.clone(), None, stop.clone(), |n| {
        let tag = format!("old{n}");
        let statements = vec![
            format!("INSERT INTO users (email) VALUES ('{tag}@x.org')"),
            format!(
                "UPDATE users SET handle = NULL, note = NULL WHERE id = {}",
                1 + (n * 104_729) % ROWS
            ),
        ];
        (tag, statements)
    });
    let new = spawn_writer(url, None, stop.clone(), |n| {
        let tag = format!("new{n}");
        let statements = vec![
            format!("INSERT INTO users (email, handle, note) VALUES ('{tag}@y', '{tag}', 'n')"),
            format!(
                "UPDATE users SET handle = 'h{n}' WHERE id = {}",
                1 + (n * 7919) % ROWS
            ),
        ];
        (tag, statements)
    });
    let ((code, out), took, written) =
        under_writers(&project, &db, &["upgrade"], &stop, vec![old, new]);
    assert_eq!(code, 0, "{out}");
    for (who, w) in ["old", "new"].iter().zip(&written) {
        w.assert_clean(who, took);
    }
    eprintln!(
        "not-null expand of {ROWS} rows took {took:?}; slowest writes {:?} (old), {:?} (new)",
        written[0].slowest, written[1].slowest
    );
    // No row lost, none left NULL; the old version's rows got the backfill and the default.
    let inserted = written.iter().map(|w| w.inserted.len()).sum::<usize>() as i64;
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM users"),
        (ROWS + inserted).to_string()
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM users WHERE handle IS NULL OR note IS NULL"
        ),
        "0"
    );
    for tag in &written[0].inserted {
        let found = scalar(
            &db,
            &format!("SELECT handle || note FROM users WHERE email = '{tag}@x.org'"),
        );
        assert_eq!(found, format!("{tag}x"));
    }
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM users WHERE email LIKE 'new%@y'"),
        written[1].inserted.len().to_string()
    );

    let status = project.ok(&db, &["status"]);
    assert!(status.contains("contract pending"), "{status}");
    assert!(
        status.contains("public.users.handle to NOT NULL"),
        "{status}"
    );
    project.ok(&db, &["check"]);
    let again = project.ok(&db, &["-m", "again"]);
    assert!(again.contains("No changes detected"), "{again}");
    let expanded = dump(&db);

    // A NULL that bypassed the trigger and the check refuses the contract.
    db.execute(
        "ALTER TABLE users DISABLE TRIGGER autogen_sync_users_note; \
         ALTER TABLE users DROP CONSTRAINT autogen_note_not_null; \
         UPDATE users SET note = NULL WHERE id = 1; \
         ALTER TABLE users ADD CONSTRAINT autogen_note_not_null CHECK (note IS NOT NULL) NOT VALID;",
    );
    let (code, out) = project.autogen(&db, &["contract"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no NULL left in note"), "{out}");
    // Filled, but the check not validated: the contract would scan under its lock.
    db.execute("UPDATE users SET note = 'x' WHERE id = 1");
    let (code, out) = project.autogen(&db, &["contract"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("autogen_note_not_null of public.users is not validated yet"),
        "{out}"
    );
    db.execute(
        "ALTER TABLE users VALIDATE CONSTRAINT autogen_note_not_null; \
         ALTER TABLE users ENABLE TRIGGER autogen_sync_users_note;",
    );
    assert_eq!(dump(&db), expanded);

    contract_then_down_twice(&db, &project, NOT_NULL, &expanded, &before, ROWS + inserted);
}

#[test]
fn a_table_rename_expands_and_contracts_under_two_writers() {
    let (db, project) = at(USERS, USERS);
    db.execute(&format!(
        "INSERT INTO users (name, qty) SELECT 'n' || g, g FROM generate_series(1, {ROWS}) g; \
         ANALYZE users;"
    ));
    let before = dump(&db);
    project.models(ACCOUNTS);
    project.ok(&db, &["-m", "accounts", "--expand-contract"]);
    let ups = project.ups();
    assert_eq!(ups.len(), 2);
    assert!(
        ups[1].contains("-- autogen: expand of public.users to public.accounts"),
        "{}",
        ups[1]
    );

    // The old version writes `users` (the table, then the view), the new one `accounts`
    // once it exists; both insert without an id (the identity must work through the view).
    let stop = Arc::new(AtomicBool::new(false));
    let url = db.url().to_owned();
    let old = spawn_writer(url.clone(), None, stop.clone(), |n| {
        let tag = format!("old{n}");
        let statements = vec![
            format!("INSERT INTO users (name, qty) VALUES ('{tag}', {n}) RETURNING id"),
            format!(
                "UPDATE users SET qty = {n} WHERE id = {}",
                1 + (n * 104_729) % ROWS
            ),
        ];
        (tag, statements)
    });
    let new = spawn_writer(url, Some(exists("public.accounts")), stop.clone(), |n| {
        let tag = format!("new{n}");
        let statements = vec![
            format!("INSERT INTO accounts (name) VALUES ('{tag}')"),
            format!(
                "UPDATE accounts SET name = 'a{n}' WHERE id = {}",
                1 + (n * 7919) % ROWS
            ),
        ];
        (tag, statements)
    });
    let ((code, out), took, written) =
        under_writers(&project, &db, &["upgrade"], &stop, vec![old, new]);
    assert_eq!(code, 0, "{out}");
    for (who, w) in ["old", "new"].iter().zip(&written) {
        w.assert_clean(who, took);
    }
    let inserted = written.iter().map(|w| w.inserted.len()).sum::<usize>() as i64;
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM accounts"),
        (ROWS + inserted).to_string()
    );
    for tag in written.iter().flat_map(|w| &w.inserted) {
        assert_eq!(
            scalar(
                &db,
                &format!("SELECT count(*) FROM accounts WHERE name = '{tag}'")
            ),
            "1",
            "{tag}"
        );
    }

    let status = project.ok(&db, &["status"]);
    assert!(
        status.contains("public.users to public.accounts"),
        "{status}"
    );
    project.ok(&db, &["check"]);
    let again = project.ok(&db, &["-m", "again"]);
    assert!(again.contains("No changes detected"), "{again}");
    let expanded = dump(&db);
    assert!(
        expanded
            .iter()
            .any(|l| l.starts_with("CREATE VIEW public.users")),
        "{expanded:#?}"
    );

    contract_then_down_twice(&db, &project, ACCOUNTS, &expanded, &before, ROWS + inserted);
}

#[test]
fn a_table_rename_is_expanded_alone() {
    let (db, project) = at(
        NULLABLE,
        &NOT_NULL.replace(
            "#[autogen(table = \"users\")]",
            "#[autogen(table = \"people\", renamed_from = \"users\")]",
        ),
    );
    let (code, out) = project.autogen(&db, &["-m", "both", "--expand-contract"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("a table rename in an expand of its own"),
        "{out}"
    );
}
