//! Model text that goes into a statement unquoted (defaults, generation expressions, checks,
//! index expressions, type names) must be one expression, nothing more: no `;`, no comment (a
//! MySQL `/*! .. */` comment is executed), every parenthesis closed and none closing more than
//! the text opened (which would end the column definition and start another clause). The
//! statements are also sent as single prepared statements, which cannot run a second one; this
//! check is what names the table and column.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// Why `text` is not a single expression, read with MySQL's lexical rules (backslash escapes in
/// strings, `#` comments).
pub(crate) fn single_expression(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("it is empty".to_owned());
    }
    // sqlparser reads MySQL's executable comment `/*! .. */` as the tokens inside it.
    let bytes = text.as_bytes();
    if super::show_create::top_level(bytes, 0)
        .any(|(i, _)| bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*'))
    {
        return Err("comments are not allowed in an expression".to_owned());
    }
    let tokens = Tokenizer::new(&MySqlDialect {}, text)
        .tokenize()
        .map_err(|e| format!("it does not read as SQL: {}", e.message))?;
    let mut depth: usize = 0;
    for token in tokens {
        match token {
            Token::SemiColon => {
                return Err("a `;` ends the statement, so a second statement would follow".into());
            }
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.checked_sub(1).ok_or(
                    "a `)` closes a parenthesis the text did not open (unbalanced parentheses)",
                )?;
            }
            Token::Whitespace(
                Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_),
            ) => return Err("comments are not allowed in an expression".to_owned()),
            _ => {}
        }
    }
    if depth > 0 {
        return Err(format!(
            "{depth} parenthes{} not closed (unbalanced parentheses)",
            if depth == 1 { "is" } else { "es" }
        ));
    }
    Ok(())
}

/// A collation name is an identifier, nothing else.
pub(crate) fn collation_name(text: &str) -> Result<(), String> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(())
    } else {
        Err("a collation name has only letters, digits and `_`".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_expressions_pass() {
        for text in [
            "0",
            "'a;b'",
            "'it''s'",
            "'back\\'slash;'",
            "current_timestamp(6)",
            "(1 + 1)",
            "concat(`a`, ')')",
            "`a` in (1,2) and `b` between 1 and 3",
            "_utf8mb4'x' COLLATE utf8mb4_bin",
            "x'0A' | b'01'",
            "\"dq;\"",
            "int unsigned",
            "enum('a','b')",
        ] {
            assert_eq!(single_expression(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn a_second_statement_or_a_broken_parenthesis_is_refused() {
        for text in [
            "0); CREATE USER x; CREATE TABLE z (id int",
            "0; CREATE USER x",
            "'\\''); CREATE USER x; -- ",
            "0), `x` int, `y` int DEFAULT (1",
            "(1",
            "1 -- rest",
            "1 # rest",
            "1 /*! , x int */",
            "'unterminated",
            "",
        ] {
            assert!(single_expression(text).is_err(), "{text}");
        }
    }

    #[test]
    fn collation_names() {
        assert!(collation_name("utf8mb4_bin").is_ok());
        assert!(collation_name("utf8mb4_bin NOT NULL, x int").is_err());
    }
}
