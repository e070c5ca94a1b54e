//! `-v`: every connection the run opens (the introspector's `autogen::connect` events: server,
//! user, database, never a password) and every statement as it runs, with its timing and rows
//! (sqlx's `sqlx::query` events), and the server's notices, printed to stderr through
//! [`crate::output::detail`] (so through the one redaction). Nothing is installed without `-v`:
//! sqlx then formats nothing.

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Starts printing connections and statements (called once, for `-v`).
pub fn install() {
    // Only fails when a subscriber is already set, which would then print instead.
    let _ = tracing::subscriber::set_global_default(Statements);
}

/// A subscriber that prints the events of interest and keeps no span.
struct Statements;

/// The events `-v` prints: statements, connections, server notices.
fn wanted(metadata: &Metadata<'_>) -> bool {
    let target = metadata.target();
    *metadata.level() <= Level::DEBUG
        && (target == "sqlx::query"
            || target == autogen_introspect::CONNECT_TARGET
            || target.starts_with("sqlx::postgres::notice"))
}

impl Subscriber for Statements {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        wanted(metadata)
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::DEBUG)
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        // No span is kept; every span gets the same (unused) id.
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let target = event.metadata().target();
        let line = if target == "sqlx::query" {
            fields.statement()
        } else if target == autogen_introspect::CONNECT_TARGET {
            fields.connection()
        } else {
            format!("-- {}: {}", event.metadata().level(), fields.message)
        };
        crate::output::detail(&line);
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// The fields of one event, by name.
#[derive(Default)]
struct Fields {
    message: String,
    summary: String,
    statement: String,
    rows_returned: u64,
    rows_affected: u64,
    seconds: f64,
    millis: f64,
    dialect: String,
    server: String,
    user: String,
    database: String,
}

impl Fields {
    /// `-- 1.25 ms, 3 rows` and the statement, whole.
    fn statement(&self) -> String {
        let mut line = format!("-- {:.2} ms", self.seconds * 1000.0);
        if self.rows_returned > 0 {
            let _ = write!(line, ", {} rows", self.rows_returned);
        }
        if self.rows_affected > 0 {
            let _ = write!(line, ", {} affected", self.rows_affected);
        }
        // sqlx gives the whole text only when it differs from the one-line summary.
        let sql = match self.statement.trim() {
            "" => self.summary.trim(),
            whole => whole,
        };
        format!("{line}\n{sql}")
    }

    /// `-- connected to postgres at 127.0.0.1:5432 as app, database shop (3.10 ms)`
    fn connection(&self) -> String {
        let mut line = format!("-- connected to {} at {}", self.dialect, self.server);
        if !self.user.is_empty() {
            let _ = write!(line, " as {}", self.user);
        }
        if !self.database.is_empty() {
            let _ = write!(line, ", database {}", self.database);
        }
        let _ = write!(line, " ({:.2} ms)", self.millis);
        line
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        let slot = match field.name() {
            "message" => &mut self.message,
            "summary" => &mut self.summary,
            "db.statement" => &mut self.statement,
            "dialect" => &mut self.dialect,
            "server" => &mut self.server,
            "user" => &mut self.user,
            "database" => &mut self.database,
            _ => return,
        };
        value.clone_into(slot);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "rows_returned" => self.rows_returned = value,
            "rows_affected" => self.rows_affected = value,
            _ => {}
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        match field.name() {
            "elapsed_secs" => self.seconds = value,
            "millis" => self.millis = value,
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // Messages (`"connected"`, a notice's text) arrive as format arguments.
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}
