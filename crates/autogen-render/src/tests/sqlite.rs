//! The SQLite cases: a schema to start from and the changes to apply to it. Each is
//! snapshotted (up and down SQL), then run on a real SQLite database holding a row: up, then
//! down, and the database must end with the schema and the row it began with. A new case is a
//! new entry here, not new test code.

use autogen_diff::{Change, Plan};
use autogen_schema::{
    Column, ColumnType, Dialect, IdentityKind, QualifiedName, ReferentialAction, Schema, Table,
    canonical_ddl_text,
};
use autogen_testkit::SqliteDb;

use super::fixtures::*;
use crate::{describe, migration_text, render, script};

pub(crate) struct Case {
    pub name: &'static str,
    before: Vec<Table>,
    changes: Vec<Change>,
}

fn main(name: &str) -> QualifiedName {
    QualifiedName::new("main", name)
}

fn schema(tables: &[Table]) -> Schema {
    let mut schema = Schema::new(Dialect::Sqlite);
    let ns = schema.namespace_mut("main");
    for table in tables {
        ns.tables.insert(table.name.clone(), table.clone());
    }
    schema
}

fn id() -> autogen_schema::Column {
    col("id", "integer").identity(IdentityKind::AutoIncrement)
}

fn users() -> Table {
    table(
        "users",
        vec![id(), col("email", "text").not_null(), col("name", "text")],
    )
    .pk("users_pkey", &["id"])
    .index(index("users_name_idx", &["name"]))
}

fn posts() -> Table {
    let mut posts = table(
        "posts",
        vec![id(), col("user_id", "integer"), col("title", "text")],
    )
    .pk("posts_pkey", &["id"]);
    posts
        .foreign_keys
        .insert("posts_user_id_fkey".into(), posts_user_fk());
    posts
}

fn posts_user_fk() -> autogen_schema::ForeignKey {
    let mut fk = foreign_key("posts_user_id_fkey", &["user_id"], main("users"), &["id"]);
    fk.on_delete = ReferentialAction::Cascade;
    fk
}

