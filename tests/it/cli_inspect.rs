//! `autogen inspect` through the real binary: what it prints for schemas that use every kind of
//! object the IR has, that the printed SQL recreates the same schema, and that bad input gives
//! one `error:` line and exit code 2, never a panic or a password.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use autogen_schema::{
    ColumnType, Deferrable, IdentityKind, IndexTarget, MatchType, ReferentialAction, Schema,
};
use autogen_testkit::PostgresDb;
use url::Url;

/// The two fixtures and the schemas each one fills.
const EVERY_KIND: (&str, &[&str]) = ("every_kind.sql", &["public", "app"]);
const MORE_KINDS: (&str, &[&str]) = ("more_kinds.sql", &["public", "billing", "Empty Space"]);

#[test]
fn every_kind_prints_as_json_and_sql_and_round_trips() {
    let schema = check_fixture(EVERY_KIND, "every_kind");
    assert_covers(&schema, EVERY_KIND_COVERS);
}

#[test]
fn more_kinds_print_as_json_and_sql_and_round_trip() {
    let schema = check_fixture(MORE_KINDS, "more_kinds");
    assert_covers(&schema, MORE_KINDS_COVERS);
}

/// Between them the fixtures use every variant of every IR enum and every optional feature.
#[test]
fn the_fixtures_together_cover_every_ir_kind() {
    let covered: BTreeSet<&str> = EVERY_KIND_COVERS
        .iter()
        .chain(MORE_KINDS_COVERS)
        .copied()
        .collect();
    let missing: Vec<&str> = ALL_KINDS
        .iter()
        .filter(|k| !covered.contains(*k))
        .copied()
        .collect();
    assert!(missing.is_empty(), "no fixture covers: {missing:?}");
}

/// Loads the fixture, snapshots `inspect --format json` and `--format sql`, loads the SQL into a
/// second database and checks that it inspects to the same JSON (and SQL) again.
fn check_fixture((file, schemas): (&str, &[&str]), name: &str) -> Schema {
    let sql = std::fs::read_to_string(fixture(file)).expect("the fixture is readable");
    let a = autogen_testkit::postgres();
    a.execute(&sql);
    let json_a = inspect_ok(&a, schemas, "json");
    let sql_a = inspect_ok(&a, schemas, "sql");
    assert_nothing_run_specific(&json_a, &a);
    assert_nothing_run_specific(&sql_a, &a);
    insta::assert_snapshot!(format!("{name}_json"), json_a);
    insta::assert_snapshot!(format!("{name}_sql"), sql_a);

    let b = autogen_testkit::postgres();
    b.try_execute(&sql_a)
        .unwrap_or_else(|e| panic!("the printed SQL does not load into a fresh database: {e}"));
    let json_b = inspect_ok(&b, schemas, "json");
    assert!(
        json_a == json_b,
        "the round trip changed the schema:\n{}",
        first_difference(&json_a, &json_b)
    );
    assert_eq!(sql_a, inspect_ok(&b, schemas, "sql"));

    let schema: Schema = serde_json::from_str(&json_a).expect("the JSON is a schema");
    assert_eq!(
        schema
            .schemas
            .keys()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        schemas.iter().copied().collect::<BTreeSet<_>>(),
        "every requested schema, and only those, is in the output"
    );
    schema
}

fn fixture(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/inspect")
        .join(file)
}

/// The binary with no `DATABASE_URL` from the test's environment, run outside the repository so
/// that no project file can change what it does.
fn autogen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("NO_COLOR", "1")
        .current_dir(std::env::temp_dir());
    command
}

fn inspect(url: &str, schemas: &[&str], format: &str) -> Output {
    let mut command = autogen();
    command.args(["inspect", "--database-url", url, "--format", format]);
    for schema in schemas {
        command.args(["--schema", schema]);
    }
    command.output().expect("the autogen binary runs")
}

fn inspect_ok(db: &PostgresDb, schemas: &[&str], format: &str) -> String {
    let out = inspect(db.url(), schemas, format);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "inspect --format {format} failed ({}): {stderr}",
        out.status
    );
    String::from_utf8(out.stdout).expect("the output is UTF-8")
}

