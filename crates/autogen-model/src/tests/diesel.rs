//! Diesel `schema.rs` files read as `diesel print-schema` writes them (and as people write
//! them by hand).

use insta::assert_snapshot;

use super::check_diesel;

#[test]
fn the_fixture_app_reads_whole() {
    let text = include_str!("../../../../fixtures/models/diesel/projects/postgres/schema.rs");
    assert_snapshot!(check_diesel(text));
}

#[test]
fn the_sqlite_fixture_reads_whole() {
    let text = include_str!("../../../../fixtures/models/diesel/projects/sqlite/schema.rs");
    assert_snapshot!(check_diesel(&format!("//- dialect: sqlite\n{text}")));
}

#[test]
fn the_mysql_fixture_reads_whole() {
    let text = include_str!("../../../../fixtures/models/diesel/projects/mysql/schema.rs");
    assert_snapshot!(check_diesel(&format!("//- dialect: mysql\n{text}")));
}

#[test]
fn sql_names_schemas_keys_and_renamed_custom_types() {
    assert_snapshot!(check_diesel(r#"
pub mod sql_types {
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "mood", schema = "app"))]
    pub struct Mood;
}

table! {
    use diesel::sql_types::*;
    use super::sql_types::Mood as Feeling;

    /// People, in another schema.
    #[sql_name = "people"]
    app.persons (org, r#ref) {
        org -> Int4,
        #[sql_name = "ref"]
        r#ref -> Text,
        #[max_length = 30]
        nick -> Nullable<VarChar>,
        feeling -> Feeling,
        moods -> Array<Feeling>,
        score -> Nullable<Decimal>,
    }
}

table! {
    notes {
        id -> BigInt,
        body -> Text,
    }
}
"#), @r#"
    CREATE SCHEMA IF NOT EXISTS "app";

    CREATE SCHEMA IF NOT EXISTS "public";

    CREATE TYPE "app"."mood" AS ENUM ();

    CREATE TABLE "app"."people" (
        "org" integer NOT NULL,
        "ref" text NOT NULL,
        "nick" character varying(30),
        "feeling" "app"."mood" NOT NULL,
        "moods" "app"."mood"[] NOT NULL,
        "score" numeric,
        CONSTRAINT "people_pkey" PRIMARY KEY ("org", "ref")
    );

    CREATE TABLE "public"."notes" (
        "id" bigint NOT NULL,
        "body" text NOT NULL,
        CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
    );
    "#);
}

