//! MariaDB/MySQL test databases: one fresh database per call, on the first server that can be had.
//!
//! 1. `AUTOGEN_TEST_MYSQL_URL`, when set: a server URL whose user may create databases; nothing
//!    else is tried then.
//! 2. Otherwise the local service on `127.0.0.1:3306` as `root` without a password.
//! 3. Otherwise a throwaway `mariadbd` started from the local `mariadb-install-db`/`mariadbd`,
//!    one per test process, stopped and deleted by a watchdog when the process exits.

mod throwaway;

use std::time::Duration;

use sqlx::{Connection, Executor, MySqlConnection, Row, ValueRef};
use url::Url;

use crate::TestkitError;
use crate::names::unique_name;
use crate::server::{
    OWN_CONNECT_TIMEOUT, Rows, ServerDatabase, connect_within, on_own_runtime, sources_from_env,
    try_sources,
};

/// A database of its own for one test, dropped when this value is.
#[derive(Debug)]
pub struct MariaDb {
    server_url: Url,
    name: String,
    url: String,
}

/// Creates a fresh, empty MariaDB database. Panics, saying what was tried, when no server can be had.
pub fn mariadb() -> MariaDb {
    try_mariadb().unwrap_or_else(|e| panic!("{e}"))
}

/// Creates a fresh, empty MariaDB database from the first source that works (see the module docs).
pub fn try_mariadb() -> Result<MariaDb, TestkitError> {
    try_sources(&sources_from_env::<MariaDb>())
}

impl ServerDatabase for MariaDb {
    const DIALECT: &'static str = "MariaDB";
    const ENV_URL: &'static str = "AUTOGEN_TEST_MYSQL_URL";
    const LOCAL_URL: &'static str = "mysql://root@127.0.0.1:3306/";
    const THROWAWAY: &'static str = "throwaway server from local mariadb-install-db/mariadbd";

    fn create_on(server: &Url, connect_timeout: Duration) -> Result<Self, String> {
        MariaDb::create_on(server, connect_timeout)
    }

    fn throwaway() -> Result<&'static Url, String> {
        throwaway::shared().map(|server| server.url())
    }
}

impl MariaDb {
    fn create_on(server: &Url, connect_timeout: Duration) -> Result<Self, String> {
        let name = unique_name();
        let mut server = server.clone();
        server.set_path("/");
        run(
            &server,
            &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
            connect_timeout,
        )?;
        let mut url = server.clone();
        url.set_path(&format!("/{name}"));
        Ok(Self {
            server_url: server,
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

    /// Makes the database empty again (dropped and created anew under the same name): far
    /// cheaper than a new database in loops over many cases, and the URL stays valid.
    pub fn reset(&self) {
        let sql = format!(
            "DROP DATABASE IF EXISTS `{0}`; CREATE DATABASE `{0}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            self.name
        );
        if let Err(e) = run(&self.server_url, &sql, OWN_CONNECT_TIMEOUT) {
            panic!("could not reset {}: {e}", self.name);
        }
    }

    /// Runs a script and returns the rows of all its statements, values as text (`None` for NULL),
    /// or the error.
    pub fn try_query(&self, sql: &str) -> Result<Rows, String> {
        let url = Url::parse(&self.url).map_err(|e| e.to_string())?;
        run(&url, sql, OWN_CONNECT_TIMEOUT)
    }
}

test_database!(MariaDb);

impl Drop for MariaDb {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        if let Err(e) = run(&self.server_url, &drop, OWN_CONNECT_TIMEOUT) {
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
    let mut conn = connect_within(connect_timeout, MySqlConnection::connect(url)).await?;
    let rows = conn
        .fetch_all(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())))
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())?;
    rows.iter().map(row_as_text).collect()
}

/// The text protocol sends every value as text; decoding unchecked reads any column as a string.
fn row_as_text(row: &sqlx::mysql::MySqlRow) -> Result<Vec<Option<String>>, String> {
    (0..row.len())
        .map(|i| {
            let value = row.try_get_raw(i).map_err(|e| e.to_string())?;
            if value.is_null() {
                return Ok(None);
            }
            let bytes: Vec<u8> = row.try_get_unchecked(i).map_err(|e| e.to_string())?;
            Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_databases_are_distinct_and_dropped() {
        let a = mariadb();
        let b = mariadb();
        assert_ne!(a.name(), b.name());
        a.execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (NULL)");
        assert_eq!(
            a.query("SELECT id FROM t ORDER BY id"),
            vec![vec![None], vec![Some("1".to_owned())]]
        );
        assert!(b.try_execute("SELECT * FROM t").is_err());
        a.reset();
        assert!(a.try_execute("SELECT * FROM t").is_err());
        let server = a.server_url.clone();
        let name = a.name().to_owned();
        drop(a);
        let rows = run(
            &server,
            &format!(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{name}'"
            ),
            OWN_CONNECT_TIMEOUT,
        )
        .unwrap();
        assert_eq!(rows, vec![vec![Some("0".to_owned())]]);
    }

    #[test]
    fn throwaway_server_starts_and_serves_a_database() {
        let server = throwaway::shared().unwrap_or_else(|e| panic!("{e}"));
        let db = MariaDb::create_on(server.url(), OWN_CONNECT_TIMEOUT).unwrap();
        db.execute("CREATE TABLE t (id int)");
        assert_eq!(
            db.query("SELECT DATABASE()"),
            vec![vec![Some(db.name().to_owned())]]
        );
    }
}
