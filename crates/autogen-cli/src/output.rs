//! Everything the binary prints goes through here, at the verbosity of `-q` / `-v`; every
//! message goes through the one redaction ([`crate::config::scrub`]):
//!
//! - [`answer`]: what the command was asked for (a schema, a diff, SQL, a history, a report
//!   that explains a refusal): stdout, always. Not scrubbed: it is the database's or the
//!   folder's own text (a comment or default holding a URL included), which a redaction would
//!   falsify; the run's own URLs never enter it;
//! - [`said`]: what the command did or found (`applied ..`, `wrote ..`, `nothing to apply`,
//!   `check`'s and `status`'s verdicts, whose answer under `-q` is the exit code): stdout, not
//!   under `-q`;
//! - [`note`]: remarks while it works (a lock waited for, a retry): stderr, not under `-q`;
//! - [`error`]: stderr, always;
//! - [`detail`]: `-v` only, stderr (connections and statements, [`crate::verbose`]).

use std::io::Write;
use std::sync::OnceLock;

/// How much the run says: `-q`, nothing but answers and errors; `-v`, also each connection and
/// statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

static VERBOSITY: OnceLock<Verbosity> = OnceLock::new();

/// Sets the verbosity for the run (once, from the command line).
pub fn set_verbosity(verbosity: Verbosity) {
    let _ = VERBOSITY.set(verbosity);
}

pub fn verbosity() -> Verbosity {
    VERBOSITY.get().copied().unwrap_or(Verbosity::Normal)
}

/// What the command was asked for: stdout, whatever the verbosity. A failed write (a reader
/// gone away) is the caller's error.
pub fn answer(text: &str) -> std::io::Result<()> {
    std::io::stdout().lock().write_all(text.as_bytes())
}

/// What the command did or found (a line or more, each ending in a newline): stdout, scrubbed,
/// not under `-q`.
pub fn said(text: &str) -> std::io::Result<()> {
    if verbosity() == Verbosity::Quiet {
        return Ok(());
    }
    anstream::stdout()
        .lock()
        .write_all(crate::config::scrub(text).as_bytes())
}

/// A change summary that is the answer (`diff`'s summary, the summary of a refused `-m`):
/// [`answer`], its lines painted where colour is on.
pub fn answer_summary(text: &str) -> std::io::Result<()> {
    anstream::stdout()
        .lock()
        .write_all(crate::paint::summary(text).as_bytes())
}

/// A change summary (`check`, `-m`): [`said`], its lines painted by kind of change and hazard.
pub fn summary(text: &str) -> std::io::Result<()> {
    if verbosity() == Verbosity::Quiet {
        return Ok(());
    }
    anstream::stdout()
        .lock()
        .write_all(crate::paint::summary(&crate::config::scrub(text)).as_bytes())
}

/// A remark while the command works: stderr, not under `-q`. A closed stderr is no reason to
/// stop (or panic).
pub fn note(text: &str) {
    if verbosity() != Verbosity::Quiet {
        stderr(text);
    }
}

/// An error: stderr, always.
pub fn error(text: &str) {
    stderr(text);
}

/// `-v` only: stderr.
pub fn detail(text: &str) {
    if verbosity() == Verbosity::Verbose {
        stderr(text);
    }
}

fn stderr(text: &str) {
    let mut text = crate::paint::message(&crate::config::scrub(text));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let _ = anstream::stderr().lock().write_all(text.as_bytes());
}
