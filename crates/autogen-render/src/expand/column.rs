//! A column rename or type change made in two phases: the new column beside the old one, kept
//! in step by a trigger, filled in batches; the contract drops the old one.

use autogen_schema::{Column, IndexTarget, QualifiedName, Schema, Table, quote_ident};
use serde::{Deserialize, Serialize};

use super::{ExpandError, current_table, sync};

/// One column renamed or retyped (or both) in two phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnChange {
    pub table: QualifiedName,
    /// The column as the database has it before the expand.
    pub old: Column,
    /// The column as the models want it after the contract (its name and definition).
    pub new: Column,
}

impl ColumnChange {
    /// The new column's name while both exist: its final name for a rename; for a type change
    /// under the same name, a temporary one the contract renames.
    pub fn during(&self) -> String {
        if self.old.name == self.new.name {
            format!("{}_autogen_new", self.new.name)
        } else {
            self.new.name.clone()
        }
    }

    /// Whether the new column has another name while both exist (a type change): the new
    /// application reaches it under its final name through a view (see [`super::view_schema`]).
    pub fn renamed_at_contract(&self) -> bool {
        self.old.name == self.new.name
    }

    pub fn retyped(&self) -> bool {
        self.old.ty != self.new.ty || self.old.collation != self.new.collation
    }

    /// The trigger and its function (in the table's schema).
    pub fn trigger(&self) -> String {
        super::trigger_name(&self.table, &self.old.name)
    }

    /// The check standing for NOT NULL on a column while it cannot be NOT NULL yet.
    pub fn not_null_check(&self, column: &str) -> String {
        super::not_null_check(column)
    }

    fn names(&self) -> Vec<String> {
        vec![
            self.during(),
            self.trigger(),
            self.not_null_check(&self.during()),
            self.not_null_check(&self.old.name),
        ]
    }

    /// Whether `current` holds the expansion in place: its table has both columns.
    pub fn in_place(&self, current: &Schema) -> bool {
        current_table(current, &self.table).is_some_and(|t| {
            t.columns.iter().any(|c| c.name == self.old.name)
                && t.columns.iter().any(|c| c.name == self.during())
        })
    }

    /// The rows whose old and new columns are out of step (neither is the other cast), with up
    /// to five of them (old value, new value as text).
    pub fn out_of_step_query(&self) -> String {
        format!(
            "SELECT count(*) OVER (), ({})::text, ({})::text FROM {} WHERE {} LIMIT 5",
            quote_ident(&self.old.name),
            quote_ident(&self.during()),
            self.table.quoted(),
            sync::out_of_step(self, "")
        )
    }

    /// Refuses what this kind cannot expand: see [`super::expansions`].
    pub(super) fn refuse_unsupported(&self, current: &Schema) -> Result<(), ExpandError> {
        let refuse = |reason: String| {
            Err(ExpandError::Unsupported {
                table: self.table.clone(),
                column: self.old.name.clone(),
                reason,
            })
        };
        let Some(table) = current_table(current, &self.table) else {
            return refuse("the table does not exist yet".to_owned());
        };
        for c in [&self.old, &self.new] {
            if c.identity.is_some() || c.generated.is_some() {
                return refuse("an identity or generated column is not expanded".to_owned());
            }
            if c.default.as_deref().is_some_and(|d| d.contains("nextval(")) {
                return refuse("a serial column is not expanded".to_owned());
            }
        }
        if let Some(long) = self.names().into_iter().find(|n| n.len() > 63) {
            return refuse(format!(
                "the name {long} it needs is longer than PostgreSQL's 63 bytes"
            ));
        }
        if table.columns.iter().any(|c| c.name == self.during()) {
            return refuse(format!("the table already has a column {}", self.during()));
        }
        if uses_column(table, &self.old.name) {
            return refuse(
                "a key, index, check, foreign key or generated column uses it (not expanded \
                 yet: change it with a plain -m)"
                    .to_owned(),
            );
        }
        if referenced(current, &self.table, &self.old.name) {
            return refuse(
                "a foreign key points at it (not expanded yet: change it with a plain -m)"
                    .to_owned(),
            );
        }
        Ok(())
    }
}

/// Whether a key, index, check, foreign key or generated column of `table` uses `name`.
fn uses_column(table: &Table, name: &str) -> bool {
    let name = name.to_owned();
    let mentions = |text: &str| mentions(text, &name);
    table
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.contains(&name))
        || table.uniques.values().any(|u| u.columns.contains(&name))
        || table.checks.values().any(|c| mentions(&c.expression))
        || table
            .foreign_keys
            .values()
            .any(|f| f.columns.contains(&name))
        || table.indexes.values().any(|i| {
            i.include.contains(&name)
                || i.predicate.as_deref().is_some_and(mentions)
                || i.keys.iter().any(|k| match &k.target {
                    IndexTarget::Column(c) => *c == name,
                    IndexTarget::Expression(x) => mentions(x),
                })
        })
        || table
            .columns
            .iter()
            .filter_map(|c| c.generated.as_ref())
            .any(|g| mentions(&g.expression))
}

/// Whether a foreign key of any table points at the column (it would be dropped with it).
fn referenced(current: &Schema, table: &QualifiedName, column: &str) -> bool {
    current
        .schemas
        .values()
        .flat_map(|ns| ns.tables.values())
        .any(|t| {
            t.foreign_keys.values().any(|f| {
                f.referenced_table == *table && f.referenced_columns.iter().any(|c| c == column)
            })
        })
}

/// Whether `text` names the column `name` (as a whole word, quoted or not): conservative, a
/// false "yes" only refuses.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}
