//! Zero-downtime changes on PostgreSQL (`autogen -m --expand-contract`): a column rename or
//! type change, a column becoming NOT NULL, and a table rename become two migration pairs
//! instead of one. The expand pair makes the database serve both application versions (a new
//! column kept in step by a trigger and filled in batches; a NOT NULL check added NOT VALID, a
//! trigger filling the old version's NULLs, the existing NULLs filled in batches and the check
//! validated; the table under its new name with an updatable view under the old one); the
//! contract pair, written later (`autogen contract`, after the application that uses the new
//! shape is deployed), removes what only the old version needed. See docs/zero-downtime.md.
//!
//! Pure: the plan and both schemas in, migration texts out. The expand file records each
//! expansion in its header (`-- autogen-expansion: {json}`), which is how `autogen contract`,
//! `status` and `check` find an expansion whose contract is still to come.

mod choose;
mod column;
mod contracted;
mod files;
mod not_null;
mod sync;
mod table_rename;

use autogen_schema::{QualifiedName, Schema, Table};
use serde::{Deserialize, Serialize};

pub use choose::expansions;
pub use column::ColumnChange;
pub use contracted::contracted;
pub use files::{contract_text, expand_text};
pub use not_null::NotNull;
pub use table_rename::TableRename;

/// One change made in two phases. A closed set: the chooser ([`expansions`]) matches every
/// `Change` variant to one of these or refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expansion {
    /// A column renamed or retyped (or both).
    Column(ColumnChange),
    /// A column becoming NOT NULL (same name and type).
    NotNull(NotNull),
    /// A table renamed.
    TableRename(TableRename),
}

/// Why a plan cannot be made in two phases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("expand/contract migrations are PostgreSQL only")]
    NotPostgres,
    #[error(
        "--expand-contract expects a plan of column renames, type changes, columns becoming NOT \
         NULL and table renames only; the plan also has: {0}; write those in a migration of \
         their own first (plain -m)"
    )]
    OtherChanges(String),
    #[error(
        "--expand-contract makes a table rename in an expand of its own, and this plan has more \
         (the expansions found: {0}); write the table rename first (-m --expand-contract with \
         only it changed in the models), then the rest"
    )]
    TableRenameNotAlone(String),
    #[error(
        "--expand-contract found no column rename, type change, column becoming NOT NULL or \
         table rename in the plan"
    )]
    Nothing,
    #[error("cannot expand {table}.{column}: {reason}")]
    Unsupported {
        table: QualifiedName,
        column: String,
        reason: String,
    },
    #[error("cannot expand the rename of {table}: {reason}")]
    UnsupportedTable {
        table: QualifiedName,
        reason: String,
    },
}

/// The header line that records an expansion in its expand file.
pub const EXPANSION_PREFIX: &str = "-- autogen-expansion: ";
/// The header line of a contract file: which expand migration it closes.
pub const CONTRACT_PREFIX: &str = "-- autogen: contract of ";

impl Expansion {
    /// The record line of the expand file's header.
    pub fn record(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{EXPANSION_PREFIX}{json}\n")
    }

    /// The table the expansion changes, by the name it has once expanded.
    pub fn table(&self) -> &QualifiedName {
        match self {
            Expansion::Column(e) => &e.table,
            Expansion::NotNull(e) => &e.table,
            Expansion::TableRename(e) => &e.to,
        }
    }

    /// What it does, in a few words (`public.users.name to full_name`).
    pub fn summary(&self) -> String {
        match self {
            Expansion::Column(e) => format!("{}.{} to {}", e.table, e.old.name, e.new.name),
            Expansion::NotNull(e) => format!("{}.{} to NOT NULL", e.table, e.column()),
            Expansion::TableRename(e) => format!("{} to {}", e.from, e.to),
        }
    }

    /// Whether `current` holds the expansion in place (applied, not contracted).
    pub fn in_place(&self, current: &Schema) -> bool {
        match self {
            Expansion::Column(e) => e.in_place(current),
            Expansion::NotNull(e) => e.in_place(current),
            Expansion::TableRename(e) => e.in_place(current),
        }
    }

    /// What of the expand has not run to its end on `current` although no row is out of step:
    /// a NOT NULL check not validated yet (the contract's `SET NOT NULL` would scan the table
    /// under its ACCESS EXCLUSIVE lock instead of using it).
    pub fn unfinished(&self, current: &Schema) -> Option<String> {
        match self {
            Expansion::NotNull(n) => n.unvalidated(current),
            Expansion::Column(c) if !c.new.nullable => {
                let check = c.not_null_check(&c.during());
                let table = current_table(current, &c.table)?;
                table
                    .checks
                    .get(&check)
                    .filter(|k| k.not_valid)
                    .map(|_| format!("the check {check} of {} is not validated yet", c.table))
            }
            Expansion::Column(_) | Expansion::TableRename(_) => None,
        }
    }

