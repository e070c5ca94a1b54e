//! Reads Rust model files into a [`Schema`], without compiling them.
//!
//! The entry point, [`read_models`], is pure: it receives file names and texts (the CLI reads
//! the directories) and returns the desired schema, the rename hints that `renamed_from` keys
//! give, the backfills for columns that become NOT NULL, and every diagnostic of the run with
//! its file, line and column. The attribute language is the native `#[autogen(..)]` dialect of
//! DESIGN.md §5; `docs/models.md` lists every key and the type table per dialect.

mod attrs;
mod build;
mod case;
pub mod census;
mod collect;
mod columns;
mod defaults;
mod diagnostics;
mod diesel;
mod enums;
mod expr;
mod imports;
mod indexes;
mod keys;
mod naming;
mod output;
mod overlay;
mod render;
mod seaorm;
mod source;
mod sqltext;
mod sqlx;
mod tables;
mod types;

use autogen_schema::Authority;

pub use diagnostics::{Diagnostic, DiagnosticKind};
pub use diesel::read_diesel;
pub use output::{
    Backfill, ColumnRename, EnumValueRename, ExprKind, ExprSite, Location, ModelOptions,
    ModelOutput, Renames, SeaOrmKeys, SourceFile, TableRename,
};
pub use overlay::overlay;
pub use render::render_diagnostic;
pub use seaorm::read_seaorm;
pub use source::{Source, read_source};

/// Reads every model and enum of `files` into one schema for `options.dialect`.
///
/// Never fails and never panics: whatever cannot be read becomes a [`Diagnostic`], and the
/// schema holds what could be read. A caller must not use the schema when `diagnostics` is
/// not empty. Diagnostics come in file order (as given), then by position.
pub fn read_models(files: &[SourceFile], options: &ModelOptions) -> ModelOutput {
    let mut sink = diagnostics::Sink::new(files);
    let parsed = collect::parse_files(files, &mut sink);
    let items = collect::collect(files, &parsed);
    for (loc, message) in &items.misplaced {
        sink.error(*loc, DiagnosticKind::UnsupportedItem, message.clone());
    }
    let enums = enums::read_enums(&items, options.dialect, &mut sink);
    let tables = tables::read_tables(&items, &enums, options.dialect, &mut sink);
    let built = build::build(&tables, &enums, options.dialect, &mut sink);
    ModelOutput {
        schema: built.schema,
        renames: built.renames,
        backfills: built.backfills,
        expression_sites: built.sites,
        diagnostics: sink.finish(),
        authority: Authority::full(),
        unmanaged_columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
