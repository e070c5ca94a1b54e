//! The models as the desired schema and the live database as the current one: the comparison
//! behind `diff` (without --from/--to), `check` and `revision`.

use std::collections::BTreeSet;

use anyhow::bail;
use autogen_diff::{DiffOptions, Plan};
use autogen_introspect::{
    IntrospectError, IntrospectOptions, MissingSchema, Slot, dialect_of_url, read_live,
    spell_models,
};
use autogen_model::{
    ExprKind, ExprSite, FileScan, Location, ModelOptions, ModelOutput, SeaOrmKeys, Source,
    SourceFile, overlay, read_models_scanned, read_source,
};
use autogen_schema::{Dialect, Schema};

use crate::config::{ModelPath, Settings};
use crate::model_files::read_model_sets;

/// Both sides and the plan between them.
#[derive(Debug)]
pub struct Comparison {
    pub current: Schema,
    pub desired: Schema,
    pub plan: Plan,
}

pub async fn models_against_database(settings: &Settings) -> anyhow::Result<Comparison> {
    let _spinner = crate::progress::Spinner::start("comparing the models with the database");
    let url = settings.database_url()?;
    let dialect = dialect_of_url(url)?;
    let dev_url = settings.dev_url.as_deref();
    // The model files are parsed on a thread of their own while the database is read: the
    // two costs overlap instead of adding up. A models error wins over a database error (it
    // is what the user is editing), and ends the run without waiting for the database.
    let (sender, mut receiver) = tokio::sync::oneshot::channel();
    let paths = settings.model_paths.clone();
    let seaorm_keys = settings.seaorm_keys;
    std::thread::spawn(move || {
        let _ = sender.send(read_checked_models(&paths, seaorm_keys, dialect));
    });
    let listed = IntrospectOptions {
        schemas: settings.schemas_at(url).await?,
        missing_schema: MissingSchema::Absent,
        // The models cannot declare the kinds autogen does not compare: not read.
        uncompared: false,
    };
    let reading = read_live(url, dev_url, &listed);
    tokio::pin!(reading);
    let (mut output, live) = tokio::select! {
        live = &mut reading => {
            let output = (&mut receiver).await.map_err(|_| anyhow::anyhow!("reading the models failed"))?;
            (output?, live)
        }
        output = &mut receiver => {
            let output = output.map_err(|_| anyhow::anyhow!("reading the models failed"))??;
            (output, reading.await)
        }
    };
    // `include_schemas` holds on the models' side too: their tables in other schemas are left
    // out, as the database's are.
    if let Some(filter) = &settings.include_schemas {
        let models = std::mem::replace(&mut output.schema, Schema::new(dialect));
        output.schema = filter.keep_models(&listed.schemas, models);
    }
    let options = IntrospectOptions {
        schemas: compared_schemas(settings, &output.schema),
        missing_schema: MissingSchema::Absent,
        uncompared: false,
    };
    let explained = |e: IntrospectError| explain(e, &output);
    let mut live = live.map_err(explained)?;
    // The schemas the models name that the settings did not list are read on the same
    // connection now.
    let more: Vec<String> = options
        .schemas
        .iter()
        .filter(|s| !listed.schemas.contains(s))
        .cloned()
        .collect();
    if !more.is_empty() {
        live.read_more(more, MissingSchema::Absent)
            .await
            .map_err(explained)?;
    }
    // Only what the cheap comparison cannot settle is spelled by the server (the dev
    // database when there is one), in a transaction that is rolled back. What the source
    // does not state is taken from the database before that: a partial definition (a MySQL
    // enum without its labels) may not load on its own.
    // The models' schema moves into the comparison (at 5,000 tables a copy is tens of MB);
    // `output` keeps what else the comparison needs (renames, sites, authority).
    let models = settings
        .exclude_tables
        .apply(std::mem::replace(&mut output.schema, Schema::new(dialect)));
    let options_for_scope = diff_options(&output);
    let scope = |current: &Schema, models: Schema| {
        autogen_diff::scoped_desired(current, models, &options_for_scope)
    };
    let compared = spell_models(live, url, dev_url, models, &options, scope)
        .await
        .map_err(|e| explain(e, &output))?;
    let (current, desired) = settings
        .exclude_tables
        .apply_to_both(without_bookkeeping(compared.current), compared.desired);
    // An expand (`-m --expand-contract`) in place is read as its contract will leave it.
    let current = crate::expansion::seen_contracted(settings, current).await;
    let desired = with_unmanaged(desired, &current, &output);
    let plan = autogen_diff::diff(&current, &desired, &diff_options(&output));
    let plan = autogen_diff::apply_backfills(plan, &output.backfills);
    Ok(Comparison {
        current,
        desired,
        plan,
    })
}