pub(crate) fn cases() -> Vec<Case> {
    let users_t = main("users");
    let email = col("email", "text").not_null();
    vec![
        Case {
            name: "create_table_with_foreign_key_and_index",
            before: vec![users()],
            changes: vec![
                Change::CreateTable {
                    name: main("posts"),
                    definition: {
                        let mut t = posts();
                        t.foreign_keys.clear();
                        t.index(index("posts_lower_title_idx", &["(lower(title))"]))
                    },
                },
                Change::AddForeignKey {
                    table: main("posts"),
                    constraint: posts_user_fk(),
                },
            ],
        },
        Case {
            name: "drop_table",
            before: vec![users(), posts()],
            changes: vec![
                Change::DropForeignKey {
                    table: main("posts"),
                    constraint: posts_user_fk(),
                },
                Change::DropTable {
                    name: main("posts"),
                    definition: {
                        let mut t = posts();
                        t.foreign_keys.clear();
                        t
                    },
                },
            ],
        },
        Case {
            name: "rename_table",
            before: vec![users()],
            changes: vec![Change::RenameTable {
                from: users_t.clone(),
                to: main("people"),
                sequences: Vec::new(),
            }],
        },
        Case {
            name: "add_column_in_place",
            before: vec![users()],
            changes: vec![
                Change::AddColumn {
                    table: users_t.clone(),
                    column: col("bio", "text"),
                },
                Change::AddColumn {
                    table: users_t.clone(),
                    column: col("score", "integer").not_null().default("0"),
                },
            ],
        },
        Case {
            name: "add_column_with_expression_default_rebuilds",
            before: vec![users()],
            changes: vec![Change::AddColumn {
                table: users_t.clone(),
                column: col("created_at", "timestamp")
                    .not_null()
                    .default("CURRENT_TIMESTAMP"),
            }],
        },
        Case {
            name: "drop_column_in_place",
            before: vec![{
                let mut t = users();
                t.columns.push(col("bio", "text"));
                t
            }],
            changes: vec![Change::DropColumn {
                table: users_t.clone(),
                column: col("bio", "text"),
            }],
        },
        Case {
            name: "drop_check_then_its_column",
            before: vec![users().check(check("users_name_check", "length(name) > 0"))],
            changes: vec![
                Change::DropIndex {
                    table: users_t.clone(),
                    index: index("users_name_idx", &["name"]),
                },
                Change::DropCheck {
                    table: users_t.clone(),
                    constraint: check("users_name_check", "length(name) > 0"),
                },
                Change::DropColumn {
                    table: users_t.clone(),
                    column: col("name", "text"),
                },
            ],
        },
        Case {
            name: "drop_generated_column_rebuilds",
            before: vec![{
                let mut t = users();
                t.columns
                    .push(col("email_lower", "text").generated("lower(email)"));
                t
            }],
            changes: vec![Change::DropColumn {
                table: users_t.clone(),
                column: col("email_lower", "text").generated("lower(email)"),
            }],
        },
        Case {
            name: "rename_column",
            before: vec![users()],
            changes: vec![Change::RenameColumn {
                table: users_t.clone(),
                from: "email".into(),
                to: "mail".into(),
            }],
        },
        Case {
            name: "alter_column_type_and_not_null_rebuild_once",
            before: vec![users()],
            changes: vec![
                Change::AlterColumn {
                    table: users_t.clone(),
                    from: col("name", "text"),
                    to: col("name", "text").not_null().default("'anon'"),
                    backfill: None,
                },
                Change::AlterColumn {
                    table: users_t.clone(),
                    from: email.clone(),
                    to: Column::new("email", ColumnType::parse_sqlite("VARCHAR(200)")).not_null(),
                    backfill: None,
                },
            ],
        },
        Case {
            // posts point at users with ON DELETE CASCADE: the rebuild's DROP TABLE "users"
            // must not delete them (foreign keys are off for it).
            name: "rebuild_of_a_parent_keeps_its_children",
            before: vec![users(), posts()],
            changes: vec![Change::AlterColumn {
                table: users_t.clone(),
                from: col("name", "text"),
                to: col("name", "text").default("'anon'"),
                backfill: None,
            }],
        },
        Case {
            name: "add_check_and_unique_rebuild",
            before: vec![users()],
            changes: vec![
                Change::AddCheck {
                    table: users_t.clone(),
                    constraint: check("users_email_check", "length(email) > 0"),
                },
                Change::AddUnique {
                    table: users_t.clone(),
                    constraint: unique("users_email_key", &["email"]),
                },
            ],
        },
        Case {
            name: "add_foreign_key_to_existing_table_rebuilds",
            before: vec![users(), {
                let mut t = posts();
                t.foreign_keys.clear();
                t
            }],
            changes: vec![Change::AddForeignKey {
                table: main("posts"),
                constraint: posts_user_fk(),
            }],
        },
        Case {
            name: "change_primary_key_rebuilds",
            before: vec![
                table(
                    "tags",
                    vec![
                        col("name", "text").not_null(),
                        col("slug", "text").not_null(),
                    ],
                )
                .pk("tags_pkey", &["name"]),
            ],
            changes: vec![
                Change::DropPrimaryKey {
                    table: main("tags"),
                    key: autogen_schema::PrimaryKey {
                        name: "tags_pkey".into(),
                        columns: strings(&["name"]),
                    },
                },
                Change::AddPrimaryKey {
                    table: main("tags"),
                    key: autogen_schema::PrimaryKey {
                        name: "tags_pkey".into(),
                        columns: strings(&["slug"]),
                    },
                },
            ],
        },
        Case {
            name: "create_and_drop_index",
            before: vec![users()],
            changes: vec![
                Change::DropIndex {
                    table: users_t.clone(),
                    index: index("users_name_idx", &["name"]),
                },
                Change::CreateIndex {
                    table: users_t.clone(),
                    index: {
                        let mut i = index("users_lower_email_idx", &["(lower(email))"]);
                        i.unique = true;
                        i.predicate = Some("name IS NOT NULL".into());
                        i
                    },
                },
            ],
        },
    ]
}

pub(crate) fn plan(case: &Case) -> Plan {
    Plan {
        changes: case.changes.clone(),
        rename_hints: Vec::new(),
        before: Some(schema(&case.before)),
        partitioned: Default::default(),
    }
}

