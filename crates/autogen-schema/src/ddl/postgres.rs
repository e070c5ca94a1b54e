//! PostgreSQL's table facts beyond columns and keys (`Table::postgres`) in DDL: the parts of
//! `CREATE TABLE` they change (`UNLOGGED`, `PARTITION OF`, `PARTITION BY`, `WITH (..)`) and the
//! statements that follow it (row-level security, replica identity, exclusion constraints,
//! index storage options, comments on indexes and constraints).

use crate::{
    CommentTarget, Exclusion, PostgresTableOptions, QualifiedName, ReplicaIdentity, Table,
    quote_ident, quote_literal,
};

/// `CREATE TABLE ..` for `table` when it is a partition: its columns, and the keys and
/// indexes it inherits, come from the parent; `constraints` are its own.
pub(crate) fn create_partition(
    name: &QualifiedName,
    table: &Table,
    constraints: &[String],
) -> Option<String> {
    let partition = table.postgres.partition_of.as_ref()?;
    // A default or NOT NULL of its own (the parent's are inherited, and saying them again
    // changes nothing).
    let options = table.columns.iter().filter_map(|c| {
        let default = c
            .default
            .as_ref()
            .filter(|_| c.generated.is_none() && c.identity.is_none())
            .map(|d| format!(" DEFAULT {d}"))
            .unwrap_or_default();
        let not_null = if c.nullable { "" } else { " NOT NULL" };
        (!default.is_empty() || !not_null.is_empty())
            .then(|| format!("{} WITH OPTIONS{default}{not_null}", quote_ident(&c.name)))
    });
    let lines: Vec<String> = options.chain(constraints.iter().cloned()).collect();
    let own = if lines.is_empty() {
        String::new()
    } else {
        let lines: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
        format!(" (\n{}\n)", lines.join(",\n"))
    };
    let mut out = format!(
        "CREATE {}TABLE {} PARTITION OF {}{own} {}",
        unlogged(&table.postgres.options),
        name.quoted(),
        partition.parent.quoted(),
        partition.bound
    );
    out.push_str(&table_suffix(table));
    Some(out)
}

/// A partition with keys or indexes of its own, created as PostgreSQL's dump does: a table of
/// its own (`LIKE` its parent for the columns and the checks `ATTACH` requires), its keys and
/// indexes, then attached. Created `PARTITION OF` a parent that already has an index, it would
/// get a new index for it before its own key existed; attached, its own matching key or index
/// is adopted. `None` for a partition without any (`PARTITION OF` does), or one with an
/// identity column (which `LIKE` would give a sequence of its own).
pub fn create_partition_to_attach(
    name: &QualifiedName,
    table: &Table,
    constraints: &[String],
) -> Option<(Vec<String>, String)> {
    let partition = table.postgres.partition_of.as_ref()?;
    let own_keys =
        table.primary_key.is_some() || !table.uniques.is_empty() || !table.indexes.is_empty();
    if !own_keys || table.columns.iter().any(|c| c.identity.is_some()) {
        return None;
    }
    let mut lines = vec![format!(
        "LIKE {} INCLUDING CONSTRAINTS INCLUDING GENERATED",
        partition.parent.quoted()
    )];
    lines.extend(constraints.iter().cloned());
    let lines: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
    let mut create = format!(
        "CREATE {}TABLE {} (\n{}\n)",
        unlogged(&table.postgres.options),
        name.quoted(),
        lines.join(",\n")
    );
    create.push_str(&table_suffix(table));
    let mut out = vec![create];
    // `LIKE` without `INCLUDING DEFAULTS`: the partition's defaults are all its own to say.
    let options: Vec<String> = table
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .flat_map(|c| {
            let column = quote_ident(&c.name);
            let default = c
                .default
                .as_ref()
                .map(|d| format!("ALTER COLUMN {column} SET DEFAULT {d}"));
            let not_null = (!c.nullable).then(|| format!("ALTER COLUMN {column} SET NOT NULL"));
            default.into_iter().chain(not_null)
        })
        .collect();
    if !options.is_empty() {
        out.push(format!(
            "ALTER TABLE {} {}",
            name.quoted(),
            options.join(", ")
        ));
    }
    let attach = format!(
        "ALTER TABLE {} ATTACH PARTITION {} {}",
        partition.parent.quoted(),
        name.quoted(),
        partition.bound
    );
    Some((out, attach))
}

pub(crate) fn unlogged(options: &PostgresTableOptions) -> &'static str {
    if options.unlogged { "UNLOGGED " } else { "" }
}

/// What follows the column list: ` PARTITION BY ..` and ` WITH (..)`.
pub(crate) fn table_suffix(table: &Table) -> String {
    let mut out = String::new();
    if let Some(key) = &table.postgres.partition_by {
        out.push_str(&format!(" PARTITION BY {key}"));
    }
    if !table.postgres.options.storage.is_empty() {
        out.push_str(&format!(
            " WITH ({})",
            table.postgres.options.storage.join(", ")
        ));
    }
    out
}

