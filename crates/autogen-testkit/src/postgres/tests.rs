use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::*;
use crate::names::{redacted, scrubbed};
use crate::server::Source;

fn scalar(rows: &Rows) -> Option<&str> {
    assert_eq!(rows.len(), 1, "expected one row, got {rows:?}");
    assert_eq!(rows[0].len(), 1, "expected one column, got {rows:?}");
    rows[0][0].as_deref()
}

fn database_exists(server: &Url, name: &str) -> bool {
    let sql = format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'");
    let rows = run(server, &sql, OWN_CONNECT_TIMEOUT).expect("the server answers");
    scalar(&rows) == Some("1")
}

#[test]
fn two_databases_are_distinct_and_isolated() {
    let a = postgres();
    let b = postgres();
    assert_ne!(a.name(), b.name());
    assert_ne!(a.url(), b.url());

    a.execute("CREATE TABLE only_in_a (id int); INSERT INTO only_in_a VALUES (1)");

    let in_a = a.query("SELECT to_regclass('only_in_a')::text");
    let in_b = b.query("SELECT to_regclass('only_in_a')::text");
    assert_eq!(scalar(&in_a), Some("only_in_a"));
    assert_eq!(
        scalar(&in_b),
        None,
        "a table made in {} showed up in {}",
        a.name(),
        b.name()
    );
    assert!(b.try_execute("SELECT * FROM only_in_a").is_err());
}

#[test]
fn each_database_is_the_one_its_url_names() {
    let db = postgres();
    let rows = db.query("SELECT current_database()");
    assert_eq!(scalar(&rows), Some(db.name()));
    let url = Url::parse(db.url()).expect("a url");
    assert_eq!(url.path(), format!("/{}", db.name()), "url {}", db.url());
}

#[test]
fn dropping_a_database_value_drops_the_database() {
    let db = postgres();
    let server = db.server_url.clone();
    let name = db.name().to_owned();
    assert!(database_exists(&server, &name), "{name} was never created");

    drop(db);

    assert!(
        !database_exists(&server, &name),
        "{name} outlived its PostgresDb"
    );
}

#[test]
fn dropping_a_database_value_succeeds_with_a_connection_still_open() {
    let db = postgres();
    let server = db.server_url.clone();
    let name = db.name().to_owned();
    let lingering = open_connection_until_dropped(db.url());

    drop(db);

    assert!(
        !database_exists(&server, &name),
        "an open connection kept {name} alive"
    );
    drop(lingering);
}

/// A connection a test leaked: held open on another thread until the returned sender is dropped.
fn open_connection_until_dropped(url: &str) -> std::sync::mpsc::Sender<()> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let conn = PgConnection::connect(&url).await.expect("connect");
            ready_tx.send(()).expect("test waits");
            let _ = hold_rx.recv();
            drop(conn);
        });
    });
    ready_rx.recv().expect("connection opened");
    hold_tx
}

#[test]
fn throwaway_server_runs_from_a_temp_dir() {
    let server = throwaway::shared().unwrap_or_else(|e| panic!("no throwaway server: {e}"));
    let temp = std::env::temp_dir();
    assert!(
        server.dir().starts_with(&temp),
        "{} is not under {}",
        server.dir().display(),
        temp.display()
    );
    assert!(server.data_dir().join("PG_VERSION").is_file());

    let db = PostgresDb::create_on(server.url(), OWN_CONNECT_TIMEOUT).expect("a database on it");
    db.execute("CREATE TABLE t (n int); INSERT INTO t VALUES (41), (1)");
    assert_eq!(scalar(&db.query("SELECT sum(n) FROM t")), Some("42"));

    // The server answering is the one we started, not the local service on another port.
    let data_dir = db.query("SELECT current_setting('data_directory')");
    assert_eq!(
        scalar(&data_dir).map(PathBuf::from),
        Some(server.data_dir())
    );
}

#[test]
fn an_unreachable_local_service_falls_back_to_the_throwaway_server() {
    let sources = [
        Source::Local("postgres://postgres@127.0.0.1:1/postgres".to_owned()),
        Source::Throwaway,
    ];
    let db = try_sources::<PostgresDb>(&sources).unwrap_or_else(|e| panic!("{e}"));
    let server = throwaway::shared().unwrap_or_else(|e| panic!("no throwaway server: {e}"));
    assert_eq!(&db.server_url, server.url());
    assert_eq!(
        scalar(&db.query("SELECT current_database()")),
        Some(db.name())
    );
}

#[test]
fn throwaway_server_is_shared_within_a_process() {
    let first = throwaway::shared().unwrap_or_else(|e| panic!("no throwaway server: {e}"));
    let second = throwaway::shared().unwrap_or_else(|e| panic!("no throwaway server: {e}"));
    assert!(std::ptr::eq(first, second));
}

#[test]
fn unreachable_configured_url_fails_without_fallback_or_password() {
    let configured = "postgres://u:secret@127.0.0.1:1/x".to_owned();
    let err = try_sources::<PostgresDb>(&[Source::Configured(configured)])
        .expect_err("port 1 has no server");

    let message = err.to_string();
    assert!(!message.contains("secret"), "password leaked: {message}");
    assert_eq!(err.attempts().len(), 1, "fell back: {message}");
    let attempt = &err.attempts()[0];
    assert_eq!(
        attempt.source,
        "AUTOGEN_TEST_POSTGRES_URL=postgres://u:***@127.0.0.1:1/x"
    );
    assert!(!attempt.reason.is_empty());
    assert!(
        message.starts_with("no PostgreSQL database for this test; tried:"),
        "{message}"
    );
    assert!(
        message.contains(&attempt.source) && message.contains(&attempt.reason),
        "{message}"
    );
}

