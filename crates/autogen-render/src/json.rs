//! The machine-readable report.

use autogen_diff::{Change, Hazard, Plan, RenameHint};
use autogen_schema::Dialect;
use serde::Serialize;

use crate::report::entries;
use crate::{RenderError, Statement, Steps, lower};

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
/// so the same plan always gives the same text. The hazards are the steps', as in the
/// migration file's header.
pub fn json(plan: &Plan, dialect: Dialect) -> Result<String, RenderError> {
    json_of(plan, &lower(plan, dialect)?)
}

/// The report of `plan` as `steps` (the plan lowered) run it.
pub fn json_of(plan: &Plan, steps: &Steps) -> Result<String, RenderError> {
    let dialect = steps.dialect;
    let entries = entries(plan, dialect, &steps.up);
    let report = Report {
        dialect,
        reversible: steps.is_reversible(),
        changes: entries
            .into_iter()
            .map(|e| ChangeReport {
                description: e.description,
                hazards: e.hazards,
                change: e.change,
            })
            .collect(),
        rename_hints: &plan.rename_hints,
        inverse: steps.down_plan.changes.clone(),
        up: steps.up_statements(),
        down: steps.down_statements(),
    };
    serde_json::to_string_pretty(&report).map_err(|e| RenderError::Json {
        message: e.to_string(),
    })
}
