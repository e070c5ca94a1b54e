//! The MySQL cases: a database to start from (`setup`, MariaDB SQL) and the changes to apply.
//! Each is snapshotted (up and down SQL) and applied, up then down, to a real MariaDB, which
//! must end as it began (`SHOW CREATE TABLE` of every table). A new case is a new entry here.

use autogen_diff::{Change, EnumColumnUse, EnumValuePosition, Plan};
use autogen_schema::{
    Column, ColumnType, Dialect, IdentityKind, IndexKey, QualifiedName, ReferentialAction,
};
use autogen_testkit::{MariaDb, mariadb};

use super::fixtures::*;
use crate::{describe, render, script};

pub(crate) struct Case {
    name: &'static str,
    setup: &'static str,
    pub changes: Vec<Change>,
}

fn main(name: &str) -> QualifiedName {
    QualifiedName::new("main", name)
}

fn mcol(name: &str, type_text: &str) -> Column {
    Column::new(
        name,
        ColumnType::parse_mysql(type_text).expect("a mysql type"),
    )
}

const TASKS: &str = "CREATE TABLE tasks (
    id bigint NOT NULL AUTO_INCREMENT,
    title varchar(50) NOT NULL,
    PRIMARY KEY (id)
);";

fn tasks() -> QualifiedName {
    main("tasks")
}

fn title() -> Column {
    mcol("title", "varchar(50)").not_null()
}

fn tasks_table() -> autogen_schema::Table {
    table(
        "tasks",
        vec![
            mcol("id", "bigint")
                .not_null()
                .identity(IdentityKind::AutoIncrement),
            title(),
        ],
    )
    .pk("PRIMARY", &["id"])
}

fn alter(from: Column, to: Column) -> Change {
    Change::AlterColumn {
        table: tasks(),
        from,
        to,
        backfill: None,
    }
}

fn status_column(labels: &[&str]) -> Column {
    mcol(
        "status",
        &autogen_schema::ddl::mysql::inline_enum(&strings(labels)),
    )
    .not_null()
    .default("'todo'")
}

pub(crate) fn cases() -> Vec<Case> {
    let mut prefix_index = index("tasks_title_idx", &["title"]);
    prefix_index.keys = vec![IndexKey {
        length: Some(10),
        ..IndexKey::column("title")
    }];
    let mut desc_index = index("tasks_id_title_idx", &["id", "title"]);
    desc_index.keys[1].descending = true;
    let mut fk = foreign_key("notes_task_id_fkey", &["task_id"], tasks(), &["id"]);
    fk.on_delete = ReferentialAction::Cascade;
    let enum_name = main("tasks_status");
    let enum_use = EnumColumnUse {
        table: tasks(),
        column: Column::new(
            "status",
            ColumnType::Enum {
                name: enum_name.clone(),
            },
        )
        .not_null()
        .default("'todo'"),
    };
    vec![
        Case {
            name: "create_table",
            setup: "",
            changes: vec![Change::CreateTable {
                name: tasks(),
                definition: tasks_table()
                    .unique(unique("tasks_title_key", &["title"]))
                    .check(check("tasks_title_check", "char_length(`title`) > 0"))
                    .index(desc_index.clone())
                    .comment("things to do"),
            }],
        },
        Case {
            name: "drop_table",
            setup: TASKS,
            changes: vec![Change::DropTable {
                name: tasks(),
                definition: tasks_table(),
            }],
        },
        Case {
            name: "rename_table",
            setup: TASKS,
            changes: vec![Change::RenameTable {
                from: tasks(),
                to: main("todos"),
                sequences: Vec::new(),
            }],
        },
        Case {
            name: "set_table_comment",
            setup: TASKS,
            changes: vec![Change::SetTableComment {
                table: tasks(),
                from: None,
                to: Some("it's to do".into()),
            }],
        },
        Case {
            name: "add_column",
            setup: TASKS,
            changes: vec![Change::AddColumn {
                table: tasks(),
                column: mcol("done", "tinyint(1)").not_null().default("0"),
            }],
        },
        Case {
            name: "add_enum_column",
            setup: TASKS,
            changes: vec![Change::AddColumn {
                table: tasks(),
                column: status_column(&["todo", "done"]),
            }],
        },
        Case {
            name: "drop_column",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, title varchar(50) NOT NULL, note text);",
            changes: vec![Change::DropColumn {
                table: tasks(),
                column: mcol("note", "text"),
            }],
        },
        Case {
            name: "rename_column",
            setup: TASKS,
            changes: vec![Change::RenameColumn {
                table: tasks(),
                from: "title".into(),
                to: "name".into(),
            }],
        },
        Case {
            name: "widen_varchar",
            setup: TASKS,
            changes: vec![alter(title(), mcol("title", "varchar(100)").not_null())],
        },
        Case {
            name: "drop_not_null",
            setup: TASKS,
            changes: vec![alter(title(), mcol("title", "varchar(50)"))],
        },
        Case {
            name: "set_default",
            setup: TASKS,
            changes: vec![alter(title(), title().default("'untitled'"))],
        },
        Case {
            name: "set_default_expression",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, due datetime(6) NULL);",
            changes: vec![alter(
                mcol("due", "datetime(6)"),
                mcol("due", "datetime(6)").default("current_timestamp(6)"),
            )],
        },
        Case {
            name: "add_enum_label",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, status enum('todo','done') NOT NULL DEFAULT 'todo');",
            changes: vec![alter(
                status_column(&["todo", "done"]),
                status_column(&["todo", "doing", "done"]),
            )],
        },
        Case {
            name: "add_enum_value_of_a_named_enum",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, status enum('todo','done') NOT NULL DEFAULT 'todo');",
            changes: vec![Change::AddEnumValue {
                name: enum_name.clone(),
                value: "doing".into(),
                position: EnumValuePosition::Before("done".into()),
                from: enum_type("tasks_status", &["todo", "done"]),
                to: enum_type("tasks_status", &["todo", "doing", "done"]),
                columns: vec![enum_use],
                dependents: Vec::new(),
            }],
        },
        Case {
            name: "auto_increment_off",
            setup: TASKS,
            changes: vec![alter(
                mcol("id", "bigint")
                    .not_null()
                    .identity(IdentityKind::AutoIncrement),
                mcol("id", "bigint").not_null(),
            )],
        },
        Case {
            name: "column_comment_and_collation",
            setup: TASKS,
            changes: vec![alter(
                title(),
                title().comment("what to do").collate("utf8mb4_bin"),
            )],
        },
        Case {
            name: "add_unique",
            setup: TASKS,
            changes: vec![Change::AddUnique {
                table: tasks(),
                constraint: unique("tasks_title_key", &["title"]),
            }],
        },
        Case {
            name: "add_check",
            setup: TASKS,
            changes: vec![Change::AddCheck {
                table: tasks(),
                constraint: check("tasks_title_check", "char_length(`title`) > 0"),
            }],
        },
        Case {
            name: "drop_primary_key",
            setup: "CREATE TABLE tasks (id bigint NOT NULL, title varchar(50) NOT NULL, PRIMARY KEY (id));",
            changes: vec![Change::DropPrimaryKey {
                table: tasks(),
                key: autogen_schema::PrimaryKey {
                    name: "PRIMARY".into(),
                    columns: strings(&["id"]),
                },
            }],
        },
        Case {
            name: "add_auto_increment_primary_key_column",
            setup: "CREATE TABLE tasks (title varchar(50) NOT NULL);",
            changes: vec![
                Change::AddColumn {
                    table: tasks(),
                    column: mcol("id", "bigint")
                        .not_null()
                        .identity(IdentityKind::AutoIncrement),
                },
                Change::AddPrimaryKey {
                    table: tasks(),
                    key: autogen_schema::PrimaryKey {
                        name: "PRIMARY".into(),
                        columns: strings(&["id"]),
                    },
                },
            ],
        },
        Case {
            name: "widen_primary_key_under_auto_increment",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT, other bigint NOT NULL, PRIMARY KEY (id));",
            changes: vec![
                Change::DropPrimaryKey {
                    table: tasks(),
                    key: autogen_schema::PrimaryKey {
                        name: "PRIMARY".into(),
                        columns: strings(&["id"]),
                    },
                },
                Change::AddPrimaryKey {
                    table: tasks(),
                    key: autogen_schema::PrimaryKey {
                        name: "PRIMARY".into(),
                        columns: strings(&["id", "other"]),
                    },
                },
            ],
        },
        Case {
            name: "add_foreign_key",
            setup: "CREATE TABLE tasks (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY);
                    CREATE TABLE notes (id bigint NOT NULL PRIMARY KEY, task_id bigint NOT NULL, KEY notes_task_id_idx (task_id));",
            changes: vec![Change::AddForeignKey {
                table: main("notes"),
                constraint: fk,
            }],
        },
        Case {
            name: "create_prefix_index",
            setup: TASKS,
            changes: vec![Change::CreateIndex {
                table: tasks(),
                index: prefix_index,
            }],
        },
        Case {
            name: "create_descending_index",
            setup: TASKS,
            changes: vec![Change::CreateIndex {
                table: tasks(),
                index: desc_index,
            }],
        },
    ]
}

