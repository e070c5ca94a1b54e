//! PostgreSQL's table facts beyond columns and keys (`Table::postgres`): each created, changed
//! and dropped, proven up and down on the simulator by [`check_schemas`]; and left alone by a
//! source that cannot state them (models).

use autogen_schema::{
    Authority, Exclusion, PartitionOf, QualifiedName, ReplicaIdentity, Schema, Table,
};
use insta::assert_snapshot;

use super::{check_schemas, fixture};
use crate::{Change, DiffOptions, diff};

const T: &str = "
seq s; type bigint
table t
  id integer; not null
  room integer
  name text
  pk t_pkey (id)
  unique t_name_key (name)
  check t_room_check (room > 0)
  index t_room_idx (room)
";

fn schema(text: &str) -> Schema {
    fixture::parse(text).0
}

fn t(schema: &mut Schema) -> &mut Table {
    schema
        .schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.get_mut("t"))
        .expect("table t")
}

/// Every fact set on `t`.
fn with_facts(text: &str) -> Schema {
    let mut s = schema(text);
    let table = t(&mut s);
    let facts = &mut table.postgres;
    facts.options.unlogged = true;
    facts.options.row_security = true;
    facts.options.force_row_security = true;
    facts.options.storage = vec!["fillfactor=70".to_owned()];
    facts.options.replica_identity = ReplicaIdentity::Index("t_name_key".to_owned());
    facts.exclusions.insert(
        "t_no_overlap".to_owned(),
        Exclusion {
            name: "t_no_overlap".to_owned(),
            definition: "EXCLUDE USING gist (room WITH =)".to_owned(),
        },
    );
    facts
        .constraint_comments
        .insert("t_room_check".to_owned(), "positive".to_owned());
    facts
        .constraint_comments
        .insert("t_no_overlap".to_owned(), "one at a time".to_owned());
    facts
        .index_comments
        .insert("t_room_idx".to_owned(), "by room".to_owned());
    facts
        .index_storage
        .insert("t_room_idx".to_owned(), vec!["fillfactor=80".to_owned()]);
    s.namespace_mut("public")
        .sequence_comments
        .insert("s".to_owned(), "numbers".to_owned());
    s
}

