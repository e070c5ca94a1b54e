//! The expand pair and the contract pair.
//!
//! The expand up file and the contract down file are one `DO` block each, outside sqlx's
//! transaction (`-- no-transaction`): PL/pgSQL may `COMMIT` between the backfill's batches
//! only when the block is the only statement of its query string (sqlx sends a file as one),
//! which is why no `SET` goes beside it (`set_config(.., true)` in each transaction instead).
//! The expand down file and the contract up file take short locks only and run in sqlx's
//! transaction.

use std::collections::BTreeMap;

use autogen_schema::{Dialect, QualifiedName, Schema, Table, quote_ident, quote_literal};

use super::sync::{Fill, backfill, drop_trigger, trigger_statements};
use super::table_rename;
use super::{CONTRACT_PREFIX, ColumnChange, Expansion, NotNull, view_schema};
use crate::comment::{base_line, comment_lines};
use crate::{LowerOptions, MigrationText};

/// The expand pair for `expansions` of `current` (the schema before it), to be written as
/// migration `version`.
pub fn expand_text(
    expansions: &[Expansion],
    current: &Schema,
    message: &str,
    base: Option<i64>,
    version: i64,
    options: &LowerOptions,
) -> MigrationText {
    if let [Expansion::TableRename(r)] = expansions {
        return table_rename::expand_text(r, message, base, options);
    }
    let (columns, not_nulls) = split(expansions);
    let views = views(&columns, current, version);
    let mut up = String::from("-- no-transaction\n");
    up.push_str(&header(message, "expand", "up; phase 1 of 2, expand", base));
    for e in expansions {
        up.push_str(&format!(
            "-- autogen: expand of {} (contract pending)\n",
            what(e)
        ));
        up.push_str(&e.record());
    }
    up.push_str(&expand_explanation(&columns, &not_nulls, version));
    up.push_str(DO_BLOCK);
    let settings = block_settings(options, "  ");
    for e in &columns {
        up.push_str(&settings);
        up.push_str(&if_column_missing(e, &e.during(), &add_during(e)));
        for s in trigger_statements(e) {
            up.push_str(&format!("  {};\n", indent(&s)));
        }
        up.push_str("  COMMIT;\n");
    }
    for n in &not_nulls {
        up.push_str(&settings);
        up.push_str(&n.expand_statements());
        up.push_str("  COMMIT;\n");
    }
    if !views.is_empty() {
        up.push_str(&settings);
        for s in &views {
            up.push_str(&format!("  {s};\n"));
        }
        up.push_str("  COMMIT;\n");
    }
    let loop_settings = block_settings(options, "    ");
    for e in &columns {
        up.push_str(&backfill(e, Fill::New, &loop_settings));
        if !e.new.nullable {
            up.push_str(&settings);
            up.push_str(&format!(
                "  ALTER TABLE {} VALIDATE CONSTRAINT {};\n  COMMIT;\n",
                e.table.quoted(),
                quote_ident(&e.not_null_check(&e.during()))
            ));
        }
    }
    for n in &not_nulls {
        up.push_str(&n.backfill(&loop_settings));
        up.push_str(&settings);
        up.push_str(&format!("  {};\n  COMMIT;\n", n.validate()));
    }
    up.push_str("END\n$autogen$;\n");

    let mut down = header(message, "expand", "down: reverts phase 1, the expand", base);
    down.push_str(
        "--\n-- Drops what the expand added: new column(s) (the old one was kept in step with every\n\
         -- write, so nothing the new application wrote is lost), trigger(s), view(s), NOT NULL\n\
         -- check(s) (the NULLs the backfill filled keep their value). Deploy the application\n\
         -- version that the expand was made for first.\n\n",
    );
    down.push_str(&transaction_settings(options));
    let mut statements = drop_views(&columns, version);
    for e in columns.iter().rev() {
        statements.extend(drop_trigger(e));
        statements.push(format!(
            "ALTER TABLE {} DROP COLUMN IF EXISTS {}",
            e.table.quoted(),
            quote_ident(&e.during())
        ));
    }
    for n in not_nulls.iter().rev() {
        statements.extend(n.expand_down());
    }
    push_statements(&mut down, &statements);
    MigrationText { up, down }
}

