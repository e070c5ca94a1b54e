//! One string entry of `columns(..)` in `index(..)` / `unique(..)`: an index element, written
//! as PostgreSQL's `CREATE INDEX` writes one, so that it reads like the SQL it stands for:
//!
//! ```text
//! ( column | "quoted column" | column(N) | (expression) ) [COLLATE collation] [opclass] [ASC | DESC] [NULLS FIRST | NULLS LAST]
//! ```
//!
//! `column(N)` is MySQL's prefix length (the first N characters are indexed); an expression is
//! in parentheses, as PostgreSQL asks for anything but a function call (here a function call
//! too: `name(10)` is a prefix length, `(lower(name))` an expression). The column keeps its
//! case unless quoted (it names a model column or field), the collation and operator class are
//! kept as written (a quoted collation without its quotes: `COLLATE "C"` is `C`).

/// What an element indexes: a column, or an expression as written inside its parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ElementTarget {
    Column(String),
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub target: ElementTarget,
    pub length: Option<u32>,
    pub collation: Option<String>,
    pub opclass: Option<String>,
    pub descending: bool,
    /// Only when it differs from the default for the order, like the IR.
    pub nulls_first: Option<bool>,
}

pub(crate) const FORM: &str = "`column [COLLATE collation] [opclass] [ASC | DESC] [NULLS FIRST | NULLS LAST]`, with `column(N)` for a prefix length and `(expression)` for an expression";

/// Reads one element; `Err` says what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<Element, String> {
    let text = text.trim();
    let (target, length, rest) = head(text)?;
    let words = words(rest)?;
    let mut words = words.iter().map(String::as_str).peekable();
    let mut collation = None;
    let mut opclass = None;
    if words
        .peek()
        .is_some_and(|w| w.eq_ignore_ascii_case("collate"))
    {
        words.next();
        let name = words.next().ok_or("`COLLATE` needs a collation name")?;
        collation = Some(unquote(name));
    }
    if let Some(word) = words.peek()
        && !is_order_word(word)
    {
        if word.eq_ignore_ascii_case("collate") {
            return Err("`COLLATE` comes before the operator class".to_owned());
        }
        opclass = Some((*word).to_owned());
        words.next();
    }
    let descending = match words.peek().map(|w| w.to_ascii_lowercase()) {
        Some(w) if w == "desc" => {
            words.next();
            true
        }
        Some(w) if w == "asc" => {
            words.next();
            false
        }
        Some(_) | None => false,
    };
    let nulls_first = match (words.next(), words.next()) {
        (None, _) => None,
        (Some(n), Some(place)) if n.eq_ignore_ascii_case("nulls") => {
            if place.eq_ignore_ascii_case("first") {
                Some(true)
            } else if place.eq_ignore_ascii_case("last") {
                Some(false)
            } else {
                return Err(format!(
                    "`NULLS {place}`: expected `NULLS FIRST` or `NULLS LAST`"
                ));
            }
        }
        (Some(word), _) => return Err(format!("`{word}` is not expected here")),
    };
    if let Some(word) = words.next() {
        return Err(format!("`{word}` is not expected here"));
    }
    Ok(Element {
        target,
        length,
        collation,
        opclass,
        descending,
        nulls_first: nulls_first.filter(|f| *f != descending),
    })
}

fn is_order_word(word: &str) -> bool {
    ["asc", "desc", "nulls"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// The column or expression, the prefix length, and the rest of the text.
fn head(text: &str) -> Result<(ElementTarget, Option<u32>, &str), String> {
    if text.starts_with('(') {
        let end = closing_paren(text).ok_or("an expression's parenthesis is not closed")?;
        let inner = text[1..end].trim();
        if inner.is_empty() {
            return Err("an empty expression `()`".to_owned());
        }
        return Ok((
            ElementTarget::Expression(inner.to_owned()),
            None,
            &text[end + 1..],
        ));
    }
    let (name, rest) = if text.starts_with('"') {
        let (name, used) = quoted(text).ok_or("a quoted column name is not closed")?;
        (name, &text[used..])
    } else {
        let end = text
            .find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(text.len());
        (text[..end].to_owned(), &text[end..])
    };
    if name.is_empty() {
        return Err("no column".to_owned());
    }
    let Some(after) = rest.strip_prefix('(') else {
        return Ok((ElementTarget::Column(name), None, rest));
    };
    let end = after
        .find(')')
        .ok_or("a prefix length's parenthesis is not closed")?;
    let length = after[..end]
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!(
                "`{name}({})`: a prefix length is a positive whole number; an expression goes in parentheses, `(lower(name))`",
                &after[..end]
            )
        })?;
    Ok((ElementTarget::Column(name), Some(length), &after[end + 1..]))
}

/// The byte offset of the parenthesis that closes the one `text` starts with, skipping
/// strings and quoted names.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            (None, _) => {}
        }
    }
    None
}

