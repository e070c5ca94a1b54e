//! PostgreSQL test databases: one fresh database per call, on the first server that can be had.

mod throwaway;

#[cfg(test)]
mod tests;

use std::time::Duration;

use sqlx::{Connection, Executor, PgConnection, Row, ValueRef};
use url::Url;

use crate::TestkitError;
use crate::names::unique_name;
use crate::server::{
    OWN_CONNECT_TIMEOUT, Rows, ServerDatabase, connect_within, on_own_runtime, sources_from_env,
    try_sources,
};

/// A database of its own for one test, dropped when this value is.
#[derive(Debug)]
pub struct PostgresDb {
    server_url: Url,
    name: String,
    url: String,
}

/// Creates a fresh, empty PostgreSQL database. Panics, saying what was tried, when no server can be had.
pub fn postgres() -> PostgresDb {
    try_postgres().unwrap_or_else(|e| panic!("{e}"))
}

/// Creates a fresh, empty PostgreSQL database, from the first source that works (see the crate docs).
pub fn try_postgres() -> Result<PostgresDb, TestkitError> {
    try_sources(&sources_from_env::<PostgresDb>())
}

impl ServerDatabase for PostgresDb {
    const DIALECT: &'static str = "PostgreSQL";
    const ENV_URL: &'static str = "AUTOGEN_TEST_POSTGRES_URL";
    /// Plain TCP on loopback: a TLS handshake per connection costs ~0.1 s in a debug build,
    /// and the suites open thousands of connections.
    const LOCAL_URL: &'static str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";
    const THROWAWAY: &'static str = "throwaway server from local initdb/pg_ctl";

    fn create_on(server: &Url, connect_timeout: Duration) -> Result<Self, String> {
        PostgresDb::create_on(server, connect_timeout)
    }

    fn throwaway() -> Result<&'static Url, String> {
        throwaway::shared().map(|server| server.url())
    }
}

/// A fresh database on a throwaway server of this process's own that demands a password
/// (SCRAM over TCP); its [`PostgresDb::url`] carries the right one, see [`SERVER_PASSWORD`].
/// For tests of authentication failures, which the trusting local service cannot produce.
pub fn postgres_with_password() -> PostgresDb {
    let server = throwaway::shared_with_password()
        .unwrap_or_else(|e| panic!("no password-protected throwaway PostgreSQL: {e}"));
    PostgresDb::create_on(server.url(), OWN_CONNECT_TIMEOUT)
        .unwrap_or_else(|e| panic!("no database on the password-protected throwaway server: {e}"))
}

pub use throwaway::SERVER_PASSWORD;

impl PostgresDb {
    /// Creates a fresh database on the server that `server` (a maintenance database URL) reaches.
    fn create_on(server: &Url, connect_timeout: Duration) -> Result<Self, String> {
        let name = unique_name();
        // FILE_COPY: for a near-empty template it is several times faster than PostgreSQL 15's
        // default WAL_LOG strategy; older servers do not know the option.
        let file_copy = format!("CREATE DATABASE \"{name}\" STRATEGY = FILE_COPY");
        if run(server, &file_copy, connect_timeout).is_err() {
            run(
                server,
                &format!("CREATE DATABASE \"{name}\""),
                connect_timeout,
            )?;
        }
        let mut url = server.clone();
        url.set_path(&format!("/{name}"));
        Ok(Self {
            server_url: server.clone(),
            name,
            url: url.to_string(),
        })
    }

    /// The URL of this database, with the server's user (and password, if any) in it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name, unique across tests, processes and runs.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Makes the database empty again (every non-system schema dropped, `public` recreated):
    /// as good as a new database for schema objects, and far cheaper in loops over many cases.
    pub fn reset(&self) {
        for row in self.query(RESET_DROPS) {
            if let Some(Some(drop)) = row.into_iter().next() {
                self.execute(&drop);
            }
        }
        self.execute("CREATE SCHEMA public");
    }

    /// Runs a script (simple query protocol) and returns the rows of all its statements, values as text (`None` for NULL),
    /// or the error.
    pub fn try_query(&self, sql: &str) -> Result<Rows, String> {
        let url = Url::parse(&self.url).map_err(|e| e.to_string())?;
        run(&url, sql, OWN_CONNECT_TIMEOUT)
    }
}

test_database!(PostgresDb);

impl Drop for PostgresDb {
    fn drop(&mut self) {
        // FORCE: a test that leaked a pool or connection must not keep its database alive.
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(e) = run(&self.server_url, &drop, OWN_CONNECT_TIMEOUT) {
            // Panicking here could abort a test that is already unwinding; a leftover is only litter.
            eprintln!(
                "autogen-testkit: could not drop test database {}: {e}",
                self.name
            );
        }
    }
}

fn run(url: &Url, sql: &str, connect_timeout: Duration) -> Result<Rows, String> {
    let (url, sql) = (url.to_string(), sql.to_owned());
    on_own_runtime(move || async move { run_async(&url, &sql, connect_timeout).await })
}

async fn run_async(url: &str, sql: &str, connect_timeout: Duration) -> Result<Rows, String> {
    let mut conn = connect_within(connect_timeout, PgConnection::connect(url)).await?;
    // Test databases are thrown away: waiting for each commit to reach the disk buys nothing.
    conn.execute("SET synchronous_commit = off")
        .await
        .map_err(|e| e.to_string())?;
    // Test scripts are the test's own text, not user input.
    let rows = conn
        .fetch_all(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())))
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())?;
    rows.iter().map(row_as_text).collect()
}

/// The simple query protocol sends every value as text, so no per-type decoding is needed.
fn row_as_text(row: &sqlx::postgres::PgRow) -> Result<Vec<Option<String>>, String> {
    (0..row.len())
        .map(|i| {
            let value = row.try_get_raw(i).map_err(|e| e.to_string())?;
            if value.is_null() {
                return Ok(None);
            }
            value
                .as_str()
                .map(|s| Some(s.to_owned()))
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// The non-system schemas, one `DROP SCHEMA .. CASCADE` each: run one by one, so that no single
/// transaction has to lock every object of the database at once.
const RESET_DROPS: &str = "SELECT format('DROP SCHEMA %I CASCADE', nspname) FROM pg_namespace \
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname";
