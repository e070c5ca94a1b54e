//! `autogen inspect --format rust`: models written from a live database are the database.
//! The property, on the external corpus: load a case's `after.sql` into a fresh database,
//! write its models with `inspect --format rust --out DIR`, and `check --models DIR` against
//! the same database exits 0. PostgreSQL's core subset, and the sqldef SQLite and MySQL cases
//! that load (a case whose database has no table is not counted: models are never empty); a
//! case the model keys cannot say is listed in `tests/known_failures/` with why.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::corpus;
use crate::support::mysql::LiveMy;
use crate::support::pg::Live;

/// `autogen ARGS` against `url` in `cwd`: exit code, stdout and stderr.
pub(crate) fn autogen(
    cwd: &Path,
    url: &str,
    schemas: &[String],
    args: &[&str],
) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command.current_dir(cwd).args(["--database-url", url]);
    for schema in schemas {
        command.args(["--schema", schema]);
    }
    let out = command.args(args).output().expect("autogen runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Models written into a folder that checks clean, and whether the writer said everything.
pub(crate) struct Written {
    pub dir: tempfile::TempDir,
    pub all_said: bool,
}

/// Writes the models of the database at `url` into a fresh folder and checks them against it.
/// `None` when the database has no table: there is nothing to write models for.
fn inspect_then_check(url: &str, schemas: &[String]) -> Option<Result<Written, String>> {
    let outcome = inspect_and_check(url, schemas);
    match &outcome {
        Err(e) if e.contains("no models to write") => None,
        Ok(_) | Err(_) => Some(outcome),
    }
}

fn inspect_and_check(url: &str, schemas: &[String]) -> Result<Written, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (code, _, err) = autogen(
        dir.path(),
        url,
        schemas,
        &["inspect", "--format", "rust", "--out", "models"],
    );
    if code != 0 {
        return Err(format!("inspect --format rust exits {code}: {err}"));
    }
    let (code, out, check_err) =
        autogen(dir.path(), url, schemas, &["check", "--models", "models"]);
    let unsaid: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("warning: not in the models: "))
        .collect();
    if code == 0 {
        return Ok(Written {
            dir,
            all_said: unsaid.is_empty(),
        });
    }
    Err(format!(
        "check exits {code}: {}{}{}",
        out.trim(),
        check_err.trim(),
        if unsaid.is_empty() {
            String::new()
        } else {
            format!(" [unsaid: {}]", unsaid.join("; "))
        }
    ))
}

/// With `AUTOGEN_CORPUS_LIST` set, prints each failure on one line (for the known-failures file).
pub(crate) fn list_failures(outcomes: &BTreeMap<String, Result<(), String>>) {
    if std::env::var_os("AUTOGEN_CORPUS_LIST").is_none() {
        return;
    }
    for (case, outcome) in outcomes {
        if let Err(reason) = outcome {
            let reason = reason.replace(['\n', '\t'], " ");
            let reason: String = reason.chars().take(400).collect();
            println!("{case}\t{reason}");
        }
    }
}

#[test]
fn models_written_from_the_core_postgres_subset_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    crate::support::pg::ensure_roles(&corpus::case_file(&dir, "", "roles.sql"));
    let mut live = Live::new();
    let mut empty = Live::new();
    let mut outcomes = BTreeMap::new();
    let mut rebuilt = BTreeMap::new();
    for case in corpus::cases(&dir, "SUBSET_core_pg.tsv") {
        live.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        let outcome = live
            .execute(&after)
            .map_err(|e| format!("after.sql does not load: {e}"))
            .and_then(|()| live.user_schemas());
        let outcome = match outcome {
            Ok(schemas) => inspect_then_check(live.db().url(), &schemas),
            Err(e) => Some(Err(e)),
        };
        // The same models, built from nothing, judged by pg_dump (`inspect_rust_dump`).
        if let Some(Ok(written)) = &outcome
            && written.all_said
            && let Some(o) = crate::inspect_rust_dump::rebuilt(
                &written.dir.path().join("models"),
                &mut live,
                &mut empty,
            )
        {
            rebuilt.insert(case.clone(), o);
        }
        outcomes.extend(outcome.map(|o| (case, o.map(drop))));
    }
    list_failures(&outcomes);
    list_failures(&rebuilt);
    corpus::judge(
        "inspect --format rust, then check (postgres)",
        &outcomes,
        &corpus::known_failures("inspect_rust_pg.tsv"),
        // Every case: the model keys say all the core subset holds.
        0.95,
    );
    corpus::judge(
        "inspect --format rust, then the models built from nothing (postgres, pg_dump -s)",
        &rebuilt,
        &corpus::known_failures("inspect_rust_pg_dump.tsv"),
        // Measured 375/375.
        0.95,
    );
}

