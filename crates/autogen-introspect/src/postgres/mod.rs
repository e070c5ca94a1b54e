//! PostgreSQL: the whole schema in a fixed number of catalog queries inside one
//! `REPEATABLE READ READ ONLY` transaction, so the picture is consistent and the cost does not
//! grow with the number of tables.

mod build;
mod connect;
mod normalise;
mod queries;

use autogen_schema::{Dialect, Schema};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, Connection, Executor, PgConnection};

pub use connect::connect_postgres;
pub use normalise::normalise_postgres;

use crate::{IntrospectError, IntrospectOptions, Introspection, MissingSchema};

/// Reads every table, enum and sequence of `options.schemas`.
pub async fn introspect_postgres(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut tx = conn
        // An empty search_path makes the server print every user object in an expression
        // schema-qualified, so the text does not depend on the role's search_path, and the
        // canonical DDL loads the same wherever it runs. Sent with BEGIN as one simple query.
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = ''")
        .await
        .map_err(query_error("a transaction"))?;
    let introspection = read_catalog(&mut tx, options).await?;
    tx.commit().await.map_err(query_error("a transaction"))?;
    Ok(Introspection {
        schema: introspection.schema,
        // BEGIN (with its SET LOCAL) and COMMIT.
        statements: introspection.statements + 2,
    })
}

/// The catalog queries on a connection that is already in a transaction with an empty
/// search_path: the introspection's own, and the normaliser's inside its rolled-back one.
pub(crate) async fn read_catalog(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut reader = CatalogReader {
        conn,
        schemas: options.schemas.clone(),
        statements: 1,
    };
    let version: i32 = sqlx::query_scalar(queries::SERVER_VERSION)
        .fetch_one(&mut *reader.conn)
        .await
        .map_err(query_error("the server version"))?;
    let nulls_not_distinct = if version >= 150_000 {
        "i.indnullsnotdistinct"
    } else {
        "NULL::bool"
    };

    let rows = reader.fetch("schemas", queries::SCHEMAS).await?;
    let row = rows.first().ok_or_else(|| IntrospectError::Catalog {
        object: "the schema list".to_owned(),
        reason: "no row".to_owned(),
    })?;
    let existing: Vec<String> = build::get(row, 1)?;
    if let Some(missing) = options.schemas.iter().find(|s| !existing.contains(s)) {
        match options.missing_schema {
            MissingSchema::Error => {
                return Err(IntrospectError::UnknownSchema {
                    name: missing.clone(),
                    database: build::get(row, 0)?,
                    available: build::get(row, 2)?,
                });
            }
            MissingSchema::Absent => {}
        }
    }

    let mut schema = Schema::new(Dialect::Postgres);
    for name in options.schemas.iter().filter(|s| existing.contains(s)) {
        schema.namespace_mut(name);
    }
    let rows = reader.fetch("tables", queries::TABLES).await?;
    build::tables(&mut schema, &rows).map_err(in_query("tables"))?;
    let rows = reader.fetch("columns", queries::COLUMNS).await?;
    build::columns(&mut schema, &rows).map_err(in_query("columns"))?;
    let constraints = queries::CONSTRAINTS.replace("{nulls_not_distinct}", nulls_not_distinct);
    let rows = reader.fetch("constraints", &constraints).await?;
    build::constraints(&mut schema, &rows).map_err(in_query("constraints"))?;
    let indexes = queries::INDEXES.replace("{nulls_not_distinct}", nulls_not_distinct);
    let rows = reader.fetch("indexes", &indexes).await?;
    build::indexes(&mut schema, &rows).map_err(in_query("indexes"))?;
    let rows = reader.fetch("enum types", queries::ENUMS).await?;
    build::enums(&mut schema, &rows).map_err(in_query("enum types"))?;
    let rows = reader.fetch("sequences", queries::SEQUENCES).await?;
    build::sequences(&mut schema, &rows).map_err(in_query("sequences"))?;

    Ok(Introspection {
        schema,
        statements: reader.statements,
    })
}

/// Every catalog query goes through [`CatalogReader::fetch`], which counts them: the count is
/// the evidence that introspection is set-based.
struct CatalogReader<'c> {
    conn: &'c mut PgConnection,
    schemas: Vec<String>,
    /// The server-version query is counted up front.
    statements: usize,
}

impl CatalogReader<'_> {
    async fn fetch(
        &mut self,
        what: &'static str,
        sql: &str,
    ) -> Result<Vec<PgRow>, IntrospectError> {
        self.statements += 1;
        let mut arguments = PgArguments::default();
        arguments
            .add(&self.schemas)
            .map_err(|e| IntrospectError::Query {
                what,
                reason: e.to_string(),
            })?;
        // The catalog queries are this crate's own constant text; only the schema list is
        // user input, and it travels as a bound parameter.
        let query = sqlx::query_with(sqlx::AssertSqlSafe(sql.to_owned()), arguments);
        self.conn.fetch_all(query).await.map_err(query_error(what))
    }
}

fn query_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |e| IntrospectError::Query {
        what,
        reason: e.to_string(),
    }
}

/// Names the catalog query a decoding problem came from.
fn in_query(what: &'static str) -> impl FnOnce(IntrospectError) -> IntrospectError {
    move |e| match e {
        IntrospectError::Catalog { object, reason } => IntrospectError::Catalog {
            object: format!("{object} ({what})"),
            reason,
        },
        other => other,
    }
}
