//! The cheap pass over whole schemas: what it settles, what it leaves to the server, and the
//! merge of the server's answer.

use autogen_schema::{
    CheckConstraint, Column, ColumnType, Dialect, Index, IndexKey, IndexTarget, QualifiedName,
    Schema, Table,
};

use super::*;

fn table(default: &str, check: &str, key: &str, predicate: &str) -> Table {
    let mut table = Table::new("t");
    let mut qty = Column::new("qty", ColumnType::Integer);
    qty.default = Some(default.to_owned());
    let name = Column::new("name", ColumnType::Text);
    table.columns = vec![qty, name];
    table.checks.insert(
        "t_qty_check".to_owned(),
        CheckConstraint {
            not_valid: false,
            name: "t_qty_check".to_owned(),
            expression: check.to_owned(),
            no_inherit: false,
        },
    );
    let mut lower = IndexKey::column("x");
    lower.target = IndexTarget::Expression(key.to_owned());
    table.indexes.insert(
        "t_lower_idx".to_owned(),
        Index {
            invalid: false,
            name: "t_lower_idx".to_owned(),
            unique: false,
            keys: vec![lower],
            method: "btree".to_owned(),
            predicate: Some(predicate.to_owned()),
            include: Vec::new(),
            nulls_not_distinct: false,
        },
    );
    table
}

fn schema(tables: Vec<Table>) -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    for t in tables {
        schema
            .namespace_mut("public")
            .tables
            .insert(t.name.clone(), t);
    }
    schema
}

#[test]
fn equivalent_slots_take_the_live_spelling_and_nothing_is_pending() {
    let live = schema(vec![table(
        "'-1'::integer",
        "(qty >= 0)",
        "lower(name)",
        "(qty IS NOT NULL)",
    )]);
    let models = schema(vec![table(
        "-1",
        "qty >= 0",
        "LOWER(name)",
        "qty IS NOT NULL",
    )]);
    let reconciled = reconcile(models.clone(), &live);
    assert!(reconciled.is_settled(), "{:?}", reconciled.pending);
    assert_eq!(reconciled.schema, live);
}

#[test]
fn a_different_slot_makes_its_table_pending_and_the_merge_fills_only_that_slot() {
    let live = schema(vec![table(
        "0",
        "(qty >= 0)",
        "lower(name)",
        "(qty IS NOT NULL)",
    )]);
    let models = schema(vec![table(
        "0",
        "qty > 0",
        "lower(name)",
        "qty IS NOT NULL",
    )]);
    let reconciled = reconcile(models.clone(), &live);
    let pending: Vec<_> = reconciled.pending_tables().cloned().collect();
    assert_eq!(pending, [QualifiedName::new("public", "t")]);
    assert_eq!(
        reconciled
            .pending
            .values()
            .next()
            .map(|s| s.iter().cloned().collect::<Vec<_>>()),
        Some(vec![Slot::Check("t_qty_check".to_owned())])
    );
    // What the server would answer: every slot of the pending table in its spelling.
    let server = schema(vec![table(
        "SERVER0",
        "(qty > 0)",
        "SERVERKEY",
        "SERVERPRED",
    )]);
    let merged = reconciled.merge(&server);
    let t = &merged.schemas["public"].tables["t"];
    assert_eq!(
        t.checks.get("t_qty_check").expect("t_qty_check").expression,
        "(qty > 0)"
    );
    // Settled slots keep the live spelling.
    assert_eq!(
        t.column("qty").and_then(|c| c.default.as_deref()),
        Some("0")
    );
    assert_eq!(
        t.indexes
            .get("t_lower_idx")
            .expect("t_lower_idx")
            .predicate
            .as_deref(),
        Some("(qty IS NOT NULL)")
    );
}

#[test]
fn a_new_table_with_expressions_is_pending_one_without_is_not() {
    let live = schema(vec![]);
    let mut plain = Table::new("plain");
    plain.columns = vec![Column::new("id", ColumnType::BigInt)];
    let models = schema(vec![
        table("0", "qty >= 0", "lower(name)", "qty > 0"),
        plain,
    ]);
    let reconciled = reconcile(models.clone(), &live);
    let pending: Vec<_> = reconciled.pending_tables().cloned().collect();
    assert_eq!(pending, [QualifiedName::new("public", "t")]);
    let subset = reconciled.pending_schema();
    assert_eq!(subset.tables().count(), 1);
}

#[test]
fn a_column_whose_type_changes_gives_no_context() {
    // `'a'::public.status` is the enum column's default `'a'`; once the model makes the
    // column text, the same text is no longer known to be the same default.
    let enum_type = ColumnType::Enum {
        name: QualifiedName::new("public", "status"),
    };
    let column = |ty: ColumnType, default: &str| {
        let mut t = Table::new("t");
        let mut c = Column::new("st", ty);
        c.default = Some(default.to_owned());
        t.columns = vec![c];
        schema(vec![t])
    };
    let live = column(enum_type.clone(), "'a'::public.status");
    assert!(reconcile(column(enum_type, "'a'"), &live).is_settled());
    assert!(!reconcile(column(ColumnType::Text, "'a'"), &live).is_settled());
}
