//! Every diagnostic, rendered as the CLI prints it. Each case also shows that reading goes on
//! after an error: every error of a run is reported.

use insta::assert_snapshot;

use super::check;

#[test]
fn unknown_keys_everywhere_say_what_is_expected() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(tabel = "x", index(colums(a)), check(nam = "c", expr = "a > 0"))]
struct T {
    #[autogen(primary_key, nullable)]
    id: i64,
    #[autogen(sql_type(postgresql = "text"))]
    a: String,
}

#[derive(autogen::Enum)]
#[autogen(rename = "x")]
enum E {
    #[autogen(label = "y")]
    A,
}
"#), @r#"
    error: unknown key `tabel` on a struct (did you mean `table`?); expected one of: table, schema, renamed_from, comment, index, unique, check, primary_key, foreign_key, strict, without_rowid
     --> models.rs:2:11
      |
    2 | #[autogen(tabel = "x", index(colums(a)), check(nam = "c", expr = "a > 0"))]
      |           ^^^^^

    error: unknown key `colums` on index(..) (did you mean `columns`?); expected one of: columns, expr, name, method, where, unique, nulls_not_distinct, include, dialects
     --> models.rs:2:30
      |
    2 | #[autogen(tabel = "x", index(colums(a)), check(nam = "c", expr = "a > 0"))]
      |                              ^^^^^^

    error: unknown key `nam` on check(..) (did you mean `name`?); expected one of: name, expr, no_inherit, not_valid, dialects
     --> models.rs:2:48
      |
    2 | #[autogen(tabel = "x", index(colums(a)), check(nam = "c", expr = "a > 0"))]
      |                                                ^^^

    error: unknown key `nullable` on a field; expected one of: primary_key, identity, column, sql_type, max_length, precision, scale, unique, index, references, on_delete, on_update, default, default_sql, check, comment, renamed_from, skip, backfill, backfill_sql, collation, generated, stored
     --> models.rs:4:28
      |
    4 |     #[autogen(primary_key, nullable)]
      |                            ^^^^^^^^

    error: unknown key `postgresql` on sql_type(..) (did you mean `postgres`?); expected one of: postgres, mysql, sqlite
     --> models.rs:6:24
      |
    6 |     #[autogen(sql_type(postgresql = "text"))]
      |                        ^^^^^^^^^^

    error: unknown key `rename` on an enum (did you mean `name`?); expected one of: name, schema, rename_all, comment
      --> models.rs:11:11
       |
    11 | #[autogen(rename = "x")]
       |           ^^^^^^

    error: unknown key `label` on an enum variant; expected one of: value, renamed_from
      --> models.rs:13:15
       |
    13 |     #[autogen(label = "y")]
       |               ^^^^^
    "#);
}

