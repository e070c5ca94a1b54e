use autogen_schema::{QualifiedName, Schema};
use serde::{Deserialize, Serialize};

use autogen_schema::Dialect;

use crate::Change;
use crate::hazard::{Hazard, HazardContext, HazardKind, hazards_in};

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

    /// The down plan: every change inverted, in reverse order.
    pub fn inverse(&self) -> Plan {
        Plan {
            changes: self.changes.iter().rev().map(Change::inverse).collect(),
            rename_hints: Vec::new(),
            // The inverse starts where this plan ends.
            before: self.before.as_ref().and_then(|before| {
                let mut after = before.clone();
                crate::apply_all(&mut after, &self.changes).ok()?;
                Some(after)
            }),
        }
    }
}

impl Plan {
    /// Every hazard of every step, with the step's index. Tables the plan itself creates have
    /// no rows yet, so steps on them carry no row or lock hazards.
    pub fn hazards(&self, dialect: Dialect) -> Vec<(usize, Hazard)> {
        let context = HazardContext {
            new_tables: self
                .changes
                .iter()
                .filter_map(|c| {
                    if let Change::CreateTable { name, .. } = c {
                        Some(name.clone())
                    } else {
                        None
                    }
                })
                .collect(),
        };
        self.changes
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                hazards_in(c, dialect, &context)
                    .into_iter()
                    .map(move |h| (i, h))
            })
            .collect()
    }

    /// Whether running the inverse plan after this one gives back every row and value: false
    /// when a step drops a table or column, narrows a type, removes an enum label, or loses a
    /// sequence's counter.
    pub fn is_reversible(&self) -> bool {
        !self
            .hazards(Dialect::Postgres)
            .iter()
            .any(|(_, h)| matches!(h.kind, HazardKind::DataLoss | HazardKind::Irreversible))
    }
}
