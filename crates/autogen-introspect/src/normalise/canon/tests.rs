//! The cheap comparison, case by case. The `live` texts are what PostgreSQL 15
//! (`pg_get_expr` with an empty search_path), MariaDB 10.11 and SQLite print for the `model`
//! text, taken from the real servers; `false` rows are pairs that must reach the server (or are
//! different), because an "equal" there would hide a real change.

use super::*;
use autogen_schema::QualifiedName;

/// The columns every case may name.
fn columns() -> Vec<(&'static str, ColumnType)> {
    vec![
        ("qty", ColumnType::Integer),
        ("small", ColumnType::SmallInt),
        ("big", ColumnType::BigInt),
        ("name", ColumnType::Text),
        ("code", ColumnType::Varchar { length: Some(40) }),
        (
            "amount",
            ColumnType::Numeric {
                precision: Some(12),
                scale: Some(2),
            },
        ),
        ("active", ColumnType::Boolean),
        (
            "st",
            ColumnType::Enum {
                name: QualifiedName::new("public", "status"),
            },
        ),
        (
            "created_at",
            ColumnType::Timestamp {
                precision: None,
                with_time_zone: true,
            },
        ),
        (
            "tags",
            ColumnType::Array {
                element: Box::new(ColumnType::Text),
                dimensions: 1,
            },
        ),
        ("doc", ColumnType::Jsonb),
        ("ratio", ColumnType::Double),
        ("Mixed", ColumnType::Integer),
        ("day", ColumnType::Date),
    ]
}