/// A `"quoted"` name at the start of `text` (`""` is a quote): the name and the bytes used.
fn quoted(text: &str) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            if chars.peek().is_some_and(|(_, n)| *n == '"') {
                chars.next();
                name.push('"');
                continue;
            }
            return Some((name, i + 1));
        }
        name.push(c);
    }
    None
}

/// The words after the column, a quoted word kept whole (with its quotes).
fn words(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                word.push(c);
            }
            c if c.is_whitespace() && !in_quotes => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if in_quotes {
        return Err("a quoted name is not closed".to_owned());
    }
    if !word.is_empty() {
        out.push(word);
    }
    Ok(out)
}

/// `"C"` -> `C` (with `""` a quote); a bare name as written.
fn unquote(word: &str) -> String {
    match word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => word.to_owned(),
    }
}

/// The element text the reader reads back as this key: the inverse of [`parse`].
pub(crate) fn write(element: &Element) -> String {
    let mut out = match &element.target {
        ElementTarget::Column(name) if is_bare_column(name) => name.clone(),
        ElementTarget::Column(name) => format!("\"{}\"", name.replace('"', "\"\"")),
        ElementTarget::Expression(expr) => format!("({expr})"),
    };
    if let Some(n) = element.length {
        out.push_str(&format!("({n})"));
    }
    if let Some(collation) = &element.collation {
        out.push_str(&format!(" COLLATE \"{}\"", collation.replace('"', "\"\"")));
    }
    if let Some(opclass) = &element.opclass {
        out.push(' ');
        out.push_str(opclass);
    }
    if element.descending {
        out.push_str(" DESC");
    }
    match element.nulls_first {
        Some(true) => out.push_str(" NULLS FIRST"),
        Some(false) => out.push_str(" NULLS LAST"),
        None => {}
    }
    out
}

/// A column name that reads back as itself without quotes.
fn is_bare_column(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['"', '('])
        && !name.contains(|c: char| c.is_whitespace() || c == '(')
}

#[cfg(test)]
mod tests {
    use super::{Element, ElementTarget, parse, write};

    fn column(name: &str) -> Element {
        Element {
            target: ElementTarget::Column(name.to_owned()),
            length: None,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }
    }

    #[test]
    fn elements_read_as_postgres_writes_them() {
        let cases: &[(&str, Result<Element, &str>)] = &[
            (
                "created_at DESC",
                Ok(Element {
                    descending: true,
                    ..column("created_at")
                }),
            ),
            (
                "a desc nulls last",
                Ok(Element {
                    descending: true,
                    nulls_first: Some(false),
                    ..column("a")
                }),
            ),
            (
                "a NULLS FIRST",
                Ok(Element {
                    nulls_first: Some(true),
                    ..column("a")
                }),
            ),
            ("a asc nulls last", Ok(column("a"))),
            (
                "\"Odd Name\" DESC",
                Ok(Element {
                    descending: true,
                    ..column("Odd Name")
                }),
            ),
            (
                "name text_pattern_ops",
                Ok(Element {
                    opclass: Some("text_pattern_ops".into()),
                    ..column("name")
                }),
            ),
            (
                "name COLLATE \"C\" varchar_pattern_ops DESC",
                Ok(Element {
                    collation: Some("C".into()),
                    opclass: Some("varchar_pattern_ops".into()),
                    descending: true,
                    ..column("name")
                }),
            ),
            (
                "name(10)",
                Ok(Element {
                    length: Some(10),
                    ..column("name")
                }),
            ),
            (
                "(lower(name)) text_pattern_ops",
                Ok(Element {
                    target: ElementTarget::Expression("lower(name)".into()),
                    opclass: Some("text_pattern_ops".into()),
                    ..column("")
                }),
            ),
            (
                "(coalesce(a, ')'))",
                Ok(Element {
                    target: ElementTarget::Expression("coalesce(a, ')')".into()),
                    ..column("")
                }),
            ),
            (
                "a NULLS sideways",
                Err("`NULLS sideways`: expected `NULLS FIRST` or `NULLS LAST`"),
            ),
            ("a ops DESC extra", Err("`extra` is not expected here")),
            (
                "name(x)",
                Err(
                    "`name(x)`: a prefix length is a positive whole number; an expression goes in parentheses, `(lower(name))`",
                ),
            ),
            (
                "(lower(a)",
                Err("an expression's parenthesis is not closed"),
            ),
            ("", Err("no column")),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse(text),
                expected.clone().map_err(str::to_owned),
                "{text}"
            );
        }
    }

    #[test]
    fn written_elements_read_back() {
        for text in [
            "a",
            "\"Odd Name\" DESC",
            "name(10)",
            "name COLLATE \"C\" text_pattern_ops DESC NULLS LAST",
            "(lower((name)::text)) text_pattern_ops",
            "\"a\"\"b\"",
        ] {
            let element = parse(text).unwrap();
            assert_eq!(parse(&write(&element)), Ok(element), "{text}");
        }
    }
}
