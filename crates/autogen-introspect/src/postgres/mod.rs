//! PostgreSQL: the whole schema in a fixed number of catalog queries inside one
//! `REPEATABLE READ READ ONLY` transaction, so the picture is consistent and the cost does not
//! grow with the number of tables.

mod build;
mod connect;
mod fixed_point;
mod normalise;
mod objects;
mod queries;

use std::future::poll_fn;

use autogen_schema::{Dialect, Schema};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, Connection, Executor, PgConnection};

pub use connect::connect_postgres;
pub use fixed_point::array_casts_distributed;
pub use normalise::normalise_postgres;

use crate::{IntrospectError, IntrospectOptions, Introspection, MissingSchema};

/// Reads every table, enum and sequence of `options.schemas`.
pub async fn introspect_postgres(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut schema = Schema::new(Dialect::Postgres);
    // Each row goes into the IR as it arrives: the rows of a big catalog (75,000 column rows
    // at 5,000 tables) are never all in memory at once.
    let statements = read_postgres_catalog(conn, options, |query, row| {
        build_row(&mut schema, options, query, &row)
    })
    .await?;
    Ok(Introspection { schema, statements })
}

/// The catalog queries, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogQuery {
    Schemas,
    Tables,
    Columns,
    Constraints,
    Indexes,
    Enums,
    Sequences,
    /// Views, functions, triggers, policies, domains, composite types, extensions.
    Objects,
    /// Objects of kinds autogen does not compare yet: listed, never diffed.
    Uncompared,
}

impl CatalogQuery {
    const ALL: [CatalogQuery; 9] = [
        CatalogQuery::Schemas,
        CatalogQuery::Tables,
        CatalogQuery::Columns,
        CatalogQuery::Constraints,
        CatalogQuery::Indexes,
        CatalogQuery::Enums,
        CatalogQuery::Sequences,
        CatalogQuery::Objects,
        CatalogQuery::Uncompared,
    ];

    /// What the query reads, for error messages.
    fn what(self) -> &'static str {
        match self {
            CatalogQuery::Schemas => "schemas",
            CatalogQuery::Tables => "tables",
            CatalogQuery::Columns => "columns",
            CatalogQuery::Constraints => "constraints",
            CatalogQuery::Indexes => "indexes",
            CatalogQuery::Enums => "enum types",
            CatalogQuery::Sequences => "sequences",
            CatalogQuery::Objects => "views, functions, triggers, policies, domains and types",
            CatalogQuery::Uncompared => "aggregates, rules and other objects",
        }
    }

    fn sql(self, nulls_not_distinct: &str) -> String {
        match self {
            CatalogQuery::Schemas => queries::SCHEMAS.to_owned(),
            CatalogQuery::Tables => queries::TABLES.to_owned(),
            CatalogQuery::Columns => queries::COLUMNS.to_owned(),
            CatalogQuery::Constraints => {
                queries::CONSTRAINTS.replace("{nulls_not_distinct}", nulls_not_distinct)
            }
            CatalogQuery::Indexes => {
                queries::INDEXES.replace("{nulls_not_distinct}", nulls_not_distinct)
            }
            CatalogQuery::Enums => queries::ENUMS.to_owned(),
            CatalogQuery::Sequences => queries::SEQUENCES.to_owned(),
            CatalogQuery::Objects => objects::OBJECTS.to_owned(),
            CatalogQuery::Uncompared => queries::UNCOMPARED.to_owned(),
        }
    }
}

/// Runs the catalog queries for `options.schemas` in one `REPEATABLE READ READ ONLY`
/// transaction and hands every row to `sink` as it arrives; gives the number of statements
/// sent (`BEGIN` and `COMMIT` included), which does not depend on the schema's size.
/// Introspection is this with a sink that builds the IR; `just bench` runs it with a sink that
/// drops the rows, as the floor no introspector can go below. An error from `sink` stops the
/// reading and rolls the transaction back.
pub async fn read_postgres_catalog(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
    sink: impl FnMut(CatalogQuery, PgRow) -> Result<(), IntrospectError>,
) -> Result<usize, IntrospectError> {
    let mut tx = conn
        // An empty search_path makes the server print every user object in an expression
        // schema-qualified, so the text does not depend on the role's search_path, and the
        // canonical DDL loads the same wherever it runs. JIT off: the objects query's
        // dependency subqueries are costed high enough to be compiled, which took four
        // seconds for a query that runs in thirty milliseconds. Sent with BEGIN as one simple
        // query.
        .begin_with(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = ''; \
             SET LOCAL jit = off",
        )
        .await
        .map_err(query_error("a transaction"))?;
    let statements = stream_catalog(&mut tx, options, sink).await?;
    tx.commit().await.map_err(query_error("a transaction"))?;
    // BEGIN (with its SET LOCAL) and COMMIT.
    Ok(statements + 2)
}

