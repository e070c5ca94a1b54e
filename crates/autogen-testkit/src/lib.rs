//! Fresh databases for tests: each test gets its own, created on demand and dropped at the end.
//!
//! A database that cannot be had is a failed test with a message saying what was tried, never a
//! silent skip.
//!
//! One module per dialect, each with the same shape: a function named after the dialect that
//! panics ([`postgres()`]), a `try_` twin that returns [`TestkitError`] ([`try_postgres()`]), and a
//! value that owns the database and drops it ([`PostgresDb`]), implementing [`TestDatabase`].
//! `sqlite.rs` (`sqlite()`, `SqliteDb`: a temp file, nothing to install) and `mysql.rs`
//! (MariaDB: [`mariadb()`], [`MariaDb`]) follow that shape.
//!
//! # Where PostgreSQL comes from
//!
//! 1. `AUTOGEN_TEST_POSTGRES_URL`, when set: a server URL whose user may create databases. Nothing
//!    else is tried then, so a misconfigured CI fails instead of quietly testing something else.
//! 2. Otherwise the local service on `127.0.0.1:5432` as user `postgres` (trust auth).
//! 3. Otherwise a throwaway server started from the local `initdb` and `pg_ctl` (found on `PATH`
//!    or in `pg_config --bindir`), one per test process, stopped and deleted when it exits.

mod error;
#[macro_use]
mod forward;
mod mysql;
mod names;
mod postgres;
mod server;
mod sqlite;

pub use error::{Attempt, TestkitError};
pub use mysql::{MariaDb, mariadb, try_mariadb};
pub use postgres::{PostgresDb, SERVER_PASSWORD, postgres, postgres_with_password, try_postgres};
pub use sqlite::{SqliteDb, sqlite, try_sqlite};

/// What every dialect's test database offers, so helpers can be written once for all of them.
pub trait TestDatabase {
    /// A URL for this database that the dialect's sqlx driver accepts.
    fn url(&self) -> &str;

    /// The database's name on its server.
    fn name(&self) -> &str;

    /// Runs a script of one or more statements, panicking on error.
    fn execute(&self, sql: &str);

    /// Runs a script of one or more statements, returning the error instead of panicking.
    fn try_execute(&self, sql: &str) -> Result<(), String>;

    /// Runs a script and returns every row it produced, each value as text (`None` for NULL).
    fn query(&self, sql: &str) -> Vec<Vec<Option<String>>>;
}
