//! sqlx's migration lock, taken so that it waits with a real timeout, checks what the server
//! answered, and says who holds it while it waits.
//!
//! sqlx's own `lock()` calls `GET_LOCK(name, -1)` on MySQL, which MariaDB 10.11 answers with
//! NULL ("Incorrect timeout value") without taking anything, and ignores the answer: two
//! migrators then run at once. Here the lock is the same one (sqlx's name and key, so `sqlx
//! migrate run` and `autogen upgrade` still exclude each other), asked for one second at a time
//! in a loop, every answer checked; PostgreSQL's `pg_try_advisory_lock` in a loop likewise, so
//! the holder can be named.

use std::time::Duration;

use sqlx::{MySqlConnection, PgConnection, SqliteConnection};

use crate::MigrateError;
use crate::lifecycle::error_reason;

/// Who holds the migration lock, as the server describes the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// The server's id of the holding session (PostgreSQL's pid, MySQL's connection id); 0
    /// for SQLite's file lock, which names no process.
    pub id: i64,
    /// User, client, and what it runs, as far as the server tells.
    pub detail: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.id == 0 {
            f.write_str(&self.detail)
        } else if self.detail.is_empty() {
            write!(f, "session {}", self.id)
        } else {
            write!(f, "session {} ({})", self.id, self.detail)
        }
    }
}

/// Called once when the lock is found held, with its holder (when the server still knows it).
pub type Waiting<'a> = &'a mut (dyn FnMut(Option<&LockHolder>) + Send);

const POLL: Duration = Duration::from_millis(250);

/// sqlx's lock key: a CRC-32 of the database name times a constant (sqlx-postgres/-mysql
/// `generate_lock_id`).
fn lock_key(database: &str) -> i64 {
    const CRC_IEEE: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    0x3d32_ad9e * i64::from(CRC_IEEE.checksum(database.as_bytes()))
}

fn database_error(what: &'static str) -> impl Fn(sqlx::Error) -> MigrateError {
    move |e| MigrateError::Database {
        what,
        reason: error_reason(&e, None),
    }
}

pub(crate) async fn postgres_key(conn: &mut PgConnection) -> Result<i64, MigrateError> {
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut *conn)
        .await
        .map_err(database_error("taking the migration lock"))?;
    Ok(lock_key(&database))
}

