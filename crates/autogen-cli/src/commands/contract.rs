//! `autogen contract`: the contract pair of the folder's open expand migration, written once
//! the application that uses the new column is deployed. Refuses while the expand is not
//! applied, or while rows are out of step (the backfill did not finish, or a write bypassed
//! the trigger).

use anyhow::bail;
use autogen_introspect::MissingSchema;
use autogen_migrate::FolderLock;
use autogen_render::expand::contract_text;

use super::revision::{folder_or_empty, next_version, refuse_unless_at_head, write_or_preview};
use crate::cli::{ContractArgs, GlobalArgs};
use crate::config::Settings;
use crate::database::inspect_url;
use crate::datacheck::{self, Checks, DataCheck};

/// Exit code when rows are still out of step.
const EXIT_REFUSED: u8 = 1;

pub async fn run(global: &GlobalArgs, args: &ContractArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    crate::pooler::refuse_pooled(&settings, "autogen contract")?;
    let _lock = if args.dry_run {
        None
    } else {
        Some(FolderLock::acquire(&settings.migrations_dir)?)
    };
    let folder = folder_or_empty(&settings).await?;
    refuse_unless_at_head(&settings, &folder).await?;
    let open = crate::expansion::open(&folder);
    let Some(expand) = open.first() else {
        bail!(
            "no expand migration in {} waits for its contract (write one with `autogen -m MSG --expand-contract`)",
            folder.path().display()
        );
    };
    let url = settings.database_url()?;
    let current = inspect_url(url, &settings.schemas_at(url).await?, MissingSchema::Absent).await?;
    for e in &expand.expansions {
        if !e.in_place(&current) {
            bail!(
                "expand migration {} is not in place: {}; expected it applied (autogen upgrade)",
                expand.migration.version,
                e.expected()
            );
        }
    }
    let checks = Checks {
        checks: expand
            .expansions
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let (what, shown, sql) = e.out_of_step()?;
                Some(DataCheck {
                    change: i,
                    table: e.table().clone(),
                    what,
                    shown,
                    sql,
                })
            })
            .collect(),
        ..Checks::default()
    };
    let outcomes = datacheck::run(url, current.dialect, &checks.checks).await?;
    let report = datacheck::report(&checks, &outcomes);
    let unsettled = outcomes.iter().any(|o| match o {
        datacheck::Outcome::Passed => false,
        datacheck::Outcome::Fails { .. } | datacheck::Outcome::NotRun(_) => true,
    });
    if unsettled {
        crate::output::answer(&crate::config::scrub(&report))?;
        crate::output::error(
            "error: refusing to write the contract while rows are out of step (listed above): \
             the backfill of the expand migration has not finished, or a write bypassed its \
             trigger; run `autogen upgrade` again or fix the rows, then `autogen contract`",
        );
        return Ok(EXIT_REFUSED);
    }
    if !checks.checks.is_empty() {
        crate::output::said(&report)?;
    }
    if let Some(what) = expand
        .expansions
        .iter()
        .find_map(|e| e.unfinished(&current))
    {
        bail!(
            "expand migration {} has not run to its end: {what}; run `autogen upgrade` again \
             (it goes on where it stopped), then `autogen contract`",
            expand.migration.version
        );
    }
    let message = match &args.message {
        Some(message) => crate::config::scrub(message),
        None => expand
            .migration
            .description
            .trim_end_matches(" expand")
            .to_owned(),
    };
    let base = Some(folder.migrations().last().map_or(0, |m| m.version));
    let version = next_version(&folder);
    let text = contract_text(
        &expand.expansions,
        &current,
        &message,
        base,
        expand.migration.version,
        &settings.lower,
    );
    let message = format!("{message} contract");
    write_or_preview(&settings, version, &message, &text, args.dry_run, "")?;
    Ok(0)
}
