//! The one error a test database can fail with: nothing could be had, and here is what was tried.

use std::fmt::Write as _;

/// One way of getting a database that was tried, and why it did not work.
///
/// Neither field ever holds a password: URLs are redacted and reasons are scrubbed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// What was tried, e.g. `AUTOGEN_TEST_POSTGRES_URL=postgres://u:***@db:5432/postgres`.
    pub source: String,
    /// Why it failed.
    pub reason: String,
}

/// Why no test database could be had.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TestkitError {
    /// Every source the configuration allows was tried, in order, and each failed.
    #[error("no {dialect} database for this test; tried:{}", list(.tried))]
    Unavailable {
        /// `PostgreSQL` now; `MariaDB` and `SQLite` later.
        dialect: &'static str,
        tried: Vec<Attempt>,
    },
}

impl TestkitError {
    /// The sources that were tried, in order.
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            Self::Unavailable { tried, .. } => tried,
        }
    }
}

fn list(tried: &[Attempt]) -> String {
    if tried.is_empty() {
        // Only a configuration bug gets here, but an empty list would read as "tried nothing".
        return " nothing (no source configured)".to_owned();
    }
    let mut out = String::new();
    for attempt in tried {
        let _ = write!(out, "\n  - {}: {}", attempt.source, attempt.reason);
    }
    out
}
