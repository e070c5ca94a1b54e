//! PostgreSQL lock-safe plans (`LowerOptions::lock_safe`) and a renamed table that keeps its
//! keys and indexes: the migration files as `autogen -m` writes them, snapshotted, and the
//! step layer's invariants on them.

use autogen_diff::{DiffOptions, Plan, diff};
use autogen_schema::{Dialect, Schema, Table};

use super::fixtures::*;
use crate::{LowerOptions, Transaction, file_steps, lower_with, migration_files};

fn schema_of(tables: Vec<Table>) -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    let namespace = schema.namespace_mut("public");
    for table in tables {
        namespace.tables.insert(table.name.clone(), table);
    }
    schema
}

fn plan(before: Vec<Table>, after: Vec<Table>, options: &DiffOptions) -> Plan {
    diff(&schema_of(before), &schema_of(after), options)
}

/// Every migration pair, up then down, as `autogen -m` would write them.
pub(crate) fn files(plan: &Plan, options: &LowerOptions) -> String {
    let steps = lower_with(plan, Dialect::Postgres, options).expect("lowers");
    let mut out = String::new();
    for (k, text) in migration_files(plan, &steps, "m", None).iter().enumerate() {
        out.push_str(&format!("==== {} up\n{}", k + 1, text.up));
        out.push_str(&format!("==== {} down\n{}", k + 1, text.down));
    }
    out
}

fn orders() -> Table {
    table(
        "orders",
        vec![
            col("id", "integer").not_null(),
            col("code", "text"),
            col("qty", "integer"),
        ],
    )
    .pk("orders_pkey", &["id"])
}

fn items(fk: bool) -> Table {
    let t = table(
        "items",
        vec![col("id", "integer").not_null(), col("order_id", "integer")],
    )
    .pk("items_pkey", &["id"]);
    if fk {
        let mut t = t;
        let fk = foreign_key(
            "items_order_id_fkey",
            &["order_id"],
            public("orders"),
            &["id"],
        );
        t.foreign_keys.insert(fk.name.clone(), fk);
        t
    } else {
        t
    }
}

/// An index, a unique key, a check, a foreign key and NOT NULL on tables that exist: each in its
/// lock-safe form; the concurrent builds each a pair of their own.
#[test]
fn lock_safe_plan_on_existing_tables() {
    let before = vec![orders(), items(false)];
    let mut after_orders = table(
        "orders",
        vec![
            col("id", "integer").not_null(),
            col("code", "text").not_null(),
            col("qty", "integer"),
        ],
    )
    .pk("orders_pkey", &["id"])
    .unique(unique("orders_code_key", &["code"]))
    .check(check("orders_qty_check", "qty >= 0"))
    .index(index("orders_qty_idx", &["qty"]));
    after_orders.comment = None;
    let after = vec![after_orders, items(true)];
    let plan = plan(before, after, &DiffOptions::default());
    insta::assert_snapshot!(files(&plan, &LowerOptions::default()));
}

/// With `lock_safe = false` the same plan is one pair of plain statements, still with the
/// timeouts at the top.
#[test]
fn lock_safe_off_is_one_plain_pair() {
    let before = vec![orders()];
    let after = vec![orders().index(index("orders_qty_idx", &["qty"]))];
    let plan = plan(before, after, &DiffOptions::default());
    let options = LowerOptions {
        lock_safe: false,
        ..LowerOptions::default()
    };
    insta::assert_snapshot!(files(&plan, &options));
}

/// A table the plan creates has no rows and no traffic: plain statements, one pair.
#[test]
fn new_tables_get_plain_statements() {
    let after = vec![
        orders()
            .index(index("orders_qty_idx", &["qty"]))
            .unique(unique("orders_code_key", &["code"])),
        items(true),
    ];
    let plan = plan(Vec::new(), after, &DiffOptions::default());
    let steps = lower_with(&plan, Dialect::Postgres, &LowerOptions::default()).unwrap();
    assert!(
        steps
            .up
            .iter()
            .all(|s| s.transaction == Transaction::Shared),
        "{:#?}",
        steps.up
    );
    assert!(
        steps
            .up
            .iter()
            .flat_map(|s| &s.sql)
            .all(|s| !s.contains("CONCURRENTLY") && !s.contains("NOT VALID"))
    );
    assert_eq!(migration_files(&plan, &steps, "m", None).len(), 1);
    // Issue 13, item 6: nothing on a table the plan creates may fail on rows or lock anyone.
    let hazards: Vec<_> = steps.hazards().collect();
    assert!(hazards.is_empty(), "{hazards:#?}");
}

