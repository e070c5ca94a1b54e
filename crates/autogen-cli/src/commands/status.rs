use std::io::Write;

use autogen_migrate::{History, MigrationState};

use super::migrations::{name, open_database, position, read_folder};
use crate::cli::GlobalArgs;
use crate::config::Settings;

/// Exit code when migrations are pending: `autogen status || autogen upgrade`.
const EXIT_PENDING: u8 = 1;

/// Where the database is and what is pending. Exit 0 at head, 1 with pending migrations; an
/// applied migration whose file changed or went missing is an error (2), since upgrade and
/// downgrade refuse to run until it is fixed.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    let history = db.history(&folder).await;
    db.close().await;
    let history = history?;
    std::io::stdout()
        .lock()
        .write_all(render(&history).as_bytes())?;
    history.check()?;
    Ok(if history.pending().next().is_some() {
        EXIT_PENDING
    } else {
        0
    })
}

fn render(history: &History) -> String {
    let mut out = format!("current: {}\n", position(history));
    let pending: Vec<_> = history.pending().collect();
    if pending.is_empty() {
        out.push_str("nothing pending\n");
    } else {
        out.push_str(&format!("pending: {}\n", pending.len()));
        for entry in pending {
            out.push_str(&format!("  {}\n", name(entry.version, &entry.description)));
        }
    }
    for entry in history.problems() {
        let what = match (entry.state, &entry.file) {
            (MigrationState::ChecksumMismatch, Some(file)) => {
                format!("applied, but {} has changed since", file.display())
            }
            (MigrationState::Failed, _) => {
                "recorded as failed in _sqlx_migrations: it may be partly applied".to_owned()
            }
            (
                MigrationState::MissingFile
                | MigrationState::ChecksumMismatch
                | MigrationState::Pending
                | MigrationState::Applied,
                _,
            ) => format!(
                "applied, but no file in {} holds it",
                history.folder().display()
            ),
        };
        out.push_str(&format!(
            "{}: {} ({what})\n",
            entry.state.label(),
            name(entry.version, &entry.description)
        ));
    }
    out
}
