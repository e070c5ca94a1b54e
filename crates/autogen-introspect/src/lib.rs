//! Reads a live database into a [`autogen_schema::Schema`].

mod error;
mod postgres;

pub use error::IntrospectError;
pub use postgres::{
    Introspection, MissingSchema, PostgresOptions, connect_postgres, introspect_postgres,
    normalise_postgres,
};
