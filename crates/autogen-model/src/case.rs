//! Case conversions: struct and enum names into snake_case, and serde's `rename_all` values.
//!
//! Words are split the way `heck` (and so `sqlx`'s `rename_all`) splits them: at `_` and other
//! non-alphanumerics, before an uppercase letter that follows a lowercase one, and before the
//! last capital of a run followed by a lowercase letter (`HTTPRequest` is `HTTP` + `Request`).
//! For the usual `PascalCase` names this is exactly serde's result as well.

/// serde's `rename_all` values, in the order the error message lists them.
pub(crate) const RENAME_ALL: &[&str] = &[
    "lowercase",
    "UPPERCASE",
    "PascalCase",
    "camelCase",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameAll {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameAll {
    pub fn parse(text: &str) -> Option<RenameAll> {
        Some(match text {
            "lowercase" => RenameAll::Lower,
            "UPPERCASE" => RenameAll::Upper,
            "PascalCase" => RenameAll::Pascal,
            "camelCase" => RenameAll::Camel,
            "snake_case" => RenameAll::Snake,
            "SCREAMING_SNAKE_CASE" => RenameAll::ScreamingSnake,
            "kebab-case" => RenameAll::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameAll::ScreamingKebab,
            _ => return None,
        })
    }

    pub fn apply(self, name: &str) -> String {
        let words = words(name);
        match self {
            RenameAll::Lower => words.concat().to_lowercase(),
            RenameAll::Upper => words.concat().to_uppercase(),
            RenameAll::Pascal => words.iter().map(|w| capitalise(w)).collect(),
            RenameAll::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_lowercase()
                    } else {
                        capitalise(w)
                    }
                })
                .collect(),
            RenameAll::Snake => join(&words, "_", str::to_lowercase),
            RenameAll::ScreamingSnake => join(&words, "_", str::to_uppercase),
            RenameAll::Kebab => join(&words, "-", str::to_lowercase),
            RenameAll::ScreamingKebab => join(&words, "-", str::to_uppercase),
        }
    }
}

/// `TaskStatus` -> `task_status`.
pub(crate) fn snake_case(name: &str) -> String {
    RenameAll::Snake.apply(name)
}

fn join(words: &[&str], separator: &str, case: fn(&str) -> String) -> String {
    words
        .iter()
        .map(|w| case(w))
        .collect::<Vec<_>>()
        .join(separator)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Boundary,
    Lower,
    Upper,
}

fn words(name: &str) -> Vec<&str> {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut out = Vec::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let Some(&(next_i, next)) = chars.get(k + 1) else {
                out.push(&word[start..]);
                break;
            };
            let next_mode = if c.is_lowercase() {
                Mode::Lower
            } else if c.is_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_uppercase() {
                out.push(&word[start..next_i]);
                start = next_i;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && c.is_uppercase() && next.is_lowercase() {
                out.push(&word[start..i]);
                start = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_heck() {
        assert_eq!(snake_case("TaskStatus"), "task_status");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Version2Beta"), "version2_beta");
        assert_eq!(snake_case("user_id"), "user_id");
        assert_eq!(snake_case("A"), "a");
        assert_eq!(RenameAll::Camel.apply("InProgress"), "inProgress");
        assert_eq!(RenameAll::Pascal.apply("in_progress"), "InProgress");
        assert_eq!(RenameAll::ScreamingKebab.apply("InProgress"), "IN-PROGRESS");
        assert_eq!(RenameAll::Lower.apply("InProgress"), "inprogress");
    }
}
