//! PostgreSQL table-level facts beyond columns and keys (partitioning and partitions,
//! row-level security, `UNLOGGED`, storage options, exclusion constraints, comments on
//! indexes, constraints and sequences): each created, altered and dropped, up and down, on real
//! PostgreSQL, judged by `pg_dump -s` as well as by autogen's introspection.

use crate::support::pg::{Case, check_round_trips};

const T: &str = "CREATE TABLE public.t (id integer PRIMARY KEY, name text);";

#[test]
fn comments_on_indexes_round_trip() {
    check_round_trips(&[
        Case {
            name: "a comment on an index is added",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name);",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
        },
        Case {
            name: "a comment on an index is changed",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'old';",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'new';",
        },
        Case {
            name: "an index with a comment is dropped",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
            after: T,
        },
        Case {
            name: "an index with a comment is created",
            before: T,
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
        },
        Case {
            name: "an index with a comment is rebuilt",
            before: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (lower(name)); COMMENT ON INDEX public.t_name IS 'by lower name';",
        },
        Case {
            name: "a table with a commented index is created",
            before: "",
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, name text); CREATE INDEX t_name ON public.t (name); COMMENT ON INDEX public.t_name IS 'by name';",
        },
    ]);
}

#[test]
fn comments_on_constraints_and_sequences_round_trip() {
    let keys = "CREATE TABLE public.p (id integer PRIMARY KEY);
        CREATE TABLE public.t (id integer CONSTRAINT t_pkey PRIMARY KEY, code text CONSTRAINT t_code_key UNIQUE,
            qty integer CONSTRAINT t_qty_check CHECK (qty > 0), p integer CONSTRAINT t_p_fkey REFERENCES public.p (id));";
    let commented = "CREATE TABLE public.p (id integer PRIMARY KEY);
        CREATE TABLE public.t (id integer CONSTRAINT t_pkey PRIMARY KEY, code text CONSTRAINT t_code_key UNIQUE,
            qty integer CONSTRAINT t_qty_check CHECK (qty > 0), p integer CONSTRAINT t_p_fkey REFERENCES public.p (id));
        COMMENT ON CONSTRAINT t_pkey ON public.t IS 'the key';
        COMMENT ON CONSTRAINT t_code_key ON public.t IS 'one code';
        COMMENT ON CONSTRAINT t_qty_check ON public.t IS 'positive';
        COMMENT ON CONSTRAINT t_p_fkey ON public.t IS 'to p';";
    let recommented = "CREATE TABLE public.p (id integer PRIMARY KEY);
        CREATE TABLE public.t (id integer CONSTRAINT t_pkey PRIMARY KEY, code text CONSTRAINT t_code_key UNIQUE,
            qty integer CONSTRAINT t_qty_check CHECK (qty > 1), p integer CONSTRAINT t_p_fkey REFERENCES public.p (id));
        COMMENT ON CONSTRAINT t_pkey ON public.t IS 'the primary key';
        COMMENT ON CONSTRAINT t_qty_check ON public.t IS 'more than one';";
    let sequence = "CREATE SEQUENCE public.s;";
    let commented_sequence = "CREATE SEQUENCE public.s; COMMENT ON SEQUENCE public.s IS 'numbers';";
    check_round_trips(&[
        Case {
            name: "comments on constraints are added",
            before: keys,
            after: commented,
        },
        Case {
            name: "comments on constraints change, one goes, a commented check is rebuilt",
            before: commented,
            after: recommented,
        },
        Case {
            name: "comments on constraints are removed",
            before: commented,
            after: keys,
        },
        Case {
            name: "tables with commented constraints are created",
            before: "",
            after: commented,
        },
        Case {
            name: "tables with commented constraints are dropped",
            before: commented,
            after: "",
        },
        Case {
            name: "a comment on a sequence is added",
            before: sequence,
            after: commented_sequence,
        },
        Case {
            name: "a commented sequence is created",
            before: "",
            after: commented_sequence,
        },
        Case {
            name: "a commented sequence is dropped",
            before: commented_sequence,
            after: "",
        },
    ]);
}

