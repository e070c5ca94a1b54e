//! `autogen inspect --format seaorm`: SeaORM entities written from a live database are the
//! database, as the SeaORM reader reads them. The property, on the external corpus: load a
//! case's `after.sql`, write its entities with `inspect --format seaorm --out DIR`, and
//! `check --models DIR --source seaorm` against the same database exits 0 (with
//! `seaorm_keys = "serial"` in autogen.toml when inspect says the keys are SeaORM 1.x's
//! `serial`). PostgreSQL's core subset and the sqldef SQLite and MySQL cases that load; a case
//! SeaORM entities cannot say is listed in `tests/known_failures/` with why.

use std::collections::BTreeMap;
use std::path::Path;

use crate::inspect_rust::{autogen, list_failures, source_cases, written_as};
use crate::support::corpus;
use crate::support::mysql::LiveMy;
use crate::support::pg::Live;

/// The note inspect prints when the entities are written for SeaORM 1.x's `serial` keys.
const SERIAL_NOTE: &str = "seaorm_keys = \"serial\"";

/// A case's outcome: the folder its entities were written into (`models/` in it) when they
/// check clean, else why not.
pub(crate) type Outcome = Result<tempfile::TempDir, String>;

/// Writes the entities of the database at `url` into a fresh folder and checks them against
/// it. `None` when the database has no table: there is nothing to write entities for.
fn inspect_then_check(url: &str, schemas: &[String]) -> Option<Outcome> {
    let outcome = inspect_and_check(url, schemas);
    match &outcome {
        Err(e) if e.contains("no models to write") => None,
        Ok(_) | Err(_) => Some(outcome),
    }
}

fn inspect_and_check(url: &str, schemas: &[String]) -> Outcome {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (code, _, err) = autogen(
        dir.path(),
        url,
        schemas,
        &["inspect", "--format", "seaorm", "--out", "models"],
    );
    if code != 0 {
        return Err(format!("inspect --format seaorm exits {code}: {err}"));
    }
    if err.contains(SERIAL_NOTE) {
        std::fs::write(
            dir.path().join("autogen.toml"),
            "seaorm_keys = \"serial\"\n",
        )
        .map_err(|e| e.to_string())?;
    }
    let (code, out, check_err) = autogen(
        dir.path(),
        url,
        schemas,
        &["check", "--models", "models", "--source", "seaorm"],
    );
    if code == 0 {
        return Ok(dir);
    }
    let unsaid: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("warning: not in the models: "))
        .collect();
    // What the entities cannot say first: it is the reason a reader of the list needs.
    Err(if unsaid.is_empty() {
        format!("check exits {code}: {}{}", out.trim(), check_err.trim())
    } else {
        format!(
            "the entities cannot say: {} [check exits {code}: {}{}]",
            unsaid.join("; "),
            out.trim(),
            check_err.trim()
        )
    })
}

/// The property on PostgreSQL's core subset: each case's outcome, by case name.
pub(crate) fn core_postgres_outcomes(dir: &Path) -> BTreeMap<String, Outcome> {
    crate::support::pg::ensure_roles(&corpus::case_file(dir, "", "roles.sql"));
    let mut live = Live::new();
    let mut outcomes = BTreeMap::new();
    for case in corpus::cases(dir, "SUBSET_core_pg.tsv") {
        live.reset();
        let after = corpus::case_file(dir, &case, "after.sql");
        let outcome = live
            .execute(&after)
            .map_err(|e| format!("after.sql does not load: {e}"))
            .and_then(|()| live.user_schemas());
        let outcome = match outcome {
            Ok(schemas) => inspect_then_check(live.db().url(), &schemas),
            Err(e) => Some(Err(e)),
        };
        outcomes.extend(outcome.map(|o| (case, o)));
    }
    outcomes
}

/// The property on the sqldef SQLite cases SQLite takes.
pub(crate) fn sqlite_outcomes(dir: &Path) -> BTreeMap<String, Outcome> {
    let db = autogen_testkit::sqlite();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(dir, "sqldef-sqlite") {
        db.reset();
        let after = corpus::case_file(dir, &case, "after.sql");
        if db.try_execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(db.url(), &[]).map(|o| (case, o)));
    }
    outcomes
}

