//! Broken models through the real binary: each case of `fixtures/models/broken` (a file, or a
//! directory of files read together) makes `autogen --models <case> check` print every
//! diagnostic (file:line:col, the message, the source line with a caret) and exit 2, before
//! the database is even looked at. The output is snapshotted; paths are relative to the
//! workspace root, where the binary runs, so nothing in it depends on the run.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every case: `.rs` files and directories, by name.
fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(workspace().join("fixtures/models/broken"))
        .expect("fixtures/models/broken")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_broken_model_is_reported_with_its_place_and_exit_2() {
    let db = autogen_testkit::postgres();
    let cases = cases();
    assert!(
        cases.len() >= 10,
        "expected the broken-model fixtures, found {cases:?}"
    );
    for case in &cases {
        let path = format!("fixtures/models/broken/{case}");
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .args(["--models", &path, "check", "--database-url", db.url()])
            .current_dir(workspace())
            .env_remove("DATABASE_URL")
            .output()
            .expect("the autogen binary runs");
        let stdout = String::from_utf8(output.stdout).expect("utf-8 stdout");
        let stderr = String::from_utf8(output.stderr).expect("utf-8 stderr");
        assert!(stdout.is_empty(), "{case}: stdout: {stdout}");
        assert!(
            !stderr.contains(db.name()),
            "{case}: the database appears in the output"
        );
        let name = case.trim_end_matches(".rs");
        let code = output.status.code().unwrap_or(-1);
        insta::assert_snapshot!(name, format!("exit code: {code}\n{stderr}"));
    }
}
