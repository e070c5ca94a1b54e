//! Rows survive a migration and its inverse, on real PostgreSQL. Each case is a `before` schema
//! with rows, an `after` schema, and a query over the rows (ordered by primary key, the columns
//! both sides have): the plan from `before` to `after` and then its inverse run on the populated
//! database, and after each the schema is the expected one and the query answers the same.

use crate::support::pg::{Live, plan_between, render_both, schema_difference};

/// One case: the schema before with `rows` inserted, the schema after, and `select`, whose
/// answer must not change. `then`, when not empty, must still run after each migration (it is
/// rolled back): an insert that relies on defaults, sequences and identities going on.
struct Case<'a> {
    before: &'a str,
    after: &'a str,
    rows: &'a str,
    select: &'a str,
    then: &'a str,
}

fn check(case: Case<'_>) {
    let Case {
        before,
        after,
        rows,
        select,
        then,
    } = case;
    let (mut a, mut b) = (Live::new(), Live::new());
    a.execute(before).expect("before loads");
    a.execute(rows).expect("rows insert");
    b.execute(after).expect("after loads");
    let original_rows = a.query(select).expect("select runs");
    assert!(!original_rows.is_empty(), "the case has no rows to keep");

    let current = a.inspect_all().expect("A inspects");
    let desired = b.inspect_all().expect("B inspects");
    let plan = plan_between(&current, &desired);
    assert!(!plan.is_empty(), "the case changes nothing");
    let (up, down) = render_both(&plan).expect("the plan renders");
    let up_sql = autogen_render::script(&up);
    let down_sql = autogen_render::script(&down);

    a.apply(&up)
        .unwrap_or_else(|e| panic!("up fails: {e}\nup:\n{up_sql}"));
    let upgraded = a.inspect_all().expect("A inspects");
    if let Some(difference) = schema_difference(&upgraded, &desired) {
        panic!("after up, the schema is not `after`:\n{difference}\nup:\n{up_sql}");
    }
    assert_eq!(
        a.query(select).expect("select runs after up"),
        original_rows,
        "rows changed going up:\n{up_sql}"
    );
    still_works(&mut a, then, "up", &up_sql);

    a.apply(&down)
        .unwrap_or_else(|e| panic!("down fails: {e}\ndown:\n{down_sql}"));
    let downgraded = a.inspect_all().expect("A inspects");
    if let Some(difference) = schema_difference(&downgraded, &current) {
        panic!("after down, the schema is not `before`:\n{difference}\ndown:\n{down_sql}");
    }
    assert_eq!(
        a.query(select).expect("select runs after down"),
        original_rows,
        "rows changed coming down:\n{down_sql}"
    );
    still_works(&mut a, then, "down", &down_sql);
}

fn still_works(db: &mut Live, then: &str, after: &str, sql: &str) {
    if then.is_empty() {
        return;
    }
    db.execute(&format!("BEGIN; {then}; ROLLBACK;"))
        .unwrap_or_else(|e| panic!("after {after}, `{then}` fails: {e}\n{after}:\n{sql}"));
}

#[test]
fn widen_varchar() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, name varchar(10) NOT NULL DEFAULT 'x');",
        after: "CREATE TABLE t (id int PRIMARY KEY, name varchar(50) NOT NULL DEFAULT 'x');",
        rows: "INSERT INTO t VALUES (1, 'ten chars!'), (2, ''), (3, 'é ü ß');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "",
    });
}

#[test]
fn int_to_bigint() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, n int, m int NOT NULL DEFAULT 0);",
        after: "CREATE TABLE t (id int PRIMARY KEY, n bigint, m bigint NOT NULL DEFAULT 0);",
        rows: "INSERT INTO t VALUES (1, 2147483647, -2147483648), (2, NULL, 0), (3, -1, 7);",
        select: "SELECT id, n, m FROM t ORDER BY id",
        then: "",
    });
}

#[test]
fn int_to_bigint_on_a_referenced_key() {
    check(Case {
        before: "CREATE TABLE parent (id int PRIMARY KEY);
                 CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id));",
        after: "CREATE TABLE parent (id bigint PRIMARY KEY);
                CREATE TABLE child (id int PRIMARY KEY, parent_id bigint REFERENCES parent (id));",
        rows: "INSERT INTO parent VALUES (1), (2147483647);
               INSERT INTO child VALUES (10, 1), (11, 2147483647), (12, NULL);",
        select: "SELECT c.id, c.parent_id, p.id FROM child c LEFT JOIN parent p ON p.id = c.parent_id ORDER BY c.id",
        then: "",
    });
}

