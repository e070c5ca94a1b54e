//! The acceptance at scale (issue 17): "the backfill of 3 million rows never blocks a
//! concurrent writer longer than the lock timeout". Three expands of a 3,000,000-row table on
//! a real PostgreSQL, each while a writer (the old application version) inserts and updates:
//! a column becoming NOT NULL (3 million NULLs filled by the default), a column rename (3
//! million values copied), a table rename (catalog only). Each of the writer's writes is timed;
//! the slowest must stay under `lock_timeout` (1 s). The times are printed for
//! docs/zero-downtime.md ("Measured"). In nextest's heavy-database group: it fills a few GB.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::support::expand::{Project, scalar, spawn_writer, under_writers};

const ROWS: i64 = 3_000_000;

const V1: &str = r#"
#[derive(autogen::Model)]
#[autogen(table = "big")]
pub struct Big {
    #[autogen(primary_key)]
    pub id: i64,
    pub name: String,
    pub note: Option<String>,
}
"#;

#[test]
fn three_million_rows_never_block_a_writer_longer_than_the_lock_timeout() {
    let db = autogen_testkit::postgres();
    let project = Project::new();
    project.models(V1);
    project.ok(&db, &["-m", "big"]);
    project.ok(&db, &["upgrade"]);
    let started = Instant::now();
    db.execute(&format!(
        "INSERT INTO big (name) SELECT 'n' || g FROM generate_series(1, {ROWS}) g; ANALYZE big;"
    ));
    eprintln!("{ROWS} rows inserted in {:?}", started.elapsed());

    let steps: [(&str, String, &str, &str); 3] = [
        (
            "not null",
            V1.replace(
                "pub note: Option<String>",
                "#[autogen(default = \"x\")] pub note: String",
            ),
            "big",
            "UPDATE big SET note = NULL WHERE id = {id}",
        ),
        (
            "column rename",
            V1.replace(
                "pub note: Option<String>",
                "#[autogen(default = \"x\")] pub note: String",
            )
            .replace(
                "pub name: String",
                "#[autogen(renamed_from = \"name\")] pub full_name: String",
            ),
            "big",
            "UPDATE big SET name = 'u{n}' WHERE id = {id}",
        ),
        (
            "table rename",
            V1.replace(
                "pub note: Option<String>",
                "#[autogen(default = \"x\")] pub note: String",
            )
            .replace(
                "pub name: String",
                "#[autogen(renamed_from = \"name\")] pub full_name: String",
            )
            .replace(
                "table = \"big\"",
                "table = \"huge\", renamed_from = \"big\"",
            ),
            "big",
            "UPDATE big SET note = 'u{n}' WHERE id = {id}",
        ),
    ];
    let mut inserted = 0;
    for (kind, models, table, update) in steps {
        project.models(&models);
        project.ok(&db, &["-m", kind, "--expand-contract"]);
        // The old application version: the column and table names it knew.
        let column = if kind == "table rename" {
            "full_name"
        } else {
            "name"
        };
        let stop = Arc::new(AtomicBool::new(false));
        let update = update.to_owned();
        let writer = spawn_writer(db.url().to_owned(), None, stop.clone(), move |n| {
            let tag = format!("w{n}");
            let id = 1 + (n * 104_729) % ROWS;
            let statements = vec![
                format!("INSERT INTO {table} ({column}) VALUES ('{tag}')"),
                update
                    .replace("{n}", &n.to_string())
                    .replace("{id}", &id.to_string()),
            ];
            (tag, statements)
        });
        let ((code, out), took, written) =
            under_writers(&project, &db, &["upgrade"], &stop, vec![writer]);
        assert_eq!(code, 0, "{kind}: {out}");
        written[0].assert_clean(kind, took);
        inserted += written[0].inserted.len() as i64;
        eprintln!(
            "{kind} expand of {ROWS} rows: {took:?} ({:.1} s per million rows); slowest of {} \
             writes {:?}",
            took.as_secs_f64() / (ROWS as f64 / 1e6),
            written[0].inserted.len() * 2,
            written[0].slowest
        );
        project.ok(&db, &["check"]);
        let started = Instant::now();
        project.ok(&db, &["contract"]);
        project.ok(&db, &["upgrade"]);
        eprintln!("{kind} contract: {:?}", started.elapsed());
        project.ok(&db, &["check"]);
    }
    // No row lost; none left NULL.
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM huge"),
        (ROWS + inserted).to_string()
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM huge WHERE note IS NULL"),
        "0"
    );
}
