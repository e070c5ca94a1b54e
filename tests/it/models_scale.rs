//! A thousand models against their hand-written twin (`support/scale.rs`: 1,000 model structs
//! in ten files, with enums, literal and SQL defaults, comments, unique constraints, checks,
//! partial and expression indexes and foreign keys across tables and schemas, and the SQL that
//! creates the same schema with PostgreSQL's own names): the test loads the SQL into a fresh
//! database and runs `check` through the real binary: no phantom difference at scale, in
//! bounded time. `just bench` measures the same twin at several sizes.

use crate::support::scale;

use std::process::Command;
use std::time::Instant;

const TABLES: usize = 1000;

fn autogen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
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

#[test]
fn a_thousand_models_match_their_hand_written_twin() {
    let twin = scale::Twin::new(TABLES);
    let dir = tempfile::tempdir().expect("a temp dir");
    for (n, text) in twin.model_files().iter().enumerate() {
        std::fs::write(dir.path().join(format!("models_{n}.rs")), text).expect("written");
    }
    let models = dir.path().to_str().expect("a UTF-8 temp path");

    let db = autogen_testkit::postgres();
    let loading = Instant::now();
    for script in twin.sql_scripts() {
        db.try_execute(&script)
            .unwrap_or_else(|e| panic!("the twin does not load: {e}"));
    }
    let loaded = loading.elapsed();

    let checking = Instant::now();
    let (code, stdout, stderr) =
        autogen(&["--models", models, "check", "--database-url", db.url()]);
    let checked = checking.elapsed();
    eprintln!(
        "{TABLES} tables: the twin loads in {:.1} s, check takes {:.1} s",
        loaded.as_secs_f64(),
        checked.as_secs_f64()
    );
    assert!(stderr.is_empty(), "check wrote to stderr:\n{stderr}");
    assert_eq!(
        (code, stdout.as_str()),
        (0, "the database matches the models\n"),
        "check finds differences"
    );
}
