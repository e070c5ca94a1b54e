//! Just enough of SQL expression syntax for names: what PostgreSQL calls an expression index
//! column (`FigureColname`), and which column a CHECK refers to. The expressions themselves
//! are kept as written; the database normalises them.

use autogen_schema::ddl::strip_outer_parens;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// An identifier or keyword, lowercased unless it was quoted.
    Ident {
        text: String,
        quoted: bool,
    },
    Literal,
    Open,
    Close,
    /// `::`
    Cast,
    Dot,
    Comma,
    /// Any other operator character.
    Operator,
}

pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            c if c.is_whitespace() => {}
            '\'' => {
                // '' inside a string is a quote, so a string ends at a lone '.
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    if c == '\'' {
                        if chars.get(i) == Some(&'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
                out.push(Token::Literal);
            }
            '"' => {
                let mut ident = String::new();
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    if c == '"' {
                        if chars.get(i) == Some(&'"') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    ident.push(c);
                }
                out.push(Token::Ident {
                    text: ident,
                    quoted: true,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut ident = String::from(c);
                while let Some(&c) = chars.get(i) {
                    if !(c.is_alphanumeric() || c == '_' || c == '$') {
                        break;
                    }
                    ident.push(c);
                    i += 1;
                }
                out.push(Token::Ident {
                    text: ident.to_lowercase(),
                    quoted: false,
                });
            }
            c if c.is_ascii_digit() => {
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                {
                    i += 1;
                }
                out.push(Token::Literal);
            }
            '(' | '[' => out.push(Token::Open),
            ')' | ']' => out.push(Token::Close),
            ':' if chars.get(i) == Some(&':') => {
                i += 1;
                out.push(Token::Cast);
            }
            '.' => out.push(Token::Dot),
            ',' => out.push(Token::Comma),
            _ => out.push(Token::Operator),
        }
    }
    out
}

/// `a, f(b, c), 'x,y'` -> `a`, `f(b, c)`, `'x,y'`: the expressions of a list, split at the
/// commas outside parentheses, brackets and quotes.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            (None, _) => {}
        }
        current.push(c);
    }
    out.push(current.trim().to_owned());
    out
}

/// Keywords that make an expression an operator expression, which PostgreSQL names `expr`.
const OPERATOR_WORDS: &[&str] = &[
    "and", "or", "not", "is", "in", "like", "ilike", "between", "similar", "isnull", "notnull",
    "collate", "at",
];

/// The name PostgreSQL gives an expression index column: the function name of a call
/// (`lower(email)` -> `lower`), the column of a column reference or cast, `case` for CASE,
/// and `expr` for anything else.
pub(crate) fn figure_name(expr: &str) -> String {
    figure(&tokenize(strip_outer_parens(expr)))
        .map(|(name, _)| name)
        .unwrap_or_else(|| "expr".to_owned())
}

/// A name and how strong it is (PostgreSQL's strength: 2 for a column or function, 1 for a
/// type name or keyword).
fn figure(tokens: &[Token]) -> Option<(String, u8)> {
    let tokens = strip_parens(tokens);
    if let Some(Token::Ident {
        text,
        quoted: false,
    }) = tokens.first()
    {
        if text == "case" {
            return Some(("case".to_owned(), 1));
        }
        if text == "array" {
            return Some(("array".to_owned(), 1));
        }
    }
    let mut depth = 0i32;
    let mut last_cast = None;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Open => depth += 1,
            Token::Close => depth -= 1,
            Token::Cast if depth == 0 => last_cast = Some(i),
            Token::Operator | Token::Comma if depth == 0 => return None,
            Token::Ident {
                text,
                quoted: false,
            } if depth == 0 && OPERATOR_WORDS.contains(&text.as_str()) => {
                return None;
            }
            _ => {}
        }
    }
    if let Some(at) = last_cast {
        let inner = figure(tokens.get(..at).unwrap_or_default());
        if let Some(found @ (_, 2)) = inner {
            return Some(found);
        }
        return match tokens
            .get(at + 1..)
            .and_then(|t| t.iter().rev().find_map(ident))
        {
            Some(ty) => Some((ty, 1)),
            None => inner,
        };
    }
    // `name`, `schema.name`, `name(..)`, `schema.name(..)`.
    let mut names = Vec::new();
    let mut i = 0;
    loop {
        match tokens.get(i) {
            Some(Token::Ident { text, .. }) => names.push(text.clone()),
            _ => return None,
        }
        i += 1;
        match tokens.get(i) {
            Some(Token::Dot) => i += 1,
            None => return names.pop().map(|n| (n, 2)),
            Some(Token::Open) if matches!(tokens.last(), Some(Token::Close)) => {
                return names.pop().map(|n| (n, 2));
            }
            Some(_) => return None,
        }
    }
}

