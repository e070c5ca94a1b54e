//! The entities `autogen inspect --format seaorm` writes compile against the real sea-orm 1.1
//! crate. Written for the "every kind" schemas of PostgreSQL, MariaDB and SQLite and for every
//! corpus case whose entities check clean (the property of `inspect_seaorm`, judged here
//! against its known-failure lists, so the corpus is inspected once), each as one module of
//! one scratch crate (so sea-orm and its macros build once), then `cargo check`ed.
//! The scratch crate and its target folder persist under the test target's temp dir, so a
//! rerun is warm. A warning is an error: the entities are meant to be the user's code. When
//! cargo cannot fetch sea-orm (no registry), the test says so loudly and skips the compiling; any other failure of cargo fails it, with the compiler's errors as file:line.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::inspect_rust::autogen;
use crate::inspect_seaorm::{
    MYSQL_EVERY_KIND, PG_EVERY_KIND, SQLITE_EVERY_KIND, core_postgres_outcomes, judge_corpus,
    mysql_outcomes, sqlite_outcomes,
};
use crate::support::corpus;
use crate::support::mysql::LiveMy;
use crate::support::pg::Live;

/// The scratch crate's manifest. The features are the fewest the written field types need:
/// `macros` for the derives, `with-json` (Json), `with-chrono` (Date, DateTime, ..),
/// `with-rust_decimal` (Decimal), `with-uuid` (Uuid), `postgres-array` (Vec<T> of a
/// PostgreSQL array). No database driver: checking needs none.
const MANIFEST: &str = r#"[package]
name = "seaorm-entities"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
sea-orm = { version = "1.1", default-features = false, features = ["macros", "with-json", "with-chrono", "with-rust_decimal", "with-uuid", "postgres-array"] }

[workspace]
"#;

/// One folder of written entities and the module it becomes.
struct Entities {
    /// What it was written from: a corpus case or an "every kind" schema.
    origin: String,
    dir: tempfile::TempDir,
}

/// Writes the entities of the database at `url` into a fresh folder.
fn inspect(origin: &str, url: &str, schemas: &[String]) -> Entities {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = autogen(
        dir.path(),
        url,
        schemas,
        &["inspect", "--format", "seaorm", "--out", "models"],
    );
    assert_eq!(code, 0, "{origin}: inspect --format seaorm: {err}");
    Entities {
        origin: origin.to_owned(),
        dir,
    }
}

fn every_kind() -> Vec<Entities> {
    let mut live = Live::new();
    live.execute(PG_EVERY_KIND).expect("the schema loads");
    let schemas = vec!["app".to_owned(), "public".to_owned()];
    let pg = inspect("every kind (postgres)", live.db().url(), &schemas);
    let mut my = LiveMy::new();
    my.reset();
    my.execute(MYSQL_EVERY_KIND).expect("the schema loads");
    let mysql = inspect("every kind (mysql)", my.url(), &[]);
    let db = autogen_testkit::sqlite();
    db.try_execute(SQLITE_EVERY_KIND).expect("the schema loads");
    let sqlite = inspect("every kind (sqlite)", db.url(), &[]);
    vec![pg, mysql, sqlite]
}

/// The corpus cases whose entities check clean (the property of `inspect_seaorm`, judged here
/// against its lists of known failures: the corpus is inspected once for both tests of it).
fn corpus_entities() -> Vec<Entities> {
    let Some(dir) = corpus::corpus_dir() else {
        return Vec::new();
    };
    let (pg, sqlite, mysql) = (
        core_postgres_outcomes(&dir),
        sqlite_outcomes(&dir),
        mysql_outcomes(&dir),
    );
    judge_corpus(&pg, &sqlite, &mysql);
    [pg, sqlite, mysql]
        .into_iter()
        .flatten()
        .filter_map(|(case, outcome)| outcome.ok().map(|dir| Entities { origin: case, dir }))
        .collect()
}

/// The persistent scratch crate: its folder and its target folder.
fn scratch() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("seaorm-check");
    (root.join("crate"), root.join("target"))
}

/// Lays out the crate: `src/m<N>/` is the Nth folder of entities, `src/lib.rs` names them.
fn lay_out(krate: &Path, all: &[Entities]) {
    let src = krate.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).expect("the old sources go");
    }
    std::fs::create_dir_all(&src).expect("src");
    std::fs::write(krate.join("Cargo.toml"), MANIFEST).expect("manifest");
    // A warning in written entities is one in the user's crate: the check denies them.
    let mut lib = String::from(
        "//! Entities written by `autogen inspect --format seaorm`.\n#![deny(warnings)]\n",
    );
    for (n, entities) in all.iter().enumerate() {
        let module = format!("m{n}");
        copy_dir(&entities.dir.path().join("models"), &src.join(&module));
        lib.push_str(&format!("/// {}\npub mod {module};\n", entities.origin));
    }
    std::fs::write(src.join("lib.rs"), lib).expect("lib.rs");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("module folder");
    for entry in std::fs::read_dir(from).expect("entities folder").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("an entity file");
        }
    }
}

/// cargo, clear of the outer build's environment (its target folder, its flags).
fn cargo(krate: &Path, target: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        // The machine's cores are shared: the check builds on two at most.
        .env("CARGO_BUILD_JOBS", "2");
    command
}

/// Whether cargo's failure to fetch is the registry being out of reach, not a bad manifest.
fn unreachable(stderr: &str) -> bool {
    [
        "failed to download",
        "failed to get",
        "failed to query replaced source",
        "failed to load source",
        "Unable to update registry",
        "network",
        "spurious",
        "Couldn't resolve",
        "failed to connect",
        "offline",
    ]
    .iter()
    .any(|sign| stderr.contains(sign))
}

/// The errors (and denied warnings) of `cargo check`'s short output, each with the case its module is.
fn errors(stdout_and_err: &str, all: &[Entities]) -> String {
    stdout_and_err
        .lines()
        .filter(|l| l.contains("error"))
        .map(|line| {
            let origin = line
                .strip_prefix("src/m")
                .and_then(|rest| rest.split(['/', '.']).next())
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| all.get(n))
                .map(|e| format!(" [{}]", e.origin))
                .unwrap_or_default();
            format!("{line}{origin}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn written_entities_check_clean_on_the_corpus_and_compile_against_sea_orm() {
    let mut all = every_kind();
    all.extend(corpus_entities());
    let (krate, target) = scratch();
    lay_out(&krate, &all);

    let fetch = cargo(&krate, &target)
        .arg("fetch")
        .output()
        .expect("cargo runs");
    if !fetch.status.success() {
        let err = String::from_utf8_lossy(&fetch.stderr);
        assert!(
            unreachable(&err),
            "cargo fetch fails, not for the network:\n{err}"
        );
        eprintln!(
            "\n!!!!!!!! SKIPPED: inspect_seaorm_compiles: cargo cannot fetch sea-orm (no registry); \
             the written entities were NOT compiled !!!!!!!!\n{err}"
        );
        return;
    }

    let check = cargo(&krate, &target)
        .args(["check", "--quiet", "--message-format", "short"])
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        check.status.success(),
        "the entities of {} folders do not compile against sea-orm 1.1 ({}):\n{}",
        all.len(),
        krate.display(),
        errors(&text, &all)
    );
}
