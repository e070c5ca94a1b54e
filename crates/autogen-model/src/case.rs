//! Case conversions: struct and enum names into snake_case, and serde's `rename_all` values.
//!
//! Words are split by `heck`, as `sqlx`'s `rename_all` splits them (`HTTPRequest` is `HTTP` +
//! `Request`). For the usual `PascalCase` names this is exactly serde's result as well.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToUpperCamelCase,
};

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

    /// `name` in this case, its words split as `heck` splits them (`sqlx`'s `rename_all` is
    /// `heck`). `lowercase` and `UPPERCASE` join the words without a separator.
    pub fn apply(self, name: &str) -> String {
        let name = name.strip_prefix("r#").unwrap_or(name);
        match self {
            RenameAll::Lower => name.to_snake_case().replace('_', ""),
            RenameAll::Upper => name.to_shouty_snake_case().replace('_', ""),
            RenameAll::Pascal => name.to_upper_camel_case(),
            RenameAll::Camel => name.to_lower_camel_case(),
            RenameAll::Snake => name.to_snake_case(),
            RenameAll::ScreamingSnake => name.to_shouty_snake_case(),
            RenameAll::Kebab => name.to_kebab_case(),
            RenameAll::ScreamingKebab => name.to_shouty_kebab_case(),
        }
    }
}

/// `TaskStatus` -> `task_status`.
pub(crate) fn snake_case(name: &str) -> String {
    RenameAll::Snake.apply(name)
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
