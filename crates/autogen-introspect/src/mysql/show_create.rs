//! The expression texts of a `SHOW CREATE TABLE` answer: column defaults, generation
//! expressions and checks, spelled exactly as the server prints them.
//!
//! MariaDB 10.11 does not list temporary tables in `information_schema`, so the normaliser reads
//! them here. The server prints these texts with the same code that fills
//! `information_schema.COLUMNS.COLUMN_DEFAULT`, `GENERATION_EXPRESSION` and
//! `CHECK_CONSTRAINTS.CHECK_CLAUSE` for a real table (`tests/it/introspect_mysql.rs` checks the equality over
//! many expressions), so the text between the delimiters is taken verbatim, never re-spelled.

/// A column's expression texts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ShownColumn {
    pub name: String,
    /// The text after `DEFAULT` (`NULL` included, as `information_schema` gives it).
    pub default: Option<String>,
    /// The text inside `GENERATED ALWAYS AS ( .. )`.
    pub generated: Option<String>,
    /// `STORED` (or `PERSISTENT`) rather than `VIRTUAL`.
    pub stored: bool,
    /// The type as `COLUMNS.COLUMN_TYPE` gives it: `int(11) unsigned`, `enum('a','b')`.
    pub ty: String,
    pub not_null: bool,
    pub auto_increment: bool,
    /// `CHARACTER SET ..` and `COLLATE ..`, printed where they differ from the table's.
    pub charset: Option<String>,
    pub collation: Option<String>,
}

/// The words that end a column's type: the clauses MariaDB prints after it (uppercase; types
/// and their attributes are printed in lowercase).
const AFTER_TYPE: &[&str] = &[
    "CHARACTER",
    "COLLATE",
    "NOT",
    "NULL",
    "INVISIBLE",
    "GENERATED",
    "DEFAULT",
    "ON",
    "AUTO_INCREMENT",
    "COMPRESSED",
    "COMMENT",
    "CHECK",
];

/// A check constraint; `column_level` for one written on a column (named after it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShownCheck {
    pub name: String,
    pub clause: String,
    pub column_level: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Shown {
    pub columns: Vec<ShownColumn>,
    pub checks: Vec<ShownCheck>,
}

/// Reads the columns and checks out of `CREATE [TEMPORARY] TABLE `t` ( .. ) options`.
pub(crate) fn parse(text: &str) -> Result<Shown, String> {
    let bytes = text.as_bytes();
    let open = top_level(bytes, 0)
        .find(|&(i, depth)| depth == 0 && bytes[i] == b'(')
        .map(|(i, _)| i)
        .ok_or("no `(` after the table name")?;
    let close = matching(bytes, open).ok_or("the column list is not closed")?;
    let mut shown = Shown::default();
    for item in split_commas(text, open + 1, close) {
        let item = item.trim();
        // A server in ANSI_QUOTES mode quotes identifiers with `"`.
        if item.starts_with('`') || item.starts_with('"') {
            let (column, check) = column(item)?;
            if let Some(clause) = check {
                shown.checks.push(ShownCheck {
                    name: column.name.clone(),
                    clause,
                    column_level: true,
                });
            }
            shown.columns.push(column);
        } else if let Some(rest) = item.strip_prefix("CONSTRAINT ") {
            let rest = rest.trim_start();
            let (name, after) = backquoted(rest).ok_or("a constraint without a quoted name")?;
            let after = after.trim_start();
            if let Some(body) = after.strip_prefix("CHECK") {
                shown.checks.push(ShownCheck {
                    name,
                    clause: parenthesised(body.trim_start())
                        .ok_or("a check without its `( .. )`")?
                        .to_owned(),
                    column_level: false,
                });
            }
        }
        // Keys come from SHOW INDEX; foreign keys are never created on a temporary table.
    }
    Ok(shown)
}

