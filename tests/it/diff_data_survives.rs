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

/// SQLite: the same property on a real SQLite file, judged by SQLite's own account of itself
/// (`sqlite_schema` for views and triggers, `pragma_table_xinfo` for declared types) as well as
/// by autogen's introspection. `renames` are `(from, to)` table renames given to the differ;
/// `most_statements`, when set, bounds the up migration's statements (transaction and pragma
/// lines aside).
#[derive(Default)]
struct SqliteCase<'a> {
    before: &'a str,
    after: &'a str,
    rows: &'a str,
    select: &'a str,
    renames: &'a [(&'a str, &'a str)],
    most_statements: Option<usize>,
}

/// What SQLite says the schema is: views and triggers as it keeps them, and every table's
/// columns as it declares them (the declared type decides whether a key is the rowid).
fn sqlite_account(db: &autogen_testkit::SqliteDb) -> Vec<Vec<Option<String>>> {
    let mut out = db.query(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY type, name",
    );
    out.extend(db.query(
        // The rowid is never NULL whether or not it is declared so.
        "SELECT m.name, c.name, c.type, \
         CASE WHEN c.pk = 1 AND lower(c.type) = 'integer' THEN NULL ELSE c.\"notnull\" END, \
         c.dflt_value, c.pk FROM sqlite_schema AS m \
         JOIN pragma_table_xinfo(m.name) AS c WHERE m.type = 'table' ORDER BY m.name, c.name",
    ));
    out
}

fn sqlite_inspect(db: &autogen_testkit::SqliteDb) -> autogen_schema::Schema {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(autogen_introspect::introspect_url(
            db.url(),
            &autogen_introspect::IntrospectOptions::default(),
        ))
        .expect("inspects")
        .schema
}

fn check_sqlite(case: SqliteCase<'_>) -> Vec<autogen_render::Statement> {
    let (a, b, c) = (
        autogen_testkit::sqlite(),
        autogen_testkit::sqlite(),
        autogen_testkit::sqlite(),
    );
    a.execute(case.before);
    a.execute(case.rows);
    b.execute(case.after);
    c.execute(case.before);
    let original_rows = a.query(case.select);
    assert!(!original_rows.is_empty(), "the case has no rows to keep");
    let (current, desired) = (sqlite_inspect(&a), sqlite_inspect(&b));
    let mut options = autogen_diff::DiffOptions::new();
    for (from, to) in case.renames {
        options = options.rename_table(
            autogen_schema::QualifiedName::new("main", *from),
            autogen_schema::QualifiedName::new("main", *to),
        );
    }
    let plan = autogen_diff::diff(&current, &desired, &options);
    assert!(!plan.is_empty(), "the case changes nothing");
    let dialect = autogen_schema::Dialect::Sqlite;
    let up = autogen_render::render(&plan, dialect).unwrap_or_else(|e| panic!("up: {e}"));
    let down = autogen_render::lower(&plan, dialect)
        .unwrap_or_else(|e| panic!("down: {e}"))
        .down_statements();
    let (up_sql, down_sql) = (autogen_render::script(&up), autogen_render::script(&down));

    a.try_execute(&up_sql)
        .unwrap_or_else(|e| panic!("up fails: {e}\nup:\n{up_sql}"));
    if let Some(difference) = schema_difference(&sqlite_inspect(&a), &desired) {
        panic!("after up, the schema is not `after`:\n{difference}\nup:\n{up_sql}");
    }
    assert_eq!(
        sqlite_account(&a),
        sqlite_account(&b),
        "after up, SQLite's own account differs from `after`:\n{up_sql}"
    );
    assert!(
        autogen_diff::diff(&sqlite_inspect(&a), &desired, &Default::default()).is_empty(),
        "a second diff is not empty"
    );
    assert_eq!(
        a.query(case.select),
        original_rows,
        "rows changed going up:\n{up_sql}"
    );

    a.try_execute(&down_sql)
        .unwrap_or_else(|e| panic!("down fails: {e}\ndown:\n{down_sql}"));
    if let Some(difference) = schema_difference(&sqlite_inspect(&a), &current) {
        panic!("after down, the schema is not `before`:\n{difference}\ndown:\n{down_sql}");
    }
    assert_eq!(
        sqlite_account(&a),
        sqlite_account(&c),
        "after down, SQLite's own account differs from `before`:\n{down_sql}"
    );
    assert_eq!(
        a.query(case.select),
        original_rows,
        "rows changed coming down:\n{down_sql}"
    );
    if let Some(most) = case.most_statements {
        let work: Vec<&str> = up
            .iter()
            .map(|s| s.sql.as_str())
            .filter(|s| !s.starts_with("PRAGMA") && *s != "BEGIN" && *s != "COMMIT")
            .filter(|s| !s.contains("_autogen_foreign_key_check"))
            .collect();
        assert!(
            work.len() <= most,
            "{} statements, at most {most} expected:\n{}",
            work.len(),
            work.join(";\n")
        );
    }
    up
}

