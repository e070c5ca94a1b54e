//! The public surface beyond `diff`: serialisation, per-dialect hazards, the inverse plan.

use autogen_schema::Dialect;
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
fn hazards_depend_on_the_dialect() {
    let plan = plan(BEFORE, AFTER);
    let mut out = String::new();
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        out.push_str(&format!("{}:\n", dialect.name()));
        for (i, h) in plan.hazards(dialect) {
            out.push_str(&format!("  {i} {:?} {}: {}\n", h.kind, h.object, h.reason));
        }
    }
    assert_snapshot!(out, @r"
        postgres:
          0 DataLoss public.e: removes label(s) 'b'
          0 MayFailOnExistingRows public.e: fails if any row holds 'b'
          0 LocksTable public.t: rewrites the table to cast its columns to the rebuilt type
          1 LocksTable public.t: rewrites the table under an exclusive lock to change id to bigint
          2 MayFailOnExistingRows public.t.n: sets NOT NULL: fails if any row holds NULL
          2 LocksTable public.t: scans every row for NULL while blocking writes
          3 MayFailOnExistingRows public.t: adds check t_n_check: fails if any row violates it
          3 LocksTable public.t: checks every row while blocking writes
        mysql:
          0 DataLoss public.e: removes label(s) 'b'
          0 MayFailOnExistingRows public.e: fails if any row holds 'b'
          0 LocksTable public.t: rewrites the table to cast its columns to the rebuilt type
          1 LocksTable public.t: copies the table to change id
          2 MayFailOnExistingRows public.t.n: sets NOT NULL: fails if any row holds NULL
          3 MayFailOnExistingRows public.t: adds check t_n_check: fails if any row violates it
        sqlite:
          0 DataLoss public.e: removes label(s) 'b'
          0 MayFailOnExistingRows public.e: fails if any row holds 'b'
          1 LocksTable public.t: SQLite rebuilds the table to make this change
          2 MayFailOnExistingRows public.t.n: sets NOT NULL: fails if any row holds NULL
          2 LocksTable public.t: SQLite rebuilds the table to make this change
          3 MayFailOnExistingRows public.t: adds check t_n_check: fails if any row violates it
          3 LocksTable public.t: SQLite rebuilds the table to make this change
        ");
}

#[test]
fn the_down_plan_has_hazards_of_its_own() {
    // Adding a label is harmless; taking it away again is not.
    let up = plan("enum e: a", "enum e: a, b");
    assert!(up.is_reversible());
    let down = up.inverse();
    assert!(!down.is_reversible());
    assert_snapshot!(super::render::plan(&down), @r"
        rebuild enum public.e: (a, b) -> (a)
            ! DataLoss public.e: removes label(s) 'b'
            ! MayFailOnExistingRows public.e: fails if any row holds 'b'
        irreversible
        ");
}
