//! Reads a live database into a [`autogen_schema::Schema`].

mod error;
mod postgres;

pub use error::IntrospectError;
pub use postgres::{PostgresOptions, introspect_postgres};
