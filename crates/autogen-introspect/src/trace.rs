//! What `autogen -v` shows of connections: one `tracing` event per connection opened (target
//! [`CONNECT_TARGET`]), with the server, user and database but never the password. Statements
//! are sqlx's own events (target `sqlx::query`, with their timing): connections keep sqlx's
//! statement logging on, which formats nothing unless a subscriber listens.

use std::time::Instant;

/// The target of the connection events.
pub const CONNECT_TARGET: &str = "autogen::connect";

/// Says that a connection to `server` is open (`database` empty when the URL names none).
pub(crate) fn connected(dialect: &str, server: &str, user: &str, database: &str, since: Instant) {
    let millis = since.elapsed().as_secs_f64() * 1000.0;
    tracing::debug!(
        target: CONNECT_TARGET,
        dialect,
        server,
        user,
        database,
        millis,
        "connected"
    );
}
