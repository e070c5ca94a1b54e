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
    "collate", "overlaps",
];

/// The name PostgreSQL gives an expression index column (`FigureColnameInternal` of
/// `parse_target.c`): the function of a call (`lower(email)` -> `lower`, also for SQL's own
/// syntax: `trim(x)` -> `btrim`, `x AT TIME ZONE 'UTC'` -> `timezone`), the column of a column
/// reference or of a cast (`CAST(a AS text)` -> `a`), the type of a cast of anything else, the
/// `ELSE` of a CASE or `case`, and `expr` for operators and constants.
pub(crate) fn figure_name(expr: &str) -> String {
    figure(&tokenize(strip_outer_parens(expr)))
        .map(|(name, _)| name)
        .unwrap_or_else(|| "expr".to_owned())
}

/// Strength of a name, as PostgreSQL ranks them: a column or function name beats a type name
/// or `case`.
const STRONG: u8 = 2;
const WEAK: u8 = 1;

fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Ident { text, quoted: false } if text == word)
}

/// `CASE .. END` nests like parentheses; `end` only ever closes a CASE (it is reserved).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the tokens named matter here; the others are handled alike"
)]
fn nesting(token: &Token) -> i32 {
    match token {
        Token::Open => 1,
        Token::Close => -1,
        t if is_word(t, "case") => 1,
        t if is_word(t, "end") => -1,
        _ => 0,
    }
}

/// The index of the token that closes the group `tokens[0]` opens.
fn group_end(tokens: &[Token]) -> Option<usize> {
    let mut depth = 0i32;
    for (i, t) in tokens.iter().enumerate() {
        depth += nesting(t);
        if depth == 0 {
            return Some(i);
        }
    }
    None
}

/// A name and its strength, or `None` when PostgreSQL finds none (operators, constants).
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the tokens named matter here; the others are handled alike"
)]
fn figure(tokens: &[Token]) -> Option<(String, u8)> {
    let tokens = strip_parens(tokens);
    let mut depth = 0i32;
    let mut last_cast = None;
    let mut at_time_zone = false;
    for (i, t) in tokens.iter().enumerate() {
        if depth == 0 {
            match t {
                Token::Cast => last_cast = Some(i),
                Token::Operator | Token::Comma => return None,
                // `AT TIME ZONE` and `AT LOCAL`; a column may be called `at`.
                t if is_word(t, "at")
                    && (tokens.get(i + 1).is_some_and(|n| is_word(n, "local"))
                        || tokens.get(i + 1).is_some_and(|n| is_word(n, "time"))
                            && tokens.get(i + 2).is_some_and(|n| is_word(n, "zone"))) =>
                {
                    at_time_zone = true;
                }
                Token::Ident {
                    text,
                    quoted: false,
                } if OPERATOR_WORDS.contains(&text.as_str()) => return None,
                _ => {}
            }
        }
        depth += nesting(t);
    }
    // AT binds more loosely than `::`, more tightly than any binary operator.
    if at_time_zone {
        return Some(("timezone".to_owned(), STRONG));
    }
    if let Some(at) = last_cast {
        return cast(
            tokens.get(..at).unwrap_or_default(),
            tokens.get(at + 1..).unwrap_or_default(),
        );
    }
    let first = tokens.first()?;
    let whole_group = |from: usize| {
        tokens
            .get(from..)
            .and_then(group_end)
            .is_some_and(|end| from + end + 1 == tokens.len())
    };
    if is_word(first, "case") && whole_group(0) {
        return Some(case(tokens));
    }
    if is_word(first, "array") && tokens.len() > 1 && whole_group(1) {
        return Some(("array".to_owned(), STRONG));
    }
    if is_word(first, "cast") && matches!(tokens.get(1), Some(Token::Open)) && whole_group(1) {
        let inner = tokens.get(2..tokens.len() - 1).unwrap_or_default();
        let mut depth = 0i32;
        for (i, t) in inner.iter().enumerate() {
            if depth == 0 && is_word(t, "as") {
                return cast(
                    inner.get(..i).unwrap_or_default(),
                    inner.get(i + 1..).unwrap_or_default(),
                );
            }
            depth += nesting(t);
        }
        return None;
    }
    if is_word(first, "trim") && matches!(tokens.get(1), Some(Token::Open)) && whole_group(1) {
        // The grammar turns TRIM into the function that does the work.
        let name = match tokens.get(2) {
            Some(t) if is_word(t, "leading") => "ltrim",
            Some(t) if is_word(t, "trailing") => "rtrim",
            _ => "btrim",
        };
        return Some((name.to_owned(), STRONG));
    }
    // `name`, `schema.name`, `name(..)`, `schema.name(..)`, `name[..]`.
    let mut names = Vec::new();
    let mut i = 0;
    loop {
        match tokens.get(i) {
            Some(Token::Ident { text, quoted }) => names.push((text.clone(), *quoted)),
            _ => return None,
        }
        i += 1;
        match tokens.get(i) {
            Some(Token::Dot) => i += 1,
            None => break,
            Some(Token::Open) if whole_group(i) => break,
            Some(_) => return None,
        }
    }
    let (name, quoted) = names.pop()?;
    // Constants have no name.
    if !quoted && names.is_empty() && ["true", "false", "null"].contains(&name.as_str()) {
        return None;
    }
    Some((name, STRONG))
}

