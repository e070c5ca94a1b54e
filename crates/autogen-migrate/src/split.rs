//! A MySQL migration file as the statements `autogen upgrade` runs one by one.
//!
//! The boundaries are the server's: sqlx's migrator sends a file as one multi-statement
//! query, and the server ends a statement at a `;` outside strings, quoted identifiers,
//! comments and compound statements (`BEGIN .. END` of a trigger, procedure or event, with
//! `CASE .. END` inside), so a file that sqlx runs is split where the server would split it.
//! The tokens are sqlparser's MySQL tokenizer's (strings, comments, keywords); compound
//! statements are followed by nesting depth rather than parsed, because sqlparser's parser
//! does not read every statement MySQL accepts (a trigger body it cannot parse would make the
//! whole file unsplittable).
//!
//! Also read, as the `mysql` client reads a script: a `DELIMITER xx` line (outside strings and
//! comments, between statements) makes `xx` the end of a statement until the next one, so a
//! file written for the client (`DELIMITER //` around a trigger, mysqldump's `DELIMITER ;;`)
//! runs too; a UTF-8 byte order mark is dropped; `/*! .. */` comments, which MySQL executes,
//! are statements, not comments.

use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// The statements of a script, each verbatim from its first token to its last, without the
/// delimiter; comments between statements and comment-only pieces are dropped. A script the
/// tokenizer cannot read (an unterminated string) is one statement, for the server to refuse
/// with its own words.
pub fn split_statements(sql: &str) -> Vec<String> {
    let sql = sql.strip_prefix('\u{feff}').unwrap_or(sql);
    let mut out = Vec::new();
    for section in sections(sql) {
        if section.delimiter == ";" {
            out.extend(split_semicolons(section.text));
        } else {
            out.extend(split_on(section.text, section.delimiter));
        }
    }
    out
}

/// A stretch of the script between `DELIMITER` lines, and the delimiter in force there.
struct Section<'s> {
    delimiter: &'s str,
    text: &'s str,
}

/// What the client-like scanner is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inside {
    Code,
    Quoted(char),
    LineComment,
    BlockComment,
}

/// Walks `text` as the `mysql` client does: `f(i, inside)` for every character at byte `i`,
/// knowing whether it is code, quoted or commented. Returns early when `f` says so.
fn scan(text: &str, mut f: impl FnMut(usize, Inside) -> bool) {
    let bytes = text.as_bytes();
    let mut inside = Inside::Code;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match inside {
            Inside::Code => {
                if f(i, inside) {
                    return;
                }
                match c {
                    b'\'' | b'"' | b'`' => inside = Inside::Quoted(char::from(c)),
                    b'#' => inside = Inside::LineComment,
                    b'-' if next == Some(b'-')
                        && bytes.get(i + 2).is_none_or(|b| b.is_ascii_whitespace()) =>
                    {
                        inside = Inside::LineComment;
                    }
                    // `/*!` is executed by the server: code for the client, as in `mysql`.
                    b'/' if next == Some(b'*') && bytes.get(i + 2) != Some(&b'!') => {
                        inside = Inside::BlockComment;
                        i += 1;
                    }
                    _ => {}
                }
            }
            Inside::Quoted(q) => {
                if c == b'\\' && q != '`' {
                    i += 1;
                } else if char::from(c) == q {
                    if next.map(char::from) == Some(q) {
                        i += 1;
                    } else {
                        inside = Inside::Code;
                    }
                }
            }
            Inside::LineComment => {
                if c == b'\n' {
                    inside = Inside::Code;
                }
            }
            Inside::BlockComment => {
                if c == b'*' && next == Some(b'/') {
                    inside = Inside::Code;
                    i += 1;
                }
            }
        }
        i += 1;
    }
}

/// The script cut at its `DELIMITER` lines: a line whose first word, outside strings and
/// comments and with only whitespace or comments before it since the last statement ended,
/// is `DELIMITER` (any case), followed by the new delimiter.
fn sections(sql: &str) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut delimiter = ";";
    let mut start = 0;
    loop {
        let Some((at, new, resume)) = next_delimiter_line(sql, start, delimiter) else {
            out.push(Section {
                delimiter,
                text: &sql[start..],
            });
            return out;
        };
        out.push(Section {
            delimiter,
            text: &sql[start..at],
        });
        delimiter = new;
        start = resume;
    }
}

