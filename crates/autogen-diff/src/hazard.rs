use autogen_schema::Dialect;
use serde::{Deserialize, Serialize};

use crate::Change;

/// What can go wrong when a change runs. A closed list: each kind has its own small function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Rows or values are destroyed (drop table/column, narrowing type, enum value removal).
    DataLoss,
    /// Valid on an empty table, but existing rows can make it fail (SET NOT NULL, new unique,
    /// check or foreign key, a type cast).
    MayFailOnExistingRows,
    /// Takes a lock that blocks writes, or rewrites the whole table.
    LocksTable,
    /// The inverse cannot restore what this change destroyed.
    Irreversible,
}

/// One hazard of one change: which object, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub kind: HazardKind,
    /// The object at risk, as `schema.table` or `schema.table.column`.
    pub object: String,
    pub reason: String,
}

/// Every hazard of `change` when run on `dialect`.
pub fn hazards(change: &Change, dialect: Dialect) -> Vec<Hazard> {
    let _ = (change, dialect);
    Vec::new()
}