/// The catalog queries on a connection that is already in a transaction with an empty
/// search_path, built into the IR: the normaliser's read-back inside its rolled-back one.
pub(crate) async fn read_catalog(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
) -> Result<Introspection, IntrospectError> {
    let mut schema = Schema::new(Dialect::Postgres);
    let statements = stream_catalog(conn, options, |query, row| {
        build_row(&mut schema, options, query, &row)
    })
    .await?;
    Ok(Introspection { schema, statements })
}

/// The server-version query and the catalog queries, every row handed to `sink` as it
/// arrives; gives the number of statements sent.
async fn stream_catalog(
    conn: &mut PgConnection,
    options: &IntrospectOptions,
    mut sink: impl FnMut(CatalogQuery, PgRow) -> Result<(), IntrospectError>,
) -> Result<usize, IntrospectError> {
    // The server-version query.
    let mut statements = 1;
    let version: i32 = sqlx::query_scalar(queries::SERVER_VERSION)
        .fetch_one(&mut *conn)
        .await
        .map_err(query_error("the server version"))?;
    let nulls_not_distinct = if version >= 150_000 {
        "i.indnullsnotdistinct"
    } else {
        "NULL::bool"
    };
    for query in CatalogQuery::ALL {
        if query == CatalogQuery::Uncompared && !options.uncompared {
            continue;
        }
        statements += 1;
        let what = query.what();
        let mut arguments = PgArguments::default();
        arguments
            .add(&options.schemas)
            .map_err(|e| IntrospectError::Query {
                what,
                reason: e.to_string(),
            })?;
        // The catalog queries are this crate's own constant text; only the schema list is
        // user input, and it travels as a bound parameter.
        let sql = sqlx::AssertSqlSafe(query.sql(nulls_not_distinct));
        let mut rows = (&mut *conn).fetch(sqlx::query_with(sql, arguments));
        let mut seen = 0;
        while let Some(row) = poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
            seen += 1;
            sink(query, row.map_err(query_error(what))?).map_err(in_query(what))?;
        }
        if query == CatalogQuery::Schemas && seen != 1 {
            return Err(IntrospectError::Catalog {
                object: "the schema list".to_owned(),
                reason: format!("{seen} rows, expected one"),
            });
        }
    }
    Ok(statements)
}

/// One catalog row into the IR.
fn build_row(
    schema: &mut Schema,
    options: &IntrospectOptions,
    query: CatalogQuery,
    row: &PgRow,
) -> Result<(), IntrospectError> {
    match query {
        CatalogQuery::Schemas => build_namespaces(schema, options, row),
        CatalogQuery::Tables => build::table(schema, row),
        CatalogQuery::Columns => build::column(schema, row),
        CatalogQuery::Constraints => build::constraint(schema, row),
        CatalogQuery::Indexes => build::index(schema, row),
        CatalogQuery::Enums => build::enum_type(schema, row),
        CatalogQuery::Sequences => build::sequence(schema, row),
        CatalogQuery::Objects => objects::object(schema, row),
        CatalogQuery::Uncompared => build::uncompared(schema, row),
    }
}

/// The requested schemas that exist; a missing one is an error or simply absent.
fn build_namespaces(
    schema: &mut Schema,
    options: &IntrospectOptions,
    row: &PgRow,
) -> Result<(), IntrospectError> {
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
    for name in options.schemas.iter().filter(|s| existing.contains(s)) {
        schema.namespace_mut(name);
    }
    Ok(())
}

fn query_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |e| IntrospectError::Query {
        what,
        reason: e.to_string(),
    }
}

/// Names the catalog query a decoding problem came from.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the errors named are reworded; the others pass through"
)]
fn in_query(what: &'static str) -> impl FnOnce(IntrospectError) -> IntrospectError {
    move |e| match e {
        IntrospectError::Catalog { object, reason } => IntrospectError::Catalog {
            object: format!("{object} ({what})"),
            reason,
        },
        other => other,
    }
}
