//! A Markdown report to paste into a pull request.

use autogen_diff::{HazardKind, Plan};
use autogen_schema::Dialect;

use crate::report::{count, entries};
use crate::{RenderError, Steps, describe, lower, script};

/// A heading, the changes as a table with hazard badges, the hazards in full, the rename hints,
/// and the up and down SQL; a warning when the down migration cannot restore the data. The
/// hazards are the steps', as in the migration file's header.
pub fn markdown(plan: &Plan, dialect: Dialect) -> Result<String, RenderError> {
    if plan.changes.is_empty() {
        let mut out = String::from("## Migration plan\n\nNo changes.\n");
        hints(plan, &mut out);
        return Ok(out);
    }
    Ok(markdown_of(plan, &lower(plan, dialect)?))
}

/// The report of a non-empty `plan` as `steps` (the plan lowered) run it.
pub fn markdown_of(plan: &Plan, steps: &Steps) -> String {
    report(plan, steps, None)
}

/// [`markdown_of`] with a Mermaid `erDiagram` of the tables the plan touches and their
/// neighbours ([`crate::er_diagram`]) after the changes: `current` and `desired` are the two
/// schemas the plan was diffed from.
pub fn markdown_with_diagram(
    plan: &Plan,
    steps: &Steps,
    current: &autogen_schema::Schema,
    desired: &autogen_schema::Schema,
) -> String {
    report(
        plan,
        steps,
        crate::er_diagram(plan, current, desired).as_deref(),
    )
}

fn report(plan: &Plan, steps: &Steps, diagram: Option<&str>) -> String {
    let dialect = steps.dialect;
    let mut out = String::from("## Migration plan\n\n");
    let up = steps.up_statements();
    let down = steps.down_statements();
    let entries = entries(plan, dialect, &steps.up);
    let with_hazards = entries.iter().filter(|e| !e.hazards.is_empty()).count();
    out.push_str(&format!(
        "{} ({} with hazards) on {}.\n\n",
        count(entries.len(), "change", "changes"),
        with_hazards,
        dialect.name()
    ));

    out.push_str("| # | Change | Hazards |\n| ---: | --- | --- |\n");
    for (i, entry) in entries.iter().enumerate() {
        let mut kinds: Vec<HazardKind> = entry.hazards.iter().map(|h| h.kind).collect();
        kinds.sort();
        kinds.dedup();
        let badges: Vec<String> = kinds.into_iter().map(badge).collect();
        let row = format!(
            "| {} | {} {} | {}",
            i + 1,
            entry.sign,
            cell(&entry.description),
            badges.join(" ")
        );
        out.push_str(row.trim_end());
        out.push_str(" |\n");
    }

    if let Some(diagram) = diagram {
        out.push_str("\n### Tables\n\n");
        out.push_str(diagram);
    }

    if with_hazards > 0 {
        out.push_str("\n### Hazards\n\n");
        for (i, entry) in entries.iter().enumerate() {
            for hazard in &entry.hazards {
                out.push_str(&format!(
                    "- {} on `{}` (change {}): {}\n",
                    badge(hazard.kind),
                    hazard.object.replace('`', "'"),
                    i + 1,
                    hazard.reason
                ));
            }
        }
    }
    if !steps.is_reversible() {
        out.push_str(
            "\n> **Not fully reversible.** The down migration restores the shape of what this \
             migration drops or narrows, not its data.\n",
        );
    }
    hints(plan, &mut out);

    out.push_str("\n### Up\n\n");
    out.push_str(&sql_block(&script(&up)));
    out.push_str("\n### Down\n\n");
    out.push_str(&sql_block(&script(&down)));
    out
}

fn hints(plan: &Plan, out: &mut String) {
    if plan.rename_hints.is_empty() {
        return;
    }
    out.push_str("\n### Possible renames\n\n");
    for hint in &plan.rename_hints {
        out.push_str(&format!("- {}\n", describe::rename_hint(hint)));
    }
}

fn badge(kind: HazardKind) -> String {
    let marker = match kind {
        HazardKind::DataLoss | HazardKind::Irreversible => "🔴",
        HazardKind::MayFailOnExistingRows | HazardKind::LocksTable => "🟠",
    };
    format!("{marker} **{}**", describe::hazard_kind(kind))
}

/// Text safe inside a table cell: a `|` would end the cell, a newline the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A fenced `sql` block whose fence is longer than any run of backticks in the SQL.
fn sql_block(sql: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in sql.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let body = if sql.is_empty() {
        "-- nothing to do\n"
    } else {
        sql
    };
    format!("{fence}sql\n{body}{fence}\n")
}
