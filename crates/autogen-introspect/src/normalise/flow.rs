//! Models against a live database in one connection: introspect, compare cheaply, send only
//! what is left open to a server (the database itself, or the dev database), merge.

use autogen_schema::{Dialect, QualifiedName, Schema};

use super::mysql::reconcile_mysql;
use super::reconcile;
use crate::mysql::{Flavor, connect_mysql, introspect_flavored, normalise_mysql};
use crate::postgres::{connect_postgres, introspect_postgres, normalise_postgres};
use crate::sqlite::{connect_sqlite, introspect_sqlite, normalise_sqlite};
use crate::{IntrospectError, IntrospectOptions, Introspection, MissingSchema, dialect_of_url};
use sqlx::PgConnection;

/// Both sides of a models-vs-database comparison, and what it cost.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The live database.
    pub current: Schema,
    /// The models, every expression spelled as the database spells it.
    pub desired: Schema,
    /// Statements the introspection of the database took.
    pub introspection_statements: usize,
    /// Statements sent to a server to spell what the cheap comparison left open; 0 when it
    /// settled everything.
    pub normalisation_statements: usize,
    /// The tables that went to the server.
    pub pending_tables: Vec<QualifiedName>,
}

/// The live side of a comparison, read before the models are needed: the CLI reads the model
/// files on another thread meanwhile, so the two costs overlap instead of adding up.
#[derive(Debug)]
pub struct Live {
    current: Introspection,
    kind: LiveKind,
}

/// What a dialect keeps between reading the database and spelling the models.
#[derive(Debug)]
enum LiveKind {
    /// The introspection's connection, for the normaliser.
    Postgres(PgConnection),
    Sqlite,
    /// Which server: MariaDB and MySQL 8 report some facts differently.
    MySql(Flavor),
}

impl Live {
    /// Reads `schemas` too (PostgreSQL; the other dialects have one namespace), on the same
    /// connection: for the schemas the models name that the first read did not cover.
    pub async fn read_more(
        &mut self,
        schemas: Vec<String>,
        missing_schema: MissingSchema,
    ) -> Result<(), IntrospectError> {
        match &mut self.kind {
            LiveKind::Postgres(conn) => {
                let options = IntrospectOptions {
                    schemas,
                    missing_schema,
                    uncompared: false,
                };
                let more = introspect_postgres(conn, &options).await?;
                self.current.schema.schemas.extend(more.schema.schemas);
                self.current.statements += more.statements;
                Ok(())
            }
            LiveKind::Sqlite | LiveKind::MySql(_) => Ok(()),
        }
    }
}

/// Connects to `url` and reads it (checking first that `dev_url`, when given, is of the same
/// kind).
pub async fn read_live(
    url: &str,
    dev_url: Option<&str>,
    options: &IntrospectOptions,
) -> Result<Live, IntrospectError> {
    let dialect = dialect_of_url(url)?;
    if let Some(dev) = dev_url {
        let dev_dialect = dialect_of_url(dev)?;
        if dev_dialect != dialect {
            return Err(IntrospectError::DevDialect {
                dev: dev_dialect,
                database: dialect,
            });
        }
    }
    match dialect {
        Dialect::Postgres => {
            let mut conn = connect_postgres(url).await?;
            let current = introspect_postgres(&mut conn, options).await?;
            Ok(Live {
                current,
                kind: LiveKind::Postgres(conn),
            })
        }
        Dialect::Sqlite => {
            let mut conn = connect_sqlite(url).await?;
            let current = introspect_sqlite(&mut conn, options).await;
            let _ = sqlx::Connection::close(conn).await;
            Ok(Live {
                current: current?,
                kind: LiveKind::Sqlite,
            })
        }
        Dialect::MySql => {
            let mut conn = connect_mysql(url).await?;
            let read = introspect_flavored(&mut conn, options).await;
            let _ = sqlx::Connection::close(conn).await;
            let (current, flavor) = read?;
            Ok(Live {
                current,
                kind: LiveKind::MySql(flavor),
            })
        }
    }
}

