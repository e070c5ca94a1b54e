use anyhow::{Context, bail};
use autogen_diff::{DiffOptions, Plan};
use autogen_introspect::MissingSchema;
use autogen_render::{
    LowerOptions, Steps, Transaction, file_steps, lower_with, script, statements_of,
};
use autogen_schema::Schema;

use crate::cli::{DiffArgs, DiffFormat, GlobalArgs};
use crate::config::Settings;
use crate::database::inspect_url;
use crate::desired::{Comparison, models_against_database, without_bookkeeping};

/// Exit code under `--exit-code` when the two sides differ.
const EXIT_DIFFERENT: u8 = 1;

pub async fn run(global: &GlobalArgs, args: &DiffArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let (comparison, between) = match (args.from.as_deref(), args.to.as_deref()) {
        (Some(from), Some(to)) => (between_databases(global, &settings, from, to).await?, true),
        (None, None) => (models_against_database(&settings).await?, false),
        (Some(_), None) | (None, Some(_)) => {
            bail!("diff needs both sides: pass --from URL (current) and --to URL (desired)")
        }
    };
    let Comparison {
        current,
        desired,
        plan,
    } = comparison;
    // Between two databases, objects of kinds the plan cannot carry yet (views, functions,
    // triggers, ...) are listed when they differ, and count as a difference: never a silent
    // "no changes". The models cannot declare them, so against the models they are left alone.
    let uncompared = if between {
        autogen_diff::uncompared_differences(&current, &desired)
    } else {
        Vec::new()
    };
    let text = report(&plan, &current, &desired, args.format, &settings.lower)?;
    let text = with_uncompared(text, &uncompared, args.format)?;
    match args.format {
        DiffFormat::Summary => crate::output::answer_summary(&text)?,
        DiffFormat::Up
        | DiffFormat::Down
        | DiffFormat::Sql
        | DiffFormat::Schema
        | DiffFormat::Json
        | DiffFormat::Markdown => crate::output::answer(&text)?,
    }
    Ok(
        if args.exit_code && !(plan.is_empty() && uncompared.is_empty()) {
            EXIT_DIFFERENT
        } else {
            0
        },
    )
}

async fn between_databases(
    global: &GlobalArgs,
    settings: &Settings,
    from: &str,
    to: &str,
) -> anyhow::Result<Comparison> {
    let _spinner = crate::progress::Spinner::start("reading both databases");
    // `include_schemas` of autogen.toml: the schemas either side has that a pattern matches.
    let schemas = match &settings.include_schemas {
        None => global.schemas.clone(),
        Some(_) => {
            let mut schemas = settings.schemas_at(from).await.context("--from")?;
            schemas.extend(settings.schemas_at(to).await.context("--to")?);
            schemas.sort();
            schemas.dedup();
            schemas
        }
    };
    // A schema that only one side has is one the plan creates or drops, not an error.
    let current = inspect_url(from, &schemas, MissingSchema::Absent)
        .await
        .context("--from")?;
    let desired = inspect_url(to, &schemas, MissingSchema::Absent)
        .await
        .context("--to")?;
    // `exclude_tables` of autogen.toml, when there is one, holds here too.
    let excluded = &settings.exclude_tables;
    let (current, desired) =
        excluded.apply_to_both(without_bookkeeping(current), without_bookkeeping(desired));
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
    options: &LowerOptions,
) -> anyhow::Result<String> {
    let dialect = desired.dialect;
    // The steps `autogen -m` would write: the same options, the same files.
    let steps = || lower_with(plan, dialect, options);
    Ok(match format {
        DiffFormat::Summary => match steps() {
            Ok(steps) if !plan.is_empty() => autogen_render::summary_of_steps(plan, &steps),
            // A plan the dialect cannot lower is still listed, with the reason.
            Ok(_) | Err(_) => autogen_render::summary(plan, dialect),
        },
        DiffFormat::Up => sql_or_no_changes(plan, steps, Side::Up)?,
        DiffFormat::Down => sql_or_no_changes(plan, steps, Side::Down)?,
        DiffFormat::Sql => format!(
            "-- up\n{}\n-- down\n{}",
            sql_or_no_changes(plan, steps, Side::Up)?,
            sql_or_no_changes(plan, steps, Side::Down)?
        ),
        DiffFormat::Schema => {
            let text = autogen_render::schema_diff(current, desired);
            if text.is_empty() {
                "No changes\n".to_owned()
            } else {
                text
            }
        }
        DiffFormat::Json => autogen_render::json_of(plan, &steps()?)?,
        DiffFormat::Markdown if plan.is_empty() => autogen_render::markdown(plan, dialect)?,
        DiffFormat::Markdown => {
            autogen_render::markdown_with_diagram(plan, &steps()?, current, desired)
        }
    })
}