/// The models, or every diagnostic printed with its source line and an error. Each source's
/// paths are read together (references between their files resolve), then merged; a path
/// that yields nothing is an error before anything else happens (`read_model_sets`).
fn read_checked_models(
    paths: &[ModelPath],
    seaorm_keys: SeaOrmKeys,
    dialect: Dialect,
) -> anyhow::Result<ModelOutput> {
    let mut sets = read_model_sets(paths)?;
    let options = ModelOptions {
        seaorm_keys,
        ..ModelOptions::new(dialect)
    };
    let mut outputs = Vec::new();
    for (source, files) in &mut sets {
        // The census's scans: the native reader reads on from them instead of parsing again.
        let scans: Option<Vec<FileScan>> = files.iter_mut().map(|f| f.scan.take()).collect();
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|f| SourceFile::new(&f.path, &f.text))
            .collect();
        let output = match (*source, scans) {
            (Source::Autogen, Some(scans)) => read_models_scanned(&sources, scans, &options),
            (source, _) => read_source(source, &sources, &options),
        };
        outputs.push((*source, output));
    }
    let files: Vec<_> = sets.iter().flat_map(|(_, files)| files).collect();
    let output = combine(outputs).map_err(|e| anyhow::anyhow!(e))?;
    if output.diagnostics.is_empty() {
        return Ok(output);
    }
    for diagnostic in &output.diagnostics {
        let text = files
            .iter()
            .find(|f| f.path == diagnostic.file)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        // A blank line between reports, as rustc leaves.
        crate::output::error(&format!("{}\n", diagnostic.report(text)));
    }
    let count = output.diagnostics.len();
    bail!(
        "{count} error{} in the model files",
        if count == 1 { "" } else { "s" }
    )
}

/// A database error as the user reads it: the model attribute's place first when the server
/// refused one of its expressions.
fn explain(error: IntrospectError, output: &ModelOutput) -> anyhow::Error {
    if let Some(location) = model_location(&error, output) {
        anyhow::anyhow!("{location}: {error}")
    } else if error.is_self_explanatory() {
        anyhow::Error::new(error)
    } else {
        anyhow::Error::new(error).context("cannot compare the models with the database")
    }
}

/// Where in the model files the expression a server refused came from: the attribute's
/// file:line:col, so the error points at what to fix, not only at the server's words.
fn model_location(error: &IntrospectError, output: &ModelOutput) -> Option<Location> {
    let IntrospectError::Normalise {
        site: Some(site), ..
    } = error
    else {
        return None;
    };
    let (table, slot) = site.as_ref();
    let (kind, name) = match slot {
        Slot::Default(column) => (ExprKind::Default, column),
        Slot::Check(name) => (ExprKind::Check, name),
        Slot::IndexKey(index, _) => (ExprKind::IndexExpression, index),
        Slot::Predicate(index) => (ExprKind::IndexPredicate, index),
        Slot::Generated(column) => (ExprKind::Generated, column),
    };
    let site = ExprSite {
        table: table.clone(),
        kind,
        name: name.clone(),
    };
    output.expression_sites.get(&site).cloned()
}

/// The outputs of every source as one. Native models beside a Diesel `schema.rs` are its
/// overlay (they add what `schema.rs` cannot say: enum labels, defaults, indexes); otherwise
/// the sources describe different objects and are merged.
fn combine(outputs: Vec<(Source, ModelOutput)>) -> Result<ModelOutput, String> {
    let has_diesel = outputs.iter().any(|(s, _)| *s == Source::Diesel);
    let (native, others): (Vec<_>, Vec<_>) = outputs
        .into_iter()
        .partition(|(s, _)| *s == Source::Autogen);
    let native: Vec<ModelOutput> = native.into_iter().map(|(_, o)| o).collect();
    let others: Vec<ModelOutput> = others.into_iter().map(|(_, o)| o).collect();
    if has_diesel && !native.is_empty() {
        let base = ModelOutput::merge(others)?;
        let extra = ModelOutput::merge(native)?;
        return Ok(overlay(base, extra));
    }
    ModelOutput::merge(native.into_iter().chain(others).collect())
}

/// `--schema` / `schemas` from the settings, plus every schema the models name.
fn compared_schemas(settings: &Settings, models: &Schema) -> Vec<String> {
    let mut schemas: BTreeSet<String> = settings.schemas.iter().cloned().collect();
    schemas.extend(models.schemas.keys().cloned());
    schemas.into_iter().collect()
}

fn diff_options(output: &ModelOutput) -> DiffOptions {
    DiffOptions::new()
        .with_authority(output.authority.clone())
        .with_renames(output.renames.clone())
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
        namespace.tables.remove(autogen_migrate::AUDIT_TABLE);
        // Diesel's own record of applied migrations (its `print-schema` leaves it out too).
        namespace.tables.remove("__diesel_schema_migrations");
    }
    schema
}
