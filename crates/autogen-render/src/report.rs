//! What every report says about a plan: each change in words with the hazards its steps
//! carry.

use autogen_diff::{Change, Hazard, Plan};
use autogen_schema::Dialect;

use crate::{Step, describe};

pub(crate) struct Entry<'a> {
    pub change: &'a Change,
    pub sign: char,
    pub description: String,
    pub hazards: Vec<Hazard>,
}

/// One entry per change of `plan`, with the hazards `steps` (the plan lowered) judged for it.
pub(crate) fn entries<'a>(plan: &'a Plan, dialect: Dialect, steps: &[Step]) -> Vec<Entry<'a>> {
    plan.changes
        .iter()
        .enumerate()
        .map(|(i, change)| Entry {
            change,
            sign: describe::sign(change),
            description: describe::change(change, dialect),
            hazards: steps
                .iter()
                .flat_map(|s| &s.hazards)
                .filter(|(at, _)| *at == i)
                .map(|(_, h)| h.clone())
                .collect(),
        })
        .collect()
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
