//! `autogen verify`: the todo fixture's folder replays up, down and up on an empty database
//! and ends at the models; a down file that does not restore its up fails, naming the
//! migration; `--create-db` makes its own database and drops it.

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

#[test]
fn create_db_makes_and_drops_its_own_database() {
    let walk = Walk {
        dir: tempfile::tempdir().expect("temp dir"),
        db: autogen_testkit::postgres(),
    };
    walk.ok(1, &["-m", "initial schema"]);
    walk.ok(1, &["upgrade"]);
    walk.ok(2, &["-m", "add due_date"]);
    let run = verify(walk.dir.path(), walk.db.url(), None, &["--create-db"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("ok: 2 migrations round-trip"),
        "{}",
        run.stdout
    );
    let left = walk
        .db
        .query("SELECT datname FROM pg_database WHERE datname LIKE 'autogen_verify_%'");
    assert!(left.is_empty(), "{left:?}");

    // Neither --dev-url nor --create-db: an error, 2.
    let run = verify(walk.dir.path(), walk.db.url(), None, &[]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("--create-db"), "{}", run.stderr);
}