#[test]
fn serial_to_bigserial() {
    check(Case {
        before: "CREATE TABLE t (id serial PRIMARY KEY, name text);",
        after: "CREATE TABLE t (id bigserial PRIMARY KEY, name text);",
        rows: "INSERT INTO t (name) VALUES ('a'), ('b'), ('c');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "INSERT INTO t (name) VALUES ('d')",
    });
}

#[test]
fn identity_int_to_bigint() {
    check(Case {
        before: "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);",
        after: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);",
        rows: "INSERT INTO t (name) VALUES ('a'), ('b'), ('c');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "INSERT INTO t (name) VALUES ('d')",
    });
}

#[test]
fn add_column_with_a_default_to_a_populated_table() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, name text);",
        after: "CREATE TABLE t (id int PRIMARY KEY, name text,
                    status text NOT NULL DEFAULT 'new',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    score int DEFAULT 0 CHECK (score >= 0));",
        rows: "INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "",
    });
}

#[test]
fn add_foreign_key() {
    check(Case {
        before: "CREATE TABLE parent (id int PRIMARY KEY);
                 CREATE TABLE child (id int PRIMARY KEY, parent_id int);",
        after: "CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (id int PRIMARY KEY,
                    parent_id int REFERENCES parent (id) ON DELETE CASCADE);",
        rows: "INSERT INTO parent VALUES (1), (2);
               INSERT INTO child VALUES (10, 1), (11, 2), (12, NULL);",
        select: "SELECT c.id, c.parent_id FROM child c ORDER BY c.id",
        then: "",
    });
}

#[test]
fn drop_foreign_key() {
    check(Case {
        before: "CREATE TABLE parent (id int PRIMARY KEY);
                 CREATE TABLE child (id int PRIMARY KEY,
                    parent_id int REFERENCES parent (id) ON DELETE CASCADE);",
        after: "CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int);",
        rows: "INSERT INTO parent VALUES (1), (2);
               INSERT INTO child VALUES (10, 1), (11, 2), (12, NULL);",
        select: "SELECT c.id, c.parent_id FROM child c ORDER BY c.id",
        then: "",
    });
}

#[test]
fn add_index() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, email text, active bool);",
        after: "CREATE TABLE t (id int PRIMARY KEY, email text, active bool);
                CREATE UNIQUE INDEX t_email_idx ON t (lower(email)) WHERE active;
                CREATE INDEX t_active_idx ON t (active, id DESC);",
        rows: "INSERT INTO t VALUES (1, 'A@x', true), (2, 'a@x', false), (3, NULL, true);",
        select: "SELECT id, email, active FROM t ORDER BY id",
        then: "",
    });
}

#[test]
fn drop_index() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, email text, active bool);
                 CREATE UNIQUE INDEX t_email_idx ON t (lower(email)) WHERE active;
                 CREATE INDEX t_active_idx ON t (active, id DESC);",
        after: "CREATE TABLE t (id int PRIMARY KEY, email text, active bool);",
        rows: "INSERT INTO t VALUES (1, 'A@x', true), (2, 'a@x', false), (3, NULL, true);",
        select: "SELECT id, email, active FROM t ORDER BY id",
        then: "",
    });
}

/// The enum cases share tables whose columns have a default, indexes, a partial index, checks
/// and a foreign key naming labels or joining two columns of the type: the down plan rebuilds
/// the type under all of them.
const MOOD_TABLE: &str = "CREATE TABLE moods (mood mood PRIMARY KEY);
    CREATE TABLE t (id int PRIMARY KEY,
        mood mood NOT NULL DEFAULT 'happy' REFERENCES moods (mood) CHECK (mood <> 'angry'),
        was mood,
        moods mood[],
        CHECK (was IS NULL OR was <> mood));
    CREATE INDEX t_mood_idx ON t (mood);
    CREATE INDEX t_happy_idx ON t (id) WHERE mood = 'happy';";
const MOOD_ROWS: &str = "INSERT INTO moods VALUES ('sad'), ('happy');
    INSERT INTO t VALUES (1, 'sad', 'happy', '{sad,happy}'), (2, 'happy', NULL, NULL);
    INSERT INTO t (id) VALUES (3);";
