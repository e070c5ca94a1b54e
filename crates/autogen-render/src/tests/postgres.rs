//! Up and down SQL of every case, as snapshots to read like any other diff.

use autogen_diff::Plan;
use autogen_schema::Dialect;

use super::cases::{self, Case};
use crate::{describe, render, script};

/// The changes in words, then the up and the down script.
pub(crate) fn check(case: &Case) -> String {
    let plan = Plan {
        changes: case.changes.clone(),
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    };
    let mut out = String::from("-- changes\n");
    for change in &plan.changes {
        out.push_str(&format!(
            "-- {} {}\n",
            describe::sign(change),
            describe::change(change, Dialect::Postgres)
        ));
    }
    for (label, plan) in [
        ("up", plan.clone()),
        ("down", plan.inverse().expect("the plan applies")),
    ] {
        out.push_str(&format!("-- {label}\n"));
        match render(&plan, Dialect::Postgres) {
            Ok(statements) => out.push_str(&script(&statements)),
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
    }
    out
}

#[test]
fn every_case_renders_as_snapshotted() {
    for case in cases::all() {
        insta::assert_snapshot!(case.name, check(&case));
    }
}

#[test]
fn case_names_are_unique() {
    let mut names: Vec<&str> = cases::all().iter().map(|c| c.name).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count);
}