#[test]
fn row_level_security_unlogged_storage_and_replica_identity_round_trip() {
    let plain = "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL);
        CREATE UNIQUE INDEX t_name ON public.t (name);";
    let all = "CREATE UNLOGGED TABLE public.t (id integer PRIMARY KEY, name text NOT NULL) WITH (fillfactor = 70, autovacuum_enabled = false);
        CREATE UNIQUE INDEX t_name ON public.t (name) WITH (fillfactor = 80);
        ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
        ALTER TABLE public.t FORCE ROW LEVEL SECURITY;
        ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_name;";
    let some =
        "CREATE TABLE public.t (id integer PRIMARY KEY, name text NOT NULL) WITH (fillfactor = 60);
        CREATE UNIQUE INDEX t_name ON public.t (name) WITH (fillfactor = 90);
        ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
        ALTER TABLE public.t REPLICA IDENTITY FULL;";
    check_round_trips(&[
        Case {
            name: "unlogged, storage options, row-level security and replica identity are set",
            before: plain,
            after: all,
        },
        Case {
            name: "they change",
            before: all,
            after: some,
        },
        Case {
            name: "they are reset",
            before: some,
            after: plain,
        },
        Case {
            name: "a table that has them is created",
            before: "",
            after: all,
        },
        Case {
            name: "a table that has them is dropped",
            before: all,
            after: "",
        },
    ]);
}

#[test]
fn exclusion_constraints_round_trip() {
    let setup = "CREATE EXTENSION IF NOT EXISTS btree_gist;";
    let plain = "CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE public.booking (id integer PRIMARY KEY, room integer, during tsrange);";
    let excluded = "CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE public.booking (id integer PRIMARY KEY, room integer, during tsrange,
            CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));
        COMMENT ON CONSTRAINT no_overlap ON public.booking IS 'one booking at a time';";
    let changed = "CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE public.booking (id integer PRIMARY KEY, room integer, during tsrange,
            CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0) DEFERRABLE);";
    check_round_trips(&[
        Case {
            name: "an exclusion constraint is added",
            before: plain,
            after: excluded,
        },
        Case {
            name: "an exclusion constraint changes",
            before: excluded,
            after: changed,
        },
        Case {
            name: "an exclusion constraint is dropped",
            before: excluded,
            after: plain,
        },
        Case {
            name: "a table with an exclusion constraint is created",
            before: setup,
            after: excluded,
        },
        Case {
            name: "an exclusion constraint over an expression is added",
            before: plain,
            after:
                "CREATE EXTENSION IF NOT EXISTS btree_gist;
                CREATE TABLE public.booking (id integer PRIMARY KEY, room integer, during tsrange,
                    CONSTRAINT no_overlap EXCLUDE USING gist ((room % 10) WITH =, during WITH &&));",
        },
    ]);
}

