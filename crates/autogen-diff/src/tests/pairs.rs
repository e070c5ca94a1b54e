//! Every ordered pair of a set of varied schemas, diffed and proven on the simulator both ways:
//! the combinations nobody writes by hand (an enum rebuilt while its table is renamed away, a
//! cycle dropped while a sequence changes owner, ...).

use autogen_schema::{Dialect, QualifiedName, Schema, Table};

use super::check;
use crate::{DiffOptions, diff};

const SCHEMAS: &[&str] = &[
    "",
    "
enum status: a, b, c
seq s; type integer; owned t.id
table t
  id integer; not null; default nextval('s'::regclass)
  st @status; default 'a'::status
  pk t_pkey (id)
table u
  t_id integer
  sts @status[]
  fk u_t_id_fkey (t_id) -> t (id); on delete cascade
",
    "
enum status: c, a, d
table t
  id bigint; not null; identity
  st @status; not null; default 'd'::status
  name varchar(20)
  pk t_pkey (id)
  unique t_name_key (name)
  index t_lower_idx ((lower(name))); where (id > 0)
table u
  t_id bigint
  sts @status[]
  fk u_t_id_fkey (t_id) -> t (id)
",
    "
schema app
enum app.status: a, b
table app.t
  id integer; not null
  other integer
  pk t_pkey (id)
  fk t_self_fkey (other) -> app.t (id)
table app.u
  id integer; not null
  t_id integer
  pk u_pkey (id)
  fk u_t_fkey (t_id) -> app.t (id)
table t
  id integer; not null
  u_id integer
  pk t_pkey (id)
  fk t_u_fkey (u_id) -> app.u (id)
",
    "
enum status: a, b, c, e
seq s; type integer
table t
  id integer; not null; default nextval('s'::regclass)
  code text; not null
  pk t_code_pkey (code)
  unique t_id_key (id)
  check t_code_check (length(code) > 1)
table u
  t_id integer
  fk u_t_id_fkey (t_id) -> t (id)
",
    "
table t; comment things
  id integer; not null
  st text; default 'a'::text
  pk t_pkey (id)
  index t_st_idx (st); unique
table u
  t_id integer
  t_st text
  fk u_t_st_fkey (t_st) -> t (st); deferrable
",
    "
schema app
enum app.status: a, b, c
seq app.s
table app.t
  id bigint; not null; default nextval('app.s'::regclass)
  st @app.status
  pk t_pkey (id)
table app.v
  t_id bigint; not null
  fk v_t_fkey (t_id) -> app.t (id)
  index v_t_id_idx (t_id)
",
    "
enum status: a, d, c
table u
  id integer; not null
  name text
  st @status
  pk u_pkey (id)
  check u_name_check (length(name) > 0)
  index u_name_idx (name)
table t
  t_st text
  x integer
",
    "
seq u_id_seq; type integer; owned u.id
table u
  id integer; not null; default nextval('u_id_seq'::regclass)
  st text
  pk u_pkey (id)
  unique u_st_key (st)
table t
  u_id integer
  t_st text
  fk t_u_fkey (u_id) -> u (id)
  fk t_st_fkey (t_st) -> u (st)
",
];

#[test]
fn every_pair_of_schemas_round_trips() {
    for before in SCHEMAS {
        for after in SCHEMAS {
            check(before, after);
        }
    }
}

#[test]
fn every_pair_round_trips_with_rename_hints() {
    // Hints that apply to some pairs and not others; stale ones must be ignored.
    let hints = "
rename table t -> u
rename table app.t -> app.v
rename column t st -> name
rename column u t_id -> t_st
rename value status b -> d
rename value app.status c -> b
";
    for before in SCHEMAS {
        for after in SCHEMAS {
            check(before, &format!("{after}\n{hints}"));
        }
    }
}

/// Schemas no database would hold (dangling references, duplicates, keys over missing
/// columns): the differ still answers, without panicking.
#[test]
fn inconsistent_schemas_never_panic() {
    let mut odd = Schema::new(Dialect::Postgres);
    let mut t = Table::new("t");
    let (broken, _) = super::fixture::parse(
        "
enum e: a, a, b
seq s; owned gone.col
table t
  a @missing
  a integer
  b integer; default nextval('nowhere'::regclass)
  pk t_pkey (nope)
  unique t_u (nope)
  index t_i (nope); unique
  fk t_fk (b) -> gone (x)
  fk t_fk2 (b) -> t (nope)
",
    );
    t.columns = broken
        .table(&QualifiedName::new("public", "t"))
        .map(|t| t.columns.clone())
        .unwrap_or_default();
    odd.namespace_mut("public")
        .tables
        .insert("other_name".into(), t);
    let all = [Schema::new(Dialect::Postgres), odd, broken];
    let options = DiffOptions::new()
        .rename_table(
            QualifiedName::new("public", "t"),
            QualifiedName::new("public", "t"),
        )
        .rename_table(
            QualifiedName::new("public", "t"),
            QualifiedName::new("nowhere", "x"),
        )
        .rename_column(QualifiedName::new("public", "t"), "a", "a")
        .rename_enum_value(QualifiedName::new("public", "e"), "a", "b");
    for a in &all {
        for b in &all {
            let plan = diff(a, b, &options);
            let _ = super::render::postgres_hazards(&plan);
            let _ = plan.inverse();
            let mut state = a.clone();
            let _ = crate::apply_all(&mut state, &plan.changes);
        }
    }
}
