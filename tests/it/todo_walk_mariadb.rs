//! `tests/it/todo_walk.rs` on MariaDB: the todo app's model versions v1..v8 (`fixtures/todo`) with
//! the real binary, one `autogen -m` per version, `autogen upgrade` (statement by statement on
//! MySQL), rows inserted between steps that must survive every step, `check` clean after each,
//! a second `-m` that finds nothing, then down to base and up to head again; and sqlx's own
//! migrator applying the generated folder to a fresh database.

use crate::support::scenario::Scenario;
use crate::support::walk::{Walk, append, strings};
use autogen_testkit::MariaDb;

#[test]
fn todo_app_v1_to_v8_and_back_on_mariadb() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    let tasks = "SELECT id, title FROM tasks ORDER BY id";

    walk.step(1, "initial schema", &[]);
    walk.db.execute(
        "INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com');
         INSERT INTO priorities (name, `rank`) VALUES ('low', 1), ('high', 2);
         INSERT INTO tasks (user_id, title, priority) VALUES (1, 'write docs', 'high'), (2, 'test', 'low'), (1, 'rest', NULL);
         INSERT INTO conversations (owner_id, title) VALUES (1, 'standup');
         INSERT INTO messages (conversation_id, author_id, body) VALUES (1, 1, 'hello'), (1, 2, 'hi');",
    );
    let first_tasks = walk.rows(tasks);
    assert_eq!(first_tasks.len(), 3);

    let first_up = std::fs::read_to_string(
        walk.migrations()
            .iter()
            .find(|p| p.to_string_lossy().ends_with(".up.sql"))
            .expect("an up file"),
    )
    .expect("readable");
    assert!(
        first_up.contains("MySQL commits each statement on its own"),
        "{first_up}"
    );
    assert!(first_up.contains("AUTO_INCREMENT"), "{first_up}");

    walk.step(2, "add due_date", &[]);
    walk.db
        .execute("UPDATE tasks SET due_date = '2026-12-01' WHERE id = 1");
    assert_eq!(walk.rows(tasks), first_tasks);

    // A NOT NULL column on a populated table: existing rows get the default.
    walk.step(3, "add is_recurring", &[]);
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
    let up = std::fs::read_to_string(
        walk.migrations()
            .iter()
            .rev()
            .find(|p| p.to_string_lossy().ends_with(".up.sql"))
            .expect("an up file"),
    )
    .expect("readable");
    assert!(
        up.contains("RENAME COLUMN `priority` TO `priority_level`"),
        "{up}"
    );
    assert_eq!(
        walk.rows("SELECT id, priority_level FROM tasks ORDER BY id"),
        strings(&[&["1", "high"], &["2", "low"], &["3", "NULL"]])
    );

    // Names into ids: the developer's data migration (`--empty`), then the type change to an
    // integer foreign key (MODIFY COLUMN converts the mapped values).
    let out = walk.ok(
        4,
        &["revision", "--empty", "-m", "map priority names to ids"],
    );
    assert!(out.contains("wrote "), "{out}");
    let files = walk.migrations();
    let (down, up) = (&files[files.len() - 2], &files[files.len() - 1]);
    append(
        up,
        "UPDATE tasks SET priority_level = (SELECT CAST(id AS CHAR) FROM priorities WHERE name = priority_level);\n",
    );
    append(
        down,
        "UPDATE tasks SET priority_level = (SELECT name FROM priorities WHERE CAST(id AS CHAR) = priority_level);\n",
    );
    walk.ok(4, &["upgrade"]);
    walk.step(5, "priority_level references priorities", &[]);
    assert_eq!(
        walk.rows("SELECT t.id, p.name FROM tasks t LEFT JOIN priorities p ON p.id = t.priority_level ORDER BY t.id"),
        strings(&[&["1", "high"], &["2", "low"], &["3", "NULL"]])
    );

    walk.step(6, "index tasks by user and completion", &[]);
    walk.db
        .execute("INSERT INTO tasks (user_id, title, priority_level) VALUES (2, 'plan', 2)");

    walk.step(7, "add task status", &[]);
    let up = std::fs::read_to_string(
        walk.migrations()
            .iter()
            .rev()
            .find(|p| p.to_string_lossy().ends_with(".up.sql"))
            .expect("an up file"),
    )
    .expect("readable");
    assert!(
        up.contains("enum('pending','in_progress','completed')"),
        "{up}"
    );
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
    assert_eq!(walk.rows(tasks).len(), 4);
    assert_eq!(
        walk.rows("SELECT count(*) FROM messages"),
        strings(&[&["2"]])
    );

    // Down to base: every table is gone; up to head again: the models match.
    walk.ok(8, &["downgrade", "base"]);
    assert_eq!(
        walk.rows("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_sqlx_migrations'"),
        strings(&[&["0"]])
    );
    walk.ok(8, &["upgrade"]);
    assert_eq!(walk.ok(8, &["check"]), "the database matches the models\n");

    sqlx_migrator_reads_the_same_folder(&walk);
    upgrade_sql_run_by_hand_reaches_head(&walk);
}