#[test]
fn partitions_round_trip() {
    let parent = "CREATE TABLE public.m (id integer NOT NULL, at date NOT NULL, v text,
            PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE INDEX m_v ON public.m (v);";
    let partitioned = "CREATE TABLE public.m (id integer NOT NULL, at date NOT NULL, v text,
            PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE INDEX m_v ON public.m (v);
        CREATE TABLE public.m_2020 PARTITION OF public.m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
        CREATE TABLE public.m_2021 PARTITION OF public.m FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
        CREATE INDEX m_2021_id ON public.m_2021 (id);
        CREATE TABLE public.m_rest PARTITION OF public.m DEFAULT;";
    let repartitioned = "CREATE TABLE public.m (id integer NOT NULL, at date NOT NULL, v text, w integer,
            PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE INDEX m_v ON public.m (v);
        CREATE TABLE public.m_2020 PARTITION OF public.m FOR VALUES FROM ('2020-01-01') TO ('2020-07-01');
        CREATE TABLE public.m_2022 PARTITION OF public.m FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');";
    let by_list = "CREATE TABLE public.l (id integer, kind text) PARTITION BY LIST (kind);
        CREATE TABLE public.l_a PARTITION OF public.l FOR VALUES IN ('a', 'b');
        CREATE TABLE public.h (id integer) PARTITION BY HASH (id);
        CREATE TABLE public.h_0 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 0);
        CREATE TABLE public.h_1 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 1);";
    let by_other_key = "CREATE TABLE public.l (id integer, kind text) PARTITION BY LIST (id);
        CREATE TABLE public.l_a PARTITION OF public.l FOR VALUES IN (1, 2);
        CREATE TABLE public.h (id integer) PARTITION BY HASH (id);
        CREATE TABLE public.h_0 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 0);
        CREATE TABLE public.h_1 PARTITION OF public.h FOR VALUES WITH (modulus 2, remainder 1);";
    check_round_trips(&[
        Case {
            name: "a partitioned table and its partitions are created",
            before: "",
            after: partitioned,
        },
        Case {
            name: "partitions are added to a partitioned table",
            before: parent,
            after: partitioned,
        },
        Case {
            name: "a column is added, partitions dropped, one rebound, one created",
            before: partitioned,
            after: repartitioned,
        },
        Case {
            name: "a partitioned table and its partitions are dropped",
            before: partitioned,
            after: "",
        },
        Case {
            name: "list and hash partitions are created",
            before: "",
            after: by_list,
        },
        Case {
            name: "a partition key changes: the table is created again",
            before: by_list,
            after: by_other_key,
        },
        Case {
            name: "a partition gets a primary key of its own, which makes its columns NOT NULL",
            before: "CREATE TABLE public.q (id integer, kind text) PARTITION BY LIST (kind);
                CREATE TABLE public.q_a PARTITION OF public.q FOR VALUES IN ('a');",
            after: "CREATE TABLE public.q (id integer, kind text) PARTITION BY LIST (kind);
                CREATE TABLE public.q_a PARTITION OF public.q (CONSTRAINT q_a_key PRIMARY KEY (kind, id)) FOR VALUES IN ('a');",
        },
        Case {
            name: "a table with a serial column becomes partitioned: its sequence stays",
            before: "CREATE TABLE public.s (id serial, kind text NOT NULL);",
            after: "CREATE TABLE public.s (id serial, kind text NOT NULL) PARTITION BY LIST (kind);
                CREATE TABLE public.s_a PARTITION OF public.s FOR VALUES IN ('a');",
        },
        Case {
            name: "a partition with a NOT NULL and a default of its own, referenced through its parent, is dropped",
            before: "CREATE TABLE public.r (k text, v text, PRIMARY KEY (k)) PARTITION BY LIST (k);
                CREATE TABLE public.r_a PARTITION OF public.r (v WITH OPTIONS DEFAULT 'x' NOT NULL) FOR VALUES IN ('a');
                CREATE TABLE public.f (k text REFERENCES public.r (k));",
            after: "CREATE TABLE public.r (k text, v text, PRIMARY KEY (k)) PARTITION BY LIST (k);
                CREATE TABLE public.f (k text REFERENCES public.r (k));",
        },
    ]);
}

/// A partition's own key or index that backs its parent's index (PostgreSQL attached it
/// instead of building one): created `PARTITION OF` a parent that has the index, the partition
/// would get a new auto-named index before its own key existed.
#[test]
fn partition_keys_backing_the_parents_index_round_trip() {
    let parent = "CREATE TABLE public.p (id integer, foo text, bar text, CHECK (id > 0)) PARTITION BY LIST (foo);
        CREATE UNIQUE INDEX p_foo_bar ON public.p (foo, bar);";
    check_round_trips(&[
        Case {
            name: "a partition whose own primary key backs the parent's unique index is added",
            before: parent,
            after: "CREATE TABLE public.p (id integer, foo text, bar text, CHECK (id > 0)) PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p (PRIMARY KEY (foo, bar)) FOR VALUES IN ('a');
                CREATE UNIQUE INDEX p_foo_bar ON public.p (foo, bar);",
        },
        Case {
            name: "a partition whose own unique constraint backs the parent's unique index is added",
            before: parent,
            after: "CREATE TABLE public.p (id integer, foo text, bar text, CHECK (id > 0)) PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p (UNIQUE (foo, bar)) FOR VALUES IN ('a');
                CREATE UNIQUE INDEX p_foo_bar ON public.p (foo, bar);",
        },
    ]);
}

