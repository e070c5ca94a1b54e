//! What the lifecycle commands share: opening the folder and the database, and naming a
//! migration and the database's position the same way everywhere.

use autogen_introspect::{IntrospectError, connect_mysql, connect_postgres, connect_sqlite};
use autogen_migrate::{Database, History, MigrateError, MigrationFolder, dialect_of_url};
use autogen_schema::Dialect;

use crate::config::{Settings, folder_context};

/// The migration folder of the settings; a missing one says which setting named it.
pub async fn read_folder(settings: &Settings) -> anyhow::Result<MigrationFolder> {
    match MigrationFolder::read(&settings.migrations_dir).await {
        Ok(folder) => Ok(folder),
        Err(MigrateError::NoFolder { .. }) => Err(anyhow::anyhow!(
            "{} does not exist",
            folder_context(settings)
        )),
        Err(e) => Err(e.into()),
    }
}

/// A connection to the settings' database, through the introspector's connection code (errors
/// name the server, user or database, never the password).
pub async fn open_database(settings: &Settings) -> anyhow::Result<Database> {
    let url = settings.database_url()?;
    // A malformed URL is fixed where it was set, which with flags, variables, .env and
    // autogen.toml in play is worth saying.
    let from = || {
        settings
            .database_url_origin()
            .map(|origin| format!(" (the url is from {origin})"))
            .unwrap_or_default()
    };
    open_url(url, from).await
}

/// A connection to the database at `url`; `from` says where a malformed URL came from.
pub async fn open_url(url: &str, from: impl Fn() -> String) -> anyhow::Result<Database> {
    let dialect = dialect_of_url(url).map_err(|e| anyhow::anyhow!("{e}{}", from()))?;
    match dialect {
        Dialect::Postgres => match connect_waking(url).await {
            Ok(conn) => Ok(Database::postgres(conn)),
            Err(e @ IntrospectError::InvalidUrl { .. }) => Err(anyhow::anyhow!("{e}{}", from())),
            Err(e) => Err(e.into()),
        },
        Dialect::Sqlite => match connect_sqlite(url).await {
            Ok(conn) => Ok(Database::sqlite(conn)),
            Err(e @ IntrospectError::InvalidUrl { .. }) => Err(anyhow::anyhow!("{e}{}", from())),
            Err(e) => Err(e.into()),
        },
        Dialect::MySql => match connect_mysql(url).await {
            Ok(conn) => Ok(Database::mysql(conn)),
            Err(e @ IntrospectError::InvalidUrl { .. }) => Err(anyhow::anyhow!("{e}{}", from())),
            Err(e) => Err(e.into()),
        },
    }
}

/// How many times a connection is tried, and the pause before each retry.
const BACKOFF: [std::time::Duration; 2] = [
    std::time::Duration::from_secs(1),
    std::time::Duration::from_secs(3),
];

/// A PostgreSQL connection, tried again (bounded, with backoff) when the server is slow to
/// answer or says its compute is starting: a serverless compute (Neon) suspended for
/// inactivity wakes on the first connection. Says so on stderr only when it retries.
async fn connect_waking(url: &str) -> Result<sqlx::PgConnection, IntrospectError> {
    let mut pauses = BACKOFF.iter();
    loop {
        let error = match connect_postgres(url).await {
            Ok(conn) => return Ok(conn),
            Err(e) => e,
        };
        let waking = matches!(error, IntrospectError::ConnectTimeout { .. })
            || matches!(&error, IntrospectError::Connect { reason, .. }
                if reason.to_lowercase().contains("compute")
                    || reason.to_lowercase().contains("starting up"));
        match pauses.next() {
            Some(pause) if waking => {
                crate::output::note(&format!(
                    "{error}; retrying in {}s (the compute may be waking up)",
                    pause.as_secs()
                ));
                tokio::time::sleep(*pause).await;
            }
            Some(_) | None => return Err(error),
        }
    }
}

/// Says on stderr, once, that the migration lock is held and by whom, before waiting for it.
pub fn report_lock_wait(db: &mut Database) {
    db.on_lock_wait(|holder| {
        let who = holder.map_or_else(|| "another session".to_owned(), ToString::to_string);
        crate::output::note(&format!(
            "waiting for the migration lock, held by {who} (another upgrade or downgrade)"
        ));
    });
}

/// `20240131120000 add due date`
pub fn name(version: i64, description: &str) -> String {
    format!("{version} {description}")
}

/// Where the database is: `base` or the latest applied migration, then `(head)` when nothing
/// is pending or how many are.
pub fn position(history: &History) -> String {
    let at = match history.current() {
        Some(entry) => name(entry.version, &entry.description),
        None => "base".to_owned(),
    };
    let pending = history.pending().count();
    if history.is_at_head() {
        format!("{at} (head)")
    } else if pending > 0 {
        format!("{at} ({pending} pending)")
    } else {
        at
    }
}
