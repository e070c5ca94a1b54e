//! Reads a live database into a [`autogen_schema::Schema`]: PostgreSQL, MySQL/MariaDB and SQLite; the URL's scheme
//! picks the dialect ([`introspect_url`], [`normalise_url`]).

mod error;
mod mysql;
mod normalise;
mod options;
mod postgres;
mod sqlite;
mod trace;
mod url;

pub use error::IntrospectError;
pub use mysql::{connect_mysql, introspect_mysql, normalise_mysql};
pub use normalise::{
    Compared, Live, Reconciled, Slot, compare_models, read_live, reconcile, spell_models,
};
pub use options::{IntrospectOptions, Introspection, MissingSchema};
pub use postgres::{
    CatalogQuery, array_casts_distributed, connect_postgres, introspect_postgres,
    normalise_postgres, read_postgres_catalog,
};
pub use sqlite::{connect_sqlite, introspect_sqlite, normalise_sqlite};
pub use trace::CONNECT_TARGET;
pub use url::{dialect_of_url, introspect_url, normalise_url, schema_names};
