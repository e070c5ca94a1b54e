//! A column becoming NOT NULL in two phases. The expand adds `CHECK (col IS NOT NULL) NOT
//! VALID` (new writes are checked, existing rows are not), sets the models' default, adds a
//! trigger that gives a NULL written by the old application the fill value (the models'
//! `backfill`/`backfill_sql`, else their default), fills the existing NULLs in batches and
//! validates the check without blocking writes. The contract's `SET NOT NULL` then uses the
//! validated check instead of scanning (PostgreSQL 12+) and drops the check and the trigger.

use autogen_schema::{Column, QualifiedName, Schema, quote_ident, quote_literal};
use serde::{Deserialize, Serialize};

use super::sync::batched_update;
use super::{ExpandError, current_table};

/// One column made NOT NULL in two phases (same name, same type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotNull {
    pub table: QualifiedName,
    /// The column as the database has it before the expand (nullable).
    pub old: Column,
    /// The column as the models want it (NOT NULL, their default).
    pub new: Column,
    /// What a NULL becomes: the models' backfill, else their default. `None`: no value is
    /// known, so the expand is only possible while no row holds NULL (the CLI counts them)
    /// and a NULL written by the old application fails the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    /// The fill reads the row (`split_part(email, '@', 1)`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fill_reads_row: bool,
}

impl NotNull {
    pub fn column(&self) -> &str {
        &self.new.name
    }

    /// The trigger and its function (in the table's schema).
    pub fn trigger(&self) -> String {
        super::trigger_name(&self.table, &self.old.name)
    }

    /// The check standing for NOT NULL until the contract.
    pub fn check(&self) -> String {
        super::not_null_check(&self.old.name)
    }

    /// Whether `current` holds the expansion in place: the table has the check.
    pub fn in_place(&self, current: &Schema) -> bool {
        current_table(current, &self.table).is_some_and(|t| t.checks.contains_key(&self.check()))
    }

    /// The check is there but not validated yet (the expand stopped before its end).
    pub(super) fn unvalidated(&self, current: &Schema) -> Option<String> {
        let table = current_table(current, &self.table)?;
        table
            .checks
            .get(&self.check())
            .filter(|k| k.not_valid)
            .map(|_| {
                format!(
                    "the check {} of {} is not validated yet",
                    self.check(),
                    self.table
                )
            })
    }

    /// The rows still holding NULL, with up to five of their row addresses (what `autogen
    /// contract` refuses on).
    pub fn out_of_step_query(&self) -> String {
        format!(
            "SELECT count(*) OVER (), ctid::text FROM {} WHERE {} IS NULL LIMIT 5",
            self.table.quoted(),
            quote_ident(self.column())
        )
    }

    pub(super) fn refuse_unsupported(&self, current: &Schema) -> Result<(), ExpandError> {
        let refuse = |reason: String| {
            Err(ExpandError::Unsupported {
                table: self.table.clone(),
                column: self.old.name.clone(),
                reason,
            })
        };
        if current_table(current, &self.table).is_none() {
            return refuse("the table does not exist yet".to_owned());
        }
        if self.new.identity.is_some() || self.new.generated.is_some() {
            return refuse("an identity or generated column is not expanded".to_owned());
        }
        if let Some(long) = [self.trigger(), self.check()]
            .into_iter()
            .find(|n| n.len() > 63)
        {
            return refuse(format!(
                "the name {long} it needs is longer than PostgreSQL's 63 bytes"
            ));
        }
        Ok(())
    }

    /// The expand's first transaction (inside the `DO` block): the check if missing, the
    /// default, the trigger.
    pub(super) fn expand_statements(&self) -> String {
        let mut out = self.check_and_trigger();
        if let Some(s) = set_default(&self.table, self.column(), &self.old, &self.new) {
            out.push_str(&format!("  {s};\n"));
        }
        out
    }

    /// The check (if missing) and the trigger.
    fn check_and_trigger(&self) -> String {
        let table = self.table.quoted();
        let mut out = format!(
            "  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = {}::regclass\n\
             \x20   AND conname = {}) THEN\n\
             \x20   ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID;\n\
             \x20 END IF;\n",
            quote_literal(&table),
            quote_literal(&self.check()),
            quote_ident(&self.check()),
            quote_ident(self.column()),
        );
        for s in self.trigger_statements() {
            out.push_str(&format!("  {};\n", s.replace('\n', "\n  ")));
        }
        out
    }