/// One column definition: `` `name` type [..] [GENERATED ALWAYS AS (e) ..] [DEFAULT e]
/// [ON UPDATE e] [AUTO_INCREMENT] [COMMENT '..'] [CHECK (e)] ``.
fn column(item: &str) -> Result<(ShownColumn, Option<String>), String> {
    let (name, rest) = backquoted(item).ok_or("a column without a quoted name")?;
    let words = words(rest);
    let mut column = ShownColumn {
        name,
        ..ShownColumn::default()
    };
    let mut check = None;
    let type_end = words
        .iter()
        .find(|&&(s, e)| AFTER_TYPE.contains(&&rest[s..e]))
        .map(|&(s, _)| s)
        .unwrap_or(rest.len());
    column.ty = rest[..type_end].trim().to_owned();
    // Words inside a default's text say nothing about the column.
    let mut skip_until = 0;
    for (n, &(start, end)) in words.iter().enumerate() {
        if start < skip_until || start < type_end {
            continue;
        }
        let word = &rest[start..end];
        let next = |k: usize| words.get(n + k).map(|&(s, e)| &rest[s..e]);
        if word == "GENERATED" && next(1) == Some("ALWAYS") && next(2) == Some("AS") {
            let after = &rest[words[n + 2].1..];
            column.generated = Some(
                parenthesised(after.trim_start())
                    .ok_or("a generated column without its `( .. )`")?
                    .to_owned(),
            );
        } else if matches!(word, "STORED" | "PERSISTENT") && column.generated.is_some() {
            column.stored = true;
        } else if word == "NOT" && next(1) == Some("NULL") {
            column.not_null = true;
        } else if word == "AUTO_INCREMENT" {
            column.auto_increment = true;
        } else if word == "COLLATE" {
            column.collation = next(1).map(str::to_owned);
        } else if word == "CHARACTER" && next(1) == Some("SET") {
            column.charset = next(2).map(str::to_owned);
        } else if word == "DEFAULT" && column.default.is_none() {
            // The default runs to the next clause MariaDB prints after it, or to the end.
            let stop = words[n + 1..]
                .iter()
                .enumerate()
                .find(|&(k, &(s, e))| {
                    let w = &rest[s..e];
                    matches!(w, "AUTO_INCREMENT" | "COMMENT" | "CHECK" | "INVISIBLE")
                        || (w == "ON" && next(k + 2) == Some("UPDATE"))
                })
                .map(|(_, &(s, _))| s)
                .unwrap_or(rest.len());
            column.default = Some(rest[end..stop].trim().to_owned());
            skip_until = stop;
        } else if word == "CHECK" {
            let after = &rest[end..];
            check = Some(
                parenthesised(after.trim_start())
                    .ok_or("a column check without its `( .. )`")?
                    .to_owned(),
            );
        }
    }
    Ok((column, check))
}

/// The bare words at parenthesis depth 0 of `text` (outside quotes), as byte ranges.
fn words(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last = 0;
    for (i, depth) in top_level(bytes, 0) {
        let word_byte = bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_';
        // A skipped quoted run or a parenthesis ends a word too.
        if let Some(s) = start
            && (!word_byte || depth != 0 || i != last + 1)
        {
            out.push((s, last + 1));
            start = None;
        }
        if word_byte && depth == 0 && start.is_none() {
            start = Some(i);
        }
        last = i;
    }
    if let Some(s) = start {
        out.push((s, last + 1));
    }
    out
}

/// The text inside the parentheses `text` starts with.
fn parenthesised(text: &str) -> Option<&str> {
    if !text.starts_with('(') {
        return None;
    }
    let close = matching(text.as_bytes(), 0)?;
    Some(&text[1..close])
}

/// `` `a``b` rest `` -> (`a`b`, ` rest`); also `"a""b"` (ANSI_QUOTES).
fn backquoted(text: &str) -> Option<(String, &str)> {
    let bytes = text.as_bytes();
    let quote = *bytes.first()?;
    if quote != b'`' && quote != b'"' {
        return None;
    }
    let end = skip_quoted(bytes, 0)?;
    let doubled = if quote == b'`' { "``" } else { "\"\"" };
    Some((
        text[1..end - 1].replace(doubled, &doubled[..1]),
        &text[end..],
    ))
}

/// The top-level items between `from` and `to`, split at commas of depth 0.
fn split_commas(text: &str, from: usize, to: usize) -> Vec<&str> {
    let bytes = &text.as_bytes()[..to];
    let mut items = Vec::new();
    let mut start = from;
    for (i, depth) in top_level(bytes, from) {
        if depth == 0 && bytes[i] == b',' {
            items.push(&text[start..i]);
            start = i + 1;
        }
    }
    items.push(&text[start..to]);
    items
}

/// The index of the `)` closing the `(` at `open`.
fn matching(bytes: &[u8], open: usize) -> Option<usize> {
    top_level(bytes, open)
        .skip(1)
        .find(|&(i, depth)| depth == 0 && bytes[i] == b')')
        .map(|(i, _)| i)
}

