//! Lifecycle repairs: `stamp` (record migrations as applied, or not, without running them, like
//! `alembic stamp`) and `resolve` (settle a migration recorded as failed, like `prisma migrate
//! resolve`).
//!
//! Both write `_sqlx_migrations` the way sqlx's migrator does (the file's checksum, `success`,
//! an `execution_time` of 0 for what did not run), under the migration lock, after reading the
//! state again under it, and refuse when the state does not fit. Each repair is recorded in
//! `_autogen_audit` ([`AUDIT_TABLE`]), a table of its own: `_sqlx_migrations` is sqlx's, and a
//! marker in its columns would change what sqlx reads. `autogen history` lists the repairs;
//! the comparison with the models leaves the table out, like `_sqlx_migrations`.

use sqlx::migrate::Migrate;
use sqlx::{Connection, MySqlConnection, PgConnection, SqliteConnection};

use crate::database::Backend;
use crate::lifecycle::error_reason;
use crate::{Database, History, MIGRATIONS_TABLE, MigrateError, MigrationFolder, MigrationState};

/// The table repairs are recorded in.
pub const AUDIT_TABLE: &str = "_autogen_audit";

/// `autogen stamp VERSION|head|base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampTarget {
    /// Every migration of the folder.
    Head,
    /// No migration.
    Base,
    /// Every migration up to and including this one, which the folder must hold.
    Version(i64),
}

impl std::str::FromStr for StampTarget {
    type Err = MigrateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "head" => Ok(StampTarget::Head),
            "base" => Ok(StampTarget::Base),
            _ => text
                .parse::<i64>()
                .ok()
                .filter(|v| *v > 0 && text.bytes().all(|b| b.is_ascii_digit()))
                .map(StampTarget::Version)
                .ok_or_else(|| MigrateError::InvalidTarget {
                    command: "stamp",
                    given: text.to_owned(),
                    expected: "head, base, or a migration version",
                }),
        }
    }
}

impl std::fmt::Display for StampTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StampTarget::Head => f.write_str("head"),
            StampTarget::Base => f.write_str("base"),
            StampTarget::Version(v) => write!(f, "{v}"),
        }
    }
}

/// How `resolve` settles a failed migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// It was completed by hand: record it as applied (with the file's checksum).
    Applied,
    /// It was undone by hand: remove its row, so it is pending again.
    RolledBack,
}

/// One repair, as `_autogen_audit` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// UTC, `YYYY-MM-DD HH:MM:SSZ`.
    pub performed_on: String,
    /// `stamp` or `resolve`.
    pub command: String,
    pub version: i64,
    /// What was recorded, in words.
    pub detail: String,
}

/// One change to the bookkeeping.
#[derive(Debug, Clone)]
enum Op {
    Insert {
        version: i64,
        description: String,
        checksum: Vec<u8>,
    },
    Delete {
        version: i64,
    },
    MarkApplied {
        version: i64,
        checksum: Vec<u8>,
    },
    Audit {
        command: &'static str,
        version: i64,
        detail: String,
    },
}

/// Records the migrations up to `target` as applied and the ones after it as not applied,
/// running none of them. Refuses while anything is wrong (a failed row, a changed or missing
/// file: `resolve` or restore first). Returns what it recorded, one line each.
pub async fn stamp(
    db: &mut Database,
    folder: &MigrationFolder,
    target: StampTarget,
) -> Result<Vec<String>, MigrateError> {
    locked(db, folder, |history| plan_stamp(folder, history, target)).await
}

/// Settles migration `version`, recorded as failed: `Applied` marks it successful with the
/// file's checksum, `RolledBack` removes its row. Refuses when it is not recorded as failed.
pub async fn resolve(
    db: &mut Database,
    folder: &MigrationFolder,
    version: i64,
    resolution: Resolution,
) -> Result<Vec<String>, MigrateError> {
    locked(db, folder, |history| {
        plan_resolve(folder, history, version, resolution)
    })
    .await
}

