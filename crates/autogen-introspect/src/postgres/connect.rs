#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, PgConnection};

use crate::IntrospectError;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection from a `postgres://` URL. Every error names the server (`host:port`) and,
/// where it matters, the user or database; none contains the password.
pub async fn connect_postgres(url: &str) -> Result<PgConnection, IntrospectError> {
    let password = autogen_schema::url::url_password(url);
    let parsed = url::Url::parse(url).map_err(|e| IntrospectError::InvalidUrl {
        reason: redact(&e.to_string(), password),
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
        reason: redact(&config_reason(&e), password),
    })?;
    let options = unbracketed_host(options);
    let server = server_of(&options);
    let user = options.get_username().to_owned();
    let database = options.get_database().unwrap_or(&user).to_owned();
    // sqlx's statement logging stays on: `-v` shows each statement with its timing.
    let since = std::time::Instant::now();
    match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
        Err(_) => Err(IntrospectError::ConnectTimeout {
            server,
            seconds: CONNECT_TIMEOUT.as_secs(),
        }),
        Ok(Ok(conn)) => {
            crate::trace::connected("postgres", &server, &user, &database, since);
            Ok(conn)
        }
        Ok(Err(e)) => Err(classify(e, server, user, database, password)),
    }
}

/// The URL keeps an IPv6 host in brackets and sqlx hands it to the resolver that way, which
/// looks `[::1]` up as a host name and fails; the bare address connects.
fn unbracketed_host(options: PgConnectOptions) -> PgConnectOptions {
    let host = options.get_host();
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(bare) => {
            let bare = bare.to_owned();
            options.host(&bare)
        }
        None => options,
    }
}

/// `host:port` as a user would write it (`[::1]:5432`), or the Unix socket directory.
fn server_of(options: &PgConnectOptions) -> String {
    let port = options.get_port();
    if let Some(socket) = options.get_socket() {
        return format!("{}:{port}", socket.display());
    }
    let host = options.get_host();
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The common socket failures in the words of their kind (`connection refused`), without the
/// platform's capitalisation and error number; anything else as the system says it.
fn io_reason(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::HostUnreachable
        | ErrorKind::NetworkUnreachable
        | ErrorKind::AddrNotAvailable
        | ErrorKind::TimedOut
        | ErrorKind::PermissionDenied => io.kind().to_string(),
        _ => io.to_string(),
    }
}

/// sqlx wraps URL option errors twice in "error with configuration: "; once is noise enough.
fn config_reason(error: &sqlx::Error) -> String {
    let text = error.to_string();
    let mut rest = text.as_str();
    while let Some(tail) = rest.strip_prefix("error with configuration: ") {
        rest = tail;
    }
    rest.to_owned()
}

fn classify(
    error: sqlx::Error,
    server: String,
    user: String,
    database: String,
    password: Option<&str>,
) -> IntrospectError {
    match &error {
        // The server answered, but not with PostgreSQL's protocol or not with a certificate
        // rustls accepts: reached, so not "cannot reach".
        sqlx::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            IntrospectError::Connect {
                server,
                reason: redact(&io.to_string(), password),
            }
        }
        sqlx::Error::Io(io) => IntrospectError::Unreachable {
            server,
            reason: io_reason(io),
        },
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // invalid_password (PostgreSQL also gives it for an unknown role under password auth)
            Some("28P01") => IntrospectError::Authentication { server, user },
            // invalid_authorization_specification: unknown role, no pg_hba.conf entry
            Some("28000") => IntrospectError::Rejected {
                server,
                user,
                reason: redact(db.message(), password),
            },
            // invalid_catalog_name
            Some("3D000") => IntrospectError::UnknownDatabase { server, database },
            Some(_) | None => IntrospectError::Connect {
                server,
                reason: redact(db.message(), password),
            },
        },
        sqlx::Error::Protocol(message) => IntrospectError::Connect {
            server,
            reason: redact(without_source_location(message), password),
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

/// sqlx ends protocol errors with where in sqlx they were raised: `.. (sqlx_postgres::x:95)`.
fn without_source_location(message: &str) -> &str {
    match message.rfind(" (sqlx_") {
        Some(at) if message.ends_with(')') => &message[..at],
        Some(_) | None => message,
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
