//! Database URLs: the dialect a URL's scheme names, and the one redaction of credentials.
//!
//! Pure text work, no parsing library: the forms users type are wider than RFC 3986
//! (`mysql:user:pass@host` without `//`, `sqlite://user:pw@/path`, a password holding an
//! unencoded `@` or `/`), and a redaction that only knows well-formed URLs misses the others.
//! Every place that prints a URL or a driver's text goes through [`redact_url`] /
//! [`Secrets::scrub`]; every place that picks a dialect goes through [`dialect_of_url`].

use crate::Dialect;

/// What replaces a password.
pub const REDACTED: &str = "***";

/// Why a URL names no dialect. Never holds the URL (it may hold a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme:` at the start.
    NoScheme,
    /// A scheme autogen does not speak; only the scheme is kept.
    UnsupportedScheme { scheme: String },
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlError::NoScheme => f.write_str(
                "invalid database url: no scheme; expected postgres://, mysql://, mariadb:// or sqlite:",
            ),
            UrlError::UnsupportedScheme { scheme } => write!(
                f,
                "unsupported database url scheme `{scheme}`; expected postgres://, postgresql://, mysql://, mariadb:// or sqlite:"
            ),
        }
    }
}

impl std::error::Error for UrlError {}

/// The scheme of `url`, lowercased, when it starts with one (`letters, digits, + - .` then `:`).
pub fn url_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The dialect a database URL speaks: `postgres://`/`postgresql://`, `mysql://`/`mariadb://`,
/// `sqlite:`. Never echoes the URL.
pub fn dialect_of_url(url: &str) -> Result<Dialect, UrlError> {
    let scheme = url_scheme(url).ok_or(UrlError::NoScheme)?;
    match scheme.as_str() {
        "postgres" | "postgresql" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::MySql),
        "sqlite" => Ok(Dialect::Sqlite),
        _ => Err(UrlError::UnsupportedScheme { scheme }),
    }
}

/// Where the user information of `url` is: the byte range of the password (after the first
/// `:` of the user info, up to the last `@` before the query), if there is one. Works without
/// `//` and with unencoded `@`, `/` or `:` in the password.
fn password_range(url: &str) -> Option<std::ops::Range<usize>> {
    let scheme = url_scheme(url)?;
    let mut start = scheme.len() + 1;
    if url[start..].starts_with("//") {
        start += 2;
    }
    let rest = &url[start..];
    // The query and fragment never hold the user info; a password may hold `?` only encoded.
    let end_of_authority = rest.find(['?', '#']).unwrap_or(rest.len());
    let at = rest[..end_of_authority].rfind('@')?;
    let userinfo = &rest[..at];
    let colon = userinfo.find(':')?;
    Some(start + colon + 1..start + at)
}

/// The password of `url` as typed (percent-encoded or not), whatever the form.
pub fn url_password(url: &str) -> Option<&str> {
    password_range(url)
        .map(|range| &url[range])
        .filter(|p| !p.is_empty())
}

/// `url` with its password replaced by `***` (user, host, port, database and parameters kept),
/// whatever the form: `scheme://user:pass@host`, `scheme:user:pass@host`, `sqlite://u:p@/path`.
/// A `password=` parameter is hidden too. Text without a scheme is not shown at all: there is
/// no telling where its password is.
pub fn redact_url(url: &str) -> String {
    if url_scheme(url).is_none() {
        return "<url not shown>".to_owned();
    }
    let mut out = match password_range(url) {
        Some(range) if !range.is_empty() => {
            format!("{}{REDACTED}{}", &url[..range.start], &url[range.end..])
        }
        Some(_) | None => url.to_owned(),
    };
    for secret in query_passwords(url) {
        out = out.replace(&format!("={secret}"), &format!("={REDACTED}"));
    }
    out
}

/// The values of `password=` / `pass=` / `pwd=` query parameters.
fn query_passwords(url: &str) -> Vec<String> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    query
        .split(['&', '#'])
        .filter_map(|pair| pair.split_once('='))
        .filter(|(key, value)| {
            !value.is_empty()
                && matches!(
                    key.to_ascii_lowercase().as_str(),
                    "password" | "pass" | "pwd" | "sslpassword"
                )
        })
        .map(|(_, value)| value.to_owned())
        .collect()
}

/// The passwords a set of URLs carry, as typed and percent-decoded: what must never leave
/// the program. [`Secrets::scrub`] replaces them, and any URL's password, in any text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    words: Vec<String>,
}

impl Secrets {
    /// No secret (a `const`, for a static registry).
    pub const EMPTY: Secrets = Secrets { words: Vec::new() };

    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// The secrets of the URLs given.
    pub fn of<'a>(urls: impl IntoIterator<Item = &'a str>) -> Secrets {
        let mut secrets = Secrets::new();
        for url in urls {
            secrets.add_url(url);
        }
        secrets
    }

    /// Adds the password of `url` (raw and decoded) and its `password=` parameters.
    pub fn add_url(&mut self, url: &str) {
        let mut found: Vec<String> = query_passwords(url);
        if let Some(range) = password_range(url) {
            found.push(url[range].to_owned());
        }
        for word in found {
            self.add(&word);
        }
    }

    /// Adds one secret, as given and percent-decoded.
    pub fn add(&mut self, secret: &str) {
        for word in [secret.to_owned(), percent_decoded(secret)] {
            if !word.is_empty() && !self.words.contains(&word) {
                self.words.push(word);
            }
        }
        // Longest first: a secret that contains another is replaced whole.
        self.words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// `text` with every known secret, and the password of every URL written in it, replaced
    /// by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = redact_urls_in(text);
        for word in &self.words {
            out = out.replace(word.as_str(), REDACTED);
        }
        out
    }
}