/// `(column whose default it is, or "" for a check/index/predicate, model, live, equal)`.
const POSTGRES: &[(&str, &str, &str, bool)] = &[
    // Defaults.
    ("qty", "0", "0", true),
    ("qty", "-1", "'-1'::integer", true),
    ("big", "5000000000", "'5000000000'::bigint", true),
    ("big", "-5000000000", "'-5000000000'::bigint", true),
    ("amount", "0.5", "0.5", true),
    ("amount", "-1.5", "'-1.5'::numeric", true),
    ("name", "'abc'", "'abc'::text", true),
    ("name", "'abc'::text", "'abc'::text", true),
    ("code", "'x'", "'x'::character varying", true),
    // A default kept through a retype keeps its old cast; a direct build prints the column's.
    ("name", "'anon'", "'anon'::character varying", false),
    ("code", "'anon'", "'anon'::text", false),
    ("st", "'a'", "'a'::character varying", false),
    ("doc", "'{}'", "'{}'::text", false),
    // Written with the other cast, the default prints it (on a column of either type).
    (
        "name",
        "'anon'::character varying",
        "'anon'::character varying",
        true,
    ),
    ("name", "'anon'::varchar", "'anon'::character varying", true),
    ("code", "'anon'::text", "'anon'::text", true),
    ("st", "'in_progress'", "'in_progress'::public.status", true),
    (
        "st",
        "'in_progress'::public.status",
        "'in_progress'::public.status",
        true,
    ),
    ("st", "'done'", "'in_progress'::public.status", false),
    ("tags", "'{}'", "'{}'::text[]", true),
    ("doc", "'{}'", "'{}'::jsonb", true),
    ("doc", "'{}'::jsonb", "'{}'::jsonb", true),
    ("created_at", "now()", "now()", true),
    ("created_at", "NOW()", "now()", true),
    ("created_at", "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", true),
    ("created_at", "current_timestamp", "CURRENT_TIMESTAMP", true),
    ("created_at", "now()", "CURRENT_TIMESTAMP", false),
    (
        "created_at",
        "'2020-01-01'",
        "'2020-01-01 00:00:00+00'::timestamp with time zone",
        false,
    ),
    (
        "created_at",
        "now() + interval '7 days'",
        "(now() + '7 days'::interval)",
        true,
    ),
    (
        "created_at",
        "now() + interval '1 week'",
        "(now() + '7 days'::interval)",
        false,
    ),
    ("day", "DATE '2020-01-01'", "'2020-01-01'::date", true),
    ("day", "'2020-01-01'", "'2020-01-01'::date", true),
    ("day", "CURRENT_DATE", "CURRENT_DATE", true),
    ("active", "true", "true", true),
    ("active", "TRUE", "true", true),
    ("active", "false", "true", false),
    ("qty", "1", "0", false),
    ("qty", "'5'::bigint", "5", false),
    (
        "name",
        "gen_random_uuid()::text",
        "(gen_random_uuid())::text",
        true,
    ),
    (
        "qty",
        "nextval('public.t_id_seq'::regclass)",
        "nextval('public.t_id_seq'::regclass)",
        true,
    ),
    (
        "qty",
        "nextval('t_id_seq'::regclass)",
        "nextval('public.t_id_seq'::regclass)",
        false,
    ),
    // Generated columns and other expressions.
    ("", "qty * 2", "(qty * 2)", true),
    ("", "lower(name) || 'x'", "(lower(name) || 'x'::text)", true),
    ("", "qty * 2", "(qty * 3)", false),
    ("", "qty + 1 * 2", "((qty + 1) * 2)", false),
    // Checks.
    ("", "qty >= 0", "(qty >= 0)", true),
    (
        "",
        "amount >= 0 OR qty = 0",
        "((amount >= (0)::numeric) OR (qty = 0))",
        true,
    ),
    ("", "amount >= 0.5", "(amount >= 0.5)", true),
    (
        "",
        "qty >= 0 AND amount > 1",
        "((qty >= 0) AND (amount > (1)::numeric))",
        true,
    ),
    (
        "",
        "code IN ('a', 'b')",
        "((code)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        true,
    ),
    (
        "",
        "name IN ('a', 'b')",
        "(name = ANY (ARRAY['a'::text, 'b'::text]))",
        true,
    ),
    (
        "",
        "name IN ('a', 'c')",
        "(name = ANY (ARRAY['a'::text, 'b'::text]))",
        false,
    ),
    ("", "qty IN (1, 2)", "(qty = ANY (ARRAY[1, 2]))", true),
    ("", "qty NOT IN (1, 2)", "(qty <> ALL (ARRAY[1, 2]))", true),
    ("", "name IN ('a')", "(name = 'a'::text)", true),
    (
        "",
        "qty BETWEEN 1 AND 5",
        "((qty >= 1) AND (qty <= 5))",
        true,
    ),
    (
        "",
        "qty NOT BETWEEN 1 AND 5",
        "((qty < 1) OR (qty > 5))",
        true,
    ),
    ("", "code <> ''", "((code)::text <> ''::text)", true),
    ("", "length(name) > 3", "(length(name) > 3)", true),
    (
        "",
        "char_length(code) <= 5",
        "(char_length((code)::text) <= 5)",
        true,
    ),
    (
        "",
        "COALESCE(code, '') <> 'x'",
        "((COALESCE(code, ''::character varying))::text <> 'x'::text)",
        false,
    ),
    ("", "name ~ '^[a-z]+$'", "(name ~ '^[a-z]+$'::text)", true),
    ("", "name LIKE 'a%'", "(name ~~ 'a%'::text)", true),
    ("", "name ILIKE 'a%'", "(name ~~* 'a%'::text)", true),
    ("", "name NOT LIKE 'a%'", "(name !~~ 'a%'::text)", true),
    (
        "",
        "qty IS NOT NULL AND (qty > 1 OR qty < -1)",
        "((qty IS NOT NULL) AND ((qty > 1) OR (qty < '-1'::integer)))",
        true,
    ),
    (
        "",
        "qty IS NOT NULL AND qty > 1 OR qty < -1",
        "((qty IS NOT NULL) AND ((qty > 1) OR (qty < '-1'::integer)))",
        false,
    ),
    ("", "NOT active", "(NOT active)", true),
    ("", "st <> 'a'", "(st <> 'a'::public.status)", true),
    ("", "st <> 'b'", "(st <> 'a'::public.status)", false),
    ("", "\"Mixed\" > 0", "(\"Mixed\" > 0)", true),
    ("", "Mixed > 0", "(\"Mixed\" > 0)", false),
    ("", "QTY >= 0", "(qty >= 0)", true),
    ("", "CAST(qty AS bigint) > 0", "((qty)::bigint > 0)", true),
    ("", "qty::int8 > 0", "((qty)::bigint > 0)", true),
    // A user's own cast that changes the value is kept: 2.5 is not 3.
    ("", "qty = 2.5", "(qty = (2.5)::integer)", false),
    ("", "qty = 5 / 2", "(qty = (5 / 2))", true),
    ("", "qty = 5 / 2", "(qty = ((5)::numeric / 2))", false),
    // Left to the server: the cast of the column is the server's, but proving it needs types.
    ("", "qty = 2.5", "((qty)::numeric = 2.5)", false),
    ("", "st IN ('a')", "(st = 'a'::public.status)", true),
    ("", "ratio > 0", "(ratio > (0)::double precision)", false),
    // Index keys and predicates.
    ("", "lower(name)", "lower(name)", true),
    ("", "lower(code)", "lower((code)::text)", true),
    ("", "upper(code)", "lower((code)::text)", false),
    ("", "qty + 1", "(qty + 1)", true),
    ("", "ref_id IS NOT NULL", "(ref_id IS NOT NULL)", true),
    ("", "code = 'x'", "((code)::text = 'x'::text)", true),
    ("", "active", "active", true),
    ("", "st = 'a'", "(st = 'a'::public.status)", true),
    ("", "deleted_at IS NULL", "(deleted_at IS NULL)", true),
    // Not one expression: never equal, whatever follows.
    (
        "",
        "0); CREATE ROLE pwned; CREATE TABLE z (id int",
        "0",
        false,
    ),
    ("", "qty >= 0) OR (true", "((qty >= 0) OR true)", false),
];

fn check(dialect: Dialect, cases: &[(&str, &str, &str, bool)]) {
    let owned = columns();
    let columns: Columns<'_> = owned.iter().map(|(n, t)| (*n, t)).collect();
    let mut wrong = Vec::new();
    for (column, model, live, expected) in cases {
        let place = match columns.get(column) {
            Some(ty) => Place::Default(ty),
            None => Place::Other,
        };
        let got = equivalent(dialect, model, live, place, &columns);
        if got != *expected {
            wrong.push(format!(
                "{column:>10} | {model} | {live}: expected {expected}, got {got}"
            ));
        }
    }
    assert!(wrong.is_empty(), "wrong answers:\n{}", wrong.join("\n"));
}

