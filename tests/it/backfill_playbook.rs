//! The backfill playbook on real databases with rows: a NOT NULL column added to a populated
//! table, or a nullable one made NOT NULL, with a `backfill_sql` that reads other columns of
//! the row (`split_part(email, '@', 1)`, the docs' `created_at + interval '1 day'`). A default
//! cannot refer to a column, so such a backfill is the playbook's three steps (add nullable,
//! `UPDATE .. WHERE col IS NULL`, `SET NOT NULL`). Each case, on each database (PostgreSQL
//! lock-safe and plain, MariaDB, SQLite): `-m` writes it without `--allow-data-loss` (the
//! data checks pass), `upgrade` applies, every row holds the value the expression gives,
//! `check` is clean, `downgrade` applies on the data the up left and the database's own dump
//! is the one before the up, and `upgrade` applies again.

use std::process::Command;

use autogen_testkit::{MariaDb, PostgresDb, SqliteDb};

use crate::support::scenario::Scenario;
use crate::support::walk::strings;

enum Db {
    Postgres { db: PostgresDb, lock_safe: bool },
    MariaDb(MariaDb),
    Sqlite(SqliteDb),
}

impl Db {
    fn url(&self) -> &str {
        match self {
            Db::Postgres { db, .. } => db.url(),
            Db::MariaDb(db) => db.url(),
            Db::Sqlite(db) => db.url(),
        }
    }

    fn execute(&self, sql: &str) {
        match self {
            Db::Postgres { db, .. } => db.execute(sql),
            Db::MariaDb(db) => db.execute(sql),
            Db::Sqlite(db) => db.execute(sql),
        }
    }

    fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self {
            Db::Postgres { db, .. } => db.query(sql),
            Db::MariaDb(db) => db.query(sql),
            Db::Sqlite(db) => db.query(sql),
        }
    }

    /// The server's own account of the schema: `pg_dump -s`, `SHOW CREATE TABLE`, SQLite's
    /// `sqlite_master`; lines sorted (a plan never moves a column, so one added back comes
    /// last), the bookkeeping table left out.
    fn dump(&self) -> Vec<String> {
        let text = match self {
            Db::Postgres { db, .. } => {
                let output = Command::new("pg_dump")
                    .args(["-s", "--no-owner", "--no-privileges"])
                    .args(["-T", "_sqlx_migrations", "-d", db.url()])
                    .output()
                    .expect("pg_dump runs");
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                String::from_utf8(output.stdout).expect("utf-8")
            }
            Db::MariaDb(db) => db
                .query("SHOW CREATE TABLE users")
                .into_iter()
                .filter_map(|row| row[1].clone())
                .collect(),
            Db::Sqlite(db) => db
                .query("SELECT sql FROM sqlite_master WHERE name NOT LIKE '_sqlx%' ORDER BY name")
                .into_iter()
                .filter_map(|row| row[0].clone())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let mut lines: Vec<String> = text
            .lines()
            .map(|l| l.trim().trim_end_matches(',').to_owned())
            .filter(|l| !l.is_empty() && !l.starts_with("--") && !l.starts_with('\\'))
            .filter(|l| !l.contains("_sqlx_migrations") && !l.contains("AUTO_INCREMENT="))
            .collect();
        lines.sort();
        lines
    }

    fn which(&self) -> &'static str {
        match self {
            Db::Postgres {
                lock_safe: true, ..
            } => "postgres (lock-safe)",
            Db::Postgres { .. } => "postgres (plain)",
            Db::MariaDb(_) => "mariadb",
            Db::Sqlite(_) => "sqlite",
        }
    }
}

/// The four databases a case runs on.
fn databases() -> Vec<Db> {
    vec![
        Db::Postgres {
            db: autogen_testkit::postgres(),
            lock_safe: true,
        },
        Db::Postgres {
            db: autogen_testkit::postgres(),
            lock_safe: false,
        },
        Db::MariaDb(autogen_testkit::mariadb()),
        Db::Sqlite(autogen_testkit::sqlite()),
    ]
}