/// The changes in words, then the up and the down migration file.
fn check_case(case: &Case) -> String {
    let plan = plan(case);
    let mut out = String::from("-- changes\n");
    for change in &plan.changes {
        out.push_str(&format!(
            "-- {} {}\n",
            describe::sign(change),
            describe::change(change, Dialect::Sqlite)
        ));
    }
    match migration_text(&plan, Dialect::Sqlite, case.name, None) {
        Ok(text) => {
            out.push_str("-- up.sql\n");
            out.push_str(&text.up);
            out.push_str("-- down.sql\n");
            out.push_str(&text.down);
        }
        Err(e) => out.push_str(&format!("error: {e}\n")),
    }
    out
}

/// Rows of every table, for comparing before and after a round trip.
fn dump(db: &SqliteDb) -> String {
    let tables = db.query(
        "SELECT name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND type = 'table' ORDER BY name",
    );
    let mut out = String::new();
    for row in tables {
        let name = row[0].clone().unwrap_or_default();
        out.push_str(&format!(
            "{name}: {:?}\n",
            db.query(&format!("SELECT * FROM \"{name}\""))
        ));
    }
    out
}

#[test]
fn every_sqlite_case_renders_as_snapshotted() {
    for case in cases() {
        insta::assert_snapshot!(format!("sqlite_{}", case.name), check_case(&case));
    }
}

#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn every_sqlite_case_runs_up_and_down_keeping_rows() {
    for case in cases() {
        let db = autogen_testkit::sqlite();
        let before = schema(&case.before);
        db.execute(&canonical_ddl_text(&before));
        for table in &case.before {
            let columns: Vec<&str> = table
                .columns
                .iter()
                .filter(|c| c.generated.is_none())
                .map(|c| c.name.as_str())
                .collect();
            let values: Vec<&str> = columns.iter().map(|_| "'1'").collect();
            db.execute(&format!(
                "INSERT INTO \"{}\" ({}) VALUES ({})",
                table.name,
                columns
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                values.join(", ")
            ));
        }
        let rows = dump(&db);
        let plan = plan(&case);
        let up = render(&plan, Dialect::Sqlite).expect("up renders");
        db.try_execute(&script(&up))
            .unwrap_or_else(|e| panic!("{}: up fails: {e}", case.name));
        let down = render(&plan.inverse().expect("the plan applies"), Dialect::Sqlite)
            .expect("down renders");
        db.try_execute(&script(&down))
            .unwrap_or_else(|e| panic!("{}: down fails: {e}", case.name));
        let lossy = plan
            .changes
            .iter()
            .any(|c| matches!(c, Change::DropColumn { .. } | Change::DropTable { .. }));
        if !lossy {
            assert_eq!(dump(&db), rows, "{}: rows changed by up + down", case.name);
        }
        assert_eq!(
            db.query("PRAGMA foreign_keys"),
            vec![vec![Some("1".to_owned())]],
            "{}: foreign keys are on again",
            case.name
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn a_rebuild_that_breaks_a_foreign_key_fails_and_changes_nothing() {
    let db = autogen_testkit::sqlite();
    let mut orphans = posts();
    orphans.foreign_keys.clear();
    let before = schema(&[users(), orphans]);
    db.execute(&canonical_ddl_text(&before));
    db.execute("INSERT INTO posts (id, user_id, title) VALUES (1, 99, 'orphan')");
    let plan = Plan {
        changes: vec![Change::AddForeignKey {
            table: main("posts"),
            constraint: posts_user_fk(),
        }],
        rename_hints: Vec::new(),
        before: Some(before),
        partitioned: Default::default(),
    };
    let up = render(&plan, Dialect::Sqlite).expect("renders");
    let error = db.try_execute(&script(&up)).unwrap_err();
    assert!(error.contains("CHECK constraint failed"), "{error}");
    assert_eq!(
        db.query("SELECT count(*) FROM pragma_foreign_key_list('posts')"),
        vec![vec![Some("0".to_owned())]],
        "rolled back: posts has no foreign key"
    );
    assert_eq!(
        db.query("SELECT title FROM posts"),
        vec![vec![Some("orphan".to_owned())]]
    );
}
