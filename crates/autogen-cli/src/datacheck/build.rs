//! The queries, built from the plan, its steps and both schemas; no database, no IO.
//!
//! Each check is one `SELECT` over the table that returns the rows a change would fail on: the
//! first column is their count (`count(*) OVER ()`, computed before the `LIMIT`), the others
//! up to five of them, each shown column cast to text. Identifiers are quoted with
//! `autogen_schema`'s helpers; expressions (CHECK, index keys and predicates) come from the
//! desired schema, which holds them as the server spelled them after the single-expression
//! guard, never from the model text.

use autogen_diff::{Change, HazardKind, Plan, fills_nulls};
use autogen_render::Steps;
use autogen_schema::ddl::mysql::quote_mysql_ident;
use autogen_schema::{
    ColumnType, Dialect, IndexTarget, QualifiedName, Schema, Table, quote_ident, quote_literal,
};

/// How many failing rows a report shows.
pub const EXAMPLES: usize = 5;

/// One query: the rows of `table` on which `what` would fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCheck {
    /// The change (index into the plan) it checks.
    pub change: usize,
    pub table: QualifiedName,
    /// What the change does, as the report says it (`adds unique constraint t_email_key`).
    pub what: String,
    /// The names of the example columns, after the count.
    pub shown: Vec<String>,
    pub sql: String,
}

/// A change that could fail on rows but that no query here can judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    pub table: QualifiedName,
    pub what: String,
    pub reason: String,
}

/// The checks of a plan, and what is left unchecked.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Checks {
    pub checks: Vec<DataCheck>,
    pub unchecked: Vec<Unchecked>,
}

/// The checks for every change of `plan` whose step says it may fail on existing rows or
/// narrows a type or enum (`DataLoss` on a retyped column or a rebuilt enum).
pub fn data_checks(plan: &Plan, steps: &Steps, current: &Schema, desired: &Schema) -> Checks {
    let mut judged: Vec<usize> = steps
        .hazards()
        .filter(|(index, hazard)| match hazard.kind {
            HazardKind::MayFailOnExistingRows => true,
            HazardKind::DataLoss => {
                matches!(
                    plan.changes.get(*index),
                    Some(Change::AlterColumn { from, to, .. }) if from.ty != to.ty
                ) || matches!(plan.changes.get(*index), Some(Change::RebuildEnum { .. }))
            }
            HazardKind::LocksTable | HazardKind::Irreversible => false,
        })
        .map(|(index, _)| *index)
        .collect();
    judged.sort_unstable();
    judged.dedup();
    let builder = Builder {
        dialect: steps.dialect,
        current,
        desired,
    };
    let mut out = Checks::default();
    for index in judged {
        if let Some(change) = plan.changes.get(index) {
            builder.change(index, change, plan, &mut out);
        }
    }
    out
}

struct Builder<'a> {
    dialect: Dialect,
    current: &'a Schema,
    desired: &'a Schema,
}

/// The rows of one table selected by a condition, or by a duplicate count over keys.
enum Violation {
    Where(String),
    Duplicates {
        keys: Vec<(String, String)>,
        filter: Vec<String>,
    },
}

