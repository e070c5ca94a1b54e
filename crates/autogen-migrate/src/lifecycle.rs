//! Applying and reverting through sqlx's migrator, under its advisory lock.
//!
//! The lock is taken once for the whole run (the lock `sqlx migrate run` takes, so the two never
//! interleave), and the migrator, with its own locking off, is run one migration at a time under
//! it: each step is sqlx's `run_to` or `undo`, with the same transactions, the same
//! `_sqlx_migrations` rows and the same checks, and the caller learns of each migration as it
//! completes and of exactly which one failed.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use sqlx::PgConnection;
use sqlx::migrate::Migrate;
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};

use crate::database::Backend;
use crate::{
    Database, DowngradeTarget, History, MIGRATIONS_TABLE, MigrateError, MigrationFile,
    MigrationFolder, OutOfOrder, UpgradeTarget, plan_downgrade, plan_upgrade,
};

/// Applies the pending migrations up to `target`, oldest first, calling `applied` after each.
///
/// A relative target (`+N`) is fixed to a version first; then the migration lock is taken,
/// waiting while another migrator holds it (told through [`Database::on_lock_wait`]), and the
/// state is read again under it, so a run that waited for another finds what that one did and
/// does not repeat it. Nothing runs when the folder and the database disagree (see
/// [`History::check`]). A failing migration stops the run with
/// [`MigrateError::MigrationFailed`]; the ones before it stay applied.
pub async fn upgrade(
    db: &mut Database,
    folder: &MigrationFolder,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
    mut applied: impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    let target = target.fixed(&db.history(folder).await?);
    let Database { backend, waiting } = db;
    match backend {
        Backend::Postgres(conn) => {
            crate::lock::lock_postgres(conn, waiting.as_mut()).await?;
            let result = upgrade_locked(conn, folder, target, out_of_order, &mut applied).await;
            unlock(conn, result).await
        }
        // sqlx's lock() is a no-op on SQLite: a file lock instead, held until the end.
        Backend::Sqlite(conn) => {
            let _lock = crate::lock::lock_sqlite(conn, waiting.as_mut()).await?;
            let history = History::new(folder, &crate::database::applied_sqlite(conn).await?);
            let plan = plan_upgrade(folder, &history, target, out_of_order)?;
            let migrator = folder.migrator_without_lock();
            for migration in plan {
                migrator
                    .run_to(migration.version, &mut *conn)
                    .await
                    .map_err(|e| step_error(e, folder, migration, Direction::Up))?;
                applied(migration);
            }
            Ok(())
        }
        Backend::MySql(conn) => {
            crate::mysql::upgrade(
                conn,
                waiting.as_mut(),
                folder,
                target,
                out_of_order,
                &mut applied,
            )
            .await
        }
    }
}

/// Reverts applied migrations down to `target`, newest first, calling `reverted` after each.
/// Every migration to revert must have a down file; the check is made before anything runs.
/// Like [`upgrade`]: `-N` fixed to a version first, then the lock, then the state read again.
pub async fn downgrade(
    db: &mut Database,
    folder: &MigrationFolder,
    target: DowngradeTarget,
    mut reverted: impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    let target = target.fixed(&db.history(folder).await?);
    let Database { backend, waiting } = db;
    match backend {
        Backend::Postgres(conn) => {
            crate::lock::lock_postgres(conn, waiting.as_mut()).await?;
            let result = downgrade_locked(conn, folder, target, &mut reverted).await;
            unlock(conn, result).await
        }
        Backend::Sqlite(conn) => {
            let _lock = crate::lock::lock_sqlite(conn, waiting.as_mut()).await?;
            let history = History::new(folder, &crate::database::applied_sqlite(conn).await?);
            let plan = plan_downgrade(folder, &history, target)?;
            let migrator = folder.migrator_without_lock();
            for migration in plan {
                // As for PostgreSQL: reverts exactly this one.
                migrator
                    .undo(&mut *conn, migration.version.saturating_sub(1))
                    .await
                    .map_err(|e| step_error(e, folder, migration, Direction::Down))?;
                reverted(migration);
            }
            Ok(())
        }
        Backend::MySql(conn) => {
            crate::mysql::downgrade(conn, waiting.as_mut(), folder, target, &mut reverted).await
        }
    }
}

async fn upgrade_locked(
    conn: &mut PgConnection,
    folder: &MigrationFolder,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
    applied: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    // Read under the lock: no other migrator moves the database between plan and run.
    let history = History::new(folder, &crate::database::applied_postgres(conn).await?);
    let plan = plan_upgrade(folder, &history, target, out_of_order)?;
    let migrator = folder.migrator_without_lock();
    for migration in plan {
        migrator
            .run_to(migration.version, &mut *conn)
            .await
            .map_err(|e| step_error(e, folder, migration, Direction::Up))?;
        applied(migration);
    }
    Ok(())
}

