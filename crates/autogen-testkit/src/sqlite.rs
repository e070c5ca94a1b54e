//! SQLite test databases: a fresh file in a temp directory per call, removed on drop. Nothing to
//! install or start: libsqlite3 is compiled into sqlx.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Connection, Executor, Row, SqliteConnection, TypeInfo, ValueRef};

use crate::{Attempt, TestkitError};

/// Rows as [`TestDatabase::query`] returns them.
type Rows = Vec<Vec<Option<String>>>;

/// A database file of its own for one test, deleted (with its directory) when this value is dropped.
#[derive(Debug)]
pub struct SqliteDb {
    dir: PathBuf,
    path: PathBuf,
    name: String,
    url: String,
}

/// Creates a fresh, empty SQLite database file. Panics when the temp directory cannot be written.
pub fn sqlite() -> SqliteDb {
    try_sqlite().unwrap_or_else(|e| panic!("{e}"))
}

/// Creates a fresh, empty SQLite database file in a directory of its own under the temp directory.
pub fn try_sqlite() -> Result<SqliteDb, TestkitError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "autogen_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let dir = std::env::temp_dir().join(format!("{name}_{}", nanos()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| unavailable(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{name}.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = SqliteDb {
        dir,
        path,
        name,
        url,
    };
    // Create the file now, so that a URL without `mode=rwc` finds it too.
    db.try_execute("PRAGMA user_version = 0")
        .map_err(unavailable)?;
    Ok(db)
}

fn unavailable(reason: String) -> TestkitError {
    TestkitError::Unavailable {
        dialect: "SQLite",
        tried: vec![Attempt {
            source: "a file in the temp directory".to_owned(),
            reason,
        }],
    }
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

impl SqliteDb {
    /// `sqlite://<path>?mode=rwc`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The file's stem, unique within the run.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a script and returns the rows of all its statements, values as text (`None` for NULL),
    /// or the error.
    pub fn try_query(&self, sql: &str) -> Result<Rows, String> {
        run(&self.path, sql)
    }

    /// Makes the database empty again: the file is deleted and created anew.
    pub fn reset(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut file = self.path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
        self.execute("PRAGMA user_version = 0");
    }
}

test_database!(SqliteDb);

impl Drop for SqliteDb {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!(
                "autogen-testkit: could not remove test database {}: {e}",
                self.dir.display()
            );
        }
    }
}

/// Runs `sql` on its own thread and runtime, so that callers inside an async test do not nest runtimes.
fn run(path: &Path, sql: &str) -> Result<Rows, String> {
    let path = path.to_owned();
    let sql = sql.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start a runtime: {e}"))?;
        runtime.block_on(run_async(&path, &sql))
    })
    .join()
    .map_err(|_| "the database thread panicked".to_owned())?
}

async fn run_async(path: &Path, sql: &str) -> Result<Rows, String> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options)
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

/// SQLite values by their storage class, as text: integers and reals as printed, blobs as hex.
fn row_as_text(row: &SqliteRow) -> Result<Vec<Option<String>>, String> {
    (0..row.len())
        .map(|i| {
            let value = row.try_get_raw(i).map_err(|e| e.to_string())?;
            if value.is_null() {
                return Ok(None);
            }
            let kind = value.type_info().name().to_ascii_uppercase();
            let text = match kind.as_str() {
                "INTEGER" => row.try_get::<i64, _>(i).map(|v| v.to_string()),
                "REAL" => row.try_get::<f64, _>(i).map(|v| v.to_string()),
                "BLOB" => row
                    .try_get::<Vec<u8>, _>(i)
                    .map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()),
                _ => row.try_get::<String, _>(i),
            };
            text.map(Some).map_err(|e| e.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_a_file_that_goes_away() {
        let db = sqlite();
        let path = db.path().to_owned();
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, raw BLOB)");
        db.execute("INSERT INTO t VALUES (1, 'a', 1.5, x'0aff'), (2, NULL, NULL, NULL)");
        assert_eq!(
            db.query("SELECT id, name, score, raw FROM t ORDER BY id"),
            vec![
                vec![
                    Some("1".into()),
                    Some("a".into()),
                    Some("1.5".into()),
                    Some("0aff".into())
                ],
                vec![Some("2".into()), None, None, None],
            ]
        );
        assert!(db.try_execute("SELECT * FROM nowhere").is_err());
        db.reset();
        assert!(db.query("SELECT name FROM sqlite_schema").is_empty());
        drop(db);
        assert!(!path.exists());
    }
}