const DO_BLOCK: &str =
    "\nDO $autogen$\nDECLARE\n  blocks bigint;\n  first bigint;\n  lo tid;\n  hi tid;\nBEGIN\n";

/// The column changes and the NOT NULLs (a table rename is alone in its expand).
fn split(expansions: &[Expansion]) -> (Vec<ColumnChange>, Vec<NotNull>) {
    let mut columns = Vec::new();
    let mut not_nulls = Vec::new();
    for e in expansions {
        match e {
            Expansion::Column(c) => columns.push(c.clone()),
            Expansion::NotNull(n) => not_nulls.push(n.clone()),
            Expansion::TableRename(_) => {}
        }
    }
    (columns, not_nulls)
}

/// The first lines of each file: the message with its phase, which file it is, the base.
pub(super) fn header(message: &str, phase: &str, which: &str, base: Option<i64>) -> String {
    let mut out = comment_lines(&format!("{message} ({phase})"));
    out.push_str(&format!("-- ({which}; generated by autogen)\n"));
    out.push_str(&base_line(base));
    out
}

/// The contract pair closing the expand migration `expand_version`, on `current` (the
/// expanded schema).
pub fn contract_text(
    expansions: &[Expansion],
    current: &Schema,
    message: &str,
    base: Option<i64>,
    expand_version: i64,
    options: &LowerOptions,
) -> MigrationText {
    if let [Expansion::TableRename(r)] = expansions {
        return table_rename::contract_text(r, message, base, expand_version, options);
    }
    let (columns, not_nulls) = split(expansions);
    let mut up = header(message, "contract", "up; phase 2 of 2, contract", base);
    up.push_str(&format!("{CONTRACT_PREFIX}{expand_version}\n"));
    up.push_str(
        "--\n-- Phase 2 of 2: contract. Apply it only once no instance of the application version\n\
         -- the expand was made for is running. Drops the trigger(s) and the old column(s); a\n\
         -- type-changed column takes its final name; NOT NULL is set from the check the expand\n\
         -- validated (no scan) and the check dropped. Short ACCESS EXCLUSIVE locks, no scan.\n",
    );
    for e in expansions {
        up.push_str(&format!("-- contract of {}\n", what(e)));
    }
    up.push('\n');
    up.push_str(&transaction_settings(options));
    let mut statements = drop_views(&columns, expand_version);
    for e in &columns {
        statements.extend(contract_column(e));
    }
    for n in &not_nulls {
        statements.extend(n.contract_up());
    }
    push_statements(&mut up, &statements);

    let mut down = String::from("-- no-transaction\n");
    down.push_str(&header(
        message,
        "contract",
        "down: reverts phase 2, back to the expanded state",
        base,
    ));
    down.push_str(&format!("{CONTRACT_PREFIX}{expand_version}\n"));
    down.push_str(
        "--\n-- Adds the old column(s) back with the trigger(s) and fills them from the new one(s)\n\
         -- in batches, as the expand did the other way; a NOT NULL column becomes nullable with\n\
         -- its check and trigger again: the application version the expand was made for can be\n\
         -- deployed again afterwards. One DO block outside sqlx's transaction, committing each\n\
         -- batch; if it fails, run it again: it goes on where it stopped.\n",
    );
    down.push_str(DO_BLOCK);
    let settings = block_settings(options, "  ");
    for e in &columns {
        down.push_str(&settings);
        // Undone already (an interrupted run): the old column back, or for a type change
        // the new one back under its expand name.
        let restored = if e.renamed_at_contract() {
            e.during()
        } else {
            e.old.name.clone()
        };
        down.push_str(&if_column_missing(e, &restored, &restore_old(e)));
        for s in trigger_statements(e) {
            down.push_str(&format!("  {};\n", indent(&s)));
        }
        down.push_str("  COMMIT;\n");
    }
    for n in &not_nulls {
        down.push_str(&settings);
        down.push_str(&n.contract_down_statements());
        down.push_str("  COMMIT;\n");
    }
    let expanded = before_expand(current, &columns);
    let views = views(&columns, &expanded, expand_version);
    if !views.is_empty() {
        down.push_str(&settings);
        for s in &views {
            down.push_str(&format!("  {s};\n"));
        }
        down.push_str("  COMMIT;\n");
    }
    let loop_settings = block_settings(options, "    ");
    for e in &columns {
        let table = e.table.quoted();
        down.push_str(&backfill(e, Fill::Old, &loop_settings));
        if !e.old.nullable {
            let check = quote_ident(&e.not_null_check(&e.old.name));
            let old = quote_ident(&e.old.name);
            down.push_str(&settings);
            down.push_str(&format!(
                "  ALTER TABLE {table} VALIDATE CONSTRAINT {check};\n  COMMIT;\n"
            ));
            down.push_str(&settings);
            down.push_str(&format!(
                "  ALTER TABLE {table} ALTER COLUMN {old} SET NOT NULL;\n\
                 \x20 ALTER TABLE {table} DROP CONSTRAINT {check};\n  COMMIT;\n"
            ));
        }
        if !e.new.nullable {
            down.push_str(&settings);
            down.push_str(&format!(
                "  ALTER TABLE {table} VALIDATE CONSTRAINT {};\n  COMMIT;\n",
                quote_ident(&e.not_null_check(&e.during()))
            ));
        }
    }
    for n in &not_nulls {
        down.push_str(&settings);
        down.push_str(&format!("  {};\n  COMMIT;\n", n.validate()));
    }
    down.push_str("END\n$autogen$;\n");
    MigrationText { up, down }
}

