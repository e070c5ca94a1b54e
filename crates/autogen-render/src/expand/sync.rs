//! The SQL that keeps the old and the new column in step while both exist: the trigger
//! function, the predicate of a row out of step, and the batched backfill.

use autogen_schema::{Dialect, QualifiedName, quote_ident, quote_literal};

use super::ColumnChange as Expansion;

/// Heap blocks per backfill transaction. A block holds at most 291 tuples (8 kB pages), so a
/// transaction updates at most 18,624 rows and holds their row locks for one batch only; the
/// ranges are read by a TID range scan (PostgreSQL 14+), so each batch reads only its blocks.
pub(super) const BATCH_BLOCKS: u32 = 64;

/// Which column a backfill fills from the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fill {
    /// The new column from the old one (the expand).
    New,
    /// The old column from the new one (the contract's down, back to the expanded state).
    Old,
}

/// The value of the old column as the new one's type (`x` is an expression).
pub(super) fn to_new(e: &Expansion, x: &str) -> String {
    if e.old.ty == e.new.ty {
        x.to_owned()
    } else {
        format!("CAST({x} AS {})", e.new.ty.sql(Dialect::Postgres))
    }
}

/// The value of the new column as the old one's type.
pub(super) fn to_old(e: &Expansion, x: &str) -> String {
    if e.old.ty == e.new.ty {
        x.to_owned()
    } else {
        format!("CAST({x} AS {})", e.old.ty.sql(Dialect::Postgres))
    }
}

/// The function named after the trigger, in the table's schema.
pub(super) fn function(e: &Expansion) -> String {
    QualifiedName::new(e.table.schema.clone(), e.trigger()).quoted()
}

/// A row whose columns disagree (`prefix`: `NEW.` inside the trigger, empty in a query):
/// neither is the other cast. A row written through the new column whose value the old type
/// rounds is in step (the old column holds the rounded value, which reads back as such).
pub(super) fn out_of_step(e: &Expansion, prefix: &str) -> String {
    let old = format!("{prefix}{}", quote_ident(&e.old.name));
    let new = format!("{prefix}{}", quote_ident(&e.during()));
    format!(
        "{new} IS DISTINCT FROM {} AND {old} IS DISTINCT FROM {}",
        to_new(e, &old),
        to_old(e, &new)
    )
}

/// `CREATE OR REPLACE FUNCTION` and the trigger (dropped first, so the file can run again).
/// A BEFORE trigger only sets `NEW`: it issues no statement, so nothing recurses.
pub(super) fn trigger_statements(e: &Expansion) -> Vec<String> {
    let o = |p: &str| format!("{p}.{}", quote_ident(&e.old.name));
    let n = |p: &str| format!("{p}.{}", quote_ident(&e.during()));
    let body = format!(
        "BEGIN\n\
        \x20 IF TG_OP = 'INSERT' THEN\n\
        \x20   -- the old application writes only the old column, the new one only the new\n\
        \x20   IF {nn} IS NULL THEN\n\
        \x20     {nn} := {new_of_old};\n\
        \x20   ELSIF {on} IS DISTINCT FROM {old_of_new} THEN\n\
        \x20     {on} := {old_of_new};\n\
        \x20   END IF;\n\
        \x20 ELSIF {on} IS DISTINCT FROM {oo} AND {nn} IS NOT DISTINCT FROM {no} THEN\n\
        \x20   IF {on} IS DISTINCT FROM {old_of_new} THEN\n\
        \x20     {nn} := {new_of_old};\n\
        \x20   END IF;\n\
        \x20 ELSIF {nn} IS DISTINCT FROM {no} AND {on} IS NOT DISTINCT FROM {oo} THEN\n\
        \x20   IF {nn} IS DISTINCT FROM {new_of_old} THEN\n\
        \x20     {on} := {old_of_new};\n\
        \x20   END IF;\n\
        \x20 ELSIF {nn} IS NULL AND {on} IS NOT NULL THEN\n\
        \x20   -- a row the backfill has not reached, updated elsewhere (it may move past it)\n\
        \x20   {nn} := {new_of_old};\n\
        \x20 ELSIF {on} IS NULL AND {nn} IS NOT NULL THEN\n\
        \x20   {on} := {old_of_new};\n\
        \x20 END IF;\n\
        \x20 RETURN NEW;\n\
        END",
        nn = n("NEW"),
        on = o("NEW"),
        no = n("OLD"),
        oo = o("OLD"),
        new_of_old = to_new(e, &o("NEW")),
        old_of_new = to_old(e, &n("NEW")),
    );
    let function = function(e);
    let trigger = quote_ident(&e.trigger());
    let table = e.table.quoted();
    vec![
        format!(
            "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $sync$\n{body}\n$sync$"
        ),
        format!("DROP TRIGGER IF EXISTS {trigger} ON {table}"),
        format!(
            "CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        ),
    ]
}

/// `DROP TRIGGER` and `DROP FUNCTION`.
pub(super) fn drop_trigger(e: &Expansion) -> Vec<String> {
    vec![
        format!(
            "DROP TRIGGER IF EXISTS {} ON {}",
            quote_ident(&e.trigger()),
            e.table.quoted()
        ),
        format!("DROP FUNCTION IF EXISTS {}()", function(e)),
    ]
}

/// The PL/pgSQL loop that fills one column from the other, `BATCH_BLOCKS` heap blocks per
/// transaction, over the blocks the table has when it starts: rows written later pass the
/// trigger and are in step already. Rows already in step are skipped, so running it again
/// after an interruption only does what is left. Needs the `DO` block's variables `blocks`,
/// `first`, `lo`, `hi`.
pub(super) fn backfill(e: &Expansion, fill: Fill, settings: &str) -> String {
    let (target, value) = match fill {
        Fill::New => (
            quote_ident(&e.during()),
            to_new(e, &quote_ident(&e.old.name)),
        ),
        Fill::Old => (
            quote_ident(&e.old.name),
            to_old(e, &quote_ident(&e.during())),
        ),
    };
    batched_update(
        &e.table,
        &format!("{target} = {value}"),
        &out_of_step(e, ""),
        settings,
    )
}

/// `UPDATE <table> SET <set> WHERE <filter>`, `BATCH_BLOCKS` heap blocks per transaction, over
/// the blocks the table has when it starts (rows written later passed the expand's trigger).
/// `filter` must leave out the rows already done, so that a run after an interruption only
/// does what is left. Needs the `DO` block's variables `blocks`, `first`, `lo`, `hi`.
pub(super) fn batched_update(
    table: &QualifiedName,
    set: &str,
    filter: &str,
    settings: &str,
) -> String {
    let table = table.quoted();
    format!(
        "  blocks := pg_relation_size({regclass}::regclass) / current_setting('block_size')::bigint;\n\
        \x20 first := 0;\n\
        \x20 WHILE first < blocks LOOP\n\
        {settings}\
        \x20   lo := format('(%s,0)', first)::tid;\n\
        \x20   hi := format('(%s,0)', first + {BATCH_BLOCKS})::tid;\n\
        \x20   UPDATE {table} SET {set}\n\
        \x20     WHERE ctid >= lo AND ctid < hi AND {filter};\n\
        \x20   COMMIT;\n\
        \x20   first := first + {BATCH_BLOCKS};\n\
        \x20 END LOOP;\n",
        regclass = quote_literal(&table),
    )
}
