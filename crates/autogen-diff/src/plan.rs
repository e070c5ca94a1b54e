use autogen_schema::QualifiedName;
use serde::{Deserialize, Serialize};

use crate::Change;

/// The ordered changes from one schema to another. Applying `changes` in order moves the
/// database forward; [`Plan::inverse`] moves it back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Drop+add pairs that look like renames. Never applied: a rename needs an explicit hint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rename_hints: Vec<RenameHint>,
}

/// "`old` was dropped and `new` added with the same definition: was it a rename?"
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RenameHint {
    Table {
        from: QualifiedName,
        to: QualifiedName,
    },
    Column {
        table: QualifiedName,
        from: String,
        to: String,
    },
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The down plan: every change inverted, in reverse order.
    pub fn inverse(&self) -> Plan {
        Plan {
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
            rename_hints: Vec::new(),
        }
    }
}
