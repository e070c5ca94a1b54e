use autogen_schema::{QualifiedName, Schema};
use serde::{Deserialize, Serialize};

use crate::{ApplyError, Change};

/// The ordered changes from one schema to another. Applying `changes` in order moves the
/// database forward; [`Plan::inverse`] moves it back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Drop+add pairs that look like renames. Never applied: a rename needs an explicit hint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rename_hints: Vec<RenameHint>,
    /// The schema the plan starts from, when known ([`crate::diff`] sets it): SQLite rebuilds a
    /// table to change most of it, and a rebuild needs the whole table, which the changes alone
    /// do not carry. Not serialised: it is context, not part of the plan.
    #[serde(skip)]
    pub before: Option<Schema>,
    /// The tables partitioned before or after the plan ([`crate::diff`] sets it): PostgreSQL
    /// builds no index of one concurrently, so they take none of the lock-safe forms. Context,
    /// not serialised.
    #[serde(skip)]
    pub partitioned: std::collections::BTreeSet<autogen_schema::QualifiedName>,
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
    /// A label removed and a new one added at the same place of an enum.
    EnumValue {
        name: QualifiedName,
        from: String,
        to: String,
    },
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The down plan: every change inverted, in reverse order. It starts where this plan ends,
    /// so its `before` is this one's followed on the simulator; a plan that does not apply to
    /// its own `before` is an error, not a down plan without one.
    pub fn inverse(&self) -> Result<Plan, ApplyError> {
        let before = match &self.before {
            Some(before) => {
                let mut after = before.clone();
                crate::apply_all(&mut after, &self.changes)?;
                Some(after)
            }
            None => None,
        };
        Ok(Plan {
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
            rename_hints: Vec::new(),
            before,
            partitioned: self.partitioned.clone(),
        })
    }
}
