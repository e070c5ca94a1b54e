//! PostgreSQL test databases: one fresh database per call, on the first server that can be had.

mod throwaway;

#[cfg(test)]
mod tests;

use std::time::Duration;

use sqlx::{Connection, Executor, PgConnection, Row, ValueRef};
use url::Url;

use crate::names::{redacted, scrubbed, unique_name};
use crate::{Attempt, TestDatabase, TestkitError};

const DIALECT: &str = "PostgreSQL";
const ENV_URL: &str = "AUTOGEN_TEST_POSTGRES_URL";
/// Plain TCP on loopback: a TLS handshake per connection costs ~0.1 s in a debug build, and
/// the suites open thousands of connections.
const LOCAL_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";
/// The local service either answers at once or is not there; waiting longer only slows every test.
const LOCAL_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// A configured server may be remote and busy, and it is the only source, so it gets more time.
const CONFIGURED_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections to a database this kit already made (scripts, the final drop).
const OWN_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Rows as [`TestDatabase::query`] returns them.
type Rows = Vec<Vec<Option<String>>>;

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
    try_sources(&sources_from_env())
}

/// One place a server may come from, in the order [`try_sources`] tries them.
#[derive(Debug, Clone)]
enum Source {
    /// `AUTOGEN_TEST_POSTGRES_URL`, kept raw so that an unparsable value is reported, not echoed.
    Configured(String),
    /// A server expected to be running already, checked with a short timeout.
    Local(String),
    /// The per-process server this kit starts itself.
    Throwaway,
}

fn sources_from_env() -> Vec<Source> {
    match std::env::var_os(ENV_URL) {
        Some(value) => vec![Source::Configured(value.to_string_lossy().into_owned())],
        None => vec![Source::Local(LOCAL_URL.to_owned()), Source::Throwaway],
    }
}

/// Creates a database on the first source that works, or reports every failure.
fn try_sources(sources: &[Source]) -> Result<PostgresDb, TestkitError> {
    let mut tried = Vec::new();
    for source in sources {
        match create_from(source) {
            Ok(db) => return Ok(db),
            Err(attempt) => tried.push(attempt),
        }
    }
    Err(TestkitError::Unavailable {
        dialect: DIALECT,
        tried,
    })
}

fn create_from(source: &Source) -> Result<PostgresDb, Attempt> {
    match source {
        Source::Configured(raw) => {
            create_on_url(&format!("{ENV_URL}="), raw, CONFIGURED_CONNECT_TIMEOUT)
        }
        Source::Local(raw) => create_on_url("local service ", raw, LOCAL_CONNECT_TIMEOUT),
        Source::Throwaway => create_on_throwaway(),
    }
}

fn create_on_url(label: &str, raw: &str, timeout: Duration) -> Result<PostgresDb, Attempt> {
    let server = Url::parse(raw).map_err(|e| Attempt {
        // The value may hold a password that an unparsable URL gives no safe way to cut out.
        source: format!("{} (value not shown)", label.trim_end_matches(['=', ' '])),
        reason: format!("not a valid URL: {e}"),
    })?;
    PostgresDb::create_on(&server, timeout).map_err(|reason| Attempt {
        source: format!("{label}{}", redacted(&server)),
        reason: scrubbed(&reason, &server),
    })
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

fn create_on_throwaway() -> Result<PostgresDb, Attempt> {
    let source = "throwaway server from local initdb/pg_ctl".to_owned();
    let server = throwaway::shared().map_err(|reason| Attempt {
        source: source.clone(),
        reason,
    })?;
    PostgresDb::create_on(server.url(), OWN_CONNECT_TIMEOUT)
        .map_err(|reason| Attempt { source, reason })
}

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

    /// Runs a script of one or more statements (simple query protocol), panicking on error.
    pub fn execute(&self, sql: &str) {
        if let Err(e) = self.try_execute(sql) {
            panic!("script failed on {}: {e}\n{sql}", self.name);
        }
    }

    /// Like [`PostgresDb::execute`], returning the error instead of panicking.
    pub fn try_execute(&self, sql: &str) -> Result<(), String> {
        self.try_query(sql).map(drop)
    }

    /// Runs a script and returns the rows of all its statements, values as text (`None` for NULL).
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

    pub fn query(&self, sql: &str) -> Rows {
        self.try_query(sql)
            .unwrap_or_else(|e| panic!("query failed on {}: {e}\n{sql}", self.name))
    }

    /// Like [`PostgresDb::query`], returning the error instead of panicking.
    pub fn try_query(&self, sql: &str) -> Result<Rows, String> {
        let url = Url::parse(&self.url).map_err(|e| e.to_string())?;
        run(&url, sql, OWN_CONNECT_TIMEOUT)
    }
}

impl TestDatabase for PostgresDb {
    fn url(&self) -> &str {
        PostgresDb::url(self)
    }

    fn name(&self) -> &str {
        PostgresDb::name(self)
    }

    fn execute(&self, sql: &str) {
        PostgresDb::execute(self, sql);
    }

    fn try_execute(&self, sql: &str) -> Result<(), String> {
        PostgresDb::try_execute(self, sql)
    }

    fn query(&self, sql: &str) -> Rows {
        PostgresDb::query(self, sql)
    }
}

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

/// Runs `sql` on its own thread and runtime, so that callers inside an async test do not nest runtimes.
fn run(url: &Url, sql: &str, connect_timeout: Duration) -> Result<Rows, String> {
    let url = url.to_string();
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start a runtime: {e}"))?;
        runtime.block_on(run_async(&url, &sql, connect_timeout))
    })
    .join()
    .map_err(|_| "the database thread panicked".to_owned())?
}

async fn run_async(url: &str, sql: &str, connect_timeout: Duration) -> Result<Rows, String> {
    let mut conn = tokio::time::timeout(connect_timeout, PgConnection::connect(url))
        .await
        .map_err(|_| format!("no connection within {}s", connect_timeout.as_secs()))?
        .map_err(|e| e.to_string())?;
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
