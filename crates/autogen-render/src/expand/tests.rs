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
        partitioned: Default::default(),
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

fn with_default(mut column: Column, default: &str) -> Column {
    column.default = Some(default.to_owned());
    column
}

/// The plan `-m` would make (the differ, then the models' backfills).
fn diffed(
    current: &Schema,
    desired: &Schema,
    renames: autogen_schema::Renames,
    backfills: &[autogen_schema::Backfill],
) -> Plan {
    let mut options = autogen_diff::DiffOptions::new();
    options.renames = renames;
    autogen_diff::apply_backfills(autogen_diff::diff(current, desired, &options), backfills)
}

fn options() -> crate::LowerOptions {
    crate::LowerOptions::default()
}

#[test]
fn columns_becoming_not_null_expand_with_their_fill_value() {
    let current = schema(vec![
        col("id", ColumnType::Integer, false),
        col("email", ColumnType::Text, false),
        col("handle", ColumnType::Text, true),
        col("note", ColumnType::Text, true),
        col("flag", ColumnType::Text, true),
    ]);
    let desired = schema(vec![
        col("id", ColumnType::Integer, false),
        col("email", ColumnType::Text, false),
        col("handle", ColumnType::Text, false),
        with_default(col("note", ColumnType::Text, false), "'x'::text"),
        col("flag", ColumnType::Text, false),
    ]);
    let backfills = [
        autogen_schema::Backfill {
            table: users(),
            column: "handle".to_owned(),
            sql: "split_part(email, '@', 1)".to_owned(),
            reads_row: true,
        },
        autogen_schema::Backfill {
            table: users(),
            column: "flag".to_owned(),
            sql: "'no'".to_owned(),
            reads_row: false,
        },
    ];
    let plan = diffed(&current, &desired, Default::default(), &backfills);
    let found = expansions(&plan, &current, &desired).expect("expands");
    let fills: Vec<(String, Option<String>, bool)> = found
        .iter()
        .map(|e| match e {
            Expansion::NotNull(n) => (n.column().to_owned(), n.fill.clone(), n.fill_reads_row),
            Expansion::Column(_) | Expansion::TableRename(_) => panic!("{e:?}"),
        })
        .collect();
    assert_eq!(
        fills,
        vec![
            (
                "handle".to_owned(),
                Some("split_part(email, '@', 1)".to_owned()),
                true
            ),
            ("note".to_owned(), Some("'x'::text".to_owned()), false),
            // A constant backfill travels as a temporary default: it fills, and is gone after.
            ("flag".to_owned(), Some("'no'".to_owned()), false),
        ]
    );
    let [_, _, Expansion::NotNull(flag)] = &found[..] else {
        panic!("{found:?}");
    };
    assert_eq!(flag.new.default, None);

    let expand = expand_text(&found[..2], &current, "not null", Some(1), 2, &options());
    assert_eq!(recorded_expansions(&expand.up), found[..2]);
    insta::assert_snapshot!("not_null_expand_up", expand.up);
    insta::assert_snapshot!("not_null_expand_down", expand.down);
    let contract = contract_text(&found[..2], &current, "not null", Some(2), 2, &options());
    insta::assert_snapshot!("not_null_contract_up", contract.up);
    insta::assert_snapshot!("not_null_contract_down", contract.down);

    // The expanded state (checks, the models' default) reads as the models; without the
    // checks (not expanded, or contracted already) it is left as it is.
    let mut expanded = current.clone();
    let table = expanded
        .schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.get_mut("users"))
        .expect("table");
    for c in ["handle", "note", "flag"] {
        let name = format!("autogen_{c}_not_null");
        table.checks.insert(
            name.clone(),
            autogen_schema::CheckConstraint {
                name,
                expression: format!("({c} IS NOT NULL)"),
                no_inherit: false,
                not_valid: false,
            },
        );
    }
    table.columns[3].default = Some("'x'::text".to_owned());
    assert_eq!(contracted(&expanded, &found), desired);
    assert_eq!(contracted(&current, &found), current);
}

