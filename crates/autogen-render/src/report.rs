//! What every report says about a plan: each change in words with its hazards.

use autogen_diff::{Change, Hazard, Plan};
use autogen_schema::Dialect;

use crate::describe;

/// Where a report gets a change's hazards: `autogen_diff::hazards`, or a stand-in in tests.
pub(crate) type HazardRules<'a> = &'a dyn Fn(&Change, Dialect) -> Vec<Hazard>;

pub(crate) struct Entry<'a> {
    pub change: &'a Change,
    pub sign: char,
    pub description: String,
    pub hazards: Vec<Hazard>,
}

pub(crate) fn entries<'a>(
    plan: &'a Plan,
    dialect: Dialect,
    rules: HazardRules<'_>,
) -> Vec<Entry<'a>> {
    plan.changes
        .iter()
        .map(|change| Entry {
            change,
            sign: describe::sign(change),
            description: describe::change(change, dialect),
            hazards: rules(change, dialect),
        })
        .collect()
}

/// True when the down migration restores everything: no hazard destroys data.
pub(crate) fn reversible(entries: &[Entry<'_>]) -> bool {
    !entries
        .iter()
        .flat_map(|e| &e.hazards)
        .any(|h| describe::loses_data(h.kind))
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