/// The contract of one column change: the trigger and the old column dropped, the new one
/// under its final name with its default, NOT NULL and comment.
fn contract_column(e: &ColumnChange) -> Vec<String> {
    let table = e.table.quoted();
    let name = quote_ident(&e.new.name);
    let mut statements = drop_trigger(e);
    statements.push(format!(
        "ALTER TABLE {table} DROP COLUMN {}",
        quote_ident(&e.old.name)
    ));
    if e.renamed_at_contract() {
        statements.push(format!(
            "ALTER TABLE {table} RENAME COLUMN {} TO {name}",
            quote_ident(&e.during())
        ));
    }
    if let Some(default) = &e.new.default {
        statements.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT {default}"
        ));
    }
    if !e.new.nullable {
        statements.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL"
        ));
    }
    // The check of the expanded state, whatever nullability the models want now.
    statements.push(format!(
        "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {}",
        quote_ident(&e.not_null_check(&e.during()))
    ));
    if let Some(comment) = &e.new.comment {
        statements.push(format!(
            "COMMENT ON COLUMN {table}.{name} IS {}",
            quote_literal(comment)
        ));
    }
    statements
}

/// The expansion as the header names it.
fn what(e: &Expansion) -> String {
    match e {
        Expansion::Column(c) => format!("{}.{} to {}", c.table, c.old.name, what_new(c)),
        Expansion::NotNull(n) => format!(
            "{}.{} to NOT NULL ({})",
            n.table,
            n.column(),
            n.fill.as_deref().map_or_else(
                || "no fill value: no NULL may be written".to_owned(),
                |f| format!("NULLs filled with {f}")
            )
        ),
        Expansion::TableRename(r) => format!("{} to {}", r.from, r.to),
    }
}

/// The new column as the header names it.
fn what_new(e: &ColumnChange) -> String {
    let ty = e.new.ty.sql(Dialect::Postgres);
    if e.renamed_at_contract() {
        format!("{} {ty} (as {} until the contract)", e.new.name, e.during())
    } else if e.retyped() {
        format!("{} {ty}", e.new.name)
    } else {
        e.new.name.clone()
    }
}

