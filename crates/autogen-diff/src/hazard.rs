//! What can go wrong when a change runs: one small function per rule, each looking at one
//! change (squawk style), with the context the dialect's lowering gives: which tables the plan
//! creates (so have no rows yet) and what the SQL it chose does. The rules are evaluated only
//! there (`autogen_render::lower`), once per change, where the SQL is known.

use std::collections::BTreeSet;

use autogen_schema::{ColumnType, Dialect, QualifiedName, needs_placeholder, placeholder_value};
use serde::{Deserialize, Serialize};

use crate::Change;
use crate::coerce::{cast_can_fail, is_binary_coercible, is_lossy_cast, is_narrowing};

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

impl HazardKind {
    /// Whether the down migration cannot undo it: rows or values are gone, or something the
    /// inverse recreates starts over. Reversibility and `--allow-data-loss` read this.
    pub fn loses_data(self) -> bool {
        match self {
            HazardKind::DataLoss | HazardKind::Irreversible => true,
            HazardKind::MayFailOnExistingRows | HazardKind::LocksTable => false,
        }
    }

    /// Whether rows or values are destroyed: what `-m` refuses without `--allow-data-loss`.
    /// An irreversible change that destroys nothing (NULLs given the default, a counter that
    /// restarts when recreated) is listed, and written.
    pub fn destroys_values(self) -> bool {
        match self {
            HazardKind::DataLoss => true,
            HazardKind::Irreversible
            | HazardKind::MayFailOnExistingRows
            | HazardKind::LocksTable => false,
        }
    }
}

/// One hazard of one change: which object, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub kind: HazardKind,
    /// The object at risk, as `schema.table` or `schema.table.column`.
    pub object: String,
    pub reason: String,
}

/// What the plan and the dialect's SQL say about one change. Built by the lowering, which
/// knows both; there is no context-free judgement (it would warn about rows that cannot exist
/// and guess at SQL it did not choose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HazardContext<'a> {
    pub dialect: Dialect,
    /// Tables the plan creates: they have no rows, so nothing on them can fail on rows or
    /// block anyone.
    pub new_tables: &'a BTreeSet<QualifiedName>,
    /// The SQL chosen for this change puts the column's default into the rows that hold NULL
    /// before the column becomes NOT NULL (see [`crate::fills_nulls_with_default`]).
    pub fills_nulls: bool,
    /// The SQL chosen for this change rebuilds this table (SQLite) rather than altering it in
    /// place.
    pub rebuilds: Option<&'a QualifiedName>,
    /// The SQL chosen for this change avoids the lock that blocks writes while it scans or
    /// builds (PostgreSQL: `CREATE INDEX CONCURRENTLY`, `NOT VALID` then `VALIDATE CONSTRAINT`,
    /// `SET NOT NULL` proven by a validated check).
    pub lock_safe: bool,
    /// The SQL chosen for this change gives the existing rows of a NOT NULL column without a
    /// default its placeholder value (`autogen_schema::placeholder_value`) without a default
    /// (SQLite: a down file's rebuild adding back a dropped column).
    pub fills_placeholder: bool,
}

impl HazardContext<'_> {
    fn has_rows(&self, table: &QualifiedName) -> bool {
        !self.new_tables.contains(table)
    }
}

/// The tables `changes` create: the `new_tables` of a [`HazardContext`].
pub fn created_tables(changes: &[Change]) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter_map(|c| {
            if let Change::CreateTable { name, .. } = c {
                Some(name.clone())
            } else {
                None
            }
        })
        .collect()
}

/// Every hazard of `change` as the lowering described by `context` runs it.
pub fn hazards(change: &Change, context: &HazardContext<'_>) -> Vec<Hazard> {
    let dialect = context.dialect;
    let mut out = Vec::new();
    drops_data(change, dialect, &mut out);
    narrows_type(change, dialect, &mut out);
    removes_enum_value(change, &mut out);
    may_fail_on_rows(change, context, &mut out);
    rewrites_table(change, context, &mut out);
    rebuilds_table(context, &mut out);
    blocks_writes(change, context, &mut out);
    irreversible(change, context, &mut out);
    out
}

