//! Lock-safe forms of the changes to tables that exist before the plan (`LowerOptions::
//! lock_safe`): what would read every row, or build an index, under a lock that blocks writes
//! is split so that the long part holds only a lock that lets writes continue.
//!
//! | change | plain | lock-safe |
//! |---|---|---|
//! | index | `CREATE INDEX` (SHARE: blocks writes) | `CREATE INDEX CONCURRENTLY` (SHARE UPDATE EXCLUSIVE), a migration of its own |
//! | drop index | `DROP INDEX` (ACCESS EXCLUSIVE) | `DROP INDEX CONCURRENTLY`, a migration of its own |
//! | unique, primary key | `ADD CONSTRAINT` (ACCESS EXCLUSIVE for the build) | `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT .. USING INDEX` (instant) |
//! | foreign key, check | `ADD CONSTRAINT` (scan under SHARE ROW EXCLUSIVE / ACCESS EXCLUSIVE) | `ADD .. NOT VALID`, commit, `VALIDATE CONSTRAINT` (SHARE UPDATE EXCLUSIVE) |
//! | SET NOT NULL | scan under ACCESS EXCLUSIVE | `CHECK (col IS NOT NULL) NOT VALID`, commit, `VALIDATE`, `SET NOT NULL` (proven by the check: no scan), drop the check |
//! | NULLs filled first (a backfill, a default) | `UPDATE .. WHERE col IS NULL` in the migration's transaction | the `UPDATE` in a transaction of its own (row locks only: what came before it commits first), then the above |
//!
//! The commit before a `VALIDATE` ends the transaction that took the short strong lock, so the
//! scan does not run while it is held.

use autogen_diff::Change;
use autogen_schema::{Dialect, Index, QualifiedName, quote_ident};

use super::sea;
use super::validate::validate;
use crate::Transaction;
use crate::lower::{Draft, Mode};