/// The index behind a primary key or unique constraint has a comment and storage options of
/// its own (`COMMENT ON INDEX t_pkey`, `ALTER INDEX t_code_key SET (..)`): set, changed,
/// dropped with its key, and created with a new table or key, up and down.
#[test]
fn comments_and_storage_of_key_indexes_round_trip() {
    let plain = "CREATE TABLE public.t (id integer PRIMARY KEY, code text UNIQUE, n integer);";
    let with_facts = "CREATE TABLE public.t (id integer PRIMARY KEY, code text UNIQUE, n integer);
        COMMENT ON INDEX public.t_pkey IS 'the key';
        ALTER INDEX public.t_code_key SET (fillfactor = 70);
        COMMENT ON INDEX public.t_code_key IS 'codes';";
    check_round_trips(&[
        Case {
            name: "comments and storage options are set on a key's index",
            before: plain,
            after: with_facts,
        },
        Case {
            name: "they change",
            before: with_facts,
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, code text UNIQUE, n integer);
                COMMENT ON INDEX public.t_pkey IS 'the primary key';
                ALTER INDEX public.t_code_key SET (fillfactor = 80, deduplicate_items = off);",
        },
        Case {
            name: "a table is created with them",
            before: "",
            after: with_facts,
        },
        Case {
            name: "the keys go, and their comments and storage with them",
            before: with_facts,
            after: "CREATE TABLE public.t (id integer, code text, n integer);",
        },
        Case {
            name: "a new unique key comes with its storage options",
            before: plain,
            after: "CREATE TABLE public.t (id integer PRIMARY KEY, code text UNIQUE, n integer,
                    CONSTRAINT t_n_key UNIQUE (n) WITH (fillfactor = 60));
                COMMENT ON INDEX public.t_n_key IS 'n';",
        },
    ]);
}

/// A partition's own NOT NULL when its parent's column changes too (its collation, its NOT
/// NULL): what the parent's change does not reach is set or dropped on the partition after it.
#[test]
fn partition_not_null_beside_a_parent_column_change_round_trips() {
    check_round_trips(&[
        Case {
            name: "the NOT NULL moves from one partition to another while the parent's collation changes",
            before: "CREATE TABLE public.p (id integer, foo text, bar text COLLATE \"C\") PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p (bar NOT NULL) FOR VALUES IN ('a');
                CREATE TABLE public.p_2 PARTITION OF public.p FOR VALUES IN ('b');
                INSERT INTO public.p VALUES (1, 'a', 'x'), (2, 'b', 'y');",
            after: "CREATE TABLE public.p (id integer, foo text, bar text COLLATE \"POSIX\") PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p FOR VALUES IN ('a');
                CREATE TABLE public.p_2 PARTITION OF public.p (bar NOT NULL) FOR VALUES IN ('b');",
        },
        Case {
            name: "the parent's NOT NULL goes and one partition keeps it",
            before: "CREATE TABLE public.p (id integer, foo text, bar text NOT NULL) PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p FOR VALUES IN ('a');
                CREATE TABLE public.p_2 PARTITION OF public.p FOR VALUES IN ('b');",
            after: "CREATE TABLE public.p (id integer, foo text, bar text) PARTITION BY LIST (foo);
                CREATE TABLE public.p_1 PARTITION OF public.p (bar NOT NULL) FOR VALUES IN ('a');
                CREATE TABLE public.p_2 PARTITION OF public.p FOR VALUES IN ('b');",
        },
    ]);
}

