//! The main job, end to end, with the real binary on real PostgreSQL: the todo app's model
//! versions v1..v8 (`fixtures/todo`), one `autogen -m` per version, `autogen upgrade`, rows
//! inserted between steps that must survive every step, `check` clean after each, a second
//! `-m` that finds nothing, then down to base and up to head again; and sqlx's own migrator
//! applying the generated folder to a fresh database.

use crate::support::walk::{Walk, append, strings};
use autogen_testkit::PostgresDb;

#[test]
fn todo_app_v1_to_v8_and_back() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::postgres(),
    };
    let tasks = "SELECT id::text, title FROM tasks ORDER BY id";

    walk.step(1, "initial schema", &[]);
    walk.db.execute(
        "INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com');
         INSERT INTO priorities (name, rank) VALUES ('low', 1), ('high', 2);
         INSERT INTO tasks (user_id, title, priority) VALUES (1, 'write docs', 'high'), (2, 'test', 'low'), (1, 'rest', NULL);
         INSERT INTO conversations (owner_id, title) VALUES (1, 'standup');
         INSERT INTO messages (conversation_id, author_id, body) VALUES (1, 1, 'hello'), (1, 2, 'hi');",
    );
    let first_tasks = walk.rows(tasks);
    assert_eq!(first_tasks.len(), 3);

    walk.step(2, "add due_date", &[]);
    walk.db
        .execute("UPDATE tasks SET due_date = '2026-12-01' WHERE id = 1");
    assert_eq!(walk.rows(tasks), first_tasks);

    // A NOT NULL column on a populated table: existing rows get the default.
    walk.step(3, "add is_recurring", &[]);
    assert_eq!(
        walk.rows("SELECT id::text, is_recurring::text, due_date::text FROM tasks ORDER BY id"),
        strings(&[
            &["1", "false", "2026-12-01"],
            &["2", "false", "NULL"],
            &["3", "false", "NULL"]
        ])
    );

    // A rename keeps the data.
    walk.step(4, "rename priority to priority_level", &[]);
    let up = std::fs::read_to_string(
        walk.migrations()
            .iter()
            .rev()
            .find(|p| p.to_string_lossy().ends_with(".up.sql"))
            .expect("an up file"),
    )
    .expect("readable");
    assert!(
        up.contains("RENAME COLUMN \"priority\" TO \"priority_level\""),
        "{up}"
    );
    assert_eq!(
        walk.rows("SELECT id::text, priority_level FROM tasks ORDER BY id"),
        strings(&[&["1", "high"], &["2", "low"], &["3", "NULL"]])
    );

    // Names into ids: the developer's data migration (`--empty`), then the type change to an
    // integer foreign key, whose USING cast converts the mapped values.
    let out = walk.ok(
        4,
        &["revision", "--empty", "-m", "map priority names to ids"],
    );
    assert!(out.contains("wrote "), "{out}");
    let files = walk.migrations();
    let (down, up) = (&files[files.len() - 2], &files[files.len() - 1]);
    append(
        up,
        "UPDATE tasks SET priority_level = (SELECT id::text FROM priorities WHERE name = priority_level);\n",
    );
    append(
        down,
        "UPDATE tasks SET priority_level = (SELECT name FROM priorities WHERE id::text = priority_level);\n",
    );
    walk.ok(4, &["upgrade"]);
    walk.step(5, "priority_level references priorities", &[]);
    assert_eq!(
        walk.rows("SELECT t.id::text, p.name FROM tasks t LEFT JOIN priorities p ON p.id = t.priority_level ORDER BY t.id"),
        strings(&[&["1", "high"], &["2", "low"], &["3", "NULL"]])
    );

    walk.step(6, "index tasks by user and completion", &[]);
    walk.db
        .execute("INSERT INTO tasks (user_id, title, priority_level) VALUES (2, 'plan', 2)");

    walk.step(7, "add task status", &[]);
    assert_eq!(
        walk.rows("SELECT id::text, status::text FROM tasks ORDER BY id"),
        strings(&[
            &["1", "pending"],
            &["2", "pending"],
            &["3", "pending"],
            &["4", "pending"]
        ])
    );

    // Dropping a column loses data: refused, nothing written, until allowed.
    let before = walk.migrations().len();
    let refused = walk.autogen(8, &["-m", "drop description"]);
    assert_eq!(refused.code, 1, "{}\n{}", refused.stdout, refused.stderr);
    assert!(
        refused.stderr.contains("--allow-data-loss"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stdout
            .contains("drop column public.tasks.description"),
        "{}",
        refused.stdout
    );
    assert_eq!(
        walk.migrations().len(),
        before,
        "a refused revision writes nothing"
    );
    walk.step(8, "drop description", &["--allow-data-loss"]);
    assert_eq!(walk.rows(tasks).len(), 4);
    assert_eq!(
        walk.rows("SELECT count(*)::text FROM messages"),
        strings(&[&["2"]])
    );

    // Down to base: every table is gone; up to head again: the models match.
    walk.ok(8, &["downgrade", "base"]);
    assert_eq!(
        walk.rows("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'"),
        strings(&[&["0"]])
    );
    assert_eq!(
        walk.rows("SELECT count(*)::text FROM pg_type WHERE typname = 'task_status'"),
        strings(&[&["0"]])
    );
    walk.ok(8, &["upgrade"]);
    assert_eq!(walk.ok(8, &["check"]), "the database matches the models\n");

    sqlx_migrator_reads_the_same_folder(&walk);
}

/// `sqlx::migrate::Migrator` applies the generated folder to a fresh database, and autogen
/// agrees with it about where that database is and that it matches the models.
fn sqlx_migrator_reads_the_same_folder(walk: &Walk<PostgresDb>) {
    let fresh = autogen_testkit::postgres();
    let folder = walk.dir.path().join("migrations");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let migrator = sqlx::migrate::Migrator::new(folder.as_path())
            .await
            .expect("sqlx reads the folder");
        let pool = sqlx::PgPool::connect(fresh.url()).await.expect("pool");
        migrator
            .run(&pool)
            .await
            .expect("sqlx applies every migration");
        pool.close().await;
    });
    let on_fresh = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: fresh,
    };
    std::fs::create_dir(on_fresh.dir.path().join("migrations")).expect("dir");
    for file in walk.migrations() {
        let name = file.file_name().expect("name");
        std::fs::copy(&file, on_fresh.dir.path().join("migrations").join(name)).expect("copy");
    }
    let last = walk
        .migrations()
        .last()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .expect("a file");
    let version = last.split('_').next().expect("a version");
    let current = on_fresh.ok(8, &["current"]);
    assert!(
        current.contains(version),
        "autogen current after sqlx: {current}"
    );
    let status = on_fresh.autogen(8, &["status"]);
    assert_eq!(status.code, 0, "{}{}", status.stdout, status.stderr);
    assert_eq!(
        on_fresh.ok(8, &["check"]),
        "the database matches the models\n"
    );
}