const DOCUMENTS: &str = "CREATE TABLE documents (id integer PRIMARY KEY, title text NOT NULL, body text, updated_at text);
     CREATE TABLE audit (id integer PRIMARY KEY, document_id integer, note text);
     CREATE VIEW recent_documents AS SELECT id, title FROM documents WHERE updated_at IS NOT NULL;
     CREATE VIEW recent_titles AS SELECT title FROM recent_documents;
     CREATE TRIGGER documents_touch AFTER UPDATE OF title ON documents BEGIN UPDATE documents SET updated_at = 'now' WHERE id = NEW.id; END;
     CREATE TRIGGER audit_documents AFTER INSERT ON audit BEGIN UPDATE documents SET body = 'audited' WHERE id = NEW.document_id; END;";

/// A rebuild of a table under views (one over the other) and triggers (its own, and one on
/// another table whose body writes to it): SQLite re-reads them all when the new table is
/// renamed into place, so they are dropped first and created again after, as they were.
#[test]
fn sqlite_rebuild_under_views_and_triggers() {
    let after = DOCUMENTS.replace("body text,", "body varchar(200),");
    let up = check_sqlite(SqliteCase {
        before: DOCUMENTS,
        after: &after,
        rows: "INSERT INTO documents (title, body, updated_at) VALUES ('a', 'x', '2026'), ('b', NULL, NULL);
               INSERT INTO audit (document_id, note) VALUES (1, 'seen');",
        select: "SELECT d.id, d.title, d.body, d.updated_at, (SELECT group_concat(title) FROM recent_titles) FROM documents AS d ORDER BY d.id",
        ..SqliteCase::default()
    });
    assert!(
        up.iter()
            .any(|s| s.sql.starts_with("DROP TRIGGER \"audit_documents\"")),
        "a trigger on another table that names the rebuilt one is dropped and created again"
    );
}

/// `INT PRIMARY KEY` is not the rowid (`INTEGER PRIMARY KEY` is): the declared type survives
/// a rebuild going up and coming down, the key's own type change included.
#[test]
fn sqlite_int_primary_key_keeps_its_declared_type() {
    for (before, after) in [
        (
            "CREATE TABLE t (id INT PRIMARY KEY, n integer);",
            "CREATE TABLE t (id INT PRIMARY KEY, n text);",
        ),
        (
            "CREATE TABLE t (id INT PRIMARY KEY, n integer);",
            "CREATE TABLE t (id bigint PRIMARY KEY, n integer);",
        ),
        (
            "CREATE TABLE t (id INT NOT NULL, n integer, PRIMARY KEY (id));",
            "CREATE TABLE t (id INT NOT NULL, n integer NOT NULL DEFAULT 0, PRIMARY KEY (id));",
        ),
    ] {
        check_sqlite(SqliteCase {
            before,
            after,
            rows: "INSERT INTO t VALUES (10, 1), (20, 2);",
            select: "SELECT id, n, typeof(id) FROM t ORDER BY id",
            ..SqliteCase::default()
        });
    }
}

