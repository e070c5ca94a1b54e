//! `autogen -m MSG --expand-contract` (or `zero_downtime = true`): the plan's column renames
//! and type changes written as the expand pair; `autogen contract` writes the contract pair.

use autogen_migrate::MigrationFolder;
use autogen_render::expand::{ExpandError, expand_text, expansions};

use super::revision::{next_version, write_or_preview};
use crate::config::Settings;
use crate::desired::Comparison;

/// Writes the expand pair for `comparison`'s plan. `None` when the plan has nothing to expand
/// and the flag was not given (`zero_downtime` alone): the caller writes the plain migration.
pub async fn write(
    settings: &Settings,
    comparison: &Comparison,
    folder: &MigrationFolder,
    message: &str,
    base: Option<i64>,
    dry_run: bool,
    asked: bool,
) -> anyhow::Result<Option<u8>> {
    let found = match expansions(&comparison.plan, &comparison.current, &comparison.desired) {
        Ok(found) => found,
        // `zero_downtime` applies to the plans it can make in two phases; others stay plain.
        Err(ExpandError::Nothing | ExpandError::OtherChanges(_) | ExpandError::NotPostgres)
            if !asked =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let version = next_version(folder);
    let text = expand_text(
        &found,
        &comparison.current,
        message,
        base,
        version,
        &settings.lower,
    );
    let message = format!("{message} expand");
    write_or_preview(
        settings,
        version,
        &message,
        &text,
        dry_run,
        "phase 1 of 2 (expand): after `autogen upgrade`, deploy the application that uses the \
         new column(s), then run `autogen contract`\n",
    )?;
    Ok(Some(0))
}
