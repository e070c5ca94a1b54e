//! The documents that are generated or must list a closed set stay true: `docs/cli.md` is the
//! help of every command as clap prints it (regenerate with `AUTOGEN_UPDATE_DOCS=1`), and
//! `docs/hazards.md` has a section for every hazard kind.

use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_diff::HazardKind;

use crate::support::help::subcommands;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

fn help(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .env_remove("DATABASE_URL")
        // The help is laid out for a terminal of this width whatever runs the test.
        .env("COLUMNS", "100")
        .output()
        .expect("autogen runs");
    assert!(
        output.status.success(),
        "autogen {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn cli_reference() -> String {
    let top = help(&["--help"]);
    let mut out = String::from(
        "# CLI reference\n\n\
         Generated from the clap definition of the `autogen` binary by `tests/it/docs.rs`, which\n\
         fails when this file and `autogen help` disagree; regenerate it with\n\
         `AUTOGEN_UPDATE_DOCS=1 cargo nextest run -p autogen-cli -E 'test(/^docs::/)'`.\n\n\
         Exit codes everywhere: 0 ok, 1 differences or refused changes, 2 error.\n\n\
         ## autogen\n\n```text\n",
    );
    out.push_str(&top);
    out.push_str("```\n");
    for command in subcommands(&top) {
        out.push_str(&format!("\n## autogen {command}\n\n```text\n"));
        out.push_str(&help(&[command.as_str(), "--help"]));
        out.push_str("```\n");
    }
    out
}

#[test]
fn the_cli_reference_is_the_help_of_every_command() {
    let path = docs().join("cli.md");
    let generated = cli_reference();
    if std::env::var_os("AUTOGEN_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("docs/cli.md written");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    if written != generated {
        let diff = similar::TextDiff::from_lines(&written, &generated)
            .unified_diff()
            .header("docs/cli.md", "autogen help")
            .to_string();
        panic!(
            "docs/cli.md is not the help the binary prints; regenerate it with AUTOGEN_UPDATE_DOCS=1\n{diff}"
        );
    }
}

/// Every kind, by an exhaustive match: a new kind fails to compile here until it is listed.
fn every_hazard_kind() -> Vec<HazardKind> {
    let all = [
        HazardKind::DataLoss,
        HazardKind::MayFailOnExistingRows,
        HazardKind::LocksTable,
        HazardKind::Irreversible,
    ];
    for kind in all {
        match kind {
            HazardKind::DataLoss
            | HazardKind::MayFailOnExistingRows
            | HazardKind::LocksTable
            | HazardKind::Irreversible => {}
        }
    }
    all.to_vec()
}

#[test]
fn the_hazards_catalogue_has_a_section_for_every_kind() {
    let catalogue = std::fs::read_to_string(docs().join("hazards.md")).expect("docs/hazards.md");
    for kind in every_hazard_kind() {
        // The name the JSON report gives the kind.
        let name = serde_json::to_string(&kind).unwrap();
        let heading = format!("## `{}`", name.trim_matches('"'));
        assert!(
            catalogue.contains(&heading),
            "docs/hazards.md has no `{heading}`"
        );
    }
}
