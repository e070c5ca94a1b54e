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
mod foreign_keys;
mod imports;
mod index_element;
mod indexes;
mod keys;
mod naming;
mod output;
mod overlay;
mod report;
mod seaorm;
mod source;
mod sqltext;
mod sqlx;
mod tables;
mod types;
mod write;

use autogen_schema::Authority;

pub use autogen_schema::{Backfill, ColumnRename, EnumValueRename, Renames, TableRename};
pub use collect::{FileScan, scan_file};
pub use diagnostics::{Diagnostic, DiagnosticKind};
pub use diesel::read_diesel;
pub use output::{ExprKind, ExprSite, Location, ModelOptions, ModelOutput, SeaOrmKeys, SourceFile};
pub use overlay::overlay;
pub use seaorm::read_seaorm;
pub use source::{Source, read_source};
pub use write::seaorm::{seaorm_keys_of, write_seaorm};
pub use write::{ModelFile, WrittenModels, write_models};

/// Forgets the texts parsed on the calling thread so far. Each parse leaves proc-macro2 a
/// copy of its text and line table, never freed (that is how a span knows its line and
/// column): reading 5,000 models parses 12 MB of text, twice. Call it on a thread of your own
/// between reads, once no syntax tree or span of an earlier read is alive; [`census::Census`]
/// and [`ModelOutput`] hold none (their places are lines and columns already).
pub fn forget_parsed_texts() {
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// Reads every model and enum of `files` into one schema for `options.dialect`.
///
/// Forgets the texts parsed earlier on the calling thread ([`forget_parsed_texts`]): keep no
/// `proc_macro2` span of your own alive across the call.
///
/// Never fails and never panics: whatever cannot be read becomes a [`Diagnostic`], and the
/// schema holds what could be read. A caller must not use the schema when `diagnostics` is
/// not empty. Diagnostics come in file order (as given), then by position.
pub fn read_models(files: &[SourceFile], options: &ModelOptions) -> ModelOutput {
    read_models_scanned(files, files.iter().map(scan_file).collect(), options)
}

/// [`read_models`] from the files' scans ([`scan_file`], one per file in order, made for the
/// [`census::Census`] of the same files): each file is parsed once for the census and the
/// reader's first pass together, then once more for its models.
pub fn read_models_scanned(
    files: &[SourceFile],
    scans: Vec<FileScan>,
    options: &ModelOptions,
) -> ModelOutput {
    let mut sink = diagnostics::Sink::new(files);
    let mut kept = collect::prescan(files, scans, &mut sink);
    for (loc, message) in &kept.misplaced {
        sink.error(*loc, DiagnosticKind::UnsupportedItem, message.clone());
    }
    let enums = enums::read_enums(&kept.enum_items(), options.dialect, &mut sink);
    kept.enums.clear();
    if kept.structs.is_empty() {
        // Nothing of the first pass holds a span any more: its copy of every text goes
        // before the second pass makes another.
        forget_parsed_texts();
    }
    let mut tables = Vec::new();
    collect::each_file_models(&kept, |items| {
        tables.extend(tables::read_tables(
            items,
            &enums,
            options.dialect,
            &mut sink,
        ));
    });
    let built = build::build(tables, &enums, options.dialect, &mut sink);
    ModelOutput {
        schema: built.schema,
        renames: built.renames,
        backfills: built.backfills,
        expression_sites: built.sites,
        diagnostics: sink.finish(),
        authority: Authority::models(),
        unmanaged_columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
