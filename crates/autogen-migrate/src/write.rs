//! Writing a new migration: both files or neither, never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::MigrateError;
use crate::folder::file_version;
use crate::naming::slug;

/// The two files of a migration that [`write_migration`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFiles {
    pub version: i64,
    /// The message as it appears in the file names (see [`crate::slug`]).
    pub slug: String,
    pub up: PathBuf,
    pub down: PathBuf,
}

/// Writes `<dir>/<version>_<slug>.up.sql` and `.down.sql` with exactly `up` and `down` as their
/// content, creating `dir` if needed.
///
/// Each file is written to a temporary file in `dir` (a name sqlx ignores), flushed to disk and
/// then moved into place with a rename that refuses to replace an existing file. The down file
/// goes first and the up file last: the up file's rename is the commit point, so a reader
/// (`sqlx migrate run`, a concurrent `autogen`) that sees the up file sees the pair, and a kill
/// between the renames leaves only a down file, which sqlx never runs and `autogen` reports
/// ([`MigrateError::DownWithoutUp`]). When the version is taken by any migration in `dir`, or
/// either name exists, nothing is written; when the up file cannot be put in place, the down
/// file is removed again. Files get the mode the umask gives a new file (0644 typically), as
/// an editor would. The same input always gives the same bytes: sqlx checksums the files.
///
/// Two writers choosing versions at once: hold a [`FolderLock`] from reading the folder (its
/// [`MigrationFolder::next_version`](crate::MigrationFolder::next_version)) to writing.
pub fn write_migration(
    dir: &Path,
    version: i64,
    message: &str,
    up: &str,
    down: &str,
) -> Result<MigrationFiles, MigrateError> {
    if version <= 0 {
        return Err(MigrateError::InvalidVersion { version });
    }
    std::fs::create_dir_all(dir).map_err(|source| MigrateError::Write {
        path: dir.to_owned(),
        source,
    })?;
    if let Some(path) = taken_by(dir, version)? {
        return Err(MigrateError::VersionTaken { version, path });
    }
    let slug = slug(message);
    let files = MigrationFiles {
        version,
        up: dir.join(format!("{version}_{slug}.up.sql")),
        down: dir.join(format!("{version}_{slug}.down.sql")),
        slug,
    };
    write_pair(dir, (&files.up, up), (&files.down, down))?;
    Ok(files)
}

/// The file in `dir` that already holds a migration of `version`, if any.
fn taken_by(dir: &Path, version: i64) -> Result<Option<PathBuf>, MigrateError> {
    let entries = std::fs::read_dir(dir).map_err(|e| MigrateError::ReadFolder {
        path: dir.to_owned(),
        reason: e.to_string(),
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| MigrateError::ReadFolder {
            path: dir.to_owned(),
            reason: e.to_string(),
        })?;
        let name = entry.file_name();
        if file_version(&name.to_string_lossy()) == Some(version) {
            return Ok(Some(entry.path()));
        }
    }
    Ok(None)
}

/// Puts both files in place, or neither.
fn write_pair(dir: &Path, up: (&Path, &str), down: (&Path, &str)) -> Result<(), MigrateError> {
    write_pair_with(dir, up, down, || ())
}

