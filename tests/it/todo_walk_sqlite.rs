//! `todo_walk.rs` on SQLite, with nothing installed: the todo app's model versions v1..v8
//! (`fixtures/todo`), one `autogen -m` per version, `autogen upgrade`, rows inserted between
//! steps that must survive every step (SQLite rebuilds tables for most changes: the rows are
//! copied), `check` clean after each, a second `-m` that finds nothing, then down to base and up
//! to head again; and sqlx's own migrator applying the generated folder to a fresh database.

use crate::support::scenario::Scenario;
use crate::support::walk::{Walk, append, strings};
use autogen_testkit::SqliteDb;

impl Walk<SqliteDb> {
    /// The rows of the tables that every step rebuilds around or points at: a rebuild of a
    /// parent table must not fire its children's `ON DELETE CASCADE` / `SET NULL`.
    fn survivors(&self, version: u32) {
        assert_eq!(
            self.rows(
                "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM priorities), \
                 (SELECT count(*) FROM conversations), \
                 (SELECT group_concat(author_id || ':' || body) FROM messages), \
                 (SELECT group_concat(user_id || ':' || title) FROM tasks WHERE id <= 3)"
            ),
            strings(&[&["2", "2", "1", "1:hello,2:hi", "1:write docs,2:test,1:rest"]]),
            "v{version}: rows lost"
        );
    }
}

#[test]
fn todo_app_v1_to_v8_and_back_on_sqlite() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::sqlite(),
    };
    let tasks = "SELECT id, title FROM tasks ORDER BY id";

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
    walk.survivors(2);
    walk.db
        .execute("UPDATE tasks SET due_date = '2026-12-01' WHERE id = 1");
    assert_eq!(walk.rows(tasks), first_tasks);

    // A NOT NULL column on a populated table: existing rows get the default (SQLite keeps
    // `false` as 0).
    walk.step(3, "add is_recurring", &[]);
    walk.survivors(3);
    assert_eq!(
        walk.rows("SELECT id, is_recurring, due_date FROM tasks ORDER BY id"),
        strings(&[
            &["1", "0", "2026-12-01"],
            &["2", "0", "NULL"],
            &["3", "0", "NULL"]
        ])
    );

    // A rename keeps the data.
    walk.step(4, "rename priority to priority_level", &[]);
    walk.survivors(4);
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
        walk.rows("SELECT id, priority_level FROM tasks ORDER BY id"),
        strings(&[&["1", "high"], &["2", "low"], &["3", "NULL"]])
    );

    // Names into ids: the developer's data migration (`--empty`), then the type change to an
    // integer foreign key: a rebuild, whose copy stores the mapped values as integers.
    let out = walk.ok(
        4,
        &["revision", "--empty", "-m", "map priority names to ids"],
    );
    assert!(out.contains("wrote "), "{out}");
    let files = walk.migrations();
    let (down, up) = (&files[files.len() - 2], &files[files.len() - 1]);
    append(
        up,
        "UPDATE tasks SET priority_level = (SELECT CAST(id AS TEXT) FROM priorities WHERE name = priority_level);\n",
    );
    append(
        down,
        "UPDATE tasks SET priority_level = (SELECT name FROM priorities WHERE CAST(id AS TEXT) = priority_level);\n",
    );
    walk.ok(4, &["upgrade"]);
    walk.step(5, "priority_level references priorities", &[]);
    walk.survivors(5);
    assert_eq!(
        walk.rows("SELECT t.id, p.name, typeof(t.priority_level) FROM tasks t LEFT JOIN priorities p ON p.id = t.priority_level ORDER BY t.id"),
        strings(&[
            &["1", "high", "integer"],
            &["2", "low", "integer"],
            &["3", "NULL", "null"]
        ])
    );

    walk.step(6, "index tasks by user and completion", &[]);
    walk.survivors(6);
    walk.db
        .execute("INSERT INTO tasks (user_id, title, priority_level) VALUES (2, 'plan', 2)");

    walk.step(7, "add task status", &[]);
    walk.survivors(7);
    assert_eq!(
        walk.rows("SELECT id, status FROM tasks ORDER BY id"),
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
            .contains("drop column main.tasks.description"),
        "{}",
        refused.stdout
    );
    assert_eq!(
        walk.migrations().len(),
        before,
        "a refused revision writes nothing"
    );
    walk.step(8, "drop description", &["--allow-data-loss"]);
    walk.survivors(8);
    assert_eq!(walk.rows(tasks).len(), 4);
    assert_eq!(
        walk.rows("SELECT count(*) FROM messages"),
        strings(&[&["2"]])
    );

    // Down to base: every table is gone; up to head again: the models match.
    walk.ok(8, &["downgrade", "base"]);
    assert_eq!(
        walk.rows("SELECT count(*) FROM sqlite_schema WHERE tbl_name <> '_sqlx_migrations'"),
        strings(&[&["0"]])
    );
    walk.ok(8, &["upgrade"]);
    assert_eq!(walk.ok(8, &["check"]), "the database matches the models\n");

    sqlx_migrator_reads_the_same_folder(&walk);
    upgrade_script_run_by_hand(&walk);
}

