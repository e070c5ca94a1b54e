//! The README's first command works with no database server: the quick start's SQLite line is
//! read from README.md and run as written (its arguments, on the real binary) in an empty
//! directory holding the fixture it names; it prints the migration and writes no file.

use std::path::Path;
use std::process::Command;

const PREFIX: &str = "$ cargo run -q -p autogen-cli -- ";

/// The quick start's first command line: the first `cargo run` line of the README.
fn quick_start_line() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md is readable");
    readme
        .lines()
        .find(|l| l.starts_with(PREFIX))
        .expect("the README has a `cargo run` line")
        .to_owned()
}

/// Words as a shell splits them, for the quoting the README uses (double quotes, no escapes).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for ch in line.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

#[test]
fn the_readme_quick_start_runs_on_sqlite_with_nothing_installed() {
    let line = quick_start_line();
    assert!(
        line.contains("sqlite://todo.db?mode=rwc"),
        "the quick start's first command is the SQLite one: {line}"
    );
    let args = words(&line[PREFIX.len()..]);
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = dir.path().join("fixtures/todo");
    std::fs::create_dir_all(&fixtures).expect("fixture dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/todo/v1.rs"),
        fixtures.join("v1.rs"),
    )
    .expect("fixture copied");
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(&args)
        .output()
        .expect("the autogen binary runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("-- would write migrations/"), "{stdout}");
    assert!(stdout.contains("_initial_schema.up.sql"), "{stdout}");
    assert!(stdout.contains("CREATE TABLE \"users\" ("), "{stdout}");
    assert!(stdout.contains("CREATE TABLE \"tasks\" ("), "{stdout}");
    assert!(
        dir.path().join("todo.db").is_file(),
        "mode=rwc creates the file"
    );
    assert!(
        !dir.path().join("migrations").exists(),
        "--dry-run writes no migration"
    );
}
