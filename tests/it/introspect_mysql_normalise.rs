//! The MySQL/MariaDB normaliser on the real server: what it reads back from temporary tables is
//! what `information_schema` says about real tables of the same definitions, it leaves nothing
//! behind, and model text carrying a second statement never runs.

use autogen_introspect::{IntrospectError, IntrospectOptions, introspect_url, normalise_url};
use autogen_schema::{Column, ColumnType, Dialect, ReferentialAction, Schema, Table};
use autogen_testkit::{MariaDb, mariadb};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Where a case's raw text goes.
#[derive(Clone, Copy)]
enum Kind {
    Default,
    Virtual,
    Stored,
    Check,
}

/// (type of column `x`, where, the text as a model would write it)
const CASES: &[(&str, Kind, &str)] = &[
    ("int", Kind::Default, "0"),
    ("int", Kind::Default, "-1"),
    ("int", Kind::Default, "'5'"),
    ("bigint unsigned", Kind::Default, "18446744073709551615"),
    ("decimal(5,2)", Kind::Default, "1.5"),
    ("double", Kind::Default, "1e3"),
    ("float", Kind::Default, "1.25"),
    ("varchar(20)", Kind::Default, "'abc'"),
    ("varchar(20)", Kind::Default, "'it''s'"),
    ("varchar(20)", Kind::Default, "'a\\\\b'"),
    ("varchar(20)", Kind::Default, "'x;y'"),
    ("varchar(20)", Kind::Default, "''"),
    ("varchar(20)", Kind::Default, "\"dq\""),
    ("varchar(20)", Kind::Default, "_utf8mb4'x'"),
    ("char(3)", Kind::Default, "'ab'"),
    ("tinyint(1)", Kind::Default, "true"),
    ("boolean", Kind::Default, "FALSE"),
    ("date", Kind::Default, "'2020-01-01'"),
    ("datetime", Kind::Default, "'2020-01-01 10:00:00'"),
    ("datetime(6)", Kind::Default, "current_timestamp(6)"),
    ("timestamp", Kind::Default, "CURRENT_TIMESTAMP"),
    ("timestamp", Kind::Default, "now()"),
    ("time", Kind::Default, "'10:00'"),
    ("year", Kind::Default, "2024"),
    ("enum('a','b')", Kind::Default, "'b'"),
    ("bit(3)", Kind::Default, "b'101'"),
    ("varbinary(4)", Kind::Default, "x'0A0B'"),
    ("text", Kind::Default, "'x'"),
    ("json", Kind::Default, "'{}'"),
    ("int", Kind::Default, "NULL"),
    ("int", Kind::Default, "(1+2)"),
    ("varchar(20)", Kind::Default, "(concat('a','b'))"),
    ("varchar(40)", Kind::Default, "(uuid())"),
    ("date", Kind::Default, "(curdate())"),
    ("double", Kind::Default, "(pi())"),
    ("int", Kind::Default, "(a + 1)"),
    ("varchar(20)", Kind::Default, "(lower(s))"),
    ("int", Kind::Virtual, "a + 1"),
    ("bigint", Kind::Stored, "a * 2 + 1"),
    ("varchar(30)", Kind::Stored, "concat(s, '-')"),
    ("varchar(30)", Kind::Virtual, "json_value(j, '$.a')"),
    (
        "varchar(3)",
        Kind::Virtual,
        "case when a > 0 then 'p' else 'n' end",
    ),
    ("int", Kind::Stored, "if(a is null, 0, a)"),
    ("int", Kind::Virtual, "a div 2"),
    ("int", Kind::Check, "a > 0"),
    ("int", Kind::Check, "a in (1,2,3)"),
    ("int", Kind::Check, "a between 1 and 10"),
    ("int", Kind::Check, "s like 'x%'"),
    ("int", Kind::Check, "s regexp '^[a-z]+$'"),
    ("int", Kind::Check, "a is not null and s <> ''"),
    ("int", Kind::Check, "char_length(s) <= 10"),
    ("int", Kind::Check, "a > 0 or a < -5"),
    ("int", Kind::Check, "not (a = 3)"),
    ("int", Kind::Check, "s in ('x','y')"),
    ("int", Kind::Check, "coalesce(a,0) >= 0"),
    ("int", Kind::Check, "x >= 0 and x <> a"),
    ("int", Kind::Check, "json_valid(s)"),
];

fn case_ddl(n: usize, ty: &str, kind: Kind, raw: &str) -> String {
    let (column, check) = match kind {
        Kind::Default => (format!("x {ty} DEFAULT {raw}"), String::new()),
        Kind::Virtual => (format!("x {ty} AS ({raw}) VIRTUAL"), String::new()),
        Kind::Stored => (format!("x {ty} AS ({raw}) STORED"), String::new()),
        Kind::Check => (format!("x {ty}"), format!(", CONSTRAINT ck CHECK ({raw})")),
    };
    format!(
        "CREATE TABLE c{n} (id int PRIMARY KEY, a int, s varchar(20), j json, {column}{check});\n"
    )
}