/// A composite primary key changed, up and down, on a populated table.
#[test]
fn sqlite_composite_primary_key_changes() {
    let base = "CREATE TABLE m (a integer NOT NULL, b integer NOT NULL, c text NOT NULL DEFAULT '', PRIMARY KEY ({K}));";
    for (from, to) in [("a, b", "a, b, c"), ("a, b", "b, a"), ("a", "a, b")] {
        check_sqlite(SqliteCase {
            before: &base.replace("{K}", from),
            after: &base.replace("{K}", to),
            rows: "INSERT INTO m VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 1, 'z');",
            select: "SELECT a, b, c FROM m ORDER BY a, b",
            ..SqliteCase::default()
        });
    }
}

/// Renaming a table is one `ALTER TABLE .. RENAME TO`: SQLite moves its indexes, triggers and
/// the foreign keys of other tables along; only an index whose name changes is built again.
#[test]
fn sqlite_table_rename_is_one_statement() {
    let before = "CREATE TABLE tasks (id integer PRIMARY KEY, owner integer REFERENCES users (id), title text UNIQUE, CHECK (title <> ''));
        CREATE TABLE users (id integer PRIMARY KEY);
        CREATE TABLE notes (id integer PRIMARY KEY, task_id integer REFERENCES tasks (id) ON DELETE CASCADE);
        CREATE INDEX by_title ON tasks (title);";
    check_sqlite(SqliteCase {
        before,
        after: &before
            .replace("TABLE tasks", "TABLE todos")
            .replace("REFERENCES tasks", "REFERENCES todos")
            .replace("ON tasks", "ON todos"),
        rows: "INSERT INTO users VALUES (1); INSERT INTO tasks VALUES (1, 1, 'write'); INSERT INTO notes VALUES (1, 1);",
        select: "SELECT n.id, n.task_id FROM notes AS n ORDER BY n.id",
        renames: &[("tasks", "todos")],
        most_statements: Some(1),
    });
}

/// The down of a dropped NOT NULL column without a default applies to the rows the up left:
/// the column comes back filled with its type's zero value.
#[test]
fn sqlite_dropped_not_null_column_comes_back_on_rows() {
    for column in [
        "n integer NOT NULL",
        "s text NOT NULL",
        "r real NOT NULL",
        "b blob NOT NULL",
        "v varchar(20) NOT NULL",
    ] {
        let before = format!("CREATE TABLE t (id integer PRIMARY KEY, keep text, {column});");
        check_sqlite(SqliteCase {
            before: &before,
            after: "CREATE TABLE t (id integer PRIMARY KEY, keep text);",
            rows: "INSERT INTO t VALUES (1, 'a', '1'), (2, 'b', '2');",
            select: "SELECT id, keep FROM t ORDER BY id",
            ..SqliteCase::default()
        });
    }
}

/// Composite keys that a foreign key references, that gain or lose a column, that appear and
/// go: up and down on rows.
#[test]
fn sqlite_composite_primary_key_with_columns_and_references() {
    for (before, after) in [
        (
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b)); CREATE TABLE c (id integer PRIMARY KEY, a integer, b integer, FOREIGN KEY (a, b) REFERENCES p (a, b));",
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (b, a)); CREATE TABLE c (id integer PRIMARY KEY, a integer, b integer, FOREIGN KEY (a, b) REFERENCES p (a, b));",
        ),
        (
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b)); CREATE TABLE c (id integer PRIMARY KEY);",
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, n integer NOT NULL DEFAULT 0, PRIMARY KEY (a, n)); CREATE TABLE c (id integer PRIMARY KEY);",
        ),
        (
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b)); CREATE TABLE c (id integer PRIMARY KEY);",
            "CREATE TABLE p (a integer NOT NULL, PRIMARY KEY (a)); CREATE TABLE c (id integer PRIMARY KEY);",
        ),
        (
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b)); CREATE TABLE c (id integer PRIMARY KEY);",
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL); CREATE TABLE c (id integer PRIMARY KEY);",
        ),
        (
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL); CREATE TABLE c (id integer PRIMARY KEY);",
            "CREATE TABLE p (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b)); CREATE TABLE c (id integer PRIMARY KEY);",
        ),
    ] {
        check_sqlite(SqliteCase {
            before,
            after,
            rows: "INSERT INTO p (a, b) VALUES (1, 1), (2, 1); INSERT INTO c (id) VALUES (1);",
            select: "SELECT a FROM p ORDER BY a",
            ..SqliteCase::default()
        });
    }
}

