//! The folder and `_sqlx_migrations` side by side: what is applied, pending, or wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{LockHolder, MIGRATIONS_TABLE, MigrateError, MigrationFolder};

/// A row of `_sqlx_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub description: String,
    /// When it was applied, UTC, as `YYYY-MM-DD HH:MM:SSZ`.
    pub installed_on: String,
    /// `false`: the migration failed part way and was recorded so (sqlx does that on databases
    /// without transactional DDL; PostgreSQL rows are always `true`).
    pub success: bool,
    pub checksum: Vec<u8>,
}

/// Where one migration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationState {
    /// In the folder, not applied.
    Pending,
    /// Applied, and the file is the one that was applied.
    Applied,
    /// Applied, but the up file changed since (sqlx's checksum differs).
    ChecksumMismatch,
    /// Applied, and no file in the folder holds it.
    MissingFile,
    /// Recorded as failed (partly applied).
    Failed,
    /// Recorded as not yet successful while another session holds the migration lock: being
    /// applied or reverted right now (MySQL writes the row first).
    InProgress,
}

impl MigrationState {
    /// The database records it, whatever else is true.
    pub fn is_applied(self) -> bool {
        match self {
            MigrationState::Pending => false,
            MigrationState::Applied
            | MigrationState::ChecksumMismatch
            | MigrationState::MissingFile
            | MigrationState::Failed
            | MigrationState::InProgress => true,
        }
    }

    /// The folder and the database disagree about it: upgrade and downgrade refuse.
    pub fn is_problem(self) -> bool {
        match self {
            MigrationState::Pending | MigrationState::Applied | MigrationState::InProgress => false,
            MigrationState::ChecksumMismatch
            | MigrationState::MissingFile
            | MigrationState::Failed => true,
        }
    }

    /// How `history` and `status` say it.
    pub fn label(self) -> &'static str {
        match self {
            MigrationState::Pending => "pending",
            MigrationState::Applied => "applied",
            MigrationState::ChecksumMismatch => "checksum mismatch",
            MigrationState::MissingFile => "file missing",
            MigrationState::Failed => "failed",
            MigrationState::InProgress => "in progress",
        }
    }
}

/// One migration of the folder or the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub version: i64,
    /// From the file when there is one, else from the database row.
    pub description: String,
    /// The up file; `None` when it is missing from the folder.
    pub file: Option<PathBuf>,
    pub state: MigrationState,
    /// When it was applied (`YYYY-MM-DD HH:MM:SSZ`), if it was.
    pub applied_on: Option<String>,
}

/// Every migration of the folder and every row of `_sqlx_migrations`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    folder: PathBuf,
    entries: Vec<HistoryEntry>,
    /// Who holds the migration lock, when a migration is in progress.
    in_progress_by: Option<LockHolder>,
}

impl History {
    /// Lays the rows of `_sqlx_migrations` (`applied`) over the migrations of `folder`.
    pub fn new(folder: &MigrationFolder, applied: &[AppliedMigration]) -> History {
        let applied: BTreeMap<i64, &AppliedMigration> =
            applied.iter().map(|a| (a.version, a)).collect();
        let mut entries: BTreeMap<i64, HistoryEntry> = BTreeMap::new();
        for file in folder.migrations() {
            let row = applied.get(&file.version);
            let state = match row {
                None => MigrationState::Pending,
                Some(row) if !row.success => MigrationState::Failed,
                Some(row) if row.checksum != file.checksum => MigrationState::ChecksumMismatch,
                Some(_) => MigrationState::Applied,
            };
            entries.insert(
                file.version,
                HistoryEntry {
                    version: file.version,
                    description: file.description.clone(),
                    file: Some(file.up.clone()),
                    state,
                    applied_on: row.map(|r| r.installed_on.clone()),
                },
            );
        }
        for (version, row) in applied {
            entries.entry(version).or_insert_with(|| HistoryEntry {
                version,
                description: row.description.clone(),
                file: None,
                state: if row.success {
                    MigrationState::MissingFile
                } else {
                    MigrationState::Failed
                },
                applied_on: Some(row.installed_on.clone()),
            });
        }
        History {
            folder: folder.path().to_owned(),
            entries: entries.into_values().collect(),
            in_progress_by: None,
        }
    }

