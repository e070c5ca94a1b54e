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
    let output = read_checked_models(settings, dialect)?;
    let schemas = compared_schemas(settings, &output.schema);
    let current = without_bookkeeping(inspect_url(url, &schemas, MissingSchema::Absent).await?);
    // The database is the normaliser: the models' defaults and expressions come back spelled
    // as the live database spells them, so a second run finds nothing to do.
    let options = IntrospectOptions {
        schemas,
        missing_schema: MissingSchema::Absent,
    };
    let desired = normalise_url(url, &output.schema, &options).await?.schema;
    let desired = with_unmanaged(desired, &current, &output);
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
    let options = ModelOptions {
        seaorm_keys: settings.seaorm_keys,
        ..ModelOptions::new(dialect)
    };
    // TEMPORARY (seaorm branch): a hidden switch to the SeaORM reader until `source = ".."`
    // and detection land; the lead replaces it with the real source selection.
    let output = if std::env::var_os("AUTOGEN_MODEL_SOURCE").is_some_and(|s| s == "seaorm") {
        autogen_model::read_seaorm(&sources, &options)
    } else {
        read_models(&sources, &options)
    };
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
    let mut options = DiffOptions::new();
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
/// The desired schema with the database's own definition of each column the models know of
/// but do not describe (SeaORM's `ignore`d fields): such a column is neither compared nor
/// dropped, and a table rebuild (SQLite) keeps it.
fn with_unmanaged(mut desired: Schema, current: &Schema, output: &ModelOutput) -> Schema {
    for (table, column) in &output.unmanaged_columns {
        let Some(live) = current
            .schemas
            .get(&table.schema)
            .and_then(|n| n.tables.get(&table.name))
            .and_then(|t| t.columns.iter().find(|c| c.name == *column))
        else {
            continue;
        };
        if let Some(t) = desired
            .schemas
            .get_mut(&table.schema)
            .and_then(|n| n.tables.get_mut(&table.name))
            && !t.columns.iter().any(|c| c.name == *column)
        {
            t.columns.push(live.clone());
        }
    }
    desired
}

pub fn without_bookkeeping(mut schema: Schema) -> Schema {
    for namespace in schema.schemas.values_mut() {
        namespace.tables.remove(autogen_migrate::MIGRATIONS_TABLE);
    }
    schema
}
