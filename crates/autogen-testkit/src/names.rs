//! What every dialect's test databases share: unique names, and URLs and messages without
//! passwords.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use url::Url;

/// A name no other test, process or earlier run is using: pid and counter within a run, time across runs.
pub(crate) fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "autogen_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// The URL without its password: the one redaction, [`autogen_schema::redact_url`].
pub(crate) fn redacted(url: &Url) -> String {
    autogen_schema::redact_url(url.as_str())
}

/// Driver messages are not known to echo passwords, but a test log is no place to find out they
/// do: the one scrub, [`autogen_schema::Secrets`] (raw and percent-decoded).
pub(crate) fn scrubbed(text: &str, url: &Url) -> String {
    autogen_schema::Secrets::of([url.as_str()]).scrub(text)
}
