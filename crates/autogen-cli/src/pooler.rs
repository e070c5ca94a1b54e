//! Connection poolers (Neon's `-pooler` endpoints, PgBouncer): the commands that change the
//! database or its migration records need a session of their own. Through a transaction
//! pooler, sqlx's advisory lock is taken on one server connection and released on another (or
//! never), and prepared statements meet a connection that did not prepare them.

use anyhow::bail;

use crate::config::{Settings, redacted_url};

/// Why `url` looks like it goes through a pooler, or `None`: a host with `-pooler` in its first
/// label (Neon), `pgbouncer=true` among the parameters (Prisma's and others' marker), or
/// PgBouncer's usual port 6432.
pub fn pooled(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return None;
    }
    let host = parsed.host_str().unwrap_or_default();
    let first_label = host.split('.').next().unwrap_or_default();
    if first_label.ends_with("-pooler") || first_label.contains("-pooler-") {
        return Some(format!("the host {host} is a pooled endpoint"));
    }
    if parsed
        .query_pairs()
        .any(|(k, v)| k == "pgbouncer" && v.eq_ignore_ascii_case("true"))
    {
        return Some("the url says pgbouncer=true".to_owned());
    }
    if parsed.port() == Some(6432) {
        return Some("port 6432 is PgBouncer's".to_owned());
    }
    None
}

/// The direct URL's form: the host without `-pooler`, no `pgbouncer` parameter, port 5432
/// instead of 6432. Redacted: it is for a message.
pub fn direct_form(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return redacted_url(url);
    };
    if let Some(host) = parsed.host_str().map(str::to_owned) {
        let (first, rest) = host.split_once('.').unwrap_or((host.as_str(), ""));
        let first = first.replace("-pooler", "");
        let direct = if rest.is_empty() {
            first
        } else {
            format!("{first}.{rest}")
        };
        let _ = parsed.set_host(Some(&direct));
    }
    if parsed.port() == Some(6432) {
        let _ = parsed.set_port(Some(5432));
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(k, _)| k != "pgbouncer")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if pairs.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    redacted_url(parsed.as_str())
}

/// Refuses `command` on a pooled URL, naming the direct URL's form.
pub fn refuse_pooled(settings: &Settings, command: &str) -> anyhow::Result<()> {
    let url = settings.database_url()?;
    if let Some(why) = pooled(url) {
        bail!(
            "{command} needs a direct connection, but {} goes through a connection pooler \
             ({why}): advisory locks and prepared statements break through a transaction \
             pooler; use the direct url, {}, in --database-url or {} (the pooled url stays \
             fine for the application)",
            redacted_url(url),
            direct_form(url),
            settings.direct_url_env()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_urls_are_recognised() {
        let neon = "postgres://app:pw@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require";
        assert!(pooled(neon).is_some_and(|w| w.contains("pooled endpoint")));
        assert_eq!(
            direct_form(neon),
            "postgres://app:***@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require"
        );
        let bouncer = "postgres://app@localhost:5432/db?pgbouncer=true&sslmode=disable";
        assert!(pooled(bouncer).is_some_and(|w| w.contains("pgbouncer=true")));
        assert_eq!(
            direct_form(bouncer),
            "postgres://app@localhost:5432/db?sslmode=disable"
        );
        let port = "postgresql://app@db.internal:6432/db";
        assert!(pooled(port).is_some());
        assert_eq!(direct_form(port), "postgresql://app@db.internal:5432/db");
        for direct in [
            "postgres://app:pw@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb",
            "postgres://app@localhost/db?pgbouncer=false",
            "postgres://pooler-admin@pooler.example.com:5432/db",
            "mysql://root@127.0.0.1:6432/db",
            "sqlite://pooler-x.db",
        ] {
            assert_eq!(pooled(direct), None, "{direct}");
        }
    }
}
