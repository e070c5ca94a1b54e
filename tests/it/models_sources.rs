//! Never plan from nothing: a models path that yields no model is an error (exit 2) that names
//! the path, where it came from (`--models` or `models` in autogen.toml), how many `.rs` files
//! were read and what they hold instead; no plan is printed and no file is written. A path that
//! mixes sources says which files are which.

use std::path::Path;
use std::process::Command;

const SEAORM_CAKE: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cake")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

const SEAORM_USER: &str = r#"use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
}

impl ActiveModelBehavior for ActiveModel {}
"#;

const DIESEL_SCHEMA: &str = r#"// @generated automatically by Diesel CLI.

diesel::table! {
    posts (id) {
        id -> Int4,
        title -> Varchar,
        user_id -> Int4,
    }
}

diesel::table! {
    users (id) {
        id -> Int4,
        name -> Text,
    }
}

diesel::joinable!(posts -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(posts, users);
"#;

const FROM_ROW: &str = r#"#[derive(Debug, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub title: String,
}
"#;

const NATIVE: &str = r#"#[derive(autogen::Model)]
pub struct Account {
    #[autogen(primary_key)]
    pub id: i64,
}
"#;

/// A project folder with `files` (paths relative to it).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// Runs `check`, `diff` and `-m` in `dir` with `args` before the command; each must exit 2
/// with every fragment in stderr, print nothing on stdout and write no migration.
fn refused(dir: &Path, url: &str, args: &[&str], fragments: &[&str]) {
    for command in [&["check"][..], &["diff"], &["-m", "from nothing"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .args(["--database-url", url, "--migrations", "migrations"])
            .args(args)
            .args(command)
            .output()
            .expect("the autogen binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command:?}: {stdout}{stderr}"
        );
        assert!(
            stdout.is_empty(),
            "{command:?}: a plan was printed: {stdout}"
        );
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "{command:?}: expected {fragment:?} in:\n{stderr}"
            );
        }
        assert!(
            !dir.join("migrations").exists()
                || std::fs::read_dir(dir.join("migrations"))
                    .expect("dir")
                    .count()
                    == 0,
            "{command:?}: a migration was written"
        );
    }
}

#[test]
fn an_empty_models_folder_is_an_error_not_a_plan_that_drops_everything() {
    let db = autogen_testkit::postgres();
    db.execute("CREATE TABLE keep_me (id int PRIMARY KEY)");
    let dir = project(&[("src/models/README.md", "no rust here")]);
    refused(
        dir.path(),
        db.url(),
        &["--models", "src/models"],
        &["error: no model in src/models (the path from --models): read 0 .rs files"],
    );
    let sqlite = autogen_testkit::sqlite();
    refused(
        dir.path(),
        sqlite.url(),
        &["--models", "src/models"],
        &["read 0 .rs files"],
    );
}

#[test]
fn seaorm_entities_read_as_autogen_models_say_what_they_are() {
    let sqlite = autogen_testkit::sqlite();
    let dir = project(&[
        ("src/entity/cake.rs", SEAORM_CAKE),
        ("src/entity/user.rs", SEAORM_USER),
        ("src/entity/mod.rs", "pub mod cake;\npub mod user;\n"),
        (
            "autogen.toml",
            "source = \"autogen\"\nmodels = [\"src/entity\"]\n",
        ),
    ]);
    let config = dir.path().join("autogen.toml");
    refused(
        dir.path(),
        sqlite.url(),
        &["--config", config.to_str().expect("utf-8")],
        &[
            "no autogen model in",
            &format!("(the path from `models` in {}", config.display()),
            "read 3 .rs files and found 2 SeaORM entities",
            "set `source = \"seaorm\"` or pass `--source seaorm`",
        ],
    );
}

#[test]
fn a_diesel_schema_read_as_autogen_models_says_what_it_is() {
    let sqlite = autogen_testkit::sqlite();
    let dir = project(&[("src/schema.rs", DIESEL_SCHEMA)]);
    refused(
        dir.path(),
        sqlite.url(),
        &["--models", "src/schema.rs", "--source", "autogen"],
        &[
            "no autogen model in src/schema.rs (the path from --models, source `autogen` from --source): read 1 .rs file and found 2 Diesel tables",
            "set `source = \"diesel\"` or pass `--source diesel`",
        ],
    );
}

#[test]
fn sqlx_from_row_structs_alone_are_not_models() {
    let sqlite = autogen_testkit::sqlite();
    let dir = project(&[("src/db/rows.rs", FROM_ROW)]);
    refused(
        dir.path(),
        sqlite.url(),
        &["--models", "src/db"],
        &[
            "no model in src/db (the path from --models): read 1 .rs file and found 2 sqlx FromRow structs",
            "add `#[derive(autogen::Model)]`",
        ],
    );
}

#[test]
fn a_folder_mixing_sources_is_an_error_that_names_the_files() {
    let sqlite = autogen_testkit::sqlite();
    let dir = project(&[
        ("src/models/account.rs", NATIVE),
        ("src/models/cake.rs", SEAORM_CAKE),
        ("src/models/schema.rs", DIESEL_SCHEMA),
    ]);
    refused(
        dir.path(),
        sqlite.url(),
        &["--models", "src/models"],
        &[
            "src/models (the path from --models) mixes model sources",
            "1 autogen model in src/models/account.rs",
            "1 SeaORM entity in src/models/cake.rs",
            "2 Diesel tables in src/models/schema.rs",
        ],
    );
}

/// A native model that is also a sqlx `FromRow` gets the columns sqlx queries: `-m` and
/// `upgrade` build them (judged by PostgreSQL's own catalog), and `check` is then clean.
#[test]
fn sqlx_attributes_name_the_columns_in_the_database() {
    let db = autogen_testkit::postgres();
    let dir = project(&[
        (
            "src/models/account.rs",
            r#"#[derive(autogen::Model, sqlx::FromRow)]
#[sqlx(rename_all = "camelCase")]
pub struct Account {
    #[autogen(primary_key)]
    pub account_id: i64,
    pub display_name: String,
    #[sqlx(rename = "e_mail")]
    pub email: String,
    #[sqlx(skip)]
    pub cached: Vec<String>,
    #[sqlx(try_from = "i32")]
    pub visits: u64,
    #[sqlx(json)]
    pub settings: Settings,
    #[sqlx(flatten)]
    pub address: Address,
}
"#,
        ),
        (
            "src/models/address.rs",
            "#[derive(sqlx::FromRow)]\npub struct Address {\n    pub street: String,\n    pub zip: Option<String>,\n}\n",
        ),
    ]);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .args([
                "--database-url",
                db.url(),
                "--models",
                "src/models",
                "--migrations",
                "migrations",
            ])
            .args(args)
            .output()
            .expect("the autogen binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), text)
    };
    let (code, text) = run(&["-m", "accounts"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(&["upgrade"]);
    assert_eq!(code, Some(0), "{text}");
    let columns = db.query(
        "SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns \
         WHERE table_name = 'account' ORDER BY column_name",
    );
    let columns: Vec<String> = columns
        .into_iter()
        .map(|row| row.into_iter().flatten().collect::<String>())
        .collect();
    assert_eq!(
        columns,
        [
            "accountId bigint NO",
            "displayName text NO",
            "e_mail text NO",
            "settings jsonb NO",
            "street text NO",
            "visits integer NO",
            "zip text YES",
        ]
    );
    let (code, text) = run(&["check"]);
    assert_eq!(code, Some(0), "{text}");
}