#[test]
fn postgres_spellings() {
    check(Dialect::Postgres, POSTGRES);
}

/// MariaDB 10.11: `COLUMN_DEFAULT`, `CHECK_CLAUSE` and `GENERATION_EXPRESSION`.
const MARIADB: &[(&str, &str, &str, bool)] = &[
    (
        "created_at",
        "CURRENT_TIMESTAMP",
        "current_timestamp()",
        true,
    ),
    ("created_at", "now()", "current_timestamp()", true),
    (
        "created_at",
        "CURRENT_TIMESTAMP(6)",
        "current_timestamp()",
        false,
    ),
    ("name", "'abc'", "'abc'", true),
    ("name", "\"abc\"", "'abc'", true),
    ("qty", "0", "0", true),
    ("qty", "1", "0", false),
    ("active", "false", "0", true),
    ("active", "TRUE", "1", true),
    ("active", "true", "0", false),
    ("qty", "false", "0", false),
    ("", "qty >= 0", "`qty` >= 0", true),
    ("", "QTY >= 0", "`qty` >= 0", true),
    (
        "",
        "amount >= 0 OR qty = 0",
        "`amount` >= 0 or `qty` = 0",
        true,
    ),
    ("", "qty * 2", "`qty` * 2", true),
    ("", "code IN ('a', 'b')", "`code` in ('a','b')", true),
    ("", "code IN ('a', 'c')", "`code` in ('a','b')", false),
];

#[test]
fn mariadb_spellings() {
    check(Dialect::MySql, MARIADB);
}

/// SQLite keeps the text as written; only quoting, case and parentheses vary.
const SQLITE: &[(&str, &str, &str, bool)] = &[
    ("qty", "0", "0", true),
    ("created_at", "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", true),
    ("created_at", "current_timestamp", "CURRENT_TIMESTAMP", true),
    ("name", "'abc'", "'abc'", true),
    ("", "qty >= 0", "(\"qty\" >= 0)", true),
    ("", "lower(name)", "lower(\"name\")", true),
    ("", "qty >= 1", "\"qty\" >= 0", false),
];

#[test]
fn sqlite_spellings() {
    check(Dialect::Sqlite, SQLITE);
}

/// The soundness of the table on the real server: every pair the cheap pass calls equal is
/// one expression for PostgreSQL too: the server prints the model text as the live text, or
/// both the same way, in the same place (a default of the same column, a CHECK, an index key).
#[test]
fn every_pair_called_equal_is_equal_for_postgres() {
    let db = autogen_testkit::postgres();
    db.execute(
        "CREATE TYPE public.status AS ENUM ('a', 'b', 'in_progress', 'done');
         CREATE SEQUENCE public.t_id_seq;
         CREATE TABLE public.t (
            qty integer, small smallint, big bigint, name text, code varchar(40),
            amount numeric(12, 2), active boolean, st public.status, created_at timestamptz,
            tags text[], doc jsonb, ratio double precision, \"Mixed\" integer, ref_id bigint,
            deleted_at timestamptz, day date)",
    );
    let printed = |place: &str, n: usize, text: &str| -> Option<String> {
        let (create, read) = if place.is_empty() {
            let check = format!("ALTER TABLE public.t ADD CONSTRAINT c{n} CHECK ({text})");
            if db.try_execute(&check).is_ok() {
                let read = format!(
                    "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conname = 'c{n}'"
                );
                return db
                    .query(&format!("SET search_path = ''; {read}"))
                    .into_iter()
                    .next()
                    .and_then(|r| r.into_iter().next().flatten());
            }
            (
                format!("CREATE INDEX i{n} ON public.t (({text}))"),
                format!("SELECT pg_get_indexdef('public.i{n}'::regclass, 1, false)"),
            )
        } else {
            (
                format!("ALTER TABLE public.t ALTER COLUMN {place} SET DEFAULT {text}"),
                format!(
                    "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
                     JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                     WHERE d.adrelid = 'public.t'::regclass AND a.attname = '{place}'"
                ),
            )
        };
        db.try_execute(&create).ok()?;
        db.query(&format!("SET search_path = ''; {read}"))
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten())
    };
    let mut wrong = Vec::new();
    for (n, (column, model, live, expected)) in POSTGRES.iter().enumerate() {
        if !expected {
            continue;
        }
        let from_model = printed(column, 2 * n, model);
        let from_live = printed(column, 2 * n + 1, live);
        // The server prints the model text as the live text, or both texts the same way
        // (printing is not always a fixed point: `IN` over varchar prints differently again).
        let same = from_model.as_deref() == Some(*live) || from_model == from_live;
        if from_model.is_none() || !same {
            wrong.push(format!(
                "{column:>10} | {model} -> {from_model:?} | {live} -> {from_live:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "called equal, printed differently:\n{}",
        wrong.join("\n")
    );
}
