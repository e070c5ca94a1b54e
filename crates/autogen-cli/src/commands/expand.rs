//! `autogen -m MSG --expand-contract` (or `zero_downtime = true`): the plan's column renames
//! and type changes written as the expand pair; `autogen contract` writes the contract pair.

use autogen_migrate::MigrationFolder;
use autogen_render::expand::{ExpandError, Expansion, expand_text, expansions};

use super::revision::{next_version, write_or_preview};
use crate::config::Settings;
use crate::datacheck::{self, DataCheck, Outcome};
use crate::desired::Comparison;

/// Exit code when a column cannot become NOT NULL in two phases (NULLs and no fill value).
const EXIT_REFUSED: u8 = 1;

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
        Err(
            ExpandError::Nothing
            | ExpandError::OtherChanges(_)
            | ExpandError::TableRenameNotAlone(_)
            | ExpandError::NotPostgres,
        ) if !asked => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(refusal) = unfillable_nulls(settings, &found).await? {
        crate::output::error(&refusal);
        return Ok(Some(EXIT_REFUSED));
    }
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
        "phase 1 of 2 (expand): after `autogen upgrade`, deploy the application version the \
         expand is made for (the new column, NOT NULL or table name), then run `autogen \
         contract`\n",
    )?;
    Ok(Some(0))
}

/// A column made NOT NULL with no fill value (no `backfill`, `backfill_sql` or default in the
/// models; or renamed or retyped at once, filled from the old column) can only be expanded
/// while no row holds NULL: the refusal naming each column
/// that has some, and how many.
async fn unfillable_nulls(
    settings: &Settings,
    found: &[Expansion],
) -> anyhow::Result<Option<String>> {
    let checks: Vec<DataCheck> = found
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (column, sql) = e.unfilled_nulls()?;
            Some(DataCheck {
                change: i,
                table: e.table().clone(),
                what: format!("{column} holds no NULL"),
                shown: vec!["ctid".to_owned()],
                sql,
            })
        })
        .collect();
    if checks.is_empty() {
        return Ok(None);
    }
    let url = settings.database_url()?;
    let outcomes = datacheck::run(url, autogen_schema::Dialect::Postgres, &checks).await?;
    let mut refusals = Vec::new();
    for (check, outcome) in checks.iter().zip(&outcomes) {
        let column = check.what.trim_end_matches(" holds no NULL");
        match outcome {
            Outcome::Passed => {}
            Outcome::Fails { count, .. } => {
                refusals.push(format!(
                    "{}.{column}: {count} row(s) hold NULL",
                    check.table
                ));
            }
            Outcome::NotRun(why) => refusals.push(format!(
                "{}.{column}: the NULLs could not be counted ({why})",
                check.table
            )),
        }
    }
    if refusals.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!(
        "error: cannot expand to NOT NULL with no value to fill the NULLs: {}; give the field \
         `backfill`, `backfill_sql` or `default` in the models (or fill the rows first)",
        refusals.join("; ")
    )))
}
