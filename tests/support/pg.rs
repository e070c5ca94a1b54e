//! PostgreSQL helpers for the end-to-end tests, through the same library calls the CLI makes.

use autogen_introspect::{PostgresOptions, connect_postgres, introspect_postgres};
use autogen_schema::Schema;
use autogen_testkit::PostgresDb;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Loads a script in one transaction, like the corpus index's `loads` column assumes.
pub fn load(db: &PostgresDb, sql: &str) -> Result<(), String> {
    db.try_execute(sql)
}

pub fn inspect(db: &PostgresDb) -> Result<Schema, String> {
    inspect_with(db, &PostgresOptions::default())
}

pub fn inspect_with(db: &PostgresDb, options: &PostgresOptions) -> Result<Schema, String> {
    runtime().block_on(async {
        let mut conn = connect_postgres(db.url())
            .await
            .map_err(|e| e.to_string())?;
        let introspection = introspect_postgres(&mut conn, options)
            .await
            .map_err(|e| e.to_string())?;
        Ok(introspection.schema)
    })
}

/// Roles are per server, not per database: create the ones the corpus grants to, once.
pub fn ensure_roles(roles_sql: &str) {
    let db = autogen_testkit::postgres();
    for statement in roles_sql.lines().filter(|l| l.starts_with("CREATE ROLE")) {
        let guarded =
            format!("DO $$ BEGIN {statement} EXCEPTION WHEN duplicate_object THEN NULL; END $$;",);
        db.try_execute(&guarded)
            .unwrap_or_else(|e| panic!("cannot create a corpus role: {e}"));
    }
}