/// Every byte position outside quoted text from `from` on, with its parenthesis depth relative
/// to `from` (a parenthesis counts at the depth outside it); quoted runs (`'..'`, `".."`,
/// `` `..` ``) are skipped whole.
pub(crate) fn top_level(bytes: &[u8], from: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = from;
    let mut depth: usize = 0;
    std::iter::from_fn(move || {
        loop {
            let b = *bytes.get(i)?;
            if matches!(b, b'\'' | b'"' | b'`') {
                i = skip_quoted(bytes, i).unwrap_or(bytes.len());
                continue;
            }
            let at = i;
            i += 1;
            match b {
                b'(' => {
                    depth += 1;
                    return Some((at, depth - 1));
                }
                b')' => {
                    depth = depth.saturating_sub(1);
                    return Some((at, depth));
                }
                _ => return Some((at, depth)),
            }
        }
    })
}

/// The index after the quoted run starting at `start`: a quote doubled inside is one quote,
/// and in strings (not identifiers) a backslash escapes the next byte, as MariaDB prints them.
fn skip_quoted(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' && quote != b'`' {
            i += 2;
            continue;
        }
        if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOWN: &str = "CREATE TEMPORARY TABLE `t(1)` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `a` varchar(10) DEFAULT 'x,y) CHECK' COMMENT 'c''m',
  `b` int(11) DEFAULT (1 + 1),
  `c` timestamp NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `g` int(11) GENERATED ALWAYS AS (`id` + 1) VIRTUAL,
  `s` varchar(20) GENERATED ALWAYS AS (concat(`a`,'-)\\'')) STORED,
  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT '{}' CHECK (json_valid(`j`)),
  `e``q` enum('a','DEFAULT') DEFAULT 'a',
  `n` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `k1` (`a`(5) DESC),
  CONSTRAINT `ck` CHECK (`b` in (1,2) and `a` like 'x%'),
  CONSTRAINT `fk` FOREIGN KEY (`b`) REFERENCES `p` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    fn col(name: &str, default: Option<&str>, generated: Option<&str>) -> ShownColumn {
        ShownColumn {
            name: name.to_owned(),
            default: default.map(str::to_owned),
            generated: generated.map(str::to_owned),
            ..ShownColumn::default()
        }
    }

    #[test]
    fn reads_types_nullability_and_collations() {
        let shown = parse(SHOWN).expect("parse");
        let facts: Vec<_> = shown
            .columns
            .iter()
            .map(|c| {
                (
                    c.ty.as_str(),
                    c.not_null,
                    c.auto_increment,
                    c.stored,
                    c.charset.as_deref(),
                    c.collation.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            facts,
            vec![
                ("int(11)", true, true, false, None, None),
                ("varchar(10)", false, false, false, None, None),
                ("int(11)", false, false, false, None, None),
                ("timestamp", false, false, false, None, None),
                ("int(11)", false, false, false, None, None),
                ("varchar(20)", false, false, true, None, None),
                (
                    "longtext",
                    false,
                    false,
                    false,
                    Some("utf8mb4"),
                    Some("utf8mb4_bin")
                ),
                ("enum('a','DEFAULT')", false, false, false, None, None),
                ("int(11)", true, false, false, None, None),
            ]
        );
    }

    #[test]
    fn reads_defaults_generated_columns_and_checks_verbatim() {
        let shown = parse(SHOWN).expect("parse");
        let texts: Vec<ShownColumn> = shown
            .columns
            .iter()
            .map(|c| col(&c.name, c.default.as_deref(), c.generated.as_deref()))
            .collect();
        assert_eq!(
            texts,
            vec![
                col("id", None, None),
                col("a", Some("'x,y) CHECK'"), None),
                col("b", Some("(1 + 1)"), None),
                col("c", Some("current_timestamp()"), None),
                col("g", None, Some("`id` + 1")),
                col("s", None, Some("concat(`a`,'-)\\'')")),
                col("j", Some("'{}'"), None),
                col("e`q", Some("'a'"), None),
                col("n", None, None),
            ]
        );
        assert_eq!(
            shown.checks,
            vec![
                ShownCheck {
                    name: "j".to_owned(),
                    clause: "json_valid(`j`)".to_owned(),
                    column_level: true,
                },
                ShownCheck {
                    name: "ck".to_owned(),
                    clause: "`b` in (1,2) and `a` like 'x%'".to_owned(),
                    column_level: false,
                },
            ]
        );
    }

    #[test]
    fn an_unclosed_column_list_is_an_error() {
        assert!(parse("CREATE TABLE `t` (`a` int(11) DEFAULT '(' ").is_err());
        assert!(parse("CREATE TABLE `t`").is_err());
    }
}
