use autogen_introspect::{IntrospectOptions, MissingSchema, introspect_url};
use autogen_schema::Schema;

use crate::cli::GlobalArgs;
use crate::config::Settings;

/// Reads the schema of the database the settings name (flags, environment, `.env`, autogen.toml).
pub async fn inspect_database(global: &GlobalArgs) -> anyhow::Result<Schema> {
    let settings = Settings::load(global)?;
    let _spinner = crate::progress::Spinner::start("reading the database");
    let url = settings.database_url()?;
    let schema = inspect_url(url, &settings.schemas_at(url).await?, MissingSchema::Error).await?;
    Ok(settings.exclude_tables.apply(schema))
}

/// Reads `schemas` (default `public`) of the database at `url`.
pub async fn inspect_url(
    url: &str,
    schemas: &[String],
    missing_schema: MissingSchema,
) -> anyhow::Result<Schema> {
    // `inspect` and `diff --from/--to` show the objects autogen does not compare yet.
    let mut options = IntrospectOptions {
        missing_schema,
        uncompared: true,
        ..IntrospectOptions::default()
    };
    if !schemas.is_empty() {
        options.schemas = schemas.to_vec();
    }
    match introspect_url(url, &options).await {
        Ok(introspection) => Ok(introspection.schema),
        Err(e) if e.is_self_explanatory() => Err(e.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot read the database schema")),
    }
}
