//! Models on an empty database, through the real binary: each fixture `fixtures/models/<name>`
//! holds model files and `schema.sql`, the same schema written by hand with PostgreSQL's own
//! names. For each: `diff --format up` on an empty database, applied, leaves a database that
//! `check` finds equal to the models, that `diff` finds nothing to do in, and whose inspection
//! equals the inspection of the hand-written twin (which `check` also finds equal).
//!
//! Together the fixtures use every key of docs/models.md and every Rust type of its type table;
//! `the_fixtures_cover_every_key_and_type` keeps it so.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_schema::Schema;
use autogen_testkit::PostgresDb;

/// Every fixture directory with a `schema.sql` twin; each has a test below.
const FIXTURES: &[&str] = &["blog", "enums", "keys", "naming", "options", "types"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the binary in the workspace root (model paths stay relative) without the caller's
/// `DATABASE_URL`.
fn autogen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .current_dir(workspace())
        .env_remove("DATABASE_URL")
        .output()
        .expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
    (
        output.status.code().unwrap_or(-1),
        text(output.stdout),
        text(output.stderr),
    )
}

/// A command on the models of `fixture` against `db` that must succeed with nothing on stderr.
fn models(fixture: &str, db: &PostgresDb, command: &[&str]) -> (i32, String) {
    let dir = format!("fixtures/models/{fixture}");
    let mut args = vec!["--models", dir.as_str()];
    args.extend(command);
    args.extend(["--database-url", db.url()]);
    let (code, stdout, stderr) = autogen(&args);
    assert!(
        stderr.is_empty(),
        "{fixture}: `{}` wrote to stderr (exit {code}):\n{stderr}",
        command.join(" ")
    );
    (code, stdout)
}

/// The schemas of a database other than PostgreSQL's own.
fn user_schemas(db: &PostgresDb) -> Vec<String> {
    db.query(
        "SELECT nspname::text FROM pg_namespace \
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
    )
    .into_iter()
    .filter_map(|row| row.into_iter().next().flatten())
    .collect()
}

/// `inspect --format json` of every schema in `schemas`, parsed.
fn inspect(db: &PostgresDb, schemas: &[String]) -> Schema {
    let mut args = vec!["inspect", "--format", "json", "--database-url", db.url()];
    for schema in schemas {
        args.extend(["--schema", schema.as_str()]);
    }
    let (code, stdout, stderr) = autogen(&args);
    assert_eq!(code, 0, "inspect failed: {stderr}");
    serde_json::from_str(&stdout).expect("inspect prints the schema as JSON")
}

/// Runs every step and reports every failure of a fixture at once; only an up script that does
/// not run stops it early.
fn on_empty(fixture: &str) {
    let mut problems: Vec<String> = Vec::new();
    let twin_sql =
        std::fs::read_to_string(workspace().join(format!("fixtures/models/{fixture}/schema.sql")))
            .expect("the fixture's schema.sql");
    let twin = autogen_testkit::postgres();
    twin.try_execute(&twin_sql)
        .unwrap_or_else(|e| panic!("{fixture}: schema.sql does not load: {e}"));

    // From nothing: the up script creates it all.
    let db = autogen_testkit::postgres();
    let (code, up) = models(fixture, &db, &["diff", "--format", "up"]);
    assert_eq!(code, 0, "{fixture}: diff --format up");
    insta::assert_snapshot!(format!("{fixture}_up"), up);
    db.try_execute(&up)
        .unwrap_or_else(|e| panic!("{fixture}: the up script fails: {e}\n{up}"));

    let matches = (0, "the database matches the models\n".to_owned());
    let checked = models(fixture, &db, &["check"]);
    if checked != matches {
        problems.push(format!(
            "check after the up script exits {}:\n{}",
            checked.0, checked.1
        ));
    }
    let summary = models(fixture, &db, &["diff", "--format", "summary"]);
    if summary != (0, "No changes\n".to_owned()) {
        problems.push(format!("a second diff finds:\n{}", summary.1));
    }
    // The hand-made schema is what the models say, too.
    let checked = models(fixture, &twin, &["check"]);
    if checked != matches {
        problems.push(format!(
            "check against schema.sql exits {}:\n{}",
            checked.0, checked.1
        ));
    }

    let schemas = user_schemas(&twin);
    if user_schemas(&db) != schemas {
        problems.push(format!(
            "the up script makes the schemas {:?}, schema.sql {schemas:?}",
            user_schemas(&db)
        ));
    }
    let (got, want) = (inspect(&db, &schemas), inspect(&twin, &schemas));
    if got != want {
        let difference = crate::support::pg::schema_difference(&got, &want)
            .unwrap_or_else(|| "  only the column order differs".to_owned());
        problems.push(format!(
            "inspect differs from schema.sql's (got: the models'):\n{difference}"
        ));
    }
    assert!(problems.is_empty(), "{fixture}:\n{}", problems.join("\n"));
}

