//! MySQL/MariaDB introspection: a hand-written schema read into the IR (snapshot), and the
//! inspect round trip: reading the database a schema's canonical DDL made gives the schema back.

use autogen_introspect::{IntrospectOptions, introspect_url, normalise_url};
use autogen_schema::{Dialect, canonical_ddl_text};
use autogen_testkit::mariadb;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

const SCHEMA: &str = r#"
CREATE TABLE users (
    id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email varchar(200) NOT NULL,
    bio text,
    active tinyint(1) NOT NULL DEFAULT 1,
    status enum('active','banned') NOT NULL DEFAULT 'active',
    balance decimal(12,2) NOT NULL DEFAULT 0.00,
    settings json,
    created_at datetime(6) NOT NULL DEFAULT current_timestamp(6),
    email_domain varchar(200) GENERATED ALWAYS AS (substring_index(email, '@', -1)) VIRTUAL,
    UNIQUE KEY users_email_key (email),
    KEY users_bio_idx (bio(20)),
    CONSTRAINT users_balance_check CHECK (balance >= 0)
) COMMENT 'people';
CREATE TABLE posts (
    id int NOT NULL AUTO_INCREMENT,
    user_id bigint unsigned NOT NULL,
    title varchar(100) COLLATE utf8mb4_bin NOT NULL COMMENT 'the title',
    PRIMARY KEY (id),
    KEY posts_user_title (user_id, title DESC),
    CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
"#;

#[test]
fn a_mariadb_schema_reads_into_the_ir_and_round_trips() {
    let db = mariadb();
    db.execute(SCHEMA);
    let runtime = runtime();
    let options = IntrospectOptions::default();
    let read = runtime
        .block_on(introspect_url(db.url(), &options))
        .expect("introspection");
    assert_eq!(read.schema.dialect, Dialect::MySql);
    assert_eq!(read.statements, 6);
    insta::assert_snapshot!("mariadb_ddl", canonical_ddl_text(&read.schema));
    insta::assert_snapshot!(
        "mariadb_ir",
        serde_json::to_string_pretty(&read.schema).expect("json")
    );

    let again = runtime
        .block_on(normalise_url(db.url(), &read.schema, &options))
        .expect("normalise");
    assert_eq!(again.schema, read.schema);
}

/// Set-based: the number of statements does not depend on the number of tables.
#[test]
fn mysql_introspection_statements_do_not_grow_with_tables() {
    let runtime = runtime();
    let mut counts = Vec::new();
    for tables in [3, 120] {
        let db = mariadb();
        let ddl: String = (0..tables)
            .map(|i| {
                format!(
                    "CREATE TABLE t{i} (id int PRIMARY KEY, parent int, name varchar(20), \
                     KEY t{i}_name (name), CONSTRAINT t{i}_parent CHECK (parent > 0));"
                )
            })
            .collect();
        db.execute(&ddl);
        let read = runtime
            .block_on(introspect_url(db.url(), &IntrospectOptions::default()))
            .expect("introspection");
        assert_eq!(read.schema.tables().count(), tables);
        counts.push(read.statements);
    }
    assert_eq!(counts[0], counts[1]);
}

/// The temporary tables take the database's character set and collation, as real tables would,
/// and no database is made for them.
#[test]
fn normalising_on_a_latin1_database_keeps_collations_and_leaves_nothing() {
    let db = mariadb();
    db.execute(&format!(
        "ALTER DATABASE `{}` CHARACTER SET latin1 COLLATE latin1_swedish_ci; \
         CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b varchar(10) COLLATE latin1_bin)",
        db.name()
    ));
    let runtime = runtime();
    let options = IntrospectOptions::default();
    let read = runtime
        .block_on(introspect_url(db.url(), &options))
        .expect("introspection");
    let again = runtime
        .block_on(normalise_url(db.url(), &read.schema, &options))
        .expect("normalise");
    assert_eq!(again.schema, read.schema);
    // The scratch databases of old were named after the process that made them.
    let left = db.query(&format!(
        "SELECT COUNT(*) FROM information_schema.SCHEMATA \
         WHERE SCHEMA_NAME LIKE 'autogen\\_scratch\\_{}\\_%'",
        std::process::id()
    ));
    assert_eq!(left, vec![vec![Some("0".to_owned())]]);
    let tables =
        db.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
    assert_eq!(tables, vec![vec![Some("1".to_owned())]]);
}