/// [`write_pair`], running `between` between the two renames (tests race and "crash" there).
fn write_pair_with(
    dir: &Path,
    (up_path, up): (&Path, &str),
    (down_path, down): (&Path, &str),
    between: impl FnOnce(),
) -> Result<(), MigrateError> {
    for path in [up_path, down_path] {
        if path.exists() {
            return Err(MigrateError::FileExists {
                path: path.to_owned(),
            });
        }
    }
    // Both contents on disk first, so the two renames follow each other at once: a reader
    // without the folder lock sees the lone down file for microseconds at most (and
    // `MigrationFolder::read` looks again before calling it an orphan).
    let down_temp = temp_file(dir, down_path, down)?;
    let up_temp = temp_file(dir, up_path, up)?;
    persist(down_temp, down_path)?;
    between();
    if let Err(e) = persist(up_temp, up_path) {
        // A lone down file is harmless (sqlx never runs one) but no use either.
        let _ = std::fs::remove_file(down_path);
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

/// `content` in a temporary file in `dir`, flushed to disk, to be moved to `path`.
fn temp_file(
    dir: &Path,
    path: &Path,
    content: &str,
) -> Result<tempfile::NamedTempFile, MigrateError> {
    let error = |source| MigrateError::Write {
        path: path.to_owned(),
        source,
    };
    // tempfile names start with `.tmp` and do not end in `.sql`, so sqlx never reads one, and
    // it deletes the file when anything below fails.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".autogen-").suffix(".tmp");
    // tempfile's own mode is 0600; a migration is a file the team commits and CI reads: 0666
    // less the umask, as any new file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(error)?;
    temp.write_all(content.as_bytes()).map_err(error)?;
    temp.as_file().sync_all().map_err(error)?;
    Ok(temp)
}

/// Moves `temp` to `path` with a rename that fails instead of replacing (renameat2
/// NOREPLACE, or link + unlink).
fn persist(temp: tempfile::NamedTempFile, path: &Path) -> Result<(), MigrateError> {
    let error = |source| MigrateError::Write {
        path: path.to_owned(),
        source,
    };
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            MigrateError::FileExists {
                path: path.to_owned(),
            }
        } else {
            error(e.error)
        }
    })?;
    Ok(())
}

/// An exclusive lock on the migration folder (an OS file lock on the directory itself, released
/// when dropped or when the process dies; nothing is left in the folder): two `autogen -m` at
/// once take turns, so the second sees the first's migration and chooses another version (or
/// refuses, not being at head).
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
}

impl FolderLock {
    /// Waits for the lock on `dir`, which must exist.
    pub fn acquire(dir: &Path) -> Result<FolderLock, MigrateError> {
        let error = |source| MigrateError::Write {
            path: dir.to_owned(),
            source,
        };
        let file = std::fs::File::open(dir).map_err(error)?;
        file.lock().map_err(error)?;
        Ok(FolderLock { _file: file })
    }
}