/// A NOT NULL column without a default dropped from a populated table: the down adds it back
/// with placeholders in its rows (`ADD COLUMN .. NOT NULL` alone fails there: "contains null
/// values"), and leaves it defined as it was.
#[test]
fn drop_a_not_null_column_without_a_default() {
    check(Case {
        before: "CREATE TYPE mood AS ENUM ('sad', 'happy');
                 CREATE TABLE t (id int PRIMARY KEY, code text NOT NULL, n int NOT NULL,
                    at timestamptz NOT NULL, ok bool NOT NULL, u uuid NOT NULL,
                    tags text[] NOT NULL, doc jsonb NOT NULL, mood mood NOT NULL,
                    v varchar(8) NOT NULL, d date NOT NULL);",
        after: "CREATE TYPE mood AS ENUM ('sad', 'happy');
                CREATE TABLE t (id int PRIMARY KEY);",
        rows: "INSERT INTO t VALUES (1, 'a', 1, now(), true, gen_random_uuid(), '{x}', '{}',
                    'happy', 'v', '2020-01-01'), (2, 'b', 2, now(), false, gen_random_uuid(),
                    '{}', '[]', 'sad', 'w', '2021-01-01');",
        select: "SELECT id FROM t ORDER BY id",
        then: "",
    });
}

/// The same on MariaDB: `before` with `rows` in database A, `after` in B, `before` again in C;
/// the plan from A to B applied to A statement by statement (as `autogen upgrade` runs it, on
/// one session), then its down. After each, A's `SHOW CREATE TABLE` of every table is B's
/// (then C's) and `select` answers the same.
mod mariadb {
    use crate::support::mysql::{LiveMy, render_both};
    use crate::support::pg::plan_between;