/// The property on the sqldef MySQL cases MariaDB takes.
pub(crate) fn mysql_outcomes(dir: &Path) -> BTreeMap<String, Outcome> {
    let mut live = LiveMy::new();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(dir, "sqldef-mysql") {
        live.reset();
        let after = corpus::case_file(dir, &case, "after.sql");
        if live.execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(live.url(), &[]).map(|o| (case, o)));
    }
    outcomes
}

/// Judges one dialect's outcomes against its list of known failures. The test that does it is
/// `inspect_seaorm_compiles`, which then compiles the entities of the cases that pass: the
/// corpus is inspected once for both.
pub(crate) fn judge(what: &str, outcomes: &BTreeMap<String, Outcome>, list: &str, floor: f64) {
    let outcomes: BTreeMap<String, Result<(), String>> = outcomes
        .iter()
        .map(|(case, outcome)| {
            (
                case.clone(),
                outcome.as_ref().map(drop).map_err(Clone::clone),
            )
        })
        .collect();
    list_failures(&outcomes);
    corpus::judge(what, &outcomes, &corpus::known_failures(list), floor);
}

/// The property on the corpus, per dialect: what the entities check clean on, the floor under
/// the pass rate, and the list of known failures (each with what the entities cannot say).
pub(crate) fn judge_corpus(
    pg: &BTreeMap<String, Outcome>,
    sqlite: &BTreeMap<String, Outcome>,
    mysql: &BTreeMap<String, Outcome>,
) {
    judge(
        "inspect --format seaorm, then check (postgres)",
        pg,
        "inspect_seaorm_pg.tsv",
        // Low because most corpus cases have a table without a primary key, which a SeaORM
        // entity cannot be (each failure is listed with what the entities cannot say).
        0.25,
    );
    judge(
        "inspect --format seaorm, then check (sqlite)",
        sqlite,
        "inspect_seaorm_sqlite.tsv",
        0.33,
    );
    judge(
        "inspect --format seaorm, then check (mysql)",
        mysql,
        "inspect_seaorm_mysql.tsv",
        0.24,
    );
}

/// A PostgreSQL schema with every kind the entities say (the compile test loads it too).
pub(crate) const PG_EVERY_KIND: &str = r#"
        CREATE SCHEMA app;
        CREATE TYPE mood AS ENUM ('happy', 'so-so', 'sad');
        CREATE TYPE rating AS ENUM ('0', '1.5', '2');
        CREATE TABLE users (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            email varchar(320) NOT NULL UNIQUE,
            name varchar,
            display_name text,
            "type" text DEFAULT 'member',
            "userId" integer,
            m mood DEFAULT 'happy',
            moods mood[],
            stars rating,
            score numeric(10,2) DEFAULT 0,
            balance numeric DEFAULT -1.5,
            active boolean NOT NULL DEFAULT true,
            n smallint CHECK (n > 0),
            created_at timestamptz NOT NULL DEFAULT now(),
            born date,
            wake time,
            seen timestamp,
            data jsonb,
            doc json,
            raw bytea,
            addr inet,
            token uuid,
            code char(4),
            ratio real,
            weight double precision,
            tags text[],
            counts integer[]
        );
        CREATE INDEX "idx-users-born" ON users (born);
        CREATE TABLE posts (
            id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id bigint NOT NULL,
            editor_id bigint,
            parent_id integer,
            title text NOT NULL,
            CONSTRAINT "fk-posts-user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT posts_editor FOREIGN KEY (editor_id) REFERENCES users (id) ON DELETE SET NULL,
            CONSTRAINT "fk-posts-parent_id" FOREIGN KEY (parent_id) REFERENCES posts (id)
        );
        CREATE TABLE app.orders (
            tenant integer,
            id integer,
            note text,
            CONSTRAINT "pk-orders" PRIMARY KEY (tenant, id)
        );
        CREATE TABLE app.lines (
            id uuid PRIMARY KEY,
            tenant integer NOT NULL,
            order_id integer NOT NULL,
            CONSTRAINT lines_order FOREIGN KEY (tenant, order_id) REFERENCES app.orders (tenant, id) ON UPDATE CASCADE
        );
        "#;

