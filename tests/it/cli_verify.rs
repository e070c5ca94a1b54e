//! `autogen verify`: the todo fixture's folder replays up, down and up on an empty database
//! and ends at the models; a down file that does not restore its up fails, naming the
//! migration; `--create-db` makes its own database and drops it; nothing stays behind on the
//! server, on a dev database or a created one, whether the replay passes, fails or errors.

use std::path::Path;

use crate::support::walk::{Run, Walk, fixture};
use autogen_testkit::PostgresDb;

/// The todo app's folder, v1..v8, generated against `walk.db` (left at head).
fn todo_folder(walk: &Walk<PostgresDb>) {
    let messages = [
        "initial schema",
        "add due_date",
        "add is_recurring",
        "rename priority to priority_level",
        "priority_level references priorities",
        "index tasks by user and completion",
        "add task status",
        "drop description",
    ];
    for (n, message) in messages.iter().enumerate() {
        let version = n as u32 + 1;
        walk.ok(version, &["-m", message, "--allow-data-loss"]);
        walk.ok(version, &["upgrade"]);
    }
}

fn verify(dir: &Path, url: &str, models: Option<&Path>, args: &[&str]) -> Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_autogen"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["--database-url", url]);
    if let Some(models) = models {
        command.arg("--models").arg(models);
    }
    let output = command
        .arg("verify")
        .args(args)
        .output()
        .expect("the autogen binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: text(output.stdout),
        stderr: text(output.stderr),
    }
}

#[test]
fn the_todo_folder_round_trips_and_ends_at_the_models() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::postgres(),
    };
    todo_folder(&walk);
    let dev = autogen_testkit::postgres();
    let run = verify(
        walk.dir.path(),
        walk.db.url(),
        Some(&fixture(8)),
        &["--dev-url", dev.url()],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 9, "{}", run.stdout);
    assert!(
        lines[..8].iter().all(|l| l.starts_with("ok   ")),
        "{}",
        run.stdout
    );
    assert!(lines[1].ends_with("add due date"), "{}", run.stdout);
    assert_eq!(
        lines[8],
        "ok: 8 migrations round-trip and end at the models"
    );

    // Models that differ from where the folder ends: 1.
    let run = verify(
        walk.dir.path(),
        walk.db.url(),
        Some(&fixture(7)),
        &["--dev-url", autogen_testkit::postgres().url()],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("FAIL the schema after the last migration differs from the models"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_down_that_does_not_restore_its_up_fails_naming_it() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::postgres(),
    };
    todo_folder(&walk);
    // The down of "add due_date" forgets to drop the column.
    let down = walk
        .migrations()
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with("add_due_date.down.sql"))
        .expect("the down file");
    std::fs::write(&down, "SELECT 1;\n").expect("writable");
    let dev = autogen_testkit::postgres();
    let run = verify(
        walk.dir.path(),
        walk.db.url(),
        None,
        &["--dev-url", dev.url()],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("ok   "), "{}", run.stdout);
    assert!(
        lines[1].starts_with("FAIL ")
            && lines[1].contains("add due date: the down migration does not restore"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("due_date"), "{}", run.stdout);
}

/// A folder of two migrations (the todo app's v1 and v2), generated against `walk.db`.
fn two_migrations() -> Walk<PostgresDb> {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::postgres(),
    };
    walk.ok(1, &["-m", "initial schema"]);
    walk.ok(1, &["upgrade"]);
    walk.ok(2, &["-m", "add due_date"]);
    walk
}

/// Replaces the content of the folder's file whose name ends with `suffix`.
fn rewrite(walk: &Walk<PostgresDb>, suffix: &str, sql: &str) {
    let file = walk
        .migrations()
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .expect("the file");
    std::fs::write(&file, sql).expect("writable");
}

/// Every schema, relation, type and routine of a database that is not the server's.
fn objects(db: &PostgresDb) -> Vec<Vec<Option<String>>> {
    db.query(
        "SELECT 'schema', nspname::text FROM pg_namespace
             WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
         UNION ALL SELECT 'relation', c.oid::regclass::text FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
         UNION ALL SELECT 'type', t.oid::regtype::text FROM pg_type t
             JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
         UNION ALL SELECT 'routine', p.oid::regprocedure::text FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
         ORDER BY 1, 2",
    )
}

#[test]
fn a_dev_database_is_left_as_it_was_found() {
    let walk = two_migrations();
    let dev = autogen_testkit::postgres();
    let empty = objects(&dev);
    let dev_url = ["--dev-url", dev.url()];

    // Passing, twice: the second finds the dev database empty again.
    for _ in 0..2 {
        let run = verify(walk.dir.path(), walk.db.url(), None, &dev_url);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(objects(&dev), empty);
    }
    // Ending at other models (the models compared on the dev database).
    let run = verify(walk.dir.path(), walk.db.url(), Some(&fixture(1)), &dev_url);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(objects(&dev), empty);
    // A down that does not restore its up.
    rewrite(&walk, "add_due_date.down.sql", "SELECT 1;\n");
    let run = verify(walk.dir.path(), walk.db.url(), None, &dev_url);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(objects(&dev), empty);
    // An up that fails, after the first migration applied.
    rewrite(&walk, "add_due_date.up.sql", "SELECT 1 / 0;\n");
    let run = verify(walk.dir.path(), walk.db.url(), None, &dev_url);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("up failed"), "{}", run.stderr);
    assert_eq!(objects(&dev), empty);
}

#[test]
fn create_db_makes_and_drops_its_own_database() {
    let walk = two_migrations();
    let scratch_databases = || {
        walk.db
            .query("SELECT datname FROM pg_database WHERE datname LIKE 'autogen_verify_%'")
    };
    let run = verify(walk.dir.path(), walk.db.url(), None, &["--create-db"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("ok: 2 migrations round-trip"),
        "{}",
        run.stdout
    );
    assert!(scratch_databases().is_empty(), "{:?}", scratch_databases());
    // Failing: a down that does not restore its up (1), an up that fails (2).
    rewrite(&walk, "add_due_date.down.sql", "SELECT 1;\n");
    let run = verify(walk.dir.path(), walk.db.url(), None, &["--create-db"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(scratch_databases().is_empty(), "{:?}", scratch_databases());
    rewrite(&walk, "add_due_date.up.sql", "SELECT 1 / 0;\n");
    let run = verify(walk.dir.path(), walk.db.url(), None, &["--create-db"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(scratch_databases().is_empty(), "{:?}", scratch_databases());

    // Neither --dev-url nor --create-db: an error, 2.
    let run = verify(walk.dir.path(), walk.db.url(), None, &[]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("--create-db"), "{}", run.stderr);
}

#[test]
fn a_mariadb_dev_database_is_left_as_it_was_found() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::mariadb(),
    };
    walk.ok(1, &["-m", "initial schema"]);
    walk.ok(1, &["upgrade"]);
    walk.ok(2, &["-m", "add due_date"]);
    let dev = autogen_testkit::mariadb();
    let tables = || {
        dev.query(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
        )
    };
    for _ in 0..2 {
        let run = verify(
            walk.dir.path(),
            walk.db.url(),
            None,
            &["--dev-url", dev.url()],
        );
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
        assert!(tables().is_empty(), "{:?}", tables());
    }
}
