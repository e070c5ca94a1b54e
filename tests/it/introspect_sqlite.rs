//! SQLite introspection: a hand-written schema read back, printed as canonical DDL, and the same
//! DDL loaded again reads the same (inspect(A) == inspect(load(ddl(A)))).

use autogen_introspect::{IntrospectOptions, introspect_url, normalise_url};
use autogen_schema::canonical_ddl_text;

const SETUP: &str = r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL UNIQUE,
    name TEXT DEFAULT 'anon',
    score REAL CHECK (score >= 0),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE posts (
    id INTEGER NOT NULL,
    author_id INTEGER REFERENCES users ON DELETE CASCADE,
    title TEXT NOT NULL,
    body BLOB,
    CONSTRAINT posts_pk PRIMARY KEY (id),
    CONSTRAINT title_len CHECK (length(title) > 0),
    CONSTRAINT posts_author_title UNIQUE (author_id, title)
);
CREATE INDEX posts_lower_title ON posts (lower(title) DESC) WHERE body IS NOT NULL;
CREATE UNIQUE INDEX users_name_idx ON users (name);
"#;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn a_hand_written_schema_reads_back_and_round_trips() {
    let db = autogen_testkit::sqlite();
    db.execute(SETUP);
    let options = IntrospectOptions {
        schemas: vec!["main".to_owned()],
        ..IntrospectOptions::default()
    };
    let rt = runtime();
    let read = rt.block_on(introspect_url(db.url(), &options)).unwrap();
    let ddl = canonical_ddl_text(&read.schema);
    insta::assert_snapshot!(ddl);
    let again = rt
        .block_on(normalise_url(db.url(), &read.schema, &options))
        .unwrap();
    assert_eq!(again.schema, read.schema);
}

#[test]
fn a_missing_file_says_how_to_create_it() {
    let dir = tempfile_dir();
    let url = format!("sqlite://{}/missing.db", dir.display());
    let error = runtime()
        .block_on(introspect_url(&url, &IntrospectOptions::default()))
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with(
            "unable to open database file (to create a new database file, add ?mode=rwc to the url)"
        ),
        "{error}"
    );
    let created = format!("sqlite://{}/created.db?mode=rwc", dir.display());
    let read = runtime()
        .block_on(introspect_url(&created, &IntrospectOptions::default()))
        .unwrap();
    assert!(read.schema.tables().next().is_none());
    assert!(dir.join("created.db").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("autogen_introspect_sqlite_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The SQLite normaliser loads a script: a model expression carrying a second statement (here
/// one that would write a file next to the user's) is refused before anything runs.
#[test]
fn a_smuggled_statement_never_reaches_sqlite() {
    let db = autogen_testkit::sqlite();
    db.execute(SETUP);
    let options = IntrospectOptions {
        schemas: vec!["main".to_owned()],
        ..IntrospectOptions::default()
    };
    let rt = runtime();
    let mut schema = rt
        .block_on(introspect_url(db.url(), &options))
        .unwrap()
        .schema;
    let evil = tempfile_dir().join("evil.db");
    let table = schema
        .namespace_mut("main")
        .tables
        .get_mut("users")
        .expect("users");
    let name = table
        .columns
        .iter_mut()
        .find(|c| c.name == "name")
        .expect("name");
    name.default = Some(format!(
        "0); ATTACH DATABASE '{}' AS evil; CREATE TABLE evil.z (id int",
        evil.display()
    ));
    let error = rt
        .block_on(normalise_url(db.url(), &schema, &options))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("the default of column `main.users.name`: "),
        "{error}"
    );
    assert!(!evil.exists(), "the attached database was created");
}
