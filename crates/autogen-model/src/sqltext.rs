//! Every SQL text a model file gives (`default_sql`, `check`, `where`, `expr`, `backfill_sql`,
//! `sql_type`) is parsed with `sqlparser` for the target dialect before it goes anywhere: it
//! must be exactly one expression (or one data type), with nothing before or after it. The text
//! is then kept as the user wrote it (the database normalises its spelling), but it can no
//! longer carry a statement of its own into the DDL that autogen sends or writes.

use autogen_schema::Dialect;
use std::ops::ControlFlow;

use sqlparser::ast::{Expr, visit_expressions};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// What a text must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One expression: a default, a CHECK, a predicate, a backfill.
    Expression,
    /// One expression or several separated by commas: `index(expr = "lower(a), lower(b)")`.
    ExpressionList,
    /// One data type: `sql_type`.
    DataType,
}

impl Shape {
    fn expected(self) -> &'static str {
        match self {
            Shape::Expression => "one SQL expression",
            Shape::ExpressionList => "one SQL expression or several separated by commas",
            Shape::DataType => "one SQL data type",
        }
    }
}

/// `Ok` when `text` is exactly what `shape` asks for in `dialect`; else the message for a
/// diagnostic at the attribute's value (`key` names the attribute).
pub(crate) fn check(text: &str, shape: Shape, dialect: Dialect, key: &str) -> Result<(), String> {
    let expected = shape.expected();
    // SQLite takes a column without a declared type (`data,`): `sql_type = ""` says that.
    if shape == Shape::DataType && dialect == Dialect::Sqlite && text.trim().is_empty() {
        return Ok(());
    }
    match dialect {
        Dialect::Postgres => check_in(&PostgreSqlDialect {}, text, shape, true),
        Dialect::MySql => check_in(&MySqlDialect {}, text, shape, false),
        Dialect::Sqlite => check_in(&SQLiteDialect {}, text, shape, false),
    }
    .map_err(|problem| {
        format!(
            "`{key}` must be {expected} for {}: {problem}",
            dialect.name()
        )
    })
}

fn check_in(
    dialect: &dyn SqlDialect,
    text: &str,
    shape: Shape,
    postgres: bool,
) -> Result<(), String> {
    // A backslash before a quote ends a string or not depending on server settings
    // (`standard_conforming_strings`, MySQL's `NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`): the
    // parser here and the server could disagree on where a string ends.
    if text.contains("\\'") || text.contains("\\\"") {
        return Err(
            "a backslash before a quote is read differently depending on server settings; write a quote inside a string as ''"
                .to_owned(),
        );
    }
    let tokens = Tokenizer::new(dialect, text)
        .tokenize_with_location()
        .map_err(|e| e.message.clone())?;
    // Comments are refused outright: they have no use in a model expression, and a comment
    // is where a server and a parser are most likely to disagree (MySQL's `/*! .. */` runs).
    if tokens.iter().any(|t| is_comment(&t.token)) {
        return Err("comments are not accepted in a model expression".to_owned());
    }
    if tokens
        .iter()
        .all(|t| matches!(t.token, Token::Whitespace(_) | Token::EOF))
    {
        return Err("found nothing".to_owned());
    }
    let tokens = if postgres {
        without_variadic(tokens)
    } else {
        tokens
    };
    let mut parser = Parser::new(dialect).with_tokens_with_locations(tokens);
    let parsed = match shape {
        Shape::Expression => parser.parse_expr().map(drop),
        Shape::ExpressionList => parser.parse_comma_separated(Parser::parse_expr).map(drop),
        Shape::DataType => parser.parse_data_type().map(drop),
    };
    parsed.map_err(|e| parser_message(&e))?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(format!(
            "`{}` follows it (column {}); a second statement, a `;` or an unbalanced parenthesis is not accepted",
            next.token, next.span.start.column
        ));
    }
    Ok(())
}

/// The tokens without PostgreSQL's `VARIADIC` before a function's last argument
/// (`jsonb_extract_path_text(col, VARIADIC ARRAY['a', 'b'])`, as `pg_get_indexdef` prints a
/// call of a variadic function), which `sqlparser` does not read. Only the word directly
/// after `(` or `,` is dropped: what remains is still one expression or it is refused.
fn without_variadic(
    tokens: Vec<sqlparser::tokenizer::TokenWithSpan>,
) -> Vec<sqlparser::tokenizer::TokenWithSpan> {
    let mut out: Vec<sqlparser::tokenizer::TokenWithSpan> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let variadic = matches!(&token.token, Token::Word(w)
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("variadic"));
        let after_open = out
            .iter()
            .rev()
            .find(|t| !matches!(t.token, Token::Whitespace(_)))
            .is_some_and(|t| matches!(t.token, Token::LParen | Token::Comma));
        if variadic && after_open {
            continue;
        }
        out.push(token);
    }
    out
}