/// Snapshots are shared across runs and machines: no database name, port or user may leak in.
fn assert_nothing_run_specific(text: &str, db: &PostgresDb) {
    let url = Url::parse(db.url()).expect("the test database has a URL");
    assert!(!text.contains(db.name()), "the output names the database");
    assert!(
        !text.contains("autogen_test_"),
        "the output names a test database"
    );
    if let Some(port) = url.port() {
        assert!(
            !text.contains(&format!(":{port}")),
            "the output names the port"
        );
    }
    assert!(
        !text.contains(&format!("`{}`", url.username())),
        "the output names the user"
    );
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(n, (x, y))| format!("line {}:\n  first:  {x}\n  second: {y}", n + 1))
        .unwrap_or_else(|| "one output is a prefix of the other".to_owned())
}

// ---------------------------------------------------------------------------------------------
// Coverage: which IR kinds a schema uses. The matches are exhaustive on purpose: a new IR variant
// does not compile here until it has a name, and then fails `the_fixtures_together_cover_every_ir_kind`
// until a fixture uses it.

#[rustfmt::skip]
const ALL_KINDS: &[&str] = &[
    "type:smallint", "type:integer", "type:bigint", "type:real", "type:double",
    "type:numeric", "type:numeric(p,s)", "type:boolean", "type:text",
    "type:varchar", "type:varchar(n)", "type:char(n)", "type:bytes", "type:date",
    "type:time", "type:timetz", "type:timestamp", "type:timestamptz", "type:interval",
    "type:interval(fields)", "type:uuid", "type:json", "type:jsonb", "type:enum", "type:array",
    "type:array(2d)", "type:array(enum)", "type:other",
    "column:not_null", "column:default", "column:collation", "column:comment",
    "column:generated", "identity:always", "identity:by_default", "identity:options",
    "primary_key", "primary_key:composite", "unique", "unique:nulls_not_distinct",
    "deferrable:initially_immediate", "deferrable:initially_deferred",
    "check", "check:no_inherit",
    "fk:on_delete:cascade", "fk:on_delete:restrict", "fk:on_delete:set_null",
    "fk:on_delete:set_default", "fk:on_update:cascade", "fk:on_update:set_null",
    "fk:match:full", "fk:self", "fk:cross_schema", "fk:composite",
    "index:unique", "index:expression", "index:partial", "index:desc", "index:nulls_first",
    "index:nulls_last_desc", "index:opclass", "index:collation", "index:include",
    "index:nulls_not_distinct", "index:method:btree", "index:method:gin", "index:method:hash",
    "index:method:other",
    "enum", "enum:comment", "sequence", "sequence:owned", "sequence:cycle",
    "sequence:negative", "table:comment", "namespace:empty",
];

#[rustfmt::skip]
const EVERY_KIND_COVERS: &[&str] = &[
    "type:smallint", "type:integer", "type:bigint", "type:double", "type:numeric(p,s)",
    "type:text", "type:varchar(n)", "type:char(n)", "type:bytes", "type:date", "type:time",
    "type:timestamptz", "type:uuid", "type:jsonb", "type:enum", "type:array", "type:array(2d)",
    "column:not_null", "column:default", "column:collation", "column:comment",
    "column:generated", "identity:always", "identity:by_default", "identity:options",
    "primary_key", "unique", "unique:nulls_not_distinct", "deferrable:initially_immediate",
    "deferrable:initially_deferred", "check", "check:no_inherit", "fk:on_delete:cascade",
    "fk:on_delete:set_default", "fk:on_update:set_null", "fk:match:full", "fk:self",
    "index:unique", "index:expression", "index:partial", "index:desc", "index:nulls_first",
    "index:nulls_last_desc", "index:opclass", "index:collation", "index:include", "index:method:btree",
    "index:method:gin", "index:method:hash", "enum", "enum:comment", "sequence",
    "sequence:owned", "table:comment",
];