#[test]
fn unparsable_configured_url_is_reported_without_echoing_it() {
    let err =
        try_sources::<PostgresDb>(&[Source::Configured("postgres://u:secret@[::1/x".to_owned())])
            .expect_err("not a URL");
    let message = err.to_string();
    assert!(!message.contains("secret"), "password leaked: {message}");
    assert!(
        message.contains("AUTOGEN_TEST_POSTGRES_URL (value not shown): not a valid URL"),
        "{message}"
    );
}

#[test]
fn every_failed_source_is_listed_in_order() {
    let sources = [
        Source::Local("postgres://postgres:hunter2@127.0.0.1:1/postgres".to_owned()),
        Source::Local("postgres://postgres@127.0.0.1:2/postgres".to_owned()),
    ];
    let err = try_sources::<PostgresDb>(&sources).expect_err("ports 1 and 2 have no server");

    let message = err.to_string();
    assert!(!message.contains("hunter2"), "password leaked: {message}");
    let sources: Vec<&str> = err.attempts().iter().map(|a| a.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "local service postgres://postgres:***@127.0.0.1:1/postgres",
            "local service postgres://postgres@127.0.0.1:2/postgres",
        ]
    );
    let first = message.find("127.0.0.1:1").expect("first listed");
    let second = message.find("127.0.0.1:2").expect("second listed");
    assert!(first < second, "{message}");
}

#[test]
fn scrubbing_hides_raw_and_percent_decoded_passwords() {
    let url = Url::parse("postgres://u:p%40ss@h/db").expect("url");
    let scrubbed = scrubbed("auth failed for p%40ss, i.e. p@ss", &url);
    assert_eq!(scrubbed, "auth failed for ***, i.e. ***");
}

#[test]
fn redaction_keeps_everything_but_the_password() {
    let url = Url::parse("postgres://u:secret@db.example:6543/app?sslmode=require").expect("url");
    assert_eq!(
        redacted(&url),
        "postgres://u:***@db.example:6543/app?sslmode=require"
    );
    let url = Url::parse("postgres://u@db.example/app").expect("url");
    assert_eq!(redacted(&url), "postgres://u@db.example/app");
}

/// Names the child test for the cleanup tests below, and how it should die.
const CHILD_ENV: &str = "AUTOGEN_TESTKIT_CHILD_DEATH";
const CHILD_TEST: &str = "postgres::tests::child_starts_a_throwaway_server";

/// Run by the cleanup tests in a process of its own; run alone, it just checks a server starts.
#[test]
#[ignore = "a helper the cleanup tests run in a child process"]
fn child_starts_a_throwaway_server() {
    let server = throwaway::shared().unwrap_or_else(|e| panic!("no throwaway server: {e}"));
    let db = PostgresDb::create_on(server.url(), OWN_CONNECT_TIMEOUT).expect("a database on it");
    assert_eq!(scalar(&db.query("SELECT 1")), Some("1"));
    let port = server.url().port().expect("the url has a port");
    println!("THROWAWAY {port} {}", server.dir().display());
    // Leak the database too: a dead process drops nothing, and the cleanup must not need it to.
    std::mem::forget(db);
    match std::env::var(CHILD_ENV).as_deref() {
        Ok("panic") => panic!("the child test dies by panic, as asked"),
        Ok("abort") => std::process::abort(),
        _ => {}
    }
}

/// Runs the child test in a fresh process that dies as `death` says; returns its server's port and dir.
fn run_child(death: &str) -> (u16, PathBuf) {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            CHILD_TEST,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, death)
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the child was to die by {death}:\n{stdout}\n{stderr}"
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("THROWAWAY ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("the child started no server:\n{stdout}\n{stderr}"));
    let (port, dir) = line.split_once(' ').expect("port and dir");
    eprintln!(
        "child process with a throwaway server took {:?}",
        started.elapsed()
    );
    (port.parse().expect("a port"), PathBuf::from(dir))
}

/// Waits for the watchdog, which acts asynchronously after the child is gone.
fn wait_until_gone(port: u16, dir: &std::path::Path) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let listening = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok();
        if !listening && !dir.exists() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "15s after its process died, the server (listening: {listening}) or {} is still there",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn throwaway_server_is_stopped_and_deleted_when_its_process_panics() {
    let (port, dir) = run_child("panic");
    wait_until_gone(port, &dir);
}

#[test]
fn throwaway_server_is_stopped_and_deleted_when_its_process_aborts() {
    let (port, dir) = run_child("abort");
    wait_until_gone(port, &dir);
}

#[test]
fn reset_leaves_an_empty_public_schema() {
    let db = postgres();
    db.execute("CREATE SCHEMA extra; CREATE TYPE extra.e AS ENUM ('a'); CREATE TABLE t (id int); CREATE TYPE mood AS ENUM ('ok');");
    db.reset();
    let rows = db.query(
        "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace \
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    );
    assert_eq!(scalar(&rows), Some("public"));
    let rows = db.query("SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");
    assert_eq!(scalar(&rows), Some("0"));
}

#[test]
fn the_password_server_rejects_a_wrong_password_and_accepts_the_right_one() {
    let db = crate::postgres_with_password();
    assert!(db.url().contains(crate::SERVER_PASSWORD));
    assert_eq!(scalar(&db.query("SELECT 'ok'")), Some("ok"));
    let wrong = Url::parse(&db.url().replace(crate::SERVER_PASSWORD, "wrong")).unwrap();
    let error = run(&wrong, "SELECT 1", OWN_CONNECT_TIMEOUT).unwrap_err();
    assert!(error.contains("password authentication failed"), "{error}");
}
