//! Zero-downtime column changes on PostgreSQL (`autogen -m --expand-contract`): a column
//! rename or type change becomes two migration pairs instead of one statement. The expand pair
//! adds the new column beside the old one, a trigger that keeps both in step for writes from
//! either application version, and a backfill in batches; the contract pair, written later
//! (`autogen contract`, after the application that uses the new column is deployed), drops the
//! trigger and the old column. See docs/zero-downtime.md.
//!
//! Pure: the plan and both schemas in, migration texts out. The expand file records each
//! expansion in its header (`-- autogen-expansion: {json}`), which is how `autogen contract`,
//! `status` and `check` find an expansion whose contract is still to come.

mod contracted;
mod files;
mod sync;

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, IndexTarget, QualifiedName, Schema, Table};
use serde::{Deserialize, Serialize};

pub use contracted::contracted;
pub use files::{contract_text, expand_text};

/// One column change made in two phases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expansion {
    pub table: QualifiedName,
    /// The column as the database has it before the expand.
    pub old: Column,
    /// The column as the models want it after the contract (its name and definition).
    pub new: Column,
}

/// Why a plan cannot be made in two phases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    #[error("expand/contract migrations are PostgreSQL only")]
    NotPostgres,
    #[error(
        "--expand-contract expects a plan of column renames and type changes only; the plan also \
         has: {0}; write those in a migration of their own first (plain -m)"
    )]
    OtherChanges(String),
    #[error("--expand-contract found no column rename or type change in the plan")]
    Nothing,
    #[error("cannot expand {table}.{column}: {reason}")]
    Unsupported {
        table: QualifiedName,
        column: String,
        reason: String,
    },
}

/// The header line that records an expansion in its expand file.
pub const EXPANSION_PREFIX: &str = "-- autogen-expansion: ";
/// The header line of a contract file: which expand migration it closes.
pub const CONTRACT_PREFIX: &str = "-- autogen: contract of ";

impl Expansion {
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
    /// application reaches it under its final name through a view (see [`view_schema`]).
    pub fn renamed_at_contract(&self) -> bool {
        self.old.name == self.new.name
    }

    pub fn retyped(&self) -> bool {
        self.old.ty != self.new.ty || self.old.collation != self.new.collation
    }

    /// The trigger and its function (in the table's schema).
    pub fn trigger(&self) -> String {
        format!("autogen_sync_{}_{}", self.table.name, self.old.name)
    }

    /// The check standing for NOT NULL on the new column while both exist: the new column is
    /// nullable until the backfill has filled it, then the check is validated without
    /// blocking writes, and the contract's `SET NOT NULL` uses it instead of scanning.
    pub fn not_null_check(&self, column: &str) -> String {
        format!("autogen_{column}_not_null")
    }

    /// The record line of the expand file's header.
    pub fn record(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{EXPANSION_PREFIX}{json}\n")
    }

    fn names(&self) -> Vec<String> {
        vec![
            self.during(),
            self.trigger(),
            self.not_null_check(&self.during()),
            self.not_null_check(&self.old.name),
        ]
    }
}