#[test]
fn wrong_value_types() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(table = 5, comment)]
struct T {
    #[autogen(primary_key = "yes")]
    id: i64,
    #[autogen(max_length = "long")]
    a: String,
    #[autogen(max_length = 0, index = 3)]
    b: String,
    #[autogen(default = users.id)]
    c: i64,
    #[autogen(default = "zero")]
    d: i64,
    #[autogen(default = 1.5)]
    e: i32,
    #[autogen(default = 1)]
    f: bool,
    #[autogen(references = "users")]
    g: i64,
    #[autogen(identity = "sometimes")]
    h: i64,
    #[autogen(identity)]
    i: String,
    #[autogen(precision = 5)]
    j: i32,
    #[autogen(columns(a))]
    k: i32,
}
"#), @r#"
    error: `table` takes a string, not a whole number: `table = ".."`
     --> models.rs:2:19
      |
    2 | #[autogen(table = 5, comment)]
      |                   ^

    error: `comment` takes a value: `comment = ".."`
     --> models.rs:2:22
      |
    2 | #[autogen(table = 5, comment)]
      |                      ^^^^^^^

    error: `primary_key` is a flag: `primary_key` or `primary_key = false`, not a string
     --> models.rs:4:29
      |
    4 |     #[autogen(primary_key = "yes")]
      |                             ^^^^^

    error: `max_length` takes a positive whole number, not a string: `max_length = 10`
     --> models.rs:6:28
      |
    6 |     #[autogen(max_length = "long")]
      |                            ^^^^^^

    error: `max_length` takes a positive whole number: `max_length = 10`
     --> models.rs:8:28
      |
    8 |     #[autogen(max_length = 0, index = 3)]
      |                            ^

    error: `index` is a flag: `index` or `index = false`, not a whole number
     --> models.rs:8:39
      |
    8 |     #[autogen(max_length = 0, index = 3)]
      |                                       ^

    error: `default`: expected a literal: a bool, a number or a string
      --> models.rs:10:25
       |
    10 |     #[autogen(default = users.id)]
       |                         ^^^^^^^^

    error: `default`: a string does not fit column type `bigint`
      --> models.rs:12:25
       |
    12 |     #[autogen(default = "zero")]
       |                         ^^^^^^

    error: `default`: a decimal number does not fit column type `integer`
      --> models.rs:14:25
       |
    14 |     #[autogen(default = 1.5)]
       |                         ^^^

    error: `default`: a whole number does not fit column type `boolean`
      --> models.rs:16:25
       |
    16 |     #[autogen(default = 1)]
       |                         ^

    error: cannot read `references = "users"`; expected "table.column" or "schema.table.column"
      --> models.rs:18:28
       |
    18 |     #[autogen(references = "users")]
       |                            ^^^^^^^

    error: unknown identity `sometimes`; expected `identity`, `identity = "always"`, `identity = "by_default"` or `identity = false`
      --> models.rs:20:26
       |
    20 |     #[autogen(identity = "sometimes")]
       |                          ^^^^^^^^^^^

    error: `identity` needs an integer column, not `text`
      --> models.rs:22:15
       |
    22 |     #[autogen(identity)]
       |               ^^^^^^^^

    error: `precision` is for decimals, times and timestamps, not column type `integer`
      --> models.rs:24:15
       |
    24 |     #[autogen(precision = 5)]
       |               ^^^^^^^^^

    error: unknown key `columns` on a field (did you mean `column`?); expected one of: primary_key, identity, column, sql_type, max_length, precision, scale, unique, index, references, on_delete, on_update, default, default_sql, check, comment, renamed_from, skip, backfill, backfill_sql, collation, generated, stored
      --> models.rs:26:15
       |
    26 |     #[autogen(columns(a))]
       |               ^^^^^^^
    "#);
}

