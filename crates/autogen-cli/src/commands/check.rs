use crate::cli::GlobalArgs;
use crate::config::Settings;
use crate::desired::models_against_database;

/// Exit code when the database drifted from the models.
const EXIT_DRIFT: u8 = 1;

/// Exit 0 when the database matches the models; 1 with the differences when it does not.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let comparison = models_against_database(&settings).await?;
    if let Ok(folder) = autogen_migrate::MigrationFolder::read(&settings.migrations_dir).await {
        // Two migrations generated on the same base: said here too, as `status` says it.
        if let Some(heads) = folder.heads() {
            crate::output::said(&format!("note: {heads}\n"))?;
        }
        // Drift after a `downgrade` (or a pull) is usually a migration not applied yet.
        if let Some(pending) = pending_migrations(&settings, &folder).await {
            crate::output::said(&format!(
                "note: {pending} migration{} of {} {} not applied to the database (autogen upgrade applies {}); the differences below may be {}\n",
                if pending == 1 { "" } else { "s" },
                settings.migrations_dir.display(),
                if pending == 1 { "is" } else { "are" },
                if pending == 1 { "it" } else { "them" },
                if pending == 1 { "its" } else { "theirs" },
            ))?;
        }
    }
    if comparison.plan.is_empty() {
        crate::output::said("the database matches the models\n")?;
        return Ok(0);
    }
    // The steps `autogen -m` would write (autogen.toml's options, lock-safe by default), so the
    // hazards here are those of the file's header and of `diff`.
    let plan = &comparison.plan;
    let dialect = comparison.desired.dialect;
    let summary = match autogen_render::lower_with(plan, dialect, &settings.lower) {
        Ok(steps) => autogen_render::summary_of_steps(plan, &steps),
        // A plan the dialect cannot lower is still listed, with the reason.
        Err(_) => autogen_render::summary(plan, dialect),
    };
    crate::output::said("the database differs from the models\n")?;
    crate::output::summary(&summary)?;
    Ok(EXIT_DRIFT)
}

/// How many migrations of the folder the database has not applied; `None` when none are
/// pending or the history cannot be read (`status` is the command that explains that).
async fn pending_migrations(
    settings: &Settings,
    folder: &autogen_migrate::MigrationFolder,
) -> Option<usize> {
    let mut db = super::migrations::open_database(settings).await.ok()?;
    let history = db.history(folder).await;
    db.close().await;
    let pending = history.ok()?.pending().count();
    (pending > 0).then_some(pending)
}
