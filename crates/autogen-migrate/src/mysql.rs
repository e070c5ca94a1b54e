//! MySQL and MariaDB: migrations run statement by statement.
//!
//! MySQL commits every DDL statement on its own, so the transaction sqlx's migrator wraps a
//! migration in holds nothing together: a migration that fails halfway leaves its first
//! statements applied, and sqlx cannot say which. Here each migration's file is split into its
//! statements and they run one by one, so a failure names the statement that failed and the
//! last one that succeeded. The bookkeeping is sqlx's own (`_sqlx_migrations`, the same row
//! written first with `success = FALSE` and set `TRUE` at the end, the same checksums and lock),
//! so `sqlx migrate run` and `autogen upgrade` keep working on the same database.

use std::time::Instant;

use sqlx::migrate::Migrate;
use sqlx::{Connection, Executor, MySqlConnection};

use crate::lifecycle::{Direction, error_reason};
use crate::lock::{Waiting, lock_mysql, unlock_mysql};
use crate::split::split_statements;
use crate::{
    AppliedMigration, DowngradeTarget, History, MIGRATIONS_TABLE, MigrateError, MigrationFile,
    MigrationFolder, OutOfOrder, UpgradeTarget, plan_downgrade, plan_upgrade,
};

pub(crate) async fn applied(
    conn: &mut MySqlConnection,
) -> Result<Vec<AppliedMigration>, MigrateError> {
    let failed = |e: sqlx::Error| MigrateError::Database {
        what: "reading _sqlx_migrations",
        reason: error_reason(&e, None),
    };
    let exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_one(&mut *conn)
    .await
    .map_err(failed)?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, bool, Vec<u8>)> = sqlx::query_as(
        "SELECT version, description, \
         DATE_FORMAT(CONVERT_TZ(installed_on, @@session.time_zone, '+00:00'), '%Y-%m-%d %H:%i:%sZ'), \
         success, checksum \
         FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(failed)?;
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

pub(crate) async fn upgrade(
    conn: &mut MySqlConnection,
    waiting: Waiting<'_>,
    folder: &MigrationFolder,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
    applied_one: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    lock_mysql(conn, waiting).await?;
    let result = upgrade_locked(conn, folder, target, out_of_order, applied_one).await;
    unlock(conn, result).await
}

pub(crate) async fn downgrade(
    conn: &mut MySqlConnection,
    waiting: Waiting<'_>,
    folder: &MigrationFolder,
    target: DowngradeTarget,
    reverted: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    lock_mysql(conn, waiting).await?;
    let result = downgrade_locked(conn, folder, target, reverted).await;
    unlock(conn, result).await
}

async fn upgrade_locked(
    conn: &mut MySqlConnection,
    folder: &MigrationFolder,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
    applied_one: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    let history = History::new(folder, &applied(conn).await?);
    let plan = plan_upgrade(folder, &history, target, out_of_order)?;
    if plan.is_empty() {
        return Ok(());
    }
    conn.ensure_migrations_table(MIGRATIONS_TABLE)
        .await
        .map_err(|e| MigrateError::Database {
            what: "creating _sqlx_migrations",
            reason: e.to_string(),
        })?;
    for migration in plan {
        let start = Instant::now();
        bookkeeping(
            conn,
            sqlx::query(
                "INSERT INTO _sqlx_migrations \
                 (version, description, success, checksum, execution_time) \
                 VALUES (?, ?, FALSE, ?, -1)",
            )
            .bind(migration.version)
            .bind(&migration.description)
            .bind(&migration.checksum),
        )
        .await?;
        if let Err(e) = run_statements(conn, migration, &migration.up_sql, Direction::Up).await {
            // Nothing ran: the row written first goes, so no failure is recorded for a
            // migration that changed nothing (fix the file and run it again).
            if ran_nothing(&e) {
                bookkeeping(
                    conn,
                    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?")
                        .bind(migration.version),
                )
                .await?;
            }
            return Err(e);
        }
        #[expect(
            clippy::cast_possible_truncation,
            reason = "nanoseconds of a migration"
        )]
        let elapsed = start.elapsed().as_nanos() as i64;
        bookkeeping(
            conn,
            sqlx::query(
                "UPDATE _sqlx_migrations SET success = TRUE, execution_time = ? WHERE version = ?",
            )
            .bind(elapsed)
            .bind(migration.version),
        )
        .await?;
        applied_one(migration);
    }
    Ok(())
}

