//! PostgreSQL's facts about a table beyond its columns and keys: persistence, row-level
//! security, storage options, replica identity, partitioning, exclusion constraints, and the
//! comments and storage options of its indexes and constraints. Models cannot state any of
//! them; a database can (`diff --from/--to`).

use serde::{Deserialize, Serialize};

use crate::{NameMap, QualifiedName};

/// [`crate::Table::postgres`]. All empty elsewhere and on a plain table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresTable {
    /// What `ALTER TABLE` changes in place.
    #[serde(default, skip_serializing_if = "PostgresTableOptions::is_default")]
    pub options: PostgresTableOptions,
    /// The partition key as `pg_get_partkeydef` prints it (`RANGE (created_at)`): a partitioned
    /// table. A different key is a new table (PostgreSQL cannot change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<String>,
    /// The table is a partition of another: its columns, and the keys, indexes and
    /// constraints it inherits, follow the parent's (they are not read for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// On a partition: the name of each of its indexes that is attached to an index of its
    /// parent (`ALTER INDEX parent_index ATTACH PARTITION index`), keyed by the parent index's
    /// name. PostgreSQL names the ones it makes itself (`foobar_1_pkey`, `foobar_1_foo_idx`);
    /// a partition whose index existed first keeps that index's name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub attached_indexes: NameMap<String>,
    /// `EXCLUDE USING ..` constraints, keyed by name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub exclusions: NameMap<Exclusion>,
    /// Comments on the table's constraints (any kind), keyed by constraint name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub constraint_comments: NameMap<String>,
    /// Comments on the table's indexes (those in [`crate::Table::indexes`]), keyed by name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub index_comments: NameMap<String>,
    /// Storage options of the table's indexes (`fillfactor=70`), keyed by index name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub index_storage: NameMap<Vec<String>>,
}

impl PostgresTable {
    pub fn is_default(&self) -> bool {
        *self == PostgresTable::default()
    }
}

/// `partition` with the indexes and keys attached to its `parent`'s made its own, under their
/// own names, as they are once it is detached (PostgreSQL keeps them) and as they must be before
/// it is attached (the parent's adopt a matching one instead of building another). The parent's
/// definition with the partition's name: their columns are the same.
pub fn with_attached_as_own(partition: &crate::Table, parent: &crate::Table) -> crate::Table {
    let mut out = partition.clone();
    for (parent_index, own) in &partition.postgres.attached_indexes {
        // A key of its own that backs the parent's index is read already.
        if out.has_index_named(own) {
            continue;
        }
        if let Some(key) = parent
            .primary_key
            .as_ref()
            .filter(|k| k.name == *parent_index)
        {
            if out.primary_key.is_none() {
                out.primary_key = Some(crate::PrimaryKey {
                    name: own.clone(),
                    ..key.clone()
                });
            }
        } else if let Some(unique) = parent.uniques.get(parent_index) {
            out.uniques.insert(
                own.clone(),
                crate::UniqueConstraint {
                    name: own.clone(),
                    ..unique.clone()
                },
            );
        } else if let Some(index) = parent.indexes.get(parent_index) {
            out.indexes.insert(
                own.clone(),
                crate::Index {
                    name: own.clone(),
                    invalid: false,
                    ..index.clone()
                },
            );
        }
    }
    out
}

/// The name PostgreSQL gives the index it builds on `partition` for its parent's index
/// `parent_index` (`ChooseIndexName`: `<partition>_pkey`, `<partition>_<columns>_key` for a
/// unique constraint's, `<partition>_<columns>_idx` for a plain index's, the first of them
/// with a number after the label that `taken` leaves free). `None` when the parent has no such
/// index or key, or the index has an expression key.
pub fn built_partition_index_name(
    partition: &str,
    parent: &crate::Table,
    parent_index: &str,
    taken: &mut crate::naming::Taken,
) -> Option<String> {
    use crate::naming::{index_column_names, name_addition};
    if parent
        .primary_key
        .as_ref()
        .is_some_and(|k| k.name == parent_index)
    {
        return Some(taken.choose_relation(partition, None, "pkey", true));
    }
    if let Some(unique) = parent.uniques.get(parent_index) {
        let addition = name_addition(&index_column_names(&unique.columns));
        return Some(taken.choose_relation(partition, Some(&addition), "key", true));
    }
    let index = parent.indexes.get(parent_index)?;
    // An expression is named as `FigureColname` names it (`lower(x)` -> `lower`), which the
    // model reader knows and this crate does not: no guess.
    let names: Vec<String> = index
        .keys
        .iter()
        .map(|k| match &k.target {
            crate::IndexTarget::Column(c) => Some(c.clone()),
            crate::IndexTarget::Expression(_) => None,
        })
        .collect::<Option<Vec<String>>>()?
        .into_iter()
        .chain(index.include.iter().cloned())
        .collect();
    let addition = name_addition(&index_column_names(&names));
    Some(taken.choose_relation(partition, Some(&addition), "idx", false))
}

/// The facts `ALTER TABLE` sets in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostgresTableOptions {
    /// `UNLOGGED`: not written to the WAL, emptied after a crash.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    /// `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY` (the owner too is subject to the policies).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_row_security: bool,
    /// `WITH (..)` storage parameters as `pg_class.reloptions` holds them (`fillfactor=70`),
    /// in the server's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<String>,
    #[serde(default, skip_serializing_if = "ReplicaIdentity::is_default")]
    pub replica_identity: ReplicaIdentity,
}

impl PostgresTableOptions {
    pub fn is_default(&self) -> bool {
        *self == PostgresTableOptions::default()
    }
}

/// `REPLICA IDENTITY ..`: what logical replication logs of an updated or deleted row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    /// The primary key.
    #[default]
    Default,
    Full,
    Nothing,
    /// `USING INDEX name`.
    Index(String),
}

impl ReplicaIdentity {
    pub fn is_default(&self) -> bool {
        *self == ReplicaIdentity::Default
    }

    /// The clause after `REPLICA IDENTITY`.
    pub fn sql(&self) -> String {
        match self {
            ReplicaIdentity::Default => "DEFAULT".to_owned(),
            ReplicaIdentity::Full => "FULL".to_owned(),
            ReplicaIdentity::Nothing => "NOTHING".to_owned(),
            ReplicaIdentity::Index(name) => format!("USING INDEX {}", crate::quote_ident(name)),
        }
    }
}

/// `PARTITION OF parent FOR VALUES ..`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// The bound as `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM (..) TO (..)`,
    /// `FOR VALUES IN (..)`, `FOR VALUES WITH (modulus 4, remainder 0)` or `DEFAULT`.
    pub bound: String,
}

/// An exclusion constraint, carried as the server prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub name: String,
    /// `pg_get_constraintdef`: `EXCLUDE USING gist (room WITH =, during WITH &&)`, with its
    /// `INCLUDE`, `WHERE` and `DEFERRABLE` parts.
    pub definition: String,
}

/// What a `COMMENT ON` that is not a table's, column's or type's names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommentTarget {
    /// An index of `table` (it lives in the table's schema).
    Index {
        table: QualifiedName,
        name: String,
    },
    /// A constraint of `table`, of any kind.
    Constraint {
        table: QualifiedName,
        name: String,
    },
    Sequence {
        name: QualifiedName,
    },
}
