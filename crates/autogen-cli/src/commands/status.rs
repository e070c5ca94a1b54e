use autogen_migrate::{History, MigrationFolder, MigrationState};

use super::migrations::{name, open_database, position, read_folder};
use crate::cli::GlobalArgs;
use crate::config::Settings;

/// Exit code when migrations are pending: `autogen status || autogen upgrade`.
const EXIT_PENDING: u8 = 1;

/// Where the database is and what is pending. Exit 0 at head, 1 with pending migrations or one
/// in progress (another session holds the migration lock); an applied migration whose file
/// changed or went missing, a migration out of order, or two heads are an error (2), since
/// upgrade refuses (or would apply on an unseen base) until they are dealt with.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    let history = db.history(&folder).await;
    db.close().await;
    let history = history?;
    crate::output::said(&render(&history, &folder))?;
    crate::output::said(&crate::expansion::pending_contracts(&folder))?;
    history.check()?;
    history.check_order()?;
    if let Some(heads) = folder.heads() {
        anyhow::bail!("{heads}");
    }
    Ok(
        if history.pending().next().is_some() || history.in_progress_by().is_some() {
            EXIT_PENDING
        } else {
            0
        },
    )
}

fn render(history: &History, folder: &MigrationFolder) -> String {
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
    if let (Some(holder), None) = (history.in_progress_by(), history.in_progress().next()) {
        out.push_str(&format!(
            "in progress: a migration run by {holder}, which holds the migration lock\n"
        ));
    }
    for entry in history.in_progress() {
        let who = history
            .in_progress_by()
            .map_or_else(String::new, |holder| format!(" by {holder}"));
        out.push_str(&format!(
            "in progress: {} (being applied or reverted{who}, which holds the migration lock)\n",
            name(entry.version, &entry.description)
        ));
    }
    for entry in history.out_of_order() {
        out.push_str(&format!(
            "out of order: {} (pending, but older than the applied {})\n",
            name(entry.version, &entry.description),
            position_version(history)
        ));
    }
    if let Some(heads) = folder.heads() {
        out.push_str(&format!(
            "two heads: {} and {}, both generated on top of {}\n",
            heads
                .unseen
                .iter()
                .map(|m| name(m.version, &m.description))
                .collect::<Vec<_>>()
                .join(", "),
            name(heads.newest.version, &heads.newest.description),
            match heads.base {
                0 => "base".to_owned(),
                v => v.to_string(),
            }
        ));
    }
    for entry in history.problems() {
        let what = match (entry.state, &entry.file) {
            (MigrationState::ChecksumMismatch, Some(file)) => {
                format!("applied, but {} has changed since", file.display())
            }
            (MigrationState::Failed, _) => format!(
                "recorded as failed in _sqlx_migrations: it may be partly applied; finish or undo it, then `autogen resolve {} --applied` or `--rolled-back`",
                entry.version
            ),
            (
                MigrationState::MissingFile
                | MigrationState::ChecksumMismatch
                | MigrationState::Pending
                | MigrationState::Applied
                | MigrationState::InProgress,
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

/// The newest applied version, for the out-of-order line.
fn position_version(history: &History) -> String {
    history
        .current()
        .map_or_else(|| "base".to_owned(), |e| e.version.to_string())
}
