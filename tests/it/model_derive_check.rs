//! `fixtures/models/derive_check` is a user crate that uses every `#[autogen(..)]` key: it
//! compiles with the inert derives of the `autogen` crate, and the model reader reads the same
//! files without a diagnostic.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_model::{ModelOptions, SourceFile, read_models};
use autogen_schema::{Dialect, IdentityKind, QualifiedName};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> PathBuf {
    workspace().join("fixtures/models/derive_check")
}

#[test]
fn a_crate_using_every_key_compiles() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(fixture().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(workspace().join("target/derive_check"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the fixture crate does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sources() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = fs::read_dir(fixture().join("src"))
        .expect("the fixture's src")
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let text = fs::read_to_string(&path).expect("a readable file");
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            SourceFile::new(name.unwrap_or_default(), text)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[test]
fn the_reader_reads_the_same_crate_without_a_diagnostic() {
    let files = sources();
    let output = read_models(&files, &ModelOptions::new(Dialect::Postgres));
    let rendered: Vec<String> = output
        .diagnostics
        .iter()
        .map(|d| {
            let text = files.iter().find(|f| f.path == d.file);
            d.report(text.map_or("", |f| f.text.as_str()))
        })
        .collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));

    let schema = &output.schema;
    let tables: Vec<String> = schema.tables().map(|(name, _)| name.to_string()).collect();
    assert_eq!(
        tables,
        [
            "public.tasks",
            "public.users",
            "shop.measurement",
            "shop.price",
            "shop.products"
        ]
    );
    let users = schema.table(&QualifiedName::new("public", "users"));
    let id = users.and_then(|t| t.column("id"));
    assert_eq!(
        id.and_then(|c| c.identity.as_ref()).map(|i| i.kind),
        Some(IdentityKind::Always)
    );
    assert_eq!(output.renames.tables.len(), 1);
    assert_eq!(output.renames.columns.len(), 2);
    assert_eq!(output.renames.enum_values.len(), 1);
    assert_eq!(output.backfills.len(), 2);
}
