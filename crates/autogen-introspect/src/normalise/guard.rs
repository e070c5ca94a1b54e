//! Defence in depth before model text is embedded in DDL sent to a server: each expression must
//! be one balanced piece of SQL. The model reader already refuses anything else with a
//! file:line:col; this check holds for every caller of the normaliser, and the statements that
//! carry the text go through the extended protocol, where PostgreSQL refuses a second command.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::{Dialect, Schema};
use sqlparser::dialect::{PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::Slot;
use crate::IntrospectError;

/// Every expression slot of `schema`, or an error naming the first one that is not a single
/// balanced expression.
pub(crate) fn check_expressions(schema: &Schema) -> Result<(), IntrospectError> {
    for (name, table) in schema.tables() {
        for slot in Slot::all(table) {
            let Some(text) = slot.text(table) else {
                continue;
            };
            if let Err(reason) = single_expression(schema.dialect, text) {
                return Err(IntrospectError::Expression {
                    object: slot.describe(&name.to_string()),
                    reason,
                });
            }
        }
    }
    Ok(())
}

/// No `;`, no `--` comment, no parenthesis closed that the text did not open, none left open,
/// and no string, quoted name or comment left unterminated.
/// MySQL's own lexical rules (backslash escapes, `#` comments, the executed `/*! .. */`) live
/// with the MySQL normaliser, [`crate::mysql::single_expression`].
pub(crate) fn single_expression(dialect: Dialect, text: &str) -> Result<(), String> {
    let tokens = match dialect {
        Dialect::Postgres => Tokenizer::new(&PostgreSqlDialect {}, text).tokenize(),
        Dialect::MySql => return crate::mysql::single_expression(text),
        Dialect::Sqlite => Tokenizer::new(&SQLiteDialect {}, text).tokenize(),
    }
    .map_err(|e| format!("`{text}` is not one SQL expression: {e}"))?;
    if text.trim().is_empty() {
        return Err("the expression is empty".to_owned());
    }
    let mut depth: i64 = 0;
    for token in &tokens {
        match token {
            Token::SemiColon => {
                return Err(format!(
                    "`{text}` is not one SQL expression: it contains `;`"
                ));
            }
            // A line comment would swallow what follows the expression where it is embedded.
            Token::Whitespace(Whitespace::SingleLineComment { .. }) => {
                return Err(format!(
                    "`{text}` is not one SQL expression: it contains a `--` comment"
                ));
            }
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!(
                        "`{text}` is not one SQL expression: it closes a parenthesis it did not open"
                    ));
                }
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!(
            "`{text}` is not one SQL expression: a parenthesis is left open"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_balanced_expression_passes_anything_else_does_not() {
        for ok in [
            "now()",
            "'a;b'",
            "lower(\"we;ird\")",
            "(qty >= 0) AND (qty < 5)",
            "ARRAY[1, 2]",
            "$$x;y$$",
        ] {
            assert_eq!(single_expression(Dialect::Postgres, ok), Ok(()), "{ok}");
        }
        for bad in [
            "0); CREATE ROLE pwned; CREATE TABLE z (id int",
            "0) , evil int, x int DEFAULT (1",
            "1; DROP TABLE t",
            "(1",
            "'unterminated",
            "1 /* open comment",
            "now() -- and the rest of the line",
            "",
        ] {
            assert!(single_expression(Dialect::Postgres, bad).is_err(), "{bad}");
        }
    }
}
