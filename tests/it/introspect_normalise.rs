//! The PostgreSQL normaliser: a hand-spelled schema comes back spelled as PostgreSQL spells it,
//! a schema read from PostgreSQL comes back unchanged, and nothing is left on the server: no
//! database, schema, table, type or role, also when the server refuses an expression or an
//! expression carries a second statement.

use autogen_introspect::{
    IntrospectOptions, connect_postgres, introspect_postgres, normalise_postgres,
};
use autogen_schema::{CheckConstraint, Column, ColumnType, Dialect, PrimaryKey, Schema, Table};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn hand_spelled() -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    let mut table = Table::new("accounts");
    let mut id = Column::new("id", ColumnType::BigInt);
    id.nullable = false;
    let mut state = Column::new("state", ColumnType::Text);
    state.default = Some("'open'".to_owned());
    let mut balance = Column::new(
        "balance",
        ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2),
        },
    );
    balance.default = Some("0".to_owned());
    table.columns = vec![id, state, balance];
    table.primary_key = Some(PrimaryKey {
        name: "accounts_pkey".to_owned(),
        columns: vec!["id".to_owned()],
    });
    table.checks.insert(
        "accounts_balance_check".to_owned(),
        CheckConstraint {
            not_valid: false,
            name: "accounts_balance_check".to_owned(),
            expression: "balance >= 0".to_owned(),
            no_inherit: false,
        },
    );
    schema
        .namespace_mut("public")
        .tables
        .insert("accounts".to_owned(), table);
    schema
}

/// What the normaliser must leave as it was: the database's schemas, relations and types.
fn catalog(db: &autogen_testkit::PostgresDb) -> Vec<Vec<Option<String>>> {
    db.query(
        "SELECT (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace),
                (SELECT count(*)::text FROM pg_class),
                (SELECT count(*)::text FROM pg_type)",
    )
}

fn normalise(
    db: &autogen_testkit::PostgresDb,
    schema: &Schema,
) -> Result<autogen_introspect::Introspection, autogen_introspect::IntrospectError> {
    runtime().block_on(async {
        let mut conn = connect_postgres(db.url()).await.expect("connect");
        normalise_postgres(&mut conn, schema).await
    })
}

fn expressions_come_back_as_the_database_prints_them() {
    let db = autogen_testkit::postgres();
    let before = catalog(&db);
    let normalised = normalise(&db, &hand_spelled()).expect("normalises");
    let table = normalised.schema.schemas["public"].tables["accounts"].clone();
    assert_eq!(
        table.column("state").and_then(|c| c.default.as_deref()),
        Some("'open'::text")
    );
    assert_eq!(
        table.column("balance").and_then(|c| c.default.as_deref()),
        Some("0")
    );
    assert_eq!(
        table
            .checks
            .get("accounts_balance_check")
            .expect("accounts_balance_check")
            .expression,
        "(balance >= (0)::numeric)"
    );
    assert_eq!(catalog(&db), before, "the database keeps something");
}

fn a_schema_read_from_postgres_is_a_fixed_point() {
    let db = autogen_testkit::postgres();
    db.execute(include_str!("../../fixtures/inspect/every_kind.sql"));
    let options = IntrospectOptions {
        schemas: vec!["public".to_owned(), "app".to_owned()],
        ..IntrospectOptions::default()
    };
    let rt = runtime();
    let read = rt.block_on(async {
        let mut conn = connect_postgres(db.url()).await.expect("connect");
        introspect_postgres(&mut conn, &options)
            .await
            .expect("introspect")
            .schema
    });
    let before = catalog(&db);
    // The same names exist already: the normaliser's tables do not collide with them.
    let normalised = normalise(&db, &read).expect("normalises");
    assert_eq!(
        normalised.schema.with_columns_by_name(),
        without_keys(&read)
    );
    assert_eq!(catalog(&db), before);
}

fn a_schema_that_does_not_load_says_why_and_leaves_nothing_behind() {
    let db = autogen_testkit::postgres();
    let mut schema = hand_spelled();
    let table = schema
        .namespace_mut("public")
        .tables
        .get_mut("accounts")
        .expect("table");
    table.columns[1].default = Some("no_such_function()".to_owned());
    let before = catalog(&db);
    let error = normalise(&db, &schema).expect_err("a default calling a missing function");
    assert_eq!(
        error.to_string(),
        "the database refuses the default of column `public.accounts.state`: \
         function no_such_function() does not exist"
    );
    assert_eq!(catalog(&db), before);
}

fn a_smuggled_statement_never_runs_and_the_error_names_the_object() {
    let db = autogen_testkit::postgres();
    let role = format!("pwned_{}", std::process::id());
    let mut schema = hand_spelled();
    let table = schema
        .namespace_mut("public")
        .tables
        .get_mut("accounts")
        .expect("table");
    // Straight into the IR: the model reader, which refuses this with a file:line:col, is
    // bypassed, so the normaliser's own defences are what is tested.
    table.columns[2].default = Some(format!("0); CREATE ROLE {role}; CREATE TABLE z (id int"));
    let before = catalog(&db);
    let error = normalise(&db, &schema).expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("the default of column `public.accounts.balance`: "),
        "{error}"
    );
    let exists = db.query(&format!(
        "SELECT count(*)::text FROM pg_roles WHERE rolname = '{role}'"
    ));
    assert_eq!(exists[0][0].as_deref(), Some("0"), "the role was created");
    assert_eq!(catalog(&db), before);
    // A check smuggling a second statement after a balanced expression.
    let mut schema = hand_spelled();
    let table = schema
        .namespace_mut("public")
        .tables
        .get_mut("accounts")
        .expect("table");
    table
        .checks
        .iter_mut()
        .map(|(_, check)| check)
        .next()
        .expect("a check")
        .expression = format!("balance >= 0); CREATE ROLE {role}; SELECT (1");
    let error = normalise(&db, &schema).expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("check `accounts_balance_check` on table `public.accounts`: "),
        "{error}"
    );
    let exists = db.query(&format!(
        "SELECT count(*)::text FROM pg_roles WHERE rolname = '{role}'"
    ));
    assert_eq!(exists[0][0].as_deref(), Some("0"), "the role was created");
}

/// What the normaliser reads back: columns with their expressions, checks and the indexes
/// that hold an expression; no keys, identities or comments.
fn without_keys(schema: &Schema) -> Schema {
    let mut out = schema.with_columns_by_name();
    for namespace in out.schemas.values_mut() {
        namespace.enums.clear();
        namespace.sequences.clear();
        for table in namespace.tables.values_mut() {
            table.primary_key = None;
            table.uniques.clear();
            table.foreign_keys.clear();
            table.comment = None;
            table.indexes.retain(|_, i| {
                i.predicate.is_some()
                    || i.keys
                        .iter()
                        .any(|k| matches!(k.target, autogen_schema::IndexTarget::Expression(_)))
            });
            for column in &mut table.columns {
                column.identity = None;
                column.nullable = true;
                column.comment = None;
            }
        }
    }
    out.schemas.retain(|_, ns| !ns.tables.is_empty());
    out
}

#[test]
fn the_rolled_back_normaliser() {
    expressions_come_back_as_the_database_prints_them();
    a_schema_read_from_postgres_is_a_fixed_point();
    a_schema_that_does_not_load_says_why_and_leaves_nothing_behind();
    a_smuggled_statement_never_runs_and_the_error_names_the_object();
}