async fn downgrade_locked(
    conn: &mut PgConnection,
    folder: &MigrationFolder,
    target: DowngradeTarget,
    reverted: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    let history = History::new(folder, &crate::database::applied_postgres(conn).await?);
    let plan = plan_downgrade(folder, &history, target)?;
    let migrator = folder.migrator_without_lock();
    for migration in plan {
        // sqlx's `undo(target)` reverts every applied migration above `target`; the ones above
        // this one are reverted already, so this reverts exactly this one.
        migrator
            .undo(&mut *conn, migration.version.saturating_sub(1))
            .await
            .map_err(|e| step_error(e, folder, migration, Direction::Down))?;
        reverted(migration);
    }
    Ok(())
}

/// Releases the lock whatever happened; the run's own error wins over an unlock error.
async fn unlock(
    conn: &mut PgConnection,
    result: Result<(), MigrateError>,
) -> Result<(), MigrateError> {
    let unlocked = conn.unlock().await;
    result?;
    unlocked.map_err(|e| MigrateError::Database {
        what: "releasing the migration lock",
        reason: migrate_reason(&e),
    })
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Direction {
    Up,
    Down,
}

/// sqlx's error for one step, in terms of the migration and its file.
fn step_error(
    error: sqlx::migrate::MigrateError,
    folder: &MigrationFolder,
    step: &MigrationFile,
    direction: Direction,
) -> MigrateError {
    use sqlx::migrate::MigrateError as Sqlx;
    let failed = |migration: &MigrationFile, e: &sqlx::Error| {
        let (file, sql, no_transaction) = match direction {
            Direction::Up => (
                &migration.up,
                Some(&migration.up_sql),
                migration.up_no_transaction,
            ),
            Direction::Down => (
                migration.down.as_ref().unwrap_or(&migration.up),
                migration.down_sql.as_ref(),
                migration.down_no_transaction,
            ),
        };
        MigrateError::MigrationFailed {
            version: migration.version,
            file: file.clone(),
            transactional: !no_transaction,
            reason: error_reason(e, sql.map(String::as_str)),
        }
    };
    match &error {
        Sqlx::ExecuteMigration(e, version) => failed(folder.get(*version).unwrap_or(step), e),
        // The statements ran but the commit (deferred constraints) or the bookkeeping did not.
        Sqlx::Execute(e) => failed(step, e),
        Sqlx::VersionMismatch(version) => MigrateError::ChecksumMismatch {
            version: *version,
            file: folder
                .get(*version)
                .map_or_else(|| step.up.clone(), |m| m.up.clone()),
        },
        // Another process changed the database without the lock between plan and step.
        Sqlx::VersionMissing(version) | Sqlx::Dirty(version) => MigrateError::Database {
            what: "running migrations",
            reason: format!(
                "{} changed under the lock (migration {version}): {error}",
                MIGRATIONS_TABLE
            ),
        },
        _ => MigrateError::Database {
            what: "running migrations",
            reason: error.to_string(),
        },
    }
}

fn migrate_reason(error: &sqlx::migrate::MigrateError) -> String {
    match error {
        sqlx::migrate::MigrateError::Execute(e) => error_reason(e, None),
        other => other.to_string(),
    }
}

/// The database's own words for a failed statement, with the line of `sql` it points at; for
/// anything else, sqlx's description. Statements never carry the connection URL.
pub(crate) fn error_reason(error: &sqlx::Error, sql: Option<&str>) -> String {
    let sqlx::Error::Database(db) = error else {
        return error.to_string();
    };
    let mut text = db.message().to_owned();
    let position = db
        .try_downcast_ref::<PgDatabaseError>()
        .and_then(PgDatabaseError::position);
    if let (Some(sql), Some(PgErrorPosition::Original(at))) = (sql, position) {
        text.push_str(&format!(" (line {})", line_of(sql, at)));
    }
    text
}

/// The 1-based line of the 1-based character position `at` in `sql`.
fn line_of(sql: &str, at: usize) -> usize {
    sql.chars()
        .take(at.saturating_sub(1))
        .filter(|c| *c == '\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn lines_of_positions() {
        let sql = "-- header\nCREATE TABLE t ();\nSELECT nope;\n";
        assert_eq!(line_of(sql, 1), 1);
        assert_eq!(line_of(sql, 11), 2);
        assert_eq!(line_of(sql, sql.find("nope").unwrap() + 1), 3);
        // Positions count characters, not bytes.
        assert_eq!(line_of("é\né\nx", 5), 3);
    }
}