    /// Another session holds the migration lock (a run is in progress): the rows recorded as
    /// failed are its work in progress.
    pub fn mark_in_progress(&mut self, holder: LockHolder) {
        for entry in &mut self.entries {
            if entry.state == MigrationState::Failed {
                entry.state = MigrationState::InProgress;
            }
        }
        self.in_progress_by = Some(holder);
    }

    /// The session running a migration right now, if [`Self::mark_in_progress`] found one.
    pub fn in_progress_by(&self) -> Option<&LockHolder> {
        self.in_progress_by.as_ref()
    }

    pub fn in_progress(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.entries
            .iter()
            .filter(|e| e.state == MigrationState::InProgress)
    }

    /// The folder the history was made from.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn entries(&self) -> &[HistoryEntry] {
        &self.entries
    }

    /// The newest migration the database records, or `None` at base.
    pub fn current(&self) -> Option<&HistoryEntry> {
        self.entries.iter().rev().find(|e| e.state.is_applied())
    }

    /// The newest migration of the folder.
    pub fn head(&self) -> Option<&HistoryEntry> {
        self.entries.iter().rev().find(|e| e.file.is_some())
    }

    pub fn pending(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.entries
            .iter()
            .filter(|e| e.state == MigrationState::Pending)
    }

    /// Pending migrations older than the newest applied one: written on another branch and
    /// merged after a newer one was applied. `upgrade` refuses them unless told
    /// ([`crate::OutOfOrder::Allow`]).
    pub fn out_of_order(&self) -> impl Iterator<Item = &HistoryEntry> {
        let newest = self.current().map(|e| e.version);
        self.pending()
            .filter(move |e| newest.is_some_and(|newest| e.version < newest))
    }

    /// The first out-of-order migration, as the error `upgrade` refuses with.
    pub fn check_order(&self) -> Result<(), MigrateError> {
        let Some(entry) = self.out_of_order().next() else {
            return Ok(());
        };
        Err(MigrateError::OutOfOrder {
            version: entry.version,
            description: entry.description.clone(),
            newest: self.current().map_or(0, |e| e.version),
        })
    }

    /// Applied migrations the folder disagrees with: changed, missing, failed.
    pub fn problems(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.entries.iter().filter(|e| e.state.is_problem())
    }

    /// Nothing pending and nothing wrong.
    pub fn is_at_head(&self) -> bool {
        self.entries
            .iter()
            .all(|e| e.state == MigrationState::Applied)
    }

    /// The first disagreement between folder and database, as the error that upgrade and
    /// downgrade refuse with.
    pub fn check(&self) -> Result<(), MigrateError> {
        match self.problems().next() {
            None => Ok(()),
            Some(entry) => Err(self.problem_error(entry)),
        }
    }

    fn problem_error(&self, entry: &HistoryEntry) -> MigrateError {
        match (entry.state, &entry.file) {
            (MigrationState::ChecksumMismatch, Some(file)) => MigrateError::ChecksumMismatch {
                version: entry.version,
                file: file.clone(),
            },
            (MigrationState::Failed, _) => MigrateError::Failed {
                version: entry.version,
                description: entry.description.clone(),
                table: MIGRATIONS_TABLE,
            },
            (
                MigrationState::MissingFile
                | MigrationState::ChecksumMismatch
                | MigrationState::Pending
                | MigrationState::Applied
                | MigrationState::InProgress,
                _,
            ) => MigrateError::MissingFile {
                version: entry.version,
                description: entry.description.clone(),
                folder: self.folder.clone(),
            },
        }
    }
}