/// Whether an expression that [`check`] accepted reads the row it is computed for: a column
/// (`split_part(email, '@', 1)`, `created_at + interval '1 day'`) or a subquery. Such a
/// backfill cannot be a column default (PostgreSQL: "cannot use column reference in DEFAULT
/// expression"), so the rows are filled by an `UPDATE`. Read from the parsed tree: a function
/// name, a type or a string holding a column's name is not a reference; a word the parser
/// reads as a column is, even when it is meant as something else (a false "reads" costs one
/// `UPDATE`; a false "constant" would fail the migration). A text that does not parse is
/// taken to read the row, for the same reason.
pub(crate) fn reads_row(text: &str, dialect: Dialect) -> bool {
    let parsed = match dialect {
        Dialect::Postgres => Parser::new(&PostgreSqlDialect {}).try_with_sql(text),
        Dialect::MySql => Parser::new(&MySqlDialect {}).try_with_sql(text),
        Dialect::Sqlite => Parser::new(&SQLiteDialect {}).try_with_sql(text),
    }
    .and_then(|mut parser| parser.parse_expr());
    let Ok(expr) = parsed else {
        return true;
    };
    visit_expressions(&expr, |e| {
        if reads(e) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .is_break()
}

#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's Expr, not ours: every other node reads nothing itself"
)]
fn reads(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Subquery(_)
            | Expr::Exists { .. }
            | Expr::InSubquery { .. }
    )
}

fn is_comment(token: &Token) -> bool {
    matches!(
        token,
        Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_))
    )
}