fn push(out: &mut Vec<Hazard>, kind: HazardKind, object: String, reason: String) {
    out.push(Hazard {
        kind,
        object,
        reason,
    });
}

fn column_object(table: &QualifiedName, column: &str) -> String {
    format!("{table}.{column}")
}

/// Dropping a table or a column destroys its rows or values. A NOT NULL column without a
/// default comes back down holding placeholders (`autogen_schema::placeholder_value`), which
/// the reason says.
fn drops_data(change: &Change, dialect: Dialect, out: &mut Vec<Hazard>) {
    match change {
        Change::DropTable { name, .. } => push(
            out,
            HazardKind::DataLoss,
            name.to_string(),
            "drops the table and every row in it".into(),
        ),
        // A generated column's values are computed: added again, it has them all back.
        Change::DropColumn { table, column } if column.generated.is_none() => {
            let placeholder = match dialect {
                Dialect::Postgres | Dialect::MySql | Dialect::Sqlite
                    if needs_placeholder(column) =>
                {
                    placeholder_value(&column.ty, dialect)
                }
                Dialect::Postgres | Dialect::MySql | Dialect::Sqlite => None,
            };
            let reason = match placeholder {
                Some(value) => format!(
                    "drops the column and every value in it; the down migration adds it back \
                     with the placeholder {value} in every row"
                ),
                None => "drops the column and every value in it".to_owned(),
            };
            push(
                out,
                HazardKind::DataLoss,
                column_object(table, &column.name),
                reason,
            )
        }
        Change::AlterColumn {
            table, from, to, ..
        } if from.generated.is_none() && to.generated.is_some() => push(
            out,
            HazardKind::DataLoss,
            column_object(table, &from.name),
            "becomes a generated column: its stored values are replaced by the expression".into(),
        ),
        Change::AlterColumn { .. }
        | Change::DropColumn { .. }
        | Change::CreateSchema { .. }
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
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::AddColumn { .. }
        | Change::RenameColumn { .. }
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
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => {}
    }
}

/// A type that cannot hold every value of the old one (`varchar(100)` -> `varchar(50)`,
/// `bigint` -> `integer`, `text` -> `integer`) loses or alters data, and the inverse cannot
/// bring the old values back.
fn narrows_type(change: &Change, dialect: Dialect, out: &mut Vec<Hazard>) {
    let Change::AlterColumn {
        table, from, to, ..
    } = change
    else {
        return;
    };
    // Narrowing within a family, or a cast that rounds or cuts values without complaint.
    // A cast across families (`text` -> `integer`) either holds every value or fails the
    // migration: that is `may_fail_on_rows`'s hazard, and nothing is lost.
    if from.ty != to.ty && (is_narrowing(&from.ty, &to.ty) || is_lossy_cast(&from.ty, &to.ty)) {
        push(
            out,
            HazardKind::DataLoss,
            column_object(table, &from.name),
            format!(
                "changes the type from {} to {}, which holds less than the old type",
                from.ty.sql(dialect),
                to.ty.sql(dialect)
            ),
        );
    }
}

/// Removing enum labels: rows holding them cannot be cast, and the labels do not come back.
fn removes_enum_value(change: &Change, out: &mut Vec<Hazard>) {
    let Change::RebuildEnum { name, from, to, .. } = change else {
        return;
    };
    let removed = removed_labels(&from.labels, &to.labels);
    if !removed.is_empty() {
        push(
            out,
            HazardKind::DataLoss,
            name.to_string(),
            format!("removes label(s) {}", removed.join(", ")),
        );
    }
}

fn removed_labels(from: &[String], to: &[String]) -> Vec<String> {
    from.iter()
        .filter(|l| !to.contains(l))
        .map(|l| format!("'{l}'"))
        .collect()
}