    struct Case<'a> {
        before: &'a str,
        after: &'a str,
        rows: &'a str,
        select: &'a str,
    }

    const MYSQL8_SQL_MODE: &str = "SET SESSION sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,\
        NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

    fn check(case: Case<'_>) {
        check_backfilled(case, &[], None);
    }

    /// [`check`], the plan with `backfills` as a model's `backfill` makes it; `filled`, when
    /// given, a query and its answer after up (the rows' backfilled values).
    fn check_backfilled(
        case: Case<'_>,
        backfills: &[autogen_schema::Backfill],
        filled: Option<(&str, &[&str])>,
    ) {
        let Case {
            before,
            after,
            rows,
            select,
        } = case;
        let (mut a, mut b, mut c) = (LiveMy::new(), LiveMy::new(), LiveMy::new());
        a.execute(before).expect("before loads");
        a.execute(rows).expect("rows insert");
        b.execute(after).expect("after loads");
        c.execute(before).expect("before loads again");
        let original_rows = a.db().query(select);
        assert!(!original_rows.is_empty(), "the case has no rows to keep");

        let plan = autogen_diff::apply_backfills(
            plan_between(
                &a.inspect().expect("A inspects"),
                &b.inspect().expect("B inspects"),
            ),
            backfills,
        );
        assert!(!plan.is_empty(), "the case changes nothing");
        let (up, down) = render_both(&plan).expect("the plan renders");
        let up_sql = autogen_render::script(&up);
        let down_sql = autogen_render::script(&down);

        // MySQL 8's default mode, stricter than MariaDB's (zero dates refused).
        a.execute(MYSQL8_SQL_MODE).expect("sql_mode is set");
        a.apply(&up)
            .unwrap_or_else(|e| panic!("up fails: {e}\nup:\n{up_sql}"));
        assert_eq!(a.dump(), b.dump(), "after up, A is not `after`:\n{up_sql}");
        if let Some((query, answer)) = filled {
            let got: Vec<String> = a
                .db()
                .query(query)
                .into_iter()
                .map(|row| row.into_iter().flatten().collect::<Vec<_>>().join(","))
                .collect();
            assert_eq!(got, answer, "after up, `{query}`:\n{up_sql}");
        }
        assert_eq!(
            a.db().query(select),
            original_rows,
            "rows changed going up:\n{up_sql}"
        );

        a.apply(&down)
            .unwrap_or_else(|e| panic!("down fails: {e}\ndown:\n{down_sql}"));
        assert_eq!(
            a.dump(),
            c.dump(),
            "after down, A is not `before`:\n{down_sql}"
        );
        assert_eq!(
            a.db().query(select),
            original_rows,
            "rows changed coming down:\n{down_sql}"
        );
    }

    /// MySQL renumbers a key's 0 when `AUTO_INCREMENT` is added (a duplicate entry, or a row
    /// silently moved away from the rows that reference it).
    #[test]
    fn auto_increment_added_to_a_key_holding_zero() {
        check(Case {
            before: "CREATE TABLE t (id int NOT NULL PRIMARY KEY, name text);",
            after: "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name text);",
            rows: "INSERT INTO t VALUES (0, 'zero'), (1, 'one'), (2, 'two');",
            select: "SELECT id, name FROM t ORDER BY id",
        });
        check(Case {
            before: "CREATE TABLE t (id int NOT NULL PRIMARY KEY, name text);",
            after: "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name text);",
            rows: "INSERT INTO t VALUES (0, 'zero'), (7, 'seven');",
            select: "SELECT id, name FROM t ORDER BY id",
        });
    }

    #[test]
    fn auto_increment_added_to_a_referenced_key_holding_zero() {
        check(Case {
            before: "CREATE TABLE p (id int NOT NULL PRIMARY KEY, name text);
                     CREATE TABLE c (id int NOT NULL PRIMARY KEY, p_id int,
                        CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));",
            after: "CREATE TABLE p (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name text);
                    CREATE TABLE c (id int NOT NULL PRIMARY KEY, p_id int,
                       CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));",
            rows: "INSERT INTO p VALUES (0, 'zero'), (1, 'one'), (2, 'two');
                   INSERT INTO c VALUES (1, 0), (2, 2), (3, NULL);",
            select: "SELECT c.id, c.p_id, p.id, p.name FROM c LEFT JOIN p ON p.id = c.p_id ORDER BY c.id",
        });
        // With a wider type: the foreign key is dropped and added around it.
        check(Case {
            before: "CREATE TABLE p (id int NOT NULL PRIMARY KEY, name text);
                     CREATE TABLE c (id int NOT NULL PRIMARY KEY, p_id int,
                        CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));",
            after: "CREATE TABLE p (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, name text);
                    CREATE TABLE c (id int NOT NULL PRIMARY KEY, p_id bigint,
                       CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id));",
            rows: "INSERT INTO p VALUES (0, 'zero'), (1, 'one');
                   INSERT INTO c VALUES (1, 0), (2, 1);",
            select: "SELECT c.id, c.p_id, p.id, p.name FROM c LEFT JOIN p ON p.id = c.p_id ORDER BY c.id",
        });
    }

    /// The index a foreign key uses is replaced by another: the new one must exist when the
    /// old one goes, whether the old one is the server's implicit index or the user's.
    #[test]
    fn replace_the_index_a_foreign_key_needs() {
        const PARENT: &str = "CREATE TABLE a (id int NOT NULL PRIMARY KEY);";
        const ROWS: &str = "INSERT INTO a VALUES (1), (2);
            INSERT INTO b VALUES (10, 1, 5), (11, 2, 6), (12, 1, 7);";
        const SELECT: &str = "SELECT id, a_id, price FROM b ORDER BY id";
        for (before, after) in [
            (
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    FOREIGN KEY (a_id) REFERENCES a (id));",
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    FOREIGN KEY (a_id) REFERENCES a (id), INDEX idx_a (a_id), INDEX idx_price (price));",
            ),
            (
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    INDEX by_a (a_id), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));",
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    INDEX by_a_price (a_id, price), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));",
            ),
            // The models' `index` taken off a foreign key column: InnoDB's own index, named
            // after the constraint, takes over.
            (
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    INDEX b_a_id_idx (a_id), CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id));",
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id));",
            ),
            (
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    UNIQUE KEY a_price (a_id, price), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));",
                "CREATE TABLE b (id int NOT NULL PRIMARY KEY, a_id int NOT NULL, price int,
                    INDEX a_price (a_id), CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));",
            ),
        ] {
            check(Case {
                before: &format!("{PARENT}{before}"),
                after: &format!("{PARENT}{after}"),
                rows: ROWS,
                select: SELECT,
            });
        }
    }

    /// A foreign key pointed at another table keeps the index the server made for it under
    /// its name (`ADD CONSTRAINT` alone would replace it by one named after the constraint).
    #[test]
    fn a_foreign_key_changed_in_place_keeps_its_implicit_index() {
        check(Case {
            before: "CREATE TABLE users (id int NOT NULL PRIMARY KEY);
                     CREATE TABLE admins (id int NOT NULL PRIMARY KEY);
                     CREATE TABLE posts (id int NOT NULL PRIMARY KEY, author_id int,
                        FOREIGN KEY (author_id) REFERENCES users (id));",
            after: "CREATE TABLE users (id int NOT NULL PRIMARY KEY);
                    CREATE TABLE admins (id int NOT NULL PRIMARY KEY);
                    CREATE TABLE posts (id int NOT NULL PRIMARY KEY, author_id int,
                       FOREIGN KEY (author_id) REFERENCES admins (id));",
            rows: "INSERT INTO users VALUES (1); INSERT INTO admins VALUES (1);
                   INSERT INTO posts VALUES (1, 1), (2, NULL);",
            select: "SELECT id, author_id FROM posts ORDER BY id",
        });
    }

    /// A key group (the primary key and its `AUTO_INCREMENT` column change in one `ALTER
    /// TABLE`) with a backfilled column joining or leaving the key: the column's temporary
    /// default is set and dropped in statements of its own (in the group's statement MariaDB
    /// refuses a clause on a column the statement drops, and adds a column without the
    /// default a later clause drops, so its rows get `''`).
    #[test]
    fn a_backfilled_column_joins_a_key_with_an_auto_increment() {
        let backfill = |sql: &str, reads_row: bool| autogen_schema::Backfill {
            table: autogen_schema::QualifiedName::new("main", "posts"),
            column: "code".to_owned(),
            sql: sql.to_owned(),
            reads_row,
        };
        check_backfilled(
            Case {
                before: "CREATE TABLE posts (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY);",
                after: "CREATE TABLE posts (id bigint NOT NULL, code varchar(20) NOT NULL,
                    PRIMARY KEY (id, code));",
                rows: "INSERT INTO posts VALUES (1), (2);",
                select: "SELECT id FROM posts ORDER BY id",
            },
            &[backfill("'c'", false)],
            Some(("SELECT id, code FROM posts ORDER BY id", &["1,c", "2,c"])),
        );
        // A backfill that reads the row: the column added nullable, filled, made NOT NULL,
        // all before the key that needs it.
        check_backfilled(
            Case {
                before: "CREATE TABLE posts (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY);",
                after: "CREATE TABLE posts (id bigint NOT NULL, code varchar(20) NOT NULL,
                    PRIMARY KEY (id, code));",
                rows: "INSERT INTO posts VALUES (1), (2);",
                select: "SELECT id FROM posts ORDER BY id",
            },
            &[backfill("concat('c', id)", true)],
            Some(("SELECT id, code FROM posts ORDER BY id", &["1,c1", "2,c2"])),
        );
        // A nullable column made NOT NULL for the key (its NULLs filled first), the
        // `AUTO_INCREMENT` moving off the key's first column.
        check_backfilled(
            Case {
                before: "CREATE TABLE posts (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
                    code varchar(20));",
                after: "CREATE TABLE posts (id bigint NOT NULL, code varchar(20) NOT NULL,
                    PRIMARY KEY (id, code));",
                rows: "INSERT INTO posts VALUES (1, NULL), (2, 'b');",
                select: "SELECT id FROM posts ORDER BY id",
            },
            &[backfill("'c'", false)],
            Some(("SELECT id, code FROM posts ORDER BY id", &["1,c", "2,b"])),
        );
    }

    /// A NOT NULL column without a default dropped from a populated table comes back down
    /// with placeholders in its rows, defined as it was.
    #[test]
    fn drop_a_not_null_column_without_a_default() {
        check(Case {
            before: "CREATE TABLE t (id int NOT NULL PRIMARY KEY, code text NOT NULL,
                        n int NOT NULL, at datetime NOT NULL, ts timestamp NOT NULL,
                        v varchar(8) NOT NULL, e enum('x','y') NOT NULL, j json NOT NULL,
                        b blob NOT NULL, d date NOT NULL, big bigint unsigned NOT NULL);",
            after: "CREATE TABLE t (id int NOT NULL PRIMARY KEY);",
            rows: "INSERT INTO t VALUES (1, 'a', 1, now(), now(), 'v', 'y', '{}', 'b', '2020-01-01', 5),
                        (2, 'b', 2, now(), now(), 'w', 'x', '[]', '', '2021-01-01', 6);",
            select: "SELECT id FROM t ORDER BY id",
        });
    }
}