    /// What `in_place` looks for, as `autogen contract`'s refusal says it.
    pub fn expected(&self) -> String {
        match self {
            Expansion::Column(e) => format!(
                "{} should have both {} and {}",
                e.table,
                e.old.name,
                e.during()
            ),
            Expansion::NotNull(e) => format!("{} should have the check {}", e.table, e.check()),
            Expansion::TableRename(e) => {
                format!("{} should exist and {} be its view", e.to, e.from)
            }
        }
    }

    /// The rows the contract must not find (count first, then up to five examples of the
    /// `shown` columns), with what the check is called and the columns shown. `None`: nothing
    /// can be out of step (a table rename).
    pub fn out_of_step(&self) -> Option<(String, Vec<String>, String)> {
        match self {
            Expansion::Column(e) => Some((
                format!("{} and {} in step", e.old.name, e.during()),
                vec![e.old.name.clone(), e.during()],
                e.out_of_step_query(),
            )),
            Expansion::NotNull(e) => Some((
                format!("no NULL left in {}", e.column()),
                vec!["ctid".to_owned()],
                e.out_of_step_query(),
            )),
            Expansion::TableRename(_) => None,
        }
    }
}

impl Expansion {
    /// A column the expand makes NOT NULL with no value to fill its NULLs, with the query
    /// counting them (count first, then up to five row addresses): `-m` refuses while it
    /// finds any, since the expand's validation would fail on them.
    pub fn unfilled_nulls(&self) -> Option<(String, String)> {
        let query = |table: &QualifiedName, column: &str| {
            format!(
                "SELECT count(*) OVER (), ctid::text FROM {} WHERE {} IS NULL LIMIT 5",
                table.quoted(),
                autogen_schema::quote_ident(column)
            )
        };
        match self {
            Expansion::NotNull(n) if n.fill.is_none() => {
                Some((n.column().to_owned(), query(&n.table, n.column())))
            }
            // The new column is filled from the old one: its NULLs stay NULL.
            Expansion::Column(c) if c.old.nullable && !c.new.nullable => {
                Some((c.old.name.clone(), query(&c.table, &c.old.name)))
            }
            Expansion::NotNull(_) | Expansion::Column(_) | Expansion::TableRename(_) => None,
        }
    }
}

/// The expansions recorded in the leading comment lines of an expand file. A record without
/// a `kind` is a column change (written before there were other kinds).
pub fn recorded_expansions(up_sql: &str) -> Vec<Expansion> {
    leading_comments(up_sql)
        .filter_map(|line| line.strip_prefix(EXPANSION_PREFIX))
        .filter_map(|json| {
            let json = json.trim();
            serde_json::from_str(json)
                .ok()
                .or_else(|| serde_json::from_str(json).ok().map(Expansion::Column))
        })
        .collect()
}

/// The expand migration a contract file closes, from its header.
pub fn contract_of(up_sql: &str) -> Option<i64> {
    leading_comments(up_sql)
        .filter_map(|line| line.strip_prefix(CONTRACT_PREFIX))
        .find_map(|v| v.trim().parse().ok())
}

fn leading_comments(sql: &str) -> impl Iterator<Item = &str> {
    sql.lines().take_while(|line| line.starts_with("--"))
}

/// The schema of views through which the new application version sees a type-changed column
/// under its final name while the expand is in place (`search_path = <it>, public`), named
/// after the expand migration's version.
pub fn view_schema(version: i64) -> String {
    format!("autogen_v{version}")
}

/// The trigger (and its function, in the table's schema) of an expansion of `column`.
fn trigger_name(table: &QualifiedName, column: &str) -> String {
    format!("autogen_sync_{}_{}", table.name, column)
}

/// The check standing for NOT NULL on a column while it cannot be NOT NULL yet: validated
/// without blocking writes, then the contract's `SET NOT NULL` uses it instead of scanning.
fn not_null_check(column: &str) -> String {
    format!("autogen_{column}_not_null")
}

fn current_table<'a>(schema: &'a Schema, name: &QualifiedName) -> Option<&'a Table> {
    schema.schemas.get(&name.schema)?.tables.get(&name.name)
}

#[cfg(test)]
mod tests;
