//! The Mermaid `erDiagram` of the pull-request report: the touched tables and their neighbours
//! only, every added, dropped, changed or renamed column and relation marked.

use autogen_diff::{DiffOptions, diff};
use autogen_schema::{Dialect, Namespace, Schema, Table};
use insta::assert_snapshot;

use super::fixtures::*;
use crate::{er_diagram, lower, markdown_with_diagram};

fn schema(tables: Vec<Table>) -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    let mut public = Namespace::default();
    for table in tables {
        public.tables.insert(table.name.clone(), table);
    }
    schema.schemas.insert("public".to_owned(), public);
    schema
}

fn with_fk(mut table: Table, fk: autogen_schema::ForeignKey) -> Table {
    table.foreign_keys.insert(fk.name.clone(), fk);
    table
}

fn users() -> Table {
    table(
        "users",
        vec![
            col("id", "bigint").not_null(),
            col("email", "text").not_null(),
        ],
    )
    .pk("users_pkey", &["id"])
    .unique(unique("users_email_key", &["email"]))
}

/// users <- tasks <- comments, and `audit_log` unrelated to anything the plan touches.
fn before() -> Schema {
    let tasks = with_fk(
        table(
            "tasks",
            vec![
                col("id", "bigint").not_null(),
                col("user_id", "bigint").not_null(),
                col("title", "varchar(100)").not_null(),
                col("legacy", "text"),
            ],
        )
        .pk("tasks_pkey", &["id"]),
        foreign_key("tasks_user_id_fkey", &["user_id"], public("users"), &["id"]),
    );
    let comments = with_fk(
        table(
            "comments",
            vec![col("id", "bigint").not_null(), col("task_id", "bigint")],
        )
        .pk("comments_pkey", &["id"]),
        foreign_key(
            "comments_task_id_fkey",
            &["task_id"],
            public("tasks"),
            &["id"],
        ),
    );
    let audit =
        table("audit_log", vec![col("id", "bigint").not_null()]).pk("audit_log_pkey", &["id"]);
    schema(vec![users(), tasks, comments, audit])
}

/// tasks gains a due date and a project, its title widens, `legacy` goes; `projects` is new;
/// `comments` is dropped.
fn after() -> Schema {
    let projects = table(
        "projects",
        vec![
            col("id", "bigint").not_null(),
            col("name", "text").not_null(),
        ],
    )
    .pk("projects_pkey", &["id"]);
    let tasks = with_fk(
        with_fk(
            table(
                "tasks",
                vec![
                    col("id", "bigint").not_null(),
                    col("user_id", "bigint").not_null(),
                    col("title", "text").not_null(),
                    col("due_date", "date"),
                    col("project_id", "bigint"),
                ],
            )
            .pk("tasks_pkey", &["id"]),
            foreign_key("tasks_user_id_fkey", &["user_id"], public("users"), &["id"]),
        ),
        foreign_key(
            "tasks_project_id_fkey",
            &["project_id"],
            public("projects"),
            &["id"],
        ),
    );
    let audit =
        table("audit_log", vec![col("id", "bigint").not_null()]).pk("audit_log_pkey", &["id"]);
    schema(vec![users(), tasks, projects, audit])
}

#[test]
fn the_diagram_shows_touched_tables_and_neighbours_with_their_marks() {
    let (current, desired) = (before(), after());
    let plan = diff(&current, &desired, &DiffOptions::default());
    let diagram = er_diagram(&plan, &current, &desired).expect("the plan touches tables");
    assert!(
        !diagram.contains("audit_log"),
        "an untouched table without a relation is left out"
    );
    assert_snapshot!(diagram);
}

#[test]
fn the_markdown_report_carries_the_diagram_and_a_plan_without_tables_none() {
    let (current, desired) = (before(), after());
    let plan = diff(&current, &desired, &DiffOptions::default());
    let steps = lower(&plan, Dialect::Postgres).unwrap();
    let report = markdown_with_diagram(&plan, &steps, &current, &desired);
    let tables = report
        .find("### Tables\n\n```mermaid\nerDiagram\n")
        .expect("a diagram section");
    assert!(tables < report.find("### Up").unwrap(), "{report}");
    // Same schemas: no change, no diagram.
    let none = diff(&current, &current, &DiffOptions::default());
    assert_eq!(er_diagram(&none, &current, &current), None);
}
