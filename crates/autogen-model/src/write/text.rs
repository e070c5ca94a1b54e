//! The `#[autogen(..)]` attributes the writer emits, as values, and their text: one line when it
//! fits, one key per line when it does not (as rustfmt lays out a long attribute).

/// The widest line the writer aims for, rustfmt's default `max_width`.
const MAX_WIDTH: usize = 100;

/// One key of an attribute: `key`, `key = value` or `key(..)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Flag(&'static str),
    /// `key = "text"`, the text escaped as a Rust string literal.
    Str(&'static str, String),
    /// `key = 12`, `key = false`: the value written as is.
    Raw(&'static str, String),
    /// `key(a, "b DESC")`.
    List(&'static str, Vec<Item>),
}

/// An element of a `key(..)` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Key(Key),
    /// A bare name (`columns(user_id)`).
    Ident(String),
    /// A string (`columns("created_at DESC")`).
    Str(String),
}

/// A Rust string literal for `text`: Debug's escapes are valid Rust escapes.
pub(crate) fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Flag(key) => (*key).to_owned(),
            Key::Str(key, value) => format!("{key} = {}", string_literal(value)),
            Key::Raw(key, value) => format!("{key} = {value}"),
            Key::List(key, items) => {
                let items: Vec<String> = items.iter().map(Item::text).collect();
                format!("{key}({})", items.join(", "))
            }
        }
    }
}

impl Item {
    fn text(&self) -> String {
        match self {
            Item::Key(key) => key.text(),
            Item::Ident(name) => name.clone(),
            Item::Str(text) => string_literal(text),
        }
    }
}

/// `#[autogen(..)]` with `keys`, indented by `indent` spaces, ending in a newline.
pub(crate) fn attribute(keys: &[Key], indent: usize) -> String {
    named_attribute("autogen", keys, indent)
}

/// `#[name(..)]` with `keys` (`#[sea_orm(..)]` for SeaORM entities), laid out as [`attribute`].
pub(crate) fn named_attribute(name: &str, keys: &[Key], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let parts: Vec<String> = keys.iter().map(Key::text).collect();
    let line = format!("{pad}#[{name}({})]\n", parts.join(", "));
    // A string literal is never broken: a line too long for its one key stays as it is.
    if line.len() <= MAX_WIDTH + 1 || parts.len() == 1 && !matches!(keys[0], Key::List(..)) {
        return line;
    }
    let mut out = format!("{pad}#[{name}(\n");
    for part in &parts {
        out.push_str(&format!("{pad}    {part},\n"));
    }
    // rustfmt leaves no comma after the last key of an attribute.
    if out.ends_with(",\n") {
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    out.push_str(&format!("{pad})]\n"));
    out
}

/// `// text` lines, wrapped at the line width, indented by `indent` spaces.
pub(crate) fn comment(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && pad.len() + 3 + line.len() + 1 + word.len() > MAX_WIDTH {
            out.push_str(&format!("{pad}// {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}// {line}\n"));
    }
    out
}