#[test]
fn unreadable_input_is_a_diagnostic_with_its_position() {
    assert_snapshot!(check_diesel(r#"
diesel::table! {
    users (id) {
        id -> Int4,
        name -> Strin,
        tags -> Nullable<Array<>>,
    }
}

diesel::table! {
    posts (id) {
        id -> Int4
        user_id -> Int4,
    }
}

diesel::joinable!(comments -> users (user_id));
diesel::joinable!(users -> users (nope));
"#), @r"
    error: `Strin` is not a Diesel SQL type autogen knows for PostgreSQL
     --> models.rs:4:17
      |
    4 |         name -> Strin,
      |                 ^^^^^

    error: `Array` takes one SQL type
     --> models.rs:5:17
      |
    5 |         tags -> Nullable<Array<>>,
      |                 ^^^^^^^^^^^^^^^^^

    error: expected `,`
      --> models.rs:12:9
       |
    12 |         user_id -> Int4,
       |         ^^^^^^^

    error: `joinable!(comments -> users ..)` names a table that no `table!` declares
      --> models.rs:16:19
       |
    16 | diesel::joinable!(comments -> users (user_id));
       |                   ^^^^^^^^

    error: table `public.users` has no column `nope`
      --> models.rs:17:35
       |
    17 | diesel::joinable!(users -> users (nope));
       |                                   ^^^^
    ");
}

#[test]
fn sqlite_has_no_schemas_or_arrays() {
    assert_snapshot!(check_diesel(r#"
//- dialect: sqlite
diesel::table! {
    main.users (id) {
        id -> Integer,
    }
}
diesel::table! {
    posts (id) {
        id -> Integer,
        tags -> Array<Text>,
        at -> Timestamptz,
    }
}
"#), @r"
    error: schema `main`: only PostgreSQL has schemas
     --> models.rs:2:5
      |
    2 |     main.users (id) {
      |     ^^^^

    error: SQLite has no array types
     --> models.rs:9:17
      |
    9 |         tags -> Array<Text>,
      |                 ^^^^^^^^^^^

    error: `Timestamptz` is not a Diesel SQL type autogen knows for SQLite
      --> models.rs:10:15
       |
    10 |         at -> Timestamptz,
       |               ^^^^^^^^^^^
    ");
}

#[test]
fn an_overlay_fills_enum_labels_and_adds_what_it_states() {
    use autogen_schema::{Dialect, Facts, QualifiedName, canonical_ddl_text};

    use crate::{ModelOptions, SourceFile, overlay, read_diesel, read_models};

    let options = ModelOptions::new(Dialect::Postgres);
    let base = read_diesel(
        &[SourceFile::new(
            "schema.rs",
            r#"
pub mod sql_types {
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "task_status"))]
    pub struct TaskStatus;
}
diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::TaskStatus;
    tasks (id) {
        id -> Int4,
        status -> TaskStatus,
        title -> Text,
    }
}
diesel::table! {
    users (id) {
        id -> Int4,
    }
}
"#,
        )],
        &options,
    );
    let extra = read_models(
        &[SourceFile::new(
            "overlay.rs",
            r#"
#[derive(autogen::Enum)]
#[autogen(name = "task_status", rename_all = "snake_case")]
pub enum TaskStatus { Todo, Done }

#[derive(autogen::Model)]
#[autogen(table = "tasks", index(columns(status)))]
pub struct Task {
    #[autogen(primary_key, identity = false)]
    pub id: i32,
    #[autogen(default = "todo")]
    pub status: TaskStatus,
    pub not_in_schema_rs: Option<i32>,
}
"#,
        )],
        &options,
    );
    assert_eq!(extra.diagnostics, vec![]);
    let out = overlay(base, extra);
    assert_eq!(out.diagnostics, vec![]);
    let tasks = QualifiedName::new("public", "tasks");
    let stated = out.authority.for_table(&tasks);
    assert!(stated.defaults && stated.indexes, "{stated:?}");
    assert!(
        !stated.uniques && !stated.checks && !stated.identity,
        "{stated:?}"
    );
    assert_eq!(
        out.authority
            .for_table(&QualifiedName::new("public", "users")),
        Facts::NONE
    );
    assert!(
        out.authority
            .states_labels_of(&QualifiedName::new("public", "task_status"))
    );
    assert_snapshot!(canonical_ddl_text(&out.schema), @r#"
    CREATE SCHEMA IF NOT EXISTS "public";

    CREATE TYPE "public"."task_status" AS ENUM ('todo', 'done');

    CREATE TABLE "public"."tasks" (
        "id" integer NOT NULL,
        "status" "public"."task_status" DEFAULT 'todo'::public.task_status NOT NULL,
        "title" text NOT NULL,
        CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
    );

    CREATE TABLE "public"."users" (
        "id" integer NOT NULL,
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
    );

    CREATE INDEX "tasks_status_idx" ON "public"."tasks" ("status");
    "#);
}

#[test]
fn mysql_spellings() {
    assert_snapshot!(check_diesel(r#"
//- dialect: mysql
diesel::table! {
    events (id) {
        id -> Unsigned<Bigint>,
        #[max_length = 80]
        name -> Varchar,
        happened_at -> Datetime,
        recorded_at -> Timestamp,
        flag -> Bool,
        level -> Tinyint,
        amount -> Nullable<Decimal>,
        payload -> Nullable<Blob>,
    }
}
"#), @r"
    CREATE TABLE `events` (
        `id` bigint unsigned NOT NULL,
        `name` varchar(80) NOT NULL,
        `happened_at` datetime NOT NULL,
        `recorded_at` timestamp NOT NULL,
        `flag` tinyint(1) NOT NULL,
        `level` tinyint NOT NULL,
        `amount` decimal,
        `payload` blob,
        PRIMARY KEY (`id`)
    );
    ");
}