#[test]
fn every_fact_is_set_and_reset_in_place() {
    assert_snapshot!(check_schemas(schema(T), with_facts(T), &DiffOptions::default()), @r#"
    alter options of public.t: PostgresTableOptions { unlogged: false, row_security: false, force_row_security: false, storage: [], replica_identity: Default } -> PostgresTableOptions { unlogged: true, row_security: true, force_row_security: true, storage: ["fillfactor=70"], replica_identity: Index("t_name_key") }
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten unlogged
    add exclusion public.t.t_no_overlap EXCLUDE USING gist (room WITH =)
        ! MayFailOnExistingRows public.t.t_no_overlap: adds an exclusion constraint: fails if existing rows conflict
        ! LocksTable public.t: ACCESS EXCLUSIVE lock: blocks reads and writes while the exclusion index is built
    storage of index public.t.t_room_idx: [] -> ["fillfactor=80"]
    comment on Index { table: QualifiedName { schema: "public", name: "t" }, name: "t_room_idx" }: NULL -> 'by room'
    comment on Constraint { table: QualifiedName { schema: "public", name: "t" }, name: "t_no_overlap" }: NULL -> 'one at a time'
    comment on Constraint { table: QualifiedName { schema: "public", name: "t" }, name: "t_room_check" }: NULL -> 'positive'
    comment on Sequence { name: QualifiedName { schema: "public", name: "s" } }: NULL -> 'numbers'
    "#);
}

#[test]
fn a_table_with_every_fact_is_created_and_dropped_whole() {
    let facts = with_facts(T);
    let plan = diff(
        &schema("seq s; type bigint"),
        &facts,
        &DiffOptions::default(),
    );
    // The table carries its facts; only the sequence's comment is a step of its own.
    assert!(
        plan.changes.iter().all(|c| matches!(
            c,
            Change::CreateTable { .. } | Change::CreateSequence { .. } | Change::SetComment { .. }
        )),
        "{:?}",
        plan.changes
    );
    check_schemas(
        schema("seq s; type bigint"),
        with_facts(T),
        &DiffOptions::default(),
    );
    check_schemas(
        with_facts(T),
        schema("seq s; type bigint"),
        &DiffOptions::default(),
    );
}

#[test]
fn an_index_or_constraint_that_goes_takes_its_comment_and_storage_along_both_ways() {
    let gone = "
seq s; type bigint
table t
  id integer; not null
  room integer
  name text
  pk t_pkey (id)
  unique t_name_key (name)
";
    let mut after = schema(gone);
    t(&mut after).postgres.options.replica_identity =
        ReplicaIdentity::Index("t_name_key".to_owned());
    let text = check_schemas(with_facts(T), after, &DiffOptions::default());
    for line in [
        "comment on Index { table: QualifiedName { schema: \"public\", name: \"t\" }, name: \"t_room_idx\" }: 'by room' -> NULL",
        "storage of index public.t.t_room_idx: [\"fillfactor=80\"] -> []",
        "comment on Constraint { table: QualifiedName { schema: \"public\", name: \"t\" }, name: \"t_room_check\" }: 'positive' -> NULL",
        "drop exclusion public.t.t_no_overlap",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
}

fn partitioned(key: &str, bounds: &[(&str, &str)]) -> Schema {
    let mut s = schema(
        "
table m
  id integer; not null
  at date; not null
  pk m_pkey (id, at)
",
    );
    let ns = s.namespace_mut("public");
    let parent = ns.tables.get_mut("m").expect("m");
    parent.postgres.partition_by = Some(key.to_owned());
    let columns = parent.columns.clone();
    for (name, bound) in bounds {
        let mut p = Table::new(*name);
        p.columns = columns.clone();
        p.postgres.partition_of = Some(PartitionOf {
            parent: QualifiedName::new("public", "m"),
            bound: (*bound).to_owned(),
        });
        ns.tables.insert((*name).to_owned(), p);
    }
    s
}

#[test]
fn partitions_are_attached_detached_and_follow_their_parent() {
    let before = partitioned(
        "RANGE (at)",
        &[("m_1", "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')")],
    );
    let mut after = partitioned(
        "RANGE (at)",
        &[
            ("m_1", "FOR VALUES FROM ('2020-01-01') TO ('2020-07-01')"),
            ("m_2", "DEFAULT"),
        ],
    );
    // A column added to the parent reaches the partitions without a step of theirs.
    for name in ["m", "m_1", "m_2"] {
        let table = after
            .schemas
            .get_mut("public")
            .and_then(|ns| ns.tables.get_mut(name))
            .expect("table");
        table.columns.push(autogen_schema::Column::new(
            "v",
            autogen_schema::ColumnType::Text,
        ));
    }
    let text = check_schemas(before, after, &DiffOptions::default());
    assert_eq!(text.matches("add column").count(), 2, "{text}");
    assert!(text.contains("detach public.m_1"), "{text}");
    assert!(text.contains("attach public.m_1"), "{text}");
    assert!(text.contains("create table public.m_2"), "{text}");
}

#[test]
fn a_new_partition_key_recreates_the_table_and_its_partitions() {
    let before = partitioned("LIST (id)", &[("m_1", "FOR VALUES IN (1)")]);
    let after = partitioned("LIST (at)", &[("m_1", "FOR VALUES IN ('2020-01-01')")]);
    let text = check_schemas(before, after, &DiffOptions::default());
    for line in [
        "drop table public.m ",
        "drop table public.m_1",
        "create table public.m ",
        "create table public.m_1",
        "DataLoss public.m:",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
}

/// Models cannot state these facts: `check` and `-m` leave them, and the partitions of a
/// table the models keep, as the database has them.
#[test]
fn models_leave_every_fact_and_partition_alone() {
    let models = DiffOptions {
        authority: Authority::models(),
        ..DiffOptions::default()
    };
    let mut database = with_facts(T);
    let partitions = partitioned("RANGE (at)", &[("m_1", "DEFAULT")]);
    for (name, table) in &partitions.schemas["public"].tables {
        database
            .namespace_mut("public")
            .tables
            .insert(name.clone(), table.clone());
    }
    let mut stated = schema(T);
    let mut parent = partitions.schemas["public"].tables["m"].clone();
    parent.postgres = Default::default();
    stated
        .namespace_mut("public")
        .tables
        .insert("m".to_owned(), parent);
    assert!(diff(&database, &stated, &models).is_empty());
    // A model that adds a column changes only that.
    let mut more = stated.clone();
    t(&mut more).columns.push(autogen_schema::Column::new(
        "added",
        autogen_schema::ColumnType::Text,
    ));
    let plan = diff(&database, &more, &models);
    assert!(
        matches!(plan.changes.as_slice(), [Change::AddColumn { .. }]),
        "{:?}",
        plan.changes
    );
}

/// A table created again for a new partition key keeps the sequence its column owns: disowned
/// before the drop (PostgreSQL would drop it along), owned again once the table is back.
#[test]
fn a_recreated_table_keeps_its_owned_sequence() {
    let text = "
seq m_id_seq; type integer; owned m.id
table m
  id integer; not null; default nextval('m_id_seq'::regclass)
  at date; not null
";
    let with_key = |key: &str| {
        let mut s = schema(text);
        s.namespace_mut("public")
            .tables
            .get_mut("m")
            .expect("m")
            .postgres
            .partition_by = Some(key.to_owned());
        s
    };
    let plan = check_schemas(
        with_key("RANGE (at)"),
        with_key("LIST (id)"),
        &DiffOptions::default(),
    );
    let lines: Vec<&str> = plan
        .lines()
        .filter(|l| !l.starts_with(' ') && *l != "irreversible")
        .collect();
    assert!(!plan.contains("hint:"), "{plan}");
    assert!(
        lines
            .first()
            .is_some_and(|l| l.starts_with("alter sequence public.m_id_seq")),
        "{plan}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("alter sequence public.m_id_seq")),
        "{plan}"
    );
    assert!(!plan.contains("drop sequence"), "{plan}");
}
