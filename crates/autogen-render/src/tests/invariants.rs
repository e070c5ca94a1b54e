//! Architecture invariant: autogen-render does no IO, so nothing it builds on may bring in a
//! database driver or an async runtime (they are dev-dependencies only, for the tests).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// The packages reachable from autogen-render through normal (not dev, not build) dependencies.
fn normal_dependencies() -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is json");
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let root = names
        .iter()
        .find(|(_, name)| **name == "autogen-render")
        .map(|(id, _)| *id)
        .expect("autogen-render is in the workspace");
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let deps = nodes.get(id).and_then(|n| n["deps"].as_array());
        for dep in deps.into_iter().flatten() {
            let normal = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            if normal && let Some(pkg) = dep["pkg"].as_str() {
                stack.push(pkg);
            }
        }
    }
    seen.iter()
        .filter_map(|id| names.get(id).map(|n| (*n).to_owned()))
        .collect()
}

#[test]
fn render_depends_on_no_database_driver_or_runtime() {
    let deps = normal_dependencies();
    assert!(deps.contains("sea-query"), "the walk found {deps:?}");
    let forbidden: Vec<&String> = deps
        .iter()
        .filter(|d| d.starts_with("sqlx") || d.starts_with("tokio"))
        .collect();
    assert!(
        forbidden.is_empty(),
        "autogen-render depends on {forbidden:?}"
    );
}
