use crate::cli::GlobalArgs;
use crate::config::Settings;
use crate::desired::models_against_database;

/// Exit code when the database drifted from the models.
const EXIT_DRIFT: u8 = 1;

/// Exit 0 when the database matches the models; 1 with the differences when it does not.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let comparison = models_against_database(&settings).await?;
    // Two migrations generated on the same base: said here too, as `status` says it.
    if let Ok(folder) = autogen_migrate::MigrationFolder::read(&settings.migrations_dir).await
        && let Some(heads) = folder.heads()
    {
        crate::output::said(&format!("note: {heads}\n"))?;
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
    crate::output::said(&format!("the database differs from the models\n{summary}"))?;
    Ok(EXIT_DRIFT)
}
