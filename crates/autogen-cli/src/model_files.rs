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
    let mut visited = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut visited)
            .with_context(|| format!("--models {}", path.display()))?;
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

/// `visited` holds the directories already read, as canonical paths: a symbolic link back to
/// a parent directory is read once, not until the stack runs out.
fn collect(path: &Path, out: &mut Vec<PathBuf>, visited: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let metadata = std::fs::metadata(path).context("no such file or directory")?;
    if metadata.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let canonical = std::fs::canonicalize(path).context("cannot resolve the directory")?;
    if visited.contains(&canonical) {
        return Ok(());
    }
    visited.push(canonical);
    for entry in std::fs::read_dir(path).context("cannot list the directory")? {
        let entry = entry.context("cannot list the directory")?;
        let child = entry.path();
        if child.is_dir() {
            collect(&child, out, visited)?;
        } else if child.extension().is_some_and(|e| e == "rs") {
            out.push(child);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::read_model_files;

    #[test]
    fn directories_are_read_recursively_in_order_and_a_link_loop_once() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/inner")).expect("dirs");
        std::fs::write(root.join("b/inner/z.rs"), "// z").expect("z");
        std::fs::write(root.join("a.rs"), "// a").expect("a");
        std::fs::write(root.join("b/notes.txt"), "not rust").expect("txt");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("b/inner/up")).expect("a link");
        let files = read_model_files(&[root.to_path_buf()]).expect("read");
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                let path = std::path::Path::new(&f.path);
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["a.rs", "b/inner/z.rs"]);
    }
}