const MOOD_SELECT: &str = "SELECT id, mood::text, was::text, moods::text FROM t ORDER BY id";
const MOOD_THEN: &str = "INSERT INTO t (id) VALUES (100)";

#[test]
fn add_enum_value_in_the_middle() {
    check(Case {
        before: &format!("CREATE TYPE mood AS ENUM ('sad', 'happy', 'angry'); {MOOD_TABLE}"),
        after: &format!("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'angry'); {MOOD_TABLE}"),
        rows: MOOD_ROWS,
        select: MOOD_SELECT,
        then: MOOD_THEN,
    });
}

#[test]
fn add_enum_value_at_the_end() {
    check(Case {
        before: &format!("CREATE TYPE mood AS ENUM ('sad', 'happy', 'angry'); {MOOD_TABLE}"),
        after: &format!(
            "CREATE TYPE mood AS ENUM ('sad', 'happy', 'angry', 'ecstatic'); {MOOD_TABLE}"
        ),
        rows: MOOD_ROWS,
        select: MOOD_SELECT,
        then: MOOD_THEN,
    });
}

#[test]
fn serial_to_identity() {
    check(Case {
        before: "CREATE TABLE t (id serial PRIMARY KEY, name text);",
        after: "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text);",
        rows: "INSERT INTO t (name) VALUES ('a'), ('b'), ('c');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "INSERT INTO t (name) VALUES ('d')",
    });
}

#[test]
fn identity_to_serial() {
    check(Case {
        before: "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text);",
        after: "CREATE TABLE t (id serial PRIMARY KEY, name text);",
        rows: "INSERT INTO t (name) VALUES ('a'), ('b'), ('c');",
        select: "SELECT id, name FROM t ORDER BY id",
        then: "INSERT INTO t (name) VALUES ('d')",
    });
}

#[test]
fn text_to_integer_with_a_default() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, code text DEFAULT '0');",
        after: "CREATE TABLE t (id int PRIMARY KEY, code int DEFAULT 0);",
        rows: "INSERT INTO t VALUES (1, '42'), (2, NULL), (3, '-7');",
        select: "SELECT id, code::text FROM t ORDER BY id",
        then: "INSERT INTO t (id) VALUES (100)",
    });
}

#[test]
fn text_to_enum_with_a_default() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, state text NOT NULL DEFAULT 'new');",
        after: "CREATE TYPE state AS ENUM ('new', 'done');
                CREATE TABLE t (id int PRIMARY KEY, state state NOT NULL DEFAULT 'new');",
        rows: "INSERT INTO t VALUES (1, 'done'), (2, 'new');",
        select: "SELECT id, state::text FROM t ORDER BY id",
        then: "INSERT INTO t (id) VALUES (100)",
    });
}

/// Rows that hold NULL get the default before `SET NOT NULL` (and keep it coming down: the
/// query reads them as the default).
#[test]
fn set_not_null_with_a_default_over_nulls() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, status text, n int DEFAULT 0);",
        after: "CREATE TABLE t (id int PRIMARY KEY, status text NOT NULL DEFAULT 'x',
                    n int NOT NULL DEFAULT 0);",
        rows: "INSERT INTO t VALUES (1, 'a', 5), (2, NULL, NULL), (3, 'c', 0);",
        select: "SELECT id, coalesce(status, 'x'), coalesce(n, 0) FROM t ORDER BY id",
        then: "INSERT INTO t (id) VALUES (100)",
    });
}

#[test]
fn rename_a_primary_key_that_a_foreign_key_uses() {
    check(Case {
        before: "CREATE TABLE parent (id int CONSTRAINT parent_pkey PRIMARY KEY, code text CONSTRAINT parent_code_key UNIQUE);
                 CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id),
                    code text REFERENCES parent (code), n int CONSTRAINT child_n_check CHECK (n > 0));",
        after: "CREATE TABLE parent (id int CONSTRAINT parent_id_pk PRIMARY KEY, code text CONSTRAINT parent_code_uq UNIQUE);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id),
                    code text REFERENCES parent (code), n int CONSTRAINT child_n_positive CHECK (n > 0));",
        rows: "INSERT INTO parent VALUES (1, 'a'), (2, 'b');
               INSERT INTO child VALUES (10, 1, 'a', 1), (11, 2, NULL, 2), (12, NULL, 'b', NULL);",
        select: "SELECT id, parent_id, code, n FROM child ORDER BY id",
        then: "INSERT INTO child VALUES (13, 1, 'b', 3)",
    });
}

