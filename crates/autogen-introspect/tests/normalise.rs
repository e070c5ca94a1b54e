//! The scratch-database normaliser: a hand-spelled schema comes back spelled as PostgreSQL
//! spells it, and a schema read from PostgreSQL comes back unchanged.

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

/// Only this process's scratch databases: other test processes may be normalising right now.
fn own_scratch_databases() -> String {
    format!(
        "SELECT count(*)::text FROM pg_database WHERE datname LIKE 'autogen\\_scratch\\_{}\\_%'",
        std::process::id()
    )
}

fn expressions_come_back_as_the_database_prints_them() {
    let db = autogen_testkit::postgres();
    let normalised = runtime()
        .block_on(normalise_postgres(
            db.url(),
            &hand_spelled(),
            &IntrospectOptions::default(),
        ))
        .expect("normalises");
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
        table.checks["accounts_balance_check"].expression,
        "(balance >= (0)::numeric)"
    );
    // The scratch database is gone and the target database untouched.
    let leftovers = db.query(&own_scratch_databases());
    assert_eq!(leftovers[0][0].as_deref(), Some("0"));
    let tables = db.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'");
    assert_eq!(tables[0][0].as_deref(), Some("0"));
}

fn a_schema_read_from_postgres_is_a_fixed_point() {
    let db = autogen_testkit::postgres();
    db.execute(include_str!("../../../fixtures/inspect/every_kind.sql"));
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
    let normalised = rt
        .block_on(normalise_postgres(db.url(), &read, &options))
        .expect("normalises");
    assert_eq!(normalised.schema, read);
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
    let error = runtime()
        .block_on(normalise_postgres(
            db.url(),
            &schema,
            &IntrospectOptions::default(),
        ))
        .expect_err("a default calling a missing function cannot load");
    assert!(
        error
            .to_string()
            .contains("does not load on the server: function no_such_function() does not exist"),
        "{error}"
    );
    let leftovers = db.query(&own_scratch_databases());
    assert_eq!(leftovers[0][0].as_deref(), Some("0"));
}

/// One test, run in sequence: the leftover checks count this process's scratch databases, which
/// a parallel test thread of the same process would otherwise be creating at the same moment.
#[test]
fn the_scratch_database_normaliser() {
    expressions_come_back_as_the_database_prints_them();
    a_schema_read_from_postgres_is_a_fixed_point();
    a_schema_that_does_not_load_says_why_and_leaves_nothing_behind();
}
