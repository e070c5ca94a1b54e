//! MySQL and MariaDB: the whole schema of the connection's database in a fixed number of
//! `information_schema` queries filtered by `TABLE_SCHEMA = DATABASE()`, so the cost does not
//! grow with the number of tables. The namespace in the IR is always `main`
//! ([`autogen_schema::Dialect::default_schema`]), whatever the database's name.

mod build;
mod connect;
mod guard;
mod normalise;
mod queries;
mod show_create;

use autogen_schema::{Dialect, Schema};
use sqlx::{Executor, MySqlConnection};

pub use connect::connect_mysql;
pub(crate) use guard::single_expression;
pub use normalise::normalise_mysql;
pub(crate) use normalise::stored_string;

use crate::{IntrospectError, IntrospectOptions, Introspection};

/// Which server answers: the two differ in how `information_schema` spells defaults and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    MariaDb,
    MySql,
}

/// Reads every table of the connection's current database. `options.schemas` does not apply:
/// a MySQL database is one namespace.
pub async fn introspect_mysql(
    conn: &mut MySqlConnection,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    introspect_flavored(conn, options).await.map(|(i, _)| i)
}

/// [`introspect_mysql`], and which server answered.
pub(crate) async fn introspect_flavored(
    conn: &mut MySqlConnection,
    options: &IntrospectOptions,
) -> Result<(Introspection, Flavor), IntrospectError> {
    let _ = options;
    let mut reader = CatalogReader {
        conn,
        statements: 0,
    };
    let rows = reader.fetch("the server version", queries::VERSION).await?;
    let version = rows
        .first()
        .map(|r| build::text(r, 0))
        .transpose()?
        .flatten()
        .unwrap_or_default();
    let database = rows
        .first()
        .map(|r| build::text(r, 1))
        .transpose()?
        .flatten()
        .ok_or_else(|| IntrospectError::Catalog {
            object: "the connection".to_owned(),
            reason: "no database selected; name one in the url (mysql://host/database)".to_owned(),
        })?;
    let flavor = if version.to_ascii_lowercase().contains("mariadb") {
        Flavor::MariaDb
    } else {
        Flavor::MySql
    };
    let mut schema = Schema::new(Dialect::MySql);
    let namespace = Dialect::MySql.default_schema();
    schema.namespace_mut(namespace);
    let tables = reader.fetch("tables", queries::TABLES).await?;
    let columns = reader.fetch("columns", queries::COLUMNS).await?;
    let checks = match flavor {
        Flavor::MariaDb => {
            reader
                .fetch("check constraints", queries::CHECKS_MARIADB)
                .await?
        }
        Flavor::MySql => {
            reader
                .fetch("check constraints", queries::CHECKS_MYSQL)
                .await?
        }
    };
    let indexes = reader.fetch("indexes", queries::INDEXES).await?;
    let foreign_keys = reader.fetch("foreign keys", queries::FOREIGN_KEYS).await?;
    let input = build::Input {
        flavor,
        database: &database,
        namespace,
        tables: &tables,
        columns: &columns,
        checks: &checks,
        indexes: &indexes,
        foreign_keys: &foreign_keys,
    };
    build::schema(&mut schema, &input)?;
    Ok((
        Introspection {
            schema,
            statements: reader.statements,
        },
        flavor,
    ))
}

/// Every catalog query goes through [`CatalogReader::fetch`], which counts them.
struct CatalogReader<'c> {
    conn: &'c mut MySqlConnection,
    statements: usize,
}

impl CatalogReader<'_> {
    async fn fetch(
        &mut self,
        what: &'static str,
        sql: &'static str,
    ) -> Result<Vec<build::Row>, IntrospectError> {
        self.statements += 1;
        // The text protocol: every value arrives as text, whatever its catalog type.
        let rows =
            self.conn
                .fetch_all(sqlx::raw_sql(sql))
                .await
                .map_err(|e| IntrospectError::Query {
                    what,
                    reason: e.to_string(),
                })?;
        rows.iter().map(build::text_row).collect()
    }
}
