//! Which plans expand, and the expanded state read back as contracted. The SQL itself is
//! judged on a real server (`tests/it/expand_contract.rs`).

use autogen_diff::{Change, Plan};
use autogen_schema::{Column, ColumnType, Dialect, Index, QualifiedName, Schema, Table};

use super::*;

fn schema(columns: Vec<Column>) -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    let mut table = Table::new("users");
    table.columns = columns;
    schema
        .schemas
        .entry("public".to_owned())
        .or_default()
        .tables
        .insert("users".to_owned(), table);
    schema
}

fn col(name: &str, ty: ColumnType, nullable: bool) -> Column {
    Column {
        nullable,
        ..Column::new(name, ty)
    }
}

fn users() -> QualifiedName {
    QualifiedName::new("public", "users")
}

fn plan(changes: Vec<Change>) -> Plan {
    Plan {
        changes,
        rename_hints: Vec::new(),
        before: None,
    }
}

#[test]
fn a_rename_and_a_type_change_expand_and_read_back_contracted() {
    let current = schema(vec![
        col("id", ColumnType::Integer, false),
        col("name", ColumnType::Text, false),
        col("qty", ColumnType::Integer, true),
    ]);
    let desired = schema(vec![
        col("id", ColumnType::Integer, false),
        col("full_name", ColumnType::Text, false),
        col("qty", ColumnType::BigInt, true),
    ]);
    let plan = plan(vec![
        Change::RenameColumn {
            table: users(),
            from: "name".to_owned(),
            to: "full_name".to_owned(),
        },
        Change::AlterColumn {
            table: users(),
            from: col("qty", ColumnType::Integer, true),
            to: col("qty", ColumnType::BigInt, true),
            backfill: None,
        },
    ]);
    let found = expansions(&plan, &current, &desired).expect("expands");
    assert_eq!(found.len(), 2);
    let [Expansion::Column(rename), Expansion::Column(retype)] = &found[..] else {
        panic!("two column changes: {found:?}");
    };
    assert_eq!(rename.during(), "full_name");
    assert!(!rename.renamed_at_contract());
    assert_eq!(retype.during(), "qty_autogen_new");
    assert!(retype.renamed_at_contract());

    // The record in the header reads back.
    let text = expand_text(
        &found,
        &current,
        "rename",
        Some(0),
        7,
        &crate::LowerOptions::default(),
    );
    assert_eq!(recorded_expansions(&text.up), found);
    let contract = contract_text(
        &found,
        &current,
        "rename",
        Some(7),
        7,
        &crate::LowerOptions::default(),
    );
    assert_eq!(contract_of(&contract.up), Some(7));
    assert_eq!(contract_of(&text.up), None);

    // The expanded state: both columns and the NOT NULL check; read as contracted, it is
    // the desired schema. Not expanded (yet or any more): unchanged.
    let mut expanded = current.clone();
    let table = expanded
        .schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.get_mut("users"))
        .expect("table");
    table.columns.push(col("full_name", ColumnType::Text, true));
    table
        .columns
        .push(col("qty_autogen_new", ColumnType::BigInt, true));
    table.checks.insert(
        "autogen_full_name_not_null".to_owned(),
        autogen_schema::CheckConstraint {
            name: "autogen_full_name_not_null".to_owned(),
            expression: "(full_name IS NOT NULL)".to_owned(),
            no_inherit: false,
            not_valid: false,
        },
    );
    assert_eq!(contracted(&expanded, &found), desired);
    assert_eq!(contracted(&current, &found), current);
    assert_eq!(contracted(&desired, &found), desired);
}

#[test]
fn other_changes_and_indexed_columns_are_refused() {
    let current = schema(vec![col("name", ColumnType::Text, true)]);
    let desired = schema(vec![
        col("name", ColumnType::Text, true),
        col("age", ColumnType::Integer, true),
    ]);
    let add = plan(vec![Change::AddColumn {
        table: users(),
        column: col("age", ColumnType::Integer, true),
    }]);
    let error = expansions(&add, &current, &desired)
        .unwrap_err()
        .to_string();
    assert!(error.contains("the plan also has: AddColumn"), "{error}");

    let mut indexed = current.clone();
    let table = indexed
        .schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.get_mut("users"))
        .expect("table");
    let index = Index {
        name: "users_name_idx".to_owned(),
        unique: false,
        keys: vec![autogen_schema::IndexKey::column("name")],
        method: "btree".to_owned(),
        predicate: None,
        include: Vec::new(),
        nulls_not_distinct: false,
        invalid: false,
    };
    table.indexes.insert("users_name_idx".to_owned(), index);
    let desired = schema(vec![col("full", ColumnType::Text, true)]);
    let rename = plan(vec![Change::RenameColumn {
        table: users(),
        from: "name".to_owned(),
        to: "full".to_owned(),
    }]);
    let error = expansions(&rename, &indexed, &desired)
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot expand public.users.name"), "{error}");
    assert!(expansions(&rename, &current, &desired).is_ok());
}
