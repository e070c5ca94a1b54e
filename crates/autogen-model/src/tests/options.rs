//! The keys that say what a constraint, an index key or a column carries beyond its shape:
//! `no_inherit`/`not_valid` checks, `deferrable`/`match_full`/`not_valid` foreign keys,
//! `nulls_not_distinct`/`deferrable` uniques, unique indexes, index elements (operator class,
//! collation, prefix length, columns and expressions mixed), column `collation` and
//! `generated`, SQLite's table options and `sql_type` read in the models' dialect. Each case
//! is the canonical DDL of what the reader made of it, or its diagnostics.

use insta::assert_snapshot;

use super::check;

#[test]
fn constraint_options() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(check(expr = "n > 0", no_inherit), check(name = "late", expr = "n < 100", not_valid))]
#[autogen(unique(columns(a, b), nulls_not_distinct), unique(columns(c), name = "c_later", deferrable, initially_deferred))]
#[autogen(unique(columns(d), deferrable))]
#[autogen(foreign_key(columns(parent), references = "parent(id)", name = "p_fk", deferrable, match_full, not_valid))]
#[autogen(foreign_key(columns(other), references = "parent(id)", initially_deferred))]
pub struct Child {
    #[autogen(primary_key)] pub id: i64,
    pub n: i32,
    pub a: Option<i32>,
    pub b: Option<i32>,
    pub c: i32,
    pub d: i32,
    pub parent: Option<i64>,
    pub other: i64,
}

#[derive(autogen::Model)]
pub struct Parent { #[autogen(primary_key)] pub id: i64 }
"#
    ));
}

#[test]
fn unique_indexes_and_index_elements() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(index(columns(email), unique), index(columns(email, name), unique, nulls_not_distinct, name = "pair"))]
#[autogen(index(columns("name text_pattern_ops"), name = "by_prefix"))]
#[autogen(index(columns("name COLLATE \"C\" varchar_pattern_ops DESC NULLS LAST", "(lower(email))", email)))]
#[autogen(index(columns("(lower(name)) text_pattern_ops"), unique))]
pub struct Person {
    #[autogen(primary_key)] pub id: i64,
    pub email: String,
    #[autogen(max_length = 100)] pub name: String,
}

// A foreign key may reference the columns of a unique index.
#[derive(autogen::Model)]
#[autogen(foreign_key(columns(email), references = "person(email)"))]
pub struct Mail { #[autogen(primary_key)] pub id: i64, pub email: String }
"#
    ));
}

#[test]
fn mysql_prefix_lengths_and_hash_unique_keys() {
    assert_snapshot!(check(
        r#"
//- dialect: mysql
#[derive(autogen::Model)]
#[autogen(index(columns("name(10)", email)), index(columns(credential), unique, method = "hash"))]
pub struct Users {
    #[autogen(primary_key)] pub id: i64,
    pub name: String,
    pub email: String,
    pub credential: String,
    #[autogen(sql_type = "set('a','b')")] pub flags: Option<String>,
    #[autogen(collation = "utf8mb4_bin")] pub login: String,
    #[autogen(generated = "concat(name, email)", stored)] pub both: Option<String>,
    #[autogen(generated = "length(name)")] pub name_length: Option<i64>,
}
"#
    ));
}

#[test]
fn postgres_collations_and_generated_columns() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
pub struct T {
    #[autogen(primary_key)] pub id: i64,
    #[autogen(collation = "C")] pub code: String,
    #[autogen(generated = "id * 2", stored)] pub twice: Option<i64>,
}
"#
    ));
}

#[test]
fn sqlite_declared_types_and_table_options() {
    assert_snapshot!(check(
        r#"
//- dialect: sqlite
#[derive(autogen::Model)]
#[autogen(strict, without_rowid)]
pub struct Kv {
    #[autogen(primary_key, sql_type = "TEXT")] pub k: String,
    #[autogen(sql_type = "ANY")] pub v: Option<String>,
}

#[derive(autogen::Model)]
pub struct Logs {
    #[autogen(primary_key, sql_type = "bigint")] pub id: i64,
    #[autogen(sql_type = "INT")] pub n: i32,
    #[autogen(sql_type = "VARCHAR(20)")] pub name: Option<String>,
    #[autogen(sql_type = "DATETIME", default_sql = "CURRENT_TIMESTAMP")] pub created_at: Option<String>,
    #[autogen(sql_type = "")] pub data: Option<Vec<u8>>,
    #[autogen(generated = "n + 1")] pub g: Option<i64>,
}

// SQLite's names are case-insensitive: a reference to `Logs` is to table `logs`.
#[derive(autogen::Model)]
pub struct Entries {
    #[autogen(primary_key)] pub id: i64,
    #[autogen(references = "Logs.id")] pub log: i64,
}
"#
    ));
}

#[test]
fn misused_keys_are_errors_at_their_place() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(unique(columns("a DESC"), deferrable))]
#[autogen(index(columns("a(x)", "(lower(a)"), nulls_not_distinct = 1))]
#[autogen(index(columns("(1; DROP TABLE t)")))]
#[autogen(check(expr = "a <> ''", no_inherit = "yes"))]
#[autogen(foreign_key(columns(a), references = "t(a)", match_full = 2))]
pub struct T {
    #[autogen(primary_key)] pub id: i64,
    #[autogen(unique)] pub a: String,
    #[autogen(stored)] pub b: Option<String>,
    #[autogen(generated = "a || 'x'", default = "x")] pub c: Option<String>,
    #[autogen(collation = "")] pub d: String,
}
"#
    ));
}

#[test]
fn postgres_variadic_calls_as_the_server_prints_them() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(primary_key = false)]
#[autogen(index(expr = "jsonb_extract_path_text(col, VARIADIC ARRAY['foo'::text, 'bar'::text])", unique, name = "function_index"))]
#[autogen(check(expr = "num_nulls(VARIADIC ARRAY[a, b]) < 2"))]
pub struct Test { pub col: Option<serde_json::Value>, pub a: Option<i32>, pub b: Option<i32> }
"#
    ));
    // Only the word after `(` or `,` is left out: elsewhere it is still refused.
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(primary_key = false)]
#[autogen(check(expr = "VARIADIC a"))]
pub struct Refused { pub a: i32 }
"#
    ));
}

#[test]
fn sqlite_key_columns_may_hold_null_when_the_field_says_so() {
    assert_snapshot!(check(
        r#"
//- dialect: sqlite
#[derive(autogen::Model)]
pub struct Loose { #[autogen(primary_key, sql_type = "bigint")] pub id: Option<i64> }

// Not in a WITHOUT ROWID table, whose key SQLite keeps NOT NULL; nor the rowid.
#[derive(autogen::Model)]
#[autogen(without_rowid)]
pub struct Tight { #[autogen(primary_key)] pub k: Option<String> }

#[derive(autogen::Model)]
pub struct Rowid { #[autogen(primary_key)] pub id: Option<i64> }
"#
    ));
}

#[test]
fn include_columns() {
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(index(columns(a), include(b, c)), index(columns(a), unique, include(b), name = "u"))]
pub struct T { #[autogen(primary_key)] pub id: i64, pub a: i32, pub b: i32, pub c: i32 }
"#
    ));
    assert_snapshot!(check(
        r#"
#[derive(autogen::Model)]
#[autogen(index(columns(a), include(nope)), index(columns(a), include = "b"))]
pub struct T { #[autogen(primary_key)] pub id: i64, pub a: i32, pub b: i32 }
"#
    ));
}