/// PostgreSQL builds and drops no index of a partitioned table concurrently, adds it no key
/// `USING INDEX` and no foreign key `NOT VALID`: such a table's changes take the plain forms,
/// where the lock-safe ones fail at apply ("cannot create index on partitioned table
/// concurrently").
#[test]
fn partitioned_tables_get_plain_statements() {
    let partitioned = |t: Table| {
        let mut t = t;
        t.postgres.partition_by = Some("LIST (id)".to_owned());
        t
    };
    let before = vec![partitioned(orders()), items(false)];
    let after = vec![
        partitioned(
            orders()
                .index(index("orders_qty_idx", &["qty"]))
                .unique(unique("orders_code_id_key", &["code", "id"])),
        ),
        items(false),
    ];
    let plan = plan(before, after, &DiffOptions::default());
    let steps = lower_with(&plan, Dialect::Postgres, &LowerOptions::default()).unwrap();
    let sql: Vec<&String> = steps.up.iter().flat_map(|s| &s.sql).collect();
    assert!(
        sql.iter()
            .all(|s| !s.contains("CONCURRENTLY") && !s.contains("USING INDEX")),
        "{sql:#?}"
    );
    assert!(sql.iter().any(|s| s.contains("CREATE INDEX")), "{sql:#?}");
}

/// Each pair's down undoes its up: the down steps of all pairs, newest pair first, are the
/// down plan's steps in order; and every up step is in exactly one pair.
#[test]
fn the_pairs_partition_the_steps() {
    let before = vec![orders(), items(false)];
    let after = vec![
        orders()
            .index(index("orders_qty_idx", &["qty"]))
            .index(index("orders_code_idx", &["code"])),
        items(true),
    ];
    let plan = plan(before, after, &DiffOptions::default());
    let steps = lower_with(&plan, Dialect::Postgres, &LowerOptions::default()).unwrap();
    let files = file_steps(&steps);
    assert!(files.len() >= 3, "{files:#?}");
    let ups: Vec<_> = files.iter().flat_map(|(up, _)| up.clone()).collect();
    assert_eq!(ups, steps.up);
    let downs: Vec<_> = files.iter().rev().flat_map(|(_, d)| d.clone()).collect();
    assert_eq!(downs, steps.down);
    for (up, _) in &files {
        let alone = up.iter().any(|s| s.transaction == Transaction::Alone);
        assert!(!alone || (up.len() == 1 && up[0].sql.len() == 1), "{up:#?}");
    }
    // Each step's inverse, last step first, is the down plan's SQL.
    let inverses: Vec<String> = steps
        .up
        .iter()
        .rev()
        .flat_map(|s| s.inverse.clone())
        .collect();
    let down: Vec<String> = steps.down.iter().flat_map(|s| s.sql.clone()).collect();
    assert_eq!(inverses, down);
    // The files' headers list every hazard of the plan, once.
    let report = crate::summary_of_steps(&plan, &steps);
    let headers: String = migration_files(&plan, &steps, "m", None)
        .iter()
        .map(|t| t.up.clone())
        .collect();
    for line in report.lines().filter(|l| l.trim_start().starts_with('!')) {
        assert_eq!(
            headers.matches(line.trim()).count(),
            report.matches(line.trim()).count(),
            "{line}\n{headers}"
        );
    }
}

/// A renamed table keeps its key, unique key, check, index and the foreign keys in and out:
/// renamed to the new default names, never dropped and added again.
#[test]
fn table_rename_keeps_its_objects() {
    let before = vec![
        orders()
            .unique(unique("orders_code_key", &["code"]))
            .check(check("orders_qty_check", "qty >= 0"))
            .index(index("orders_qty_idx", &["qty"])),
        items(true),
    ];
    let mut purchases = table(
        "purchases",
        vec![
            col("id", "integer").not_null(),
            col("code", "text"),
            col("qty", "integer"),
        ],
    )
    .pk("purchases_pkey", &["id"])
    .unique(unique("purchases_code_key", &["code"]))
    .check(check("purchases_qty_check", "qty >= 0"))
    .index(index("purchases_qty_idx", &["qty"]));
    purchases.comment = None;
    let mut items_after = items(false);
    let fk = foreign_key(
        "items_order_id_fkey",
        &["order_id"],
        public("purchases"),
        &["id"],
    );
    items_after.foreign_keys.insert(fk.name.clone(), fk);
    let options = DiffOptions::new().rename_table(public("orders"), public("purchases"));
    let plan = plan(before, vec![purchases, items_after], &options);
    let text = files(&plan, &LowerOptions::default());
    assert!(!text.contains("DROP CONSTRAINT"), "{text}");
    assert!(!text.contains("CREATE INDEX"), "{text}");
    assert!(!text.contains("ADD CONSTRAINT"), "{text}");
    insta::assert_snapshot!(text);
}