#[test]
fn a_default_alone_or_a_column_becoming_nullable_is_no_expansion() {
    let current = schema(vec![col("note", ColumnType::Text, false)]);
    for desired in [
        schema(vec![with_default(
            col("note", ColumnType::Text, false),
            "'x'",
        )]),
        schema(vec![col("note", ColumnType::Text, true)]),
    ] {
        let plan = diffed(&current, &desired, Default::default(), &[]);
        let error = expansions(&plan, &current, &desired)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("AlterColumn of public.users.note"),
            "{error}"
        );
    }
}

fn keyed(name: &str) -> Schema {
    let mut out = schema(vec![
        col("id", ColumnType::Integer, false),
        col("note", ColumnType::Text, true),
    ]);
    let table = out
        .schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.remove("users"))
        .expect("table");
    let table = Table {
        name: name.to_owned(),
        primary_key: Some(autogen_schema::PrimaryKey {
            name: format!("{name}_pkey"),
            columns: vec!["id".to_owned()],
        }),
        ..table
    };
    out.schemas
        .get_mut("public")
        .expect("public")
        .tables
        .insert(name.to_owned(), table);
    out
}

#[test]
fn a_table_rename_expands_with_the_objects_named_after_it_and_alone() {
    let current = keyed("users");
    let desired = keyed("accounts");
    let renames = autogen_schema::Renames {
        tables: vec![autogen_schema::TableRename {
            from: users(),
            to: QualifiedName::new("public", "accounts"),
        }],
        ..Default::default()
    };
    let plan = diffed(&current, &desired, renames.clone(), &[]);
    let found = expansions(&plan, &current, &desired).expect("expands");
    let [Expansion::TableRename(rename)] = &found[..] else {
        panic!("{found:?}");
    };
    assert_eq!(
        rename.up,
        vec![
            "ALTER TABLE \"public\".\"users\" RENAME TO \"accounts\"".to_owned(),
            "ALTER TABLE \"public\".\"accounts\" RENAME CONSTRAINT \"users_pkey\" TO \"accounts_pkey\""
                .to_owned(),
        ]
    );
    let expand = expand_text(&found, &current, "accounts", Some(1), 2, &options());
    assert!(!expand.up.starts_with("-- no-transaction"), "{}", expand.up);
    assert_eq!(recorded_expansions(&expand.up), found);
    insta::assert_snapshot!("table_rename_expand_up", expand.up);
    insta::assert_snapshot!("table_rename_expand_down", expand.down);
    let contract = contract_text(&found, &desired, "accounts", Some(2), 2, &options());
    insta::assert_snapshot!("table_rename_contract_up", contract.up);
    insta::assert_snapshot!("table_rename_contract_down", contract.down);
    assert!(found[0].in_place(&desired));
    assert!(!found[0].in_place(&current));
    assert_eq!(found[0].out_of_step(), None);

    // With another expansion in the same plan: refused, both named.
    let mut more = desired.clone();
    more.schemas
        .get_mut("public")
        .and_then(|ns| ns.tables.get_mut("accounts"))
        .expect("table")
        .columns[1]
        .nullable = false;
    let plan = diffed(&current, &more, renames, &[]);
    let error = expansions(&plan, &current, &more).unwrap_err().to_string();
    assert!(
        error.contains("a table rename in an expand of its own"),
        "{error}"
    );
    assert!(
        error.contains("public.accounts.note to NOT NULL"),
        "{error}"
    );
}

#[test]
fn a_record_without_a_kind_is_a_column_change() {
    let change = ColumnChange {
        table: users(),
        old: col("name", ColumnType::Text, true),
        new: col("full_name", ColumnType::Text, true),
    };
    let legacy = format!(
        "-- m\n{EXPANSION_PREFIX}{}\nSELECT 1;\n",
        serde_json::to_string(&change).expect("json")
    );
    assert_eq!(
        recorded_expansions(&legacy),
        vec![Expansion::Column(change)]
    );
}