fn plan_stamp(
    folder: &MigrationFolder,
    history: &History,
    target: StampTarget,
) -> Result<(Vec<Op>, Vec<String>), MigrateError> {
    history.check()?;
    let upto = match target {
        StampTarget::Head => i64::MAX,
        StampTarget::Base => 0,
        StampTarget::Version(version) => {
            if folder.get(version).is_none() {
                return Err(MigrateError::UnknownVersion {
                    version,
                    folder: folder.path().to_owned(),
                });
            }
            version
        }
    };
    let mut ops = Vec::new();
    let mut said = Vec::new();
    for entry in history.entries() {
        let file = folder.get(entry.version);
        match (entry.state.is_applied(), entry.version <= upto, file) {
            (false, true, Some(file)) => {
                ops.push(Op::Insert {
                    version: file.version,
                    description: file.description.clone(),
                    checksum: file.checksum.clone(),
                });
                said.push(format!(
                    "recorded {} {} as applied (not run)",
                    file.version, file.description
                ));
            }
            (true, false, _) => {
                ops.push(Op::Delete {
                    version: entry.version,
                });
                said.push(format!(
                    "recorded {} {} as not applied (not reverted)",
                    entry.version, entry.description
                ));
            }
            (false, true, None) | (false, false, _) | (true, true, _) => {}
        }
    }
    let detail = format!(
        "stamp {target}: {}",
        if said.is_empty() {
            "nothing to record".to_owned()
        } else {
            said.join("; ")
        }
    );
    if !said.is_empty() {
        ops.push(Op::Audit {
            command: "stamp",
            version: match target {
                StampTarget::Version(v) => v,
                StampTarget::Head => history.head().map_or(0, |e| e.version),
                StampTarget::Base => 0,
            },
            detail,
        });
    }
    Ok((ops, said))
}

fn plan_resolve(
    folder: &MigrationFolder,
    history: &History,
    version: i64,
    resolution: Resolution,
) -> Result<(Vec<Op>, Vec<String>), MigrateError> {
    let entry = history
        .entries()
        .iter()
        .find(|e| e.version == version)
        .ok_or_else(|| MigrateError::UnknownVersion {
            version,
            folder: folder.path().to_owned(),
        })?;
    if entry.state != MigrationState::Failed {
        return Err(MigrateError::NotFailed {
            version,
            state: entry.state.label(),
        });
    }
    let (op, said) = match resolution {
        Resolution::Applied => {
            let file = folder
                .get(version)
                .ok_or_else(|| MigrateError::MissingFile {
                    version,
                    description: entry.description.clone(),
                    folder: folder.path().to_owned(),
                })?;
            (
                Op::MarkApplied {
                    version,
                    checksum: file.checksum.clone(),
                },
                format!("recorded {version} {} as applied", entry.description),
            )
        }
        Resolution::RolledBack => (
            Op::Delete { version },
            format!(
                "recorded {version} {} as rolled back: it is pending again",
                entry.description
            ),
        ),
    };
    let audit = Op::Audit {
        command: "resolve",
        version,
        detail: format!(
            "resolve --{}: {said}",
            match resolution {
                Resolution::Applied => "applied",
                Resolution::RolledBack => "rolled-back",
            }
        ),
    };
    Ok((vec![op, audit], vec![said]))
}