/// The next `DELIMITER` line at or after `from`: where it starts, the new delimiter, and where
/// the text after the line starts.
fn next_delimiter_line<'s>(
    sql: &'s str,
    from: usize,
    delimiter: &str,
) -> Option<(usize, &'s str, usize)> {
    let text = &sql[from..];
    let mut found = None;
    // Whether only whitespace and comments came since the last statement ended.
    let mut between = true;
    let mut line_start = true;
    let mut skip_until = 0;
    scan(text, |i, inside| {
        if inside != Inside::Code || i < skip_until {
            return false;
        }
        let rest = &text[i..];
        if line_start && between && starts_with_word(rest, "delimiter") {
            let line = rest.lines().next().unwrap_or_default();
            let new = line["delimiter".len()..].split_whitespace().next();
            if let Some(new) = new {
                let end = i + line.len();
                let resume = text[end..].strip_prefix("\r\n").map_or_else(
                    || text[end..].strip_prefix('\n').map_or(end, |_| end + 1),
                    |_| end + 2,
                );
                found = Some((from + i, new, from + resume));
                return true;
            }
        }
        let c = text.as_bytes()[i];
        if c == b'\n' {
            line_start = true;
        } else if !c.is_ascii_whitespace() {
            line_start = false;
            if rest.starts_with(delimiter) {
                between = true;
                skip_until = i + delimiter.len();
            } else if !(c == b'-' || c == b'#' || c == b'/') {
                between = false;
            }
        }
        false
    });
    found
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.get(..word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && text[word.len()..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace)
}

/// A section under a delimiter other than `;`, cut where the delimiter appears outside strings
/// and comments, as the `mysql` client cuts it; each piece goes to the server as it is.
fn split_on(text: &str, delimiter: &str) -> Vec<String> {
    let mut cuts = Vec::new();
    let mut skip_until = 0;
    scan(text, |i, inside| {
        if inside == Inside::Code && i >= skip_until && text[i..].starts_with(delimiter) {
            cuts.push(i);
            skip_until = i + delimiter.len();
        }
        false
    });
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(text.len())) {
        out.extend(split_semicolons_whole(&text[start..cut]));
        start = (cut + delimiter.len()).min(text.len());
    }
    out
}

/// A piece cut by a custom delimiter: one statement (its own `;` inside are the server's to
/// read), trimmed of comments around it; nothing when it holds only comments.
fn split_semicolons_whole(piece: &str) -> Option<String> {
    let tokens = tokens(piece)?;
    let span = tokens
        .iter()
        .filter(|t| significant(&t.token))
        .map(|t| (t.span.start, t.span.end))
        .reduce(|(start, _), (_, end)| (start, end))?;
    let at = offsets(piece);
    Some(piece[at(span.0)..at(span.1)].to_owned())
}

/// The tokens of `sql`, each `/*! .. */` comment one quoted word in its place (with the same
/// lines and columns): sqlparser's MySQL tokenizer reads such a comment's contents as code
/// but gives its tokens locations counted from inside the comment, which would cut the text
/// in the wrong places.
fn tokens(sql: &str) -> Option<Vec<sqlparser::tokenizer::TokenWithSpan>> {
    Tokenizer::new(&MySqlDialect {}, &mask_executable_comments(sql))
        .tokenize_with_location()
        .ok()
}

