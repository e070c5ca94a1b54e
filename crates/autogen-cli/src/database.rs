use autogen_introspect::{
    IntrospectError, MissingSchema, PostgresOptions, connect_postgres, introspect_postgres,
};
use autogen_schema::Schema;

use crate::cli::GlobalArgs;
use crate::config::Settings;

/// Reads the schema of the database the settings name (flags, environment, `.env`, autogen.toml).
pub async fn inspect_database(global: &GlobalArgs) -> anyhow::Result<Schema> {
    let settings = Settings::load(global)?;
    inspect_url(
        settings.database_url()?,
        &settings.schemas,
        MissingSchema::Error,
    )
    .await
}

/// Reads `schemas` (default `public`) of the database at `url`.
pub async fn inspect_url(
    url: &str,
    schemas: &[String],
    missing_schema: MissingSchema,
) -> anyhow::Result<Schema> {
    let mut options = PostgresOptions {
        missing_schema,
        ..PostgresOptions::default()
    };
    if !schemas.is_empty() {
        options.schemas = schemas.to_vec();
    }
    let mut conn = connect_postgres(url).await?;
    match introspect_postgres(&mut conn, &options).await {
        Ok(introspection) => Ok(introspection.schema),
        // Says all there is to say: which schema, which database, which ones it has.
        Err(e @ IntrospectError::UnknownSchema { .. }) => Err(e.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot read the database schema")),
    }
}
