//! What the PostgreSQL and MariaDB test databases share: where a server comes from (the
//! configured URL, else the local service, else a throwaway server of this process's own),
//! the report of every source tried, and scripts run on a thread and runtime of their own.
//! Each dialect module keeps only what differs: its SQL, its connection and its server.

use std::future::Future;
use std::time::Duration;

use url::Url;

use crate::names::{redacted, scrubbed};
use crate::{Attempt, TestkitError};

/// Rows as [`crate::TestDatabase::query`] returns them.
pub(crate) type Rows = Vec<Vec<Option<String>>>;

/// How long a configured server gets to answer, and a server this kit started itself.
pub(crate) const CONFIGURED_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const OWN_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// A local service that is not running should not slow every test down.
const LOCAL_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// A dialect's test database on a server.
pub(crate) trait ServerDatabase: Sized {
    /// The dialect, as the error names it.
    const DIALECT: &'static str;
    /// The environment variable that names a server; nothing else is tried when it is set.
    const ENV_URL: &'static str;
    /// The local service's URL.
    const LOCAL_URL: &'static str;
    /// How the throwaway server is described in the report.
    const THROWAWAY: &'static str;

    /// Creates a fresh database on the server that `server` reaches.
    fn create_on(server: &Url, connect_timeout: Duration) -> Result<Self, String>;

    /// This process's own server, started on first use.
    fn throwaway() -> Result<&'static Url, String>;
}

/// One place a server may come from, in the order [`try_sources`] tries them.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// The configured URL, kept raw so that an unparsable value is reported, not echoed.
    Configured(String),
    /// A server expected to be running already, checked with a short timeout.
    Local(String),
    /// The per-process server this kit starts itself.
    Throwaway,
}

pub(crate) fn sources_from_env<D: ServerDatabase>() -> Vec<Source> {
    match std::env::var_os(D::ENV_URL) {
        Some(value) => vec![Source::Configured(value.to_string_lossy().into_owned())],
        None => vec![Source::Local(D::LOCAL_URL.to_owned()), Source::Throwaway],
    }
}

/// Creates a database on the first source that works, or reports every failure.
pub(crate) fn try_sources<D: ServerDatabase>(sources: &[Source]) -> Result<D, TestkitError> {
    let mut tried = Vec::new();
    for source in sources {
        let result = match source {
            Source::Configured(raw) => {
                create_on_url(&format!("{}=", D::ENV_URL), raw, CONFIGURED_CONNECT_TIMEOUT)
            }
            Source::Local(raw) => create_on_url("local service ", raw, LOCAL_CONNECT_TIMEOUT),
            Source::Throwaway => create_on_throwaway(),
        };
        match result {
            Ok(db) => return Ok(db),
            Err(attempt) => tried.push(attempt),
        }
    }
    Err(TestkitError::Unavailable {
        dialect: D::DIALECT,
        tried,
    })
}

fn create_on_url<D: ServerDatabase>(
    label: &str,
    raw: &str,
    timeout: Duration,
) -> Result<D, Attempt> {
    let server = Url::parse(raw).map_err(|e| Attempt {
        // The value may hold a password that an unparsable URL gives no safe way to cut out.
        source: format!("{} (value not shown)", label.trim_end_matches(['=', ' '])),
        reason: format!("not a valid URL: {e}"),
    })?;
    D::create_on(&server, timeout).map_err(|reason| Attempt {
        source: format!("{label}{}", redacted(&server)),
        reason: scrubbed(&reason, &server),
    })
}

fn create_on_throwaway<D: ServerDatabase>() -> Result<D, Attempt> {
    let source = D::THROWAWAY.to_owned();
    let server = D::throwaway().map_err(|reason| Attempt {
        source: source.clone(),
        reason,
    })?;
    D::create_on(server, OWN_CONNECT_TIMEOUT).map_err(|reason| Attempt { source, reason })
}

/// Runs `script` on its own thread and runtime, so that callers inside an async test do not
/// nest runtimes.
pub(crate) fn on_own_runtime<F, Fut>(script: F) -> Result<Rows, String>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<Rows, String>>,
{
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start a runtime: {e}"))?;
        runtime.block_on(script())
    })
    .join()
    .map_err(|_| "the database thread panicked".to_owned())?
}

/// Connects within `timeout`, saying so when it does not.
pub(crate) async fn connect_within<C, Fut, E>(timeout: Duration, connect: Fut) -> Result<C, String>
where
    Fut: Future<Output = Result<C, E>>,
    E: std::fmt::Display,
{
    tokio::time::timeout(timeout, connect)
        .await
        .map_err(|_| format!("no connection within {}s", timeout.as_secs()))?
        .map_err(|e| e.to_string())
}