/// A MariaDB schema with every kind the entities say (the compile test loads it too).
pub(crate) const MYSQL_EVERY_KIND: &str = r#"
        CREATE TABLE users (
            id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
            email varchar(320) NOT NULL,
            bio text,
            mood enum('happy', 'so-so', 'sad') NOT NULL DEFAULT 'happy',
            grade enum('1', '2.5', '3'),
            score decimal(10,2) DEFAULT 0,
            active tinyint(1) NOT NULL DEFAULT 1,
            age int unsigned,
            created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
            UNIQUE KEY email (email),
            CONSTRAINT age CHECK (age < 200)
        ) COMMENT 'People who log in';
        CREATE TABLE posts (
            id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
            user_id int NOT NULL COMMENT 'The author',
            title varchar(200) NOT NULL,
            CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            KEY `idx-posts-title` (title)
        );
        CREATE TABLE tags (
            name varchar(50) NOT NULL,
            post_id bigint NOT NULL,
            PRIMARY KEY (name, post_id),
            CONSTRAINT `fk-tags-post_id` FOREIGN KEY (post_id) REFERENCES posts (id)
        );
        "#;

/// A SQLite schema with every kind the entities say (the compile test loads it too).
pub(crate) const SQLITE_EVERY_KIND: &str = r#"
        CREATE TABLE users (
            id integer PRIMARY KEY,
            email text NOT NULL UNIQUE,
            name varchar(20),
            active boolean NOT NULL DEFAULT 1,
            score real,
            created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE TABLE posts (
            id integer PRIMARY KEY,
            user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            title text NOT NULL CHECK (length(title) > 0),
            body blob
        );
        CREATE INDEX "idx-posts-title" ON posts (title);
        CREATE TABLE tags (name text NOT NULL, post_id integer NOT NULL REFERENCES posts (id), CONSTRAINT "pk-tags" PRIMARY KEY (name, post_id));
        "#;

fn written_entities(url: &str, schemas: &[String]) -> String {
    written_as("seaorm", &["--source", "seaorm"], url, schemas)
}

#[test]
fn entities_of_a_postgres_schema_with_every_kind() {
    let mut live = Live::new();
    live.execute(PG_EVERY_KIND).expect("the schema loads");
    let schemas = vec!["app".to_owned(), "public".to_owned()];
    insta::assert_snapshot!(written_entities(live.db().url(), &schemas));
}

#[test]
fn entities_of_a_mysql_schema_with_every_kind() {
    let mut live = LiveMy::new();
    live.reset();
    live.execute(MYSQL_EVERY_KIND).expect("the schema loads");
    insta::assert_snapshot!(written_entities(live.url(), &[]));
}

#[test]
fn entities_of_a_sqlite_schema_with_every_kind() {
    let db = autogen_testkit::sqlite();
    db.try_execute(SQLITE_EVERY_KIND).expect("the schema loads");
    insta::assert_snapshot!(written_entities(db.url(), &[]));
}

/// A PostgreSQL database of SeaORM 1.x's `serial` keys: inspect says the entities are written
/// for `seaorm_keys = "serial"`, and with it they check clean; the other line's numbering is
/// listed, never written as if it were the same.
#[test]
fn serial_keys_are_written_for_seaorm_1() {
    let mut live = Live::new();
    live.execute(
        "CREATE TABLE cakes (id serial PRIMARY KEY, name text NOT NULL);
         CREATE TABLE fruits (id bigserial PRIMARY KEY, cake_id integer REFERENCES cakes (id));",
    )
    .expect("the schema loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = live.db().url().to_owned();
    let (code, _, err) = autogen(
        dir.path(),
        &url,
        &[],
        &["inspect", "--format", "seaorm", "--out", "models"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(SERIAL_NOTE),
        "inspect names the SeaORM line: {err}"
    );
    assert!(
        !err.contains("not in the models"),
        "serial keys are said: {err}"
    );
    let check = ["check", "--models", "models", "--source", "seaorm"];
    // Read as SeaORM 2.x's identity keys, the entities are not this database.
    let (code, _, _) = autogen(dir.path(), &url, &[], &check);
    assert_eq!(code, 1, "identity keys read where serial ones are");
    std::fs::write(
        dir.path().join("autogen.toml"),
        "seaorm_keys = \"serial\"\n",
    )
    .expect("toml");
    let (code, out, err) = autogen(dir.path(), &url, &[], &check);
    assert_eq!(code, 0, "{out}{err}");
}
