//! The database a lifecycle command runs on, and the read-only look at `_sqlx_migrations`.

use autogen_schema::Dialect;
use sqlx::{Connection, Executor, MySqlConnection, PgConnection, SqliteConnection};

use crate::{
    AppliedMigration, History, LockHolder, MIGRATIONS_TABLE, MigrateError, MigrationFolder,
};

/// An open connection of a dialect the runner supports. Opening it is the caller's job (the CLI
/// uses the introspector's connection code, whose errors never show a password).
/// What to call when the migration lock is held by another session.
pub(crate) type OnLockWait = dyn FnMut(Option<&LockHolder>) + Send;

pub struct Database {
    pub(crate) backend: Backend,
    /// Told once per run when the migration lock is held by another session.
    pub(crate) waiting: Box<OnLockWait>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub(crate) enum Backend {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
    MySql(MySqlConnection),
}

/// The dialect a database URL names, from its scheme (`postgres://`, `mysql://`, `sqlite:`):
/// [`autogen_schema::dialect_of_url`], the one reading of a scheme. Never echoes the URL.
pub fn dialect_of_url(url: &str) -> Result<Dialect, MigrateError> {
    autogen_schema::dialect_of_url(url).map_err(MigrateError::Url)
}

impl Database {
    /// A PostgreSQL connection, opened by the caller.
    pub fn postgres(conn: PgConnection) -> Database {
        Database::new(Backend::Postgres(conn))
    }

    /// An SQLite connection, opened by the caller.
    pub fn sqlite(conn: SqliteConnection) -> Database {
        Database::new(Backend::Sqlite(conn))
    }

    /// A MySQL or MariaDB connection, opened by the caller.
    pub fn mysql(conn: MySqlConnection) -> Database {
        Database::new(Backend::MySql(conn))
    }

    fn new(backend: Backend) -> Database {
        Database {
            backend,
            waiting: Box::new(|_| {}),
        }
    }

    /// What to do when `upgrade`/`downgrade` find the migration lock held: called once, with
    /// the holder when the server names it, before they wait for it.
    pub fn on_lock_wait(&mut self, waiting: impl FnMut(Option<&LockHolder>) + Send + 'static) {
        self.waiting = Box::new(waiting);
    }

    /// The other session holding the migration lock now, if any.
    pub async fn lock_holder(&mut self) -> Result<Option<LockHolder>, MigrateError> {
        match &mut self.backend {
            Backend::Postgres(conn) => {
                let key = crate::lock::postgres_key(conn).await?;
                crate::lock::postgres_holder(conn, key).await
            }
            Backend::MySql(conn) => {
                let name = crate::lock::mysql_name(conn).await?;
                crate::lock::mysql_holder(conn, &name).await
            }
            Backend::Sqlite(conn) => crate::lock::sqlite_holder(conn).await,
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Postgres(_) => Dialect::Postgres,
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::MySql(_) => Dialect::MySql,
        }
    }

    /// The rows of `_sqlx_migrations`, oldest first, read in a read-only transaction; an empty
    /// list when the table does not exist (nothing was ever applied). Creates nothing.
    pub async fn applied(&mut self) -> Result<Vec<AppliedMigration>, MigrateError> {
        match &mut self.backend {
            Backend::Postgres(conn) => applied_postgres(conn).await,
            Backend::Sqlite(conn) => applied_sqlite(conn).await,
            Backend::MySql(conn) => crate::mysql::applied(conn).await,
        }
    }

    /// The folder's migrations with where each stands in this database. While another session
    /// holds the migration lock, a run is in progress ([`History::in_progress_by`]), and a row
    /// recorded as not (yet) successful is its migration ([`MigrationState::InProgress`]), not
    /// a failed one.
    pub async fn history(&mut self, folder: &MigrationFolder) -> Result<History, MigrateError> {
        let applied = self.applied().await?;
        let mut history = History::new(folder, &applied);
        if let Some(holder) = self.lock_holder().await? {
            history.mark_in_progress(holder);
        }
        Ok(history)
    }

    /// The repairs (`stamp`, `resolve`) recorded in `_autogen_audit`, oldest first.
    pub async fn audit(&mut self) -> Result<Vec<crate::AuditEntry>, MigrateError> {
        crate::repair::audit(&mut self.backend).await
    }

    /// Closes the connection politely (the server logs no broken connection).
    pub async fn close(self) {
        match self.backend {
            Backend::Postgres(conn) => {
                let _ = conn.close().await;
            }
            Backend::Sqlite(conn) => {
                let _ = conn.close().await;
            }
            Backend::MySql(conn) => crate::mysql::close(conn).await,
        }
    }
}

pub(crate) async fn applied_postgres(
    conn: &mut PgConnection,
) -> Result<Vec<AppliedMigration>, MigrateError> {
    let failed = |e: sqlx::Error| MigrateError::Database {
        what: "reading _sqlx_migrations",
        reason: crate::lifecycle::error_reason(&e, None),
    };
    let mut tx = conn.begin().await.map_err(failed)?;
    tx.execute("SET TRANSACTION READ ONLY")
        .await
        .map_err(failed)?;
    // Resolved through search_path, as sqlx's migrator resolves the unqualified name.
    let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
        .bind(MIGRATIONS_TABLE)
        .fetch_one(&mut *tx)
        .await
        .map_err(failed)?;
    if !exists {
        tx.rollback().await.map_err(failed)?;
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, bool, Vec<u8>)> = sqlx::query_as(
        "SELECT version, description, \
         to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), \
         success, checksum \
         FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed)?;
    tx.rollback().await.map_err(failed)?;
    Ok(rows
        .into_iter()
        .map(
            |(version, description, installed_on, success, checksum)| AppliedMigration {
                version,
                description,
                installed_on,
                success,
                checksum,
            },
        )
        .collect())
}

pub(crate) async fn applied_sqlite(
    conn: &mut SqliteConnection,
) -> Result<Vec<AppliedMigration>, MigrateError> {
    let failed = |e: sqlx::Error| MigrateError::Database {
        what: "reading _sqlx_migrations",
        reason: crate::lifecycle::error_reason(&e, None),
    };
    let mut tx = conn.begin().await.map_err(failed)?;
    let exists: bool = sqlx::query_scalar(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_one(&mut *tx)
    .await
    .map_err(failed)?;
    if !exists {
        tx.rollback().await.map_err(failed)?;
        return Ok(Vec::new());
    }
    // sqlx stores `installed_on` as SQLite's CURRENT_TIMESTAMP text, in UTC.
    let rows: Vec<(i64, String, String, bool, Vec<u8>)> = sqlx::query_as(
        "SELECT version, description, strftime('%Y-%m-%d %H:%M:%SZ', installed_on), \
         success, checksum FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(failed)?;
    tx.rollback().await.map_err(failed)?;
    Ok(rows
        .into_iter()
        .map(
            |(version, description, installed_on, success, checksum)| AppliedMigration {
                version,
                description,
                installed_on,
                success,
                checksum,
            },
        )
        .collect())
}