/// The texts a model would carry, put where the introspected spelling was.
fn as_written(table: &Table, kind: Kind, raw: &str) -> Table {
    let mut table = table.clone();
    let x = table
        .columns
        .iter_mut()
        .find(|c| c.name == "x")
        .expect("column x");
    match kind {
        Kind::Default => x.default = Some(raw.to_owned()),
        Kind::Virtual | Kind::Stored => {
            x.generated.as_mut().expect("generated").expression = raw.to_owned()
        }
        Kind::Check => table.checks.get_mut("ck").expect("check ck").expression = raw.to_owned(),
    }
    table
}

/// (d) For every expression kind: a real table's `information_schema` spelling (what the live
/// side reads) equals what the normaliser reads back from a temporary table made from the text
/// as written. Also: the index MariaDB adds for a foreign key no index serves, the rule it reports
/// for an action not written (RESTRICT), and a FULLTEXT index (kept out of the temporary table).
#[test]
fn temporary_table_spelling_equals_information_schema_spelling() {
    let db = mariadb();
    let mut ddl: String = CASES
        .iter()
        .enumerate()
        .map(|(n, (ty, kind, raw))| case_ddl(n, ty, *kind, raw))
        .collect();
    ddl.push_str(
        "CREATE TABLE parent (id int PRIMARY KEY, body text, FULLTEXT KEY parent_body (body));
         CREATE TABLE child (id int PRIMARY KEY, parent_id int, other_id int, note varchar(50),
           KEY child_other (other_id, note),
           CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id),
           CONSTRAINT child_other_fk FOREIGN KEY (other_id) REFERENCES parent (id) ON DELETE CASCADE);
         CREATE TABLE types (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
           u int unsigned NOT NULL, z int(5) unsigned zerofill, sm smallint NOT NULL DEFAULT 0,
           st set('a','b') DEFAULT 'a,b', l1 char(3) CHARACTER SET latin1,
           l2 varchar(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL, bin varchar(10) COLLATE utf8mb4_bin,
           mt mediumtext, lb longblob, u6 uuid, ip inet6, pt point NOT NULL, y year,
           dt datetime(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
           dd double(10,2), flag tinyint(1) NOT NULL DEFAULT 1, inv int INVISIBLE,
           SPATIAL KEY types_pt (pt), UNIQUE KEY types_u (u), KEY types_mt (mt(20)), KEY types_z (z DESC));
         CREATE TABLE cm (id int PRIMARY KEY COMMENT 'it''s a\\nb\\\\c') COMMENT 'tab\\tle';",
    );
    db.execute(&ddl);
    let runtime = runtime();
    let options = IntrospectOptions::default();
    let live = runtime
        .block_on(introspect_url(db.url(), &options))
        .expect("introspection")
        .schema;

    let mut written = live.clone();
    let namespace = written.namespace_mut("main");
    for (n, (_, kind, raw)) in CASES.iter().enumerate() {
        let name = format!("c{n}");
        let table = as_written(&namespace.tables[&name], *kind, raw);
        namespace.tables.insert(name, table);
    }
    // Comments as a model writes them; migrations send them through `quote_literal`.
    let cm = namespace.tables.get_mut("cm").expect("cm");
    assert_eq!(cm.comment.as_deref(), Some("tab\tle"));
    cm.comment = Some("tab\\tle".to_owned());
    cm.columns[0].comment = Some("it's a\\nb\\\\c".to_owned());
    let child = namespace.tables.get_mut("child").expect("child");
    // A model says neither the index InnoDB adds for the key nor RESTRICT.
    assert!(child.indexes.remove("child_parent").is_some(), "{child:#?}");
    let fk = child.foreign_keys.get_mut("child_parent").expect("fk");
    assert_eq!(fk.on_delete, ReferentialAction::Restrict);
    fk.on_delete = ReferentialAction::NoAction;
    fk.on_update = ReferentialAction::NoAction;

    let normalised = runtime
        .block_on(normalise_url(db.url(), &written, &options))
        .expect("normalise");
    let mut wrong = Vec::new();
    for (name, table) in live.tables() {
        let back = normalised.schema.table(&name);
        if back != Some(table) {
            let case = name
                .name
                .strip_prefix('c')
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| CASES.get(n))
                .map(|(ty, _, raw)| format!("{ty} {raw}"))
                .unwrap_or_default();
            wrong.push(format!(
                "{} ({case}):\n  information_schema: {table:?}\n  temporary table:    {back:?}",
                name.name
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(
        normalised.schema.tables().count(),
        live.tables().count(),
        "{:#?}",
        normalised.schema
    );
}

fn count(db: &MariaDb, sql: &str) -> String {
    db.query(sql)[0][0].clone().unwrap_or_default()
}

/// (c) A model expression carrying a second statement is refused before anything is sent, the
/// error names the table and the column, and the statement never runs.
#[test]
fn a_smuggled_create_user_in_a_model_expression_never_runs() {
    let db = mariadb();
    let user = format!("autogen_pwned_{}", std::process::id());
    let create_user = format!("CREATE USER '{user}'@'%'");
    let runtime = runtime();
    let options = IntrospectOptions::default();
    let smuggled: Vec<(&str, String)> = vec![
        (
            "default",
            format!("0); {create_user}; CREATE TABLE z (id int"),
        ),
        ("default", format!("'\\''); {create_user}; -- ")),
        ("default", format!("0 /*!, y int); {create_user}; -- */")),
        (
            "check",
            format!("1); {create_user}; CREATE TABLE z (id int"),
        ),
        ("generated", format!("1) VIRTUAL); {create_user}; --")),
        ("type", format!("int; {create_user}")),
        ("default", "0), y int, z int DEFAULT (1".to_owned()),
    ];
    for (place, text) in &smuggled {
        let mut table = Table::new("t");
        table.columns.push(Column::new("id", ColumnType::Integer));
        let mut c = Column::new("c", ColumnType::Integer);
        c.nullable = true;
        match *place {
            "default" => c.default = Some(text.clone()),
            "generated" => {
                c.generated = Some(autogen_schema::Generated {
                    expression: text.clone(),
                    stored: false,
                })
            }
            "type" => c.ty = ColumnType::Other { name: text.clone() },
            _ => {}
        }
        table.columns.push(c);
        if *place == "check" {
            table.checks.insert(
                "t_c_check".to_owned(),
                autogen_schema::CheckConstraint {
                    not_valid: false,
                    name: "t_c_check".to_owned(),
                    expression: text.clone(),
                    no_inherit: false,
                },
            );
        }
        let mut schema = Schema::new(Dialect::MySql);
        schema
            .namespace_mut("main")
            .tables
            .insert("t".to_owned(), table);
        let error = runtime
            .block_on(normalise_url(db.url(), &schema, &options))
            .expect_err(&format!("{place} {text:?} must be refused"));
        assert!(
            matches!(error, IntrospectError::Expression { .. }),
            "{place} {text:?}: {error}"
        );
        let message = error.to_string();
        let names_it = if *place == "check" {
            message.contains("check `t_c_check` of table `t`")
        } else {
            message.contains("column `t`.`c`")
        };
        assert!(names_it, "{message}");
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM mysql.user WHERE User = '{user}'")
            ),
            "0",
            "{text}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            ),
            "0"
        );
    }
}

/// A server error while normalising names the table as the models call it, not the temporary name.
#[test]
fn a_server_error_names_the_model_table() {
    let db = mariadb();
    let mut table = Table::new("orders");
    table.columns.push(Column::new("id", ColumnType::Integer));
    let mut c = Column::new("total", ColumnType::Integer);
    c.default = Some("(no_such_function_xyz(1))".to_owned());
    table.columns.push(c);
    let mut schema = Schema::new(Dialect::MySql);
    schema
        .namespace_mut("main")
        .tables
        .insert("orders".to_owned(), table);
    let error = runtime()
        .block_on(normalise_url(
            db.url(),
            &schema,
            &IntrospectOptions::default(),
        ))
        .expect_err("an unknown function");
    let message = error.to_string();
    assert!(message.contains("table `orders`"), "{message}");
    assert!(!message.contains("autogen_normalise"), "{message}");
}

/// Any subset of tables, none at all included; every call's temporary tables are gone after it
/// (a second call on a new connection succeeds with the same positional names).
#[test]
fn subsets_and_an_empty_schema_normalise() {
    let db = mariadb();
    db.execute(
        "CREATE TABLE a (id int PRIMARY KEY, n int DEFAULT 1);
         CREATE TABLE b (id int PRIMARY KEY, a_id int, CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id));",
    );
    let runtime = runtime();
    let options = IntrospectOptions::default();
    let live = runtime
        .block_on(introspect_url(db.url(), &options))
        .expect("introspection")
        .schema;
    let empty = Schema::new(Dialect::MySql);
    let none = runtime
        .block_on(normalise_url(db.url(), &empty, &options))
        .expect("normalise nothing");
    assert_eq!(none.schema.tables().count(), 0);
    for keep in ["a", "b"] {
        let mut subset = live.clone();
        subset
            .namespace_mut("main")
            .tables
            .retain(|name, _| name == keep);
        let back = runtime
            .block_on(normalise_url(db.url(), &subset, &options))
            .expect("normalise a subset");
        assert_eq!(back.schema, subset, "{keep}");
    }
}