/// `draft` (change `i`'s plain SQL) in its lock-safe form, as one or more drafts; unchanged
/// when the change needs none. The draft's own transaction mode goes to the last one.
pub(super) fn expand(change: &Change, draft: Draft, mode: Mode) -> Vec<Draft> {
    let i = draft.changes[0];
    let last_transaction = draft.transaction;
    let safe = |sql: Vec<String>, transaction: Transaction| {
        let mut d = Draft {
            sql,
            transaction,
            ..draft.clone()
        };
        d.lock_safe.insert(i);
        d
    };
    match change {
        Change::CreateIndex { table, index } if mode.alone => {
            vec![safe(
                vec![concurrently(&autogen_schema::ddl::create_index(
                    Dialect::Postgres,
                    table,
                    index,
                ))],
                Transaction::Alone,
            )]
        }
        Change::DropIndex { table, index } if mode.alone => vec![safe(
            vec![format!(
                "DROP INDEX CONCURRENTLY {}",
                QualifiedName::new(&table.schema, &index.name).quoted()
            )],
            Transaction::Alone,
        )],
        Change::AddUnique { table, constraint } if mode.alone => {
            let index = unique_index(&constraint.name, &constraint.columns);
            let index = Index {
                nulls_not_distinct: constraint.nulls_not_distinct,
                ..index
            };
            vec![
                safe(
                    vec![concurrently(&autogen_schema::ddl::create_index(
                        Dialect::Postgres,
                        table,
                        &index,
                    ))],
                    Transaction::Alone,
                ),
                safe(
                    vec![format!(
                        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {}{}",
                        table.quoted(),
                        quote_ident(&constraint.name),
                        quote_ident(&constraint.name),
                        constraint.deferrable.sql()
                    )],
                    last_transaction,
                ),
            ]
        }
        Change::AddPrimaryKey { table, key } if mode.alone => {
            let index = unique_index(&key.name, &key.columns);
            vec![
                safe(
                    vec![concurrently(&autogen_schema::ddl::create_index(
                        Dialect::Postgres,
                        table,
                        &index,
                    ))],
                    Transaction::Alone,
                ),
                safe(
                    vec![format!(
                        "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY USING INDEX {}",
                        table.quoted(),
                        quote_ident(&key.name),
                        quote_ident(&key.name)
                    )],
                    last_transaction,
                ),
            ]
        }
        // Added NOT VALID on purpose (a down file putting back a constraint left so): as is.
        Change::AddForeignKey { table, constraint } if !constraint.not_valid => {
            not_valid_then_validate(table, &constraint.name, draft.clone(), safe)
        }
        Change::AddCheck { table, constraint } if !constraint.not_valid => {
            not_valid_then_validate(table, &constraint.name, draft.clone(), safe)
        }
        Change::AlterColumn {
            table, from, to, ..
        } if from.nullable && !to.nullable => {
            let set_not_null = sea::set_nullable(table, &to.name, false);
            let Some(at) = draft.sql.iter().position(|s| *s == set_not_null) else {
                return vec![draft];
            };
            let check = temporary_check_name(&to.name);
            let mut out = Vec::new();
            // The fill (`column::alter` puts it just before SET NOT NULL) updates every row
            // holding NULL: in a transaction of its own, so that it holds row locks only,
            // not a strong lock taken by a statement before it or by the check after it.
            let mut first = if draft.fills_nulls.contains(&i) && at > 0 {
                if at > 1 {
                    out.push(safe(draft.sql[..at - 1].to_vec(), Transaction::CommitAfter));
                }
                out.push(safe(
                    vec![draft.sql[at - 1].clone()],
                    Transaction::CommitAfter,
                ));
                Vec::new()
            } else {
                draft.sql[..at].to_vec()
            };
            first.push(format!(
                "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
                table.quoted(),
                quote_ident(&check),
                quote_ident(&to.name)
            ));
            let mut second = vec![
                validate(table, &check),
                set_not_null,
                sea::drop_constraint(table, &check),
            ];
            second.extend(draft.sql[at + 1..].iter().cloned());
            out.push(safe(first, Transaction::CommitAfter));
            out.push(safe(second, last_transaction));
            out
        }
        Change::CreateIndex { .. }
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
        | Change::AlterObject { .. }
        | Change::AddUnique { .. }
        | Change::AddPrimaryKey { .. }
        | Change::AlterColumn { .. }
        | Change::AddForeignKey { .. }
        | Change::AddCheck { .. }
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
        | Change::DropTable { .. }
        | Change::RenameTable { .. }
        | Change::SetTableComment { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::RenameColumn { .. }
        | Change::DropPrimaryKey { .. }
        | Change::DropUnique { .. }
        | Change::DropCheck { .. }
        | Change::DropForeignKey { .. } => vec![draft],
    }
}

/// The constraint added `NOT VALID` (its one statement gets the suffix), a commit, then
/// `VALIDATE CONSTRAINT`.
fn not_valid_then_validate(
    table: &QualifiedName,
    name: &str,
    draft: Draft,
    safe: impl Fn(Vec<String>, Transaction) -> Draft,
) -> Vec<Draft> {
    let last_transaction = draft.transaction;
    let mut first = draft.sql.clone();
    let Some(add) = first.first_mut() else {
        return vec![draft];
    };
    add.push_str(" NOT VALID");
    vec![
        safe(first, Transaction::CommitAfter),
        safe(vec![validate(table, name)], last_transaction),
    ]
}

/// `CREATE [UNIQUE] INDEX` as `CREATE [UNIQUE] INDEX CONCURRENTLY`.
fn concurrently(create: &str) -> String {
    for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = create.strip_prefix(prefix) {
            return format!("{prefix}CONCURRENTLY {rest}");
        }
    }
    create.to_owned()
}

/// The unique btree index a unique key or primary key is built on, named as the constraint
/// (`ADD CONSTRAINT .. USING INDEX` renames the index to the constraint's name anyway).
fn unique_index(name: &str, columns: &[String]) -> Index {
    Index {
        invalid: false,
        name: name.to_owned(),
        unique: true,
        keys: columns
            .iter()
            .map(|c| autogen_schema::IndexKey {
                target: autogen_schema::IndexTarget::Column(c.clone()),
                descending: false,
                nulls_first: None,
                collation: None,
                opclass: None,
                length: None,
            })
            .collect(),
        method: "btree".to_owned(),
        predicate: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

/// The check that proves a column holds no NULL before `SET NOT NULL` (PostgreSQL 12+ then
/// skips the scan): `<column>_not_null`, cut to PostgreSQL's 63 bytes.
fn temporary_check_name(column: &str) -> String {
    let mut name = format!("autogen_{column}_not_null");
    while name.len() > 63 {
        name.pop();
    }
    name
}
