//! Model files from the paths the user gives: files as they are, directories read recursively
//! for `.rs` files, in a stable order so the same tree always gives the same schema. Each path
//! is read with one source (given, or detected from what its files hold); a path that yields
//! nothing to read, or mixes sources, is an error: never an empty desired schema.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use autogen_model::census::{Census, Detected, Kind};
use autogen_model::{FileScan, Source, SourceFile, scan_file};

use crate::config::ModelPath;

/// One model file: the path as the user will recognise it in diagnostics, its text, and its
/// scan once the census has parsed it (the native reader reads on from it, so a file is
/// parsed once for both).
#[derive(Debug)]
pub struct ModelFile {
    pub path: String,
    pub text: String,
    pub scan: Option<FileScan>,
}

/// The files of every models path, grouped by the source that reads them (in `Source` order,
/// each file once).
pub fn read_model_sets(paths: &[ModelPath]) -> anyhow::Result<Vec<(Source, Vec<ModelFile>)>> {
    if paths.is_empty() {
        bail!("no models given; pass --models PATH or set `models` in autogen.toml");
    }
    let mut sets: BTreeMap<Source, Vec<ModelFile>> = BTreeMap::new();
    for model_path in paths {
        let files = read_model_files(std::slice::from_ref(&model_path.path)).map_err(|e| {
            anyhow!(
                "{} ({}): {e:#}",
                model_path.path.display(),
                from(model_path)
            )
        })?;
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|f| SourceFile::new(&f.path, &f.text))
            .collect();
        let scans: Vec<FileScan> = sources.iter().map(scan_file).collect();
        let census = Census::of_scans(&sources, &scans);
        drop(sources);
        let source = choose_source(model_path, &census)?;
        let files = files.into_iter().zip(scans).map(|(file, scan)| ModelFile {
            scan: Some(scan),
            ..file
        });
        let set = sets.entry(source).or_default();
        for file in files {
            if !set.iter().any(|f| f.path == file.path) {
                set.push(file);
            }
        }
    }
    Ok(sets.into_iter().collect())
}

/// `the path from --models`, `the path from `models` in F, source `x` from --source`.
fn from(model_path: &ModelPath) -> String {
    let mut out = format!("the path from {}", model_path.origin);
    if let Some((source, origin)) = &model_path.source {
        out.push_str(&format!(", source `{source}` from {origin}"));
    }
    out
}

/// The source a path is read with, or the error that says what the path holds instead.
fn choose_source(model_path: &ModelPath, census: &Census) -> anyhow::Result<Source> {
    let path = model_path.path.display();
    if let Detected::Mixed(sources) = census.detect() {
        let kinds: Vec<String> = sources
            .iter()
            .map(|source| {
                let (files, total) = census.files_of(*source, 3);
                let more = if total > files.len() {
                    format!(" and {} more", total - files.len())
                } else {
                    String::new()
                };
                format!(
                    "{} in {}{more}",
                    described(census, *source),
                    files.join(", ")
                )
            })
            .collect();
        bail!(
            "{path} ({}) mixes model sources: {}; give each source a path of its own in autogen.toml: `models = [{{ path = \"..\", source = \"{}\" }}, ..]`",
            from(model_path),
            kinds.join("; "),
            sources.first().map_or("autogen", |s| s.name()),
        );
    }
    let chosen = match (&model_path.source, census.detect()) {
        (Some((source, _)), _) => *source,
        (None, Detected::One(source)) => source,
        // A file that is not Rust may be the model: the reader reports it with its place.
        (None, Detected::Nothing | Detected::Mixed(_)) if !census.unparsed.is_empty() => {
            return Ok(Source::Autogen);
        }
        (None, Detected::Nothing | Detected::Mixed(_)) => {
            bail!("{}", nothing_to_read(model_path, census, None))
        }
    };
    if !census.has(chosen) && census.unparsed.is_empty() {
        bail!("{}", nothing_to_read(model_path, census, Some(chosen)));
    }
    Ok(chosen)
}

