//! Every model fixture of the repository reads without a diagnostic on the dialects it is used
//! with (all on PostgreSQL; the todo versions also on MariaDB and SQLite): the single-expression
//! check must never turn a valid model into an error.

use std::fs;
use std::path::{Path, PathBuf};

use autogen_model::{DiagnosticKind, ModelOptions, SourceFile, read_models};
use autogen_schema::Dialect;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The model sets: each folder under fixtures/models but `broken`, and each todo version.
fn model_sets() -> Vec<(String, Vec<SourceFile>)> {
    let root = workspace().join("fixtures");
    let mut sets = Vec::new();
    let mut folders: Vec<PathBuf> = fs::read_dir(root.join("models"))
        .expect("fixtures/models")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && !p.ends_with("broken"))
        .collect();
    folders.sort();
    for folder in folders {
        let mut files = Vec::new();
        rust_files(&folder, &mut files);
        let files: Vec<SourceFile> = files
            .iter()
            .map(|p| {
                SourceFile::new(
                    p.display().to_string(),
                    fs::read_to_string(p).expect("read"),
                )
            })
            .collect();
        sets.push((folder.display().to_string(), files));
    }
    let mut todo = Vec::new();
    rust_files(&root.join("todo"), &mut todo);
    for path in todo {
        let file = SourceFile::new(
            path.display().to_string(),
            fs::read_to_string(&path).expect("read"),
        );
        sets.push((path.display().to_string(), vec![file]));
    }
    sets
}

#[test]
fn every_fixture_still_reads_clean() {
    let sets = model_sets();
    assert!(sets.len() >= 10, "found only {} model sets", sets.len());
    for (name, files) in &sets {
        // fixtures/models/* are PostgreSQL models (`interval '1 day'` is not MySQL).
        let dialects: &[Dialect] = if name.contains("todo") {
            &[Dialect::Postgres, Dialect::MySql, Dialect::Sqlite]
        } else {
            &[Dialect::Postgres]
        };
        for &dialect in dialects {
            let output = read_models(files, &ModelOptions::new(dialect));
            let refused: Vec<String> = output
                .diagnostics
                .iter()
                .filter(|d| {
                    matches!(
                        d.kind,
                        DiagnosticKind::MalformedExpression | DiagnosticKind::MalformedSqlType
                    )
                })
                .map(ToString::to_string)
                .collect();
            assert!(refused.is_empty(), "{name} on {dialect:?}: {refused:#?}");
            if dialect == Dialect::Postgres {
                assert!(
                    output.diagnostics.is_empty(),
                    "{name}: {:#?}",
                    output.diagnostics
                );
            }
        }
    }
}
