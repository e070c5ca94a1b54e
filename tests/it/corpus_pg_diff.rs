//! Diff round trip on the external corpus, on real PostgreSQL: load a case's `before.sql` into
//! database A and `after.sql` into B; the plan from A to B, applied to A, makes A equal B (columns
//! compared by name) and leaves nothing to diff; the inverse plan then brings A back to
//! `before.sql` loaded fresh into C.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use crate::support::corpus;
use crate::support::pg::{
    Live, dump_difference, dump_lines, plan_between, render_both, schema_difference,
};

/// Cases run on this many threads, each with databases of its own.
const WORKERS: usize = 2;

#[test]
fn diff_round_trip_on_the_core_postgres_subset() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let cases = corpus::cases(&dir, "SUBSET_core_pg.tsv");
    let outcomes = run_cases(&dir, &cases);
    corpus::judge(
        "diff round trip",
        &outcomes,
        &corpus::known_failures("diff_pg.tsv"),
        0.95,
    );
}

/// Every PostgreSQL case of `INDEX.tsv` that loads and needs no special harness, not only the
/// core subset: a measurement for the closing note, not a gate.
/// `cargo test -p autogen-cli --test corpus_pg_diff -- --ignored --nocapture`
#[test]
#[ignore = "a measurement over the whole corpus; run it by name"]
fn diff_round_trip_on_every_loadable_postgres_case() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let cases = loadable_postgres_cases(&dir);
    let outcomes = run_cases(&dir, &cases);
    let passed = outcomes.values().filter(|o| o.is_ok()).count();
    // The whole reason of every failure, for sorting them into causes.
    if let Some(path) = std::env::var_os("AUTOGEN_CORPUS_REPORT") {
        let report: String = outcomes
            .iter()
            .filter_map(|(case, o)| o.as_ref().err().map(|r| format!("=== {case}\n{r}\n")))
            .collect();
        std::fs::write(&path, report).expect("the corpus report is written");
    }
    for (case, outcome) in &outcomes {
        if let Err(reason) = outcome {
            let first = reason.lines().next().unwrap_or_default();
            eprintln!("FAIL\t{case}\t{first}");
        }
    }
    eprintln!(
        "diff round trip, every loadable PostgreSQL case: {passed}/{} pass",
        outcomes.len()
    );
}

/// `INDEX.tsv` rows of the PostgreSQL sources with `loads == True` and no `excluded` reason.
fn loadable_postgres_cases(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("INDEX.tsv"))
        .unwrap_or_else(|e| panic!("cannot read INDEX.tsv: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("INDEX.tsv has no `{name}` column"))
    };
    let (source, case, loads, excluded) = (
        column("corpus"),
        column("case"),
        column("loads"),
        column("excluded"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|row| {
            matches!(
                row.get(source),
                Some(&"pg-schema-diff" | &"sqldef-postgres")
            )
        })
        .filter(|row| row.get(loads) == Some(&"True"))
        .filter(|row| row.get(excluded).is_none_or(|e| e.is_empty()))
        .filter_map(|row| Some(format!("{}/{}", row.get(source)?, row.get(case)?)))
        .collect()
}

/// Runs the round trip of every case, split over [`WORKERS`] threads that each reuse three
/// databases (reset between cases: far cheaper than new ones) over open connections.
fn run_cases(dir: &Path, cases: &[String]) -> BTreeMap<String, Result<(), String>> {
    let roles = corpus::case_file(dir, "", "roles.sql");
    crate::support::pg::ensure_roles(&roles);
    let started = Instant::now();
    let outcomes = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                scope.spawn(move || {
                    let mut dbs = Dbs {
                        a: Live::new(),
                        b: Live::new(),
                        c: Live::new(),
                    };
                    cases
                        .iter()
                        .skip(w)
                        .step_by(WORKERS)
                        .map(|case| (case.clone(), dbs.round_trip(dir, case)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a corpus worker panicked"))
            .collect::<BTreeMap<_, _>>()
    });
    eprintln!(
        "{} cases in {:.1}s",
        outcomes.len(),
        started.elapsed().as_secs_f64()
    );
    outcomes
}

/// A: migrated up and down; B: the desired schema; C: `before.sql` loaded fresh.
struct Dbs {
    a: Live,
    b: Live,
    c: Live,
}

impl Dbs {
    fn round_trip(&mut self, dir: &Path, case: &str) -> Result<(), String> {
        let Dbs { a, b, c } = self;
        for db in [&mut *a, &mut *b, &mut *c] {
            db.reset();
        }
        let before = corpus::case_file(dir, case, "before.sql");
        let after = corpus::case_file(dir, case, "after.sql");
        a.execute(&before)
            .map_err(|e| format!("before.sql does not load: {e}"))?;
        b.execute(&after)
            .map_err(|e| format!("after.sql does not load: {e}"))?;
        c.execute(&before)
            .map_err(|e| format!("before.sql does not load: {e}"))?;
        let current = a.inspect_all()?;
        let desired = b.inspect_all()?;
        let plan = plan_between(&current, &desired);
        let (up, down) = render_both(&plan).map_err(|e| format!("does not render: {e}"))?;

        a.apply(&up).map_err(|e| format!("up fails: {e}"))?;
        let upgraded = a.inspect_all()?;
        if let Some(difference) = schema_difference(&upgraded, &desired) {
            return Err(format!("after up, A differs from after.sql:\n{difference}"));
        }
        if let Some(difference) =
            dump_difference(&dump_lines(a.db().url())?, &dump_lines(b.db().url())?)
        {
            return Err(format!(
                "after up, pg_dump of A differs from after.sql's:\n{difference}"
            ));
        }
        let again = plan_between(&upgraded, &desired);
        if !again.is_empty() {
            return Err(format!(
                "a second diff is not empty: {}",
                serde_json::to_string(&again.changes).unwrap_or_default()
            ));
        }

        a.apply(&down).map_err(|e| format!("down fails: {e}"))?;
        let downgraded = a.inspect_all()?;
        let original = c.inspect_all()?;
        if let Some(difference) = schema_difference(&downgraded, &original) {
            return Err(format!(
                "after down, A differs from before.sql:\n{difference}"
            ));
        }
        if let Some(difference) =
            dump_difference(&dump_lines(a.db().url())?, &dump_lines(c.db().url())?)
        {
            return Err(format!(
                "after down, pg_dump of A differs from before.sql's:\n{difference}"
            ));
        }
        Ok(())
    }
}
