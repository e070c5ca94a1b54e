//! The reports for one small plan with hazards. These tests put stand-in hazards on the steps:
//! what is checked is how reports show the steps' hazards, not the rules.

use std::collections::BTreeMap;

use autogen_diff::{Change, Hazard, HazardKind, Plan, RenameHint};
use autogen_schema::{Dialect, Namespace, Schema};

use super::fixtures::*;
use crate::json::json_of;
use crate::markdown::markdown_of;
use crate::summary::summary_of;
use crate::{Steps, json, lower, markdown, schema_diff, summary};

fn stand_in_rules(change: &Change) -> Vec<Hazard> {
    let mut out = Vec::new();
    if let Change::DropColumn { table, column } = change {
        out.push(Hazard {
            kind: HazardKind::DataLoss,
            object: format!("{table}.{}", column.name),
            reason: "its values are deleted".into(),
        });
    }
    if let Change::AlterColumn {
        table, from, to, ..
    } = change
        && from.ty != to.ty
    {
        out.push(Hazard {
            kind: HazardKind::MayFailOnExistingRows,
            object: format!("{table}.{}", to.name),
            reason: "existing values must cast to the new type".into(),
        });
        out.push(Hazard {
            kind: HazardKind::LocksTable,
            object: table.to_string(),
            reason: "the table is rewritten | under an exclusive lock".into(),
        });
    }
    out
}

/// The plan lowered for PostgreSQL, with the stand-in rules' hazards on its steps.
fn stand_in_steps(plan: &Plan) -> Steps {
    let mut steps = lower(plan, Dialect::Postgres).unwrap();
    for step in &mut steps.up {
        step.hazards = step
            .changes
            .iter()
            .flat_map(|&i| {
                stand_in_rules(&plan.changes[i])
                    .into_iter()
                    .map(move |h| (i, h))
            })
            .collect();
    }
    steps
}

fn plan() -> Plan {
    let tasks = public("tasks");
    Plan {
        changes: vec![
            Change::AddColumn {
                table: tasks.clone(),
                column: col("due_date", "date"),
            },
            Change::AddColumn {
                table: tasks.clone(),
                column: col("notes", "text"),
            },
            Change::AlterColumn {
                table: tasks.clone(),
                from: col("priority", "text"),
                to: col("priority", "integer").not_null().default("0"),
                backfill: None,
            },
            Change::DropColumn {
                table: tasks.clone(),
                column: col("legacy", "text"),
            },
        ],
        rename_hints: vec![RenameHint::Column {
            table: tasks,
            from: "legacy".into(),
            to: "notes".into(),
        }],
        before: None,
        partitioned: Default::default(),
    }
}

#[test]
fn summary_lists_changes_hazards_and_hints() {
    let plan = plan();
    let steps = stand_in_steps(&plan);
    insta::assert_snapshot!(summary_of(&plan, Dialect::Postgres, &steps.up), @r"
    4 changes:
      + add column public.tasks.due_date (date, nullable)
      + add column public.tasks.notes (text, nullable)
      ~ alter column public.tasks.priority: type text -> integer, nullable -> not null, default none -> 0
          ! may fail on existing rows (public.tasks.priority): existing values must cast to the new type
          ! locks table (public.tasks): the table is rewritten | under an exclusive lock
      - drop column public.tasks.legacy (text, nullable)
          ! data loss (public.tasks.legacy): its values are deleted
      ? was column public.tasks.legacy renamed to notes? It is dropped and added with the same definition, which loses its data; `renamed_from` on the new name makes it a rename
    ");
}

#[test]
fn an_empty_plan_says_so() {
    let empty = Plan::default();
    assert_eq!(summary(&empty, Dialect::Postgres), "No changes\n");
    assert_eq!(
        markdown(&empty, Dialect::Postgres).unwrap(),
        "## Migration plan\n\nNo changes.\n"
    );
    assert_eq!(
        schema_diff(
            &Schema::new(Dialect::Postgres),
            &Schema::new(Dialect::Postgres)
        ),
        ""
    );
}

#[test]
fn the_public_reports_use_the_differs_rules() {
    // Whatever the rules say, every change is in every report.
    let plan = plan();
    let summary = summary(&plan, Dialect::Postgres);
    let markdown = markdown(&plan, Dialect::Postgres).unwrap();
    let json = json(&plan, Dialect::Postgres).unwrap();
    for needle in ["public.tasks.due_date", "public.tasks.legacy"] {
        assert!(summary.contains(needle), "{summary}");
        assert!(markdown.contains(needle), "{markdown}");
        assert!(json.contains(needle), "{json}");
    }
}

#[test]
fn markdown_has_badges_sql_and_the_reversibility_note() {
    let plan = plan();
    insta::assert_snapshot!(markdown_of(&plan, &stand_in_steps(&plan)));
}

#[test]
fn json_is_complete_and_deterministic() {
    let plan = plan();
    let first = json_of(&plan, &stand_in_steps(&plan)).unwrap();
    let second = json_of(&plan, &stand_in_steps(&plan)).unwrap();
    assert_eq!(first, second);
    let value: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(value["reversible"], false);
    assert_eq!(value["changes"].as_array().map(Vec::len), Some(4));
    assert_eq!(value["inverse"].as_array().map(Vec::len), Some(4));
    insta::assert_snapshot!(first);
}

#[test]
fn schema_diff_shows_only_changed_objects() {
    let mut current = Schema::new(Dialect::Postgres);
    let mut desired = Schema::new(Dialect::Postgres);
    let tasks = table(
        "tasks",
        vec![
            col("id", "bigint").not_null(),
            col("title", "varchar(50)").not_null(),
        ],
    )
    .pk("tasks_pkey", &["id"]);
    let mut wider = tasks.clone();
    wider.columns[1] = col("title", "varchar(100)").not_null();
    wider.columns.push(col("due_date", "date").comment("when"));
    wider.indexes.insert(
        "tasks_due_date_idx".into(),
        index("tasks_due_date_idx", &["due_date"]),
    );
    let unchanged = table("users", vec![col("id", "integer")]);
    let status = enum_type("status", &["pending", "done"]);

    let public_current = current.namespace_mut("public");
    public_current.tables =
        BTreeMap::from([("tasks".into(), tasks), ("users".into(), unchanged.clone())]);
    public_current.enums = BTreeMap::from([("status".into(), status.clone())]);
    public_current.sequences =
        BTreeMap::from([("old_seq".into(), sequence("old_seq", "bigint", None))]);

    let public_desired = desired.namespace_mut("public");
    public_desired.tables = BTreeMap::from([
        ("tasks".into(), wider),
        ("users".into(), unchanged),
        (
            "tags".into(),
            table("tags", vec![col("name", "text").not_null()]),
        ),
    ]);
    public_desired.enums = BTreeMap::from([("status".into(), status)]);
    desired.schemas.insert("app".into(), Namespace::default());

    insta::assert_snapshot!(schema_diff(&current, &desired));
}