/// The case folders of one corpus source, in name order.
pub(crate) fn source_cases(dir: &Path, source: &str) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(dir.join(source))
        .unwrap_or_else(|e| panic!("cannot read {source}: {e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("{source}/{}", e.file_name().to_string_lossy()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn models_written_from_the_sqldef_sqlite_cases_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let db = autogen_testkit::sqlite();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(&dir, "sqldef-sqlite") {
        db.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        // A case whose file SQLite does not take is not a case for this property.
        if db.try_execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(db.url(), &[]).map(|o| (case, o.map(drop))));
    }
    list_failures(&outcomes);
    corpus::judge(
        "inspect --format rust, then check (sqlite)",
        &outcomes,
        &corpus::known_failures("inspect_rust_sqlite.tsv"),
        // Every case: `sql_type` keeps SQLite's declared types verbatim.
        0.95,
    );
}

#[test]
fn models_written_from_the_sqldef_mysql_cases_check_clean() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let mut live = LiveMy::new();
    let mut outcomes = BTreeMap::new();
    for case in source_cases(&dir, "sqldef-mysql") {
        live.reset();
        let after = corpus::case_file(&dir, &case, "after.sql");
        // A case MariaDB does not take (another flavour, a newer server) is not counted.
        if live.execute(&after).is_err() {
            continue;
        }
        outcomes.extend(inspect_then_check(live.url(), &[]).map(|o| (case, o.map(drop))));
    }
    list_failures(&outcomes);
    corpus::judge(
        "inspect --format rust, then check (mysql)",
        &outcomes,
        &corpus::known_failures("inspect_rust_mysql.tsv"),
        0.95,
    );
}

/// The files of a models folder, each under its path, in path order: one text to snapshot.
pub(crate) fn folder_text(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("models folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                files.push((name, std::fs::read_to_string(&path).expect("a model file")));
            }
        }
    }
    files.sort();
    files
        .iter()
        .map(|(name, text)| format!("==> {name} <==\n{text}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes the models of the database at `url`, checks them against it, writes them again
/// (byte-identical), refuses to overwrite them without `--force` (naming the file) and
/// overwrites them with it; returns the files for the snapshot.
fn written_models(url: &str, schemas: &[String]) -> String {
    written_as("rust", &[], url, schemas)
}

/// [`written_models`] for `inspect --format FORMAT`, checked with `check --models DIR CHECK_ARGS`.
pub(crate) fn written_as(
    format: &str,
    check_args: &[&str],
    url: &str,
    schemas: &[String],
) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |out: &str, force: bool| {
        let mut args = vec!["inspect", "--format", format, "--out", out];
        if force {
            args.push("--force");
        }
        autogen(dir.path(), url, schemas, &args)
    };
    let (code, _, err) = write("models", false);
    assert_eq!(code, 0, "{err}");
    let mut check = vec!["check", "--models", "models"];
    check.extend_from_slice(check_args);
    let (code, out, err) = autogen(dir.path(), url, schemas, &check);
    assert_eq!(
        code, 0,
        "the written models drift from the database:\n{out}{err}"
    );
    let text = folder_text(&dir.path().join("models"));
    let (code, _, err) = write("again", false);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        text,
        folder_text(&dir.path().join("again")),
        "not deterministic"
    );
    let (code, _, err) = write("models", false);
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains(".rs exists") && err.contains("--force"),
        "the refusal names a file and --force: {err}"
    );
    let (code, _, err) = write("models", true);
    assert_eq!(code, 0, "{err}");
    text
}

