use std::io::Write;

use anyhow::{Context, bail};
use autogen_diff::{DiffOptions, Plan};
use autogen_introspect::MissingSchema;
use autogen_render::{lower, render, script};
use autogen_schema::Schema;

use crate::cli::{DiffArgs, DiffFormat, GlobalArgs};
use crate::config::Settings;
use crate::database::inspect_url;
use crate::desired::{Comparison, models_against_database, without_bookkeeping};

/// Exit code under `--exit-code` when the two sides differ.
const EXIT_DIFFERENT: u8 = 1;

pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> anyhow::Result<u8> {
    let Comparison {
        current,
        desired,
        plan,
    } = match (args.from.as_deref(), args.to.as_deref()) {
        (Some(from), Some(to)) => between_databases(global, from, to).await?,
        (None, None) => models_against_database(&Settings::load(global)?).await?,
        (Some(_), None) | (None, Some(_)) => {
            bail!("diff needs both sides: pass --from URL (current) and --to URL (desired)")
        }
    };
    let text = report(&plan, &current, &desired, args.format)?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(if args.exit_code && !plan.is_empty() {
        EXIT_DIFFERENT
    } else {
        0
    })
}

async fn between_databases(
    global: &GlobalArgs,
    from: &str,
    to: &str,
) -> anyhow::Result<Comparison> {
    // A schema that only one side has is one the plan creates or drops, not an error.
    let current = inspect_url(from, &global.schemas, MissingSchema::Absent)
        .await
        .context("--from")?;
    let desired = inspect_url(to, &global.schemas, MissingSchema::Absent)
        .await
        .context("--to")?;
    let (current, desired) = (without_bookkeeping(current), without_bookkeeping(desired));
    let plan = autogen_diff::diff(&current, &desired, &DiffOptions::default());
    Ok(Comparison {
        current,
        desired,
        plan,
    })
}

fn report(
    plan: &Plan,
    current: &Schema,
    desired: &Schema,
    format: DiffFormat,
) -> anyhow::Result<String> {
    let dialect = desired.dialect;
    Ok(match format {
        DiffFormat::Summary => autogen_render::summary(plan, dialect),
        DiffFormat::Up => sql_or_no_changes(plan, dialect, Side::Up)?,
        DiffFormat::Down => sql_or_no_changes(plan, dialect, Side::Down)?,
        DiffFormat::Sql => format!(
            "-- up\n{}\n-- down\n{}",
            sql_or_no_changes(plan, dialect, Side::Up)?,
            sql_or_no_changes(plan, dialect, Side::Down)?
        ),
        DiffFormat::Schema => {
            let text = autogen_render::schema_diff(current, desired);
            if text.is_empty() {
                "No changes\n".to_owned()
            } else {
                text
            }
        }
        DiffFormat::Json => autogen_render::json(plan, dialect)?,
        DiffFormat::Markdown => autogen_render::markdown(plan, dialect)?,
    })
}

enum Side {
    Up,
    Down,
}

/// Plain executable SQL of one side, as the migration files would hold it; an empty plan says
/// so in a comment, which is still valid SQL.
fn sql_or_no_changes(
    plan: &Plan,
    dialect: autogen_schema::Dialect,
    side: Side,
) -> anyhow::Result<String> {
    if plan.is_empty() {
        return Ok("-- No changes\n".to_owned());
    }
    let statements = match side {
        Side::Up => render(plan, dialect)?,
        Side::Down => lower(plan, dialect)?.down_statements(),
    };
    Ok(script(&statements))
}
