//! Plan + dialect -> steps -> SQL statements, and the reports a person reads before applying
//! them.
//!
//! Pure: no database, files or terminal. [`lower`] turns a [`Plan`](autogen_diff::Plan) into
//! [`Steps`]: per dialect, the SQL of each step, its inverse, its hazards (judged there, once)
//! and how it shares a transaction. Everything else reads the steps: [`render`] (the up
//! statements), [`migration_text`], and the reports [`summary`], [`markdown`], [`json`];
//! [`schema_diff`] compares schemas, not plans.

mod comment;
mod describe;
mod erdiagram;
mod error;
pub mod expand;
mod json;
mod lower;
mod markdown;
mod migration;
mod mysql;
mod postgres;
mod report;
mod schema_diff;
mod sqlite;
mod statement;
mod step;
mod summary;

pub use erdiagram::er_diagram;
pub use error::RenderError;
pub use json::{json, json_of};
pub use lower::{LowerOptions, lower, lower_with};
pub use markdown::{markdown, markdown_of, markdown_with_diagram};
pub use migration::{
    MigrationText, empty_migration_text, file_steps, migration_files, migration_text,
    migration_text_of,
};
pub use postgres::needs_using_cast;
pub use schema_diff::schema_diff;
pub use statement::{Boundary, Statement, render, script, transactions};
pub use step::{Step, Steps, Transaction, is_reversible, statements_of};
pub use summary::{summary, summary_of_steps};

#[cfg(test)]
pub(crate) mod tests;
