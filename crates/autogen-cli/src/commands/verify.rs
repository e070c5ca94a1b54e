//! `autogen verify`: replays the migration folder on an empty database, each migration up,
//! down and up again, the schema after each down compared with the one before its up; at the
//! end the schema must equal the models (when models are configured). Made for CI: one line
//! per migration, exit 0 ok, 1 a migration that does not round-trip or an end that differs
//! from the models, 2 an error. Nothing stays behind: the database `--create-db` made is
//! dropped, and what the replay created on a dev database is dropped (`leftovers.rs`).

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use autogen_diff::DiffOptions;
use autogen_introspect::{MissingSchema, dialect_of_url};
use autogen_migrate::{Database, DowngradeTarget, MigrationFolder, OutOfOrder, UpgradeTarget};
use autogen_schema::{Dialect, Schema, quote_ident};
use sqlx::{Connection, Executor};

use super::migrations::{name, open_url, read_folder};
use crate::cli::{GlobalArgs, VerifyArgs};
use crate::config::Settings;
use crate::database::inspect_url;
use crate::desired::{models_against_database, without_bookkeeping};

mod leftovers;

use leftovers::Baseline;

const EXIT_FAILED: u8 = 1;

pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    if let Some(dev) = settings.dev_url.clone() {
        // The dev database is left as it was found, whatever happened.
        let baseline = Baseline::read(&dev).await?;
        let result = replay(&settings, &folder, &dev).await;
        let restored = baseline.restore().await;
        let code = result?;
        restored?;
        return Ok(code);
    }
    if !args.create_db {
        bail!(
            "verify needs an empty database: pass --dev-url (or set `dev_url` in autogen.toml), \
             or --create-db to create one on the server of --database-url"
        );
    }
    let server = settings.database_url()?.to_owned();
    let scratch = Scratch::create(&server).await?;
    let result = replay(&settings, &folder, &scratch.url).await;
    // Dropped whatever happened, also after an error.
    let dropped = scratch.drop().await;
    let code = result?;
    dropped?;
    Ok(code)
}

async fn replay(settings: &Settings, folder: &MigrationFolder, url: &str) -> anyhow::Result<u8> {
    let schemas = &settings.schemas;
    let start = read(url, schemas).await?;
    if start.schemas.values().any(|n| !n.tables.is_empty()) {
        bail!(
            "{} is not empty; verify replays the migrations on an empty database",
            crate::config::redacted_url(url)
        );
    }
    let mut db = open_url(url, String::new).await?;
    let result = walk(&mut db, folder, url, schemas).await;
    db.close().await;
    if !result? {
        return Ok(EXIT_FAILED);
    }
    let mut out = std::io::stdout().lock();
    if settings.models.is_empty() {
        writeln!(
            out,
            "ok: {} migrations round-trip",
            folder.migrations().len()
        )?;
        return Ok(0);
    }
    drop(out);
    let mut at_end = settings.clone();
    at_end.database_url = Some(url.to_owned());
    at_end.dev_url = None;
    let comparison = models_against_database(&at_end).await?;
    let mut out = std::io::stdout().lock();
    if comparison.plan.is_empty() {
        writeln!(
            out,
            "ok: {} migrations round-trip and end at the models",
            folder.migrations().len()
        )?;
        return Ok(0);
    }
    writeln!(
        out,
        "FAIL the schema after the last migration differs from the models:"
    )?;
    out.write_all(
        autogen_render::summary(&comparison.plan, comparison.desired.dialect).as_bytes(),
    )?;
    Ok(EXIT_FAILED)
}

/// Every migration up, down, up; false at the first that does not round-trip (the ones after
/// it would start from the wrong schema).
async fn walk(
    db: &mut Database,
    folder: &MigrationFolder,
    url: &str,
    schemas: &[String],
) -> anyhow::Result<bool> {
    let mut out = std::io::stdout();
    let mut before = read(url, schemas).await?;
    for migration in folder.migrations() {
        let label = name(migration.version, &migration.description);
        let up = UpgradeTarget::Version(migration.version);
        autogen_migrate::upgrade(db, folder, up, OutOfOrder::Refuse, |_| {})
            .await
            .with_context(|| format!("{label}: up failed"))?;
        let after = read(url, schemas).await?;
        if migration.down.is_none() {
            writeln!(out, "ok   {label} (up only: no down file)")?;
            before = after;
            continue;
        }
        autogen_migrate::downgrade(db, folder, DowngradeTarget::Last(1), |_| {})
            .await
            .with_context(|| format!("{label}: down failed"))?;
        let restored = read(url, schemas).await?;
        if !same(&restored, &before) {
            writeln!(
                out,
                "FAIL {label}: the down migration does not restore the schema before its up"
            )?;
            print_difference(&mut out, &restored, &before)?;
            return Ok(false);
        }
        autogen_migrate::upgrade(db, folder, up, OutOfOrder::Refuse, |_| {})
            .await
            .with_context(|| format!("{label}: up after down failed"))?;
        let again = read(url, schemas).await?;
        if !same(&again, &after) {
            writeln!(
                out,
                "FAIL {label}: up after down gives another schema than the first up"
            )?;
            print_difference(&mut out, &again, &after)?;
            return Ok(false);
        }
        writeln!(out, "ok   {label}")?;
        before = again;
    }
    Ok(true)
}