#[test]
fn unknown_and_ambiguous_rust_types() {
    assert_snapshot!(check(r#"
//- file: a.rs
#[derive(autogen::Model)]
struct T {
    #[autogen(primary_key)]
    id: i64,
    money: Money,
    maybe: Option<std::collections::HashMap<String, i32>>,
    tuple: (i32, i32),
    kind: Kind,
    ok: Option<Kind2>,
}
#[derive(autogen::Enum)]
enum Kind { A }
//- file: b.rs
#[derive(autogen::Enum)]
#[autogen(name = "kind_b")]
enum Kind { B }
"#), @r#"
    error: unknown type `Money`: give the column type with `sql_type = ".."`, or derive `autogen::Enum` on it
     --> a.rs:5:12
      |
    5 |     money: Money,
      |            ^^^^^

    error: unknown type `std::collections::HashMap<String, i32>`: give the column type with `sql_type = ".."`, or derive `autogen::Enum` on it
     --> a.rs:6:19
      |
    6 |     maybe: Option<std::collections::HashMap<String, i32>>,
      |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: unknown type `(i32, i32)`: give the column type with `sql_type = ".."`, or derive `autogen::Enum` on it
     --> a.rs:7:12
      |
    7 |     tuple: (i32, i32),
      |            ^^^^^^^^^^

    error: `Kind` names 2 enums (public.kind, public.kind_b); give the column type with `sql_type`
     --> a.rs:8:11
      |
    8 |     kind: Kind,
      |           ^^^^

    error: unknown type `Kind2`: give the column type with `sql_type = ".."`, or derive `autogen::Enum` on it
     --> a.rs:9:16
      |
    9 |     ok: Option<Kind2>,
      |                ^^^^^
    "#);
}

#[test]
fn references_to_missing_tables_and_columns() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(schema = "app")]
struct User { #[autogen(primary_key)] id: i64 }

#[derive(autogen::Model)]
struct Post {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(references = "user.id")]
    author: i64,
    #[autogen(references = "app.user.uuid")]
    editor: i64,
    #[autogen(on_delete = "cascade")]
    orphan: i64,
    #[autogen(references = "post.author")]
    copy_of: i64,
}
"#), @r#"
    error: `post.author` references `user.id`, but no model defines table `public.user`
     --> models.rs:9:28
      |
    9 |     #[autogen(references = "user.id")]
      |                            ^^^^^^^^^

    error: `post.editor` references `app.user.uuid`, but table `app.user` has no column `uuid`
      --> models.rs:11:28
       |
    11 |     #[autogen(references = "app.user.uuid")]
       |                            ^^^^^^^^^^^^^^^

    error: `on_delete` needs `references = "table.column"` on the same field
      --> models.rs:13:15
       |
    13 |     #[autogen(on_delete = "cascade")]
       |               ^^^^^^^^^

    error: `post.copy_of` references `post.author`, but `author` is neither the primary key of `public.post` nor unique
      --> models.rs:15:28
       |
    15 |     #[autogen(references = "post.author")]
       |                            ^^^^^^^^^^^^^
    "#);
}

