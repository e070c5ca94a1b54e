//! The architecture invariants of DESIGN.md §2, each a test that fails when it stops holding:
//!
//! - the pure crates (schema, model, diff, render) pull in no sqlx or tokio, and the crates
//!   depend on each other only in the allowed directions (read from `cargo metadata`);
//! - output is deterministic: the same schema serialises and prints byte-identically, whatever
//!   order its maps were filled in, and so do the plans and reports made from it;
//! - no `match` on `Change` or `Dialect` has a catch-all arm, so a new variant cannot be
//!   forgotten (a scan of the crates' sources).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;

use autogen_schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Dialect, EnumType, ForeignKey, Identity,
    IdentityKind, Index, IndexKey, IndexTarget, MatchType, PrimaryKey, QualifiedName,
    ReferentialAction, Schema, Sequence, SequenceOptions, SequenceOwner, Table, UniqueConstraint,
};
use serde_json::Value;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

// =============================================================================================
// (a) Dependencies

/// The workspace's packages and the resolved dependency graph.
struct Graph {
    /// Package id -> package name.
    names: BTreeMap<String, String>,
    /// Workspace member name -> id.
    members: BTreeMap<String, String>,
    /// Package id -> (dependency id, the kinds of that dependency: "normal", "dev", "build").
    edges: BTreeMap<String, Vec<(String, BTreeSet<String>)>>,
}

