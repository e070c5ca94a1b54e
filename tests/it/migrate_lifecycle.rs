//! `autogen-migrate` as a library on real PostgreSQL: what `write_migration` writes is what
//! sqlx's own migrator reads and checksums, targets go where they say, a downgrade that cannot
//! finish does not start, and `-- no-transaction` migrations run outside a transaction.

use std::path::Path;

use autogen_migrate::{
    Database, MigrateError, MigrationFolder, MigrationState, OutOfOrder, downgrade, upgrade,
    write_migration,
};
use autogen_testkit::PostgresDb;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

async fn open(db: &PostgresDb) -> Database {
    Database::postgres(
        autogen_introspect::connect_postgres(db.url())
            .await
            .expect("the test database accepts connections"),
    )
}

async fn read(dir: &Path) -> MigrationFolder {
    MigrationFolder::read(dir).await.expect("the folder reads")
}

/// Upgrades and returns the versions applied, in the order the callback saw them.
async fn up(
    db: &mut Database,
    folder: &MigrationFolder,
    target: &str,
) -> Result<Vec<i64>, MigrateError> {
    let mut seen = Vec::new();
    upgrade(
        db,
        folder,
        target.parse().unwrap(),
        OutOfOrder::Refuse,
        |m| seen.push(m.version),
    )
    .await?;
    Ok(seen)
}

async fn down(
    db: &mut Database,
    folder: &MigrationFolder,
    target: &str,
) -> Result<Vec<i64>, MigrateError> {
    let mut seen = Vec::new();
    downgrade(db, folder, target.parse().unwrap(), |m| {
        seen.push(m.version)
    })
    .await?;
    Ok(seen)
}

fn table_exists(db: &PostgresDb, table: &str) -> bool {
    db.query(&format!("SELECT to_regclass('{table}') IS NOT NULL"))[0][0].as_deref() == Some("t")
}

/// Three migrations written by `write_migration`: t1, t2, t3, each creating a table.
fn three(dir: &Path) {
    for (version, name) in [(1, "t1"), (2, "t2"), (3, "t3")] {
        write_migration(
            dir,
            version,
            &format!("create {name}"),
            &format!("CREATE TABLE {name} (id int);\n"),
            &format!("DROP TABLE {name};\n"),
        )
        .unwrap();
    }
}

#[test]
fn written_migrations_are_what_sqlx_reads_and_both_runners_agree() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().unwrap();
    let files = write_migration(
        dir.path(),
        20240131120000,
        "Add Due Date",
        "-- add due date\nCREATE TABLE tasks (id int, due date);\n",
        "DROP TABLE tasks;\n",
    )
    .unwrap();
    assert_eq!(
        files.up.file_name().unwrap(),
        "20240131120000_add_due_date.up.sql"
    );
    runtime().block_on(async {
        let sqlx_view = sqlx::migrate::Migrator::new(dir.path().to_path_buf())
            .await
            .unwrap();
        let folder = read(dir.path()).await;
        let ours = &folder.migrations()[0];
        let up = sqlx_view
            .iter()
            .find(|m| m.migration_type.is_up_migration())
            .unwrap();
        assert_eq!(
            (up.version, &*up.description),
            (20240131120000, "add due date")
        );
        assert_eq!(ours.description, "add due date");
        assert_eq!(&*up.checksum, ours.checksum.as_slice());

        // Applied by autogen, validated by sqlx (which fails on a checksum it disagrees with).
        let mut conn = open(&db).await;
        assert_eq!(up_ok(&mut conn, &folder, "head").await, [20240131120000]);
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(db.url())
            .await
            .unwrap();
        sqlx_view
            .run(&pool)
            .await
            .expect("sqlx sees it applied, unchanged");
        // Reverted by sqlx's undo, seen by autogen.
        sqlx_view.undo(&pool, 0).await.unwrap();
        pool.close().await;
        let history = conn.history(&folder).await.unwrap();
        assert_eq!(history.entries()[0].state, MigrationState::Pending);
        assert!(!table_exists(&db, "tasks"));
        conn.close().await;
    });
}

async fn up_ok(db: &mut Database, folder: &MigrationFolder, target: &str) -> Vec<i64> {
    up(db, folder, target).await.expect("the upgrade runs")
}