#[rustfmt::skip]
const MORE_KINDS_COVERS: &[&str] = &[
    "type:integer", "type:real", "type:numeric", "type:numeric(p,s)", "type:boolean",
    "type:text", "type:varchar", "type:char(n)", "type:timestamp", "type:timetz",
    "type:interval", "type:interval(fields)", "type:json", "type:array", "type:array(enum)",
    "type:other", "type:bigint",
    "column:not_null", "column:default", "column:comment", "column:generated",
    "identity:always", "identity:by_default", "identity:options",
    "primary_key", "primary_key:composite", "unique", "deferrable:initially_immediate",
    "deferrable:initially_deferred", "fk:on_delete:restrict", "fk:on_delete:set_null",
    "fk:on_update:cascade", "fk:self", "fk:cross_schema", "fk:composite", "index:unique",
    "index:desc", "index:nulls_first", "index:nulls_last_desc", "index:nulls_not_distinct",
    "index:method:btree", "index:method:other", "enum", "sequence", "sequence:cycle",
    "sequence:negative", "table:comment", "namespace:empty",
];

/// Asserts that `schema` uses exactly the kinds listed: more would mean the list is stale, fewer
/// that the introspector stopped reading something.
fn assert_covers(schema: &Schema, expected: &[&str]) {
    let found = kinds(schema);
    let expected: BTreeSet<String> = expected.iter().map(|k| (*k).to_owned()).collect();
    let unknown: Vec<&String> = found
        .iter()
        .filter(|k| !ALL_KINDS.contains(&k.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "kinds missing from ALL_KINDS: {unknown:?}"
    );
    let unlisted: Vec<&String> = found.difference(&expected).collect();
    let unused: Vec<&String> = expected.difference(&found).collect();
    assert!(
        unlisted.is_empty() && unused.is_empty(),
        "used but not listed: {unlisted:?}; listed but not used: {unused:?}"
    );
}

fn kinds(schema: &Schema) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |k: &str| {
        out.insert(k.to_owned());
    };
    for ns in schema.schemas.values() {
        if ns.tables.is_empty() && ns.enums.is_empty() && ns.sequences.is_empty() {
            add("namespace:empty");
        }
        for e in ns.enums.values() {
            add("enum");
            if e.comment.is_some() {
                add("enum:comment");
            }
        }
        for s in ns.sequences.values() {
            add("sequence");
            if s.owned_by.is_some() {
                add("sequence:owned");
            }
            if s.options.cycle {
                add("sequence:cycle");
            }
            if s.options.increment < 0 || s.options.min_value < 0 {
                add("sequence:negative");
            }
        }
    }
    for (table_name, table) in schema.tables() {
        if table.comment.is_some() {
            add("table:comment");
        }
        for column in &table.columns {
            type_kinds(&column.ty, &mut add);
            if !column.nullable {
                add("column:not_null");
            }
            if column.default.is_some() {
                add("column:default");
            }
            if column.collation.is_some() {
                add("column:collation");
            }
            if column.comment.is_some() {
                add("column:comment");
            }
            if column.generated.is_some() {
                add("column:generated");
            }
            if let Some(identity) = &column.identity {
                add(match identity.kind {
                    IdentityKind::Always => "identity:always",
                    IdentityKind::ByDefault => "identity:by_default",
                    IdentityKind::AutoIncrement => "identity:auto_increment",
                });
                let default_options =
                    autogen_schema::SequenceOptions::postgres_default(column.ty.clone());
                if identity
                    .sequence
                    .as_deref()
                    .is_some_and(|s| *s != default_options)
                {
                    add("identity:options");
                }
            }
        }
        if let Some(pk) = &table.primary_key {
            add("primary_key");
            if pk.columns.len() > 1 {
                add("primary_key:composite");
            }
        }
        for unique in table.uniques.values() {
            add("unique");
            if unique.nulls_not_distinct {
                add("unique:nulls_not_distinct");
            }
            deferrable_kind(unique.deferrable, &mut add);
        }
        for check in table.checks.values() {
            add("check");
            if check.no_inherit {
                add("check:no_inherit");
            }
        }
        for fk in table.foreign_keys.values() {
            if let Some(action) = action_name(fk.on_delete) {
                add(&format!("fk:on_delete:{action}"));
            }
            if let Some(action) = action_name(fk.on_update) {
                add(&format!("fk:on_update:{action}"));
            }
            add(match fk.match_type {
                MatchType::Simple => "fk",
                MatchType::Full => "fk:match:full",
                MatchType::Partial => "fk:match:partial",
            });
            if fk.referenced_table == table_name {
                add("fk:self");
            }
            if fk.referenced_table.schema != table_name.schema {
                add("fk:cross_schema");
            }
            if fk.columns.len() > 1 {
                add("fk:composite");
            }
            deferrable_kind(fk.deferrable, &mut add);
        }
        for index in table.indexes.values() {
            if index.unique {
                add("index:unique");
            }
            if index.predicate.is_some() {
                add("index:partial");
            }
            if !index.include.is_empty() {
                add("index:include");
            }
            if index.nulls_not_distinct {
                add("index:nulls_not_distinct");
            }
            add(match index.method.as_str() {
                "btree" => "index:method:btree",
                "gin" => "index:method:gin",
                "hash" => "index:method:hash",
                _ => "index:method:other",
            });
            for key in &index.keys {
                match &key.target {
                    IndexTarget::Column(_) => {}
                    IndexTarget::Expression(_) => add("index:expression"),
                }
                if key.descending {
                    add("index:desc");
                }
                match (key.nulls_first, key.descending) {
                    (Some(true), false) => add("index:nulls_first"),
                    (Some(false), true) => add("index:nulls_last_desc"),
                    (Some(_), _) | (None, _) => {}
                }
                if key.opclass.is_some() {
                    add("index:opclass");
                }
                if key.collation.is_some() {
                    add("index:collation");
                }
            }
        }
    }
    out.remove("fk");
    out
}