#[test]
fn change_a_check_expression_and_a_type_under_it() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, n text CHECK (n <> ''), price int,
                    total int GENERATED ALWAYS AS (price * 2) STORED);
                 CREATE INDEX t_n_idx ON t (lower(n));",
        after: "CREATE TABLE t (id int PRIMARY KEY, n int CHECK (n > 0), price int,
                    total int GENERATED ALWAYS AS (price * 2) STORED);
                CREATE INDEX t_n_idx ON t ((n + 1));",
        rows: "INSERT INTO t VALUES (1, '5', 3), (2, '7', NULL);",
        select: "SELECT id, n::text, price, total FROM t ORDER BY id",
        then: "INSERT INTO t (id, n) VALUES (100, '1')",
    });
}

#[test]
fn widen_a_column_a_generated_column_uses() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, price int,
                    total bigint GENERATED ALWAYS AS (price * 2) STORED);",
        after: "CREATE TABLE t (id int PRIMARY KEY, price bigint,
                    total bigint GENERATED ALWAYS AS (price * 2) STORED);",
        rows: "INSERT INTO t VALUES (1, 3), (2, NULL);",
        select: "SELECT id, price, total FROM t ORDER BY id",
        then: "INSERT INTO t (id, price) VALUES (100, 1)",
    });
}

#[test]
fn change_a_generated_expression_under_an_index() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, price int,
                    total int GENERATED ALWAYS AS (price * 2) STORED);
                 CREATE INDEX t_total_idx ON t (total);",
        after: "CREATE TABLE t (id int PRIMARY KEY, price int,
                    total int GENERATED ALWAYS AS (price * 3) STORED);
                 CREATE INDEX t_total_idx ON t (total);",
        rows: "INSERT INTO t VALUES (1, 3), (2, NULL);",
        select: "SELECT id, price FROM t ORDER BY id",
        then: "INSERT INTO t (id, price) VALUES (100, 1)",
    });
}

/// A generated column reading the enum cannot stay while the type is rebuilt under it: it goes
/// with what is built on it and comes back recomputed.
#[test]
fn add_enum_value_under_a_generated_column() {
    check(Case {
        before: "CREATE TYPE mood AS ENUM ('sad', 'happy');
                 CREATE TABLE t (id int PRIMARY KEY, mood mood,
                    happy bool GENERATED ALWAYS AS (mood = 'happy') STORED,
                    UNIQUE (happy, id));
                 CREATE INDEX t_happy_idx ON t (happy) WHERE happy;",
        after: "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                CREATE TABLE t (id int PRIMARY KEY, mood mood,
                    happy bool GENERATED ALWAYS AS (mood = 'happy') STORED,
                    UNIQUE (happy, id));
                CREATE INDEX t_happy_idx ON t (happy) WHERE happy;",
        rows: "INSERT INTO t VALUES (1, 'sad'), (2, 'happy'), (3, NULL);",
        select: "SELECT id, mood::text, happy FROM t ORDER BY id",
        then: "INSERT INTO t (id, mood) VALUES (100, 'happy')",
    });
}

/// Widening columns under keys, foreign keys, checks, defaults and partial indexes.
#[test]
fn varchar_to_text_under_keys_checks_and_indexes() {
    check(Case {
        before: "CREATE TABLE t (id int PRIMARY KEY, code varchar(5) UNIQUE,
                    note varchar(10) DEFAULT 'n' CHECK (note <> ''));
                 CREATE TABLE u (code varchar(5) REFERENCES t (code));
                 CREATE INDEX t_note_idx ON t (note) WHERE note <> 'x';",
        after: "CREATE TABLE t (id int PRIMARY KEY, code text UNIQUE,
                    note text DEFAULT 'n' CHECK (note <> ''));
                CREATE TABLE u (code text REFERENCES t (code));
                CREATE INDEX t_note_idx ON t (note) WHERE note <> 'x';",
        rows: "INSERT INTO t VALUES (1, 'a', 'b'), (2, 'c', DEFAULT);
               INSERT INTO u VALUES ('a'), (NULL);",
        select: "SELECT id, code, note FROM t ORDER BY id",
        then: "INSERT INTO t (id, code) VALUES (100, 'z')",
    });
}
