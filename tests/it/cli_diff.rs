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
    CREATE TABLE archive (LIKE items);
    CREATE FUNCTION add_price(state numeric, price numeric) RETURNS numeric LANGUAGE sql AS 'SELECT state + price';
    CREATE AGGREGATE total_price(numeric) (SFUNC = add_price, STYPE = numeric, INITCOND = '0');
    CREATE RULE keep AS ON DELETE TO items DO ALSO INSERT INTO archive VALUES (OLD.*);
";

/// Databases that differ only in aggregates and rules, which autogen does not compare: the
/// plan is empty, but `diff` must list each and `--exit-code` must say they differ (it said
/// "No changes", exit 0).
#[test]
fn objects_autogen_does_not_compare_are_listed_and_count_as_a_difference() {
    let from = autogen_testkit::postgres();
    let to = autogen_testkit::postgres();
    from.execute(UNCOMPARED_BASE);
    to.execute(UNCOMPARED_BASE);
    let diff = |format: &str| {
        autogen(&[
            "diff",
            "--from",
            from.url(),
            "--to",
            to.url(),
            "--exit-code",
            "--format",
            format,
        ])
    };
    let (code, out, err) = diff("summary");
    assert_eq!(code, 0, "equal databases: {out}{err}");
    assert!(!out.contains("does not compare"), "{out}");

    to.execute(
        "DROP AGGREGATE total_price(numeric);
         CREATE AGGREGATE total_price(numeric) (SFUNC = add_price, STYPE = numeric, INITCOND = '1');
         DROP RULE keep ON items;
         CREATE RULE keep AS ON UPDATE TO items DO ALSO INSERT INTO archive VALUES (OLD.*);",
    );
    let (code, out, err) = diff("summary");
    assert_eq!(code, 1, "{out}{err}");
    for listed in [
        "aggregate public.total_price(numeric) (defined differently)",
        "rule public.items.keep (defined differently)",
    ] {
        assert!(out.contains(listed), "`{listed}` not listed in\n{out}");
    }
    assert!(
        out.contains("2 objects of kinds autogen does not compare yet differ"),
        "{out}"
    );
    // The SQL says the same in comments, never a bare "No changes".
    let (_, sql, err) = diff("up");
    assert!(!sql.contains("-- No changes\n"), "{sql}{err}");
    assert!(
        sql.contains("--   rule public.items.keep (defined differently)"),
        "{sql}"
    );
    let (_, json, _) = diff("json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        json["not_compared"].as_array().map(Vec::len),
        Some(2),
        "{json}"
    );
}

/// `diff --exit-code` from a database holding `base` to one holding `base` and then `more`.
fn diff_to_more(base: &str, more: &str) -> (i32, String, String) {
    let from = autogen_testkit::postgres();
    let to = autogen_testkit::postgres();
    from.execute(base);
    to.execute(base);
    to.execute(more);
    autogen(&[
        "diff",
        "--from",
        from.url(),
        "--to",
        to.url(),
        "--exit-code",
    ])
}

/// Collations, range types, operators, extended statistics and foreign tables are not
/// compared either: each is listed, `--exit-code` says they differ, and a range type's own
/// constructor functions are not taken for functions of the schema's (the plan would create
/// them, where they come with the type).
#[test]
fn collations_ranges_operators_and_statistics_are_listed() {
    let (code, out, err) = diff_to_more(
        "CREATE TABLE t (a integer, b integer);",
        "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
         CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
         CREATE FUNCTION same(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
         CREATE OPERATOR === (leftarg = integer, rightarg = integer, function = same);
         CREATE STATISTICS t_ab (dependencies) ON a, b FROM t;",
    );
    assert_eq!(code, 1, "{out}{err}");
    for listed in [
        "collation public.ci (only in the desired schema)",
        "range type public.floatrange (only in the desired schema)",
        "operator public.===(integer, integer) (only in the desired schema)",
        "statistics public.t_ab (only in the desired schema)",
    ] {
        assert!(out.contains(listed), "`{listed}` not listed in\n{out}");
    }
    assert!(out.contains("create function public.same("), "{out}");
    assert!(!out.contains("floatrange("), "{out}");
    assert!(!out.contains("floatmultirange("), "{out}");
}

/// Views, functions, triggers, policies, domains and composite types are compared now: a
/// difference in them is a plan, not a note.
#[test]
fn views_functions_and_triggers_are_planned() {
    let base =
        "CREATE TABLE items (id integer PRIMARY KEY, owner text NOT NULL, price numeric NOT NULL);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;";
    let (code, out, err) = diff_to_more(
        base,
        "CREATE VIEW cheap AS SELECT id FROM items WHERE price < 10;
         CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
         CREATE POLICY own ON items USING (owner = current_user);
         CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);",
    );
    assert_eq!(code, 1, "{out}{err}");
    for planned in [
        "create view public.cheap",
        "create trigger public.items_touch on items",
        "create policy public.own on items",
        "create domain public.positive",
    ] {
        assert!(out.contains(planned), "`{planned}` not planned in\n{out}");
    }
    assert!(!out.contains("does not compare"), "{out}");
}