/// sqlparser's message without its `sql parser error: ` prefix, lowercased at the start.
fn parser_message(error: &ParserError) -> String {
    let text = match error {
        ParserError::ParserError(m) | ParserError::TokenizerError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "it nests too deeply".to_owned(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, shape: Shape, dialect: Dialect) -> bool {
        check(text, shape, dialect, "x").is_ok()
    }

    #[test]
    fn model_expressions_that_must_keep_passing() {
        let pg = Dialect::Postgres;
        for text in [
            "'a'::text",
            "now()",
            "CURRENT_TIMESTAMP",
            "gen_random_uuid()",
            "lower(email)",
            "x IN ('a','b')",
            "created_at + interval '1 day'",
            "starts_at < ends_at",
            "tags[1]",
            "settings::text",
            "pg_catalog.lower(bio)",
            "tenant_id > 0 AND user_ref > 0",
            "deleted_at IS NULL",
            "'a;b'",
            "'it''s'",
            "(a + 1)",
            "true",
            "-1",
            "'todo'::public.status",
            "'{}'::jsonb",
            "nextval('t_id_seq'::regclass)",
        ] {
            assert!(
                ok(text, Shape::Expression, pg),
                "{text}: {:?}",
                check(text, Shape::Expression, pg, "x")
            );
        }
        for (text, dialect) in [
            ("(lower(hex(randomblob(16))))", Dialect::Sqlite),
            ("strftime('%Y-%m-%dT%H:%M:%fZ','now')", Dialect::Sqlite),
            ("CURRENT_TIMESTAMP", Dialect::Sqlite),
            ("current_timestamp()", Dialect::MySql),
            ("CURRENT_TIMESTAMP", Dialect::MySql),
            ("(UUID())", Dialect::MySql),
        ] {
            assert!(
                ok(text, Shape::Expression, dialect),
                "{text}: {:?}",
                check(text, Shape::Expression, dialect, "x")
            );
        }
        assert!(ok("lower(first), lower(last)", Shape::ExpressionList, pg));
        assert!(ok(
            "nullif(bio, ''), greatest(id, 0)",
            Shape::ExpressionList,
            pg
        ));
    }

    #[test]
    fn data_types_that_must_keep_passing() {
        for text in [
            "serial",
            "bigserial",
            "smallserial",
            "serial8",
            "inet",
            "text",
            "varchar(40)",
            "uuid",
            "timestamptz(3)",
            "text[]",
            "numeric(10, 2)[]",
            "macaddr",
            "interval day to second(3)",
            "int8",
            "int4",
            "float",
            "bit(8)",
            "CHARACTER VARYING",
            "tsvector",
            "jsonb",
            "timestamp(3) with time zone",
            "double precision",
            "character varying(20)[]",
            "public.\"My Type\"",
            "geometry(Point, 4326)",
            "bit varying(5)",
            "citext",
        ] {
            assert!(
                ok(text, Shape::DataType, Dialect::Postgres),
                "{text}: {:?}",
                check(text, Shape::DataType, Dialect::Postgres, "x")
            );
        }
        for text in [
            "char(17)",
            "mediumtext",
            "json",
            "text",
            "enum('a','b')",
            "int unsigned",
            "tinyint(1)",
        ] {
            assert!(
                ok(text, Shape::DataType, Dialect::MySql),
                "{text}: {:?}",
                check(text, Shape::DataType, Dialect::MySql, "x")
            );
        }
        for text in ["text", "INTEGER", "VARCHAR(20)", "DATETIME"] {
            assert!(ok(text, Shape::DataType, Dialect::Sqlite), "{text}");
        }
        for text in ["text; DROP TABLE t", "int)", "varchar(", ""] {
            assert!(!ok(text, Shape::DataType, Dialect::Postgres), "{text}");
        }
    }

    #[test]
    fn anything_but_one_expression_is_refused() {
        for text in [
            "0); CREATE ROLE pwned; CREATE TABLE z (id int",
            "1; DROP TABLE t",
            "(1",
            "1)",
            "--",
            "",
            "   ",
            "1 -- ); CREATE ROLE pwned",
            "1 /* ); CREATE ROLE pwned; */",
            "1 /*! , b int); CREATE USER pwned */",
            "'a\\'); CREATE ROLE pwned; --'",
            "1 2",
            "now();",
        ] {
            for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
                assert!(
                    !ok(text, Shape::Expression, dialect),
                    "{text:?} accepted on {dialect:?}"
                );
            }
        }
        assert!(!ok("lower(a), ", Shape::ExpressionList, Dialect::Postgres));
        assert!(!ok(
            "a); DROP TABLE t; --",
            Shape::ExpressionList,
            Dialect::Postgres
        ));
        assert!(!ok(
            "1 # ); CREATE USER pwned",
            Shape::Expression,
            Dialect::MySql
        ));
    }

    #[test]
    fn a_backfill_reads_the_row_when_it_names_a_column_or_a_query() {
        let pg = Dialect::Postgres;
        for text in [
            "split_part(email, '@', 1)",
            "created_at + interval '1 day'",
            "lower(\"Email\")",
            "t.email",
            "coalesce(nickname, 'anon')",
            "CASE WHEN active THEN 'y' ELSE 'n' END",
            "(SELECT max(id) FROM other)",
            "EXISTS (SELECT 1 FROM other)",
            "1 IN (SELECT 1)",
            "extract(year FROM created_at)::int",
            "concat_ws(' ', first_name, last_name)",
        ] {
            assert!(reads_row(text, pg), "{text}");
        }
        for text in [
            "0",
            "'n/a'",
            "'n/a'::text",
            "now()",
            "CURRENT_TIMESTAMP",
            "CURRENT_DATE",
            "gen_random_uuid()",
            "now() + interval '1 day'",
            "'todo'::public.status",
            "-1",
            "true",
            "NULL",
            "nextval('t_id_seq'::regclass)",
            "'{}'::jsonb",
            "lower('email')",
        ] {
            assert!(!reads_row(text, pg), "{text}");
        }
        for (text, dialect, expected) in [
            ("concat(first_name, ' ', last_name)", Dialect::MySql, true),
            ("`email`", Dialect::MySql, true),
            ("UUID()", Dialect::MySql, false),
            ("CURRENT_TIMESTAMP", Dialect::MySql, false),
            ("'x'", Dialect::MySql, false),
            ("upper(\"name\")", Dialect::Sqlite, true),
            ("CURRENT_TIMESTAMP", Dialect::Sqlite, false),
            ("strftime('%Y', 'now')", Dialect::Sqlite, false),
        ] {
            assert_eq!(reads_row(text, dialect), expected, "{text} on {dialect:?}");
        }
    }

    #[test]
    fn the_message_says_what_was_expected_and_what_followed() {
        assert_eq!(
            check(
                "1; DROP TABLE t",
                Shape::Expression,
                Dialect::Postgres,
                "default_sql"
            )
            .unwrap_err(),
            "`default_sql` must be one SQL expression for postgres: `;` follows it (column 2); a second statement, a `;` or an unbalanced parenthesis is not accepted"
        );
        assert_eq!(
            check("(1", Shape::Expression, Dialect::Postgres, "check").unwrap_err(),
            "`check` must be one SQL expression for postgres: expected: ), found: EOF"
        );
    }
}
