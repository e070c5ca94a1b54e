//! What the pragmas do not tell: constraint names, CHECK expressions, generated columns, index
//! expressions and predicates. SQLite keeps them only in the stored `CREATE` text, which is read
//! here with `sqlparser`'s SQLite dialect; expressions are printed back by the parser, so the same
//! text always reads the same.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlparser's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use autogen_schema::{Generated, IndexKey, IndexTarget};
use sqlparser::ast::{
    ColumnOption, CreateIndex, CreateTable, Expr, GeneratedExpressionMode, Ident, IndexColumn,
    OrderBySort, Statement, TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

/// A CHECK: its name when one is given, the column it is written on (column constraints), and
/// its expression as the parser prints it.
#[derive(Debug, Default)]
pub(super) struct ParsedTable {
    pub primary_key_name: Option<String>,
    pub checks: Vec<(Option<String>, Option<String>, String)>,
    /// Named UNIQUE constraints by their columns.
    pub uniques: Vec<(String, Vec<String>)>,
    /// Named foreign keys by their columns.
    pub foreign_keys: Vec<(String, Vec<String>)>,
    /// Generated columns by name.
    pub generated: Vec<(String, Generated)>,
}

#[derive(Debug)]
pub(super) struct ParsedIndex {
    pub keys: Vec<IndexKey>,
    pub predicate: Option<String>,
}

fn parse_one(sql: &str) -> Result<Statement, String> {
    let mut statements = Parser::parse_sql(&SQLiteDialect {}, sql)
        .or_else(|e| {
            // SQLite takes a string where it expects a name (`CREATE TABLE 't' ('c' integer)`);
            // sqlparser does not: such strings are made quoted names and the text read again.
            let named = strings_as_names(sql);
            match named {
                Some(named) if named != sql => {
                    Parser::parse_sql(&SQLiteDialect {}, &named).map_err(|_| e)
                }
                Some(_) | None => Err(e),
            }
        })
        .or_else(|e| {
            // SQLite takes any type name with modifiers; sqlparser refuses `REAL(10, 2)`
            // (what SeaORM writes for a decimal), so the name is quoted and read again.
            let quoted = quote_real_with_modifiers(sql);
            if quoted == sql {
                return Err(e);
            }
            Parser::parse_sql(&SQLiteDialect {}, &quoted).map_err(|_| e)
        })
        .map_err(|e| format!("cannot parse: {e}"))?;
    match (statements.pop(), statements.is_empty()) {
        (Some(statement), true) => Ok(statement),
        (Some(_) | None, _) => Err("expected one statement".to_owned()),
    }
}

/// `sql` with each single-quoted string that stands where SQLite expects a name made a
/// double-quoted name: after `TABLE`, `EXISTS`, `INDEX` or `ON`, and first in a column
/// definition or index column (after `(` or `,` directly inside the statement's parentheses).
/// `None` when the text does not tokenize.
fn strings_as_names(sql: &str) -> Option<String> {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&SQLiteDialect {}, sql).tokenize().ok()?;
    let mut depth = 0usize;
    let mut previous: Option<Token> = None;
    let mut out = String::with_capacity(sql.len());
    for token in tokens {
        let token = match (&token, &previous) {
            (Token::SingleQuotedString(name), Some(before)) => {
                let names_here = match before {
                    Token::Word(w) => matches!(
                        w.keyword,
                        Keyword::TABLE | Keyword::EXISTS | Keyword::INDEX | Keyword::ON
                    ),
                    Token::LParen | Token::Comma => depth == 1,
                    _ => false,
                };
                if names_here {
                    Token::make_word(name, Some('"'))
                } else {
                    token
                }
            }
            _ => token,
        };
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push_str(&token.to_string());
        if !matches!(token, Token::Whitespace(_)) {
            previous = Some(token);
        }
    }
    Some(out)
}