/// `3 autogen models, 1 autogen enum` for the kinds of `source`.
fn described(census: &Census, source: Source) -> String {
    census
        .found
        .iter()
        .filter(|(kind, items)| kind.source() == Some(source) && !items.is_empty())
        .map(|(kind, items)| kind.count(items.len()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn nothing_to_read(model_path: &ModelPath, census: &Census, wanted: Option<Source>) -> String {
    let what = match wanted {
        Some(Source::Autogen) => "no autogen model",
        Some(Source::SeaOrm) => "no SeaORM entity",
        Some(Source::Diesel) => "no Diesel table",
        None => "no model",
    };
    let files = match census.files {
        1 => "1 .rs file".to_owned(),
        n => format!("{n} .rs files"),
    };
    let mut message = format!(
        "{what} in {} ({}): read {files}",
        model_path.path.display(),
        from(model_path)
    );
    if census.files > 0 {
        message.push_str(&format!(" and found {}", census.summary()));
    }
    if !census.unparsed.is_empty() {
        message.push_str(&format!(
            " ({} not readable as Rust: {})",
            census.unparsed.len(),
            census
                .unparsed
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(other) = census.sources().into_iter().next() {
        message.push_str(&format!(
            "; these are {}: set `source = \"{other}\"` or pass `--source {other}`",
            described(census, other)
        ));
    } else if census.count(Kind::SqlxFromRow) > 0 {
        message.push_str(
            "; a sqlx FromRow struct does not say which column is a key or what type it has: \
             add `#[derive(autogen::Model)]` to each (its `#[sqlx(..)]` attributes are honoured)",
        );
    } else {
        message.push_str(
            "; a model is a struct with `#[derive(autogen::Model)]`, a SeaORM entity or a Diesel `table!`",
        );
    }
    message
}

pub fn read_model_files(paths: &[PathBuf]) -> anyhow::Result<Vec<ModelFile>> {
    if paths.is_empty() {
        bail!("no models given; pass --models PATH or set `models` in autogen.toml");
    }
    let mut files = Vec::new();
    let mut visited = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut visited)?;
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
                scan: None,
            })
        })
        .collect()
}

/// `visited` holds the directories already read, as canonical paths: a symbolic link back to
/// a parent directory is read once, not until the stack runs out.
fn collect(path: &Path, out: &mut Vec<PathBuf>, visited: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!("no such file or directory"),
        _ => anyhow!("cannot read it: {e}"),
    })?;
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
    use super::{read_model_files, read_model_sets};
    use crate::config::{ModelPath, Origin};
    use autogen_model::Source;
    use std::path::{Path, PathBuf};

    const SEAORM: &str = "#[derive(Clone, Debug, DeriveEntityModel)]\n#[sea_orm(table_name = \"cake\")]\npub struct Model { #[sea_orm(primary_key)] pub id: i32 }\n";
    const NATIVE: &str =
        "#[derive(autogen::Model)]\nstruct T { #[autogen(primary_key)] id: i64 }\n";
    const FROM_ROW: &str = "#[derive(sqlx::FromRow)]\nstruct Row { id: i64 }\n";

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        dir
    }

    fn flag_path(path: &Path, source: Option<Source>) -> ModelPath {
        ModelPath {
            path: path.to_path_buf(),
            origin: Origin::Flag("--models"),
            source: source.map(|s| (s, Origin::Flag("--source"))),
        }
    }

    fn error(paths: &[ModelPath]) -> String {
        format!("{:#}", read_model_sets(paths).unwrap_err())
    }

    #[test]
    fn a_path_without_models_names_itself_and_what_it_holds() {
        let empty = folder(&[]);
        let message = error(&[flag_path(empty.path(), None)]);
        assert_eq!(
            message,
            format!(
                "no model in {} (the path from --models): read 0 .rs files; a model is a struct with `#[derive(autogen::Model)]`, a SeaORM entity or a Diesel `table!`",
                empty.path().display()
            )
        );
        let seaorm = folder(&[("cake.rs", SEAORM), ("fruit.rs", SEAORM)]);
        let message = error(&[flag_path(seaorm.path(), Some(Source::Autogen))]);
        assert_eq!(
            message,
            format!(
                "no autogen model in {} (the path from --models, source `autogen` from --source): read 2 .rs files and found 2 SeaORM entities; these are 2 SeaORM entities: set `source = \"seaorm\"` or pass `--source seaorm`",
                seaorm.path().display()
            )
        );
        let rows = folder(&[("rows.rs", FROM_ROW)]);
        let message = error(&[flag_path(rows.path(), None)]);
        assert!(message.contains("read 1 .rs file and found 1 sqlx FromRow struct; a sqlx FromRow struct does not say"), "{message}");
        let config = ModelPath {
            origin: Origin::ConfigFile {
                key: "models",
                file: PathBuf::from("proj/autogen.toml"),
            },
            ..flag_path(rows.path(), None)
        };
        assert!(error(&[config]).contains("(the path from `models` in proj/autogen.toml)"));
    }

    #[test]
    fn a_missing_path_names_itself_and_its_origin() {
        let message = error(&[flag_path(Path::new("/no/such/models"), None)]);
        assert_eq!(
            message,
            "/no/such/models (the path from --models): no such file or directory"
        );
    }

    #[test]
    fn a_path_mixing_sources_says_which_files_are_which() {
        let mixed = folder(&[("a.rs", NATIVE), ("cake.rs", SEAORM)]);
        let message = error(&[flag_path(mixed.path(), None)]);
        let dir = mixed.path().display();
        assert_eq!(
            message,
            format!(
                "{dir} (the path from --models) mixes model sources: 1 autogen model in {dir}/a.rs; 1 SeaORM entity in {dir}/cake.rs; give each source a path of its own in autogen.toml: `models = [{{ path = \"..\", source = \"autogen\" }}, ..]`"
            )
        );
    }

    #[test]
    fn each_path_is_read_with_its_source() {
        let native = folder(&[("a.rs", NATIVE), ("rows.rs", FROM_ROW)]);
        let seaorm = folder(&[("cake.rs", SEAORM)]);
        let sets = read_model_sets(&[
            flag_path(native.path(), None),
            flag_path(seaorm.path(), None),
        ])
        .expect("read");
        let sources: Vec<(Source, usize)> =
            sets.iter().map(|(s, files)| (*s, files.len())).collect();
        assert_eq!(sources, [(Source::Autogen, 2), (Source::SeaOrm, 1)]);
    }

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