fn deferrable_kind(deferrable: Deferrable, add: &mut impl FnMut(&str)) {
    match deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => add("deferrable:initially_immediate"),
        Deferrable::InitiallyDeferred => add("deferrable:initially_deferred"),
    }
}

fn action_name(action: ReferentialAction) -> Option<&'static str> {
    match action {
        ReferentialAction::NoAction => None,
        ReferentialAction::Restrict => Some("restrict"),
        ReferentialAction::Cascade => Some("cascade"),
        ReferentialAction::SetNull => Some("set_null"),
        ReferentialAction::SetDefault => Some("set_default"),
    }
}

fn type_kinds(ty: &ColumnType, add: &mut impl FnMut(&str)) {
    let name = match ty {
        ColumnType::SmallInt => "type:smallint",
        ColumnType::Integer => "type:integer",
        ColumnType::BigInt => "type:bigint",
        ColumnType::Real => "type:real",
        ColumnType::Double => "type:double",
        ColumnType::Numeric {
            precision: None, ..
        } => "type:numeric",
        // PostgreSQL keeps a scale for every precision: `numeric(10)` is `numeric(10,0)`.
        ColumnType::Numeric {
            precision: Some(_), ..
        } => "type:numeric(p,s)",
        ColumnType::Boolean => "type:boolean",
        ColumnType::Text => "type:text",
        ColumnType::Varchar { length: None } => "type:varchar",
        ColumnType::Varchar { length: Some(_) } => "type:varchar(n)",
        ColumnType::Char { .. } => "type:char(n)",
        ColumnType::Bytes => "type:bytes",
        ColumnType::Date => "type:date",
        ColumnType::Time {
            with_time_zone: false,
            ..
        } => "type:time",
        ColumnType::Time {
            with_time_zone: true,
            ..
        } => "type:timetz",
        ColumnType::Timestamp {
            with_time_zone: false,
            ..
        } => "type:timestamp",
        ColumnType::Timestamp {
            with_time_zone: true,
            ..
        } => "type:timestamptz",
        ColumnType::Interval { fields: None, .. } => "type:interval",
        ColumnType::Interval {
            fields: Some(_), ..
        } => "type:interval(fields)",
        ColumnType::Uuid => "type:uuid",
        ColumnType::Json => "type:json",
        ColumnType::Jsonb => "type:jsonb",
        ColumnType::Enum { .. } => "type:enum",
        ColumnType::Array {
            element,
            dimensions,
        } => {
            if *dimensions > 1 {
                add("type:array(2d)");
            }
            if matches!(**element, ColumnType::Enum { .. }) {
                add("type:array(enum)");
            }
            "type:array"
        }
        ColumnType::Other { .. } => "type:other",
    };
    add(name);
}