/// Takes the migration lock, reads the state under it, plans, writes, releases.
async fn locked(
    db: &mut Database,
    folder: &MigrationFolder,
    plan: impl FnOnce(&History) -> Result<(Vec<Op>, Vec<String>), MigrateError>,
) -> Result<Vec<String>, MigrateError> {
    let Database { backend, waiting } = db;
    match backend {
        Backend::Postgres(conn) => {
            crate::lock::lock_postgres(conn, waiting.as_mut()).await?;
            let result = async {
                let history = History::new(folder, &crate::database::applied_postgres(conn).await?);
                let (ops, said) = plan(&history)?;
                write_postgres(conn, &ops).await?;
                Ok(said)
            }
            .await;
            let key = crate::lock::postgres_key(conn).await;
            let unlocked = match key {
                Ok(key) => sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(key)
                    .execute(&mut *conn)
                    .await
                    .map(drop)
                    .map_err(db_error("releasing the migration lock")),
                Err(e) => Err(e),
            };
            let said = result?;
            unlocked?;
            Ok(said)
        }
        Backend::MySql(conn) => {
            crate::lock::lock_mysql(conn, waiting.as_mut()).await?;
            let result = async {
                let history = History::new(folder, &crate::mysql::applied(conn).await?);
                let (ops, said) = plan(&history)?;
                write_mysql(conn, &ops).await?;
                Ok(said)
            }
            .await;
            let unlocked = crate::lock::unlock_mysql(conn).await;
            let said = result?;
            unlocked?;
            Ok(said)
        }
        Backend::Sqlite(conn) => {
            let _lock = crate::lock::lock_sqlite(conn, waiting.as_mut()).await?;
            let history = History::new(folder, &crate::database::applied_sqlite(conn).await?);
            let (ops, said) = plan(&history)?;
            write_sqlite(conn, &ops).await?;
            Ok(said)
        }
    }
}

fn db_error(what: &'static str) -> impl Fn(sqlx::Error) -> MigrateError {
    move |e| MigrateError::Database {
        what,
        reason: error_reason(&e, None),
    }
}

fn migrate_error(what: &'static str) -> impl Fn(sqlx::migrate::MigrateError) -> MigrateError {
    move |e| MigrateError::Database {
        what,
        reason: e.to_string(),
    }
}

const WRITING: &str = "recording the repair";

async fn write_postgres(conn: &mut PgConnection, ops: &[Op]) -> Result<(), MigrateError> {
    if ops.is_empty() {
        return Ok(());
    }
    conn.ensure_migrations_table(MIGRATIONS_TABLE)
        .await
        .map_err(migrate_error(WRITING))?;
    let mut tx = conn.begin().await.map_err(db_error(WRITING))?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS _autogen_audit (\
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
         performed_on timestamptz NOT NULL DEFAULT now(), \
         command text NOT NULL, version bigint NOT NULL, detail text NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(db_error(WRITING))?;
    for op in ops {
        let query = match op {
            Op::Insert {
                version,
                description,
                checksum,
            } => sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES ($1, $2, TRUE, $3, 0)",
            )
            .bind(*version)
            .bind(description.as_str())
            .bind(checksum.as_slice()),
            Op::Delete { version } => {
                sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1").bind(*version)
            }
            Op::MarkApplied { version, checksum } => sqlx::query(
                "UPDATE _sqlx_migrations SET success = TRUE, checksum = $2 WHERE version = $1",
            )
            .bind(*version)
            .bind(checksum.as_slice()),
            Op::Audit {
                command,
                version,
                detail,
            } => sqlx::query(
                "INSERT INTO _autogen_audit (command, version, detail) VALUES ($1, $2, $3)",
            )
            .bind(*command)
            .bind(*version)
            .bind(detail.as_str()),
        };
        query.execute(&mut *tx).await.map_err(db_error(WRITING))?;
    }
    tx.commit().await.map_err(db_error(WRITING))
}

