//! The plain-text summary the CLI prints before writing a migration.

use autogen_diff::{Plan, hazards};
use autogen_schema::Dialect;

use crate::describe;
use crate::report::{HazardRules, count, entries};

/// The changes in plain words, one per line, each followed by its hazards; then the rename
/// hints as questions. An empty plan says `No changes`.
pub fn summary(plan: &Plan, dialect: Dialect) -> String {
    summary_with(plan, dialect, &hazards)
}

pub(crate) fn summary_with(plan: &Plan, dialect: Dialect, rules: HazardRules<'_>) -> String {
    let mut out = String::new();
    if plan.changes.is_empty() {
        out.push_str("No changes\n");
    } else {
        let entries = entries(plan, dialect, rules);
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