/// `upgrade --sql` on a fresh database, run as it is, leaves it where `upgrade` would: at head,
/// with sqlx's bookkeeping (checksums included) and the models' schema.
fn upgrade_script_run_by_hand(walk: &Walk<SqliteDb>) {
    let fresh = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::sqlite(),
    };
    std::fs::create_dir(fresh.dir.path().join("migrations")).expect("dir");
    for file in walk.migrations() {
        let name = file.file_name().expect("name");
        std::fs::copy(&file, fresh.dir.path().join("migrations").join(name)).expect("copy");
    }
    let script = fresh.ok(8, &["upgrade", "--sql"]);
    assert!(script.contains("X'"), "{script}");
    fresh.db.execute(&script);
    let status = fresh.autogen(8, &["status"]);
    assert_eq!(status.code, 0, "{}{}", status.stdout, status.stderr);
    assert_eq!(fresh.ok(8, &["check"]), "the database matches the models\n");
}

/// `sqlx::migrate::Migrator` applies the generated folder to a fresh database, and autogen
/// agrees with it about where that database is and that it matches the models.
fn sqlx_migrator_reads_the_same_folder(walk: &Walk<SqliteDb>) {
    let fresh = autogen_testkit::sqlite();
    let folder = walk.dir.path().join("migrations");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let migrator = sqlx::migrate::Migrator::new(folder.as_path())
            .await
            .expect("sqlx reads the folder");
        let pool = sqlx::SqlitePool::connect(fresh.url()).await.expect("pool");
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

/// SQLite takes an expression default only in parentheses (`DEFAULT (lower(hex(..)))`) and
/// reads it back without them: a model's `default_sql` function call, with or without its own
/// parentheses, applies to a populated table, fills the rows, and then checks clean (no drift,
/// no second migration).
#[test]
fn expression_defaults_apply_on_a_populated_table_and_read_back_clean() {
    let db = autogen_testkit::sqlite();
    let scenario = Scenario::new(db.url());
    let note = |fields: &str| {
        format!(
            "#[derive(autogen::Model)]\nstruct Note {{\n    #[autogen(primary_key)]\n    id: i64,\n    body: String,\n{fields}}}\n"
        )
    };
    scenario.models(&note(""));
    scenario.ok(&[&["-m", "notes"], &["upgrade"]]);
    db.execute("INSERT INTO note (body) VALUES ('a'), ('b')");
    scenario.models(&note(
        r#"    #[autogen(default_sql = "lower(hex(randomblob(16)))")]
    token: String,
    #[autogen(default_sql = "(lower(hex(randomblob(8))))")]
    short_token: String,
    #[autogen(default_sql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")]
    stamp: String,
"#,
    ));
    scenario.ok(&[&["-m", "tokens"], &["upgrade"], &["check"]]);
    assert_eq!(
        db.query(
            "SELECT body, length(token), length(short_token), stamp LIKE '____-__-__T%Z' FROM note ORDER BY id"
        ),
        strings(&[&["a", "32", "16", "1"], &["b", "32", "16", "1"]]),
        "the rows got the defaults"
    );
    scenario.settled();
}

/// A default SQLite cannot evaluate (`now()` is PostgreSQL's) is the model's error, with its
/// place, when the migration is written: not a failure halfway through `upgrade`.
#[test]
fn a_default_sqlite_cannot_evaluate_names_the_model_attribute() {
    let db = autogen_testkit::sqlite();
    let scenario = Scenario::new(db.url());
    scenario.models(
        "#[derive(autogen::Model)]\nstruct Note {\n    #[autogen(primary_key)]\n    id: i64,\n    #[autogen(default_sql = \"now()\")]\n    created: String,\n}\n",
    );
    let (code, out) = scenario.autogen(&["-m", "notes"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("models/models.rs:5:") && out.contains("no such function: now"),
        "{out}"
    );
    assert!(
        !scenario.dir.path().join("migrations").exists()
            || std::fs::read_dir(scenario.dir.path().join("migrations"))
                .expect("migrations dir")
                .next()
                .is_none(),
        "nothing is written"
    );
}

/// The todo walk with a view over `tasks` and a trigger on it, made by hand after v1 (models
/// cannot declare either): every step applies (the rebuilds of `tasks` drop them and create
/// them again in the same transaction), rows survive, and SQLite's own `sqlite_schema` has both,
/// as they were written, after every up and every down; `check` never proposes to drop them.
#[test]
fn todo_walk_keeps_a_view_and_a_trigger_on_sqlite() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::sqlite(),
    };
    walk.step(1, "initial schema", &[]);
    let view = "CREATE VIEW open_tasks AS SELECT id, user_id, title FROM tasks WHERE NOT completed";
    let trigger = "CREATE TRIGGER tasks_updated_at AFTER UPDATE OF title ON tasks BEGIN UPDATE tasks SET created_at = '2000-01-01 00:00:00' WHERE id = NEW.id; END";
    walk.db.execute(&format!(
        "INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com');
         INSERT INTO tasks (user_id, title) VALUES (1, 'write docs'), (2, 'test'), (1, 'rest');
         UPDATE tasks SET completed = 1 WHERE id = 3;
         {view}; {trigger};"
    ));
    let kept = |when: &str| {
        assert_eq!(
            walk.rows("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY type"),
            strings(&[&["trigger", "tasks_updated_at", trigger], &["view", "open_tasks", view]]),
            "{when}: the view and the trigger are as written"
        );
        assert_eq!(
            walk.rows("SELECT group_concat(title) FROM (SELECT title FROM open_tasks ORDER BY id)"),
            strings(&[&["write docs,test"]]),
            "{when}: the view reads the rows"
        );
        walk.db
            .execute("UPDATE tasks SET title = title WHERE id = 2; UPDATE tasks SET created_at = '2026-01-01' WHERE id = 2");
        assert_eq!(
            walk.rows("SELECT count(*) FROM tasks"),
            strings(&[&["3"]]),
            "{when}: rows lost"
        );
    };
    kept("v1");
    // The trigger fires.
    walk.db
        .execute("UPDATE tasks SET title = 'write more docs' WHERE id = 1");
    assert_eq!(
        walk.rows("SELECT created_at FROM tasks WHERE id = 1"),
        strings(&[&["2000-01-01 00:00:00"]])
    );
    walk.db
        .execute("UPDATE tasks SET title = 'write docs' WHERE id = 1");
    for (version, message) in [
        (2, "add due_date"),
        (3, "add is_recurring"),
        (4, "rename priority to priority_level"),
        (5, "priority_level references priorities"),
        (6, "index tasks by user and completion"),
        (7, "add task status"),
    ] {
        walk.step(version, message, &[]);
        kept(&format!("v{version} up"));
    }
    walk.step(8, "drop description", &["--allow-data-loss"]);
    kept("v8 up");
    for version in (1..8).rev() {
        walk.ok(version, &["downgrade", "-1"]);
        kept(&format!("down to v{version}"));
        // The migrations above it are pending now, which `check` notes first.
        let check = walk.ok(version, &["check"]);
        assert!(
            check.ends_with("the database matches the models\n"),
            "down to v{version}: {check}"
        );
    }
    walk.ok(8, &["upgrade"]);
    kept("up to head again");
}