async fn downgrade_locked(
    conn: &mut MySqlConnection,
    folder: &MigrationFolder,
    target: DowngradeTarget,
    reverted: &mut impl FnMut(&MigrationFile),
) -> Result<(), MigrateError> {
    let history = History::new(folder, &applied(conn).await?);
    let plan = plan_downgrade(folder, &history, target)?;
    for migration in plan {
        let sql = migration.down_sql.clone().unwrap_or_default();
        bookkeeping(
            conn,
            sqlx::query("UPDATE _sqlx_migrations SET success = FALSE WHERE version = ?")
                .bind(migration.version),
        )
        .await?;
        if let Err(e) = run_statements(conn, migration, &sql, Direction::Down).await {
            // Nothing of the down file ran: the migration is still applied, as it was.
            if ran_nothing(&e) {
                bookkeeping(
                    conn,
                    sqlx::query("UPDATE _sqlx_migrations SET success = TRUE WHERE version = ?")
                        .bind(migration.version),
                )
                .await?;
            }
            return Err(e);
        }
        bookkeeping(
            conn,
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?").bind(migration.version),
        )
        .await?;
        reverted(migration);
    }
    Ok(())
}

async fn bookkeeping(
    conn: &mut MySqlConnection,
    query: sqlx::query::Query<'_, sqlx::MySql, sqlx::mysql::MySqlArguments>,
) -> Result<(), MigrateError> {
    conn.execute(query)
        .await
        .map(drop)
        .map_err(|e| MigrateError::Database {
            what: "writing _sqlx_migrations",
            reason: error_reason(&e, None),
        })
}

/// Runs the file's statements one by one; a failure says which ran.
async fn run_statements(
    conn: &mut MySqlConnection,
    migration: &MigrationFile,
    sql: &str,
    direction: Direction,
) -> Result<(), MigrateError> {
    let statements = split_statements(sql);
    for (i, statement) in statements.iter().enumerate() {
        // The migration file is the user's own SQL, run as sqlx's migrator would run it.
        let outcome = conn
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement.clone())))
            .await;
        if let Err(e) = outcome {
            let file = match direction {
                Direction::Up => migration.up.clone(),
                Direction::Down => migration.down.clone().unwrap_or(migration.up.clone()),
            };
            return Err(MigrateError::StatementFailed {
                version: migration.version,
                file,
                failed: i + 1,
                total: statements.len(),
                last_succeeded: i.checked_sub(1).map(|j| first_line(&statements[j])),
                reason: error_reason(&e, None),
            });
        }
    }
    Ok(())
}

/// Whether a migration failed at its first statement, so that nothing of it ran.
fn ran_nothing(error: &MigrateError) -> bool {
    matches!(error, MigrateError::StatementFailed { failed: 1, .. })
}

fn first_line(statement: &str) -> String {
    let line = statement.lines().next().unwrap_or_default().trim();
    if statement.lines().nth(1).is_some() {
        format!("{line} ..")
    } else {
        line.to_owned()
    }
}

/// Releases the lock whatever happened; the run's own error wins over an unlock error.
async fn unlock(
    conn: &mut MySqlConnection,
    result: Result<(), MigrateError>,
) -> Result<(), MigrateError> {
    let unlocked = unlock_mysql(conn).await;
    result?;
    unlocked
}

pub(crate) async fn close(conn: MySqlConnection) {
    let _ = conn.close().await;
}