#[test]
fn blog() {
    on_empty("blog");
}

#[test]
fn enums() {
    on_empty("enums");
}

#[test]
fn keys() {
    on_empty("keys");
}

#[test]
fn naming() {
    on_empty("naming");
}

#[test]
fn options() {
    on_empty("options");
}

#[test]
fn types() {
    on_empty("types");
}

/// Every directory of `fixtures/models` with a `schema.sql` is in [`FIXTURES`] (and so has a
/// test), and every name there has its directory.
#[test]
fn every_fixture_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(workspace().join("fixtures/models"))
        .expect("fixtures/models")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.join("schema.sql").is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES);
}

/// The keys of docs/models.md: struct, field, enum and variant keys, and the inner keys of
/// `index(..)`, `unique(..)`, `check(..)` and the per-dialect `sql_type(..)`/`default_sql(..)`.
const KEYS: &[&str] = &[
    "table",
    "schema",
    "renamed_from",
    "comment",
    "index",
    "unique",
    "check",
    "primary_key",
    "columns",
    "expr",
    "name",
    "method",
    "where",
    "identity",
    "column",
    "sql_type",
    "max_length",
    "precision",
    "scale",
    "references",
    "on_delete",
    "on_update",
    "default",
    "default_sql",
    "skip",
    "backfill",
    "backfill_sql",
    "rename_all",
    "value",
    "postgres",
    "mysql",
    "sqlite",
    "no_inherit",
    "not_valid",
    "deferrable",
    "initially_deferred",
    "match_full",
    "nulls_not_distinct",
    "include",
    "collation",
    "generated",
    "stored",
];

/// The Rust type names of the type table of docs/models.md.
const TYPES: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "isize",
    "i128",
    "u128",
    "u8",
    "u16",
    "u32",
    "u64",
    "usize",
    "f32",
    "f64",
    "bool",
    "String",
    "str",
    "char",
    "Vec",
    "Option",
    "Box",
    "Arc",
    "Rc",
    "Cow",
    "NaiveDate",
    "Date",
    "NaiveTime",
    "Time",
    "NaiveDateTime",
    "PrimitiveDateTime",
    "DateTime",
    "Utc",
    "FixedOffset",
    "Local",
    "OffsetDateTime",
    "UtcDateTime",
    "Duration",
    "TimeDelta",
    "PgInterval",
    "Uuid",
    "Value",
    "JsonValue",
    "Json",
    "Decimal",
    "BigDecimal",
];

/// The identifiers of a Rust text outside string literals and comments.
fn identifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut current = String::new();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out.extend((!current.is_empty()).then_some(current));
    out
}

#[test]
fn the_fixtures_cover_every_key_and_type() {
    let mut words = std::collections::BTreeSet::new();
    let mut keys = std::collections::BTreeSet::new();
    for fixture in FIXTURES {
        let dir = workspace().join(format!("fixtures/models/{fixture}"));
        for entry in std::fs::read_dir(&dir).expect("a fixture directory") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a model file");
            words.extend(identifiers(&text));
            // Keys are the identifiers inside `#[autogen(..)]`; an attribute fits on one line.
            for line in text.lines() {
                if let Some(start) = line.find("#[autogen(") {
                    keys.extend(identifiers(&line[start + "#[autogen(".len()..]));
                }
            }
        }
    }
    let missing_keys: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|k| !keys.contains(*k))
        .collect();
    let missing_types: Vec<&str> = TYPES
        .iter()
        .copied()
        .filter(|t| !words.contains(*t))
        .collect();
    assert!(
        missing_keys.is_empty() && missing_types.is_empty(),
        "no fixture uses the keys {missing_keys:?} or the types {missing_types:?}"
    );
}
