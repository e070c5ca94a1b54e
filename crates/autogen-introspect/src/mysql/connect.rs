#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlDatabaseError};
use sqlx::{ConnectOptions, MySqlConnection};

use crate::IntrospectError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection from a `mysql://` (or `mariadb://`) URL. Every error names the server
/// (`host:port`) and, where it matters, the user or database; none contains the password.
pub async fn connect_mysql(url: &str) -> Result<MySqlConnection, IntrospectError> {
    let options = connect_options(url)?;
    let server = format!("{}:{}", options.get_host(), options.get_port());
    let user = options.get_username().to_owned();
    let database = options.get_database().unwrap_or_default().to_owned();
    let password = autogen_schema::url::url_password(url).map(str::to_owned);
    // sqlx's statement logging stays on: `-v` shows each statement with its timing.
    let since = std::time::Instant::now();
    match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
        Err(_) => Err(IntrospectError::ConnectTimeout {
            server,
            seconds: CONNECT_TIMEOUT.as_secs(),
        }),
        Ok(Ok(conn)) => {
            crate::trace::connected("mysql", &server, &user, &database, since);
            Ok(conn)
        }
        Ok(Err(e)) => Err(classify(e, server, user, database, password.as_deref())),
    }
}

/// sqlx's options for `url`; `mariadb://` is read as `mysql://`.
pub(crate) fn connect_options(url: &str) -> Result<MySqlConnectOptions, IntrospectError> {
    let parsed = url::Url::parse(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: redact(&e.to_string(), autogen_schema::url::url_password(url)),
    })?;
    let password = autogen_schema::url::url_password(url);
    let url = match parsed.scheme() {
        "mysql" => url.to_owned(),
        "mariadb" => format!("mysql{}", &url["mariadb".len()..]),
        other => {
            return Err(IntrospectError::UnsupportedScheme {
                scheme: other.to_owned(),
            });
        }
    };
    MySqlConnectOptions::from_str(&url).map_err(|e| IntrospectError::InvalidUrl {
        reason: redact(&e.to_string(), password),
    })
}

fn classify(
    error: sqlx::Error,
    server: String,
    user: String,
    database: String,
    password: Option<&str>,
) -> IntrospectError {
    match &error {
        sqlx::Error::Io(io) => IntrospectError::Unreachable {
            server,
            reason: io.kind().to_string(),
        },
        sqlx::Error::Database(db) => {
            let number = db
                .try_downcast_ref::<MySqlDatabaseError>()
                .map(MySqlDatabaseError::number);
            match number {
                // ER_ACCESS_DENIED_ERROR
                Some(1045) => IntrospectError::Authentication { server, user },
                // ER_DBACCESS_DENIED_ERROR
                Some(1044) => IntrospectError::Rejected {
                    server,
                    user,
                    reason: redact(db.message(), password),
                },
                // ER_BAD_DB_ERROR
                Some(1049) => IntrospectError::UnknownDatabase { server, database },
                Some(_) | None => IntrospectError::Connect {
                    server,
                    reason: redact(db.message(), password),
                },
            }
        }
        other => IntrospectError::Connect {
            server,
            reason: redact(&other.to_string(), password),
        },
    }
}

/// The one redaction ([`autogen_schema::Secrets`]): the password as typed and decoded, and
/// any URL's password in the text.
fn redact(message: &str, password: Option<&str>) -> String {
    let mut secrets = autogen_schema::Secrets::new();
    if let Some(password) = password {
        secrets.add(password);
    }
    secrets.scrub(message)
}