/// `real(10, 2)` as `"real"(10, 2)`, outside quotes: a custom type name to sqlparser.
fn quote_real_with_modifiers(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if matches!(c, '\'' | '"' | '`' | '[') {
            quote = Some(if c == '[' { ']' } else { c });
            out.push(c);
            i += 1;
            continue;
        }
        let word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let is_real = chars.len() >= i + 4
            && chars[i..i + 4]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("real");
        if word_start && is_real {
            let mut j = i + 4;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j < chars.len() && chars[j] == '(' {
                out.push('"');
                out.extend(&chars[i..i + 4]);
                out.push('"');
                i += 4;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `CREATE TABLE t (..) STRICT, WITHOUT ROWID` without what follows the closing parenthesis:
/// sqlparser stops at the comma between two options, and the options are read from
/// `pragma_table_list` instead.
fn without_table_options(sql: &str) -> &str {
    match sql.rfind(')') {
        Some(at)
            if sql[at + 1..]
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == ',' || c.is_whitespace()) =>
        {
            &sql[..=at]
        }
        Some(_) | None => sql,
    }
}

/// An expression without the parentheses wrapped around the whole of it: `((a))` and `a` are one.
fn bare(expr: &Expr) -> String {
    let mut expr = expr;
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr.to_string()
}

fn name(ident: &Ident) -> String {
    ident.value.clone()
}

fn column_names(columns: &[IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(ident) => name(ident),
            other => other.to_string(),
        })
        .collect()
}

pub(super) fn create_table(sql: &str) -> Result<ParsedTable, String> {
    let statement = parse_one(without_table_options(sql))?;
    let Statement::CreateTable(CreateTable {
        columns,
        constraints,
        ..
    }) = statement
    else {
        return Err("not a CREATE TABLE".to_owned());
    };
    let mut out = ParsedTable::default();
    for column in &columns {
        let column_name = name(&column.name);
        for option in &column.options {
            let given = option.name.as_ref().map(name);
            match &option.option {
                ColumnOption::Check(check) => out.checks.push((
                    given.or_else(|| check.name.as_ref().map(name)),
                    Some(column_name.clone()),
                    bare(&check.expr),
                )),
                ColumnOption::Unique(unique) => {
                    if let Some(n) = given.or_else(|| unique.name.as_ref().map(name)) {
                        out.uniques.push((n, vec![column_name.clone()]));
                    }
                }
                ColumnOption::PrimaryKey(pk) => {
                    out.primary_key_name = given.or_else(|| pk.name.as_ref().map(name));
                }
                ColumnOption::ForeignKey(fk) => {
                    if let Some(n) = given.or_else(|| fk.name.as_ref().map(name)) {
                        out.foreign_keys.push((n, vec![column_name.clone()]));
                    }
                }
                ColumnOption::Generated {
                    generation_expr: Some(expr),
                    generation_expr_mode,
                    ..
                } => out.generated.push((
                    column_name.clone(),
                    Generated {
                        expression: expr.to_string(),
                        stored: matches!(
                            generation_expr_mode,
                            Some(GeneratedExpressionMode::Stored)
                        ),
                    },
                )),
                _ => {}
            }
        }
    }
    for constraint in &constraints {
        match constraint {
            TableConstraint::Check(check) => {
                out.checks
                    .push((check.name.as_ref().map(name), None, bare(&check.expr)));
            }
            TableConstraint::Unique(unique) => {
                if let Some(n) = &unique.name {
                    out.uniques.push((name(n), column_names(&unique.columns)));
                }
            }
            TableConstraint::PrimaryKey(pk) => {
                out.primary_key_name = pk.name.as_ref().map(name);
            }
            TableConstraint::ForeignKey(fk) => {
                if let Some(n) = &fk.name {
                    out.foreign_keys
                        .push((name(n), fk.columns.iter().map(name).collect()));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

pub(super) fn create_index(sql: &str) -> Result<ParsedIndex, String> {
    let statement = parse_one(sql)?;
    let Statement::CreateIndex(CreateIndex {
        columns, predicate, ..
    }) = statement
    else {
        return Err("not a CREATE INDEX".to_owned());
    };
    let keys = columns
        .iter()
        .map(|c| {
            let target = match &c.column.expr {
                Expr::Identifier(ident) => IndexTarget::Column(name(ident)),
                other => IndexTarget::Expression(bare(other)),
            };
            let options = &c.column.options;
            let descending = matches!(options.sort, Some(OrderBySort::Desc));
            let nulls_first = match (options.nulls_first, descending) {
                // Only when it differs from the order's default (first for DESC, last for ASC).
                (Some(true), false) => Some(true),
                (Some(false), true) => Some(false),
                (Some(_) | None, _) => None,
            };
            IndexKey {
                target,
                descending,
                nulls_first,
                opclass: None,
                collation: None,
                length: None,
            }
        })
        .collect();
    Ok(ParsedIndex {
        keys,
        predicate: predicate.as_ref().map(bare),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_with_modifiers_is_read() {
        let table = create_table(
            "CREATE TABLE \"t\" ( \"a\" real(10, 2) NOT NULL, \"b\" real, CONSTRAINT \"pk-t\" PRIMARY KEY (\"a\") )",
        )
        .expect("SeaORM's decimal is read");
        assert_eq!(table.primary_key_name.as_deref(), Some("pk-t"));
        assert_eq!(
            quote_real_with_modifiers("x REAL (1) 'real(' \"real(\" surreal(2)"),
            "x \"REAL\" (1) 'real(' \"real(\" surreal(2)"
        );
    }
}