fn expand_explanation(columns: &[ColumnChange], not_nulls: &[NotNull], version: i64) -> String {
    let mut out = String::from("--\n-- Phase 1 of 2: expand.");
    if !columns.is_empty() {
        out.push_str(
            " Adds the new column(s) beside the old one(s), a trigger that\n\
             -- keeps both in step for writes from either application version, and fills the new\n\
             -- column(s) from the old in batches (one transaction per batch: no long lock, and the\n\
             -- batches' row locks are held for one batch only); NOT NULL becomes a check added NOT\n\
             -- VALID and validated after the backfill (reads and writes continue).",
        );
    }
    if !not_nulls.is_empty() {
        out.push_str(
            "\n-- A column becoming NOT NULL gets a check (col IS NOT NULL) added NOT VALID (new\n\
             -- writes are checked, existing rows are not), a trigger that gives a NULL written by\n\
             -- the old application version the fill value, its existing NULLs filled in batches,\n\
             -- and the check validated without blocking writes. The rows filled keep their value\n\
             -- when reverted.",
        );
    }
    out.push_str("\n--\n-- Then: deploy the application version the expand was made for");
    if columns.iter().any(ColumnChange::renamed_at_contract) {
        out.push_str(&format!(
            ",\n-- connecting with search_path = {}, public: its views show a type-changed\n\
             -- column under its final name until the contract renames it",
            view_schema(version)
        ));
    }
    out.push_str(
        ".\n-- Once no instance of the old version runs, `autogen contract` writes phase 2 (it\n\
         -- refuses while rows are out of step).\n\
         --\n-- One DO block outside sqlx's transaction, committing as it goes: if it fails, run it\n\
         -- again, it goes on where it stopped.\n",
    );
    out
}

/// `PERFORM set_config(..)` lines for the settings of one transaction inside the `DO` block.
fn block_settings(options: &LowerOptions, indent: &str) -> String {
    settings(options)
        .map(|(name, value)| {
            format!(
                "{indent}PERFORM set_config({}, {}, true);\n",
                quote_literal(name),
                quote_literal(value)
            )
        })
        .collect()
}

pub(super) fn transaction_settings(options: &LowerOptions) -> String {
    let mut out: String = settings(options)
        .map(|(name, value)| format!("SET LOCAL {name} = {};\n", quote_literal(value)))
        .collect();
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn settings(options: &LowerOptions) -> impl Iterator<Item = (&'static str, &String)> {
    [
        ("lock_timeout", &options.lock_timeout),
        ("statement_timeout", &options.statement_timeout),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name, v)))
}

pub(super) fn push_statements(out: &mut String, statements: &[String]) {
    for s in statements {
        out.push_str(s);
        out.push_str(";\n");
    }
}

/// Continuation lines of a statement, indented inside the `DO` block.
fn indent(statement: &str) -> String {
    statement.replace('\n', "\n  ")
}

/// `statements` run only when `column` is not in the table yet, so that the block can run
/// again after an interruption.
fn if_column_missing(e: &ColumnChange, column: &str, statements: &[String]) -> String {
    let mut out = format!(
        "  IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = {}::regclass\n\
         \x20   AND attname = {} AND NOT attisdropped) THEN\n",
        quote_literal(&e.table.quoted()),
        quote_literal(column)
    );
    for s in statements {
        out.push_str(&format!("    {s};\n"));
    }
    out.push_str("  END IF;\n");
    out
}

/// The new column while both exist: nullable and without a default (the trigger fills it
/// from the old column's value, default included), NOT NULL as a check added NOT VALID.
fn add_during(e: &ColumnChange) -> Vec<String> {
    let table = e.table.quoted();
    let during = quote_ident(&e.during());
    let mut out = vec![format!(
        "ALTER TABLE {table} ADD COLUMN {during} {}",
        type_sql(&e.new)
    )];
    if !e.new.nullable {
        out.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({during} IS NOT NULL) NOT VALID",
            quote_ident(&e.not_null_check(&e.during()))
        ));
    }
    out
}

/// The contract undone for one column: the new one back under its expand name, nullable with
/// its check, without default; the old one added back (its default set after, so adding it
/// rewrites nothing), NOT NULL as a check until the backfill has filled it.
fn restore_old(e: &ColumnChange) -> Vec<String> {
    let table = e.table.quoted();
    let name = quote_ident(&e.new.name);
    let during = quote_ident(&e.during());
    let old = quote_ident(&e.old.name);
    let mut out = Vec::new();
    if !e.new.nullable {
        out.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({name} IS NOT NULL) NOT VALID",
            quote_ident(&e.not_null_check(&e.during()))
        ));
        out.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} DROP NOT NULL"
        ));
    }
    if e.new.default.is_some() {
        out.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {name} DROP DEFAULT"
        ));
    }
    if e.new.comment.is_some() {
        out.push(format!("COMMENT ON COLUMN {table}.{name} IS NULL"));
    }
    if e.renamed_at_contract() {
        out.push(format!(
            "ALTER TABLE {table} RENAME COLUMN {name} TO {during}"
        ));
    }
    out.push(format!(
        "ALTER TABLE {table} ADD COLUMN {old} {}",
        type_sql(&e.old)
    ));
    if let Some(default) = &e.old.default {
        out.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {old} SET DEFAULT {default}"
        ));
    }
    if let Some(comment) = &e.old.comment {
        out.push(format!(
            "COMMENT ON COLUMN {table}.{old} IS {}",
            quote_literal(comment)
        ));
    }
    if !e.old.nullable {
        out.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {} CHECK ({old} IS NOT NULL) NOT VALID",
            quote_ident(&e.not_null_check(&e.old.name))
        ));
    }
    out
}

