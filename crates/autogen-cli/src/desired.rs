//! The models as the desired schema and the live database as the current one: the comparison
//! behind `diff` (without --from/--to), `check` and `revision`.

use std::collections::BTreeSet;

use anyhow::bail;
use autogen_diff::{Backfill, DiffOptions, Plan};
use autogen_introspect::{IntrospectOptions, MissingSchema, dialect_of_url, normalise_url};
use autogen_model::{ModelOptions, ModelOutput, SourceFile, read_models, render_diagnostic};
use autogen_schema::{Dialect, Schema};

use crate::config::Settings;
use crate::database::inspect_url;
use crate::model_files::read_model_files;

/// Both sides and the plan between them.
#[derive(Debug)]
pub struct Comparison {
    pub current: Schema,
    pub desired: Schema,
    pub plan: Plan,
}

pub async fn models_against_database(settings: &Settings) -> anyhow::Result<Comparison> {
    let url = settings.database_url()?;
    let dialect = dialect_of_url(url)?;
    let output = match crate::diesel_switch::diesel_models(settings, dialect) {
        Some(diesel) => diesel?,
        None => read_checked_models(settings, dialect)?,
    };
    let schemas = compared_schemas(settings, &output.schema);
    let current = without_bookkeeping(inspect_url(url, &schemas, MissingSchema::Absent).await?);
    // The database is the normaliser: the models' defaults and expressions come back spelled
    // as the live database spells them, so a second run finds nothing to do.
    let options = IntrospectOptions {
        schemas,
        missing_schema: MissingSchema::Absent,
    };
    // What the source does not state is taken from the database before normalising too: a
    // partial definition (a MySQL enum without its labels) may not load on its own.
    let stated = autogen_diff::scoped_desired(&current, &output.schema, &diff_options(&output));
    let desired = normalise_url(url, &stated, &options).await?.schema;
    let plan = autogen_diff::diff(&current, &desired, &diff_options(&output));
    let plan = autogen_diff::apply_backfills(plan, &backfills(&output));
    Ok(Comparison {
        current,
        desired,
        plan,
    })
}

/// The models, or every diagnostic printed with its source line and an error.
fn read_checked_models(settings: &Settings, dialect: Dialect) -> anyhow::Result<ModelOutput> {
    let files = read_model_files(&settings.models)?;
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|f| SourceFile::new(&f.path, &f.text))
        .collect();
    let output = read_models(&sources, &ModelOptions::new(dialect));
    if output.diagnostics.is_empty() {
        return Ok(output);
    }
    for diagnostic in &output.diagnostics {
        let text = files
            .iter()
            .find(|f| f.path == diagnostic.file)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        eprintln!("{}", render_diagnostic(diagnostic, text));
    }
    let count = output.diagnostics.len();
    bail!(
        "{count} error{} in the model files",
        if count == 1 { "" } else { "s" }
    )
}

/// `--schema` / `schemas` from the settings, plus every schema the models name.
fn compared_schemas(settings: &Settings, models: &Schema) -> Vec<String> {
    let mut schemas: BTreeSet<String> = settings.schemas.iter().cloned().collect();
    schemas.extend(models.schemas.keys().cloned());
    schemas.into_iter().collect()
}

fn backfills(output: &ModelOutput) -> Vec<Backfill> {
    output
        .backfills
        .iter()
        .map(|((table, column), backfill)| Backfill {
            table: table.clone(),
            column: column.clone(),
            sql: backfill.sql().to_owned(),
        })
        .collect()
}

fn diff_options(output: &ModelOutput) -> DiffOptions {
    let mut options = DiffOptions::new().with_authority(output.authority.clone());
    for rename in &output.renames.tables {
        options = options.rename_table(rename.from.clone(), rename.to.clone());
    }
    for rename in &output.renames.columns {
        options =
            options.rename_column(rename.table.clone(), rename.from.clone(), rename.to.clone());
    }
    for rename in &output.renames.enum_values {
        options =
            options.rename_enum_value(rename.name.clone(), rename.from.clone(), rename.to.clone());
    }
    options
}

/// The table in which sqlx (and autogen through it) records applied migrations belongs to the
/// migration tool, not to the schema the models describe.
pub fn without_bookkeeping(mut schema: Schema) -> Schema {
    for namespace in schema.schemas.values_mut() {
        namespace.tables.remove(autogen_migrate::MIGRATIONS_TABLE);
        // Diesel's own record of applied migrations (its `print-schema` leaves it out too).
        namespace.tables.remove("__diesel_schema_migrations");
    }
    schema
}
