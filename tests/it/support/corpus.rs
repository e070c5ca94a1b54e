//! The external corpus (`../shared/corpus`, or `AUTOGEN_CORPUS_DIR`): schema pairs from other
//! projects' test suites. It is read in place and never copied into this repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the corpus is, or `None` (with the reason printed) when it is missing and not required.
/// With `AUTOGEN_REQUIRE_CORPUS=1` (as `.ci/run` sets) a missing corpus fails the test.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("AUTOGEN_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    if dir.join("INDEX.tsv").is_file() {
        return Some(dir);
    }
    let message = format!(
        "the external corpus is not at {}; set AUTOGEN_CORPUS_DIR",
        dir.display()
    );
    if std::env::var("AUTOGEN_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!("{message} (AUTOGEN_REQUIRE_CORPUS=1)");
    }
    eprintln!("CORPUS TESTS DID NOT RUN: {message}");
    None
}

/// The case names (`source/case`) listed in the first column of a corpus TSV file.
pub fn cases(corpus: &Path, list: &str) -> Vec<String> {
    let text = std::fs::read_to_string(corpus.join(list))
        .unwrap_or_else(|e| panic!("cannot read {list}: {e}"));
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads one of a case's files; a missing file is an empty schema.
pub fn case_file(corpus: &Path, case: &str, file: &str) -> String {
    std::fs::read_to_string(corpus.join(case).join(file)).unwrap_or_default()
}

/// A checked-in list of cases expected to fail, `case<TAB>reason` per line, `#` comments.
pub fn known_failures(file: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/known_failures")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l.split_once('\t').unwrap_or((l, ""));
            (case.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Compares the outcome of every case with the known-failures list and the pass-rate bar.
/// Fails on a new failure, on a listed case that now passes, and under `min_pass_rate`.
pub fn judge(
    name: &str,
    outcomes: &BTreeMap<String, Result<(), String>>,
    known: &BTreeMap<String, String>,
    min_pass_rate: f64,
) {
    let passed = outcomes.values().filter(|o| o.is_ok()).count();
    let total = outcomes.len();
    let mut problems = Vec::new();
    for (case, outcome) in outcomes {
        match (outcome, known.get(case)) {
            (Err(reason), None) => problems.push(format!("new failure {case}: {reason}")),
            (Ok(()), Some(_)) => problems.push(format!(
                "{case} passes now: remove it from the known failures"
            )),
            (Err(_), Some(_)) | (Ok(()), None) => {}
        }
    }
    for case in known.keys().filter(|c| !outcomes.contains_key(*c)) {
        problems.push(format!(
            "{case} is listed as a known failure but is not a case of this test"
        ));
    }
    let rate = passed as f64 / total.max(1) as f64;
    eprintln!("{name}: {passed}/{total} cases pass ({:.1}%)", rate * 100.0);
    if rate < min_pass_rate {
        problems.push(format!(
            "pass rate {:.1}% is under {:.0}%",
            rate * 100.0,
            min_pass_rate * 100.0
        ));
    }
    assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
}
