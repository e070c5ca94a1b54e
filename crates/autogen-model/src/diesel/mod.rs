//! Diesel's `schema.rs` (what `diesel print-schema` writes, or the same by hand), read with
//! `syn` without compiling: `table!` (keys, `#[sql_name]`, `#[max_length]`, `schema.table`),
//! the `sql_types` module's PostgreSQL types (enums whose labels schema.rs does not carry),
//! `joinable!` as foreign keys to the parent's primary key.
//!
//! A schema.rs states tables, columns, types (without precision), nullability, primary keys
//! and some foreign keys, nothing else: the output's [`Authority`] says so, and the differ
//! takes every other fact from the database. See `docs/models/diesel.md`.

mod build;
mod collect;
mod syntax;
mod types;

use std::collections::BTreeMap;

use autogen_schema::{Authority, Facts};

use crate::diagnostics::Sink;
use crate::{ModelOptions, ModelOutput, Renames, SourceFile};

/// Reads every `table!`, `joinable!` and `sql_types` type of `files` into one schema for
/// `options.dialect`. Never fails and never panics: what cannot be read is a diagnostic with
/// its file, line and column.
pub fn read_diesel(files: &[SourceFile], options: &ModelOptions) -> ModelOutput {
    let mut sink = Sink::new(files);
    let mut parsed = Vec::new();
    for (file, source) in files.iter().enumerate() {
        match syn::parse_file(&crate::collect::parse_text(&source.text)) {
            Ok(ast) => parsed.push((file, ast)),
            Err(e) => sink.syn_error(file, e),
        }
    }
    let found = collect::collect(&parsed, &mut sink);
    let schema = build::build(&found, options.dialect, &mut sink);
    ModelOutput {
        schema,
        renames: Renames::default(),
        backfills: Vec::new(),
        diagnostics: sink.finish(),
        expression_sites: BTreeMap::new(),
        unmanaged_columns: Vec::new(),
        authority: Authority::of(Facts::NONE),
    }
}