fn ident(token: &Token) -> Option<String> {
    match token {
        Token::Ident { text, .. } => Some(text.clone()),
        _ => None,
    }
}

/// `( .. )` around the whole token list, as often as it wraps everything.
fn strip_parens(tokens: &[Token]) -> &[Token] {
    let mut tokens = tokens;
    while let (Some(Token::Open), Some(Token::Close)) = (tokens.first(), tokens.last()) {
        let mut depth = 0i32;
        let mut wraps = true;
        for (i, t) in tokens.iter().enumerate() {
            match t {
                Token::Open => depth += 1,
                Token::Close => depth -= 1,
                _ => {}
            }
            if depth == 0 && i + 1 < tokens.len() {
                wraps = false;
                break;
            }
        }
        if !wraps || tokens.len() < 2 {
            break;
        }
        tokens = tokens.get(1..tokens.len() - 1).unwrap_or_default();
    }
    tokens
}

/// The columns of `columns` that `expr` mentions, each once, in the order it mentions them.
/// Function names and type names are not column references.
pub(crate) fn referenced_columns(expr: &str, columns: &[String]) -> Vec<String> {
    let tokens = tokenize(expr);
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Token::Ident { text, .. } = t else {
            continue;
        };
        let after_cast = i > 0 && tokens.get(i - 1) == Some(&Token::Cast);
        let called = matches!(tokens.get(i + 1), Some(Token::Open | Token::Dot));
        if after_cast || called {
            continue;
        }
        if columns.contains(text) && !out.contains(text) {
            out.push(text.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expression_index_columns_are_named_like_postgres_names_them() {
        assert_eq!(figure_name("lower(email)"), "lower");
        assert_eq!(figure_name("(LOWER(email))"), "lower");
        assert_eq!(figure_name("public.f(a, b)"), "f");
        assert_eq!(figure_name("email::text"), "email");
        assert_eq!(figure_name("(a + b)"), "expr");
        assert_eq!(figure_name("'x'::text"), "text");
        assert_eq!(figure_name("CASE WHEN a THEN 1 END"), "case");
        assert_eq!(figure_name("a IS NULL"), "expr");
        assert_eq!(figure_name("lower(a) || b"), "expr");
        assert_eq!(figure_name("(data ->> 'k')"), "expr");
    }

    #[test]
    fn expression_lists_split_at_top_level_commas() {
        assert_eq!(
            split_top_level("lower(a), f(b, c), 'x,y', \"q,r\""),
            ["lower(a)", "f(b, c)", "'x,y'", "\"q,r\""]
        );
        assert_eq!(split_top_level("a,"), ["a", ""]);
    }

    #[test]
    fn checks_refer_to_the_columns_they_mention() {
        let columns = ["price".to_owned(), "cost".to_owned(), "text".to_owned()];
        assert_eq!(referenced_columns("price > 0", &columns), ["price"]);
        assert_eq!(
            referenced_columns("price > cost AND price < 10", &columns),
            ["price", "cost"]
        );
        assert_eq!(
            referenced_columns("length(price::text) > 0", &columns),
            ["price"]
        );
        assert_eq!(
            referenced_columns("\"price\" > 'cost'", &columns),
            ["price"]
        );
    }
}