/// One case: the fields of `User` after `id` and `email` before and after, the rows inserted
/// in between (`id`, `email` and the other columns of `before`), and a query whose answer
/// after the up is `expect`. SQL texts are given per database where they differ.
struct Case<'a> {
    before: &'a str,
    after: fn(&Db) -> String,
    rows: &'a str,
    select: fn(&Db) -> String,
    expect: &'a [&'a [&'a str]],
}

fn user(fields: &str) -> String {
    format!(
        "#[derive(autogen::Model)]\n#[autogen(table = \"users\")]\nstruct User {{\n    \
         #[autogen(primary_key, identity = false)]\n    id: i64,\n    \
         #[autogen(max_length = 64)]\n    email: String,\n    {fields}\n}}\n"
    )
}

fn run(case: &Case<'_>) {
    for db in databases() {
        let which = db.which();
        let scenario = Scenario::new(db.url());
        if let Db::Postgres { lock_safe, .. } = &db {
            std::fs::write(
                scenario.dir.path().join("autogen.toml"),
                format!("lock_safe = {lock_safe}\n"),
            )
            .expect("config written");
        }
        scenario.models(&user(case.before));
        scenario.ok(&[&["-m", "users"], &["upgrade"]]);
        db.execute(case.rows);
        let dumped = db.dump();

        scenario.models(&user(&(case.after)(&db)));
        let (code, out) = scenario.autogen(&["-m", "backfilled"]);
        assert_eq!(code, 0, "{which}: -m refused or failed:\n{out}");
        let up = written_up(&scenario);
        let (code, out) = scenario.autogen(&["upgrade"]);
        assert_eq!(code, 0, "{which}: upgrade failed:\n{out}\nup:\n{up}");
        assert_eq!(
            db.query(&(case.select)(&db)),
            strings(case.expect),
            "{which}: the rows after the up\nup:\n{up}"
        );
        let (code, out) = scenario.autogen(&["check"]);
        assert_eq!(code, 0, "{which}: check is not clean:\n{out}");
        scenario.settled();

        let (code, out) = scenario.autogen(&["downgrade"]);
        assert_eq!(code, 0, "{which}: downgrade failed:\n{out}\nup:\n{up}");
        assert_eq!(db.dump(), dumped, "{which}: the down's schema\nup:\n{up}");
        let (code, out) = scenario.autogen(&["upgrade"]);
        assert_eq!(code, 0, "{which}: upgrade after the down failed:\n{out}");
        assert_eq!(
            db.query(&(case.select)(&db)),
            strings(case.expect),
            "{which}: the rows after the second up"
        );
    }
}

/// The statements of the newest up file, without comments.
fn written_up(scenario: &Scenario) -> String {
    let mut ups: Vec<_> = std::fs::read_dir(scenario.dir.path().join("migrations"))
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    let text = std::fs::read_to_string(ups.last().expect("an up file")).expect("read");
    text.lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The local part of the address, in each dialect's words.
fn local_part(db: &Db) -> &'static str {
    match db {
        Db::Postgres { .. } => "split_part(email, '@', 1)",
        Db::MariaDb(_) => "substring_index(email, '@', 1)",
        Db::Sqlite(_) => "substr(email, 1, instr(email, '@') - 1)",
    }
}

const ROWS: &str =
    "INSERT INTO users (id, email) VALUES (1, 'ann@example.org'), (2, 'bob.b@example.com')";

#[test]
fn a_not_null_column_added_with_a_backfill_reading_another_column() {
    run(&Case {
        before: "",
        after: |db| {
            format!(
                "#[autogen(max_length = 64, backfill_sql = \"{}\")]\n    username: String,",
                local_part(db)
            )
        },
        rows: ROWS,
        select: |_| "SELECT id, username FROM users ORDER BY id".to_owned(),
        expect: &[&["1", "ann"], &["2", "bob.b"]],
    });
}