/// Which of a partition's indexes is attached to which index of its parent, under its own
/// name (`attached_indexes`): kept through a detach, given back after a parent's index is
/// built again, an index built `ON ONLY` the parent left so, and a new partition's own key
/// that backs no index of the parent's left its own. Judged by `pg_dump -s`, which names every
/// partition index and each `ATTACH PARTITION`.
#[test]
fn partition_index_names_round_trip() {
    let parent = "CREATE TABLE public.p (id integer NOT NULL, foo text NOT NULL, UNIQUE (foo, id)) PARTITION BY LIST (foo);
        CREATE INDEX p_id ON public.p (id);";
    // A case's schema: the parent's, then the rest (a `Case` holds `&'static str`s).
    let with = |parent: &str, rest: &str| -> &'static str { format!("{parent}\n{rest}").leak() };
    check_round_trips(&[
        Case {
            name: "a partition detached into a table of its own keeps its attached indexes and keys",
            before: with(parent, "                CREATE TABLE public.p_1 PARTITION OF public.p FOR VALUES IN ('a');
                INSERT INTO public.p VALUES (1, 'a');"),
            after: with(parent, "                CREATE TABLE public.p_1 (id integer NOT NULL, foo text NOT NULL, UNIQUE (foo, id));
                CREATE INDEX p_1_id_idx ON public.p_1 (id);"),
        },
        Case {
            name: "a partition detached keeps its key and loses the index it no longer has",
            before: with(parent, "                CREATE TABLE public.p_1 PARTITION OF public.p FOR VALUES IN ('a');"),
            after: with(parent, "                CREATE TABLE public.p_1 (id integer NOT NULL, foo text NOT NULL, UNIQUE (foo, id));"),
        },
        Case {
            name: "a parent's unique index becomes its primary key, the partition's index named its own way",
            before: "CREATE TABLE public.q (id integer NOT NULL, foo text NOT NULL) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');
                CREATE UNIQUE INDEX q_key ON ONLY public.q (foo, id);
                CREATE UNIQUE INDEX q_1_own ON public.q_1 (foo, id);
                ALTER INDEX public.q_key ATTACH PARTITION public.q_1_own;",
            after: "CREATE TABLE public.q (id integer NOT NULL, foo text NOT NULL) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');
                ALTER TABLE public.q ADD CONSTRAINT q_key PRIMARY KEY (foo, id);",
        },
        Case {
            name: "a parent's index with partition indexes of their own names is added",
            before: "CREATE TABLE public.q (id integer, foo text) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');
                CREATE TABLE public.q_2 PARTITION OF public.q FOR VALUES IN ('b');",
            after: "CREATE TABLE public.q (id integer, foo text) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');
                CREATE TABLE public.q_2 PARTITION OF public.q FOR VALUES IN ('b');
                CREATE INDEX q_id ON public.q (id);
                ALTER INDEX public.q_1_id_idx RENAME TO q_1_by_id;",
        },
        Case {
            name: "an index built ON ONLY the parent, no partition's attached to it",
            before: "CREATE TABLE public.q (id integer, foo text) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');",
            after: "CREATE TABLE public.q (id integer, foo text) PARTITION BY LIST (foo);
                CREATE TABLE public.q_1 PARTITION OF public.q FOR VALUES IN ('a');
                CREATE INDEX q_id ON ONLY public.q (id);",
        },
        Case {
            name: "a sub-partitioned table gets a new partition, a default one and an index",
            before: "CREATE TABLE public.s (id integer NOT NULL, at date NOT NULL, kind text NOT NULL,
                    PRIMARY KEY (id, at, kind)) PARTITION BY RANGE (at);
                CREATE TABLE public.s_2026 PARTITION OF public.s FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
                    PARTITION BY LIST (kind);
                CREATE TABLE public.s_2026_a PARTITION OF public.s_2026 FOR VALUES IN ('a');
                INSERT INTO public.s VALUES (1, '2026-05-01', 'a');",
            after: "CREATE TABLE public.s (id integer NOT NULL, at date NOT NULL, kind text NOT NULL,
                    PRIMARY KEY (id, at, kind)) PARTITION BY RANGE (at);
                CREATE TABLE public.s_2026 PARTITION OF public.s FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
                    PARTITION BY LIST (kind);
                CREATE TABLE public.s_2026_a PARTITION OF public.s_2026 FOR VALUES IN ('a');
                CREATE TABLE public.s_2026_b PARTITION OF public.s_2026 FOR VALUES IN ('b');
                CREATE TABLE public.s_default PARTITION OF public.s DEFAULT;
                CREATE INDEX s_kind ON public.s (kind);
                ALTER INDEX public.s_2026_a_kind_idx RENAME TO s_2026_a_by_kind;",
        },
        Case {
            name: "a new partition's own primary key backs no index of the parent's",
            before: parent,
            after: with(parent, "                CREATE TABLE public.p_1 PARTITION OF public.p (PRIMARY KEY (foo, id)) FOR VALUES IN ('a');"),
        },
    ]);
}