    /// The batched fill of the rows holding NULL, when a fill value is known.
    pub(super) fn backfill(&self, settings: &str) -> String {
        let Some(fill) = &self.fill else {
            return String::new();
        };
        let column = quote_ident(self.column());
        batched_update(
            &self.table,
            &format!("{column} = {fill}"),
            &format!("{column} IS NULL"),
            settings,
        )
    }

    pub(super) fn validate(&self) -> String {
        format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}",
            self.table.quoted(),
            quote_ident(&self.check())
        )
    }

    /// The expand undone (one transaction): the trigger, the check, the old default. The rows
    /// the backfill filled keep their value.
    pub(super) fn expand_down(&self) -> Vec<String> {
        let mut out = self.drop_trigger();
        out.push(self.drop_check());
        out.extend(set_default(
            &self.table,
            self.column(),
            &self.new,
            &self.old,
        ));
        out
    }

    /// The contract (one transaction, no scan): NOT NULL from the validated check, then the
    /// check and the trigger dropped.
    pub(super) fn contract_up(&self) -> Vec<String> {
        let mut out = self.drop_trigger();
        out.push(format!(
            "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL",
            self.table.quoted(),
            quote_ident(self.column())
        ));
        out.push(self.drop_check());
        out
    }

    /// The contract undone, back to the expanded state (inside the `DO` block): the check
    /// (validated in a transaction of its own after this), the column nullable, the trigger.
    pub(super) fn contract_down_statements(&self) -> String {
        // The default stays the models' (the expand set it, the contract kept it).
        let mut out = self.check_and_trigger();
        out.push_str(&format!(
            "  ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL;\n",
            self.table.quoted(),
            quote_ident(self.column())
        ));
        out
    }

    /// The function and the trigger that give a NULL the fill value (none without one). A
    /// `WHEN` clause keeps the function off every write that is not NULL there; it only sets
    /// `NEW`, so nothing recurses.
    fn trigger_statements(&self) -> Vec<String> {
        let Some(fill) = &self.fill else {
            return Vec::new();
        };
        let target = format!("NEW.{}", quote_ident(self.column()));
        // An expression reading the row reads it from `NEW`, under the table's name so that
        // a qualified reference still resolves.
        let assign = if self.fill_reads_row {
            format!(
                "SELECT {fill} INTO {target} FROM (SELECT NEW.*) AS {}",
                quote_ident(&self.table.name)
            )
        } else {
            format!("{target} := {fill}")
        };
        let function = QualifiedName::new(self.table.schema.clone(), self.trigger()).quoted();
        let trigger = quote_ident(&self.trigger());
        let table = self.table.quoted();
        vec![
            format!(
                "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $fill$\n\
                 BEGIN\n\
                 \x20 -- a NULL from the application version that does not know the column is NOT NULL\n\
                 \x20 {assign};\n\
                 \x20 RETURN NEW;\n\
                 END\n$fill$"
            ),
            format!("DROP TRIGGER IF EXISTS {trigger} ON {table}"),
            format!(
                "CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW \
                 WHEN ({target} IS NULL) EXECUTE FUNCTION {function}()"
            ),
        ]
    }

    fn drop_trigger(&self) -> Vec<String> {
        if self.fill.is_none() {
            return Vec::new();
        }
        let function = QualifiedName::new(self.table.schema.clone(), self.trigger()).quoted();
        vec![
            format!(
                "DROP TRIGGER IF EXISTS {} ON {}",
                quote_ident(&self.trigger()),
                self.table.quoted()
            ),
            format!("DROP FUNCTION IF EXISTS {function}()"),
        ]
    }

    fn drop_check(&self) -> String {
        format!(
            "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
            self.table.quoted(),
            quote_ident(&self.check())
        )
    }
}

/// `SET DEFAULT` / `DROP DEFAULT` from `from`'s default to `to`'s, when they differ.
fn set_default(table: &QualifiedName, column: &str, from: &Column, to: &Column) -> Option<String> {
    if from.default == to.default {
        return None;
    }
    let change = match &to.default {
        Some(default) => format!("SET DEFAULT {default}"),
        None => "DROP DEFAULT".to_owned(),
    };
    Some(format!(
        "ALTER TABLE {} ALTER COLUMN {} {change}",
        table.quoted(),
        quote_ident(column)
    ))
}