/// The model's own default is set after the fill: added with it, the rows would take it.
#[test]
fn a_not_null_column_with_a_default_added_with_a_backfill_reading_another_column() {
    run(&Case {
        before: "",
        after: |db| {
            format!(
                "#[autogen(max_length = 64, default = \"anon\", backfill_sql = \"{}\")]\n    username: String,",
                local_part(db)
            )
        },
        rows: ROWS,
        select: |_| "SELECT id, username FROM users ORDER BY id".to_owned(),
        expect: &[&["1", "ann"], &["2", "bob.b"]],
    });
}

/// The docs' own example (`docs/models.md`).
#[test]
fn the_docs_due_date_backfill_from_created_at() {
    run(&Case {
        before: "created_at: chrono::NaiveDateTime,",
        after: |db| {
            let one_day_later = match db {
                Db::Postgres { .. } => "created_at + interval '1 day'",
                Db::MariaDb(_) => "created_at + INTERVAL 1 DAY",
                Db::Sqlite(_) => "datetime(created_at, '+1 day')",
            };
            format!(
                "created_at: chrono::NaiveDateTime,\n    \
                 #[autogen(backfill_sql = \"{one_day_later}\")]\n    due_at: chrono::NaiveDateTime,"
            )
        },
        rows: "INSERT INTO users (id, email, created_at) VALUES \
               (1, 'ann@example.org', '2024-01-31 10:00:00'), \
               (2, 'bob@example.com', '2024-02-28 23:30:00')",
        select: |db| {
            match db {
                Db::Postgres { .. } => {
                    "SELECT id, to_char(due_at, 'YYYY-MM-DD HH24:MI:SS') FROM users ORDER BY id"
                }
                Db::MariaDb(_) => "SELECT id, CAST(due_at AS char) FROM users ORDER BY id",
                Db::Sqlite(_) => "SELECT id, due_at FROM users ORDER BY id",
            }
            .to_owned()
        },
        expect: &[&["1", "2024-02-01 10:00:00"], &["2", "2024-02-29 23:30:00"]],
    });
}

/// Only the NULLs get the backfill; the rows holding a value keep it.
#[test]
fn a_nullable_column_made_not_null_with_a_backfill_reading_another_column() {
    run(&Case {
        before: "#[autogen(max_length = 64)]\n    nickname: Option<String>,",
        after: |db| {
            format!(
                "#[autogen(max_length = 64, backfill_sql = \"{}\")]\n    nickname: String,",
                local_part(db)
            )
        },
        rows: "INSERT INTO users (id, email, nickname) VALUES \
               (1, 'ann@example.org', NULL), (2, 'bob@example.com', 'bobby'), \
               (3, 'cy@example.net', NULL)",
        select: |_| "SELECT id, nickname FROM users ORDER BY id".to_owned(),
        expect: &[&["1", "ann"], &["2", "bobby"], &["3", "cy"]],
    });
}

/// A backfill that reads no column keeps the one statement that fills the rows as the column
/// is added (PostgreSQL: no table rewrite for a constant).
#[test]
fn a_constant_backfill_stays_one_statement() {
    let db = autogen_testkit::postgres();
    let scenario = Scenario::new(db.url());
    scenario.models(&user(""));
    scenario.ok(&[&["-m", "users"], &["upgrade"]]);
    db.execute(ROWS);
    scenario.models(&user(
        "#[autogen(max_length = 64, backfill_sql = \"'n/a'\")]\n    username: String,\n    \
         #[autogen(backfill_sql = \"now()\")]\n    seen_at: chrono::DateTime<chrono::Utc>,",
    ));
    scenario.ok(&[&["-m", "constant"], &["upgrade"], &["check"]]);
    insta::assert_snapshot!(written_up(&scenario));
    assert_eq!(
        db.query("SELECT id, username, seen_at IS NOT NULL FROM users ORDER BY id"),
        strings(&[&["1", "n/a", "t"], &["2", "n/a", "t"]])
    );
}
