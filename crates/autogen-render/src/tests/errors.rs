//! What render refuses, and that it says so instead of panicking.

use autogen_diff::{Change, Plan};
use autogen_schema::{Dialect, IdentityKind};

use super::fixtures::*;
use crate::{render, summary};

fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        changes,
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    }
}

#[test]
fn a_database_of_one_namespace_cannot_create_another() {
    let plan = plan(vec![Change::CreateSchema { name: "app".into() }]);
    // The summary has no SQL in it, so it works for every dialect.
    assert!(summary(&plan, Dialect::MySql).contains("create schema app"));
    assert_eq!(
        render(&plan, Dialect::Sqlite).unwrap_err().to_string(),
        "cannot render `create schema app` for sqlite: SQLite has one namespace, `main`"
    );
    assert_eq!(
        render(&plan, Dialect::MySql).unwrap_err().to_string(),
        "cannot render `create schema app` for mysql: a MySQL database is one namespace (`main`); schema `app` would be another database"
    );
    let main = plan_of_main();
    assert_eq!(render(&main, Dialect::MySql).unwrap(), Vec::new());
}

fn plan_of_main() -> Plan {
    plan(vec![Change::CreateSchema {
        name: "main".into(),
    }])
}

#[test]
fn malformed_changes_are_errors() {
    let tasks = public("tasks");
    let renamed = Change::AlterColumn {
        table: tasks.clone(),
        from: col("a", "text"),
        to: col("b", "text"),
        backfill: None,
    };
    let auto_increment = Change::AlterColumn {
        table: tasks,
        from: col("id", "integer").not_null(),
        to: col("id", "integer").identity(IdentityKind::AutoIncrement),
        backfill: None,
    };
    let errors: Vec<String> = [renamed, auto_increment]
        .into_iter()
        .map(
            |change| match render(&plan(vec![change]), Dialect::Postgres) {
                Ok(statements) => format!("rendered: {statements:?}"),
                Err(e) => e.to_string(),
            },
        )
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
}

#[test]
fn an_alter_column_without_differences_renders_nothing() {
    let same = Change::AlterColumn {
        table: public("tasks"),
        from: col("a", "text"),
        to: col("a", "text"),
        backfill: None,
    };
    assert_eq!(render(&plan(vec![same]), Dialect::Postgres), Ok(Vec::new()));
}