/// Equal as autogen judges drift (`check`): the differ finds no change. Column order is not
/// compared (a down that re-adds a dropped column puts it last; PostgreSQL cannot do otherwise).
fn same(got: &Schema, expected: &Schema) -> bool {
    got == expected || autogen_diff::diff(got, expected, &DiffOptions::new()).is_empty()
}

/// What it would take to go from `got` to `expected`, indented under the failing line.
fn print_difference(out: &mut impl Write, got: &Schema, expected: &Schema) -> std::io::Result<()> {
    let plan = autogen_diff::diff(got, expected, &DiffOptions::new());
    let summary = autogen_render::summary(&plan, got.dialect);
    for line in summary.lines() {
        writeln!(out, "     {line}")?;
    }
    Ok(())
}

async fn read(url: &str, schemas: &[String]) -> anyhow::Result<Schema> {
    Ok(without_bookkeeping(
        inspect_url(url, schemas, MissingSchema::Absent).await?,
    ))
}

/// A database verify created, on the server of the user's URL, dropped at the end.
struct Scratch {
    url: String,
    dialect: Dialect,
    server: String,
    name: String,
}

impl Scratch {
    async fn create(server: &str) -> anyhow::Result<Scratch> {
        let dialect = dialect_of_url(server)?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("autogen_verify_{}_{nanos}", std::process::id());
        let url = match dialect {
            Dialect::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                std::fs::write(&path, b"")
                    .with_context(|| format!("cannot create {}", path.display()))?;
                format!("sqlite://{}", path.display())
            }
            Dialect::Postgres | Dialect::MySql => {
                let mut parsed = url::Url::parse(server)
                    .map_err(|e| anyhow::anyhow!("invalid database url: {e}"))?;
                parsed.set_path(&format!("/{name}"));
                let statement = match dialect {
                    Dialect::Postgres => format!("CREATE DATABASE {}", quote_ident(&name)),
                    Dialect::MySql | Dialect::Sqlite => format!("CREATE DATABASE `{name}`"),
                };
                admin(dialect, server, &statement).await.context(
                    "--create-db: cannot create the database to replay the migrations in",
                )?;
                parsed.to_string()
            }
        };
        crate::config::remember_secrets(&url);
        Ok(Scratch {
            url,
            dialect,
            server: server.to_owned(),
            name,
        })
    }

    async fn drop(self) -> anyhow::Result<()> {
        match self.dialect {
            Dialect::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", self.name));
                let _ = std::fs::remove_file(path);
                Ok(())
            }
            Dialect::Postgres => {
                let statement = format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_ident(&self.name)
                );
                admin(self.dialect, &self.server, &statement).await
            }
            Dialect::MySql => {
                let statement = format!("DROP DATABASE IF EXISTS `{}`", self.name);
                admin(self.dialect, &self.server, &statement).await
            }
        }
    }
}

/// One statement on the user's server (CREATE/DROP DATABASE).
async fn admin(dialect: Dialect, server: &str, statement: &str) -> anyhow::Result<()> {
    let sql = sqlx::AssertSqlSafe(statement.to_owned());
    match dialect {
        Dialect::Postgres => {
            let mut conn = autogen_introspect::connect_postgres(server).await?;
            let result = conn.execute(sqlx::raw_sql(sql)).await;
            let _ = conn.close().await;
            result?;
        }
        Dialect::MySql => {
            let mut conn = autogen_introspect::connect_mysql(server).await?;
            let result = conn.execute(sqlx::raw_sql(sql)).await;
            let _ = conn.close().await;
            result?;
        }
        Dialect::Sqlite => {}
    }
    Ok(())
}
