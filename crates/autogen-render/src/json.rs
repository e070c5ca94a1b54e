//! The machine-readable report.

use autogen_diff::{Change, Hazard, Plan, RenameHint, hazards};
use autogen_schema::Dialect;
use serde::Serialize;

use crate::report::{HazardRules, entries, reversible};
use crate::{RenderError, Statement, render};

#[derive(Serialize)]
struct Report<'a> {
    dialect: Dialect,
    /// False when a hazard destroys data that the down migration cannot bring back.
    reversible: bool,
    changes: Vec<ChangeReport<'a>>,
    rename_hints: &'a [RenameHint],
    /// The down plan: every change inverted, in reverse order.
    inverse: Vec<Change>,
    up: Vec<Statement>,
    down: Vec<Statement>,
}

#[derive(Serialize)]
struct ChangeReport<'a> {
    description: String,
    hazards: Vec<Hazard>,
    change: &'a Change,
}

/// The plan as pretty-printed JSON: each change with its description and hazards, the rename
/// hints, the inverse changes, and the up and down statements. Fields come in a fixed order,
/// so the same plan always gives the same text.
pub fn json(plan: &Plan, dialect: Dialect) -> Result<String, RenderError> {
    json_with(plan, dialect, &hazards)
}

pub(crate) fn json_with(
    plan: &Plan,
    dialect: Dialect,
    rules: HazardRules<'_>,
) -> Result<String, RenderError> {
    let inverse = plan.inverse();
    let up = render(plan, dialect)?;
    let down = render(&inverse, dialect)?;
    let entries = entries(plan, dialect, rules);
    let report = Report {
        dialect,
        reversible: reversible(&entries),
        changes: entries
            .into_iter()
            .map(|e| ChangeReport {
                description: e.description,
                hazards: e.hazards,
                change: e.change,
            })
            .collect(),
        rename_hints: &plan.rename_hints,
        inverse: inverse.changes,
        up,
        down,
    };
    serde_json::to_string_pretty(&report).map_err(|e| RenderError::Json {
        message: e.to_string(),
    })
}
