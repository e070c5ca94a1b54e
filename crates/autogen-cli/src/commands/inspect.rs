use std::path::Path;

use anyhow::{Context, bail};

use crate::cli::{GlobalArgs, InspectFormat};
use crate::database::inspect_database;

pub async fn run(
    global: &GlobalArgs,
    format: InspectFormat,
    out: Option<&Path>,
    force: bool,
) -> anyhow::Result<u8> {
    if let (Some(out), InspectFormat::Sql | InspectFormat::Json) = (out, format) {
        bail!(
            "`--out {}` is for `--format rust` and `--format seaorm`, which write files; `--format sql` and `--format json` print to stdout",
            out.display()
        );
    }
    let schema = inspect_database(global).await?;
    let text = match format {
        InspectFormat::Json => format!("{}\n", serde_json::to_string_pretty(&schema)?),
        InspectFormat::Sql => autogen_schema::canonical_ddl_text(&schema),
        InspectFormat::Rust | InspectFormat::Seaorm => {
            let out =
                out.context("`--format rust` and `--format seaorm` write files: give `--out DIR`")?;
            return write_models(&schema, format, out, force);
        }
    };
    crate::output::answer(&text)?;
    Ok(0)
}

fn write_models(
    schema: &autogen_schema::Schema,
    format: InspectFormat,
    out: &Path,
    force: bool,
) -> anyhow::Result<u8> {
    // Models are never empty (`check` refuses an empty models folder): nothing to write.
    if schema.tables().next().is_none() {
        let schemas: Vec<&str> = schema.schemas.keys().map(String::as_str).collect();
        bail!(
            "no table in schema {} of the database: no models to write (pass --schema NAME for another schema)",
            schemas.join(", ")
        );
    }
    let (written, what) = match format {
        InspectFormat::Seaorm => {
            let keys = autogen_model::seaorm_keys_of(schema);
            let written = autogen_model::write_seaorm(schema, keys);
            match keys {
                autogen_model::SeaOrmKeys::Serial => crate::output::note(
                    "note: the keys are `serial` columns, as SeaORM 1.x makes them: the entities are written for `seaorm_keys = \"serial\"`; set it in autogen.toml\n",
                ),
                autogen_model::SeaOrmKeys::Identity => {}
            }
            (written, "entity files")
        }
        InspectFormat::Rust | InspectFormat::Sql | InspectFormat::Json => {
            (autogen_model::write_models(schema), "model files")
        }
    };
    let files: Vec<(&str, &str)> = written
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect();
    crate::write_files::write_atomically(out, &files, force)?;
    for line in &written.unsaid {
        crate::output::note(&format!("warning: not in the models: {line}\n"));
    }
    crate::output::note(&format!(
        "wrote {} {what} to {}{}\n",
        written.files.len(),
        out.display(),
        if written.unsaid.is_empty() {
            String::new()
        } else {
            format!(
                "; {} things the models cannot say are listed above and left out",
                written.unsaid.len()
            )
        }
    ));
    Ok(0)
}
