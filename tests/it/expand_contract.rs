//! Zero-downtime column changes on a real PostgreSQL (`-m --expand-contract`, `autogen
//! contract`, docs/zero-downtime.md): a rename and a type change made in two phases while two
//! writers run, one as the old application (old column name and type), one as the new (new
//! name; the new type through the expand's view schema). No write fails or waits as long as
//! the lock timeout, no row is lost, every row ends in step; `check` accepts the expanded state;
//! the contract leaves the schema the models describe (`pg_dump -s` against a database built
//! from the models), and each down file brings its phase back.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::expand::{LOCK_TIMEOUT, Project, Written, dump, scalar};

const V1: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    pub name: String,
    pub qty: Option<i32>,
}
"#;

const V2: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "users")]
pub struct User {
    #[autogen(primary_key)]
    pub id: i64,
    #[autogen(renamed_from = "name")]
    pub full_name: String,
    pub qty: Option<i64>,
}
"#;

const ROWS: i64 = 200_000;

/// Writes until `stop`: an insert and an update per round, each its own connection (psql), as
/// the old application (`name`, an `integer` qty) or the new one (`full_name`, a `bigint` qty
/// through the view schema). The new one starts once the expand has committed its columns.
fn writer(url: String, new: bool, view_schema: String, stop: Arc<AtomicBool>) -> Written {
    let mut written = Written {
        inserted: Vec::new(),
        errors: Vec::new(),
        slowest: Duration::ZERO,
    };
    let psql = |sql: &str| -> Result<(), String> {
        let output = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-c", sql])
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    };
    if new {
        let ready = format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = '{view_schema}') \
             THEN RAISE EXCEPTION 'not yet'; END IF; END $$"
        );
        while psql(&ready).is_err() {
            if stop.load(Ordering::Relaxed) {
                return written;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let mut n = 0_i64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (tag, statements) = if new {
            let tag = format!("new{n}");
            (
                tag.clone(),
                [
                    format!(
                        "SET search_path = {view_schema}, public; \
                         INSERT INTO users (full_name, qty) VALUES ('{tag}', {n})"
                    ),
                    format!(
                        "SET search_path = {view_schema}, public; \
                         UPDATE users SET full_name = 'n-upd{n}', qty = {n} WHERE id = {}",
                        1 + (n * 7919) % ROWS
                    ),
                ],
            )
        } else {
            let tag = format!("old{n}");
            (
                tag.clone(),
                [
                    format!("INSERT INTO users (name, qty) VALUES ('{tag}', {n})"),
                    format!(
                        "UPDATE users SET name = 'o-upd{n}', qty = {n} WHERE id = {}",
                        1 + (n * 104_729) % ROWS
                    ),
                ],
            )
        };
        for (k, sql) in statements.iter().enumerate() {
            let started = Instant::now();
            let result = psql(sql);
            written.slowest = written.slowest.max(started.elapsed());
            match result {
                Ok(()) if k == 0 => written.inserted.push(tag.clone()),
                Ok(()) => {}
                Err(e) => written.errors.push(format!("{sql}: {e}")),
            }
        }
    }
    written
}

#[test]
fn plain_m_keeps_writing_one_migration_for_a_rename_and_a_type_change() {
    let db = autogen_testkit::postgres();
    let project = Project::new();
    project.models(V1);
    project.ok(&db, &["-m", "users"]);
    project.ok(&db, &["upgrade"]);
    project.models(V2);
    project.ok(&db, &["-m", "rename"]);
    let ups = project.ups();
    assert_eq!(ups.len(), 2, "{ups:#?}");
    assert!(
        ups[1].contains("RENAME COLUMN \"name\" TO \"full_name\""),
        "{}",
        ups[1]
    );
    assert!(!ups[1].contains("autogen-expansion"), "{}", ups[1]);
}

