//! PostgreSQL helpers for the end-to-end tests, through the same library calls the CLI makes.

use std::str::FromStr;

use autogen_introspect::{IntrospectOptions, connect_postgres, introspect_postgres};
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
    inspect_with(db, &IntrospectOptions::default())
}

pub fn inspect_with(db: &PostgresDb, options: &IntrospectOptions) -> Result<Schema, String> {
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

/// A test database with one connection kept open, for loops over many cases: opening a
/// connection costs far more than the small scripts the corpus tests run. Connects without TLS
/// (the test server is local; a TLS handshake in a debug build costs ~90 ms per connection).
/// Session settings a script changes (`SET search_path ..`) are reset after each script, so
/// that nothing leaks into the next one or into introspection.
pub struct Live {
    db: PostgresDb,
    runtime: tokio::runtime::Runtime,
    conn: sqlx::PgConnection,
}

impl Live {
    pub fn new() -> Live {
        Live::on(autogen_testkit::postgres())
    }

    pub fn on(db: PostgresDb) -> Live {
        use sqlx::ConnectOptions;
        let runtime = runtime();
        // A startup option, not `SET`: it survives the `RESET ALL` after each script. Test
        // databases are thrown away, so waiting for commits to reach the disk buys nothing.
        let options = sqlx::postgres::PgConnectOptions::from_str(db.url())
            .unwrap_or_else(|e| panic!("a test database URL does not parse: {e}"))
            .ssl_mode(sqlx::postgres::PgSslMode::Disable)
            .options([("synchronous_commit", "off")]);
        let conn = runtime
            .block_on(options.connect())
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", db.name()));
        Live { db, runtime, conn }
    }

    pub fn db(&self) -> &PostgresDb {
        &self.db
    }

    /// Runs a script of one or more statements (simple query protocol: without its own
    /// `BEGIN`, one implicit transaction). After an error the connection is usable again.
    pub fn execute(&mut self, sql: &str) -> Result<(), String> {
        self.query(sql).map(drop)
    }

    /// Runs a script and returns the rows of all its statements, values as text.
    pub fn query(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        use sqlx::{Executor, Row, ValueRef};
        let Live { runtime, conn, .. } = self;
        runtime.block_on(async {
            let result = conn
                .fetch_all(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())))
                .await
                .map_err(|e| e.to_string());
            // Leaves no failed transaction open and no session setting changed.
            let cleanup = if result.is_err() {
                "ROLLBACK; RESET ALL"
            } else {
                "RESET ALL"
            };
            conn.execute(sqlx::raw_sql(cleanup))
                .await
                .map_err(|e| e.to_string())?;
            let rows = result?;
            rows.iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| {
                            let value = row.try_get_raw(i).map_err(|e| e.to_string())?;
                            if value.is_null() {
                                return Ok(None);
                            }
                            value
                                .as_str()
                                .map(|s| Some(s.to_owned()))
                                .map_err(|e| e.to_string())
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Drops every schema of the database and creates an empty `public`, as
    /// [`PostgresDb::reset`] does.
    /// One schema per transaction, so no single one locks every object at once.
    pub fn reset(&mut self) {
        let schemas = self
            .user_schemas()
            .unwrap_or_else(|e| panic!("cannot list the schemas of {}: {e}", self.db.name()));
        for schema in schemas {
            let drop = format!(
                "DROP SCHEMA {} CASCADE",
                autogen_schema::quote_ident(&schema)
            );
            self.execute(&drop)
                .unwrap_or_else(|e| panic!("cannot reset {}: {e}", self.db.name()));
        }
        self.execute("CREATE SCHEMA public")
            .unwrap_or_else(|e| panic!("cannot reset {}: {e}", self.db.name()));
    }

    /// Every schema of the database that is not PostgreSQL's own, in name order.
    pub fn user_schemas(&mut self) -> Result<Vec<String>, String> {
        let rows = self.query(
            "SELECT nspname::text FROM pg_namespace \
             WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect())
    }

    /// The database as the CLI reads it with `--schema` given for each of its own schemas.
    pub fn inspect_all(&mut self) -> Result<Schema, String> {
        let options = IntrospectOptions {
            schemas: self.user_schemas()?,
            ..IntrospectOptions::default()
        };
        let Live { runtime, conn, .. } = self;
        runtime.block_on(async {
            introspect_postgres(conn, &options)
                .await
                .map(|i| i.schema)
                .map_err(|e| e.to_string())
        })
    }

    /// Runs rendered statements as a migration runner does: each transaction group (see
    /// `autogen_render::transactions`) as one script in a transaction of its own.
    pub fn apply(&mut self, statements: &[autogen_render::Statement]) -> Result<(), String> {
        for group in autogen_render::transactions(statements) {
            let script = autogen_render::script(group);
            self.execute(&format!("BEGIN;\n{script}COMMIT;"))
                .map_err(|e| format!("{e}\nin:\n{script}"))?;
        }
        Ok(())
    }
}

impl Default for Live {
    fn default() -> Live {
        Live::new()
    }
}

/// The plan from `current` to `desired` with default options, as the CLI's `diff` makes it.
pub fn plan_between(current: &Schema, desired: &Schema) -> autogen_diff::Plan {
    autogen_diff::diff(current, desired, &autogen_diff::DiffOptions::default())
}

/// The up and down statements of `plan` for PostgreSQL.
pub fn render_both(
    plan: &autogen_diff::Plan,
) -> Result<
    (
        Vec<autogen_render::Statement>,
        Vec<autogen_render::Statement>,
    ),
    String,
> {
    let dialect = autogen_schema::Dialect::Postgres;
    let up = autogen_render::render(plan, dialect).map_err(|e| format!("up: {e}"))?;
    // The down file's statements: the down plan's steps.
    let down = autogen_render::lower(plan, dialect)
        .map_err(|e| format!("down: {e}"))?
        .down_statements();
    Ok((up, down))
}

/// How two schemas differ (columns compared by name): a unified diff of their JSON forms,
/// two lines of context; `None` when they are equal.
pub fn schema_difference(got: &Schema, want: &Schema) -> Option<String> {
    let (got, want) = (got.with_columns_by_name(), want.with_columns_by_name());
    if got == want {
        return None;
    }
    let json = |s: &Schema| serde_json::to_string_pretty(s).unwrap_or_default();
    let (a, b) = (json(&got), json(&want));
    Some(
        similar::TextDiff::from_lines(&a, &b)
            .unified_diff()
            .context_radius(2)
            .header("got", "want")
            .to_string(),
    )
}

/// The database's own account of its schema, the judge of round trips: `pg_dump -s` (owners,
/// privileges and comments on objects included), without the migration bookkeeping table,
/// the dump's own `--` comments, session `SET`s and the per-dump `\restrict` key; trailing
/// commas dropped and lines sorted, because PostgreSQL cannot put a column back where it was
/// and a column's position is not a schema difference.
pub fn dump_lines(url: &str) -> Result<Vec<String>, String> {
    let output = std::process::Command::new("pg_dump")
        .args(["-s", "-T", "_sqlx_migrations", "-d", url])
        .output()
        .map_err(|e| format!("pg_dump does not run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "pg_dump fails: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8(output.stdout).map_err(|e| format!("pg_dump: {e}"))?;
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("--") && !l.starts_with('\\'))
        .filter(|l| !l.starts_with("SET ") && !l.starts_with("SELECT pg_catalog.set_config"))
        .filter(|l| !l.contains("_sqlx_migrations"))
        // The server prints `x = ANY ((ARRAY[..])::text[])` for a check it was given as
        // `x IN (..)`, and the distributed cast for the same check read back: one meaning.
        .map(|l| autogen_introspect::array_casts_distributed(l.trim_end_matches(',')))
        .collect();
    lines.sort();
    Ok(lines)
}

/// How two dumps of [`dump_lines`] differ: the lines only `got` has (`+`) and only `want` has
/// (`-`), as multisets; `None` when they are equal.
pub fn dump_difference(got: &[String], want: &[String]) -> Option<String> {
    if got == want {
        return None;
    }
    let (want, got): (Vec<&str>, Vec<&str>) = (
        want.iter().map(String::as_str).collect(),
        got.iter().map(String::as_str).collect(),
    );
    let mut out = String::new();
    for change in similar::TextDiff::from_slices(&want, &got).iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Equal => continue,
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
        };
        out.push_str(&format!("{sign} {}\n", change.value()));
    }
    Some(out)
}

/// The diff round trip on real PostgreSQL, over three databases kept open and reset between
/// runs (far cheaper than new ones): A is migrated up and down, B holds the desired schema, C
/// the `before` schema loaded fresh. Judged by autogen's introspection and by `pg_dump -s`:
/// after the up A equals B and a second diff is empty; after the down A equals C.
pub struct RoundTrip {
    a: Live,
    b: Live,
    c: Live,
}

impl RoundTrip {
    pub fn new() -> RoundTrip {
        RoundTrip {
            a: Live::new(),
            b: Live::new(),
            c: Live::new(),
        }
    }

    /// Runs the round trip from the schema `before` (SQL) to `after`.
    pub fn run(&mut self, before: &str, after: &str) -> Result<(), String> {
        let RoundTrip { a, b, c } = self;
        for db in [&mut *a, &mut *b, &mut *c] {
            db.reset();
        }
        a.execute(before)
            .map_err(|e| format!("before.sql does not load: {e}"))?;
        b.execute(after)
            .map_err(|e| format!("after.sql does not load: {e}"))?;
        c.execute(before)
            .map_err(|e| format!("before.sql does not load: {e}"))?;
        let current = a.inspect_all()?;
        let desired = b.inspect_all()?;
        let plan = plan_between(&current, &desired);
        let (up, down) = render_both(&plan).map_err(|e| format!("does not render: {e}"))?;

        a.apply(&up).map_err(|e| format!("up fails: {e}"))?;
        let upgraded = a.inspect_all()?;
        if let Some(difference) = schema_difference(&upgraded, &desired) {
            return Err(format!("after up, A differs from after.sql:\n{difference}"));
        }
        if let Some(difference) =
            dump_difference(&dump_lines(a.db().url())?, &dump_lines(b.db().url())?)
        {
            return Err(format!(
                "after up, pg_dump of A differs from after.sql's:\n{difference}"
            ));
        }
        let again = plan_between(&upgraded, &desired);
        if !again.is_empty() {
            return Err(format!(
                "a second diff is not empty: {}",
                serde_json::to_string(&again.changes).unwrap_or_default()
            ));
        }

        a.apply(&down).map_err(|e| format!("down fails: {e}"))?;
        let downgraded = a.inspect_all()?;
        let original = c.inspect_all()?;
        if let Some(difference) = schema_difference(&downgraded, &original) {
            return Err(format!(
                "after down, A differs from before.sql:\n{difference}"
            ));
        }
        if let Some(difference) =
            dump_difference(&dump_lines(a.db().url())?, &dump_lines(c.db().url())?)
        {
            return Err(format!(
                "after down, pg_dump of A differs from before.sql's:\n{difference}"
            ));
        }
        Ok(())
    }
}

/// One data-driven case of a round-trip table: a name, the `before` schema and the `after`
/// schema (SQL). The round trip runs up and down, so one case covers both directions: a case
/// from an empty `before` tests a creation and, coming down, the drop.
pub struct Case {
    pub name: &'static str,
    pub before: &'static str,
    pub after: &'static str,
}

/// Runs every case's [`RoundTrip`] and fails listing each case that does not round-trip.
pub fn check_round_trips(cases: &[Case]) {
    let mut trip = RoundTrip::new();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            trip.run(case.before, case.after)
                .err()
                .map(|reason| format!("=== {}\n{reason}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases do not round-trip:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
