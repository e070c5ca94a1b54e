//! A table rename in two phases. The expand renames the table (with its sequences, keys,
//! checks, foreign keys and indexes, as the plain migration renames them) and creates a view
//! under the old name: a simple view, which PostgreSQL makes updatable, so the old application
//! keeps reading and writing (`INSERT .. RETURNING` and `ON CONFLICT` included) through it to
//! the table, its defaults, identity and serial sequences, triggers and constraints. The
//! contract drops the view.
//!
//! The table takes its new name at once (rather than keeping its old name behind a view with
//! the new one) so that the contract is a `DROP VIEW`, which locks nothing the applications
//! use, and so that the new application, the one that stays, writes to the table itself.

use autogen_diff::{Change, Plan};
use autogen_schema::{Dialect, QualifiedName, Schema};
use serde::{Deserialize, Serialize};

use super::files::{header, push_statements, transaction_settings};
use super::{CONTRACT_PREFIX, ExpandError, Expansion, current_table};
use crate::{LowerOptions, MigrationText};

/// One table renamed in two phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRename {
    pub from: QualifiedName,
    pub to: QualifiedName,
    /// The plan's `RenameTable` and the drop+add pairs that go with it (objects named after
    /// the table, foreign keys pointing at it), in plan order.
    pub changes: Vec<Change>,
    /// Their SQL as the PostgreSQL lowering writes it (renames, no rebuild), up and down.
    pub up: Vec<String>,
    pub down: Vec<String>,
}

impl TableRename {
    /// Whether `current` holds the expansion in place: the table under its new name only.
    pub fn in_place(&self, current: &Schema) -> bool {
        current_table(current, &self.to).is_some() && current_table(current, &self.from).is_none()
    }

    /// The view under the old name.
    pub(super) fn create_view(&self) -> String {
        format!(
            "CREATE VIEW {} AS SELECT * FROM {}",
            self.from.quoted(),
            self.to.quoted()
        )
    }

    pub(super) fn drop_view(&self) -> String {
        format!("DROP VIEW IF EXISTS {}", self.from.quoted())
    }

    /// Lowers the rename's changes (in plan order) to their SQL, which must be renames only.
    pub(super) fn lower(&mut self, plan: &Plan, current: &Schema) -> Result<(), ExpandError> {
        let refuse = |reason: String| ExpandError::UnsupportedTable {
            table: self.from.clone(),
            reason,
        };
        if current_table(current, &self.from).is_none() {
            return Err(refuse("the table does not exist".to_owned()));
        }
        let position = |c: &Change| plan.changes.iter().position(|p| p == c);
        self.changes.sort_by_key(position);
        let sub = Plan {
            changes: self.changes.clone(),
            rename_hints: Vec::new(),
            before: plan.before.clone(),
            partitioned: plan.partitioned.clone(),
        };
        let steps = crate::lower_with(&sub, Dialect::Postgres, &LowerOptions::plain())
            .map_err(|e| refuse(e.to_string()))?;
        self.up = steps.up.into_iter().flat_map(|s| s.sql).collect();
        self.down = steps.down.into_iter().flat_map(|s| s.sql).collect();
        Ok(())
    }
}

/// The rename a change of `table` goes with: the one whose table it is (by either name) or,
/// for a foreign key of another table, the one it points at (`points_at`).
pub(super) fn owner<'a>(
    out: &'a mut [Expansion],
    table: &QualifiedName,
    points_at: Option<&QualifiedName>,
) -> Option<&'a mut TableRename> {
    let names = |r: &TableRename, t: &QualifiedName| r.from == *t || r.to == *t;
    out.iter_mut().find_map(|e| match e {
        Expansion::TableRename(r) if names(r, table) || points_at.is_some_and(|p| names(r, p)) => {
            Some(r)
        }
        Expansion::TableRename(_) | Expansion::Column(_) | Expansion::NotNull(_) => None,
    })
}

/// The expand pair: one transaction each, catalog only.
pub(super) fn expand_text(
    r: &TableRename,
    message: &str,
    base: Option<i64>,
    options: &LowerOptions,
) -> MigrationText {
    let record = Expansion::TableRename(r.clone());
    let mut up = header(message, "expand", "up; phase 1 of 2, expand", base);
    up.push_str(&format!(
        "-- autogen: expand of {} to {} (contract pending)\n",
        r.from, r.to
    ));
    up.push_str(&record.record());
    up.push_str(&format!(
        "--\n-- Phase 1 of 2: expand. Renames the table to {to} and creates a view {from} over it:\n\
         -- a simple view, which PostgreSQL makes updatable, so the application version that\n\
         -- uses {from} keeps reading and writing through it (defaults, sequences, triggers and\n\
         -- constraints are the table's). One transaction, catalog only: ACCESS EXCLUSIVE on the\n\
         -- table for the renames, waiting at most lock_timeout.\n\
         --\n-- Then: deploy the application version that uses {to}. Once no instance of the old\n\
         -- version runs, `autogen contract` writes phase 2, which drops the view.\n\n",
        to = r.to,
        from = r.from
    ));
    up.push_str(&transaction_settings(options));
    let mut statements = r.up.clone();
    statements.push(r.create_view());
    push_statements(&mut up, &statements);

    let mut down = header(message, "expand", "down: reverts phase 1, the expand", base);
    down.push_str(&format!(
        "--\n-- Drops the view {} and renames the table back. Deploy the application version\n\
         -- that uses the old name first.\n\n",
        r.from
    ));
    down.push_str(&transaction_settings(options));
    let mut statements = vec![r.drop_view()];
    statements.extend(r.down.iter().cloned());
    push_statements(&mut down, &statements);
    MigrationText { up, down }
}

/// The contract pair: the view dropped (and created again by the down).
pub(super) fn contract_text(
    r: &TableRename,
    message: &str,
    base: Option<i64>,
    expand_version: i64,
    options: &LowerOptions,
) -> MigrationText {
    let mut up = header(message, "contract", "up; phase 2 of 2, contract", base);
    up.push_str(&format!("{CONTRACT_PREFIX}{expand_version}\n"));
    up.push_str(&format!(
        "--\n-- Phase 2 of 2: contract. Apply it only once no instance of the application version\n\
         -- that uses {} is running. Drops the view; the table {} is not locked.\n\n",
        r.from, r.to
    ));
    up.push_str(&transaction_settings(options));
    push_statements(&mut up, &[r.drop_view()]);

    let mut down = header(
        message,
        "contract",
        "down: reverts phase 2, back to the expanded state",
        base,
    );
    down.push_str(&format!("{CONTRACT_PREFIX}{expand_version}\n"));
    down.push_str(&format!(
        "--\n-- Creates the view {} over {} again, for the application version that uses it.\n\n",
        r.from, r.to
    ));
    down.push_str(&transaction_settings(options));
    push_statements(&mut down, &[r.create_view()]);
    MigrationText { up, down }
}