/// `upgrade --sql` for a fresh database, run by hand, leaves it where `upgrade` would: at head,
/// checksums agreeing, matching the models.
fn upgrade_sql_run_by_hand_reaches_head(walk: &Walk<MariaDb>) {
    let on_fresh = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    std::fs::create_dir(on_fresh.dir.path().join("migrations")).expect("dir");
    for file in walk.migrations() {
        let name = file.file_name().expect("name");
        std::fs::copy(&file, on_fresh.dir.path().join("migrations").join(name)).expect("copy");
    }
    let script = on_fresh.ok(8, &["upgrade", "--sql"]);
    assert!(!script.contains("BEGIN;"), "{script}");
    on_fresh.db.execute(&script);
    let status = on_fresh.autogen(8, &["status"]);
    assert_eq!(status.code, 0, "{}{}", status.stdout, status.stderr);
    assert_eq!(
        on_fresh.ok(8, &["check"]),
        "the database matches the models\n"
    );
}

/// `sqlx::migrate::Migrator` applies the generated folder to a fresh database, and autogen
/// agrees with it about where that database is and that it matches the models.
fn sqlx_migrator_reads_the_same_folder(walk: &Walk<MariaDb>) {
    let fresh = autogen_testkit::mariadb();
    let folder = walk.dir.path().join("migrations");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let migrator = sqlx::migrate::Migrator::new(folder.as_path())
            .await
            .expect("sqlx reads the folder");
        let pool = sqlx::MySqlPool::connect(fresh.url()).await.expect("pool");
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

/// MySQL commits each DDL statement: a migration that fails halfway says which statements ran,
/// leaves its row marked failed, and `status` reports it.
#[test]
fn a_failing_mysql_migration_says_which_statements_ran() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    let migrations = walk.dir.path().join("migrations");
    std::fs::create_dir(&migrations).expect("dir");
    std::fs::write(
        migrations.join("20260101000000_three_steps.up.sql"),
        "-- three steps; the second fails\n\
         CREATE TABLE first_one (id int);\n\
         CREATE TABLE first_one (id int);\n\
         CREATE TABLE never_made (id int);\n",
    )
    .expect("write");
    std::fs::write(
        migrations.join("20260101000000_three_steps.down.sql"),
        "DROP TABLE first_one;\n",
    )
    .expect("write");
    let run = walk.autogen(1, &["upgrade"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("at statement 2 of 3")
            && run
                .stderr
                .contains("statement 1 was applied (`CREATE TABLE first_one (id int)`)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        walk.rows(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME IN ('first_one', 'never_made')"
        ),
        strings(&[&["first_one"]])
    );
    assert_eq!(
        walk.rows("SELECT version, success FROM _sqlx_migrations"),
        strings(&[&["20260101000000", "0"]])
    );
    let status = walk.autogen(1, &["status"]);
    assert_eq!(status.code, 2, "{}{}", status.stdout, status.stderr);
}

/// A nullable column made NOT NULL with a default on a table whose rows hold NULL: the rows
/// get the default first (`MODIFY .. NOT NULL` alone fails on them: "Data truncated").
#[test]
fn a_column_made_not_null_with_a_default_fills_its_nulls_first() {
    let db = autogen_testkit::mariadb();
    let scenario = Scenario::new(db.url());
    let account = |language: &str| {
        format!(
            "#[derive(autogen::Model)]\nstruct Account {{\n    #[autogen(primary_key)]\n    id: i64,\n    {language}\n}}\n"
        )
    };
    scenario.models(&account(
        "#[autogen(max_length = 8)]\n    language: Option<String>,",
    ));
    scenario.ok(&[&["-m", "accounts"], &["upgrade"]]);
    db.execute("INSERT INTO account (id, language) VALUES (1, 'fr'), (2, NULL), (3, NULL)");
    scenario.models(&account(
        "#[autogen(max_length = 8, default = \"en\")]\n    language: String,",
    ));
    scenario.ok(&[&["-m", "language required"], &["upgrade"], &["check"]]);
    assert_eq!(
        db.query("SELECT id, language FROM account ORDER BY id"),
        strings(&[&["1", "fr"], &["2", "en"], &["3", "en"]])
    );
    scenario.settled();
    scenario.ok(&[&["downgrade"]]);
    assert_eq!(
        db.query("SELECT count(*) FROM account WHERE language = 'en'"),
        strings(&[&["2"]]),
        "the down keeps the filled values"
    );
}

/// Migration files as people write them for MySQL: a trigger and a procedure whose bodies hold
/// `;` (as sqlx's migrator sends them, no `DELIMITER`), a file written for the `mysql` client
/// (`DELIMITER //`, mysqldump's `/*! .. */` comments, which the server executes), a UTF-8 byte
/// order mark. `autogen upgrade` runs each statement whole, `downgrade` undoes them, and
/// sqlx's migrator runs the file it can read to the same effect.
#[test]
fn compound_statements_delimiters_and_executable_comments_apply() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    let migrations = walk.dir.path().join("migrations");
    std::fs::create_dir(&migrations).expect("dir");
    let compound = "CREATE TABLE t (n int, label varchar(10));\n\
        CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\n\
        BEGIN\n\
          IF NEW.n < 0 THEN SET NEW.n = 0; END IF;\n\
          SET NEW.label = CASE WHEN NEW.n > 9 THEN 'big' ELSE 'small' END;\n\
        END;\n\
        CREATE PROCEDURE add_one(IN v int) BEGIN INSERT INTO t (n) VALUES (v); SELECT 1; END;\n";
    let files = [
        ("20260101000001_compound.up.sql", compound.to_owned()),
        (
            "20260101000001_compound.down.sql",
            "DROP PROCEDURE add_one;\nDROP TRIGGER t_bi;\nDROP TABLE t;\n".to_owned(),
        ),
        (
            "20260101000002_client.up.sql",
            "\u{feff}/*!40101 SET @saved_cs_client = @@character_set_client */;\n\
             CREATE TABLE u (n int);\n\
             /*!40000 ALTER TABLE u COMMENT 'set by an executable comment' */;\n\
             DELIMITER //\n\
             CREATE TRIGGER u_bi BEFORE INSERT ON u FOR EACH ROW BEGIN SET NEW.n = NEW.n * 2; END//\n\
             DELIMITER ;\n\
             /*!40101 SET character_set_client = @saved_cs_client */;\n"
                .to_owned(),
        ),
        (
            "20260101000002_client.down.sql",
            "\u{feff}DROP TABLE u;\n".to_owned(),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(migrations.join(name), text).expect("write");
    }
    walk.ok(1, &["upgrade"]);
    walk.db
        .execute("CALL add_one(-5); INSERT INTO t (n) VALUES (12); INSERT INTO u VALUES (4)");
    assert_eq!(
        walk.rows("SELECT n, label FROM t ORDER BY n"),
        strings(&[&["0", "small"], &["12", "big"]])
    );
    assert_eq!(walk.rows("SELECT n FROM u"), strings(&[&["8"]]));
    assert_eq!(
        walk.rows(
            "SELECT TABLE_COMMENT FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'u'"
        ),
        strings(&[&["set by an executable comment"]])
    );
    let status = walk.autogen(1, &["status"]);
    assert_eq!(status.code, 0, "{}{}", status.stdout, status.stderr);
    walk.ok(1, &["downgrade", "base"]);
    assert_eq!(
        walk.rows(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME IN ('t', 'u')"
        ),
        strings(&[&["0"]])
    );

    // sqlx sends the file as one query; the server reads the compound statements the same way.
    let fresh = autogen_testkit::mariadb();
    let sqlx_folder = tempfile::tempdir().expect("temp dir");
    for (name, text) in &files[..2] {
        std::fs::write(sqlx_folder.path().join(name), text).expect("write");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let migrator = sqlx::migrate::Migrator::new(sqlx_folder.path())
            .await
            .expect("sqlx reads the folder");
        let pool = sqlx::MySqlPool::connect(fresh.url()).await.expect("pool");
        migrator.run(&pool).await.expect("sqlx applies the file");
        pool.close().await;
    });
    fresh.execute("INSERT INTO t (n) VALUES (-1)");
    assert_eq!(
        fresh.query("SELECT n, label FROM t"),
        strings(&[&["0", "small"]])
    );
}

/// A migration whose first statement fails ran nothing: no row is left in `_sqlx_migrations`
/// (so `status` reports nothing failed), and once fixed it runs.
#[test]
fn a_migration_that_ran_nothing_leaves_no_failed_row() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    let migrations = walk.dir.path().join("migrations");
    std::fs::create_dir(&migrations).expect("dir");
    let up = migrations.join("20260101000000_typo.up.sql");
    std::fs::write(&up, "CREATE TABEL t (id int);\nCREATE TABLE u (id int);\n").expect("write");
    let run = walk.autogen(1, &["upgrade"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("at statement 1 of 2")
            && run.stderr.contains("nothing of the migration was applied"),
        "{}",
        run.stderr
    );
    assert_eq!(
        walk.rows("SELECT COUNT(*) FROM _sqlx_migrations"),
        strings(&[&["0"]])
    );
    let status = walk.autogen(1, &["status"]);
    assert_eq!(status.code, 1, "{}{}", status.stdout, status.stderr);
    std::fs::write(&up, "CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n").expect("write");
    walk.ok(1, &["upgrade"]);
    assert_eq!(
        walk.rows("SELECT version, success FROM _sqlx_migrations"),
        strings(&[&["20260101000000", "1"]])
    );
}