#[test]
fn two_tables_with_one_name_and_duplicate_columns() {
    assert_snapshot!(check(r#"
//- file: one.rs
#[derive(autogen::Model)]
struct User { #[autogen(primary_key)] id: i64 }
//- file: two.rs
#[derive(autogen::Model)]
#[autogen(table = "user")]
struct Person { #[autogen(primary_key)] id: i64 }

#[derive(autogen::Model)]
struct Twice {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(column = "id")]
    other: i64,
}
"#), @r#"
    error: table `public.user` is defined twice (first at one.rs:2:8)
     --> two.rs:2:19
      |
    2 | #[autogen(table = "user")]
      |                   ^^^^^^

    error: column `id` is defined twice in table `public.twice` (first at two.rs:8:5)
     --> two.rs:9:24
      |
    9 |     #[autogen(column = "id")]
      |                        ^^^^
    "#);
}

#[test]
fn a_table_and_an_enum_type_with_one_name() {
    assert_snapshot!(check(r#"
#[derive(autogen::Enum)]
enum Status { Active, Gone }

mod tables {
    #[derive(autogen::Model)]
    struct Status { #[autogen(primary_key)] id: i64 }

    #[derive(autogen::Model)]
    #[autogen(schema = "other", table = "status")]
    struct Elsewhere { #[autogen(primary_key)] id: i64 }
}
"#), @"
    error: table `public.status` has the name of enum type `public.status`; PostgreSQL gives every table a row type of its own name
     --> models.rs:6:12
      |
    6 |     struct Status { #[autogen(primary_key)] id: i64 }
      |            ^^^^^^
    ");
}

#[test]
fn tables_without_a_primary_key_or_with_two() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
struct Log { line: String }

#[derive(autogen::Model)]
#[autogen(primary_key(a))]
struct Both { #[autogen(primary_key)] a: i64 }

#[derive(autogen::Model)]
#[autogen(primary_key(missing, a))]
struct Unknown { a: i64 }
"#), @"
    error: table `public.log` has no primary key; mark a field `#[autogen(primary_key)]`, give `#[autogen(primary_key(a, b))]` on the struct, or `#[autogen(primary_key = false)]` for a table without one
     --> models.rs:2:8
      |
    2 | struct Log { line: String }
      |        ^^^

    error: the primary key is given twice: by `primary_key(..)` on the struct (at models.rs:5:11) and on this field
     --> models.rs:6:39
      |
    6 | struct Both { #[autogen(primary_key)] a: i64 }
      |                                       ^

    error: table `public.unknown` has no column `missing`
     --> models.rs:9:23
      |
    9 | #[autogen(primary_key(missing, a))]
      |                       ^^^^^^^
    ");
}

#[test]
fn renamed_from_whose_old_name_still_exists() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(renamed_from = "legacy")]
struct Account {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(renamed_from = "email")]
    mail: String,
    email: String,
}

#[derive(autogen::Model)]
struct Legacy { #[autogen(primary_key)] id: i64 }

#[derive(autogen::Enum)]
enum Color { Red, #[autogen(renamed_from = "Red")] Crimson }
"#), @r#"
    error: `renamed_from = "legacy"`, but a model still defines table `public.legacy`
     --> models.rs:2:26
      |
    2 | #[autogen(renamed_from = "legacy")]
      |                          ^^^^^^^^

    error: `renamed_from = "email"`, but table `public.account` still has a column `email`
     --> models.rs:6:30
      |
    6 |     #[autogen(renamed_from = "email")]
      |                              ^^^^^^^

    error: `renamed_from = "Red"`, but enum `Color` still has a label `Red`
      --> models.rs:15:44
       |
    15 | enum Color { Red, #[autogen(renamed_from = "Red")] Crimson }
       |                                            ^^^^^
    "#);
}

#[test]
fn unparsable_rust_is_reported_with_its_span_and_other_files_still_read() {
    assert_snapshot!(check(r#"
//- file: broken.rs
#[derive(autogen::Model)]
struct T {
    id: ,
}
//- file: fine.rs
#[derive(autogen::Model)]
struct U { id: Money }
"#), @r#"
    error: expected one of: `for`, parentheses, `unsafe`, `fn`, `extern`, identifier, `::`, `<`, `dyn`, square brackets, `*`, `&`, `!`, `impl`, `_`, lifetime
     --> broken.rs:3:9
      |
    3 |     id: ,
      |         ^

    error: table `public.u` has no primary key; mark a field `#[autogen(primary_key)]`, give `#[autogen(primary_key(a, b))]` on the struct, or `#[autogen(primary_key = false)]` for a table without one
     --> fine.rs:2:8
      |
    2 | struct U { id: Money }
      |        ^

    error: unknown type `Money`: give the column type with `sql_type = ".."`, or derive `autogen::Enum` on it
     --> fine.rs:2:16
      |
    2 | struct U { id: Money }
      |                ^^^^^
    "#);
}

#[test]
fn malformed_attributes() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen]
#[autogen(= 3)]
#[autogen(table = "t" schema = "s")]
struct T {
    #[autogen("primary_key")]
    #[autogen(primary_key)]
    id: i64,
}
"#), @r#"
    error: expected `#[autogen(..)]` with keys in parentheses
     --> models.rs:2:1
      |
    2 | #[autogen]
      | ^^^^^^^^^^

    error: expected a key, as in `key`, `key = ".."` or `key(..)`
     --> models.rs:3:11
      |
    3 | #[autogen(= 3)]
      |           ^

    error: expected `,`
     --> models.rs:4:23
      |
    4 | #[autogen(table = "t" schema = "s")]
      |                       ^^^^^^

    error: expected a key on a field; expected one of: primary_key, identity, column, sql_type, max_length, precision, scale, unique, index, references, on_delete, on_update, default, default_sql, check, comment, renamed_from, skip, backfill, backfill_sql, collation, generated, stored
     --> models.rs:6:15
      |
    6 |     #[autogen("primary_key")]
      |               ^^^^^^^^^^^^^
    "#);
}

#[test]
fn malformed_sql_types() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
struct T {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(sql_type = "varchar(abc)")]
    a: String,
    #[autogen(sql_type = "numeric(10")]
    b: String,
    #[autogen(sql_type = "")]
    c: String,
    #[autogen(sql_type = "text", max_length = 3)]
    d: String,
}
"#), @r#"
    error: `sql_type` must be one SQL data type for postgres: expected: literal int, found: abc at Line: 1, Column: 9
     --> models.rs:5:26
      |
    5 |     #[autogen(sql_type = "varchar(abc)")]
      |                          ^^^^^^^^^^^^^^

    error: `sql_type` must be one SQL data type for postgres: expected: ), found: EOF
     --> models.rs:7:26
      |
    7 |     #[autogen(sql_type = "numeric(10")]
      |                          ^^^^^^^^^^^^

    error: `sql_type` must be one SQL data type for postgres: found nothing
     --> models.rs:9:26
      |
    9 |     #[autogen(sql_type = "")]
      |                          ^^

    error: `max_length` has no effect with `sql_type`; write the modifier in the type
      --> models.rs:11:34
       |
    11 |     #[autogen(sql_type = "text", max_length = 3)]
       |                                  ^^^^^^^^^^
    "#);
}

#[test]
fn bad_referential_actions() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
struct T {
    #[autogen(primary_key)]
    id: i64,
    #[autogen(references = "t.id", on_delete = "delete", on_update = "nothing")]
    parent: Option<i64>,
}
"#), @r#"
    error: unknown `on_delete` action `delete`; expected one of: cascade, restrict, set null, set default, no action
     --> models.rs:5:48
      |
    5 |     #[autogen(references = "t.id", on_delete = "delete", on_update = "nothing")]
      |                                                ^^^^^^^^

    error: unknown `on_update` action `nothing`; expected one of: cascade, restrict, set null, set default, no action
     --> models.rs:5:70
      |
    5 |     #[autogen(references = "t.id", on_delete = "delete", on_update = "nothing")]
      |                                                                      ^^^^^^^^^
    "#);
}

#[test]
fn unknown_rename_all_and_other_enum_errors() {
    assert_snapshot!(check(r#"
#[derive(autogen::Enum)]
#[autogen(rename_all = "Title Case")]
enum A { One }

#[derive(autogen::Enum)]
enum B { One(i32), Two { x: i32 }, Three }

#[derive(autogen::Enum)]
#[autogen(rename_all = "lowercase")]
enum C { One, ONE }

#[derive(autogen::Enum)]
#[autogen(name = "a")]
enum D { One }

#[derive(autogen::Model)]
struct T { #[autogen(primary_key)] id: i64, #[autogen(default = "two")] a: A }
"#), @r#"
    error: unknown `rename_all` value `Title Case`; expected one of: lowercase, UPPERCASE, PascalCase, camelCase, snake_case, SCREAMING_SNAKE_CASE, kebab-case, SCREAMING-KEBAB-CASE
     --> models.rs:2:24
      |
    2 | #[autogen(rename_all = "Title Case")]
      |                        ^^^^^^^^^^^^

    error: variant `One` carries data; a database enum's variants are plain names
     --> models.rs:6:10
      |
    6 | enum B { One(i32), Two { x: i32 }, Three }
      |          ^^^

    error: variant `Two` carries data; a database enum's variants are plain names
     --> models.rs:6:20
      |
    6 | enum B { One(i32), Two { x: i32 }, Three }
      |                    ^^^

    error: label `one` appears twice in enum `C`
      --> models.rs:10:15
       |
    10 | enum C { One, ONE }
       |               ^^^

    error: enum type `public.a` is defined twice (first at models.rs:3:6)
      --> models.rs:14:6
       |
    14 | enum D { One }
       |      ^

    error: `default`: enum `public.a` has no label `two`; its labels are: One
      --> models.rs:17:65
       |
    17 | struct T { #[autogen(primary_key)] id: i64, #[autogen(default = "two")] a: A }
       |                                                                 ^^^^^
    "#);
}

#[test]
fn keys_that_exclude_each_other_or_repeat() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(table = "a")]
#[autogen(table = "b", index(columns(x), expr = "lower(x)"), index(name = "i"))]
struct T {
    #[autogen(primary_key, default_sql = "1", default = 1)]
    id: i64,
    #[autogen(backfill = "a", backfill_sql = "'b'")]
    x: String,
    #[autogen(scale = 2)]
    y: rust_decimal::Decimal,
    #[autogen(identity, default = 3)]
    z: i64,
    #[autogen(sql_type = "serial", default = 3)]
    w: i32,
}
"#), @r#"
    error: `table` is given twice on a struct
     --> models.rs:3:11
      |
    3 | #[autogen(table = "b", index(columns(x), expr = "lower(x)"), index(name = "i"))]
      |           ^^^^^

    error: index(..) takes either `columns(..)` or `expr = ".."`, not both
     --> models.rs:3:42
      |
    3 | #[autogen(table = "b", index(columns(x), expr = "lower(x)"), index(name = "i"))]
      |                                          ^^^^

    error: index(..) needs `columns(..)` or `expr = ".."`: `index(columns(a, b))`
     --> models.rs:3:62
      |
    3 | #[autogen(table = "b", index(columns(x), expr = "lower(x)"), index(name = "i"))]
      |                                                              ^^^^^

    error: give either `default` (a literal) or `default_sql` (an expression), not both
     --> models.rs:5:28
      |
    5 |     #[autogen(primary_key, default_sql = "1", default = 1)]
      |                            ^^^^^^^^^^^

    error: give either `backfill` or `backfill_sql`, not both
     --> models.rs:7:31
      |
    7 |     #[autogen(backfill = "a", backfill_sql = "'b'")]
      |                               ^^^^^^^^^^^^

    error: `scale` needs `precision`: `precision = 10, scale = 2`
     --> models.rs:9:15
      |
    9 |     #[autogen(scale = 2)]
      |               ^^^^^

    error: an identity column cannot have a default as well
      --> models.rs:11:15
       |
    11 |     #[autogen(identity, default = 3)]
       |               ^^^^^^^^

    error: a serial column has its own default; drop `default`/`default_sql`
      --> models.rs:14:5
       |
    14 |     w: i32,
       |     ^
    "#);
}

#[test]
fn unsupported_items_and_columns_that_do_not_exist() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
struct Tuple(i64, String);

#[derive(autogen::Model)]
enum NotAStruct { A }

#[derive(autogen::Enum)]
struct NotAnEnum { a: i32 }

#[derive(autogen::Model)]
#[autogen(index(columns(nope, "b NULLS sideways")), unique(columns(a), name = "u"))]
#[autogen(check(name = "c"), index(columns()), index(expr = "a", name = "u"))]
#[autogen(check(name = "c", expr = "a > 0"), check(name = "c", expr = "a < 9"))]
struct T { #[autogen(primary_key)] a: i64 }
"#), @r#"
    error: model `Tuple` needs named fields: each field is a column
     --> models.rs:2:8
      |
    2 | struct Tuple(i64, String);
      |        ^^^^^

    error: `NotAStruct` is an enum: a model is a struct; an enum type derives `autogen::Enum`
     --> models.rs:5:6
      |
    5 | enum NotAStruct { A }
      |      ^^^^^^^^^^

    error: `NotAnEnum` is a struct: an enum type is an enum; a model derives `autogen::Model`
     --> models.rs:8:8
      |
    8 | struct NotAnEnum { a: i32 }
      |        ^^^^^^^^^

    error: table `public.t` has no column `nope`
      --> models.rs:11:25
       |
    11 | #[autogen(index(columns(nope, "b NULLS sideways")), unique(columns(a), name = "u"))]
       |                         ^^^^

    error: cannot read `b NULLS sideways` as an index key: `NULLS sideways`: expected `NULLS FIRST` or `NULLS LAST`; expected `column [COLLATE collation] [opclass] [ASC | DESC] [NULLS FIRST | NULLS LAST]`, with `column(N)` for a prefix length and `(expression)` for an expression
      --> models.rs:11:31
       |
    11 | #[autogen(index(columns(nope, "b NULLS sideways")), unique(columns(a), name = "u"))]
       |                               ^^^^^^^^^^^^^^^^^^

    error: `check` needs `expr`: `check(name = "..", expr = "..")`
      --> models.rs:12:11
       |
    12 | #[autogen(check(name = "c"), index(columns()), index(expr = "a", name = "u"))]
       |           ^^^^^

    error: `columns` needs at least one column: `columns(a, "b DESC")`
      --> models.rs:12:36
       |
    12 | #[autogen(check(name = "c"), index(columns()), index(expr = "a", name = "u"))]
       |                                    ^^^^^^^

    error: the name `u` is taken by another table, index or constraint
      --> models.rs:12:73
       |
    12 | #[autogen(check(name = "c"), index(columns()), index(expr = "a", name = "u"))]
       |                                                                         ^^^

    error: the name `c` is taken by another constraint
      --> models.rs:13:59
       |
    13 | #[autogen(check(name = "c", expr = "a > 0"), check(name = "c", expr = "a < 9"))]
       |                                                           ^^^
    "#);
}

#[test]
fn names_postgres_would_truncate_and_schemas_where_there_are_none() {
    assert_snapshot!(check(r#"
#[derive(autogen::Model)]
#[autogen(table = "a_table_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes")]
#[autogen(index(columns(id), name = "an_index_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes"))]
struct T {
    #[autogen(primary_key)]
    id: i64,
    a_column_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes: i32,
}

#[derive(autogen::Enum)]
enum AnEnumNameThatIsFarTooLongForPostgresWhichKeepsSixtyThreeBytes { A }
"#), @r#"
    error: `a_table_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes` is 67 bytes long; PostgreSQL keeps 63 and would truncate it
     --> models.rs:2:19
      |
    2 | #[autogen(table = "a_table_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes")]
      |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `an_index_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes` is 68 bytes long; PostgreSQL keeps 63 and would truncate it
     --> models.rs:3:37
      |
    3 | #[autogen(index(columns(id), name = "an_index_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes"))]
      |                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `a_column_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes` is 68 bytes long; PostgreSQL keeps 63 and would truncate it
     --> models.rs:7:5
      |
    7 |     a_column_name_that_is_far_too_long_for_postgres_which_keeps_63_bytes: i32,
      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `an_enum_name_that_is_far_too_long_for_postgres_which_keeps_sixty_three_bytes` is 76 bytes long; PostgreSQL keeps 63 and would truncate it
      --> models.rs:11:6
       |
    11 | enum AnEnumNameThatIsFarTooLongForPostgresWhichKeepsSixtyThreeBytes { A }
       |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    "#);
    assert_snapshot!(check(r#"
//- dialect: mysql
#[derive(autogen::Model)]
#[autogen(schema = "app")]
struct T { #[autogen(primary_key)] id: i64 }
"#), @r#"
    error: `schema` is for PostgreSQL; a mysql database has one namespace
     --> models.rs:2:20
      |
    2 | #[autogen(schema = "app")]
      |                    ^^^^^
    "#);
}

#[test]
fn a_render_points_at_the_token_with_tabs_and_wide_lines() {
    assert_snapshot!(check("#[derive(autogen::Model)]\nstruct T {\n\t#[autogen(primary_key)]\n\tid: i64,\n\t#[autogen(on_delete = \"explode\", references = \"t.id\")]\n\tp: i64,\n}\n"), @r#"
    error: unknown `on_delete` action `explode`; expected one of: cascade, restrict, set null, set default, no action
     --> models.rs:5:24
      |
    5 |     #[autogen(on_delete = "explode", references = "t.id")]
      |                           ^^^^^^^^^
    "#);
}