/// Models are silent about views and triggers: they stay, except that a trigger goes with the
/// table the models drop, as a step of its own, so that the down file creates it again.
#[test]
fn a_trigger_goes_with_its_table_and_comes_back_with_the_down() {
    let db = autogen_testkit::sqlite();
    let scenario = Scenario::new(db.url());
    let note = "#[derive(autogen::Model)]\nstruct Note {\n    #[autogen(primary_key)]\n    id: i64,\n    body: String,\n}\n";
    let log = "#[derive(autogen::Model)]\nstruct Log {\n    #[autogen(primary_key)]\n    id: i64,\n    line: String,\n}\n";
    scenario.models(&format!("{note}{log}"));
    scenario.ok(&[&["-m", "notes and logs"], &["upgrade"]]);
    let trigger = "CREATE TRIGGER log_notes AFTER INSERT ON log BEGIN INSERT INTO note (body) VALUES (NEW.line); END";
    let view = "CREATE VIEW bodies AS SELECT body FROM note";
    db.execute(&format!(
        "{trigger}; {view}; INSERT INTO log (line) VALUES ('a');"
    ));
    scenario.ok(&[&["check"]]);
    scenario.settled();
    let objects =
        "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY type";
    scenario.models(note);
    scenario.ok(&[
        &["-m", "no logs", "--allow-data-loss"],
        &["upgrade"],
        &["check"],
    ]);
    assert_eq!(
        db.query(objects),
        strings(&[&["view", "bodies", view]]),
        "the view stays; the trigger went with its table"
    );
    scenario.settled();
    scenario.ok(&[&["downgrade", "-1"]]);
    assert_eq!(
        db.query(objects),
        strings(&[
            &["trigger", "log_notes", trigger],
            &["view", "bodies", view]
        ]),
        "the down file creates the trigger again"
    );
    assert_eq!(db.query("SELECT body FROM note"), strings(&[&["a"]]));
}

