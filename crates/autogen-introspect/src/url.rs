//! One entry point per job, whatever the database: the URL's scheme picks the dialect.

use autogen_schema::{Dialect, Schema, UrlError};

use crate::mysql::{connect_mysql, introspect_mysql, normalise_mysql};
use crate::postgres::{connect_postgres, introspect_postgres, normalise_postgres};
use crate::sqlite::{connect_sqlite, introspect_sqlite, normalise_sqlite};
use crate::{IntrospectError, IntrospectOptions, Introspection};

/// The dialect a database URL speaks: `postgres://`/`postgresql://`, `mysql://`/`mariadb://`,
/// `sqlite:` ([`autogen_schema::url::dialect_of_url`], the one reading of a scheme).
pub fn dialect_of_url(url: &str) -> Result<Dialect, IntrospectError> {
    autogen_schema::dialect_of_url(url).map_err(|e| match e {
        UrlError::UnsupportedScheme { scheme } => IntrospectError::UnsupportedScheme { scheme },
        UrlError::NoScheme => IntrospectError::InvalidUrl {
            reason: "no scheme".to_owned(),
        },
    })
}

/// Reads the database at `url`.
pub async fn introspect_url(
    url: &str,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    match dialect_of_url(url)? {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let introspection = introspect_postgres(&mut conn, options).await;
            let _ = sqlx::Connection::close(conn).await;
            introspection
        }
        Dialect::Sqlite => {
            let mut conn = connect_sqlite(url).await?;
            let introspection = introspect_sqlite(&mut conn, options).await;
            let _ = sqlx::Connection::close(conn).await;
            introspection
        }
        Dialect::MySql => {
            let mut conn = connect_mysql(url).await?;
            let introspection = introspect_mysql(&mut conn, options).await;
            let _ = sqlx::Connection::close(conn).await;
            introspection
        }
    }
}

/// `schema` as the database at `url` spells it, whole: PostgreSQL in a transaction that is
/// rolled back, SQLite in memory, MySQL as its normaliser does. The comparison with models
/// sends only what the cheap comparison cannot settle ([`crate::compare_models`]).
pub async fn normalise_url(
    url: &str,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    match dialect_of_url(url)? {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let normalised = normalise_postgres(&mut conn, schema).await;
            let _ = sqlx::Connection::close(conn).await;
            normalised
        }
        // In memory: nothing next to the user's file, nothing left behind.
        Dialect::Sqlite => normalise_sqlite(schema, options).await,
        Dialect::MySql => normalise_mysql(url, schema, options).await,
    }
}

/// The names of the database's own schemas (PostgreSQL: every schema but `pg_*` and
/// `information_schema`, sorted), for `include_schemas` patterns; MySQL and SQLite have one
/// namespace, named as the IR names it.
pub async fn schema_names(url: &str) -> Result<Vec<String>, IntrospectError> {
    match dialect_of_url(url)? {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let names = sqlx::query_scalar::<_, String>(
                r"SELECT n.nspname::text FROM pg_namespace n
                  WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
                  ORDER BY 1",
            )
            .fetch_all(&mut conn)
            .await
            .map_err(|e| IntrospectError::Query {
                what: "schema names",
                reason: e.to_string(),
            });
            let _ = sqlx::Connection::close(conn).await;
            names
        }
        dialect @ (Dialect::MySql | Dialect::Sqlite) => {
            Ok(vec![dialect.default_schema().to_owned()])
        }
    }
}