/// Reads the database at `url`, and spells `models` as it does ([`read_live`], then
/// [`spell_models`]).
pub async fn compare_models(
    url: &str,
    dev_url: Option<&str>,
    models: Schema,
    options: &IntrospectOptions,
    scope: impl FnOnce(&Schema, Schema) -> Schema,
) -> Result<Compared, IntrospectError> {
    let live = read_live(url, dev_url, options).await?;
    spell_models(live, url, dev_url, models, options, scope).await
}

/// Spells `models` as the database read into `live` does. PostgreSQL: cheaply where the live
/// text is equivalent, the rest on the server (`dev_url` when given, else `url`, on the
/// introspection's connection) inside a transaction that is rolled back. SQLite: the models
/// read back from memory, then the cheap pass. MySQL: the cheap pass with MySQL's own facts
/// derived, then only the tables it left open through the MySQL normaliser (on `dev_url` when
/// given). `scope(current, models)` gives the models
/// as they are compared (what their source does not state taken from the database).
pub async fn spell_models(
    live: Live,
    url: &str,
    dev_url: Option<&str>,
    models: Schema,
    options: &IntrospectOptions,
    scope: impl FnOnce(&Schema, Schema) -> Schema,
) -> Result<Compared, IntrospectError> {
    let Live { current, kind } = live;
    // Taken by value: the models' schema becomes the desired one in place, never copied
    // (at 5,000 tables a copy is tens of MB).
    let models = scope(&current.schema, models);
    match kind {
        LiveKind::Postgres(mut conn) => {
            let reconciled = reconcile(models, &current.schema);
            let pending_tables: Vec<QualifiedName> = reconciled.pending_tables().cloned().collect();
            let (desired, statements) = if reconciled.is_settled() {
                (reconciled.schema, 0)
            } else {
                let subset = reconciled.pending_schema();
                let normalised = match dev_url {
                    Some(dev) => {
                        let mut dev_conn = connect_postgres(dev).await?;
                        let normalised = normalise_postgres(&mut dev_conn, &subset).await;
                        let _ = sqlx::Connection::close(dev_conn).await;
                        normalised?
                    }
                    None => normalise_postgres(&mut conn, &subset).await?,
                };
                (reconciled.merge(&normalised.schema), normalised.statements)
            };
            let _ = sqlx::Connection::close(conn).await;
            Ok(Compared {
                current: current.schema,
                desired,
                introspection_statements: current.statements,
                normalisation_statements: statements,
                pending_tables,
            })
        }
        LiveKind::Sqlite => {
            // SQLite's own facts (declared types, rowid aliases, constraint names) come from
            // reading the schema back: the whole model goes into an in-memory database, which
            // costs the user's database nothing; the cheap pass then gives every expression
            // that is equivalent to the live one the live spelling.
            let normalised = normalise_sqlite(&models, options).await?;
            drop(models);
            let reconciled = reconcile(normalised.schema, &current.schema);
            Ok(Compared {
                current: current.schema,
                desired: reconciled.schema,
                introspection_statements: current.statements,
                normalisation_statements: 0,
                pending_tables: Vec::new(),
            })
        }
        LiveKind::MySql(flavor) => {
            // The cheap pass first, MySQL's own facts derived by rule
            // (`normalise/mysql.rs`); only the tables it leaves open go to the MySQL
            // normaliser (on `dev_url` when given), which refuses model text that is not one
            // expression, table by table, and their server spelling replaces them.
            let reconciled = reconcile_mysql(models, &current.schema, flavor);
            let pending_tables: Vec<QualifiedName> = reconciled.pending_tables().cloned().collect();
            let (desired, statements) = if reconciled.is_settled() {
                (reconciled.schema, 0)
            } else {
                let subset = reconciled.pending_schema();
                let normalised = normalise_mysql(dev_url.unwrap_or(url), &subset, options).await?;
                drop(subset);
                (
                    reconciled.merge(normalised.schema, &current.schema),
                    normalised.statements,
                )
            };
            Ok(Compared {
                current: current.schema,
                desired,
                introspection_statements: current.statements,
                normalisation_statements: statements,
                pending_tables,
            })
        }
    }
}
