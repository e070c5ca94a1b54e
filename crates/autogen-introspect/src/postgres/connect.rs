use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, PgConnection};

use crate::IntrospectError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection from a `postgres://` URL. Every error names the server (`host:port`) and,
/// where it matters, the user or database; none contains the password.
pub async fn connect_postgres(url: &str) -> Result<PgConnection, IntrospectError> {
    let parsed = url::Url::parse(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: e.to_string(),
    })?;
    match parsed.scheme() {
        "postgres" | "postgresql" => {}
        other => {
            return Err(IntrospectError::UnsupportedScheme {
                scheme: other.to_owned(),
            });
        }
    }
    // sqlx echoes parts of the URL in some parse errors; keep only the kind of problem.
    let options = PgConnectOptions::from_str(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: redact(&e.to_string(), parsed.password()),
    })?;
    let server = format!("{}:{}", options.get_host(), options.get_port());
    let user = options.get_username().to_owned();
    let database = options.get_database().unwrap_or(&user).to_owned();
    let options = options.disable_statement_logging();
    match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
        Err(_) => Err(IntrospectError::ConnectTimeout {
            server,
            seconds: CONNECT_TIMEOUT.as_secs(),
        }),
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(classify(e, server, user, database, parsed.password())),
    }
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
            reason: io.to_string(),
        },
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // invalid_password, invalid_authorization_specification
            Some("28P01") | Some("28000") => IntrospectError::Authentication { server, user },
            // invalid_catalog_name
            Some("3D000") => IntrospectError::UnknownDatabase { server, database },
            Some(_) | None => IntrospectError::Connect {
                server,
                reason: redact(db.message(), password),
            },
        },
        sqlx::Error::Tls(tls) => IntrospectError::Connect {
            server,
            reason: format!("tls: {}", redact(&tls.to_string(), password)),
        },
        other => IntrospectError::Connect {
            server,
            reason: redact(&other.to_string(), password),
        },
    }
}

/// Belt and braces: whatever a driver message says, the password does not leave this function.
fn redact(message: &str, password: Option<&str>) -> String {
    match password {
        Some(password) if !password.is_empty() => message.replace(password, "***"),
        Some(_) | None => message.to_owned(),
    }
}