// ---------------------------------------------------------------------------------------------
// Bad input.

/// Runs the binary and checks the failure contract: exit code 2, nothing on stdout, exactly one
/// line on stderr starting `error:`, no panic, no backtrace, none of `secrets`. Gives the line.
fn failure(args: &[&str], secrets: &[&str]) -> String {
    let out = autogen()
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the autogen binary runs");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    assert!(!stderr.contains("backtrace"), "a backtrace: {stderr}");
    for secret in secrets {
        assert!(
            !stderr.contains(secret),
            "the password `{secret}` is shown: {stderr}"
        );
    }
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, not: {stderr:?}");
    assert!(
        lines[0].starts_with("error: "),
        "not an error line: {stderr:?}"
    );
    assert!(stderr.ends_with('\n'), "the line is terminated: {stderr:?}");
    lines[0].to_owned()
}

/// `host:port` of a database URL, the way the messages print it.
fn server(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().unwrap_or(5432)
    )
}

#[test]
fn a_reader_that_goes_away_gets_no_error_message() {
    let db = autogen_testkit::postgres();
    let mut child = autogen()
        .args(["inspect", "--format", "json", "--database-url", db.url()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the autogen binary runs");
    // Closed before autogen has even connected, so its first write meets a broken pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("autogen ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "incomplete output is a failure");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

#[test]
fn unreachable_server_is_one_line_naming_host_and_port() {
    let line = failure(
        &[
            "inspect",
            "--database-url",
            "postgres://u:s3cret@127.0.0.1:1/x",
        ],
        &["s3cret"],
    );
    assert_eq!(
        line,
        "error: cannot reach the database server at 127.0.0.1:1: connection refused"
    );
}

#[test]
fn ipv6_server_is_named_in_brackets() {
    let line = failure(
        &["inspect", "--database-url", "postgres://u:s3cret@[::1]:1/x"],
        &["s3cret"],
    );
    // The reason depends on whether the machine has IPv6 loopback ("connection refused") or not
    // ("address not available"); sqlx once looked `[::1]` up as a host name instead.
    let prefix = "error: cannot reach the database server at [::1]:1: ";
    assert!(line.starts_with(prefix), "{line}");
    assert!(
        !line.contains("lookup"),
        "the address was resolved as a name: {line}"
    );
}

#[test]
fn wrong_password_says_so_and_shows_neither_password() {
    let db = autogen_testkit::postgres_with_password();
    let right = Url::parse(db.url()).expect("the test database has a URL");
    assert_eq!(right.password(), Some(autogen_testkit::SERVER_PASSWORD));
    // The right password gets in: the failure below is the password's doing.
    inspect_ok(&db, &["public"], "json");

    let mut wrong = right.clone();
    wrong
        .set_password(Some("n0t-the-pa55word"))
        .expect("a password can be set");
    let line = failure(
        &["inspect", "--database-url", wrong.as_str()],
        &["n0t-the-pa55word", autogen_testkit::SERVER_PASSWORD],
    );
    assert_eq!(
        line,
        format!(
            "error: password authentication failed for user `{}` at {}",
            right.username(),
            server(&right)
        )
    );
}

#[test]
fn unknown_database_names_database_and_server() {
    let db = autogen_testkit::postgres();
    let mut url = Url::parse(db.url()).expect("the test database has a URL");
    url.set_path("/no_such_database_here");
    // A trusting server ignores a password, so it is there only to show that it is not shown.
    if url.password().is_none() {
        url.set_password(Some("s3cret"))
            .expect("a password can be set");
    }
    let password = url.password().expect("a password").to_owned();
    let line = failure(&["inspect", "--database-url", url.as_str()], &[&password]);
    assert_eq!(
        line,
        format!(
            "error: database `no_such_database_here` does not exist on {}",
            server(&url)
        )
    );
}

#[test]
fn unknown_role_says_the_server_refused_it() {
    let db = autogen_testkit::postgres();
    let mut url = Url::parse(db.url()).expect("the test database has a URL");
    url.set_username("no_such_role").expect("a user can be set");
    // A server that let the test in without a password trusts: it says whom it does not know.
    // One that asks for passwords says only that authentication failed, so as not to tell.
    let trusts = url.password().is_none();
    let password = url.password().unwrap_or("s3cret").to_owned();
    url.set_password(Some(&password))
        .expect("a password can be set");
    let line = failure(&["inspect", "--database-url", url.as_str()], &[&password]);
    let trusting = format!(
        "error: the server at {} refused user `no_such_role`: role \"no_such_role\" does not exist",
        server(&url)
    );
    let asking = format!(
        "error: password authentication failed for user `no_such_role` at {}",
        server(&url)
    );
    if trusts {
        assert_eq!(line, trusting);
    } else {
        assert!(line == trusting || line == asking, "{line}");
    }
}

#[test]
fn a_server_that_is_not_postgres_is_reached_but_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut socket, _) = listener.accept().expect("autogen connects");
        let mut request = [0u8; 8];
        let _ = socket.read(&mut request);
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    let url = format!("postgres://u:s3cret@127.0.0.1:{port}/x");
    let line = failure(&["inspect", "--database-url", &url], &["s3cret"]);
    server.join().expect("the fake server ran");
    let prefix = format!("error: cannot connect to 127.0.0.1:{port}: ");
    assert!(line.starts_with(&prefix), "{line}");
    assert!(
        !line.contains("(sqlx_"),
        "sqlx's source location is shown: {line}"
    );
}

#[test]
fn a_refused_certificate_is_not_an_unreachable_server() {
    let db = autogen_testkit::postgres();
    let mut url = Url::parse(db.url()).expect("the test database has a URL");
    url.set_query(Some("sslmode=verify-full"));
    let password = url.password().unwrap_or("s3cret").to_owned();
    url.set_password(Some(&password))
        .expect("a password can be set");
    let line = failure(&["inspect", "--database-url", url.as_str()], &[&password]);
    // Test servers have no certificate a client could verify, or no TLS at all.
    let prefix = format!("error: cannot connect to {}: ", server(&url));
    assert!(line.starts_with(&prefix), "{line}");
}

#[test]
fn malformed_url_says_what_was_expected() {
    let line = failure(
        &["inspect", "--database-url", "postgres://u:s3cret@[::1"],
        &["s3cret"],
    );
    assert_eq!(
        line,
        "error: invalid database url: invalid IPv6 address; \
         expected postgres://user:password@host:port/database"
    );
    let line = failure(&["inspect", "--database-url", "localhost:5432/app"], &[]);
    assert_eq!(
        line,
        "error: unsupported database url scheme `localhost`; expected postgres://, mysql:// or sqlite:"
    );
    let line = failure(
        &[
            "inspect",
            "--database-url",
            "postgres://u:s3cret@h/x?sslmode=sometimes",
        ],
        &["s3cret"],
    );
    assert_eq!(
        line,
        "error: invalid database url: unknown value \"sometimes\" for `ssl_mode`; \
         expected postgres://user:password@host:port/database"
    );
}

#[test]
fn unsupported_scheme_names_the_scheme() {
    let line = failure(
        &["inspect", "--database-url", "redis://u:s3cret@localhost/x"],
        &["s3cret"],
    );
    assert_eq!(
        line,
        "error: unsupported database url scheme `redis`; expected postgres://, mysql:// or sqlite:"
    );
}

#[test]
fn unknown_schema_names_schema_database_and_the_schemas_it_has() {
    let db = autogen_testkit::postgres();
    db.execute("CREATE SCHEMA app; CREATE SCHEMA \"Odd One\";");
    let line = failure(
        &[
            "inspect",
            "--database-url",
            db.url(),
            "--schema",
            "public",
            "--schema",
            "nope",
        ],
        &[],
    );
    assert_eq!(
        line.replace(db.name(), "{database}"),
        "error: schema `nope` does not exist in database `{database}`; \
         it has: `Odd One`, `app`, `public`"
    );
}

#[test]
fn no_database_url_names_the_flag() {
    let line = failure(&["inspect"], &[]);
    assert_eq!(
        line,
        "error: no database given; pass --database-url or set DATABASE_URL"
    );
}
