//! Inspect round trip on the external corpus: load a case's `after.sql` into database A,
//! print A as canonical SQL, load that into a fresh database B: the two schemas are identical.

use std::collections::BTreeMap;

use crate::support::corpus;
use crate::support::pg::{inspect, load};
use autogen_testkit::PostgresDb;

#[test]
fn inspect_round_trip_on_the_core_postgres_subset() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let roles = corpus::case_file(&dir, "", "roles.sql");
    crate::support::pg::ensure_roles(&roles);
    let (a, b) = (autogen_testkit::postgres(), autogen_testkit::postgres());
    let mut outcomes = BTreeMap::new();
    for case in corpus::cases(&dir, "SUBSET_core_pg.tsv") {
        let after = corpus::case_file(&dir, &case, "after.sql");
        a.reset();
        b.reset();
        outcomes.insert(case, round_trip(&a, &b, &after));
    }
    corpus::judge(
        "inspect round trip",
        &outcomes,
        &corpus::known_failures("inspect_pg.tsv"),
        0.98,
    );
}

fn round_trip(a: &PostgresDb, b: &PostgresDb, sql: &str) -> Result<(), String> {
    load(a, sql).map_err(|e| format!("after.sql does not load: {e}"))?;
    let schema_a = inspect(a)?;
    let ddl = autogen_schema::canonical_ddl_text(&schema_a);
    load(b, &ddl).map_err(|e| format!("the canonical DDL does not load: {e}"))?;
    let schema_b = inspect(b)?;
    if schema_a == schema_b {
        return Ok(());
    }
    let json = |s| serde_json::to_string_pretty(s).unwrap_or_default();
    Err(format!(
        "schemas differ:\n{}",
        first_difference(&json(&schema_a), &json(&schema_b))
    ))
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("  A: {}\n  B: {}", x.trim(), y.trim()))
        .unwrap_or_else(|| "  (one is a prefix of the other)".to_owned())
}
