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

pub(crate) fn redacted(url: &Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    url.to_string()
}

/// Driver messages are not known to echo passwords, but a test log is no place to find out they do.
pub(crate) fn scrubbed(text: &str, url: &Url) -> String {
    let Some(password) = url.password().filter(|p| !p.is_empty()) else {
        return text.to_owned();
    };
    let mut out = text.replace(password, "***");
    if let Ok(decoded) = percent_decoded(password)
        && !decoded.is_empty()
    {
        out = out.replace(&decoded, "***");
    }
    out
}

pub(crate) fn percent_decoded(text: &str) -> Result<String, std::string::FromUtf8Error> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if first == b'%' => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes)
}
