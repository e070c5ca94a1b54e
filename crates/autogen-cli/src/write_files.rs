//! Writing a set of generated files into a folder all or nothing: every file is written into a
//! temporary folder beside the target first, and only once all of them are there are they
//! moved into place (a rename each, on the same file system), so an error leaves no
//! half-written folder. Existing files are never overwritten unless `force` is given.

use std::path::Path;

use anyhow::{Context, bail};

/// Writes `files` (`/`-separated paths relative to `out`, with their texts) into `out`.
pub fn write_atomically(out: &Path, files: &[(&str, &str)], force: bool) -> anyhow::Result<()> {
    if out.exists() && !out.is_dir() {
        bail!(
            "cannot write model files into {}: it is a file, not a folder",
            out.display()
        );
    }
    if !force {
        let existing: Vec<String> = files
            .iter()
            .map(|(path, _)| out.join(path))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if let Some(first) = existing.first() {
            let more = match existing.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            bail!("{first} exists{more}; refusing to overwrite it without --force");
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::env::current_dir().context("cannot read the current directory")?,
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".autogen-inspect-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    for (path, text) in files {
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    if !out.exists() {
        // A new folder appears whole, in one rename.
        let staged = staging.keep();
        return std::fs::rename(&staged, out).with_context(|| {
            let _ = std::fs::remove_dir_all(&staged);
            format!("cannot move the model files into {}", out.display())
        });
    }
    for (path, _) in files {
        let target = out.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::rename(staging.path().join(path), &target)
            .with_context(|| format!("cannot move {} into place", target.display()))?;
    }
    Ok(())
}