fn type_sql(column: &autogen_schema::Column) -> String {
    let mut out = column.ty.sql(Dialect::Postgres);
    if let Some(collation) = &column.collation {
        out.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    out
}

/// The tables that get a view (those with a type-changed column), with their view's columns:
/// the table as the new application sees it, from `before` (the schema before the expand).
fn view_tables(
    expansions: &[ColumnChange],
    before: &Schema,
) -> BTreeMap<QualifiedName, Vec<String>> {
    let mut out = BTreeMap::new();
    for e in expansions.iter().filter(|e| e.renamed_at_contract()) {
        let Some(table) = table(before, &e.table) else {
            continue;
        };
        out.entry(e.table.clone())
            .or_insert_with(|| view_columns(table, expansions, &e.table));
    }
    out
}

fn view_columns(table: &Table, expansions: &[ColumnChange], name: &QualifiedName) -> Vec<String> {
    table
        .columns
        .iter()
        .map(|c| {
            match expansions
                .iter()
                .find(|e| &e.table == name && e.old.name == c.name)
            {
                Some(e) if e.renamed_at_contract() => format!(
                    "{} AS {}",
                    quote_ident(&e.during()),
                    quote_ident(&e.new.name)
                ),
                Some(e) => quote_ident(&e.new.name),
                None => quote_ident(&c.name),
            }
        })
        .collect()
}

/// `CREATE SCHEMA` and one simple (automatically updatable) view per table with a
/// type-changed column: writes through it reach the table and its trigger.
fn views(expansions: &[ColumnChange], before: &Schema, version: i64) -> Vec<String> {
    let tables = view_tables(expansions, before);
    if tables.is_empty() {
        return Vec::new();
    }
    let schema = quote_ident(&view_schema(version));
    let mut out = vec![format!("CREATE SCHEMA IF NOT EXISTS {schema}")];
    for (name, columns) in tables {
        out.push(format!(
            "CREATE OR REPLACE VIEW {schema}.{} AS SELECT {} FROM {}",
            quote_ident(&name.name),
            columns.join(", "),
            name.quoted()
        ));
    }
    out
}

fn drop_views(expansions: &[ColumnChange], version: i64) -> Vec<String> {
    if !expansions.iter().any(ColumnChange::renamed_at_contract) {
        return Vec::new();
    }
    let schema = quote_ident(&view_schema(version));
    let mut out: Vec<String> = expansions
        .iter()
        .filter(|e| e.renamed_at_contract())
        .map(|e| {
            format!(
                "DROP VIEW IF EXISTS {schema}.{}",
                quote_ident(&e.table.name)
            )
        })
        .collect();
    out.dedup();
    out.push(format!("DROP SCHEMA IF EXISTS {schema}"));
    out
}

fn table<'a>(schema: &'a Schema, name: &QualifiedName) -> Option<&'a Table> {
    schema.schemas.get(&name.schema)?.tables.get(&name.name)
}

/// The expanded (or contracted) schema without the columns the expand adds: its tables as
/// they were before it, for the views.
fn before_expand(current: &Schema, expansions: &[ColumnChange]) -> Schema {
    let mut out = current.clone();
    for e in expansions {
        if let Some(t) = out
            .schemas
            .get_mut(&e.table.schema)
            .and_then(|ns| ns.tables.get_mut(&e.table.name))
        {
            t.columns.retain(|c| c.name != e.during());
            if !t.columns.iter().any(|c| c.name == e.old.name) {
                t.columns.push(e.old.clone());
            }
        }
    }
    out
}
