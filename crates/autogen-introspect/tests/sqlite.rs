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