async fn write_mysql(conn: &mut MySqlConnection, ops: &[Op]) -> Result<(), MigrateError> {
    if ops.is_empty() {
        return Ok(());
    }
    conn.ensure_migrations_table(MIGRATIONS_TABLE)
        .await
        .map_err(migrate_error(WRITING))?;
    // DDL commits on its own: before the transaction.
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS _autogen_audit (\
         id BIGINT AUTO_INCREMENT PRIMARY KEY, \
         performed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, \
         command VARCHAR(32) NOT NULL, version BIGINT NOT NULL, detail TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .map_err(db_error(WRITING))?;
    let mut tx = conn.begin().await.map_err(db_error(WRITING))?;
    for op in ops {
        question_mark_query(op)
            .execute(&mut *tx)
            .await
            .map_err(db_error(WRITING))?;
    }
    tx.commit().await.map_err(db_error(WRITING))
}

/// One bookkeeping write for the databases whose placeholders are `?` (MySQL, SQLite).
fn question_mark_query<'q, DB>(op: &'q Op) -> sqlx::query::Query<'q, DB, DB::Arguments>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q [u8]: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match op {
        Op::Insert {
            version,
            description,
            checksum,
        } => sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?, ?, TRUE, ?, 0)",
        )
        .bind(*version)
        .bind(description.as_str())
        .bind(checksum.as_slice()),
        Op::Delete { version } => {
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?").bind(*version)
        }
        Op::MarkApplied { version, checksum } => {
            sqlx::query("UPDATE _sqlx_migrations SET success = TRUE, checksum = ? WHERE version = ?")
                .bind(checksum.as_slice())
                .bind(*version)
        }
        Op::Audit {
            command,
            version,
            detail,
        } => sqlx::query("INSERT INTO _autogen_audit (command, version, detail) VALUES (?, ?, ?)")
            .bind(*command)
            .bind(*version)
            .bind(detail.as_str()),
    }
}

async fn write_sqlite(conn: &mut SqliteConnection, ops: &[Op]) -> Result<(), MigrateError> {
    if ops.is_empty() {
        return Ok(());
    }
    conn.ensure_migrations_table(MIGRATIONS_TABLE)
        .await
        .map_err(migrate_error(WRITING))?;
    let mut tx = conn.begin().await.map_err(db_error(WRITING))?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS _autogen_audit (\
         id INTEGER PRIMARY KEY, \
         performed_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, \
         command TEXT NOT NULL, version BIGINT NOT NULL, detail TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(db_error(WRITING))?;
    for op in ops {
        question_mark_query(op)
            .execute(&mut *tx)
            .await
            .map_err(db_error(WRITING))?;
    }
    tx.commit().await.map_err(db_error(WRITING))
}

/// The repairs recorded in `_autogen_audit`, oldest first; none when the table does not exist.
pub(crate) async fn audit(backend: &mut Backend) -> Result<Vec<AuditEntry>, MigrateError> {
    const READING: &str = "reading _autogen_audit";
    let rows: Vec<(String, String, i64, String)> = match backend {
        Backend::Postgres(conn) => {
            let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
                .bind(AUDIT_TABLE)
                .fetch_one(&mut *conn)
                .await
                .map_err(db_error(READING))?;
            if !exists {
                return Ok(Vec::new());
            }
            sqlx::query_as(
                "SELECT to_char(performed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), \
                 command, version, detail FROM _autogen_audit ORDER BY id",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error(READING))?
        }
        Backend::MySql(conn) => {
            let exists: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            )
            .bind(AUDIT_TABLE)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_error(READING))?;
            if exists == 0 {
                return Ok(Vec::new());
            }
            sqlx::query_as(
                "SELECT DATE_FORMAT(CONVERT_TZ(performed_on, @@session.time_zone, '+00:00'), '%Y-%m-%d %H:%i:%sZ'), \
                 command, version, detail FROM _autogen_audit ORDER BY id",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error(READING))?
        }
        Backend::Sqlite(conn) => {
            let exists: bool = sqlx::query_scalar(
                "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?",
            )
            .bind(AUDIT_TABLE)
            .fetch_one(&mut *conn)
            .await
            .map_err(db_error(READING))?;
            if !exists {
                return Ok(Vec::new());
            }
            sqlx::query_as(
                "SELECT strftime('%Y-%m-%d %H:%M:%SZ', performed_on), command, version, detail \
                 FROM _autogen_audit ORDER BY id",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error(READING))?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(performed_on, command, version, detail)| AuditEntry {
            performed_on,
            command,
            version,
            detail,
        })
        .collect())
}