#[test]
fn expand_and_contract_under_two_writers() {
    let db = autogen_testkit::postgres();
    let project = Project::new();
    project.models(V1);
    project.ok(&db, &["-m", "users"]);
    project.ok(&db, &["upgrade"]);
    db.execute(&format!(
        "INSERT INTO users (name, qty) SELECT 'n' || g, g FROM generate_series(1, {ROWS}) g; \
         ANALYZE users;"
    ));
    let before = dump(&db);

    // Phase 1: one pair, marked as an expand whose contract is pending.
    project.models(V2);
    let out = project.ok(&db, &["-m", "rename", "--expand-contract"]);
    let ups = project.ups();
    assert_eq!(ups.len(), 2, "{out}");
    let expand = &ups[1];
    assert!(expand.starts_with("-- no-transaction\n"), "{expand}");
    assert!(
        expand.contains("-- autogen: expand of public.users.name to full_name (contract pending)"),
        "{expand}"
    );
    let version = std::fs::read_dir(project.dir.path().join("migrations"))
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rename_expand"))
        .map(|n| n.split('_').next().expect("version").to_owned())
        .next()
        .expect("the expand file");
    let view_schema = format!("autogen_v{version}");

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = [false, true]
        .into_iter()
        .map(|new| {
            let (url, schema, stop) = (db.url().to_owned(), view_schema.clone(), stop.clone());
            std::thread::spawn(move || writer(url, new, schema, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (code, out) = project.autogen(&db, &["upgrade"]);
    let took = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let written: Vec<Written> = writers
        .into_iter()
        .map(|w| w.join().expect("writer"))
        .collect();
    assert_eq!(code, 0, "{out}");
    for (who, w) in ["old", "new"].iter().zip(&written) {
        assert!(w.errors.is_empty(), "{who} writer: {:#?}", w.errors);
        assert!(!w.inserted.is_empty(), "the {who} writer wrote nothing");
        assert!(
            w.slowest < LOCK_TIMEOUT,
            "the {who} writer waited {:?} (lock_timeout {LOCK_TIMEOUT:?}); the expand took {took:?}",
            w.slowest
        );
    }
    eprintln!(
        "expand of {ROWS} rows took {took:?}; slowest writes {:?} (old), {:?} (new); {} + {} inserts",
        written[0].slowest,
        written[1].slowest,
        written[0].inserted.len(),
        written[1].inserted.len()
    );
    // No row lost, every row in step.
    let inserted = written.iter().map(|w| w.inserted.len()).sum::<usize>() as i64;
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM users"),
        (ROWS + inserted).to_string()
    );
    for w in &written {
        for tag in &w.inserted {
            assert_eq!(
                scalar(
                    &db,
                    &format!(
                        "SELECT count(*) FROM users WHERE name = '{tag}' AND full_name = '{tag}'"
                    )
                ),
                "1",
                "{tag}"
            );
        }
    }
    let out_of_step = "SELECT count(*) FROM users WHERE full_name IS DISTINCT FROM name \
                       OR qty_autogen_new IS DISTINCT FROM qty";
    assert_eq!(scalar(&db, out_of_step), "0");

    // The expanded state: status says the contract is pending, check accepts it, -m finds
    // nothing to do.
    let status = project.ok(&db, &["status"]);
    assert!(status.contains("contract pending"), "{status}");
    project.ok(&db, &["check"]);
    let again = project.ok(&db, &["-m", "again"]);
    assert!(again.contains("No changes detected"), "{again}");
    let expanded = dump(&db);

    // A row out of step (a write that bypassed the trigger) refuses the contract.
    db.execute(
        "ALTER TABLE users DISABLE TRIGGER autogen_sync_users_name; \
         UPDATE users SET name = 'bypass' WHERE id = 1; \
         ALTER TABLE users ENABLE TRIGGER autogen_sync_users_name;",
    );
    let (code, out) = project.autogen(&db, &["contract"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("out of step"), "{out}");
    db.execute("UPDATE users SET full_name = name WHERE id = 1");

    // Phase 2.
    project.ok(&db, &["contract"]);
    let (code, status) = project.autogen(&db, &["status"]);
    assert_eq!(code, 1, "the contract is pending: {status}");
    assert!(!status.contains("contract pending"), "{status}");
    project.ok(&db, &["upgrade"]);
    project.ok(&db, &["check"]);
    let contracted = dump(&db);
    assert_eq!(
        contracted,
        crate::support::expand::reference_dump(V2),
        "the contracted schema is the models'"
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM users"),
        (ROWS + inserted).to_string()
    );

    // Each down brings its phase back, data kept in step.
    project.ok(&db, &["downgrade", "-1"]);
    assert_eq!(
        dump(&db),
        expanded,
        "the contract's down gives the expanded state back"
    );
    assert_eq!(scalar(&db, out_of_step), "0");
    project.ok(&db, &["downgrade", "-1"]);
    assert_eq!(
        dump(&db),
        before,
        "the expand's down gives the schema before it back"
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM users WHERE name = 'old1'"),
        "1"
    );
}
