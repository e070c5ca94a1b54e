//! The plain-text summary the CLI prints before writing a migration.

use autogen_diff::Plan;
use autogen_schema::Dialect;

use crate::lower::lower_one_way;
use crate::report::{count, entries};
use crate::{Step, describe};

/// The changes in plain words, one per line, each followed by the hazards of the SQL `dialect`
/// runs for it; then the rename hints as questions. An empty plan says `No changes`.
///
/// A plan the dialect cannot turn into SQL is still listed (`check` reports drift with it),
/// with a last line saying why no hazards could be judged.
pub fn summary(plan: &Plan, dialect: Dialect) -> String {
    if plan.changes.is_empty() {
        return summary_of(plan, dialect, &[]);
    }
    match lower_one_way(plan, dialect) {
        Ok(steps) => summary_of(plan, dialect, &steps),
        Err(e) => {
            let mut out = summary_of(plan, dialect, &[]);
            out.push_str(&format!("  ! no hazards judged: {e}\n"));
            out
        }
    }
}

/// The summary of `plan` as `steps` (the plan lowered for `dialect`) run it.
pub(crate) fn summary_of(plan: &Plan, dialect: Dialect, steps: &[Step]) -> String {
    summary_of_changes(plan, dialect, steps, &(0..plan.changes.len()).collect())
}

/// As [`summary`], from the plan already lowered (with the options the CLI chose).
pub fn summary_of_steps(plan: &Plan, steps: &crate::Steps) -> String {
    summary_of(plan, steps.dialect, &steps.up)
}

/// As [`summary_of`], listing only the changes in `only` (one file of several).
pub(crate) fn summary_of_changes(
    plan: &Plan,
    dialect: Dialect,
    steps: &[Step],
    only: &std::collections::BTreeSet<usize>,
) -> String {
    let mut out = String::new();
    if plan.changes.is_empty() {
        out.push_str("No changes\n");
    } else {
        let entries: Vec<_> = entries(plan, dialect, steps)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| only.contains(i))
            .map(|(_, e)| e)
            .collect();
        out.push_str(&format!("{}:\n", count(entries.len(), "change", "changes")));
        for entry in &entries {
            out.push_str(&format!("  {} {}\n", entry.sign, entry.description));
            for hazard in &entry.hazards {
                out.push_str(&format!(
                    "      ! {} ({}): {}\n",
                    describe::hazard_kind(hazard.kind),
                    hazard.object,
                    hazard.reason
                ));
            }
        }
    }
    for hint in &plan.rename_hints {
        out.push_str(&format!("  ? {}\n", describe::rename_hint(hint)));
    }
    out
}
