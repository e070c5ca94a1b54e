use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;
use autogen_migrate::{FolderLock, MigrateError, MigrationFolder, write_migration};
use autogen_render::{MigrationText, empty_migration_text, lower_with, migration_files};

use super::migrations::open_database;
use crate::cli::{GlobalArgs, RevisionArgs};
use crate::config::{Settings, folder_context};
use crate::datacheck;
use crate::desired::models_against_database;

/// Exit code when changes are refused (data loss without --allow-data-loss, rows a change
/// would fail on), also by a dry run that shows them.
const EXIT_REFUSED: u8 = 1;

/// `autogen -m MSG`: models vs database, written as a reversible migration pair.
pub async fn run(global: &GlobalArgs, args: &RevisionArgs) -> anyhow::Result<u8> {
    if args.message.trim().is_empty() {
        bail!("-m needs a message that says what the migration does");
    }
    let settings = Settings::load(global)?;
    crate::pooler::refuse_pooled(&settings, "autogen -m")?;
    // The message becomes the header and the file names: a password the run was given, or any
    // URL's, is no more written there than printed.
    let message = crate::config::scrub(&args.message);
    // A folder that does not exist is an empty one, with the same checks: a mistyped
    // --migrations on a database with applied migrations is refused (their files are not in
    // it); only then is it created.
    if !settings.migrations_dir.exists() {
        let missing = MigrationFolder::empty(&settings.migrations_dir);
        refuse_unless_at_head(&settings, &missing).await?;
        if !args.dry_run {
            std::fs::create_dir_all(&settings.migrations_dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", folder_context(&settings)))?;
        }
    }
    // Held until the files are written: a second `-m` waits, then reads this one's migration
    // (and refuses, the database not being at head, or takes the next version).
    let _lock = if args.dry_run {
        None
    } else {
        Some(FolderLock::acquire(&settings.migrations_dir)?)
    };
    let folder = folder_or_empty(&settings).await?;
    refuse_unless_at_head(&settings, &folder).await?;
    // What this migration is generated on top of: the folder's newest migration, 0 for base.
    let base = Some(folder.migrations().last().map_or(0, |m| m.version));

    let mut refused = false;
    let texts = if args.empty {
        vec![empty_migration_text(&message, base)]
    } else {
        let comparison = models_against_database(&settings).await?;
        let plan = &comparison.plan;
        let dialect = comparison.desired.dialect;
        if plan.is_empty() {
            crate::output::said("No changes detected\n")?;
            return Ok(0);
        }
        if (args.expand_contract || settings.zero_downtime)
            && let Some(code) = super::expand::write(
                &settings,
                &comparison,
                &folder,
                &message,
                base,
                args.dry_run,
                args.expand_contract,
            )
            .await?
        {
            return Ok(code);
        }
        // The hazards of the SQL the file will hold, as its header lists them.
        let steps = lower_with(plan, dialect, &settings.lower)?;
        let losses = steps
            .hazards()
            .filter(|(_, h)| h.kind.destroys_values())
            .count();
        // A dry run is a preview: it says what `-m` would refuse, prints the migration anyway
        // and exits as the refusal does, so CI still notices.
        let refusing = if args.dry_run {
            "-m would refuse to write this migration"
        } else {
            "refusing to write a migration"
        };
        if losses > 0 && !args.allow_data_loss {
            let summary = autogen_render::summary_of_steps(plan, &steps);
            crate::output::answer_summary(&summary)?;
            crate::output::error(&format!(
                "error: {refusing} that loses data ({losses} hazard{}); \
                 review them above and pass --allow-data-loss to write it anyway",
                if losses == 1 { "" } else { "s" }
            ));
            refused = true;
        }
        if (!refused || args.dry_run)
            && !args.skip_data_checks
            && refused_by_data(&settings, &comparison, &steps, refusing).await?
        {
            refused = true;
        }
        if refused && !args.dry_run {
            return Ok(EXIT_REFUSED);
        }
        // Several pairs when a step must run alone (a concurrent index build), in order.
        migration_files(plan, &steps, &message, base)
    };
    let first = next_version(&folder);
    for (k, text) in texts.iter().enumerate() {
        let version = first + k as i64;
        let message = part_message(&message, k, texts.len());
        write_or_preview(&settings, version, &message, text, args.dry_run, "")?;
    }
    Ok(if refused { EXIT_REFUSED } else { 0 })
}

/// Counts the rows each change would fail on; prints the report and, when some change is
/// certain to fail, the refusal. True when refused.
async fn refused_by_data(
    settings: &Settings,
    comparison: &crate::desired::Comparison,
    steps: &autogen_render::Steps,
    refusing: &str,
) -> anyhow::Result<bool> {
    let checks = datacheck::data_checks(
        &comparison.plan,
        steps,
        &comparison.current,
        &comparison.desired,
    );
    if checks.checks.is_empty() && checks.unchecked.is_empty() {
        return Ok(false);
    }
    let outcomes = datacheck::run(
        settings.database_url()?,
        comparison.desired.dialect,
        &checks.checks,
    )
    .await?;
    let report = datacheck::report(&checks, &outcomes);
    let failing = datacheck::failures(&outcomes);
    if failing == 0 {
        crate::output::said(&report)?;
        return Ok(false);
    }
    // The rows that refuse the migration: what the error below points at, even under -q.
    crate::output::answer(&crate::config::scrub(&report))?;
    crate::output::error(&format!(
        "error: {refusing} that existing rows would fail ({failing} \
         check{}); fix the rows listed above, or pass --skip-data-checks to write it anyway",
        if failing == 1 { "" } else { "s" }
    ));
    Ok(true)
}

/// A folder that does not exist yet is an empty history.
pub(super) async fn folder_or_empty(settings: &Settings) -> anyhow::Result<MigrationFolder> {
    match MigrationFolder::read(&settings.migrations_dir).await {
        Ok(folder) => Ok(folder),
        Err(MigrateError::NoFolder { .. }) => Ok(MigrationFolder::empty(&settings.migrations_dir)),
        Err(e) => Err(e.into()),
    }
}

/// Like Alembic's "target database is not up to date": a revision made against a database that
/// lacks migrations of the folder would repeat them.
pub(super) async fn refuse_unless_at_head(
    settings: &Settings,
    folder: &MigrationFolder,
) -> anyhow::Result<()> {
    let mut db = open_database(settings).await?;
    let history = db.history(folder).await;
    db.close().await;
    let history = history?;
    if let Err(e) = history.check() {
        if !settings.migrations_dir.exists() {
            bail!("{e} ({} does not exist)", folder_context(settings));
        }
        return Err(e.into());
    }
    let pending = history.pending().count();
    if pending > 0 {
        bail!(
            "not at head: {pending} migration{} of {} not applied to the database; run autogen upgrade first",
            if pending == 1 { " is" } else { "s are" },
            folder.path().display()
        );
    }
    Ok(())
}

/// The message of pair `k` of `n` (its file name): the message itself when there is one pair.
fn part_message(message: &str, k: usize, n: usize) -> String {
    if n == 1 {
        message.to_owned()
    } else {
        format!("{message} part {}", k + 1)
    }
}

pub(super) fn next_version(folder: &MigrationFolder) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    folder.next_version(now)
}

/// Writes one migration pair and says so (with `then`, what the user does next), or under
/// `--dry-run` prints what it would write: `-m`, `--expand-contract` and `contract` alike.
pub(super) fn write_or_preview(
    settings: &Settings,
    version: i64,
    message: &str,
    text: &MigrationText,
    dry_run: bool,
    then: &str,
) -> anyhow::Result<()> {
    if dry_run {
        return print_dry_run(settings, version, message, text);
    }
    let files = write_migration(
        &settings.migrations_dir,
        version,
        message,
        &text.up,
        &text.down,
    )?;
    crate::output::said(&format!(
        "wrote {}\nwrote {}\n{then}",
        files.up.display(),
        files.down.display()
    ))?;
    Ok(())
}

fn print_dry_run(
    settings: &Settings,
    version: i64,
    message: &str,
    text: &MigrationText,
) -> anyhow::Result<()> {
    let slug = autogen_migrate::slug(message);
    let dir = settings.migrations_dir.display();
    crate::output::answer(&format!(
        "-- would write {dir}/{version}_{slug}.up.sql:\n{}\n-- would write {dir}/{version}_{slug}.down.sql:\n{}",
        text.up, text.down
    ))?;
    Ok(())
}
