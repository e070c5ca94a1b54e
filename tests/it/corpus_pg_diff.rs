//! Diff round trip on the external corpus, on real PostgreSQL: load a case's `before.sql` into
//! database A and `after.sql` into B; the plan from A to B, applied to A, makes A equal B (columns
//! compared by name) and leaves nothing to diff; the inverse plan then brings A back to
//! `before.sql` loaded fresh into C.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use crate::support::corpus;
use crate::support::pg::RoundTrip;

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
/// core subset, judged by `pg_dump -s` as well: the cases that do not round-trip are listed in
/// `tests/known_failures/diff_pg_all.tsv` with why, and a listed case that passes fails the test.
/// `AUTOGEN_CORPUS_REPORT=FILE` writes every failure's whole reason there; `AUTOGEN_CORPUS_LIST=1`
/// prints them one per line, for the list.
#[test]
fn diff_round_trip_on_every_loadable_postgres_case() {
    let Some(dir) = corpus::corpus_dir() else {
        return;
    };
    let mut cases = loadable_postgres_cases(&dir);
    // `AUTOGEN_CORPUS_ONLY=TEXT` runs only the cases whose name holds TEXT, to work on a few: the
    // report and list are written, the judge (which needs every case) is not run.
    let only = std::env::var("AUTOGEN_CORPUS_ONLY").ok();
    if let Some(only) = &only {
        cases.retain(|c| c.contains(only.as_str()));
    }
    let outcomes = run_cases(&dir, &cases);
    if let Some(path) = std::env::var_os("AUTOGEN_CORPUS_REPORT") {
        let report: String = outcomes
            .iter()
            .filter_map(|(case, o)| o.as_ref().err().map(|r| format!("=== {case}\n{r}\n")))
            .collect();
        std::fs::write(&path, report).expect("the corpus report is written");
    }
    crate::inspect_rust::list_failures(&outcomes);
    if only.is_some() {
        let passed = outcomes.values().filter(|o| o.is_ok()).count();
        eprintln!(
            "AUTOGEN_CORPUS_ONLY: {passed}/{} pass, not judged",
            outcomes.len()
        );
        return;
    }
    corpus::judge(
        "diff round trip, every loadable PostgreSQL case",
        &outcomes,
        &corpus::known_failures("diff_pg_all.tsv"),
        MIN_PASS_RATE_ALL,
    );
}

/// The floor under the whole loadable set: what passes today, so a regression fails even where
/// the list would not catch it.
const MIN_PASS_RATE_ALL: f64 = 0.99;

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
                    let mut dbs = RoundTrip::new();
                    cases
                        .iter()
                        .skip(w)
                        .step_by(WORKERS)
                        .map(|case| {
                            let before = corpus::case_file(dir, case, "before.sql");
                            let after = corpus::case_file(dir, case, "after.sql");
                            (case.clone(), dbs.run(&before, &after))
                        })
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