/// A composite primary key changed by the models, on a populated table: the up and the down
/// both render and apply, and the rows survive both.
#[test]
fn a_composite_primary_key_changes_up_and_down_with_rows() {
    let db = autogen_testkit::sqlite();
    let scenario = Scenario::new(db.url());
    let model = |key: &str| {
        format!(
            "#[derive(autogen::Model)]\n#[autogen(primary_key({key}))]\nstruct Membership {{\n    user_id: i64,\n    group_id: i64,\n    role: String,\n}}\n"
        )
    };
    scenario.models(&model("user_id, group_id"));
    scenario.ok(&[&["-m", "memberships"], &["upgrade"]]);
    db.execute("INSERT INTO membership VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c')");
    let rows = "SELECT user_id, group_id, role FROM membership ORDER BY user_id, group_id";
    let before = db.query(rows);
    for key in ["group_id, user_id", "user_id, group_id, role"] {
        scenario.models(&model(key));
        scenario.ok(&[&["-m", "key"], &["upgrade"], &["check"]]);
        assert_eq!(db.query(rows), before, "{key}: rows kept going up");
        scenario.settled();
        scenario.ok(&[&["downgrade", "-1"]]);
        assert_eq!(db.query(rows), before, "{key}: rows kept coming down");
        scenario.models(&model("user_id, group_id"));
        scenario.ok(&[&["check"]]);
        scenario.ok(&[&["upgrade"]]);
        scenario.models(&model(key));
        scenario.ok(&[&["check"]]);
        scenario.models(&model("user_id, group_id"));
        scenario.ok(&[&["downgrade", "-1"]]);
        let files = std::fs::read_dir(scenario.dir.path().join("migrations")).expect("dir");
        for file in files.map(|f| f.expect("entry").path()) {
            if file.to_string_lossy().contains("_key.") {
                std::fs::remove_file(file).expect("removed");
            }
        }
    }
}

/// A table renamed and rebuilt in one revision under a view and a trigger that name it: SQLite
/// rewrites their text at the rename, and the rebuild after it recreates them as rewritten.
#[test]
fn a_renamed_table_rebuilt_in_the_same_revision_keeps_its_view_and_trigger() {
    let db = autogen_testkit::sqlite();
    let scenario = Scenario::new(db.url());
    scenario.models("#[derive(autogen::Model)]\nstruct Doc {\n    #[autogen(primary_key)]\n    id: i64,\n    title: String,\n    rank: i32,\n}\n");
    scenario.ok(&[&["-m", "docs"], &["upgrade"]]);
    db.execute(
        "INSERT INTO doc (title, rank) VALUES ('a', 1), ('b', 2);
         CREATE VIEW ranked AS SELECT title FROM doc ORDER BY rank;
         CREATE TRIGGER doc_touch AFTER UPDATE OF title ON doc BEGIN UPDATE doc SET rank = rank + 10 WHERE id = NEW.id; END;",
    );
    scenario.models("#[derive(autogen::Model)]\n#[autogen(table = \"page\", renamed_from = \"doc\")]\nstruct Page {\n    #[autogen(primary_key)]\n    id: i64,\n    title: String,\n    rank: i64,\n    #[autogen(default_sql = \"(lower(hex(randomblob(4))))\")]\n    token: String,\n}\n");
    scenario.ok(&[&["-m", "pages"], &["upgrade"], &["check"]]);
    scenario.settled();
    assert_eq!(
        db.query("SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY type"),
        strings(&[&["trigger", "doc_touch", "page"], &["view", "ranked", "ranked"]])
    );
    db.execute("UPDATE page SET title = 'c' WHERE id = 1");
    assert_eq!(
        db.query(
            "SELECT (SELECT group_concat(title) FROM ranked), (SELECT rank FROM page WHERE id = 1)"
        ),
        strings(&[&["b,c", "11"]])
    );
    scenario.ok(&[&["downgrade", "-1"]]);
    assert_eq!(
        db.query("SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY type"),
        strings(&[&["trigger", "doc_touch", "doc"], &["view", "ranked", "ranked"]])
    );
}