#[test]
fn targets_go_where_they_say() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().unwrap();
    three(dir.path());
    runtime().block_on(async {
        let folder = read(dir.path()).await;
        let mut conn = open(&db).await;
        assert!(conn.applied().await.unwrap().is_empty());
        assert!(
            !table_exists(&db, "_sqlx_migrations"),
            "reading creates nothing"
        );

        assert_eq!(up_ok(&mut conn, &folder, "2").await, [1, 2]);
        assert_eq!(up_ok(&mut conn, &folder, "2").await, Vec::<i64>::new());
        assert_eq!(up_ok(&mut conn, &folder, "+1").await, [3]);
        let error = up(&mut conn, &folder, "+1").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "`upgrade +1` applies 1 migration, but none is pending"
        );
        assert_eq!(down(&mut conn, &folder, "1").await.unwrap(), [3, 2]);
        assert!(table_exists(&db, "t1") && !table_exists(&db, "t2"));
        assert_eq!(up_ok(&mut conn, &folder, "head").await, [2, 3]);
        assert_eq!(down(&mut conn, &folder, "-2").await.unwrap(), [3, 2]);
        assert_eq!(down(&mut conn, &folder, "base").await.unwrap(), [1]);
        assert_eq!(
            down(&mut conn, &folder, "base").await.unwrap(),
            Vec::<i64>::new()
        );
        assert!(conn.applied().await.unwrap().is_empty());
        conn.close().await;
    });
}

#[test]
fn a_downgrade_that_cannot_finish_does_not_start() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().unwrap();
    three(dir.path());
    runtime().block_on(async {
        let mut conn = open(&db).await;
        up_ok(&mut conn, &read(dir.path()).await, "head").await;
        // Migration 2 loses its down file: reverting to base would have to skip it.
        std::fs::remove_file(dir.path().join("2_create_t2.down.sql")).unwrap();
        let folder = read(dir.path()).await;
        let error = down(&mut conn, &folder, "base").await.unwrap_err();
        assert!(
            matches!(error, MigrateError::NoDownFile { version: 2, .. }),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .ends_with("cannot be reverted: there is no 2_create_t2.down.sql"),
            "{error}"
        );
        assert_eq!(
            conn.applied().await.unwrap().len(),
            3,
            "3 was not reverted either"
        );
        assert!(table_exists(&db, "t3"));
        // Above it, a downgrade still works.
        assert_eq!(down(&mut conn, &folder, "-1").await.unwrap(), [3]);
        conn.close().await;
    });
}

#[test]
fn no_transaction_migrations_run_outside_a_transaction() {
    let db = autogen_testkit::postgres();
    db.execute("CREATE TABLE big (id int)");
    let dir = tempfile::tempdir().unwrap();
    write_migration(
        dir.path(),
        1,
        "index big",
        "-- no-transaction\nCREATE INDEX CONCURRENTLY big_id_idx ON big (id);\n",
        "-- no-transaction\nDROP INDEX CONCURRENTLY big_id_idx;\n",
    )
    .unwrap();
    runtime().block_on(async {
        let folder = read(dir.path()).await;
        assert!(folder.migrations()[0].up_no_transaction);
        let mut conn = open(&db).await;
        // CREATE INDEX CONCURRENTLY fails inside a transaction block; here it succeeds.
        assert_eq!(up_ok(&mut conn, &folder, "head").await, [1]);
        assert!(table_exists(&db, "big_id_idx"));
        assert_eq!(down(&mut conn, &folder, "base").await.unwrap(), [1]);
        assert!(!table_exists(&db, "big_id_idx"));
        conn.close().await;
    });

    // The same statement without the marker runs in sqlx's transaction and fails.
    let dir = tempfile::tempdir().unwrap();
    write_migration(
        dir.path(),
        1,
        "index big",
        "CREATE INDEX CONCURRENTLY big_id_idx ON big (id);\n",
        "",
    )
    .unwrap();
    runtime().block_on(async {
        let folder = read(dir.path()).await;
        let mut conn = open(&db).await;
        let error = up(&mut conn, &folder, "head").await.unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("cannot run inside a transaction block")
                && text.contains("it ran in a transaction, which was rolled back"),
            "{text}"
        );
        conn.close().await;
    });
}

#[test]
fn upgrade_targets_that_do_not_exist_are_refused_before_anything_runs() {
    let db = autogen_testkit::postgres();
    let dir = tempfile::tempdir().unwrap();
    three(dir.path());
    runtime().block_on(async {
        let folder = read(dir.path()).await;
        let mut conn = open(&db).await;
        let error = up(&mut conn, &folder, "7").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("no migration with version 7 in {}", dir.path().display())
        );
        let error = down(&mut conn, &folder, "2").await.unwrap_err();
        assert!(
            matches!(error, MigrateError::NotApplied { version: 2 }),
            "{error}"
        );
        assert!(conn.applied().await.unwrap().is_empty());
        conn.close().await;
    });
}