#[test]
fn models_of_a_postgres_schema_with_every_kind() {
    let live = Live::new();
    let mut live = live;
    live.execute(
        r#"
        CREATE SCHEMA app;
        CREATE TYPE mood AS ENUM ('happy', 'so-so', 'sad');
        CREATE TYPE app.status AS ENUM ('Active', 'Inactive');
        COMMENT ON TYPE mood IS 'How it went';
        CREATE TABLE users (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            email varchar(320) NOT NULL UNIQUE,
            display_name text,
            "type" text DEFAULT 'member',
            "userId" integer,
            m mood DEFAULT 'happy',
            moods mood[],
            score numeric(10,2) DEFAULT 0,
            balance numeric DEFAULT -1.5,
            active boolean NOT NULL DEFAULT true,
            n integer DEFAULT -1,
            created_at timestamptz NOT NULL DEFAULT now(),
            born date,
            wake time(3),
            data jsonb,
            raw bytea,
            addr inet,
            token uuid,
            code char(4)
        );
        COMMENT ON TABLE users IS 'People who log in';
        COMMENT ON COLUMN users.email IS 'Where mail goes';
        CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
        CREATE TABLE posts (
            id serial PRIMARY KEY,
            user_id bigint REFERENCES users (id) ON DELETE CASCADE,
            title text NOT NULL CHECK (length(title) > 0),
            deleted_at timestamp,
            CONSTRAINT sane CHECK (id > 0)
        );
        CREATE INDEX ON posts (user_id);
        CREATE INDEX posts_recent ON posts (deleted_at DESC) WHERE deleted_at IS NULL;
        CREATE INDEX ON posts (title, deleted_at);
        CREATE TABLE app.orders (
            tenant integer,
            id integer GENERATED ALWAYS AS IDENTITY,
            status app.status NOT NULL DEFAULT 'Active',
            CONSTRAINT orders_pk PRIMARY KEY (tenant, id)
        );
        CREATE INDEX ON app.orders USING hash (status);
        CREATE TABLE app.lines (
            tenant integer NOT NULL,
            order_id integer NOT NULL,
            qty integer NOT NULL,
            CONSTRAINT lines_order FOREIGN KEY (tenant, order_id) REFERENCES app.orders (tenant, id) ON DELETE CASCADE
        );
        CREATE TABLE accounts (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            code text COLLATE "C" NOT NULL,
            region text,
            slot integer NOT NULL,
            twice integer GENERATED ALWAYS AS (slot * 2) STORED,
            extra jsonb,
            owner_id bigint,
            UNIQUE NULLS NOT DISTINCT (code, region),
            CONSTRAINT accounts_slot UNIQUE (slot) DEFERRABLE INITIALLY DEFERRED,
            CHECK (slot > 0) NO INHERIT
        );
        ALTER TABLE accounts ADD CONSTRAINT accounts_code_short CHECK (length(code) < 40) NOT VALID;
        ALTER TABLE accounts ADD FOREIGN KEY (owner_id) REFERENCES users (id) MATCH FULL DEFERRABLE NOT VALID;
        CREATE UNIQUE INDEX ON accounts (region);
        CREATE INDEX accounts_code_prefix ON accounts (code text_pattern_ops);
        CREATE INDEX accounts_covering ON accounts (owner_id) INCLUDE (slot, region);
        CREATE INDEX ON accounts (region COLLATE "C" DESC NULLS LAST, lower(code), slot);
        CREATE INDEX accounts_extra_ab ON accounts (jsonb_extract_path_text(extra, 'a', 'b'));
        "#,
    )
    .expect("the schema loads");
    let schemas = vec!["app".to_owned(), "public".to_owned()];
    insta::assert_snapshot!(written_models(live.db().url(), &schemas));
}

#[test]
fn models_of_a_mysql_schema_with_every_kind() {
    let mut live = LiveMy::new();
    live.reset();
    live.execute(
        r#"
        CREATE TABLE users (
            id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
            email varchar(320) NOT NULL UNIQUE,
            bio text,
            mood enum('happy', 'so-so', 'sad') NOT NULL DEFAULT 'happy',
            score decimal(10,2) DEFAULT 0,
            active tinyint(1) NOT NULL DEFAULT 1,
            created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP
        ) COMMENT 'People who log in';
        CREATE TABLE posts (
            id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
            user_id int unsigned NOT NULL,
            title varchar(200) NOT NULL,
            CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT title_set CHECK (title <> ''),
            KEY posts_title (title, user_id)
        );
        CREATE TABLE tools (
            id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
            name varchar(200) COLLATE utf8mb4_bin NOT NULL,
            credential varchar(100) NOT NULL,
            flags set('a', 'b') DEFAULT NULL,
            name_length int GENERATED ALWAYS AS (char_length(name)) VIRTUAL,
            upper_name varchar(200) GENERATED ALWAYS AS (upper(name)) STORED,
            KEY tools_name_prefix (name(10), credential),
            UNIQUE KEY credential (credential) USING HASH
        );
        "#,
    )
    .expect("the schema loads");
    insta::assert_snapshot!(written_models(live.url(), &[]));
}

#[test]
fn models_of_a_sqlite_schema_with_every_kind() {
    let db = autogen_testkit::sqlite();
    db.try_execute(
        r#"
        CREATE TABLE users (
            id integer PRIMARY KEY,
            email text NOT NULL UNIQUE,
            active boolean NOT NULL DEFAULT 1,
            created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE TABLE posts (
            id integer PRIMARY KEY,
            user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            title text NOT NULL CHECK (length(title) > 0),
            body text
        );
        CREATE INDEX posts_title ON posts (title DESC) WHERE body IS NOT NULL;
        CREATE TABLE tags (name text NOT NULL, post_id integer NOT NULL, PRIMARY KEY (name, post_id));
        CREATE TABLE kv (k text PRIMARY KEY, v ANY, n INT, g integer GENERATED ALWAYS AS (n + 1) STORED) STRICT, WITHOUT ROWID;
        CREATE TABLE logs (id bigint PRIMARY KEY, at DATETIME DEFAULT CURRENT_TIMESTAMP, name VARCHAR(20), raw, post_id integer REFERENCES Posts (id));
        "#,
    )
    .expect("the schema loads");
    insta::assert_snapshot!(written_models(db.url(), &[]));
}
