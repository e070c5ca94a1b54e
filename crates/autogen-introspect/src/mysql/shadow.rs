//! The database as the normaliser (DESIGN §6) on MySQL/MariaDB: DDL is not transactional there,
//! so the desired schema goes into a scratch database next to the target, is read back, and the
//! scratch database is dropped.

use std::time::{SystemTime, UNIX_EPOCH};

use autogen_schema::{Schema, canonical_ddl, ddl::mysql::quote_mysql_ident};
use sqlx::{Connection, Executor};

use super::{connect_mysql, introspect_mysql};
use crate::{IntrospectError, IntrospectOptions, Introspection};

/// Loads `schema` into a scratch database on the server `url` names, reads it back, and drops
/// the scratch database again (also when loading fails).
pub async fn normalise_mysql(
    url: &str,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut admin = connect_mysql(url).await?;
    let name = scratch_name();
    // Same character set and collation as the target, so column collations compare equal.
    let defaults: Option<(String, String)> =
        sqlx::query_as("SELECT @@character_set_database, @@collation_database")
            .fetch_optional(&mut admin)
            .await
            .ok()
            .flatten();
    let charset = defaults
        .filter(|(c, k)| {
            [c, k]
                .iter()
                .all(|n| n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
        })
        .map(|(c, k)| format!(" CHARACTER SET {c} COLLATE {k}"))
        .unwrap_or_default();
    let create = format!("CREATE DATABASE {}{charset}", quote_mysql_ident(&name));
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(create)))
        .await
        .map_err(|e| IntrospectError::Scratch {
            reason: format!(
                "cannot create the scratch database `{name}`: {}",
                db_message(&e)
            ),
        })?;
    let outcome = load_and_read(url, &name, schema, options).await;
    let drop = format!("DROP DATABASE IF EXISTS {}", quote_mysql_ident(&name));
    let dropped = admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(drop)))
        .await;
    let _ = admin.close().await;
    let introspection = outcome?;
    dropped.map_err(|e| IntrospectError::Scratch {
        reason: format!(
            "cannot drop the scratch database `{name}`: {}",
            db_message(&e)
        ),
    })?;
    Ok(introspection)
}

async fn load_and_read(
    url: &str,
    name: &str,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut conn = connect_mysql(url).await?;
    let use_scratch = format!("USE {}", quote_mysql_ident(name));
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(use_scratch)))
        .await
        .map_err(|e| IntrospectError::Scratch {
            reason: db_message(&e),
        })?;
    // One statement at a time: the error then names the statement that did not load.
    for statement in canonical_ddl(schema) {
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement.sql.clone())))
            .await
            .map_err(|e| IntrospectError::Scratch {
                reason: format!(
                    "the desired schema does not load on the server: {}\n{}",
                    db_message(&e),
                    statement.sql
                ),
            })?;
    }
    let introspection = introspect_mysql(&mut conn, options).await;
    let _ = conn.close().await;
    introspection
}

fn db_message(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

fn scratch_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "autogen_scratch_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}
