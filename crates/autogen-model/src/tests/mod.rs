//! Data-driven tests: each case is one or more model files as text, and one helper, [`check`],
//! that reads them and prints the result for a snapshot: the canonical DDL of the schema with
//! the renames and backfills, or every diagnostic rendered as the CLI prints it.

mod diagnostics;
mod diesel;
mod enums;
mod expressions;
mod fields;
mod naming;
mod options;
mod robustness;
mod seaorm;
mod sqlx;
mod tables;
mod types;

use autogen_schema::{Dialect, canonical_ddl_text};

use crate::{ModelOptions, SourceFile, read_models};

/// Reads `source` and renders the outcome. `source` is one model file, or several, each
/// started by a line `//- file: name.rs`; a first line `//- dialect: mysql` (or `sqlite`)
/// picks the dialect, PostgreSQL otherwise; a line `//- seaorm: identity` (or `serial`) reads
/// the files as SeaORM entities. Panics unless the same input reads the same twice.
pub(crate) fn check(source: &str) -> String {
    let (files, dialect, seaorm) = fixture(source);
    let mut options = ModelOptions::new(dialect);
    let read = |options: &ModelOptions| match seaorm {
        Some(keys) => crate::read_seaorm(
            &files,
            &ModelOptions {
                seaorm_keys: keys,
                ..options.clone()
            },
        ),
        None => read_models(&files, options),
    };
    options.seaorm_keys = seaorm.unwrap_or_default();
    let output = read(&options);
    assert_eq!(output, read(&options), "reading is not deterministic");
    render(&files, &output)
}

/// [`check`] for a Diesel `schema.rs` ([`crate::read_diesel`]).
pub(crate) fn check_diesel(source: &str) -> String {
    let (files, dialect, _) = fixture(source);
    let options = ModelOptions::new(dialect);
    let output = crate::read_diesel(&files, &options);
    assert_eq!(
        output,
        crate::read_diesel(&files, &options),
        "reading is not deterministic"
    );
    render(&files, &output)
}

fn render(files: &[SourceFile], output: &crate::ModelOutput) -> String {
    if !output.diagnostics.is_empty() {
        return output
            .diagnostics
            .iter()
            .map(|d| {
                let text = files
                    .iter()
                    .find(|f| f.path == d.file)
                    .map_or("", |f| f.text.as_str());
                d.report(text)
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut out = canonical_ddl_text(&output.schema);
    let renames = &output.renames;
    for r in &renames.tables {
        out.push_str(&format!("-- rename table {} -> {}\n", r.from, r.to));
    }
    for r in &renames.columns {
        out.push_str(&format!(
            "-- rename column {}: {} -> {}\n",
            r.table, r.from, r.to
        ));
    }
    for r in &renames.enum_values {
        out.push_str(&format!(
            "-- rename value {}: {} -> {}\n",
            r.name, r.from, r.to
        ));
    }
    let mut backfills = output.backfills.clone();
    backfills.sort();
    for b in &backfills {
        out.push_str(&format!(
            "-- backfill {}.{}: {}\n",
            b.table, b.column, b.sql
        ));
    }
    out
}

pub(crate) fn fixture(source: &str) -> (Vec<SourceFile>, Dialect, Option<crate::SeaOrmKeys>) {
    let mut dialect = Dialect::Postgres;
    let mut seaorm = None;
    let mut files: Vec<SourceFile> = Vec::new();
    let mut current = SourceFile::new("models.rs", "");
    let mut started = false;
    for line in source.trim_start_matches('\n').lines() {
        if let Some(name) = line.strip_prefix("//- dialect: ") {
            dialect = match name.trim() {
                "mysql" => Dialect::MySql,
                "sqlite" => Dialect::Sqlite,
                _ => Dialect::Postgres,
            };
            continue;
        }
        if let Some(keys) = line.strip_prefix("//- seaorm: ") {
            seaorm = Some(match keys.trim() {
                "serial" => crate::SeaOrmKeys::Serial,
                _ => crate::SeaOrmKeys::Identity,
            });
            continue;
        }
        if let Some(name) = line.strip_prefix("//- file: ") {
            if started {
                files.push(current);
            }
            current = SourceFile::new(name.trim(), "");
            started = true;
            continue;
        }
        started = true;
        current.text.push_str(line);
        current.text.push('\n');
    }
    if started {
        files.push(current);
    }
    (files, dialect, seaorm)
}
