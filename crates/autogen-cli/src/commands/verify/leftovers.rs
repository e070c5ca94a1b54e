//! What `verify` leaves on a dev database: nothing. The replay creates tables, types, schemas
//! and the migration table on it; a second `verify` (or the normaliser, which uses the same
//! database) needs it as it was. The objects there before the replay are read first; after it,
//! whatever came since is dropped, whether the replay passed, failed or stopped on an error.

use std::collections::BTreeSet;

use anyhow::Context;
use autogen_introspect::{connect_mysql, connect_postgres, connect_sqlite, dialect_of_url};
use autogen_schema::ddl::mysql::quote_mysql_ident;
use autogen_schema::{Dialect, quote_ident};
use sqlx::{Connection, Executor};

/// PostgreSQL: every object that can be dropped on its own, as `kind oid`. Schemas named
/// `pg_*` are the server's (a session's temporary schemas come and stay).
const PG_OBJECTS: &str = "SELECT 'e ' || oid FROM pg_extension
    UNION ALL SELECT 'n ' || oid FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'
    UNION ALL SELECT 'c ' || oid FROM pg_class WHERE relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL SELECT 's ' || oid FROM pg_class WHERE relkind = 'S'
    UNION ALL SELECT 't ' || t.oid FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
        WHERE t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c')
    UNION ALL SELECT 'p ' || oid FROM pg_proc";

/// The statement that drops a PostgreSQL object of [`PG_OBJECTS`] by its `kind oid`, built by
/// the server (names as it quotes them), in an order where a drop that comes later is never
/// needed by an earlier one: extensions and schemas take what is theirs along (`CASCADE`), the
/// rest may be gone by then (`IF EXISTS`). Sequences come after tables: an identity column's
/// cannot be dropped on its own, and goes with its table.
const PG_DROP: &str = "SELECT CASE split_part(o, ' ', 1)
    WHEN 'e' THEN (SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', extname)
                   FROM pg_extension WHERE oid = split_part(o, ' ', 2)::oid)
    WHEN 'n' THEN (SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', nspname)
                   FROM pg_namespace WHERE oid = split_part(o, ' ', 2)::oid)
    WHEN 'c' THEN (SELECT format('DROP %s IF EXISTS %s CASCADE',
                       CASE relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                           WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                       oid::regclass)
                   FROM pg_class WHERE oid = split_part(o, ' ', 2)::oid)
    WHEN 's' THEN format('DROP SEQUENCE IF EXISTS %s CASCADE', split_part(o, ' ', 2)::oid::regclass)
    WHEN 't' THEN format('DROP TYPE IF EXISTS %s CASCADE', split_part(o, ' ', 2)::oid::regtype)
    ELSE (SELECT format('DROP %s IF EXISTS %s CASCADE',
              CASE prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, oid::regprocedure)
          FROM pg_proc WHERE oid = split_part(o, ' ', 2)::oid)
    END
    FROM unnest($1::text[]) WITH ORDINALITY x(o, n)
    ORDER BY position(split_part(o, ' ', 1) IN 'encstp'), n";

/// MySQL/MariaDB: the connection's database's tables, views, routines and events.
const MYSQL_OBJECTS: &str =
    "SELECT CONCAT(IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE'), ' ', TABLE_NAME)
        FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
    UNION ALL SELECT CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME)
        FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
    UNION ALL SELECT CONCAT('EVENT ', EVENT_NAME)
        FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()";

/// SQLite: the file's tables, views and triggers (indexes go with their tables).
const SQLITE_OBJECTS: &str = "SELECT upper(type) || ' ' || name FROM sqlite_master \
    WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

/// The objects of a database before the replay.
pub(super) struct Baseline {
    url: String,
    dialect: Dialect,
    objects: BTreeSet<String>,
}

impl Baseline {
    pub(super) async fn read(url: &str) -> anyhow::Result<Baseline> {
        let dialect = dialect_of_url(url)?;
        Ok(Baseline {
            url: url.to_owned(),
            dialect,
            objects: objects(url, dialect).await?,
        })
    }

    /// Drops every object that was not there when the baseline was read.
    pub(super) async fn restore(self) -> anyhow::Result<()> {
        let now = objects(&self.url, self.dialect).await?;
        let new: Vec<String> = now.difference(&self.objects).cloned().collect();
        if new.is_empty() {
            return Ok(());
        }
        drop_objects(&self.url, self.dialect, &new)
            .await
            .context("cannot drop what the replay created on the dev database")
    }
}

async fn objects(url: &str, dialect: Dialect) -> anyhow::Result<BTreeSet<String>> {
    let rows: Vec<String> = match dialect {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let rows = sqlx::query_scalar(PG_OBJECTS).fetch_all(&mut conn).await;
            let _ = conn.close().await;
            rows?
        }
        Dialect::MySql => {
            let mut conn = connect_mysql(url).await?;
            let rows = sqlx::query_scalar(MYSQL_OBJECTS).fetch_all(&mut conn).await;
            let _ = conn.close().await;
            rows?
        }
        Dialect::Sqlite => {
            let mut conn = connect_sqlite(url).await?;
            let rows = sqlx::query_scalar(SQLITE_OBJECTS)
                .fetch_all(&mut conn)
                .await;
            let _ = conn.close().await;
            rows?
        }
    };
    Ok(rows.into_iter().collect())
}

/// Drops `objects` (as [`objects`] names them), each statement on its own so that one that
/// fails does not keep the others; the first error is returned.
async fn drop_objects(url: &str, dialect: Dialect, objects: &[String]) -> anyhow::Result<()> {
    let mut first_error = None;
    let mut note = |result: Result<(), sqlx::Error>| {
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    };
    match dialect {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let statements: Vec<Option<String>> = sqlx::query_scalar(PG_DROP)
                .bind(objects)
                .fetch_all(&mut conn)
                .await?;
            for statement in statements.into_iter().flatten() {
                note(
                    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
                        .await
                        .map(drop),
                );
            }
            let _ = conn.close().await;
        }
        Dialect::MySql => {
            let mut conn = connect_mysql(url).await?;
            // Tables in any order: a foreign key between two of them does not stop either.
            note(
                conn.execute("SET SESSION FOREIGN_KEY_CHECKS = 0")
                    .await
                    .map(drop),
            );
            for object in objects {
                let Some((kind, name)) = object.split_once(' ') else {
                    continue;
                };
                let statement = format!("DROP {kind} IF EXISTS {}", quote_mysql_ident(name));
                note(
                    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
                        .await
                        .map(drop),
                );
            }
            let _ = conn.close().await;
        }
        Dialect::Sqlite => {
            let mut conn = connect_sqlite(url).await?;
            note(conn.execute("PRAGMA foreign_keys = OFF").await.map(drop));
            for object in objects {
                let Some((kind, name)) = object.split_once(' ') else {
                    continue;
                };
                let statement = format!("DROP {kind} IF EXISTS {}", quote_ident(name));
                note(
                    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(statement)))
                        .await
                        .map(drop),
                );
            }
            let _ = conn.close().await;
        }
    }
    match first_error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
