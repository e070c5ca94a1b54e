//! Rebuilding an enum that columns use, with defaults, arrays, and checks, indexes and foreign
//! keys that name it: rendered, then applied.

use autogen_diff::{EnumColumnUse, EnumDependent};
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
    insta::assert_snapshot!(sql(rebuild(&public("status"), &from, &to, &uses(), &[])));
}

#[test]
fn a_default_naming_a_removed_label_is_left_to_the_plan() {
    let (from, to) = labels();
    let uses = vec![EnumColumnUse {
        table: public("jobs"),
        column: col("state", "enum public.status").default("'active'::status"),
    }];
    let up = sql(rebuild(&public("status"), &from, &to, &uses, &[]));
    assert!(up.contains("DROP DEFAULT"), "{up}");
    assert!(!up.contains("SET DEFAULT"), "{up}");
}

#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn rebuild_with_columns_applies_and_reverts_on_postgres() {
    let (from, to) = labels();
    let db = autogen_testkit::postgres();
    db.execute(SETUP);
    let before = dump(&db).unwrap();
    let up = sql(rebuild(&public("status"), &from, &to, &uses(), &[]));
    db.try_execute(&up)
        .unwrap_or_else(|e| panic!("up failed: {e}\n{up}"));
    let down = sql(rebuild(&public("status"), &to, &from, &uses(), &[]));
    db.try_execute(&down)
        .unwrap_or_else(|e| panic!("down failed: {e}\n{down}"));
    if let Err(e) = same_dump(&before, &dump(&db).unwrap()) {
        panic!("{e}");
    }
}

/// A check, a partial index and a foreign key whose text holds `'x'::status`, or that join two
/// columns of the type, do not survive the cast in place: the rebuild detaches and re-creates
/// them. Without them, PostgreSQL fails with "operator does not exist: status = status__autogen_old".
#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn rebuild_detaches_checks_indexes_and_foreign_keys_that_name_the_type() {
    let (from, to) = labels();
    let setup = "CREATE TYPE public.status AS ENUM ('pending', 'active', 'done');
        CREATE TABLE public.states (state public.status PRIMARY KEY);
        CREATE TABLE public.jobs (
            id integer PRIMARY KEY,
            state public.status NOT NULL REFERENCES public.states (state)
                CONSTRAINT jobs_state_check CHECK (state <> 'pending' OR last IS NULL),
            last public.status,
            CONSTRAINT jobs_moved_check CHECK (state <> last)
        );
        CREATE INDEX jobs_done_idx ON public.jobs (id) WHERE state = 'done';
        INSERT INTO public.states VALUES ('done'), ('pending');
        INSERT INTO public.jobs VALUES (1, 'done', 'pending'), (2, 'pending', NULL);";
    let (jobs, states) = (public("jobs"), public("states"));
    let uses = vec![
        EnumColumnUse {
            table: jobs.clone(),
            column: col("last", "enum public.status"),
        },
        EnumColumnUse {
            table: jobs.clone(),
            column: col("state", "enum public.status").not_null(),
        },
        EnumColumnUse {
            table: states.clone(),
            column: col("state", "enum public.status").not_null(),
        },
    ];
    let mut partial = index("jobs_done_idx", &["id"]);
    partial.predicate = Some("(state = 'done'::status)".to_owned());
    let dependents = vec![
        EnumDependent::Check {
            table: jobs.clone(),
            constraint: check("jobs_moved_check", "(state <> last)"),
        },
        EnumDependent::Check {
            table: jobs.clone(),
            constraint: check(
                "jobs_state_check",
                "((state <> 'pending'::status) OR (last IS NULL))",
            ),
        },
        EnumDependent::Index {
            table: jobs.clone(),
            index: partial,
        },
        EnumDependent::ForeignKey {
            table: jobs.clone(),
            constraint: foreign_key("jobs_state_fkey", &["state"], states, &["state"]),
        },
    ];
    let db = autogen_testkit::postgres();
    db.execute(setup);
    let before = dump(&db).unwrap();
    let up = sql(rebuild(&public("status"), &from, &to, &uses, &dependents));
    insta::assert_snapshot!(up);
    db.try_execute(&up)
        .unwrap_or_else(|e| panic!("up failed: {e}\n{up}"));
    let down = sql(rebuild(&public("status"), &to, &from, &uses, &dependents));
    db.try_execute(&down)
        .unwrap_or_else(|e| panic!("down failed: {e}\n{down}"));
    if let Err(e) = same_dump(&before, &dump(&db).unwrap()) {
        panic!("{e}");
    }
}
