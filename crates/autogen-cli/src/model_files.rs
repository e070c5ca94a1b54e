//! Model files from the paths the user gives: files as they are, directories read recursively
//! for `.rs` files, in a stable order so the same tree always gives the same schema.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// One model file: the path as the user will recognise it in diagnostics, and its text.
#[derive(Debug, Clone)]
pub struct ModelFile {
    pub path: String,
    pub text: String,
}

pub fn read_model_files(paths: &[PathBuf]) -> anyhow::Result<Vec<ModelFile>> {
    if paths.is_empty() {
        bail!("no models given; pass --models PATH or set `models` in autogen.toml");
    }
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files).with_context(|| format!("--models {}", path.display()))?;
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read model file {}", path.display()))?;
            Ok(ModelFile {
                path: path.display().to_string(),
                text,
            })
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let metadata = std::fs::metadata(path).context("no such file or directory")?;
    if metadata.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path).context("cannot list the directory")? {
        let entry = entry.context("cannot list the directory")?;
        let child = entry.path();
        if child.is_dir() {
            collect(&child, out)?;
        } else if child.extension().is_some_and(|e| e == "rs") {
            out.push(child);
        }
    }
    Ok(())
}