/// The statements after `CREATE TABLE` (and its indexes) that set the rest of the facts.
pub fn after_create(name: &QualifiedName, table: &Table) -> Vec<String> {
    let facts = &table.postgres;
    let mut out: Vec<String> = facts
        .exclusions
        .values()
        .map(|x| add_exclusion(name, x))
        .collect();
    let bare = PostgresTableOptions {
        unlogged: facts.options.unlogged,
        storage: facts.options.storage.clone(),
        ..PostgresTableOptions::default()
    };
    out.extend(alter_options(name, &bare, &facts.options));
    for (index, storage) in facts.index_storage.iter() {
        out.extend(set_index_storage(name, index, &[], storage));
    }
    for (index, text) in facts.index_comments.iter() {
        let target = CommentTarget::Index {
            table: name.clone(),
            name: index.clone(),
        };
        out.push(comment(&target, Some(text)));
    }
    for (constraint, text) in facts.constraint_comments.iter() {
        let target = CommentTarget::Constraint {
            table: name.clone(),
            name: constraint.clone(),
        };
        out.push(comment(&target, Some(text)));
    }
    out
}

pub fn add_exclusion(table: &QualifiedName, exclusion: &Exclusion) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {}",
        table.quoted(),
        quote_ident(&exclusion.name),
        exclusion.definition
    )
}

/// The `ALTER TABLE` statements from `from` to `to` (none when equal): persistence first
/// (it rewrites the table), then storage, row-level security and replica identity.
pub fn alter_options(
    table: &QualifiedName,
    from: &PostgresTableOptions,
    to: &PostgresTableOptions,
) -> Vec<String> {
    let mut actions = Vec::new();
    if from.unlogged != to.unlogged {
        actions.push(
            if to.unlogged {
                "SET UNLOGGED"
            } else {
                "SET LOGGED"
            }
            .to_owned(),
        );
    }
    let reset: Vec<&str> = from
        .storage
        .iter()
        .map(|o| option_name(o))
        .filter(|n| !to.storage.iter().any(|o| option_name(o) == *n))
        .collect();
    if !reset.is_empty() {
        actions.push(format!("RESET ({})", reset.join(", ")));
    }
    let set: Vec<&String> = to
        .storage
        .iter()
        .filter(|o| !from.storage.contains(o))
        .collect();
    if !set.is_empty() {
        let set: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
        actions.push(format!("SET ({})", set.join(", ")));
    }
    if from.row_security != to.row_security {
        actions.push(
            if to.row_security {
                "ENABLE ROW LEVEL SECURITY"
            } else {
                "DISABLE ROW LEVEL SECURITY"
            }
            .to_owned(),
        );
    }
    if from.force_row_security != to.force_row_security {
        actions.push(
            if to.force_row_security {
                "FORCE ROW LEVEL SECURITY"
            } else {
                "NO FORCE ROW LEVEL SECURITY"
            }
            .to_owned(),
        );
    }
    if from.replica_identity != to.replica_identity {
        actions.push(format!("REPLICA IDENTITY {}", to.replica_identity.sql()));
    }
    actions
        .into_iter()
        .map(|a| format!("ALTER TABLE {} {a}", table.quoted()))
        .collect()
}

/// `fillfactor` of `fillfactor=70`.
fn option_name(option: &str) -> &str {
    option.split_once('=').map_or(option, |(name, _)| name)
}

/// `ALTER INDEX .. RESET (..)` of the options that go, then `SET (..)` of the others.
pub fn set_index_storage(
    table: &QualifiedName,
    index: &str,
    from: &[String],
    to: &[String],
) -> Vec<String> {
    let name = QualifiedName::new(&table.schema, index).quoted();
    let reset: Vec<&str> = from
        .iter()
        .map(|o| option_name(o))
        .filter(|n| !to.iter().any(|o| option_name(o) == *n))
        .collect();
    let mut statements = Vec::new();
    if !reset.is_empty() {
        statements.push(format!("ALTER INDEX {name} RESET ({})", reset.join(", ")));
    }
    if !to.is_empty() {
        statements.push(format!("ALTER INDEX {name} SET ({})", to.join(", ")));
    }
    statements
}

/// `COMMENT ON INDEX | CONSTRAINT | SEQUENCE ..`; `None` removes it.
pub fn comment(target: &CommentTarget, text: Option<&str>) -> String {
    let text = text.map_or_else(|| "NULL".to_owned(), quote_literal);
    match target {
        CommentTarget::Index { table, name } => format!(
            "COMMENT ON INDEX {} IS {text}",
            QualifiedName::new(&table.schema, name).quoted()
        ),
        CommentTarget::Constraint { table, name } => format!(
            "COMMENT ON CONSTRAINT {} ON {} IS {text}",
            quote_ident(name),
            table.quoted()
        ),
        CommentTarget::Sequence { name } => {
            format!("COMMENT ON SEQUENCE {} IS {text}", name.quoted())
        }
    }
}

/// How deep `table` is in a partition tree: 0 for a table that is no partition. Parents are
/// created first.
pub fn partition_depth(schema: &crate::Schema, table: &Table) -> usize {
    let mut depth = 0;
    let mut current = table.postgres.partition_of.as_ref();
    while let Some(p) = current {
        depth += 1;
        if depth > 64 {
            break;
        }
        current = schema
            .table(&p.parent)
            .and_then(|t| t.postgres.partition_of.as_ref());
    }
    depth
}

impl ReplicaIdentity {
    /// Whether the identity names an index (which must exist first).
    pub fn index(&self) -> Option<&str> {
        match self {
            ReplicaIdentity::Index(name) => Some(name),
            ReplicaIdentity::Default | ReplicaIdentity::Full | ReplicaIdentity::Nothing => None,
        }
    }
}
