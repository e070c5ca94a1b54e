//! Foreign-key cycles on real PostgreSQL: tables that reference each other (or themselves) are
//! created from nothing and dropped back to nothing, and a cycle is added between two tables
//! that exist and hold rows. Each plan runs up, down and up again, and the plan of the way back
//! the same, with the schema checked after every run.

use crate::support::pg::{Live, plan_between, render_both, schema_difference};
use autogen_diff::Plan;
use autogen_schema::Schema;

/// `before` (with `rows`) -> `after` -> `before`, each way up, down and up again.
fn check(before: &str, after: &str, rows: &str) {
    let (mut a, mut b) = (Live::new(), Live::new());
    a.execute(before).expect("before loads");
    a.execute(rows).expect("rows insert");
    b.execute(after).expect("after loads");
    let rows_before = row_counts(&mut a);
    let old = a.inspect_all().expect("A inspects");
    let new = b.inspect_all().expect("B inspects");

    let forward = plan_between(&old, &new);
    assert!(!forward.is_empty(), "the case changes nothing");
    run(&mut a, &forward, &old, &new, "before -> after");
    let backward = plan_between(&new, &old);
    run(&mut a, &backward, &new, &old, "after -> before");
    assert_eq!(row_counts(&mut a), rows_before, "rows were lost on the way");
}

/// Every table of `public` with its number of rows, by name.
fn row_counts(db: &mut Live) -> Vec<(String, String)> {
    let tables = db
        .query(
            "SELECT relname::text FROM pg_class \
             WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
        )
        .expect("tables list");
    tables
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .map(|table| {
            let count = db
                .query(&format!("SELECT count(*)::text FROM \"{table}\""))
                .expect("count");
            (table, format!("{count:?}"))
        })
        .collect()
}

/// On a database at `from`: up (reaches `to`), down (back at `from`), up again (at `to`).
fn run(db: &mut Live, plan: &Plan, from: &Schema, to: &Schema, label: &str) {
    let (up, down) = render_both(plan).expect("the plan renders");
    let up_sql = autogen_render::script(&up);
    let down_sql = autogen_render::script(&down);
    let steps = [
        ("up", &up, to, &up_sql),
        ("down", &down, from, &down_sql),
        ("up again", &up, to, &up_sql),
    ];
    for (step, statements, expected, sql) in steps {
        db.apply(statements)
            .unwrap_or_else(|e| panic!("{label}, {step} fails: {e}\n{sql}"));
        let got = db.inspect_all().expect("inspects");
        if let Some(difference) = schema_difference(&got, expected) {
            panic!(
                "{label}, after {step} the schema is not the expected one:\n{difference}\n{sql}"
            );
        }
        let again = plan_between(&got, expected);
        assert!(
            again.is_empty(),
            "{label}, after {step} a second diff is not empty: {again:?}"
        );
    }
}

const TWO_TABLE_CYCLE: &str = "
    CREATE TABLE a (id int PRIMARY KEY, b_id int);
    CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
    ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id);";

#[test]
fn two_table_cycle_from_empty_and_back() {
    check("", TWO_TABLE_CYCLE, "");
}

#[test]
fn self_reference_from_empty_and_back() {
    check(
        "",
        "CREATE TABLE node (id int PRIMARY KEY,
            parent_id int REFERENCES node (id) ON DELETE CASCADE);",
        "",
    );
}

#[test]
fn three_table_cycle_with_a_self_reference_from_empty_and_back() {
    check(
        "",
        "CREATE TABLE a (id int PRIMARY KEY, c_id int, parent_id int REFERENCES a (id));
         CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
         CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b (id) DEFERRABLE INITIALLY DEFERRED);
         ALTER TABLE a ADD FOREIGN KEY (c_id) REFERENCES c (id);",
        "",
    );
}

#[test]
fn cycle_added_between_two_existing_tables_with_rows() {
    check(
        "CREATE TABLE a (id int PRIMARY KEY, b_id int);
         CREATE TABLE b (id int PRIMARY KEY, a_id int);",
        TWO_TABLE_CYCLE,
        "INSERT INTO a VALUES (1, NULL), (2, NULL);
         INSERT INTO b VALUES (10, 1), (20, 2);
         UPDATE a SET b_id = 10 WHERE id = 1;",
    );
}

#[test]
fn self_reference_added_to_an_existing_table_with_rows() {
    check(
        "CREATE TABLE node (id int PRIMARY KEY, parent_id int);",
        "CREATE TABLE node (id int PRIMARY KEY, parent_id int REFERENCES node (id));",
        "INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2);",
    );
}