/// Takes sqlx's advisory lock, waiting as long as it takes.
pub(crate) async fn lock_postgres(
    conn: &mut PgConnection,
    waiting: Waiting<'_>,
) -> Result<(), MigrateError> {
    let key = postgres_key(conn).await?;
    let mut reported = false;
    loop {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *conn)
            .await
            .map_err(database_error("taking the migration lock"))?;
        if got {
            return Ok(());
        }
        if !reported {
            reported = true;
            let holder = postgres_holder(conn, key).await?;
            waiting(holder.as_ref());
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The session holding sqlx's advisory lock on this database, other than this one.
pub(crate) async fn postgres_holder(
    conn: &mut PgConnection,
    key: i64,
) -> Result<Option<LockHolder>, MigrateError> {
    let row: Option<(i32, String)> = sqlx::query_as(
        "SELECT l.pid, concat_ws(', ', a.usename, \
                nullif(a.application_name, ''), \
                'since ' || to_char(a.xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS\"Z\"')) \
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 \
           AND l.pid <> pg_backend_pid() \
         LIMIT 1",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .map_err(database_error("looking for the migration lock's holder"))?;
    Ok(row.map(|(pid, detail)| LockHolder {
        id: i64::from(pid),
        detail,
    }))
}

/// SQLite has no advisory lock (sqlx's is a no-op there): an OS file lock (`flock`) on the
/// database file, which SQLite's own POSIX locks do not see, held for the run; `None` for an
/// in-memory database. Other `autogen` runs on the file wait for it.
pub(crate) async fn lock_sqlite(
    conn: &mut SqliteConnection,
    waiting: Waiting<'_>,
) -> Result<Option<std::fs::File>, MigrateError> {
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(&mut *conn)
            .await
            .map_err(database_error("taking the migration lock"))?;
    let Some(path) = file.filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    let error = |e: std::io::Error| MigrateError::Database {
        what: "taking the migration lock",
        reason: e.to_string(),
    };
    let handle = std::fs::File::open(&path).map_err(error)?;
    let mut reported = false;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(Some(handle)),
            Err(std::fs::TryLockError::WouldBlock) => {
                if !reported {
                    reported = true;
                    waiting(Some(&sqlite_other()));
                }
                tokio::time::sleep(POLL).await;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(error(e)),
        }
    }
}

/// Whether another process holds the SQLite file lock of [`lock_sqlite`].
pub(crate) async fn sqlite_holder(
    conn: &mut SqliteConnection,
) -> Result<Option<LockHolder>, MigrateError> {
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(&mut *conn)
            .await
            .map_err(database_error("looking for the migration lock's holder"))?;
    let Some(handle) = file
        .filter(|f| !f.is_empty())
        .and_then(|path| std::fs::File::open(path).ok())
    else {
        return Ok(None);
    };
    Ok(match handle.try_lock_shared() {
        Err(std::fs::TryLockError::WouldBlock) => Some(sqlite_other()),
        Ok(()) | Err(std::fs::TryLockError::Error(_)) => None,
    })
}

/// The holder of SQLite's file lock, which names no process.
fn sqlite_other() -> LockHolder {
    LockHolder {
        id: 0,
        detail: "another autogen process".to_owned(),
    }
}

/// sqlx's lock name for this database (a hex string).
pub(crate) async fn mysql_name(conn: &mut MySqlConnection) -> Result<String, MigrateError> {
    let database: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(&mut *conn)
        .await
        .map_err(database_error("taking the migration lock"))?;
    Ok(format!("{:x}", lock_key(&database.unwrap_or_default())))
}

/// Takes sqlx's named lock, one second at a time, each answer checked.
pub(crate) async fn lock_mysql(
    conn: &mut MySqlConnection,
    waiting: Waiting<'_>,
) -> Result<(), MigrateError> {
    let name = mysql_name(conn).await?;
    let mut reported = false;
    loop {
        let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 1)")
            .bind(&name)
            .fetch_one(&mut *conn)
            .await
            .map_err(database_error("taking the migration lock"))?;
        match got {
            Some(1) => return Ok(()),
            // Timed out: held by another session.
            Some(0) => {
                if !reported {
                    reported = true;
                    let holder = mysql_holder(conn, &name).await?;
                    waiting(holder.as_ref());
                }
            }
            Some(other) => {
                return Err(MigrateError::Database {
                    what: "taking the migration lock",
                    reason: format!("GET_LOCK answered {other}, expected 1 or 0"),
                });
            }
            None => {
                return Err(MigrateError::Database {
                    what: "taking the migration lock",
                    reason: "GET_LOCK answered NULL (an error in the server); the lock is not held"
                        .to_owned(),
                });
            }
        }
    }
}

/// Releases the named lock; an answer other than 1 is an error (it was not ours).
pub(crate) async fn unlock_mysql(conn: &mut MySqlConnection) -> Result<(), MigrateError> {
    let name = mysql_name(conn).await?;
    let released: Option<i64> = sqlx::query_scalar("SELECT RELEASE_LOCK(?)")
        .bind(&name)
        .fetch_one(&mut *conn)
        .await
        .map_err(database_error("releasing the migration lock"))?;
    match released {
        Some(1) => Ok(()),
        Some(_) | None => Err(MigrateError::Database {
            what: "releasing the migration lock",
            reason: "the lock was not held by this session".to_owned(),
        }),
    }
}

/// The session holding the named lock (`IS_USED_LOCK`), with what the process list says of it.
pub(crate) async fn mysql_holder(
    conn: &mut MySqlConnection,
    name: &str,
) -> Result<Option<LockHolder>, MigrateError> {
    // Not this session itself.
    let id: Option<i64> =
        sqlx::query_scalar("SELECT CAST(NULLIF(IS_USED_LOCK(?), CONNECTION_ID()) AS SIGNED)")
            .bind(name)
            .fetch_one(&mut *conn)
            .await
            .map_err(database_error("looking for the migration lock's holder"))?;
    let Some(id) = id else { return Ok(None) };
    let detail: Option<String> = sqlx::query_scalar(
        "SELECT CONCAT_WS(', ', CONCAT(USER, '@', HOST), CONCAT('for ', TIME, 's')) \
         FROM information_schema.PROCESSLIST WHERE ID = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(database_error("looking for the migration lock's holder"))?
    .flatten();
    Ok(Some(LockHolder {
        id,
        detail: detail.unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::lock_key;

    /// The key sqlx derives, so both take the same lock (value from sqlx's formula).
    #[test]
    fn the_key_is_sqlx_s() {
        // CRC-32 ("check" value) of "123456789" is 0xCBF43926.
        assert_eq!(lock_key("123456789"), 0x3d32_ad9e * 0xCBF4_3926_i64);
    }
}