fn mask_executable_comments(sql: &str) -> String {
    let mut comments = Vec::new();
    let mut after = 0;
    scan(sql, |i, inside| {
        if inside == Inside::Code && i >= after && sql[i..].starts_with("/*!") {
            let end = sql[i + 3..].find("*/").map_or(sql.len(), |e| i + 3 + e + 2);
            comments.push(i..end);
            after = end;
        }
        false
    });
    if comments.is_empty() {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    for range in comments {
        out.push_str(&sql[last..range.start]);
        let chars = sql[range.clone()].chars().count();
        for (n, c) in sql[range.clone()].chars().enumerate() {
            out.push(match c {
                '\n' => '\n',
                _ if n == 0 || n + 1 == chars => '`',
                _ => 'x',
            });
        }
        last = range.end;
    }
    out.push_str(&sql[last..]);
    out
}

/// Whether a token belongs to a statement: not whitespace nor a comment.
fn significant(token: &Token) -> bool {
    !matches!(token, Token::Whitespace(_))
}

/// Byte offset of a tokenizer location (1-based line and character column) in `sql`.
fn offsets(sql: &str) -> impl Fn(Location) -> usize + '_ {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    move |at: Location| {
        let Some(&line_start) = usize::try_from(at.line)
            .ok()
            .and_then(|line| line_starts.get(line.saturating_sub(1)))
        else {
            return sql.len();
        };
        let column = usize::try_from(at.column).map_or(0, |c| c.saturating_sub(1));
        sql[line_start..]
            .char_indices()
            .nth(column)
            .map_or(sql.len(), |(i, _)| line_start + i)
    }
}

/// A section under `;`: cut at each `;` outside compound statements.
fn split_semicolons(sql: &str) -> Vec<String> {
    let Some(tokens) = tokens(sql) else {
        let whole = sql.trim();
        return if whole.is_empty() {
            Vec::new()
        } else {
            vec![whole.to_owned()]
        };
    };
    let at = offsets(sql);
    // Each significant token, with its word in upper case when it is an unquoted word (some
    // of the words that matter, `LOOP` and `REPEAT`, are not sqlparser keywords).
    let words: Vec<(usize, Option<String>)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| significant(&t.token))
        .map(|(i, t)| {
            let word = if let Token::Word(w) = &t.token
                && w.quote_style.is_none()
            {
                Some(w.value.to_ascii_uppercase())
            } else {
                None
            };
            (i, word)
        })
        .collect();
    let keyword_after = |k: usize| words.get(k + 1).and_then(|(_, w)| w.as_deref());
    let token_after = |k: usize| words.get(k + 1).map(|&(i, _)| &tokens[i].token);
    let mut out = Vec::new();
    let mut statement: Option<(Location, Location)> = None;
    // Open `BEGIN` and `CASE` blocks: a `;` inside one belongs to the compound statement.
    let mut depth = 0usize;
    for (k, (i, word)) in words.iter().enumerate() {
        let i = *i;
        let after_end = k
            .checked_sub(1)
            .is_some_and(|p| words[p].1.as_deref() == Some("END"));
        let token = &tokens[i];
        if token.token == Token::SemiColon && depth == 0 {
            if let Some((start, end)) = statement.take() {
                out.push(sql[at(start)..at(end)].to_owned());
            }
            continue;
        }
        let first = statement.is_none();
        match word.as_deref() {
            // `BEGIN;` / `BEGIN WORK` opening a statement is a transaction; any other `BEGIN`
            // (after `FOR EACH ROW`, a label, a routine's head; MariaDB's `BEGIN NOT ATOMIC`)
            // opens a compound statement.
            Some("BEGIN") => {
                let transaction = first
                    && depth == 0
                    && (keyword_after(k) == Some("WORK")
                        || matches!(token_after(k), None | Some(Token::SemiColon)));
                if !transaction {
                    depth += 1;
                }
            }
            // `END CASE` closes the `CASE` its `END` already counted.
            Some("CASE") if !after_end => depth += 1,
            // `END IF`, `END LOOP`, `END WHILE`, `END REPEAT` close what was not counted.
            Some("END")
                if depth > 0
                    && !matches!(keyword_after(k), Some("IF" | "LOOP" | "WHILE" | "REPEAT")) =>
            {
                depth -= 1;
            }
            _ => {}
        }
        let start = statement.map_or(token.span.start, |(start, _)| start);
        statement = Some((start, token.span.end));
    }
    if let Some((start, end)) = statement {
        out.push(sql[at(start)..at(end)].to_owned());
    }
    out
}

#[cfg(test)]
mod tests;