/// The changes in words, then the up and the down script.
fn check_case(case: &Case) -> String {
    let plan = Plan {
        changes: case.changes.clone(),
        rename_hints: Vec::new(),
        before: None,
        partitioned: Default::default(),
    };
    let mut out = String::from("-- changes\n");
    for change in &plan.changes {
        out.push_str(&format!(
            "-- {} {}\n",
            describe::sign(change),
            describe::change(change, Dialect::MySql)
        ));
    }
    for (label, plan) in [
        ("up", plan.clone()),
        ("down", plan.inverse().expect("the plan applies")),
    ] {
        out.push_str(&format!("-- {label}\n"));
        match render(&plan, Dialect::MySql) {
            Ok(statements) => out.push_str(&script(&statements)),
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
    }
    out
}

fn shape(db: &MariaDb) -> Vec<String> {
    let mut out = Vec::new();
    for row in db.query("SHOW TABLES") {
        let name = row[0].clone().unwrap_or_default();
        for create in db.query(&format!("SHOW CREATE TABLE `{name}`")) {
            out.push(create[1].clone().unwrap_or_default());
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(feature = "database-tests"),
    ignore = "applies SQL to a database: the workspace test run enables `database-tests`"
)]
fn every_mysql_case_renders_as_snapshotted_and_round_trips_on_mariadb() {
    let db = mariadb();
    for case in cases() {
        insta::assert_snapshot!(format!("mysql_{}", case.name), check_case(&case));
        db.reset();
        if !case.setup.is_empty() {
            db.execute(case.setup);
        }
        let before = shape(&db);
        let plan = Plan {
            changes: case.changes.clone(),
            rename_hints: Vec::new(),
            before: None,
            partitioned: Default::default(),
        };
        for (label, plan) in [
            ("up", plan.clone()),
            ("down", plan.inverse().expect("the plan applies")),
        ] {
            // One session, as a migration runs (some set session variables around a
            // statement).
            let sql = script(&render(&plan, Dialect::MySql).expect("renders"));
            if let Err(e) = db.try_execute(&sql) {
                panic!("{} ({label}): {e}\n{sql}", case.name);
            }
        }
        assert_eq!(
            shape(&db),
            before,
            "{}: down did not restore the setup",
            case.name
        );
    }
}