/// Models cannot declare these facts: `check` and `-m` leave the database's as they are
/// (never dropping row-level security, `UNLOGGED`, an exclusion constraint or a partition
/// because the models are silent), and a model change (a new column) keeps them.
#[test]
fn models_leave_table_facts_alone() {
    use crate::support::pg::dump_lines;
    use crate::support::scenario::Scenario;

    let db = autogen_testkit::postgres();
    let scenario = Scenario::new(db.url());
    let models = |extra: &str| {
        format!(
            "#[derive(autogen::Model)]\n#[autogen(table = \"items\")]\n\
             #[autogen(index(name = \"items_room_idx\", columns(room)))]\nstruct Item {{\n    \
             #[autogen(primary_key, identity = false)]\n    id: i64,\n    room: i32,\n    \
             during: Option<String>,\n{extra}}}\n\
             #[derive(autogen::Model)]\n#[autogen(table = \"events\", primary_key(id, at))]\n\
             struct Event {{\n    id: i64,\n    at: chrono::NaiveDate,\n{extra}}}\n"
        )
    };
    scenario.models(&models(""));
    scenario.ok(&[&["-m", "items"], &["upgrade"]]);
    db.execute(
        "CREATE EXTENSION IF NOT EXISTS btree_gist;
         ALTER TABLE items SET UNLOGGED;
         ALTER TABLE items SET (fillfactor = 70);
         ALTER INDEX items_room_idx SET (fillfactor = 80);
         ALTER TABLE items ENABLE ROW LEVEL SECURITY;
         ALTER TABLE items FORCE ROW LEVEL SECURITY;
         ALTER TABLE items REPLICA IDENTITY FULL;
         ALTER TABLE items ADD CONSTRAINT items_room_excl EXCLUDE USING gist (room WITH =);
         COMMENT ON CONSTRAINT items_room_excl ON items IS 'one per room';
         COMMENT ON CONSTRAINT items_pkey ON items IS 'the key';
         COMMENT ON INDEX items_room_idx IS 'by room';
         DROP TABLE events;
         CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
         CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
         CREATE TABLE events_rest PARTITION OF events DEFAULT;",
    );
    let before = dump_lines(db.url()).expect("pg_dump");
    let (code, out) = scenario.autogen(&["check"]);
    assert_eq!(
        code, 0,
        "check proposes something for facts the models cannot say:\n{out}"
    );
    scenario.settled();

    scenario.models(&models("    note: Option<String>,\n"));
    scenario.ok(&[&["-m", "note"], &["upgrade"], &["check"]]);
    let after = dump_lines(db.url()).expect("pg_dump");
    let facts = [
        "UNLOGGED",
        "fillfactor",
        "ROW LEVEL SECURITY",
        "REPLICA IDENTITY",
        "EXCLUDE",
        "COMMENT ON",
        "PARTITION",
    ];
    let kept = |line: &&String| facts.iter().any(|f| line.contains(f));
    assert_eq!(
        before.iter().filter(kept).collect::<Vec<_>>(),
        after.iter().filter(kept).collect::<Vec<_>>(),
        "the table facts are not as they were"
    );
    assert!(
        after.iter().any(|l| l.trim().starts_with("note text")),
        "{after:#?}"
    );
    scenario.ok(&[&["downgrade"]]);
    assert_eq!(
        dump_lines(db.url()).expect("pg_dump"),
        before,
        "the down does not restore"
    );
}
