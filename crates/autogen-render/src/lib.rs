//! Plan + dialect -> SQL statements, and the reports a person reads before applying them.
//!
//! Pure: no database, files or terminal. [`render`] turns a [`Plan`](autogen_diff::Plan) into
//! statements (the down migration is `render(&plan.inverse(), dialect)`); [`summary`],
//! [`markdown`], [`json`] and [`schema_diff`] are the reports the CLI prints.

mod comment;
mod describe;
mod error;
mod json;
mod markdown;
mod migration;
mod mysql;
mod postgres;
mod report;
mod schema_diff;
mod sqlite;
mod statement;
mod summary;

pub use error::RenderError;
pub use json::json;
pub use markdown::markdown;
pub use migration::{MigrationText, empty_migration_text, migration_text};
pub use postgres::needs_using_cast;
pub use schema_diff::schema_diff;
pub use statement::{Boundary, Statement, render, script, transactions};
pub use summary::summary;

#[cfg(test)]
pub(crate) mod tests;