impl Builder<'_> {
    fn ident(&self, name: &str) -> String {
        match self.dialect {
            Dialect::MySql => quote_mysql_ident(name),
            Dialect::Postgres | Dialect::Sqlite => quote_ident(name),
        }
    }

    fn table_sql(&self, name: &QualifiedName) -> String {
        match self.dialect {
            Dialect::Postgres => name.quoted(),
            // SQLite and MySQL: the namespace is `main`, the connection's own database.
            Dialect::MySql | Dialect::Sqlite => self.ident(&name.name),
        }
    }

    fn text(&self, expr: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!("CAST({expr} AS text)"),
            Dialect::Sqlite => format!("CAST({expr} AS TEXT)"),
            Dialect::MySql => format!("CAST({expr} AS CHAR)"),
        }
    }

    fn live_table(&self, name: &QualifiedName) -> Option<&Table> {
        self.current
            .schemas
            .get(&name.schema)
            .and_then(|n| n.tables.get(&name.name))
    }

    fn desired_table(&self, name: &QualifiedName) -> Option<&Table> {
        self.desired
            .schemas
            .get(&name.schema)
            .and_then(|n| n.tables.get(&name.name))
    }

    /// The key columns an example row shows: the live primary key, then `extra`.
    fn shown(&self, table: &QualifiedName, extra: &[String]) -> Vec<String> {
        let mut shown: Vec<String> = self
            .live_table(table)
            .and_then(|t| t.primary_key.as_ref())
            .map(|k| k.columns.clone())
            .unwrap_or_default();
        for column in extra {
            if !shown.contains(column) {
                shown.push(column.clone());
            }
        }
        shown
    }

    /// A key over columns the same plan adds (the live table lacks them) cannot be counted on
    /// the live rows: a query would fail on the server. Lists it as not checked, saying why,
    /// and gives true then.
    fn skips_added(
        &self,
        table: &QualifiedName,
        columns: &[String],
        what: &str,
        out: &mut Checks,
    ) -> bool {
        let Some(live) = self.live_table(table) else {
            return false;
        };
        let added: Vec<String> = columns
            .iter()
            .filter(|c| !live.columns.iter().any(|l| &l.name == *c))
            .map(|c| format!("column {c}"))
            .collect();
        if added.is_empty() {
            return false;
        }
        out.unchecked.push(Unchecked {
            table: table.clone(),
            what: what.to_owned(),
            reason: format!(
                "{} added by this migration (the rows hold its default or backfill)",
                added.join(", ")
            ),
        });
        true
    }

    fn change(&self, index: usize, change: &Change, plan: &Plan, out: &mut Checks) {
        let created = autogen_diff::created_tables(&plan.changes);
        match change {
            Change::AlterColumn {
                table,
                from,
                to,
                backfill,
            } => {
                if from.nullable && !to.nullable && !fills_nulls(from, to, backfill.as_deref()) {
                    let column = self.ident(&from.name);
                    out.checks.push(self.query(
                        index,
                        table,
                        format!("sets {}.{} NOT NULL", table.name, from.name),
                        &self.shown(table, &[]),
                        Violation::Where(format!("{column} IS NULL")),
                    ));
                }
                if from.ty != to.ty {
                    let what = format!(
                        "changes {}.{} from {} to {}",
                        table.name,
                        from.name,
                        from.ty.sql(self.dialect),
                        to.ty.sql(self.dialect)
                    );
                    match self.cast_fails(&from.name, &from.ty, &to.ty) {
                        Some(condition) => out.checks.push(self.query(
                            index,
                            table,
                            what,
                            &self.shown(table, std::slice::from_ref(&from.name)),
                            Violation::Where(condition),
                        )),
                        None => out.unchecked.push(Unchecked {
                            table: table.clone(),
                            what,
                            reason: "no data check for this cast".into(),
                        }),
                    }
                }
            }
            Change::AddColumn { table, column } => out.checks.push(self.query(
                index,
                table,
                format!(
                    "adds NOT NULL column {}.{} without a default",
                    table.name, column.name
                ),
                &self.shown(table, &[]),
                Violation::Where("1 = 1".into()),
            )),
            Change::AddPrimaryKey { table, key } => {
                let nulls: Vec<String> = key
                    .columns
                    .iter()
                    .map(|c| format!("{} IS NULL", self.ident(c)))
                    .collect();
                let what = format!("adds primary key {}", key.name);
                if self.skips_added(table, &key.columns, &what, out) {
                    return;
                }
                out.checks.push(self.query(
                    index,
                    table,
                    format!("{what} (NULL keys)"),
                    &self.shown(table, &key.columns),
                    Violation::Where(nulls.join(" OR ")),
                ));
                out.checks.push(self.query(
                    index,
                    table,
                    format!("{what} (duplicate keys)"),
                    &self.shown(table, &key.columns),
                    self.duplicates(&key.columns, false, None),
                ));
            }
            Change::AddUnique { table, constraint } => {
                let what = format!("adds unique constraint {}", constraint.name);
                if self.skips_added(table, &constraint.columns, &what, out) {
                    return;
                }
                out.checks.push(self.query(
                    index,
                    table,
                    what,
                    &self.shown(table, &constraint.columns),
                    self.duplicates(&constraint.columns, constraint.nulls_not_distinct, None),
                ));
            }
            Change::CreateIndex { table, index: def } => {
                let what = format!("creates unique index {}", def.name);
                // The desired schema's index: its expressions as the server spelled them.
                let def = self
                    .desired_table(table)
                    .and_then(|t| t.indexes.get(&def.name))
                    .unwrap_or(def);
                if def.keys.iter().any(|k| k.length.is_some()) {
                    out.unchecked.push(Unchecked {
                        table: table.clone(),
                        what,
                        reason: "prefix-length keys are not checked".into(),
                    });
                    return;
                }
                let mut keys = Vec::new();
                let mut plain = Vec::new();
                for (n, key) in def.keys.iter().enumerate() {
                    match &key.target {
                        IndexTarget::Column(column) => {
                            plain.push(column.clone());
                            keys.push((self.ident(column), column.clone()));
                        }
                        IndexTarget::Expression(expr) => {
                            keys.push((format!("({expr})"), format!("key{}", n + 1)));
                        }
                    }
                }
                if self.skips_added(table, &plain, &what, out) {
                    return;
                }
                let violation = Violation::Duplicates {
                    filter: self.not_null_filter(
                        &keys,
                        def.nulls_not_distinct,
                        def.predicate.as_deref(),
                    ),
                    keys,
                };
                out.checks.push(self.query(
                    index,
                    table,
                    what,
                    &self.shown(table, &plain),
                    violation,
                ));
            }
            Change::AddCheck { table, constraint } => {
                let what = format!("adds check {}", constraint.name);
                let desired = self
                    .desired_table(table)
                    .and_then(|t| t.checks.get(&constraint.name));
                match desired {
                    Some(check) => out.checks.push(self.query(
                        index,
                        table,
                        what,
                        &self.shown(table, &[]),
                        Violation::Where(format!("NOT ({})", check.expression)),
                    )),
                    None => out.unchecked.push(Unchecked {
                        table: table.clone(),
                        what,
                        reason: "the check is not in the models' schema".into(),
                    }),
                }
            }
            Change::AddForeignKey { table, constraint } => {
                let what = format!(
                    "adds foreign key {} to {}",
                    constraint.name, constraint.referenced_table
                );
                if self.skips_added(table, &constraint.columns, &what, out) {
                    return;
                }
                let mut condition: Vec<String> = constraint
                    .columns
                    .iter()
                    .map(|c| format!("t.{} IS NOT NULL", self.ident(c)))
                    .collect();
                // A table the plan creates has no rows: every non-NULL reference is an orphan.
                if !created.contains(&constraint.referenced_table) {
                    let matches: Vec<String> = constraint
                        .columns
                        .iter()
                        .zip(&constraint.referenced_columns)
                        .map(|(c, r)| format!("r.{} = t.{}", self.ident(r), self.ident(c)))
                        .collect();
                    condition.push(format!(
                        "NOT EXISTS (SELECT 1 FROM {} r WHERE {})",
                        self.table_sql(&constraint.referenced_table),
                        matches.join(" AND ")
                    ));
                }
                out.checks.push(self.query(
                    index,
                    table,
                    what,
                    &self.shown(table, &constraint.columns),
                    Violation::Where(condition.join(" AND ")),
                ));
            }
            Change::RebuildEnum {
                name,
                from,
                to,
                columns,
                ..
            } => {
                let removed: Vec<&String> = from
                    .labels
                    .iter()
                    .filter(|l| !to.labels.contains(l))
                    .collect();
                if removed.is_empty() {
                    return;
                }
                let labels: Vec<String> = removed.iter().map(|l| quote_literal(l)).collect();
                for used in columns {
                    let column = self.ident(&used.column.name);
                    let condition = if matches!(used.column.ty, ColumnType::Array { .. }) {
                        format!(
                            "CAST({column} AS text[]) && ARRAY[{}]::text[]",
                            labels.join(", ")
                        )
                    } else {
                        format!("{} IN ({})", self.text(&column), labels.join(", "))
                    };
                    out.checks.push(self.query(
                        index,
                        &used.table,
                        format!(
                            "removes {} from {name} ({}.{})",
                            labels.join(", "),
                            used.table.name,
                            used.column.name
                        ),
                        &self.shown(&used.table, std::slice::from_ref(&used.column.name)),
                        Violation::Where(condition),
                    ));
                }
            }
            Change::CreateSchema { .. }
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

    fn not_null_filter(
        &self,
        keys: &[(String, String)],
        nulls_not_distinct: bool,
        predicate: Option<&str>,
    ) -> Vec<String> {
        let mut filter: Vec<String> = if nulls_not_distinct {
            Vec::new()
        } else {
            keys.iter()
                .map(|(k, _)| format!("{k} IS NOT NULL"))
                .collect()
        };
        if let Some(predicate) = predicate {
            filter.push(format!("({predicate})"));
        }
        filter
    }

    fn duplicates(
        &self,
        columns: &[String],
        nulls_not_distinct: bool,
        predicate: Option<&str>,
    ) -> Violation {
        let keys: Vec<(String, String)> =
            columns.iter().map(|c| (self.ident(c), c.clone())).collect();
        Violation::Duplicates {
            filter: self.not_null_filter(&keys, nulls_not_distinct, predicate),
            keys,
        }
    }

    /// A condition true for the values of `column` that the new type cannot hold, for the
    /// casts where that is exact: a shorter string, a smaller integer, fewer digits.
    fn cast_fails(&self, column: &str, from: &ColumnType, to: &ColumnType) -> Option<String> {
        let c = self.ident(column);
        let length = match self.dialect {
            Dialect::Postgres | Dialect::MySql => "char_length",
            Dialect::Sqlite => "length",
        };
        let stringy = matches!(
            from,
            ColumnType::Text | ColumnType::Varchar { .. } | ColumnType::Char { .. }
        );
        let integral = |t: &ColumnType| {
            matches!(
                t,
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
            )
        };
        let numeric_source = integral(from) || matches!(from, ColumnType::Numeric { .. });
        if let ColumnType::Varchar { length: Some(n) } | ColumnType::Char { length: Some(n) } = to
            && stringy
        {
            return Some(format!("{length}({c}) > {n}"));
        }
        if !numeric_source {
            return None;
        }
        if matches!(to, ColumnType::SmallInt) {
            return Some(format!("({c} < -32768 OR {c} > 32767)"));
        }
        if matches!(to, ColumnType::Integer) {
            return Some(format!("({c} < -2147483648 OR {c} > 2147483647)"));
        }
        if let ColumnType::Numeric {
            precision: Some(p),
            scale,
        } = to
        {
            let digits = p.saturating_sub(scale.unwrap_or(0));
            return Some(format!("abs({c}) >= 1{}", "0".repeat(digits as usize)));
        }
        None
    }

    fn query(
        &self,
        change: usize,
        table: &QualifiedName,
        what: String,
        shown: &[String],
        violation: Violation,
    ) -> DataCheck {
        let from = self.table_sql(table);
        let mut columns = vec!["count(*) OVER ()".to_owned()];
        let mut names = shown.to_vec();
        columns.extend(
            shown
                .iter()
                .map(|c| self.text(&format!("t.{}", self.ident(c)))),
        );
        // The examples in the order of the columns shown (the key first): the same rows, in
        // the same order, every run.
        let by_shown: Vec<String> = shown
            .iter()
            .map(|c| format!("t.{}", self.ident(c)))
            .collect();
        let sql = match violation {
            Violation::Where(condition) => format!(
                "SELECT {} FROM {from} t WHERE {condition}{} LIMIT {EXAMPLES}",
                columns.join(", "),
                if by_shown.is_empty() {
                    String::new()
                } else {
                    format!(" ORDER BY {}", by_shown.join(", "))
                }
            ),
            Violation::Duplicates { keys, filter } => {
                let mut inner = vec!["t.*".to_owned()];
                let mut order = Vec::new();
                for (n, (key, name)) in keys.iter().enumerate() {
                    let alias = format!("autogen_k{n}");
                    inner.push(format!("{key} AS {alias}"));
                    order.push(format!("t.{alias}"));
                    if !shown.contains(name) {
                        columns.push(self.text(&format!("t.{alias}")));
                        names.push(name.clone());
                    }
                }
                order.extend(by_shown);
                let partition: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
                inner.push(format!(
                    "count(*) OVER (PARTITION BY {}) AS autogen_dups",
                    partition.join(", ")
                ));
                let filter = if filter.is_empty() {
                    String::new()
                } else {
                    format!(" WHERE {}", filter.join(" AND "))
                };
                format!(
                    "SELECT {} FROM (SELECT {} FROM {from} t{filter}) t WHERE t.autogen_dups > 1 \
                     ORDER BY {} LIMIT {EXAMPLES}",
                    columns.join(", "),
                    inner.join(", "),
                    order.join(", ")
                )
            }
        };
        DataCheck {
            change,
            table: table.clone(),
            what,
            shown: names,
            sql,
        }
    }
}
