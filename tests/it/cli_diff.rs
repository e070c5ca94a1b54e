//! `autogen diff --from A --to B` through the real binary, on hand-written cases of every change
//! kind (`fixtures/diff/*.sql`: a `-- before` and an `-- after` section). Each case snapshots
//! every format, and its up and down SQL are applied to prove they do what they say.

use std::path::Path;
use std::process::Command;

use autogen_testkit::PostgresDb;

const SCHEMAS: [&str; 4] = ["--schema", "public", "--schema", "billing"];

fn autogen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
    (
        output.status.code().unwrap_or(-1),
        text(output.stdout),
        text(output.stderr),
    )
}

fn diff(from: &PostgresDb, to: &PostgresDb, format: &str) -> String {
    let mut args = vec![
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--format",
        format,
    ];
    args.extend(SCHEMAS);
    let (code, stdout, stderr) = autogen(&args);
    assert_eq!(code, 0, "diff --format {format} failed: {stderr}");
    assert!(stderr.is_empty(), "unexpected stderr: {stderr}");
    stdout
}

fn sections(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let (before, after) = text.split_once("-- after\n").expect("an `-- after` line");
    (
        before.trim_start_matches("-- before\n").to_owned(),
        after.to_owned(),
    )
}

fn check_case(path: &Path, a: &PostgresDb, b: &PostgresDb) {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("fixture name");
    let (before, after) = sections(path);
    for db in [a, b] {
        db.reset();
    }
    a.execute(&before);
    b.execute(&after);

    let mut report = String::new();
    for format in ["summary", "up", "down", "schema", "markdown", "json"] {
        report.push_str(&format!("===== {format}\n{}\n", diff(a, b, format)));
    }
    insta::assert_snapshot!(name, report);

    let mut args = vec!["diff", "--from", a.url(), "--to", b.url(), "--exit-code"];
    args.extend(SCHEMAS);
    let (code, _, _) = autogen(&args);
    let expected = if before == after { 0 } else { 1 };
    assert_eq!(code, expected, "{name}: --exit-code");

    // Up makes A equal B: a second diff is empty. Down brings A back to before.
    // A lock-safe plan is several migrations (a concurrent index build runs alone, outside any
    // transaction): each is sent on its own, as the runner would.
    let (up, down) = (diff(a, b, "up"), diff(a, b, "down"));
    for file in migrations(&up) {
        a.try_execute(&file)
            .unwrap_or_else(|e| panic!("{name}: up failed: {e}\n{file}"));
    }
    assert_eq!(diff(a, b, "summary"), "No changes\n", "{name}: after up");
    for file in migrations(&down) {
        a.try_execute(&file)
            .unwrap_or_else(|e| panic!("{name}: down failed: {e}\n{file}"));
    }
    b.reset();
    b.execute(&before);
    assert_eq!(diff(a, b, "summary"), "No changes\n", "{name}: after down");
}

/// The script cut where `diff` marks the start of each migration (`-- migration k of n`).
fn migrations(script: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in script.lines() {
        if line.starts_with("-- migration ") && !out.last().is_some_and(String::is_empty) {
            out.push(String::new());
        }
        let current = out.last_mut().expect("one");
        current.push_str(line);
        current.push('\n');
    }
    out
}

#[test]
fn every_change_kind_in_every_format() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diff");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/diff exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 7,
        "expected the diff fixtures, found {}",
        cases.len()
    );
    let (a, b) = (autogen_testkit::postgres(), autogen_testkit::postgres());
    for case in &cases {
        check_case(case, &a, &b);
    }
}

#[test]
fn diff_without_both_sides_is_an_error_naming_the_flags() {
    let (code, stdout, stderr) = autogen(&["diff", "--from", "postgres://u@127.0.0.1:1/x"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "error: diff needs both sides: pass --from URL (current) and --to URL (desired)\n"
    );
}

/// Both databases: one table, and objects of kinds autogen does not compare yet.
const UNCOMPARED_BASE: &str = "
    CREATE TABLE items (id integer PRIMARY KEY, owner text NOT NULL, price numeric NOT NULL);
    CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);
    CREATE TYPE pair AS (a integer, b integer);
    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
    ALTER TABLE items ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own ON items USING (owner = current_user);
    CREATE VIEW cheap AS SELECT id FROM items WHERE price < 10;
    CREATE MATERIALIZED VIEW totals AS SELECT owner, sum(price) AS total FROM items GROUP BY owner;
    COMMENT ON INDEX items_pkey IS 'the key';
";

/// Databases that differ only in views, functions, triggers, policies, domains, composite
/// types, comments on indexes, partitioning and storage options: the plan is empty, but `diff`
/// must list every one and `--exit-code` must say they differ (it said "No changes", exit 0).
#[test]
fn objects_autogen_does_not_compare_are_listed_and_count_as_a_difference() {
    let from = autogen_testkit::postgres();
    let to = autogen_testkit::postgres();
    from.execute(UNCOMPARED_BASE);
    to.execute(UNCOMPARED_BASE);
    let (code, out, err) = autogen(&[
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--exit-code",
    ]);
    assert_eq!(code, 0, "equal databases: {out}{err}");
    assert!(!out.contains("does not compare"), "{out}");

    to.execute(
        "CREATE OR REPLACE VIEW cheap AS SELECT id FROM items WHERE price < 20;
         DROP MATERIALIZED VIEW totals;
         CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.price := NEW.price; RETURN NEW; END $$;
         CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
         DROP POLICY own ON items;
         ALTER TABLE items FORCE ROW LEVEL SECURITY;
         ALTER DOMAIN positive ADD CONSTRAINT small CHECK (VALUE < 1000);
         DROP TYPE pair; CREATE TYPE pair AS (a integer, b bigint);
         COMMENT ON INDEX items_pkey IS 'the primary key';
         ALTER TABLE items SET (fillfactor = 70);
         CREATE TABLE events (id integer, at date) PARTITION BY RANGE (at);",
    );
    from.execute("CREATE TABLE events (id integer, at date) PARTITION BY LIST (id);");
    let (code, out, err) = autogen(&[
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--exit-code",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    for listed in [
        "view public.cheap (defined differently)",
        "materialized view public.totals (only in the current schema)",
        "function public.touch() (defined differently)",
        "function public.add(a integer, b integer) (only in the desired schema)",
        "policy public.items.own (only in the current schema)",
        "row-level security public.items (defined differently)",
        "domain public.positive (defined differently)",
        "composite type public.pair (defined differently)",
        "comment on index public.items_pkey (defined differently)",
        "storage options public.items (only in the desired schema)",
        "partitioning public.events (defined differently)",
    ] {
        assert!(out.contains(listed), "`{listed}` not listed in\n{out}");
    }
    assert!(
        out.contains("11 objects of kinds autogen does not compare yet differ"),
        "{out}"
    );
    // The SQL says the same in comments, never a bare "No changes".
    let (code, sql, err) = autogen(&[
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--format",
        "up",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!sql.contains("-- No changes\n"), "{sql}");
    assert!(
        sql.contains("--   view public.cheap (defined differently)"),
        "{sql}"
    );
    let (_, json, _) = autogen(&[
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        json["not_compared"].as_array().map(Vec::len),
        Some(11),
        "{json}"
    );
}
