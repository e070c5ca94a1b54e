//! Near-valid model files for the reader's properties: the real fixtures (native models,
//! SeaORM entities, Diesel schemas) with a few tokens deleted, duplicated, swapped or replaced,
//! and literals changed to other literals, so most inputs get past the parser and into the
//! readers' own checks.

use autogen_model::Source;
use proptest::prelude::*;

/// `(source, file name, text)` of the fixtures.
const FIXTURES: [(Source, &str, &str); 14] = [
    (
        Source::Autogen,
        "types.rs",
        include_str!("../../../fixtures/models/types/models.rs"),
    ),
    (
        Source::Autogen,
        "blog.rs",
        include_str!("../../../fixtures/models/blog/models.rs"),
    ),
    (
        Source::Autogen,
        "naming.rs",
        include_str!("../../../fixtures/models/naming/models.rs"),
    ),
    (
        Source::Autogen,
        "enums.rs",
        include_str!("../../../fixtures/models/enums/models.rs"),
    ),
    (
        Source::Autogen,
        "enum_types.rs",
        include_str!("../../../fixtures/models/enums/types.rs"),
    ),
    (
        Source::Autogen,
        "keys.rs",
        include_str!("../../../fixtures/models/keys/models.rs"),
    ),
    (
        Source::Autogen,
        "shop.rs",
        include_str!("../../../fixtures/models/derive_check/src/shop.rs"),
    ),
    (
        Source::Autogen,
        "derive.rs",
        include_str!("../../../fixtures/models/derive_check/src/models.rs"),
    ),
    (
        Source::SeaOrm,
        "post.rs",
        include_str!("../../../fixtures/models/seaorm/v1/entities/post.rs"),
    ),
    (
        Source::SeaOrm,
        "types.rs",
        include_str!("../../../fixtures/models/seaorm/v1/entities/types.rs"),
    ),
    (
        Source::SeaOrm,
        "task.rs",
        include_str!("../../../fixtures/models/seaorm/v2/entities/task.rs"),
    ),
    (
        Source::Diesel,
        "schema.rs",
        include_str!("../../../fixtures/models/diesel/projects/postgres/schema.rs"),
    ),
    (
        Source::Diesel,
        "schema.rs",
        include_str!("../../../fixtures/models/diesel/projects/mysql/schema.rs"),
    ),
    (
        Source::Diesel,
        "schema.rs",
        include_str!("../../../fixtures/models/diesel/projects/sqlite/schema.rs"),
    ),
];

/// Literals and tokens a mutation may put in place of another.
const LITERALS: [&str; 16] = [
    "\"\"",
    "\"x\"",
    "\"now()\"",
    "\"a b\"",
    "\"é\"",
    "\"; DROP TABLE t; --\"",
    "\"users.id\"",
    "\"lower(\"",
    "\"app.t.id\"",
    "0",
    "-1",
    "99999999999999999999",
    "1.5",
    "true",
    "r#\"x\"#",
    "'c'",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize),
    /// A literal put in place of a token (a literal or not).
    Replace(usize, usize),
    /// A token of the file put in place of another.
    Copy(usize, usize),
}

/// A fixture, mutated 1 to 4 times.
pub fn mutated() -> impl Strategy<Value = (Source, String, String)> {
    let mutation = prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        any::<usize>().prop_map(Mutation::Swap),
        (any::<usize>(), 0..LITERALS.len()).prop_map(|(at, l)| Mutation::Replace(at, l)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, from)| Mutation::Copy(at, from)),
    ];
    (0..FIXTURES.len(), prop::collection::vec(mutation, 1..5)).prop_map(|(k, mutations)| {
        let (source, name, text) = FIXTURES[k];
        (source, name.to_owned(), apply(text, &mutations))
    })
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut tokens = tokens(text);
    for mutation in mutations {
        // Only tokens that are not white space are picked.
        let solid: Vec<usize> = (0..tokens.len())
            .filter(|&i| !tokens[i].trim().is_empty())
            .collect();
        if solid.is_empty() {
            break;
        }
        let pick = |n: usize| solid[n % solid.len()];
        match *mutation {
            Mutation::Delete(at) => {
                tokens.remove(pick(at));
            }
            Mutation::Duplicate(at) => {
                let i = pick(at);
                let token = tokens[i].clone();
                tokens.insert(i, token);
            }
            Mutation::Swap(at) => {
                let n = at % solid.len();
                let (i, j) = (solid[n], solid[(n + 1) % solid.len()]);
                tokens.swap(i, j);
            }
            Mutation::Replace(at, literal) => {
                let i = pick(at);
                LITERALS[literal].clone_into(&mut tokens[i]);
            }
            Mutation::Copy(at, from) => {
                let token = tokens[pick(from)].clone();
                let i = pick(at);
                tokens[i] = token;
            }
        }
    }
    tokens.concat()
}

/// The text as tokens, white space kept as tokens of its own: words, string literals (with
/// their escapes), or one other character each.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut token = String::from(c);
        if c.is_alphanumeric() || c == '_' {
            while let Some(&next) = chars.peek() {
                if !(next.is_alphanumeric() || next == '_') {
                    break;
                }
                token.push(next);
                chars.next();
            }
        } else if c == '"' {
            while let Some(next) = chars.next() {
                token.push(next);
                if next == '\\' {
                    if let Some(escaped) = chars.next() {
                        token.push(escaped);
                    }
                } else if next == '"' {
                    break;
                }
            }
        } else if c.is_whitespace() {
            while let Some(&next) = chars.peek() {
                if !next.is_whitespace() {
                    break;
                }
                token.push(next);
                chars.next();
            }
        }
        out.push(token);
    }
    out
}

/// Tokens for the soup property.
pub const SOUP: &[&str] = &[
    "#[derive(autogen::Model)]",
    "#[autogen(table = \"t\")]",
    "#[autogen(",
    ")]",
    "pub",
    "struct",
    "enum",
    "T",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    "=",
    "id",
    "i64",
    "String",
    "Option<String>",
    "primary_key",
    "unique",
    "index",
    "default = 0",
    "default_sql = \"now()\"",
    "references = \"t.id\"",
    "max_length = 5",
    "check = \"x > 0\"",
    "\"; DROP TABLE t; --\"",
    "renamed_from = \"old\"",
    "#[derive(autogen::Enum)]",
    "\n",
    "// c",
    "/* c */",
    "r#\"x\"#",
    "'a'",
    "0x10",
    "1e9",
    "é",
    "#",
    "!",
    "::",
    "use",
    "mod",
    "fn",
    "impl",
];

#[test]
fn tokens_round_trip_and_mutations_change_the_text() {
    for (_, _, text) in FIXTURES {
        assert_eq!(tokens(text).concat(), text);
    }
    let text = FIXTURES[0].2;
    assert_ne!(apply(text, &[Mutation::Delete(3)]), text);
    assert_ne!(apply(text, &[Mutation::Replace(7, 0)]), text);
}