impl Graph {
    fn load() -> Graph {
        let out = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(workspace_root().join("Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
        let text = |v: &Value| v.as_str().expect("a string").to_owned();

        let names: BTreeMap<String, String> = metadata["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| (text(&p["id"]), text(&p["name"])))
            .collect();
        let members = metadata["workspace_members"]
            .as_array()
            .expect("workspace members")
            .iter()
            .map(|id| (names[&text(id)].clone(), text(id)))
            .collect();
        let mut edges = BTreeMap::new();
        for node in metadata["resolve"]["nodes"]
            .as_array()
            .expect("resolve nodes")
        {
            let deps = node["deps"]
                .as_array()
                .expect("deps")
                .iter()
                .map(|dep| {
                    let kinds = dep["dep_kinds"]
                        .as_array()
                        .expect("dep kinds")
                        .iter()
                        .map(|k| k["kind"].as_str().unwrap_or("normal").to_owned())
                        .collect();
                    (text(&dep["pkg"]), kinds)
                })
                .collect();
            edges.insert(text(&node["id"]), deps);
        }
        Graph {
            names,
            members,
            edges,
        }
    }

    fn id(&self, member: &str) -> &str {
        self.members
            .get(member)
            .unwrap_or_else(|| panic!("`{member}` is not a workspace member"))
    }

    fn name(&self, id: &str) -> &str {
        &self.names[id]
    }

    /// Dependencies of `id` with one of `kinds`.
    fn deps<'g>(&'g self, id: &str, kinds: &'g [&str]) -> impl Iterator<Item = &'g str> + 'g {
        self.edges
            .get(id)
            .into_iter()
            .flatten()
            .filter(move |(_, k)| kinds.iter().any(|kind| k.contains(*kind)))
            .map(|(dep, _)| dep.as_str())
    }

    /// Every package `member` links through normal dependencies, with the path to each.
    fn normal_closure(&self, member: &str) -> BTreeMap<String, Vec<String>> {
        let start = self.id(member).to_owned();
        let mut paths = BTreeMap::from([(start.clone(), vec![member.to_owned()])]);
        let mut queue = VecDeque::from([start]);
        while let Some(id) = queue.pop_front() {
            for dep in self.deps(&id, &["normal"]) {
                if !paths.contains_key(dep) {
                    let mut path = paths[&id].clone();
                    path.push(self.name(dep).to_owned());
                    paths.insert(dep.to_owned(), path);
                    queue.push_back(dep.to_owned());
                }
            }
        }
        paths
            .into_iter()
            .map(|(id, path)| (self.name(&id).to_owned(), path))
            .collect()
    }
}

/// Which workspace crates each workspace crate may depend on (normal dependencies). A new
/// crate fails the test until it has a line here.
const ALLOWED: &[(&str, &[&str])] = &[
    ("autogen-schema", &[]),
    ("autogen-model", &["autogen-schema"]),
    ("autogen-introspect", &["autogen-schema"]),
    ("autogen-diff", &["autogen-schema"]),
    ("autogen-render", &["autogen-schema", "autogen-diff"]),
    ("autogen-migrate", &["autogen-schema"]),
    ("autogen", &[]),
    ("autogen-testkit", &["autogen-schema"]),
    (
        "autogen-cli",
        &[
            "autogen-schema",
            "autogen-model",
            "autogen-introspect",
            "autogen-diff",
            "autogen-render",
            "autogen-migrate",
        ],
    ),
];

const PURE: &[&str] = &[
    "autogen-schema",
    "autogen-model",
    "autogen-diff",
    "autogen-render",
];

fn is_io_runtime(name: &str) -> bool {
    name.starts_with("sqlx") || name == "tokio" || name.starts_with("tokio-")
}

#[test]
fn pure_crates_pull_in_no_sqlx_or_tokio() {
    let graph = Graph::load();
    for member in PURE {
        let closure = graph.normal_closure(member);
        let offending: Vec<String> = closure
            .iter()
            .filter(|(name, _)| is_io_runtime(name))
            .map(|(_, path)| path.join(" -> "))
            .collect();
        assert!(
            offending.is_empty(),
            "{member} must do no IO, but depends on:\n  {}",
            offending.join("\n  ")
        );
    }
    // The walk does find them where they belong, so the check above is not vacuous.
    let introspect = graph.normal_closure("autogen-introspect");
    assert!(introspect.contains_key("sqlx-postgres") && introspect.contains_key("tokio"));
    assert!(
        graph
            .normal_closure("autogen-render")
            .contains_key("autogen-schema")
    );
}

#[test]
fn workspace_crates_depend_only_in_the_allowed_directions() {
    let graph = Graph::load();
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let members: BTreeSet<&str> = graph.members.keys().map(String::as_str).collect();
    for member in &members {
        let Some(may) = allowed.get(member) else {
            panic!("`{member}` has no line in ALLOWED: say which crates it may depend on");
        };
        let actual: BTreeSet<&str> = graph
            .deps(graph.id(member), &["normal", "build"])
            .map(|dep| graph.name(dep))
            .filter(|name| members.contains(name))
            .collect();
        let forbidden: Vec<&&str> = actual.iter().filter(|d| !may.contains(d)).collect();
        assert!(
            forbidden.is_empty(),
            "{member} depends on {forbidden:?}; it may depend only on {may:?}"
        );
    }
    // Every line of ALLOWED names a real crate, so a rename cannot leave a rule checking nothing.
    for (name, deps) in ALLOWED {
        assert!(
            members.contains(name),
            "ALLOWED names `{name}`, no such crate"
        );
        for dep in *deps {
            assert!(
                members.contains(dep),
                "ALLOWED names `{dep}`, no such crate"
            );
        }
    }
}

#[test]
fn nothing_depends_on_the_cli_and_the_testkit_is_only_a_dev_dependency() {
    let graph = Graph::load();
    let cli = graph.id("autogen-cli");
    let testkit = graph.id("autogen-testkit");
    let mut testkit_users = 0;
    for (from, deps) in &graph.edges {
        for (to, kinds) in deps {
            if to == cli {
                panic!("{} depends on autogen-cli ({kinds:?})", graph.name(from));
            }
            if to == testkit {
                testkit_users += 1;
                assert!(
                    kinds.iter().all(|k| k == "dev"),
                    "{} depends on autogen-testkit as {kinds:?}; only dev-dependencies may",
                    graph.name(from)
                );
            }
        }
    }
    assert!(
        testkit_users > 0,
        "no crate uses the testkit: the check saw nothing"
    );
}

// =============================================================================================
// (b) Determinism

/// A schema with something in every map, filled front to back or back to front. Column order is
/// part of a table (it is a `Vec` on purpose) and stays the same.
fn sample(reversed: bool) -> Schema {
    fn order<T>(mut items: Vec<T>, reversed: bool) -> Vec<T> {
        if reversed {
            items.reverse();
        }
        items
    }
    let mut schema = Schema::new(Dialect::Postgres);
    for namespace in order(vec!["zeta", "public", "app", "Mixed Case"], reversed) {
        schema.namespace_mut(namespace);
    }
    for (ns, name, labels) in order(
        vec![
            ("public", "status", vec!["new", "done"]),
            ("app", "mood", vec!["sad", "happy"]),
            ("public", "level", vec!["low", "high"]),
        ],
        reversed,
    ) {
        let labels = labels.into_iter().map(str::to_owned).collect();
        schema.namespace_mut(ns).enums.insert(
            name.to_owned(),
            EnumType {
                name: name.to_owned(),
                labels,
                comment: Some(format!("the {name}")),
            },
        );
    }
    for (ns, name) in order(
        vec![("public", "b_seq"), ("public", "a_seq"), ("zeta", "z_seq")],
        reversed,
    ) {
        schema.namespace_mut(ns).sequences.insert(
            name.to_owned(),
            Sequence {
                name: name.to_owned(),
                options: SequenceOptions::postgres_default(ColumnType::BigInt),
                owned_by: (name == "a_seq").then(|| SequenceOwner {
                    table: QualifiedName::new("public", "users"),
                    column: "id".to_owned(),
                }),
            },
        );
    }
    for (ns, name) in order(
        vec![
            ("public", "users"),
            ("public", "orders"),
            ("app", "notes"),
            ("zeta", "x"),
        ],
        reversed,
    ) {
        let table = table(ns, name, reversed);
        schema
            .namespace_mut(ns)
            .tables
            .insert(name.to_owned(), table);
    }
    schema
}

fn table(ns: &str, name: &str, reversed: bool) -> Table {
    let mut table = Table::new(name);
    table.comment = Some(format!("table {name}"));
    let mut id = Column::new("id", ColumnType::BigInt);
    id.nullable = false;
    id.identity = Some(Identity {
        kind: IdentityKind::ByDefault,
        sequence: None,
    });
    let mut status = Column::new(
        "status",
        ColumnType::Enum {
            name: QualifiedName::new("public", "status"),
        },
    );
    status.default = Some("'new'::status".to_owned());
    let mut email = Column::new("email", ColumnType::Varchar { length: Some(320) });
    email.comment = Some("login".to_owned());
    table.columns = vec![id, status, email, Column::new("parent", ColumnType::BigInt)];
    table.primary_key = Some(PrimaryKey {
        name: format!("{name}_pkey"),
        columns: vec!["id".to_owned()],
    });
    let mut suffixes = vec!["a", "c", "b"];
    if reversed {
        suffixes.reverse();
    }
    for s in suffixes {
        table.uniques.insert(
            format!("{name}_u{s}"),
            UniqueConstraint {
                name: format!("{name}_u{s}"),
                columns: vec!["email".to_owned()],
                nulls_not_distinct: s == "b",
                deferrable: Deferrable::NotDeferrable,
            },
        );
        table.checks.insert(
            format!("{name}_check_{s}"),
            CheckConstraint {
                name: format!("{name}_check_{s}"),
                expression: format!("(length((email)::text) > {})", s.len()),
                no_inherit: false,
            },
        );
        table.foreign_keys.insert(
            format!("{name}_fk_{s}"),
            ForeignKey {
                name: format!("{name}_fk_{s}"),
                columns: vec!["parent".to_owned()],
                referenced_table: QualifiedName::new(ns, name),
                referenced_columns: vec!["id".to_owned()],
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
                match_type: MatchType::Simple,
            },
        );
        table.indexes.insert(
            format!("{name}_idx_{s}"),
            Index {
                name: format!("{name}_idx_{s}"),
                unique: false,
                keys: vec![
                    IndexKey::column("status"),
                    IndexKey {
                        target: IndexTarget::Expression("lower((email)::text)".to_owned()),
                        descending: true,
                        nulls_first: None,
                        opclass: None,
                        collation: None,
                        length: None,
                    },
                ],
                method: "btree".to_owned(),
                predicate: None,
                include: Vec::new(),
                nulls_not_distinct: false,
            },
        );
    }
    table
}

/// Every text autogen prints for a schema: the IR as JSON, the canonical DDL, and the plan
/// that creates it from nothing with its up and down scripts and reports.
fn outputs(schema: &Schema) -> Vec<(&'static str, String)> {
    let empty = Schema::new(Dialect::Postgres);
    let plan = autogen_diff::diff(&empty, schema, &autogen_diff::DiffOptions::default());
    let up = autogen_render::render(&plan, Dialect::Postgres).expect("the plan renders");
    let down = autogen_render::lower(&plan, Dialect::Postgres)
        .expect("the inverse renders")
        .down_statements();
    vec![
        (
            "json",
            serde_json::to_string_pretty(schema).expect("serialises"),
        ),
        ("canonical ddl", autogen_schema::canonical_ddl_text(schema)),
        ("up", autogen_render::script(&up)),
        ("down", autogen_render::script(&down)),
        ("summary", autogen_render::summary(&plan, Dialect::Postgres)),
        (
            "json report",
            autogen_render::json(&plan, Dialect::Postgres).expect("the report renders"),
        ),
        (
            "markdown",
            autogen_render::markdown(&plan, Dialect::Postgres).expect("the report renders"),
        ),
        ("schema diff", autogen_render::schema_diff(&empty, schema)),
    ]
}

#[test]
fn the_same_schema_prints_byte_identically_twice() {
    let schema = sample(false);
    let first = outputs(&schema);
    let second = outputs(&schema.clone());
    for ((what, a), (_, b)) in first.iter().zip(&second) {
        assert!(a.len() > 100, "{what} is nearly empty: {a}");
        assert!(a == b, "{what} differs between two runs on the same schema");
    }
    // Through JSON and back is the same schema, printed the same.
    let json = &first[0].1;
    let back: Schema = serde_json::from_str(json).expect("the JSON reads back");
    assert_eq!(back, schema);
    assert_eq!(
        &serde_json::to_string_pretty(&back).expect("serialises"),
        json
    );
}

#[test]
fn insertion_order_does_not_change_any_output() {
    let forward = sample(false);
    let backward = sample(true);
    assert_eq!(forward, backward, "the two fillings hold the same schema");
    for ((what, a), (_, b)) in outputs(&forward).iter().zip(&outputs(&backward)) {
        assert!(
            a == b,
            "{what} depends on insertion order:\n--- front to back\n{a}\n--- back to front\n{b}"
        );
    }
    let plan = autogen_diff::diff(&forward, &backward, &autogen_diff::DiffOptions::default());
    assert!(
        plan.changes.is_empty(),
        "a diff between them: {:?}",
        plan.changes
    );
}

// =============================================================================================
// (c) No catch-all arm in a match on `Change` or `Dialect`

/// A token of Rust source, enough to follow braces and arms: comments and the insides of string
/// and character literals are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(&'static str),
    Other(char),
    Literal,
}

fn tokenize(source: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r'))
            && matches!(at(i + usize::from(c == 'b') + 1), '"' | '#')
            && {
                // A raw string: r"..", r#".."#, br"..".
                let mut j = i + usize::from(c == 'b') + 1;
                while at(j) == '#' {
                    j += 1;
                }
                at(j) == '"'
            }
        {
            let mut j = i + usize::from(c == 'b') + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|h| at(j + h) == '#') {
                    j += 1 + hashes;
                    break;
                }
                line += usize::from(chars[j] == '\n');
                j += 1;
            }
            out.push((Token::Literal, line));
            i = j;
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                line += usize::from(at(j) == '\n');
                j += 1;
            }
            out.push((Token::Literal, line));
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                out.push((Token::Literal, line));
                i = j + 1;
            } else if at(i + 2) == '\'' {
                out.push((Token::Literal, line));
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
                out.push((Token::Literal, line));
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
            out.push((Token::Literal, line));
        } else {
            let two: String = [c, at(i + 1)].iter().collect();
            let punct = match two.as_str() {
                "::" => Some("::"),
                "=>" => Some("=>"),
                ".." => Some(".."),
                "==" => Some("=="),
                "->" => Some("->"),
                "<=" => Some("<="),
                ">=" => Some(">="),
                "!=" => Some("!="),
                "&&" => Some("&&"),
                "||" => Some("||"),
                _ => None,
            };
            match punct {
                Some(p) => {
                    out.push((Token::Punct(p), line));
                    i += 2;
                }
                None => {
                    out.push((Token::Other(c), line));
                    i += 1;
                }
            }
        }
    }
    out
}

