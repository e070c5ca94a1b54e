use std::path::PathBuf;

/// Why a migration could not be written, read, planned, applied or reverted. Messages name the
/// migration (version and file) or the folder, never a database URL.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration folder {} does not exist", .path.display())]
    NoFolder { path: PathBuf },
    #[error("cannot read the migration folder {}: {reason}", .path.display())]
    ReadFolder { path: PathBuf, reason: String },
    #[error("two files hold the {direction} migration of version {version}: {first} and {second}")]
    DuplicateVersion {
        version: i64,
        direction: &'static str,
        first: String,
        second: String,
    },
    #[error(
        "{file} is a down migration without an up migration (expected {version}_<name>.up.sql); if an interrupted `autogen -m` left it, delete it"
    )]
    DownWithoutUp { version: i64, file: String },

    #[error(
        "invalid migration version {version}; expected a positive number such as 20240131120000"
    )]
    InvalidVersion { version: i64 },
    #[error("migration version {version} is already taken by {}", .path.display())]
    VersionTaken { version: i64, path: PathBuf },
    #[error("{} already exists; migration files are never overwritten", .path.display())]
    FileExists { path: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("invalid {command} target `{given}`; expected {expected}")]
    InvalidTarget {
        command: &'static str,
        given: String,
        expected: &'static str,
    },
    #[error("no migration with version {version} in {}", .folder.display())]
    UnknownVersion { version: i64, folder: PathBuf },
    #[error("`{command} {target}` {} {asked} migration{}, but {}", verb(.command), plural(*.asked), available_text(*.available, .state))]
    NotEnough {
        command: &'static str,
        target: String,
        asked: u32,
        available: usize,
        /// `pending` or `applied`.
        state: &'static str,
    },
    #[error(
        "migration {version} is not applied; downgrade goes back to an applied migration or to base"
    )]
    NotApplied { version: i64 },
    #[error("migration {version} ({}) cannot be reverted: {hint}", .up.display())]
    NoDownFile {
        version: i64,
        up: PathBuf,
        /// What is missing and how to add it.
        hint: String,
    },

    #[error("migration {version} ({}) was applied, but the file has changed since (checksum mismatch); restore it, and put further changes in a new migration", .file.display())]
    ChecksumMismatch { version: i64, file: PathBuf },
    #[error("migration {version} ({description}) was applied, but no file in {} holds it", .folder.display())]
    MissingFile {
        version: i64,
        description: String,
        folder: PathBuf,
    },
    #[error(
        "migration {version} ({description}) is marked as failed in {table}: it may be partly applied; finish or undo it by hand, then run `autogen resolve {version} --applied` or `--rolled-back`"
    )]
    Failed {
        version: i64,
        description: String,
        table: &'static str,
    },

    #[error(
        "migration {version} is {state}, not failed; resolve only settles a migration recorded as failed (use stamp to record migrations as applied or not)"
    )]
    NotFailed { version: i64, state: &'static str },
    #[error(
        "migration {version} ({description}) is pending but older than the newest applied migration {newest} (written on another branch?); check that it does not conflict, then run upgrade --allow-out-of-order"
    )]
    OutOfOrder {
        version: i64,
        description: String,
        newest: i64,
    },

    #[error("migration {version} failed ({}): {reason}; {}", .file.display(), outcome(*.transactional))]
    MigrationFailed {
        version: i64,
        file: PathBuf,
        /// Whether it ran inside a transaction (rolled back) or not (`-- no-transaction`).
        transactional: bool,
        reason: String,
    },
    /// MySQL: a statement of a migration failed after the ones before it were committed.
    #[error(
        "migration {version} failed ({}) at statement {failed} of {total}: {reason}; {}",
        .file.display(),
        consequence(*.version, *.failed, .last_succeeded.as_deref())
    )]
    StatementFailed {
        version: i64,
        file: PathBuf,
        /// 1-based.
        failed: usize,
        total: usize,
        /// The first line of the statement before the failing one, if any.
        last_succeeded: Option<String>,
        reason: String,
    },
    #[error("{what} failed: {reason}")]
    Database { what: &'static str, reason: String },

    #[error(transparent)]
    Url(autogen_schema::UrlError),
}

/// What a failed MySQL migration left: nothing (its first statement failed, and
/// `_sqlx_migrations` is left as it was), or the statements before the failing one.
fn consequence(version: i64, failed: usize, last: Option<&str>) -> String {
    let ran = match (failed, last) {
        (1, _) | (_, None) => {
            return "it was the first, so nothing of the migration was applied and \
                    _sqlx_migrations is as it was: fix the file and run it again"
                .to_owned();
        }
        (2, Some(last)) => format!("statement 1 was applied (`{last}`)"),
        (n, Some(last)) => format!(
            "statements 1 to {} were applied, the last being `{last}`",
            n - 1
        ),
    };
    format!(
        "MySQL commits each statement, so {ran}; the migration is marked failed in \
         _sqlx_migrations: finish or undo it by hand, then run `autogen resolve {version} \
         --applied` or `--rolled-back`"
    )
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn verb(command: &str) -> &'static str {
    if command == "upgrade" {
        "applies"
    } else {
        "reverts"
    }
}

fn available_text(available: usize, state: &str) -> String {
    match available {
        0 => format!("none is {state}"),
        1 => format!("only 1 is {state}"),
        n => format!("only {n} are {state}"),
    }
}

fn outcome(transactional: bool) -> &'static str {
    if transactional {
        "it ran in a transaction, which was rolled back: nothing of it was applied"
    } else {
        // Not "were applied": PostgreSQL runs a multi-statement file sent as one query in an
        // implicit transaction, but a file that commits in between, or a failed
        // CREATE INDEX CONCURRENTLY (an invalid index stays), does leave work behind.
        "it ran outside a transaction (-- no-transaction): statements before the failing one may have been applied; check the database before running it again"
    }
}
