//! The database as the normaliser (DESIGN §6): a desired schema that did not come from a
//! database (model files) is loaded into a scratch database and read back, so its defaults,
//! checks and index expressions are spelled exactly as the live database spells them and no
//! phantom difference survives a second run.

use std::time::{SystemTime, UNIX_EPOCH};

use autogen_schema::{Schema, canonical_ddl, quote_ident};

/// Statements per transaction when loading the scratch database.
const LOAD_BATCH: usize = 50;
use sqlx::{Connection, Executor};

use super::{connect_postgres, introspect_postgres};
use crate::{IntrospectError, IntrospectOptions, Introspection};

/// Loads `schema` into a scratch database next to the one `url` names, reads it back with
/// `options`, and drops the scratch database again (also when loading fails).
pub async fn normalise_postgres(
    url: &str,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut admin = connect_postgres(url).await?;
    let name = scratch_name();
    let create = format!("CREATE DATABASE {}", quote_ident(&name));
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
    let drop = format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        quote_ident(&name)
    );
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
    let mut scratch_url = url::Url::parse(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: e.to_string(),
    })?;
    scratch_url.set_path(&format!("/{name}"));
    let mut conn = connect_postgres(scratch_url.as_str()).await?;
    // The DDL is autogen's own rendering of the schema; identifiers in it are quoted. It goes
    // in batches, each its own transaction: one transaction over a thousand tables would need
    // more locks than a default server has room for, and the scratch database needs no atomicity.
    for batch in canonical_ddl(schema).chunks(LOAD_BATCH) {
        let sql: String = batch.iter().map(|s| format!("{};\n", s.sql)).collect();
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)))
            .await
            .map_err(|e| IntrospectError::Scratch {
                reason: format!(
                    "the desired schema does not load on the server: {}",
                    db_message(&e)
                ),
            })?;
    }
    let introspection = introspect_postgres(&mut conn, options).await;
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