/// Makes the new names durable. Best effort: the files themselves are already on disk, and
/// not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_both_files_with_exactly_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let files = write_migration(
            dir.path(),
            20240131120000,
            "Add due date",
            "ALTER TABLE t ADD due date;\n",
            "ALTER TABLE t DROP due;\n",
        )
        .unwrap();
        assert_eq!(files.slug, "add_due_date");
        assert_eq!(
            names(dir.path()),
            [
                "20240131120000_add_due_date.down.sql",
                "20240131120000_add_due_date.up.sql"
            ]
        );
        assert_eq!(
            std::fs::read(&files.up).unwrap(),
            b"ALTER TABLE t ADD due date;\n"
        );
        assert_eq!(
            std::fs::read(&files.down).unwrap(),
            b"ALTER TABLE t DROP due;\n"
        );
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let up = "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);\n";
        let fa = write_migration(a.path(), 7, "index", up, "DROP INDEX i;").unwrap();
        let fb = write_migration(b.path(), 7, "index", up, "DROP INDEX i;").unwrap();
        assert_eq!(fa.up.file_name(), fb.up.file_name());
        assert_eq!(
            std::fs::read(&fa.up).unwrap(),
            std::fs::read(&fb.up).unwrap()
        );
        assert_eq!(
            std::fs::read(&fa.down).unwrap(),
            std::fs::read(&fb.down).unwrap()
        );
    }

    #[test]
    fn creates_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("db/migrations");
        write_migration(&nested, 1, "first", "", "").unwrap();
        assert_eq!(names(&nested).len(), 2);
    }

    #[test]
    fn refuses_a_taken_version_and_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        write_migration(dir.path(), 5, "first", "up 1", "down 1").unwrap();
        let before = names(dir.path());
        // Same version, another message: still taken.
        let error = write_migration(dir.path(), 5, "second", "up 2", "down 2").unwrap_err();
        assert!(
            matches!(error, MigrateError::VersionTaken { version: 5, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("5_first."), "{error}");
        // Same version and message: the existing files keep their content.
        write_migration(dir.path(), 5, "first", "up 2", "down 2").unwrap_err();
        assert_eq!(names(dir.path()), before);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("5_first.up.sql")).unwrap(),
            "up 1"
        );
        // A plain sqlx migration (`<version>_<name>.sql`) takes the version too.
        std::fs::write(dir.path().join("6_simple.sql"), "select 1").unwrap();
        assert!(matches!(
            write_migration(dir.path(), 6, "x", "", ""),
            Err(MigrateError::VersionTaken { version: 6, .. })
        ));
    }

    #[test]
    fn when_the_up_file_cannot_be_placed_the_down_file_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let up = dir.path().join("9_x.up.sql");
        let down = dir.path().join("9_x.down.sql");
        // Someone else writes the up file after the checks: the rename must not replace it.
        let error = write_pair_with(dir.path(), (&up, "mine"), (&down, "mine"), || {
            std::fs::write(&up, "theirs").unwrap();
        })
        .unwrap_err();
        assert!(
            matches!(&error, MigrateError::FileExists { path } if *path == up),
            "{error}"
        );
        assert_eq!(
            names(dir.path()),
            ["9_x.up.sql"],
            "no down file, no temp file"
        );
        assert_eq!(std::fs::read_to_string(&up).unwrap(), "theirs");
    }

    /// A kill between the two renames: the up file, the commit point, is not there yet, so
    /// neither sqlx nor `autogen` can apply half a pair; the folder reader names the leftover.
    #[tokio::test]
    async fn a_crash_between_the_renames_leaves_no_lone_up_file() {
        let dir = tempfile::tempdir().unwrap();
        let up = dir.path().join("9_x.up.sql");
        let down = dir.path().join("9_x.down.sql");
        let mut seen = Vec::new();
        write_pair_with(dir.path(), (&up, "u"), (&down, "d"), || {
            // The up file's content waits in a temp file sqlx ignores.
            seen = names(dir.path())
                .into_iter()
                .filter(|n| n.ends_with(".sql"))
                .collect();
        })
        .unwrap();
        assert_eq!(seen, ["9_x.down.sql"], "between the renames");
        // What a kill at that point leaves, read back.
        std::fs::remove_file(&up).unwrap();
        let error = crate::MigrationFolder::read(dir.path()).await.unwrap_err();
        assert!(
            matches!(error, MigrateError::DownWithoutUp { version: 9, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("interrupted"), "{error}");
        // sqlx's own migrator never runs a lone down file.
        let migrator = sqlx::migrate::Migrator::new(dir.path().to_path_buf())
            .await
            .unwrap();
        assert!(
            migrator
                .iter()
                .all(|m| m.migration_type.is_down_migration())
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_get_the_umask_s_mode_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let files = write_migration(dir.path(), 3, "m", "u", "d").unwrap();
        // What any new file gets under this process's umask (0644 under the usual 022).
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        for path in [files.up, files.down] {
            assert_eq!(mode(&path), mode(&plain), "{}", path.display());
        }
    }

    #[test]
    fn the_folder_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path()).unwrap();
        let file = std::fs::File::open(dir.path()).unwrap();
        assert!(file.try_lock().is_err(), "held");
        drop(first);
        assert!(file.try_lock().is_ok(), "released");
        assert!(names(dir.path()).is_empty(), "nothing left in the folder");
    }

    #[test]
    fn write_pair_checks_both_names_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let up = dir.path().join("9_x.up.sql");
        let down = dir.path().join("9_x.down.sql");
        std::fs::write(&down, "theirs").unwrap();
        let error = write_pair(dir.path(), (&up, "u"), (&down, "d")).unwrap_err();
        assert!(matches!(error, MigrateError::FileExists { .. }));
        assert_eq!(names(dir.path()), ["9_x.down.sql"]);
    }

    #[test]
    fn rejects_non_positive_versions() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            write_migration(dir.path(), 0, "x", "", ""),
            Err(MigrateError::InvalidVersion { version: 0 })
        ));
        assert!(names(dir.path()).is_empty());
    }
}
