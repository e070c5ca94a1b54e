//! The public surface beyond `diff`: serialisation, the inverse plan and its hazards.
//! (Hazards per dialect are judged by the lowering: `autogen-render`'s tests.)

use insta::assert_snapshot;

use super::fixture::parse;
use crate::{Plan, diff};

fn plan(before: &str, after: &str) -> Plan {
    let (a, _) = parse(before);
    let (b, options) = parse(after);
    diff(&a, &b, &options)
}

const BEFORE: &str = "
enum e: a, b
table t
  id integer; not null
  s @e
  n varchar(10)
  pk t_pkey (id)
";
const AFTER: &str = "
enum e: a, c
table t
  id bigint; not null
  s @e
  n varchar(20); not null
  pk t_pkey (id)
  check t_n_check (length(n) > 0)
rename table t -> t
";

#[test]
fn plans_and_options_survive_json() {
    let plan = plan(BEFORE, AFTER);
    let json = serde_json::to_string(&plan).expect("serialise");
    let back: Plan = serde_json::from_str(&json).expect("deserialise");
    // The schema the plan starts from is context, not serialised.
    assert_eq!(
        back,
        Plan {
            before: None,
            ..plan
        }
    );
    let (_, options) = parse("rename column t a -> b\nrename value e a -> b");
    let json = serde_json::to_string(&options).expect("serialise");
    assert_eq!(
        serde_json::from_str::<crate::DiffOptions>(&json).ok(),
        Some(options)
    );
}

#[test]
fn the_down_plan_has_hazards_of_its_own() {
    // Adding a label is harmless; taking it away again is not.
    let up = plan("enum e: a", "enum e: a, b");
    assert!(!super::render::plan(&up).contains("irreversible"));
    let down = up.inverse().expect("the plan applies");
    assert_snapshot!(super::render::plan(&down), @r"
        rebuild enum public.e: (a, b) -> (a)
            ! DataLoss public.e: removes label(s) 'b'
            ! MayFailOnExistingRows public.e: fails if any row holds 'b'
        irreversible
        ");
}

/// The simulator's name rules are the database's: every MySQL primary key is `PRIMARY`, and a
/// SQLite foreign key may name a table that is not there; PostgreSQL refuses both.
#[test]
fn the_simulator_follows_each_dialects_name_rules() {
    let (mut schema, _) = parse(
        "
table a
  id integer; not null
  pk same (id)
table b
  id integer; not null
  a_id integer
  pk same (id)
  fk b_a_fkey (a_id) -> nowhere (id)
",
    );
    assert!(crate::check_consistent(&schema).is_err());
    schema.dialect = autogen_schema::Dialect::Sqlite;
    assert_eq!(crate::check_consistent(&schema), Ok(()));
    schema.dialect = autogen_schema::Dialect::MySql;
    let b = schema
        .schemas
        .get_mut("public")
        .unwrap()
        .tables
        .get_mut("b")
        .unwrap();
    b.foreign_keys.clear();
    assert_eq!(crate::check_consistent(&schema), Ok(()));
}