/// The report with the objects of uncompared kinds that differ, in the report's own form: a
/// section of the summary or Markdown, SQL comments, a JSON field.
fn with_uncompared(
    text: String,
    differences: &[autogen_diff::UncomparedDifference],
    format: DiffFormat,
) -> anyhow::Result<String> {
    if differences.is_empty() {
        return Ok(text);
    }
    let n = differences.len();
    let heading = format!(
        "{n} object{} of kinds autogen does not compare yet differ{} (not in the plan; move {} by hand):",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        if n == 1 { "it" } else { "them" },
    );
    Ok(match format {
        DiffFormat::Summary | DiffFormat::Schema => {
            let mut out = text;
            out.push_str(&format!("\n{heading}\n"));
            for d in differences {
                out.push_str(&format!("  {d}\n"));
            }
            out
        }
        DiffFormat::Markdown => {
            let mut out = text;
            out.push_str(&format!("\n### Not compared\n\n{heading}\n\n"));
            for d in differences {
                out.push_str(&format!("- {}\n", d.to_string().replace('`', "'")));
            }
            out
        }
        DiffFormat::Up | DiffFormat::Down | DiffFormat::Sql => {
            let mut out = text.replacen("-- No changes\n", "-- No changes autogen can write\n", 1);
            out.push_str(&format!("-- {heading}\n"));
            for d in differences {
                // One object per line, each a comment whatever its name holds.
                out.push_str(&format!(
                    "--   {}\n",
                    d.to_string().replace(['\n', '\r'], " ")
                ));
            }
            out
        }
        DiffFormat::Json => {
            let mut value: serde_json::Value = serde_json::from_str(&text)?;
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "not_compared".to_owned(),
                    serde_json::to_value(differences)?,
                );
            }
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
    })
}

enum Side {
    Up,
    Down,
}

/// Plain executable SQL of one side, as the migration files would hold it; an empty plan says
/// so in a comment, which is still valid SQL. When the plan becomes several migration pairs
/// (a concurrent index build runs alone), a comment marks where each file starts; the down
/// side lists the pairs' down files in the order they run (newest first). A file that runs
/// alone must be sent on its own (PostgreSQL refuses a concurrent build in a multi-statement
/// query).
fn sql_or_no_changes(
    plan: &Plan,
    steps: impl Fn() -> Result<Steps, autogen_render::RenderError>,
    side: Side,
) -> anyhow::Result<String> {
    if plan.is_empty() {
        return Ok("-- No changes\n".to_owned());
    }
    let steps = steps()?;
    let files = file_steps(&steps);
    let n = files.len();
    let mut out = String::new();
    // The down files run newest first: that order, each labelled with its pair.
    let order: Vec<usize> = match side {
        Side::Up => (0..n).collect(),
        Side::Down => (0..n).rev().collect(),
    };
    for (shown, &k) in order.iter().enumerate() {
        let (up, down) = &files[k];
        let part = match side {
            Side::Up => up,
            Side::Down => down,
        };
        if n > 1 {
            let alone = part.iter().any(|s| s.transaction == Transaction::Alone);
            if shown > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "-- migration {} of {n}{}\n",
                k + 1,
                if alone {
                    ": runs alone, outside a transaction"
                } else {
                    ""
                }
            ));
        }
        out.push_str(&script(&statements_of(steps.dialect, part)));
    }
    Ok(out)
}