/// `arg::type` or `CAST(arg AS type)`: the argument's name when it is a good one, else the
/// type's.
fn cast(arg: &[Token], ty: &[Token]) -> Option<(String, u8)> {
    let inner = figure(arg);
    if let Some(found @ (_, STRONG)) = inner {
        return Some(found);
    }
    match type_name(ty) {
        Some(name) => Some((name, WEAK)),
        None => inner,
    }
}

/// A CASE is named after its `ELSE` result when that has a good name, else `case`.
fn case(tokens: &[Token]) -> (String, u8) {
    let mut depth = 0i32;
    let mut otherwise = None;
    for (i, t) in tokens.iter().enumerate() {
        if depth == 1 && is_word(t, "else") {
            otherwise = Some(i + 1);
        }
        depth += nesting(t);
    }
    let result = otherwise
        .and_then(|from| tokens.get(from..tokens.len() - 1))
        .and_then(figure);
    match result {
        Some(found @ (_, STRONG)) => found,
        _ => ("case".to_owned(), WEAK),
    }
}

/// The last name of a type as the grammar records it: SQL's own spellings become the
/// internal names (`integer` -> `int4`, `character varying` -> `varchar`), modifiers and array
/// brackets are not part of it, a qualified name gives its last part.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the tokens named matter here; the others are handled alike"
)]
fn type_name(tokens: &[Token]) -> Option<String> {
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut depth = 0i32;
    for t in tokens {
        match t {
            Token::Open => depth += 1,
            Token::Close => depth -= 1,
            Token::Dot if depth == 0 => words.clear(),
            Token::Ident { text, quoted } if depth == 0 => words.push((text.clone(), *quoted)),
            _ => {}
        }
    }
    if let Some((text, true)) = words.last() {
        return Some(text.clone());
    }
    let spelled: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
    let internal = match spelled.join(" ").as_str() {
        "int" | "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "float" | "double precision" => "float8",
        "decimal" | "dec" | "numeric" => "numeric",
        "boolean" => "bool",
        "char" | "character" | "nchar" | "national char" | "national character" => "bpchar",
        "varchar"
        | "char varying"
        | "character varying"
        | "nchar varying"
        | "national char varying"
        | "national character varying" => "varchar",
        "bit varying" => "varbit",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time with time zone" => "timetz",
        "time without time zone" => "time",
        _ if spelled.first() == Some(&"interval") => "interval",
        _ => return spelled.last().map(|w| (*w).to_owned()),
    };
    Some(internal.to_owned())
}

/// `( .. )` around the whole token list, as often as it wraps everything.
#[allow(
    clippy::wildcard_enum_match_arm,
    reason = "only the tokens named matter here; the others are handled alike"
)]
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
    fn sql_syntax_is_named_after_what_the_grammar_makes_of_it() {
        assert_eq!(figure_name("CAST(bio AS varchar(20))"), "bio");
        assert_eq!(figure_name("CAST('x' AS character varying(3))"), "varchar");
        assert_eq!(figure_name("(a + b)::integer"), "int4");
        assert_eq!(
            figure_name("(a + b)::timestamp(3) with time zone"),
            "timestamptz"
        );
        assert_eq!(figure_name("(a + b)::public.\"My Type\"[]"), "My Type");
        assert_eq!(figure_name("lower(a)::text"), "lower");
        assert_eq!(figure_name("created_at AT TIME ZONE 'UTC'"), "timezone");
        assert_eq!(
            figure_name("created_at::timestamp AT TIME ZONE 'UTC'"),
            "timezone"
        );
        assert_eq!(figure_name("ts AT LOCAL"), "timezone");
        assert_eq!(figure_name("at"), "at");
        assert_eq!(figure_name("a + b AT TIME ZONE 'UTC'"), "expr");
        assert_eq!(figure_name("trim(bio)"), "btrim");
        assert_eq!(figure_name("TRIM(LEADING 'x' FROM bio)"), "ltrim");
        assert_eq!(figure_name("trim(trailing from bio)"), "rtrim");
        assert_eq!(figure_name("CASE WHEN a THEN b ELSE c END"), "c");
        assert_eq!(figure_name("CASE WHEN a THEN b ELSE 0 END"), "case");
        assert_eq!(
            figure_name("CASE WHEN a THEN b ELSE CASE WHEN c THEN 1 END END"),
            "case"
        );
        assert_eq!(figure_name("CASE WHEN a THEN 1 END::text"), "text");
        assert_eq!(figure_name("CASE WHEN a THEN 1 END + 1"), "expr");
        assert_eq!(figure_name("ARRAY[a, b]"), "array");
        assert_eq!(figure_name("ARRAY[a, b]::text[]"), "array");
        assert_eq!(figure_name("tags[1]"), "tags");
        assert_eq!(figure_name("true"), "expr");
        assert_eq!(figure_name("null::integer"), "int4");
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
