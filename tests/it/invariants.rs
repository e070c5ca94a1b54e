//! The architecture invariants of DESIGN.md §2, each a test that fails when it stops holding:
//!
//! - the pure crates (schema, model, diff, render) pull in no sqlx or tokio, and the crates
//!   depend on each other only in the allowed directions (read from `cargo metadata`);
//! - output is deterministic: the same schema serialises and prints byte-identically, whatever
//!   order its maps were filled in, and so do the plans and reports made from it;
//! - no `match` on our enums has a catch-all arm, so a new variant cannot be forgotten: clippy's
//!   `wildcard_enum_match_arm`, checked here to stay on for every crate.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use autogen_schema::{
    CheckConstraint, Column, ColumnType, Deferrable, Dialect, EnumType, ForeignKey, Identity,
    IdentityKind, Index, IndexKey, IndexTarget, MatchType, PrimaryKey, QualifiedName,
    ReferentialAction, Schema, Sequence, SequenceOptions, SequenceOwner, Table, UniqueConstraint,
};
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Node, PackageId};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

// =============================================================================================
// (a) Dependencies

/// The workspace's packages and the resolved dependency graph, from `cargo metadata`.
struct Graph {
    metadata: Metadata,
    /// Workspace member name -> id.
    members: BTreeMap<String, PackageId>,
}

impl Graph {
    fn load() -> Graph {
        let metadata = MetadataCommand::new()
            .cargo_path(env!("CARGO"))
            .manifest_path(workspace_root().join("Cargo.toml"))
            .exec()
            .expect("cargo metadata runs");
        let members = metadata
            .workspace_packages()
            .into_iter()
            .map(|p| (p.name.to_string(), p.id.clone()))
            .collect();
        Graph { metadata, members }
    }

    fn id(&self, member: &str) -> &PackageId {
        self.members
            .get(member)
            .unwrap_or_else(|| panic!("`{member}` is not a workspace member"))
    }

    fn name(&self, id: &PackageId) -> &str {
        &self.metadata[id].name
    }

    fn nodes(&self) -> &[Node] {
        &self
            .metadata
            .resolve
            .as_ref()
            .expect("cargo metadata resolves the graph")
            .nodes
    }

    /// Dependencies of `id` with one of `kinds`.
    fn deps<'g>(
        &'g self,
        id: &PackageId,
        kinds: &'g [DependencyKind],
    ) -> impl Iterator<Item = &'g PackageId> + 'g {
        let node = self.nodes().iter().find(|n| n.id == *id);
        node.into_iter()
            .flat_map(|n| &n.deps)
            .filter(move |dep| dep.dep_kinds.iter().any(|k| kinds.contains(&k.kind)))
            .map(|dep| &dep.pkg)
    }

    /// Every package `member` links through normal dependencies, with the path to each.
    fn normal_closure(&self, member: &str) -> BTreeMap<String, Vec<String>> {
        let start = self.id(member).clone();
        let mut paths = BTreeMap::from([(start.clone(), vec![member.to_owned()])]);
        let mut queue = VecDeque::from([start]);
        while let Some(id) = queue.pop_front() {
            for dep in self.deps(&id, &[DependencyKind::Normal]) {
                if !paths.contains_key(dep) {
                    let mut path = paths[&id].clone();
                    path.push(self.name(dep).to_owned());
                    paths.insert(dep.clone(), path);
                    queue.push_back(dep.clone());
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
    ("autogen-derive", &[]),
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
            .deps(
                graph.id(member),
                &[DependencyKind::Normal, DependencyKind::Build],
            )
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
    for node in graph.nodes() {
        for dep in &node.deps {
            let kinds: Vec<DependencyKind> = dep.dep_kinds.iter().map(|k| k.kind).collect();
            if dep.pkg == *cli {
                panic!(
                    "{} depends on autogen-cli ({kinds:?})",
                    graph.name(&node.id)
                );
            }
            if dep.pkg == *testkit {
                testkit_users += 1;
                assert!(
                    kinds.iter().all(|k| *k == DependencyKind::Development),
                    "{} depends on autogen-testkit as {kinds:?}; only dev-dependencies may",
                    graph.name(&node.id)
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
                not_valid: false,
                name: format!("{name}_check_{s}"),
                expression: format!("(length((email)::text) > {})", s.len()),
                no_inherit: false,
            },
        );
        table.foreign_keys.insert(
            format!("{name}_fk_{s}"),
            ForeignKey {
                not_valid: false,
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
                invalid: false,
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
// (c) No catch-all arm in a match on our enums

/// `_ =>` over an enum is refused by clippy's `wildcard_enum_match_arm`, which knows the types
/// (CI runs clippy with `-D warnings`). This checks the lint stays on for every crate: in the
/// workspace lint table, and every member takes the workspace's lints.
#[test]
fn the_wildcard_enum_lint_is_on_for_every_crate() {
    let root = workspace_root();
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .expect("the workspace manifest reads")
        .parse()
        .expect("the workspace manifest is TOML");
    let level = manifest["workspace"]["lints"]["clippy"]["wildcard_enum_match_arm"].as_str();
    assert!(
        matches!(level, Some("warn" | "deny")),
        "clippy::wildcard_enum_match_arm is {level:?} in the workspace lints"
    );
    let graph = Graph::load();
    for package in graph.metadata.workspace_packages() {
        let member: toml::Table = std::fs::read_to_string(&package.manifest_path)
            .expect("a member manifest reads")
            .parse()
            .expect("a member manifest is TOML");
        let inherits = member
            .get("lints")
            .and_then(|l| l.get("workspace"))
            .and_then(toml::Value::as_bool);
        assert_eq!(
            inherits,
            Some(true),
            "{} does not take the workspace lints ([lints] workspace = true)",
            package.name
        );
    }
}

/// No tracked text file holds a merge's conflict markers (a branch once committed them into
/// the docs): every file git tracks, read as text where it is text.
#[test]
fn no_file_holds_conflict_markers() {
    let root = workspace_root();
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files failed");
    let mut found = Vec::new();
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let Ok(text) = std::fs::read_to_string(root.join(&name)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") {
                found.push(format!("{name}:{}: {line}", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "conflict markers:\n{}", found.join("\n"));
}
