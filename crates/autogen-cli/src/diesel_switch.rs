//! TEMPORARY switch (until `source = "diesel"` per models path is wired in autogen.toml):
//! `AUTOGEN_UNSTABLE_DIESEL=1` reads the `--models` paths as a Diesel `schema.rs`, and
//! `AUTOGEN_UNSTABLE_OVERLAY=PATH` layers the native models of PATH over them
//! (`autogen_model::overlay`). The end-to-end tests of the Diesel reader use it.

use std::path::PathBuf;

use anyhow::bail;
use autogen_model::{
    ModelOptions, ModelOutput, SourceFile, overlay, read_diesel, read_models, render_diagnostic,
};
use autogen_schema::Dialect;

use crate::config::Settings;
use crate::model_files::{ModelFile, read_model_files};

/// `None` unless the switch is on.
pub fn diesel_models(settings: &Settings, dialect: Dialect) -> Option<anyhow::Result<ModelOutput>> {
    std::env::var_os("AUTOGEN_UNSTABLE_DIESEL")?;
    Some(read(settings, dialect))
}

fn read(settings: &Settings, dialect: Dialect) -> anyhow::Result<ModelOutput> {
    let options = ModelOptions::new(dialect);
    let mut files = read_model_files(&settings.models)?;
    let mut output = read_diesel(&sources(&files), &options);
    if let Some(path) = std::env::var_os("AUTOGEN_UNSTABLE_OVERLAY") {
        let extra_files = read_model_files(&[PathBuf::from(path)])?;
        let extra = read_models(&sources(&extra_files), &options);
        output = overlay(output, extra);
        files.extend(extra_files);
    }
    if output.diagnostics.is_empty() {
        return Ok(output);
    }
    for diagnostic in &output.diagnostics {
        let text = files
            .iter()
            .find(|f| f.path == diagnostic.file)
            .map_or("", |f| f.text.as_str());
        eprintln!("{}", render_diagnostic(diagnostic, text));
    }
    bail!(
        "{} error(s) in the Diesel schema files",
        output.diagnostics.len()
    )
}

fn sources(files: &[ModelFile]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|f| SourceFile::new(&f.path, &f.text))
        .collect()
}