/// The expansions recorded in the leading comment lines of an expand file.
pub fn recorded_expansions(up_sql: &str) -> Vec<Expansion> {
    leading_comments(up_sql)
        .filter_map(|line| line.strip_prefix(EXPANSION_PREFIX))
        .filter_map(|json| serde_json::from_str(json.trim()).ok())
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

/// The query counting the rows whose old and new columns are out of step (neither is the
/// other cast), with up to five of them (old value, new value as text): what `autogen
/// contract` refuses on. One row per example, the count first, as the data checks read it.
pub fn out_of_step_query(e: &Expansion) -> String {
    format!(
        "SELECT count(*) OVER (), ({})::text, ({})::text FROM {} WHERE {} LIMIT 5",
        autogen_schema::quote_ident(&e.old.name),
        autogen_schema::quote_ident(&e.during()),
        e.table.quoted(),
        sync::out_of_step(e, "")
    )
}

/// Whether `current` holds the expansion in place: its table has both columns.
pub fn in_place(e: &Expansion, current: &Schema) -> bool {
    current_table(current, &e.table).is_some_and(|t| {
        t.columns.iter().any(|c| c.name == e.old.name)
            && t.columns.iter().any(|c| c.name == e.during())
    })
}

/// The plan's changes as expansions: every change must be a column rename or a type change
/// (a rename with a type change is one expansion), each of a column that no key, index, check,
/// foreign key or generated column uses, and that is no identity or serial column.
pub fn expansions(
    plan: &Plan,
    current: &Schema,
    desired: &Schema,
) -> Result<Vec<Expansion>, ExpandError> {
    if !matches!(current.dialect, autogen_schema::Dialect::Postgres) {
        return Err(ExpandError::NotPostgres);
    }
    let mut out: Vec<Expansion> = Vec::new();
    let mut others = Vec::new();
    for change in &plan.changes {
        match change {
            Change::RenameColumn { table, from, to } => {
                let old = column(current, table, from);
                let new = column(desired, table, to);
                match (old, new) {
                    (Some(old), Some(new)) => out.push(Expansion {
                        table: table.clone(),
                        old: old.clone(),
                        new: new.clone(),
                    }),
                    (None, _) | (_, None) => others.push(describe(change)),
                }
            }
            Change::AlterColumn {
                table, from, to, ..
            } if from.ty != to.ty || from.collation != to.collation => {
                // After a rename in the same plan, the alter names the new column.
                if let Some(e) = out
                    .iter_mut()
                    .find(|e| &e.table == table && e.new.name == to.name)
                {
                    e.new = desired_or(desired, table, to);
                    continue;
                }
                out.push(Expansion {
                    table: table.clone(),
                    old: from.clone(),
                    new: desired_or(desired, table, to),
                });
            }
            Change::AlterColumn { table, to, .. }
                if out
                    .iter()
                    .any(|e| &e.table == table && e.new.name == to.name) => {}
            Change::CreateSchema { .. }
            | Change::DropSchema { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AddEnumValue { .. }
            | Change::RenameEnumValue { .. }
            | Change::RebuildEnum { .. }
            | Change::SetEnumComment { .. }
            | Change::CreateSequence { .. }
            | Change::DropSequence { .. }
            | Change::AlterSequence { .. }
            | Change::CreateTable { .. }
            | Change::DropTable { .. }
            | Change::RenameTable { .. }
            | Change::SetTableComment { .. }
            | Change::AddColumn { .. }
            | Change::DropColumn { .. }
            | Change::AlterColumn { .. }
            | Change::AddPrimaryKey { .. }
            | Change::DropPrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::CreateIndex { .. }
            | Change::DropIndex { .. }
            | Change::CreateView { .. }
            | Change::DropView { .. }
            | Change::ReplaceView { .. }
            | Change::CreateTrigger { .. }
            | Change::DropTrigger { .. }
            | Change::ReplaceTrigger { .. }
            | Change::CreateObject { .. }
            | Change::DropObject { .. }
            | Change::AlterTableOptions { .. }
            | Change::AddExclusion { .. }
            | Change::DropExclusion { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::SetComment { .. }
            | Change::SetIndexStorage { .. }
            | Change::AlterObject { .. } => others.push(describe(change)),
        }
    }
    if !others.is_empty() {
        return Err(ExpandError::OtherChanges(others.join(", ")));
    }
    if out.is_empty() {
        return Err(ExpandError::Nothing);
    }
    for e in &out {
        let table = current_table(current, &e.table);
        refuse_unsupported(e, table)?;
        refuse_referenced(e, current)?;
    }
    Ok(out)
}

fn describe(change: &Change) -> String {
    let text = format!("{change:?}");
    text.split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn current_table<'a>(schema: &'a Schema, name: &QualifiedName) -> Option<&'a Table> {
    schema.schemas.get(&name.schema)?.tables.get(&name.name)
}

fn column<'a>(schema: &'a Schema, table: &QualifiedName, name: &str) -> Option<&'a Column> {
    current_table(schema, table)?
        .columns
        .iter()
        .find(|c| c.name == name)
}

fn desired_or(desired: &Schema, table: &QualifiedName, to: &Column) -> Column {
    column(desired, table, &to.name)
        .cloned()
        .unwrap_or_else(|| to.clone())
}

fn refuse_unsupported(e: &Expansion, table: Option<&Table>) -> Result<(), ExpandError> {
    let refuse = |reason: String| {
        Err(ExpandError::Unsupported {
            table: e.table.clone(),
            column: e.old.name.clone(),
            reason,
        })
    };
    let Some(table) = table else {
        return refuse("the table does not exist yet".to_owned());
    };
    for c in [&e.old, &e.new] {
        if c.identity.is_some() || c.generated.is_some() {
            return refuse("an identity or generated column is not expanded".to_owned());
        }
        if c.default.as_deref().is_some_and(|d| d.contains("nextval(")) {
            return refuse("a serial column is not expanded".to_owned());
        }
    }
    if let Some(long) = e.names().into_iter().find(|n| n.len() > 63) {
        return refuse(format!(
            "the name {long} it needs is longer than PostgreSQL's 63 bytes"
        ));
    }
    if table.columns.iter().any(|c| c.name == e.during()) {
        return refuse(format!("the table already has a column {}", e.during()));
    }
    let name = &e.old.name;
    let mentions = |text: &str| mentions(text, name);
    let used = table
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.contains(name))
        || table.uniques.values().any(|u| u.columns.contains(name))
        || table.checks.values().any(|c| mentions(&c.expression))
        || table
            .foreign_keys
            .values()
            .any(|f| f.columns.contains(name))
        || table.indexes.values().any(|i| {
            i.include.contains(name)
                || i.predicate.as_deref().is_some_and(mentions)
                || i.keys.iter().any(|k| match &k.target {
                    IndexTarget::Column(c) => c == name,
                    IndexTarget::Expression(x) => mentions(x),
                })
        })
        || table
            .columns
            .iter()
            .filter_map(|c| c.generated.as_ref())
            .any(|g| mentions(&g.expression));
    if used {
        return refuse(
            "a key, index, check, foreign key or generated column uses it (not expanded yet: \
             change it with a plain -m)"
                .to_owned(),
        );
    }
    Ok(())
}

/// A foreign key of any table pointing at the column would be dropped with it.
fn refuse_referenced(e: &Expansion, current: &Schema) -> Result<(), ExpandError> {
    let referenced = current
        .schemas
        .values()
        .flat_map(|ns| ns.tables.values())
        .any(|t| {
            t.foreign_keys.values().any(|f| {
                f.referenced_table == e.table && f.referenced_columns.contains(&e.old.name)
            })
        });
    if referenced {
        return Err(ExpandError::Unsupported {
            table: e.table.clone(),
            column: e.old.name.clone(),
            reason: "a foreign key points at it (not expanded yet: change it with a plain -m)"
                .to_owned(),
        });
    }
    Ok(())
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

#[cfg(test)]
mod tests;