/// The text with the password of every `scheme://user:pass@` it contains replaced.
pub fn redact_urls_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        // The scheme runs back from `://` over scheme characters.
        let scheme_start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        // The URL runs to the next white space or quote.
        let end = rest[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
            .map_or(rest.len(), |i| at + i);
        out.push_str(&rest[..scheme_start]);
        let candidate = &rest[scheme_start..end];
        // `user:password@host` in a message that says what a URL looks like is no secret.
        let placeholder = url_password(candidate) == Some("password");
        if scheme_start < at && !placeholder {
            out.push_str(&redact_url(candidate));
        } else {
            out.push_str(candidate);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `%XX` decoded where that gives UTF-8; the text as it was otherwise.
pub fn percent_decoded(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if first == b'%' => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            Some(_) | None => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_from_url_schemes() {
        for (url, dialect) in [
            ("postgres://u:p@h/db", Dialect::Postgres),
            ("postgresql://h/db", Dialect::Postgres),
            ("POSTGRES://h/db", Dialect::Postgres),
            ("mysql://u@h/db", Dialect::MySql),
            ("mysql:u:p@h/db", Dialect::MySql),
            ("mariadb://u@h/db", Dialect::MySql),
            ("sqlite::memory:", Dialect::Sqlite),
            ("sqlite://data.db", Dialect::Sqlite),
        ] {
            assert_eq!(dialect_of_url(url).unwrap(), dialect, "{url}");
        }
    }

    #[test]
    fn bad_urls_are_not_echoed() {
        assert_eq!(
            dialect_of_url("oracle://u:s3cret@h/db").unwrap_err(),
            UrlError::UnsupportedScheme {
                scheme: "oracle".to_owned()
            }
        );
        for url in ["u:s3cret@h/db", "s3cret", "", "://s3cret", "1x:s3cret"] {
            let error = dialect_of_url(url).unwrap_err().to_string();
            assert!(!error.contains("s3cret"), "{error}");
        }
        // `u` is a valid scheme: the error names it, not the password.
        assert!(
            !dialect_of_url("u:s3cret@h/db")
                .unwrap_err()
                .to_string()
                .contains("s3cret")
        );
    }

    /// Every form a user can type: the password is gone, decoded or not, the rest stays.
    #[test]
    fn redaction_of_every_url_form() {
        for (url, expected) in [
            (
                "postgres://user:p%40ss@host:5432/db",
                "postgres://user:***@host:5432/db",
            ),
            (
                "postgres://user:p@ss@host/db",
                "postgres://user:***@host/db",
            ),
            (
                "postgres://user:pa/ss@host/db",
                "postgres://user:***@host/db",
            ),
            (
                "mysql:user:p%40ss@127.0.0.1:3306/db",
                "mysql:user:***@127.0.0.1:3306/db",
            ),
            (
                "sqlite://user:Secr3t@/tmp/x.db",
                "sqlite://user:***@/tmp/x.db",
            ),
            ("postgres://user@host/db", "postgres://user@host/db"),
            (
                "postgres://host/db?password=Secr3t",
                "postgres://host/db?password=***",
            ),
            ("sqlite::memory:", "sqlite::memory:"),
            ("postgres://user:@host/db", "postgres://user:@host/db"),
            ("not a url s3cret", "<url not shown>"),
        ] {
            assert_eq!(redact_url(url), expected, "{url}");
        }
    }

    #[test]
    fn scrubbing_hides_raw_and_decoded_passwords_and_urls_in_text() {
        let secrets = Secrets::of(["mysql:user:p%40ss@127.0.0.1:3306/db"]);
        assert_eq!(
            secrets.scrub("access denied for p@ss (p%40ss)"),
            "access denied for *** (***)"
        );
        let none = Secrets::new();
        assert_eq!(
            none.scrub("cannot parse 'postgres://u:hunter2@h/db': bad"),
            "cannot parse 'postgres://u:***@h/db': bad"
        );
        assert_eq!(
            none.scrub("see sqlite://u:pw@/tmp/a.db and mysql://x@y"),
            "see sqlite://u:***@/tmp/a.db and mysql://x@y"
        );
        assert_eq!(none.scrub("no url :// here"), "no url :// here");
        assert_eq!(
            none.scrub("expected postgres://user:password@host:port/database"),
            "expected postgres://user:password@host:port/database"
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decoded("p%40ss%2F"), "p@ss/");
        assert_eq!(percent_decoded("100%"), "100%");
        assert_eq!(percent_decoded("%ff"), "%ff");
    }
}