/// One `match` found in a file.
#[derive(Debug)]
struct MatchExpr {
    line: usize,
    /// Some arm's pattern names `Change::..` or `Dialect::..`.
    on_change_or_dialect: bool,
    /// Lines of arms whose pattern matches anything: `_`, a lone binding, or a tuple of those.
    catch_alls: Vec<usize>,
}

/// Drops attributes (`#[..]`, `#![..]`): `#[allow(unreachable_patterns)] _ => ..` is still `_`.
fn without_attributes(tokens: Vec<(Token, usize)>) -> Vec<(Token, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let bang = usize::from(tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Other('!')));
        if tokens[i].0 == Token::Other('#')
            && tokens.get(i + 1 + bang).map(|t| &t.0) == Some(&Token::Other('['))
        {
            let mut depth = 0;
            i += 1 + bang;
            while i < tokens.len() {
                if opens(&tokens[i].0) {
                    depth += 1;
                } else if closes(&tokens[i].0) {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                i += 1;
            }
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

fn matches_in(source: &str) -> Vec<MatchExpr> {
    let tokens = without_attributes(tokenize(source));
    let mut found = Vec::new();
    for (start, (token, line)) in tokens.iter().enumerate() {
        if *token == Token::Ident("match".to_owned())
            && let Some(m) = read_match(&tokens, start, *line)
        {
            found.push(m);
        }
    }
    found
}

fn opens(t: &Token) -> bool {
    matches!(t, Token::Other('{' | '(' | '['))
}

fn closes(t: &Token) -> bool {
    matches!(t, Token::Other('}' | ')' | ']'))
}

/// Reads the arms of the `match` at `start`: the scrutinee runs to the first `{` outside
/// brackets, each arm's pattern to its `=>`, its body to a `,` outside brackets or the end of its
/// block.
fn read_match(tokens: &[(Token, usize)], start: usize, line: usize) -> Option<MatchExpr> {
    let mut i = start + 1;
    let mut depth = 0;
    while i < tokens.len() {
        let t = &tokens[i].0;
        if depth == 0 && *t == Token::Other('{') {
            break;
        }
        if opens(t) {
            depth += 1;
        } else if closes(t) {
            if depth == 0 {
                return None;
            }
            depth -= 1;
        }
        i += 1;
    }
    i += 1; // past the match body's `{`
    let mut result = MatchExpr {
        line,
        on_change_or_dialect: false,
        catch_alls: Vec::new(),
    };
    loop {
        // The pattern.
        let pattern_start = i;
        let mut depth = 0;
        while i < tokens.len() {
            let t = &tokens[i].0;
            if depth == 0 && *t == Token::Punct("=>") {
                break;
            }
            if depth == 0 && *t == Token::Other('}') {
                return Some(result); // the end of the match body
            }
            if opens(t) {
                depth += 1;
            } else if closes(t) {
                depth -= 1;
            }
            i += 1;
        }
        if i >= tokens.len() {
            return None;
        }
        let pattern = &tokens[pattern_start..i];
        if names_change_or_dialect(pattern) {
            result.on_change_or_dialect = true;
        }
        if is_catch_all(pattern) {
            result.catch_alls.push(tokens[pattern_start].1);
        }
        i += 1; // past `=>`
        // The body.
        let block = tokens.get(i).map(|t| &t.0) == Some(&Token::Other('{'));
        let mut depth = 0;
        while i < tokens.len() {
            let t = &tokens[i].0;
            if depth == 0 && (*t == Token::Other(',') || *t == Token::Other('}')) {
                break;
            }
            if opens(t) {
                depth += 1;
            } else if closes(t) {
                depth -= 1;
                if depth == 0 && block {
                    i += 1;
                    // `{ .. }` may still be followed by `.method()` or an operator; if so go on.
                    let next = tokens.get(i).map(|t| &t.0);
                    if !matches!(next, Some(Token::Other('.' | '?'))) {
                        break;
                    }
                    continue;
                }
            }
            i += 1;
        }
        if tokens.get(i).map(|t| &t.0) == Some(&Token::Other(',')) {
            i += 1;
        }
    }
}

fn names_change_or_dialect(pattern: &[(Token, usize)]) -> bool {
    pattern.windows(2).any(|w| {
        matches!(&w[0].0, Token::Ident(name) if name == "Change" || name == "Dialect")
            && w[1].0 == Token::Punct("::")
    })
}

/// `_`, `other`, `(_, x)`, `ref x`, `x @ _`: a pattern that no value fails. A guard (`if ..`)
/// makes it conditional, and an uppercase or `::` path makes it a variant or constant.
fn is_catch_all(pattern: &[(Token, usize)]) -> bool {
    let mut any = false;
    for (token, _) in pattern {
        match token {
            Token::Ident(name) if name == "if" || name == "true" || name == "false" => {
                return false;
            }
            Token::Ident(name) if name == "ref" || name == "mut" => {}
            Token::Ident(name) => {
                if !name.starts_with(|c: char| c == '_' || c.is_lowercase()) {
                    return false;
                }
                any = true;
            }
            Token::Other('(' | ')' | ',' | '@' | '&' | '|') | Token::Punct("..") => {}
            Token::Other(_) | Token::Punct(_) | Token::Literal => return false,
        }
    }
    any
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_match_on_change_or_dialect_has_a_catch_all_arm() {
    let root = workspace_root();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/ is readable") {
        let src = entry.expect("a directory entry").path().join("src");
        if src.is_dir() {
            rust_sources(&src, &mut files);
        }
    }
    files.sort();
    let mut checked = 0;
    let mut offences = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("a readable source file");
        for m in matches_in(&source) {
            if !m.on_change_or_dialect {
                continue;
            }
            checked += 1;
            for line in m.catch_alls {
                offences.push(format!(
                    "{}:{line} (the match at line {})",
                    file.strip_prefix(&root).unwrap_or(file).display(),
                    m.line
                ));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "catch-all arms in matches on Change or Dialect; write every variant out:\n  {}",
        offences.join("\n  ")
    );
    // The scan does see the matches it is about (the differ alone has dozens).
    assert!(
        checked >= 20,
        "only {checked} matches on Change or Dialect found"
    );
}

/// The scanner on small cases, so that a pass above means something.
#[test]
fn the_catch_all_scan_tells_the_cases_apart() {
    let scan = |source: &str| -> Vec<(bool, usize)> {
        matches_in(source)
            .into_iter()
            .map(|m| (m.on_change_or_dialect, m.catch_alls.len()))
            .collect()
    };
    // A catch-all on Change, on Dialect inside a tuple, and a named binding.
    assert_eq!(
        scan("fn f(c: &Change) -> u8 { match c { Change::A { .. } => 1, _ => 2 } }"),
        vec![(true, 1)]
    );
    assert_eq!(
        scan("fn f() { match (c, d) { (Change::A, Dialect::Postgres) => {} (_, _) => {} } }"),
        vec![(true, 1)]
    );
    assert_eq!(
        scan("fn f() { match d { Dialect::Postgres => x(), other => y(other), } }"),
        vec![(true, 1)]
    );
    // With an attribute on the arm, and on the match.
    assert_eq!(
        scan(
            "fn f() { #[allow(x)] match d { Dialect::Sqlite => 1, \
             #[allow(unreachable_patterns)] _ => 2 } }"
        ),
        vec![(true, 1)]
    );
    // Exhaustive, guarded, partial wildcards, boolean literals: fine.
    assert_eq!(
        scan("fn f() { match (d, b) { (Dialect::Sqlite, true) => 1, (true, false) => 2 } }"),
        vec![(true, 0)]
    );
    assert_eq!(
        scan(
            "fn f() { match d { Dialect::Postgres => 1, Dialect::MySql | Dialect::Sqlite => 2 } }"
        ),
        vec![(true, 0)]
    );
    assert_eq!(
        scan(
            "fn f() { match (c, d) { (Change::A, _) => {}, (_, Dialect::Sqlite) => {} x if x.ok() => {} } }"
        ),
        vec![(true, 0)]
    );
    // A catch-all in a nested match on something else belongs to that match, not the outer one.
    assert_eq!(
        scan(
            "fn f() { match c { Change::A { v } => match v { Some(1) => {} _ => {} }, \
             Change::B => { let s = \"_ => }\"; if a { b } else { c } } } }"
        ),
        vec![(true, 0), (false, 1)]
    );
    // Strings, chars, lifetimes and comments do not confuse the braces.
    assert_eq!(
        scan(
            "fn f<'a>(x: &'a str) { match d { /* } */ Dialect::Postgres => '}', // _ =>\n \
             Dialect::MySql => r#\"}\"#, _ => '{' } }"
        ),
        vec![(true, 1)]
    );
}