/// Valid on an empty table, but existing rows can make it fail.
fn may_fail_on_rows(change: &Change, context: &HazardContext<'_>, out: &mut Vec<Hazard>) {
    let dialect = context.dialect;
    let mut fail = |table: &QualifiedName, object: String, reason: String| {
        if context.has_rows(table) {
            push(out, HazardKind::MayFailOnExistingRows, object, reason);
        }
    };
    match change {
        Change::AddExclusion { table, constraint } => fail(
            table,
            format!("{table}.{}", constraint.name),
            "adds an exclusion constraint: fails if existing rows conflict".into(),
        ),
        Change::AttachPartition { table, partition } => fail(
            table,
            table.to_string(),
            format!(
                "attaches a partition of {}: fails if a row lies outside {}",
                partition.parent, partition.bound
            ),
        ),
        Change::AlterColumn {
            table, from, to, ..
        } => {
            let object = column_object(table, &from.name);
            if from.nullable && !to.nullable && !context.fills_nulls {
                fail(
                    table,
                    object.clone(),
                    "sets NOT NULL: fails if any row holds NULL".into(),
                );
            }
            if from.ty != to.ty && cast_can_fail(&from.ty, &to.ty) {
                fail(
                    table,
                    object,
                    format!(
                        "casts {} to {}: fails on any value the new type cannot hold",
                        from.ty.sql(dialect),
                        to.ty.sql(dialect)
                    ),
                );
            }
        }
        Change::AddColumn { table, column } => {
            let filled = column.nullable
                || column.default.is_some()
                || column.identity.is_some()
                || column.generated.is_some()
                || context.fills_placeholder;
            if !filled {
                fail(
                    table,
                    column_object(table, &column.name),
                    "adds a NOT NULL column without a default: existing rows need a backfill"
                        .into(),
                );
            }
        }
        Change::AddPrimaryKey { table, key } => fail(
            table,
            table.to_string(),
            format!(
                "adds primary key {}: fails on duplicate or NULL keys",
                key.name
            ),
        ),
        Change::AddUnique { table, constraint } => fail(
            table,
            table.to_string(),
            format!(
                "adds unique constraint {}: fails on duplicates",
                constraint.name
            ),
        ),
        // Added NOT VALID: existing rows are not checked.
        Change::AddCheck { table, constraint } if !constraint.not_valid => fail(
            table,
            table.to_string(),
            format!(
                "adds check {}: fails if any row violates it",
                constraint.name
            ),
        ),
        Change::AddForeignKey { table, constraint } if !constraint.not_valid => fail(
            table,
            table.to_string(),
            format!(
                "adds foreign key {}: fails if any row has no match in {}",
                constraint.name, constraint.referenced_table
            ),
        ),
        Change::CreateIndex { table, index } if index.unique => fail(
            table,
            table.to_string(),
            if context.lock_safe {
                format!(
                    "creates unique index {} concurrently: fails on duplicates and leaves an \
                     invalid index, which the next revision drops and builds again",
                    index.name
                )
            } else {
                format!("creates unique index {}: fails on duplicates", index.name)
            },
        ),
        Change::RebuildEnum { name, from, to, .. } => {
            let removed = removed_labels(&from.labels, &to.labels);
            if !removed.is_empty() {
                push(
                    out,
                    HazardKind::MayFailOnExistingRows,
                    name.to_string(),
                    format!("fails if any row holds {}", removed.join(", ")),
                );
            }
        }
        Change::CreateIndex { .. }
        | Change::AddCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::SetEnumComment { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::DropColumn { .. }
        | Change::RenameColumn { .. }
        | Change::DropPrimaryKey { .. }
        | Change::DropUnique { .. }
        | Change::DropCheck { .. }
        | Change::DropForeignKey { .. }
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
        | Change::DropExclusion { .. }
        | Change::DetachPartition { .. }
        | Change::SetComment { .. }
        | Change::SetIndexStorage { .. }
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => {}
    }
}

/// Changes that rewrite or rebuild a whole table (under a lock that blocks reads or writes).
fn rewrites_table(change: &Change, context: &HazardContext<'_>, out: &mut Vec<Hazard>) {
    let dialect = context.dialect;
    let mut lock = |table: &QualifiedName, reason: String| {
        if context.has_rows(table) {
            push(out, HazardKind::LocksTable, table.to_string(), reason);
        }
    };
    let retyped = |from: &ColumnType, to: &ColumnType| from != to;
    match (change, dialect) {
        (Change::AlterTableOptions { table, from, to }, Dialect::Postgres)
            if from.unlogged != to.unlogged =>
        {
            lock(
                table,
                format!(
                    "ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten {}",
                    if to.unlogged { "unlogged" } else { "into the WAL" }
                ),
            );
        }
        (Change::AlterColumn { table, from, to, .. }, Dialect::Postgres) => {
            if retyped(&from.ty, &to.ty) && !is_binary_coercible(&from.ty, &to.ty) {
                lock(
                    table,
                    format!(
                        "ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten to change {} to {}",
                        from.name,
                        to.ty.sql(dialect)
                    ),
                );
            }
        }
        (Change::AlterColumn { table, from, to, .. }, Dialect::MySql) => {
            let grows_varchar = matches!(
                (&from.ty, &to.ty),
                (ColumnType::Varchar { length: Some(a) }, ColumnType::Varchar { length: Some(b) })
                    if a <= b && (*b <= 255 || *a > 255)
            );
            if retyped(&from.ty, &to.ty) && !grows_varchar {
                lock(table, format!("copies the table to change {}", from.name));
            }
        }
        (Change::RebuildEnum { columns, .. }, Dialect::Postgres) => {
            let tables: BTreeSet<&QualifiedName> = columns.iter().map(|u| &u.table).collect();
            for table in tables {
                lock(
                    table,
                    "ACCESS EXCLUSIVE lock: blocks reads and writes while the table is rewritten \
                     to cast its columns to the rebuilt type"
                        .into(),
                );
            }
        }
        (Change::RebuildEnum { columns, .. }, Dialect::MySql) => {
            let tables: BTreeSet<&QualifiedName> = columns.iter().map(|u| &u.table).collect();
            for table in tables {
                lock(
                    table,
                    "rewrites the table to cast its columns to the rebuilt type".into(),
                );
            }
        }
        (
            Change::AddPrimaryKey { table, .. } | Change::DropPrimaryKey { table, .. },
            Dialect::MySql,
        ) => lock(table, "rebuilds the table".into()),
        (
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
            | Change::RenameColumn { .. }
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
            | Change::RenameAttachedIndex { .. }
            | Change::AlterObject { .. },
            Dialect::Postgres | Dialect::MySql | Dialect::Sqlite,
        )
        // SQLite's rebuilds are the lowering's choice: `rebuilds_table`.
        | (Change::AlterColumn { .. }, Dialect::Sqlite) => {}
    }
}

/// The lowering rebuilt the table to make the change (SQLite: create, copy, drop, rename),
/// which holds the database's write lock while every row is copied.
fn rebuilds_table(context: &HazardContext<'_>, out: &mut Vec<Hazard>) {
    if let Some(table) = context.rebuilds
        && context.has_rows(table)
    {
        push(
            out,
            HazardKind::LocksTable,
            table.to_string(),
            "SQLite rebuilds the table to make this change".into(),
        );
    }
}

/// Changes that read every row of an existing table while holding a lock that blocks writes:
/// building an index, validating a new constraint, checking NOT NULL (PostgreSQL). Each names
/// the lock. The lock-safe forms the lowering chooses (`CONCURRENTLY`, `NOT VALID` +
/// `VALIDATE`) hold only locks that let writes continue while they scan: no hazard then.
fn blocks_writes(change: &Change, context: &HazardContext<'_>, out: &mut Vec<Hazard>) {
    let dialect = context.dialect;
    let mut lock = |table: &QualifiedName, reason: &str| {
        if context.has_rows(table) && !context.lock_safe {
            push(
                out,
                HazardKind::LocksTable,
                table.to_string(),
                reason.to_owned(),
            );
        }
    };
    match (change, dialect) {
        (Change::CreateIndex { table, .. }, Dialect::Postgres) => lock(
            table,
            "SHARE lock: blocks writes (reads continue) for the whole index build",
        ),
        (Change::AddExclusion { table, .. }, Dialect::Postgres) => lock(
            table,
            "ACCESS EXCLUSIVE lock: blocks reads and writes while the exclusion index is built",
        ),
        (Change::AttachPartition { table, .. }, Dialect::Postgres) => lock(
            table,
            "ACCESS EXCLUSIVE lock on the partition while its rows are checked against the bound",
        ),
        (
            Change::AddPrimaryKey { table, .. } | Change::AddUnique { table, .. },
            Dialect::Postgres,
        ) => lock(
            table,
            "ACCESS EXCLUSIVE lock: blocks reads and writes while the unique index is built",
        ),
        (Change::AddCheck { table, constraint }, Dialect::Postgres) if !constraint.not_valid => {
            lock(
                table,
                "ACCESS EXCLUSIVE lock: blocks reads and writes while every row is checked",
            )
        }
        (Change::AddForeignKey { table, constraint }, Dialect::Postgres)
            if !constraint.not_valid =>
        {
            lock(
                table,
                "SHARE ROW EXCLUSIVE lock on it and the referenced table: blocks writes to both \
             while every row is checked",
            )
        }
        (
            Change::AlterColumn {
                table, from, to, ..
            },
            Dialect::Postgres,
        ) => {
            if from.nullable && !to.nullable {
                lock(
                    table,
                    "ACCESS EXCLUSIVE lock: blocks reads and writes while every row is scanned \
                     for NULL",
                );
            }
        }
        (
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
            | Change::RenameColumn { .. }
            | Change::DropPrimaryKey { .. }
            | Change::DropUnique { .. }
            | Change::AddCheck { .. }
            | Change::AddForeignKey { .. }
            | Change::DropCheck { .. }
            | Change::DropForeignKey { .. }
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
            | Change::DropExclusion { .. }
            | Change::DetachPartition { .. }
            | Change::SetComment { .. }
            | Change::SetIndexStorage { .. }
            | Change::RenameAttachedIndex { .. }
            | Change::AlterObject { .. },
            Dialect::Postgres,
        )
        | (
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
            | Change::RenameColumn { .. }
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
            | Change::RenameAttachedIndex { .. }
            | Change::AlterObject { .. },
            Dialect::MySql | Dialect::Sqlite,
        ) => {}
    }
}

/// What the inverse cannot restore. Data loss is never reversible; beyond it, dropping a
/// sequence or an identity loses the counter (recreated, it starts over), and NULLs replaced
/// by a default stay replaced.
fn irreversible(change: &Change, context: &HazardContext<'_>, out: &mut Vec<Hazard>) {
    match change {
        Change::AlterColumn {
            table,
            from,
            to,
            backfill,
        } if from.nullable && !to.nullable && context.fills_nulls && context.has_rows(table) => {
            let value = match backfill {
                Some(sql) => format!("the backfill `{sql}`"),
                None => "the default".to_owned(),
            };
            push(
                out,
                HazardKind::Irreversible,
                column_object(table, &from.name),
                format!("sets NOT NULL: rows holding NULL get {value}, and keep it when reverted"),
            )
        }
        Change::DropSequence { name, .. } => push(
            out,
            HazardKind::Irreversible,
            name.to_string(),
            "the sequence's current value is lost; recreated, it starts over".into(),
        ),
        Change::AlterColumn {
            table, from, to, ..
        } if from.identity.is_some() && to.identity.is_none() => push(
            out,
            HazardKind::Irreversible,
            column_object(table, &from.name),
            "drops the identity; restored, its counter starts over".into(),
        ),
        Change::AlterColumn { .. }
        | Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValue { .. }
        | Change::RenameEnumValue { .. }
        | Change::RebuildEnum { .. }
        | Change::SetEnumComment { .. }
        | Change::CreateSequence { .. }
        | Change::AlterSequence { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::RenameColumn { .. }
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
        | Change::RenameAttachedIndex { .. }
        | Change::AlterObject { .. } => {}
    }
}
