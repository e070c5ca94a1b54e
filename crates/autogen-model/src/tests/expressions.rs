//! Every SQL text of a model file is one expression (or one type) before it goes anywhere:
//! a second statement, a `;`, an unbalanced parenthesis, a comment or nothing at all is a
//! diagnostic at the attribute's value. Valid expressions keep their text as written.

use insta::assert_snapshot;

use super::{check, fixture};
use crate::{ExprKind, ExprSite, ModelOptions, read_models};

/// One model whose field `v` carries `attribute`; the diagnostics, or `ok` and the schema.
fn field(dialect: &str, attribute: &str) -> String {
    check(&format!(
        "//- dialect: {dialect}\n#[derive(autogen::Model)]\nstruct T {{\n    #[autogen(primary_key)]\n    id: i64,\n    #[autogen({attribute})]\n    v: Option<String>,\n}}\n"
    ))
}

fn rejected(dialect: &str, attribute: &str) -> String {
    let out = field(dialect, attribute);
    assert!(
        out.starts_with("error:"),
        "{attribute} accepted on {dialect}:\n{out}"
    );
    out
}

#[test]
fn smuggled_statements_are_diagnostics_in_every_attribute() {
    let smuggled = [
        "0); CREATE ROLE pwned; CREATE TABLE z (id int",
        "1; DROP TABLE t",
        "(1",
        "1)",
        "--",
        "",
        "1 -- ); CREATE ROLE pwned",
        "1 /* ); CREATE ROLE pwned; CREATE TABLE z (id int */",
    ];
    for dialect in ["postgres", "mysql", "sqlite"] {
        for text in smuggled {
            for key in ["default_sql", "check", "backfill_sql", "generated"] {
                rejected(dialect, &format!("{key} = {text:?}"));
            }
            rejected(dialect, &format!("default_sql({dialect} = {text:?})"));
            // SQLite takes a column without a declared type: `sql_type = ""` says that.
            if !(dialect == "sqlite" && text.is_empty()) {
                rejected(dialect, &format!("sql_type = {text:?}"));
            }
        }
    }
    // A per-dialect entry for another database is checked too, in that database's dialect.
    rejected(
        "postgres",
        r#"default_sql(postgres = "now()", mysql = "1; DROP TABLE t")"#,
    );
}

