//! Property tests (issue 12, item 7), bounded so CI stays fast: 64 model pairs per dialect on
//! the simulator (milliseconds each), 4 per run on real PostgreSQL and 4 on SQLite through
//! the binary (a few seconds each), 64 token soups for the model reader. A failure is
//! shrunk by proptest to a minimal pair and printed.
//!
//! - Random pairs of model files (tables present or not; columns added, dropped, retyped,
//!   widened, made nullable, given defaults, unique, indexed, foreign keys), read for each
//!   dialect, diffed: the plan applied on the simulator reaches the target (a second diff is
//!   empty) and its inverse restores the start.
//! - The same pairs through `autogen -m`, `upgrade`, `check`, `downgrade` on a real database:
//!   up reaches the models (`check` exit 0), down restores the first models.
//! - Arbitrary token soup given to the model reader never panics, and every diagnostic has a
//!   span (a line and column inside the file).

use std::process::Command;

use autogen_diff::{DiffOptions, apply_all, diff};
use autogen_model::{ModelOptions, SourceFile, read_models};
use autogen_schema::{Dialect, Schema};
use proptest::prelude::*;

/// One optional column of a table, and its variations.
#[derive(Debug, Clone)]
enum Column {
    Email {
        max_length: Option<u16>,
        unique: bool,
    },
    Rank {
        big: bool,
        default: bool,
    },
    Note {
        nullable: bool,
    },
    Done {
        default: bool,
        index: bool,
    },
    Owner {
        index: bool,
    },
}

#[derive(Debug, Clone)]
struct Table {
    name: &'static str,
    columns: Vec<Column>,
}

const TABLES: [&str; 3] = ["users", "posts", "tags"];

fn column() -> impl Strategy<Value = Column> {
    prop_oneof![
        (
            prop::option::of(prop_oneof![Just(50u16), Just(100), Just(200)]),
            any::<bool>()
        )
            .prop_map(|(max_length, unique)| Column::Email { max_length, unique }),
        (any::<bool>(), any::<bool>()).prop_map(|(big, default)| Column::Rank { big, default }),
        any::<bool>().prop_map(|nullable| Column::Note { nullable }),
        (any::<bool>(), any::<bool>()).prop_map(|(default, index)| Column::Done { default, index }),
        any::<bool>().prop_map(|index| Column::Owner { index }),
    ]
}

fn models() -> impl Strategy<Value = Vec<Table>> {
    prop::collection::vec(
        (any::<bool>(), prop::collection::vec(column(), 0..4)),
        TABLES.len(),
    )
    .prop_map(|tables| {
        let none = tables.iter().all(|(present, _)| !present);
        tables
            .into_iter()
            .zip(TABLES)
            // At least one table: an empty models path is an error, not "drop everything".
            .filter(|((present, _), name)| *present || (none && *name == "users"))
            .map(|((_, columns), name)| {
                // One column of each kind at most (names are per kind).
                let mut seen = Vec::new();
                let columns = columns
                    .into_iter()
                    .filter(|c| {
                        let kind = std::mem::discriminant(c);
                        let new = !seen.contains(&kind);
                        seen.push(kind);
                        new
                    })
                    .collect();
                Table { name, columns }
            })
            .collect()
    })
}

/// The tables as native autogen models. A foreign key only where `users` exists.
fn text(tables: &[Table]) -> String {
    let users = tables.iter().any(|t| t.name == "users");
    let mut out = String::new();
    for table in tables {
        out.push_str(&format!(
            "#[derive(autogen::Model)]\n#[autogen(table = \"{}\")]\npub struct T{} {{\n    #[autogen(primary_key)]\n    pub id: i64,\n",
            table.name, table.name
        ));
        for column in &table.columns {
            let (attrs, field) = match column {
                Column::Email { max_length, unique } => {
                    let mut attrs = Vec::new();
                    if let Some(n) = max_length {
                        attrs.push(format!("max_length = {n}"));
                    }
                    if *unique {
                        attrs.push("unique".to_owned());
                    }
                    (attrs, "email: String".to_owned())
                }
                Column::Rank { big, default } => (
                    if *default {
                        vec!["default = 0".to_owned()]
                    } else {
                        Vec::new()
                    },
                    format!("rank: {}", if *big { "i64" } else { "i32" }),
                ),
                Column::Note { nullable } => (
                    Vec::new(),
                    format!(
                        "note: {}",
                        if *nullable {
                            "Option<String>"
                        } else {
                            "String"
                        }
                    ),
                ),
                Column::Done { default, index } => {
                    let mut attrs = Vec::new();
                    if *default {
                        attrs.push("default = false".to_owned());
                    }
                    if *index {
                        attrs.push("index".to_owned());
                    }
                    (attrs, "done: bool".to_owned())
                }
                Column::Owner { index } => {
                    if !users || table.name == "users" {
                        continue;
                    }
                    let mut attrs = vec!["references = \"users.id\"".to_owned()];
                    if *index {
                        attrs.push("index".to_owned());
                    }
                    (attrs, "owner_id: Option<i64>".to_owned())
                }
            };
            if !attrs.is_empty() {
                out.push_str(&format!("    #[autogen({})]\n", attrs.join(", ")));
            }
            out.push_str(&format!("    pub {field},\n"));
        }
        out.push_str("}\n\n");
    }
    out
}