/// Views and triggers beside other changes, between two SQLite databases: a column renamed
/// or dropped under a view, a view changed while the table it reads is rebuilt, an `INSTEAD OF`
/// trigger on a view over a rebuilt table, a table dropped with its trigger.
#[test]
fn sqlite_views_and_triggers_beside_other_changes() {
    let base = "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer, c text);
        CREATE TABLE other (id integer PRIMARY KEY);";
    for (extra_before, extra_after, change) in [
        (
            "CREATE VIEW va AS SELECT id, a FROM t;",
            "CREATE VIEW va AS SELECT id, a FROM t;",
            ("c text", ""),
        ),
        (
            "CREATE VIEW va AS SELECT id, a FROM t;",
            "CREATE VIEW va AS SELECT id, a, b FROM t;",
            ("b integer", "b text"),
        ),
        (
            "CREATE VIEW vt AS SELECT id, a FROM t;
             CREATE TRIGGER vt_insert INSTEAD OF INSERT ON vt BEGIN INSERT INTO t (a) VALUES (NEW.a); END;",
            "CREATE VIEW vt AS SELECT id, a FROM t;
             CREATE TRIGGER vt_insert INSTEAD OF INSERT ON vt BEGIN INSERT INTO t (a) VALUES (NEW.a); END;",
            ("b integer", "b integer NOT NULL DEFAULT 0"),
        ),
        (
            "CREATE TABLE gone (id integer PRIMARY KEY);
             CREATE TRIGGER gone_log AFTER INSERT ON gone BEGIN INSERT INTO other (id) VALUES (NEW.id + 100); END;",
            "",
            ("c text", "c text"),
        ),
        (
            "CREATE VIEW vs AS SELECT * FROM t;",
            "CREATE VIEW vs AS SELECT * FROM t;",
            ("c text", "c text, d text"),
        ),
    ] {
        let before = format!("{base}\n{extra_before}");
        let after = format!("{}\n{extra_after}", base.replace(change.0, change.1))
            .replace(", );", ");");
        check_sqlite(SqliteCase {
            before: &before,
            after: &after,
            rows: "INSERT INTO t (a, b, c) VALUES ('x', 1, 'p'), ('y', 2, 'q');",
            select: "SELECT id, a FROM t ORDER BY id",
            ..SqliteCase::default()
        });
    }
}
