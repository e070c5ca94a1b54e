//! Rebuilding an enum that columns use, with defaults and arrays: rendered, then applied.
//! (The plan's `RebuildEnum` does not carry its columns yet, so this drives the rebuild itself.)

use autogen_diff::EnumColumnUse;
use autogen_schema::EnumType;

use super::apply::{dump, same_dump};
use super::fixtures::*;
use crate::Statement;
use crate::postgres::enums::rebuild;

const SETUP: &str = "CREATE TYPE public.status AS ENUM ('pending', 'active', 'done');
    CREATE TABLE public.jobs (
        state public.status DEFAULT 'pending'::public.status NOT NULL,
        history public.status[] DEFAULT '{pending}'::public.status[],
        last public.status
    );
    INSERT INTO public.jobs VALUES ('done', '{pending,done}', NULL), ('pending', '{}', 'pending');";

fn uses() -> Vec<EnumColumnUse> {
    let jobs = public("jobs");
    vec![
        EnumColumnUse {
            table: jobs.clone(),
            column: col("state", "enum public.status")
                .not_null()
                .default("'pending'::status"),
        },
        EnumColumnUse {
            table: jobs.clone(),
            column: col("history", "enum public.status[]").default("'{pending}'::status[]"),
        },
        EnumColumnUse {
            table: jobs,
            column: col("last", "enum public.status"),
        },
    ]
}

fn labels() -> (EnumType, EnumType) {
    (
        enum_type("status", &["pending", "active", "done"]),
        enum_type("status", &["done", "pending"]),
    )
}

fn sql(statements: Vec<String>) -> String {
    let statements: Vec<Statement> = statements.into_iter().map(Statement::new).collect();
    crate::script(&statements)
}

#[test]
fn rebuild_casts_every_column_and_keeps_defaults() {
    let (from, to) = labels();
    insta::assert_snapshot!(sql(rebuild(&public("status"), &from, &to, &uses())));
}

#[test]
fn a_default_naming_a_removed_label_is_left_to_the_plan() {
    let (from, to) = labels();
    let uses = vec![EnumColumnUse {
        table: public("jobs"),
        column: col("state", "enum public.status").default("'active'::status"),
    }];
    let up = sql(rebuild(&public("status"), &from, &to, &uses));
    assert!(up.contains("DROP DEFAULT"), "{up}");
    assert!(!up.contains("SET DEFAULT"), "{up}");
}

#[test]
fn rebuild_with_columns_applies_and_reverts_on_postgres() {
    let (from, to) = labels();
    let db = autogen_testkit::postgres();
    db.execute(SETUP);
    let before = dump(&db).unwrap();
    let up = sql(rebuild(&public("status"), &from, &to, &uses()));
    db.try_execute(&up)
        .unwrap_or_else(|e| panic!("up failed: {e}\n{up}"));
    let down = sql(rebuild(&public("status"), &to, &from, &uses()));
    db.try_execute(&down)
        .unwrap_or_else(|e| panic!("down failed: {e}\n{down}"));
    if let Err(e) = same_dump(&before, &dump(&db).unwrap()) {
        panic!("{e}");
    }
}