fn read(tables: &[Table], dialect: Dialect) -> Schema {
    let output = read_models(
        &[SourceFile::new("models.rs", text(tables))],
        &ModelOptions::new(dialect),
    );
    assert!(
        output.diagnostics.is_empty(),
        "{:?}\n{}",
        output.diagnostics,
        text(tables)
    );
    output.schema
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Up reaches the target, a second diff is empty, down restores the start: every dialect.
    #[test]
    fn plans_reach_their_target_and_their_inverse_the_start(a in models(), b in models()) {
        for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            let (from, to) = (read(&a, dialect), read(&b, dialect));
            let options = DiffOptions::default();
            let plan = diff(&from, &to, &options);
            let mut up = from.clone();
            apply_all(&mut up, &plan.changes).map_err(|e| TestCaseError::fail(format!("{dialect:?} up: {}", e.reason)))?;
            let again = diff(&up, &to, &options);
            prop_assert!(again.is_empty(), "{dialect:?}: a second diff: {:?}", again.changes);
            let inverse = plan.inverse().map_err(|e| TestCaseError::fail(format!("{dialect:?} inverse: {}", e.reason)))?;
            let mut down = up.clone();
            apply_all(&mut down, &inverse.changes).map_err(|e| TestCaseError::fail(format!("{dialect:?} down: {}", e.reason)))?;
            let back = diff(&down, &from, &options);
            prop_assert!(back.is_empty(), "{dialect:?}: down does not restore the start: {:?}", back.changes);
        }
    }

    /// Whatever tokens a model file holds, the reader answers with diagnostics, each with a span.
    #[test]
    fn the_model_reader_never_panics_and_every_error_has_a_span(
        tokens in prop::collection::vec(prop::sample::select(SOUP.to_vec()), 0..60)
    ) {
        let text = tokens.join(" ");
        let output = read_models(&[SourceFile::new("soup.rs", text.clone())], &ModelOptions::new(Dialect::Postgres));
        let lines = text.lines().count().max(1);
        for d in &output.diagnostics {
            prop_assert!(d.line >= 1 && d.line <= lines && d.column >= 1, "{d:?} in {text:?}");
        }
    }
}

const SOUP: &[&str] = &[
    "#[derive(autogen::Model)]",
    "#[autogen(table = \"t\")]",
    "#[autogen(",
    ")]",
    "pub",
    "struct",
    "enum",
    "T",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    "=",
    "id",
    "i64",
    "String",
    "Option<String>",
    "primary_key",
    "unique",
    "index",
    "default = 0",
    "default_sql = \"now()\"",
    "references = \"t.id\"",
    "max_length = 5",
    "check = \"x > 0\"",
    "\"; DROP TABLE t; --\"",
    "renamed_from = \"old\"",
    "#[derive(autogen::Enum)]",
    "\n",
    "// c",
    "/* c */",
    "r#\"x\"#",
    "'a'",
    "0x10",
    "1e9",
    "é",
    "#",
    "!",
    "::",
    "use",
    "mod",
    "fn",
    "impl",
];

/// `autogen ARGS` in `dir` on `url`.
fn autogen(dir: &std::path::Path, url: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["--database-url", url, "--models", "models.rs"])
        .args(args)
        .output()
        .expect("autogen runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Models A, then B, through the binary on a real database: up reaches B, down restores A.
fn round_trip(url: &str, a: &[Table], b: &[Table]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models.rs");
    for (i, tables) in [a, b].iter().enumerate() {
        std::fs::write(&models, text(tables)).unwrap();
        let (code, out) = autogen(
            dir.path(),
            url,
            &["-m", &format!("step {i}"), "--allow-data-loss"],
        );
        prop_assert_eq!(code, 0, "-m step {}: {}", i, out);
        let (code, out) = autogen(dir.path(), url, &["upgrade"]);
        prop_assert_eq!(code, 0, "upgrade step {}: {}", i, out);
        let (code, out) = autogen(dir.path(), url, &["check"]);
        prop_assert_eq!(code, 0, "check after step {}: {}", i, out);
    }
    // Down restores A, unless B made no migration.
    let files = std::fs::read_dir(dir.path().join("migrations"))
        .unwrap()
        .count();
    if files == 4 {
        let (code, out) = autogen(dir.path(), url, &["downgrade", "-1"]);
        prop_assert_eq!(code, 0, "downgrade: {}", out);
        std::fs::write(&models, text(a)).unwrap();
        let (code, out) = autogen(dir.path(), url, &["check"]);
        prop_assert_eq!(code, 0, "check after downgrade: {}", out);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, max_shrink_iters: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn on_postgres_up_reaches_the_models_and_down_restores_them(a in models(), b in models()) {
        let db = autogen_testkit::postgres();
        round_trip(db.url(), &a, &b)?;
    }

    #[test]
    fn on_sqlite_up_reaches_the_models_and_down_restores_them(a in models(), b in models()) {
        let db = autogen_testkit::sqlite();
        round_trip(db.url(), &a, &b)?;
    }
}