#[test]
fn the_diagnostic_points_at_the_value_and_says_what_was_expected() {
    assert_snapshot!(rejected("postgres", r#"default_sql = "0); CREATE ROLE pwned; CREATE TABLE z (id int""#), @r#"
    error: `default_sql` must be one SQL expression for postgres: `)` follows it (column 2); a second statement, a `;` or an unbalanced parenthesis is not accepted
     --> models.rs:5:29
      |
    5 |     #[autogen(default_sql = "0); CREATE ROLE pwned; CREATE TABLE z (id int")]
      |                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    "#);
    assert_snapshot!(rejected("mysql", r#"default_sql(postgres = "now()", mysql = "1 /*! , b int); CREATE USER pwned */")"#), @r#"
    error: `default_sql(mysql = ..)` must be one SQL expression for mysql: `,` follows it (column 4); a second statement, a `;` or an unbalanced parenthesis is not accepted
     --> models.rs:5:55
      |
    5 |     #[autogen(default_sql(postgres = "now()", mysql = "1 /*! , b int); CREATE USER pwned */"))]
      |                                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    "#);
    assert_snapshot!(rejected("sqlite", r#"check = "(1""#), @r#"
    error: `check` must be one SQL expression for sqlite: expected: ), found: EOF
     --> models.rs:5:23
      |
    5 |     #[autogen(check = "(1")]
      |                       ^^^^
    "#);
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(index(expr = "lower(v)); DROP TABLE t; --"), index(columns(v), r#where = "v IS NULL; DROP TABLE t"))]
#[autogen(check(name = "c", expr = "1)"))]
struct T {
    #[autogen(primary_key)]
    id: i64,
    v: Option<String>,
}
"#), @r#"
    error: `index(expr = ..)` must be one SQL expression or several separated by commas for postgres: comments are not accepted in a model expression
     --> models.rs:2:24
      |
    2 | #[autogen(index(expr = "lower(v)); DROP TABLE t; --"), index(columns(v), r#where = "v IS NULL; DROP TABLE t"))]
      |                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `where` must be one SQL expression for postgres: `;` follows it (column 10); a second statement, a `;` or an unbalanced parenthesis is not accepted
     --> models.rs:2:84
      |
    2 | #[autogen(index(expr = "lower(v)); DROP TABLE t; --"), index(columns(v), r#where = "v IS NULL; DROP TABLE t"))]
      |                                                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `check(expr = ..)` must be one SQL expression for postgres: `)` follows it (column 2); a second statement, a `;` or an unbalanced parenthesis is not accepted
     --> models.rs:3:36
      |
    3 | #[autogen(check(name = "c", expr = "1)"))]
      |                                    ^^^^
    "#);
}

#[test]
fn valid_expressions_keep_their_text() {
    for (dialect, attribute, kept) in [
        ("postgres", r#"default_sql = "'a'::text""#, "'a'::text"),
        ("postgres", r#"default_sql = "now()""#, "now()"),
        (
            "postgres",
            r#"default_sql = "CURRENT_TIMESTAMP""#,
            "CURRENT_TIMESTAMP",
        ),
        (
            "postgres",
            r#"default_sql = "gen_random_uuid()""#,
            "gen_random_uuid()",
        ),
        (
            "postgres",
            r#"check = "lower(v) IN ('a','b')""#,
            "lower(v) IN ('a','b')",
        ),
        ("postgres", r#"check = "v IN ('a','b')""#, "v IN ('a','b')"),
        (
            "sqlite",
            r#"default_sql = "(lower(hex(randomblob(16))))""#,
            "(lower(hex(randomblob(16))))",
        ),
        (
            "sqlite",
            r#"default_sql = "strftime('%Y-%m-%dT%H:%M:%fZ','now')""#,
            "strftime('%Y-%m-%dT%H:%M:%fZ','now')",
        ),
        (
            "mysql",
            r#"default_sql = "current_timestamp()""#,
            "current_timestamp()",
        ),
        (
            "mysql",
            r#"default_sql(postgres = "now()", mysql = "(UUID())", sqlite = "CURRENT_TIMESTAMP")"#,
            "(UUID())",
        ),
    ] {
        let out = field(dialect, attribute);
        assert!(
            !out.starts_with("error:"),
            "{attribute} on {dialect}:\n{out}"
        );
        assert!(
            out.contains(kept),
            "{attribute} on {dialect} lost its text:\n{out}"
        );
    }
}

#[test]
fn every_expression_records_where_it_came_from() {
    let (files, dialect, _) = fixture(
        r#"
#[derive(autogen::Model)]
#[autogen(index(expr = "lower(v)"), index(columns(v), r#where = "v IS NOT NULL"))]
#[autogen(check(name = "named", expr = "id > 0"))]
struct T {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(default_sql = "'x'", check = "v <> ''", backfill_sql = "'y'", sql_type = "text")]
    v: String,
}
"#,
    );
    let output = read_models(&files, &ModelOptions::new(dialect));
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let sites: Vec<String> = output
        .expression_sites
        .iter()
        .map(|(ExprSite { table, kind, name }, at)| format!("{table} {kind:?} {name} at {at}"))
        .collect();
    assert_eq!(
        sites,
        [
            "public.t Default v at models.rs:7:29",
            "public.t Backfill v at models.rs:7:70",
            "public.t ColumnType v at models.rs:7:88",
            "public.t Check named at models.rs:3:40",
            "public.t Check t_v_check at models.rs:7:44",
            "public.t IndexExpression t_lower_idx at models.rs:2:24",
            "public.t IndexPredicate t_v_idx at models.rs:2:65",
        ]
    );
    assert!(matches!(ExprKind::Default, ExprKind::Default));
}
