//! Reading the migration folder the way sqlx does, keeping the file names it forgets.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "matches over sqlx's, dotenvy's and std's enums, not ours: they grow with each release and a wildcard is the intent"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::MigrateError;

/// One migration of the folder: its up file and, for a reversible one, its down file.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub version: i64,
    /// What sqlx stores in `_sqlx_migrations`: the name after the version, `_` read as a space.
    pub description: String,
    /// `<version>_<name>.up.sql`, or `<version>_<name>.sql` for a simple (irreversible) one.
    pub up: PathBuf,
    /// `<version>_<name>.down.sql`; `None` for a simple migration or a missing down file.
    pub down: Option<PathBuf>,
    pub up_sql: String,
    pub down_sql: Option<String>,
    /// The up file's first line is `-- no-transaction`.
    pub up_no_transaction: bool,
    /// The down file's first line is `-- no-transaction`.
    pub down_no_transaction: bool,
    /// sqlx's checksum of the up file (SHA-384), as `_sqlx_migrations.checksum` records it.
    pub checksum: Vec<u8>,
    /// What the migration was generated on top of, from its header's `-- generated on top of
    /// VERSION|base` line (`Some(0)`: base); `None` for a file without the line (hand-written,
    /// or generated before autogen recorded it).
    pub base: Option<i64>,
}

/// The header line `autogen -m` writes (autogen-render's `comment::base_line`).
const BASE_PREFIX: &str = "-- generated on top of ";

/// The base recorded in the leading comment lines of `sql`.
fn recorded_base(sql: &str) -> Option<i64> {
    sql.lines()
        .take_while(|line| line.starts_with("--"))
        .find_map(|line| line.strip_prefix(BASE_PREFIX))
        .and_then(|base| match base.trim() {
            "base" => Some(0),
            version => version.parse().ok(),
        })
}

/// A migration folder in sqlx's layout, read by sqlx's own resolver (so versions, descriptions,
/// checksums and `-- no-transaction` mean what they mean to `sqlx migrate run`), ordered by version.
#[derive(Debug)]
pub struct MigrationFolder {
    path: PathBuf,
    files: Vec<MigrationFile>,
    /// What sqlx resolved, up and down, for the migrator.
    resolved: Vec<Migration>,
}

impl MigrationFolder {
    /// Reads every migration in `path`. Files sqlx ignores are ignored; two files for the same
    /// version and direction, and a down file without its up file, are errors.
    ///
    /// A down file without its up file is looked at again after a moment before it is an
    /// error: `write_migration` puts the down file in place just before the up file.
    pub async fn read(path: &Path) -> Result<MigrationFolder, MigrateError> {
        match MigrationFolder::read_once(path).await {
            Err(MigrateError::DownWithoutUp { .. }) => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                MigrationFolder::read_once(path).await
            }
            other => other,
        }
    }

    async fn read_once(path: &Path) -> Result<MigrationFolder, MigrateError> {
        let names = list(path)?;
        let resolved = Migrator::new(path.to_path_buf())
            .await
            .map_err(|e| MigrateError::ReadFolder {
                path: path.to_owned(),
                reason: source_reason(&e),
            })?
            .iter()
            .cloned()
            .collect::<Vec<_>>();
        let files = pair(path, &names, &resolved)?;
        Ok(MigrationFolder {
            path: path.to_owned(),
            files,
            resolved,
        })
    }

    /// A folder with no migration (one that does not exist yet reads as this).
    pub fn empty(path: &Path) -> MigrationFolder {
        MigrationFolder {
            path: path.to_owned(),
            files: Vec::new(),
            resolved: Vec::new(),
        }
    }

    /// The folder as it was given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every migration, oldest first.
    pub fn migrations(&self) -> &[MigrationFile] {
        &self.files
    }

    pub fn get(&self, version: i64) -> Option<&MigrationFile> {
        self.files.iter().find(|m| m.version == version)
    }

    /// The version for a migration made at `unix_seconds`: its timestamp, or one past the
    /// newest migration when that is later (two revisions in one second, a clock behind).
    pub fn next_version(&self, unix_seconds: u64) -> i64 {
        let stamp = crate::timestamp_version(unix_seconds);
        match self.files.last() {
            Some(last) if last.version >= stamp => last.version + 1,
            Some(_) | None => stamp,
        }
    }

    /// Two heads, as `alembic heads` would say: the newest migration was generated on top of
    /// `base`, but the folder has migrations after `base` that it was not generated with (a
    /// teammate's branch merged meanwhile). `None` when the newest one saw everything before
    /// it, or records no base.
    pub fn heads(&self) -> Option<Heads<'_>> {
        let newest = self.files.last()?;
        let base = newest.base?;
        let unseen: Vec<&MigrationFile> = self
            .files
            .iter()
            .filter(|m| m.version > base && m.version < newest.version)
            .collect();
        (!unseen.is_empty()).then_some(Heads {
            base,
            newest,
            unseen,
        })
    }

    /// A sqlx migrator over this folder that leaves the advisory lock to its caller, who holds
    /// it across several steps.
    pub(crate) fn migrator_without_lock(&self) -> Migrator {
        let mut migrator = Migrator::with_migrations(self.resolved.clone());
        migrator.set_locking(false);
        migrator
    }
}

/// Migrations generated on the same base: see [`MigrationFolder::heads`].
#[derive(Debug, Clone)]
pub struct Heads<'f> {
    /// What the newest migration was generated on top of (0: base).
    pub base: i64,
    pub newest: &'f MigrationFile,
    /// The migrations after `base` the newest one was not generated with.
    pub unseen: Vec<&'f MigrationFile>,
}

impl std::fmt::Display for Heads<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let base = match self.base {
            0 => "base".to_owned(),
            v => v.to_string(),
        };
        let unseen: Vec<String> = self
            .unseen
            .iter()
            .map(|m| format!("{} {}", m.version, m.description))
            .collect();
        write!(
            f,
            "two heads: {} {} was generated on top of {base}, without {}; upgrade, check that \
             the models and the database agree (`autogen check`), then write a migration on top \
             of both (`autogen -m ..`), or delete {} and generate it again",
            self.newest.version,
            self.newest.description,
            unseen.join(", "),
            self.newest.up.display()
        )
    }
}

/// Up or down, for the name listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    Up,
    Down,
}

/// The version of a file name that sqlx reads as a migration (`<version>_<name>.sql`).
pub(crate) fn file_version(name: &str) -> Option<i64> {
    let (version, rest) = name.split_once('_')?;
    if !rest.ends_with(".sql") {
        return None;
    }
    version.parse().ok()
}

/// File names by version and direction, as sqlx would pick them.
fn list(path: &Path) -> Result<BTreeMap<(i64, Direction), String>, MigrateError> {
    let read_error = |e: std::io::Error| MigrateError::ReadFolder {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(MigrateError::NoFolder {
                path: path.to_owned(),
            });
        }
        Err(e) => return Err(read_error(e)),
    };
    let mut names = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(read_error)?;
        // sqlx follows symbolic links and skips what is not a file.
        if !std::fs::metadata(entry.path())
            .map_err(read_error)?
            .is_file()
        {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        // A name sqlx cannot parse is reported by sqlx's own resolver, below.
        let Some(version) = file_version(&name) else {
            continue;
        };
        let direction = match MigrationType::from_filename(&name) {
            MigrationType::Simple | MigrationType::ReversibleUp => Direction::Up,
            MigrationType::ReversibleDown => Direction::Down,
        };
        if let Some(first) = names.insert((version, direction), name.clone()) {
            let (first, second) = if first < name {
                (first, name)
            } else {
                (name, first)
            };
            return Err(MigrateError::DuplicateVersion {
                version,
                direction: match direction {
                    Direction::Up => "up",
                    Direction::Down => "down",
                },
                first,
                second,
            });
        }
    }
    Ok(names)
}

/// Joins sqlx's migrations with the names they came from.
fn pair(
    path: &Path,
    names: &BTreeMap<(i64, Direction), String>,
    resolved: &[Migration],
) -> Result<Vec<MigrationFile>, MigrateError> {
    let name_of = |version: i64, direction: Direction| -> Result<PathBuf, MigrateError> {
        names
            .get(&(version, direction))
            .map(|name| path.join(name))
            .ok_or_else(|| MigrateError::ReadFolder {
                path: path.to_owned(),
                reason: format!("the folder changed while it was read (migration {version})"),
            })
    };
    let mut files: BTreeMap<i64, MigrationFile> = BTreeMap::new();
    for migration in resolved
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
    {
        files.insert(
            migration.version,
            MigrationFile {
                version: migration.version,
                description: migration.description.to_string(),
                up: name_of(migration.version, Direction::Up)?,
                down: None,
                up_sql: migration.sql.as_str().to_owned(),
                down_sql: None,
                up_no_transaction: migration.no_tx,
                down_no_transaction: false,
                checksum: migration.checksum.to_vec(),
                base: recorded_base(migration.sql.as_str()),
            },
        );
    }
    for migration in resolved
        .iter()
        .filter(|m| m.migration_type.is_down_migration())
    {
        let down = name_of(migration.version, Direction::Down)?;
        let Some(file) = files.get_mut(&migration.version) else {
            return Err(MigrateError::DownWithoutUp {
                version: migration.version,
                file: down.display().to_string(),
            });
        };
        file.down = Some(down);
        file.down_sql = Some(migration.sql.as_str().to_owned());
        file.down_no_transaction = migration.no_tx;
    }
    Ok(files.into_values().collect())
}

/// sqlx's resolver error, with its cause (the I/O error) when it has one.
fn source_reason(error: &sqlx::migrate::MigrateError) -> String {
    match error {
        sqlx::migrate::MigrateError::Source(source) => {
            let mut text = source.to_string();
            if let Some(cause) = std::error::Error::source(source.as_ref()) {
                let cause = cause.to_string();
                if !text.contains(&cause) {
                    text = format!("{text}: {cause}");
                }
            }
            text
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    async fn read(dir: &tempfile::TempDir) -> Result<MigrationFolder, MigrateError> {
        MigrationFolder::read(dir.path()).await
    }

    #[tokio::test]
    async fn reads_pairs_in_version_order_with_their_files() {
        let dir = folder(&[
            ("2_add_posts.up.sql", "CREATE TABLE posts ();"),
            ("2_add_posts.down.sql", "DROP TABLE posts;"),
            ("1_add_users.up.sql", "CREATE TABLE users ();"),
            (
                "1_add_users.down.sql",
                "-- no-transaction\nDROP TABLE users;",
            ),
            ("3_simple.sql", "-- no-transaction\nSELECT 1;"),
            ("README.md", "not a migration"),
            (".autogen-x.tmp", "a temp file"),
        ]);
        let folder = read(&dir).await.unwrap();
        let m = folder.migrations();
        assert_eq!(m.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(m[0].description, "add users");
        assert_eq!(m[0].up, dir.path().join("1_add_users.up.sql"));
        assert_eq!(m[0].down, Some(dir.path().join("1_add_users.down.sql")));
        assert!(!m[0].up_no_transaction && m[0].down_no_transaction);
        assert_eq!(
            m[0].checksum,
            sqlx::migrate::Migration::new(
                1,
                "x".into(),
                MigrationType::ReversibleUp,
                sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe("CREATE TABLE users ();")),
                false
            )
            .checksum
            .to_vec()
        );
        assert_eq!(m[2].down, None);
        assert!(m[2].up_no_transaction);
        assert_eq!(
            folder.get(2).unwrap().down_sql.as_deref(),
            Some("DROP TABLE posts;")
        );
    }

    #[tokio::test]
    async fn an_empty_folder_has_no_migrations_and_a_missing_one_is_an_error() {
        let dir = folder(&[]);
        assert!(read(&dir).await.unwrap().migrations().is_empty());
        let missing = dir.path().join("nope");
        let error = MigrationFolder::read(&missing).await.unwrap_err();
        assert!(matches!(error, MigrateError::NoFolder { .. }), "{error}");
    }

    #[tokio::test]
    async fn two_files_for_one_version_are_an_error() {
        let dir = folder(&[("1_a.up.sql", ""), ("1_b.up.sql", ""), ("1_a.down.sql", "")]);
        let error = read(&dir).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "two files hold the up migration of version 1: 1_a.up.sql and 1_b.up.sql"
        );
        let dir = folder(&[("1_a.sql", ""), ("1_a.up.sql", "")]);
        assert!(matches!(
            read(&dir).await,
            Err(MigrateError::DuplicateVersion { version: 1, .. })
        ));
    }

    #[tokio::test]
    async fn a_down_file_without_its_up_file_is_an_error() {
        let dir = folder(&[("1_a.up.sql", ""), ("2_b.down.sql", "")]);
        let error = read(&dir).await.unwrap_err();
        assert!(error.to_string().contains("2_b.down.sql"), "{error}");
    }

    #[tokio::test]
    async fn a_name_sqlx_cannot_parse_is_sqlx_s_error() {
        let dir = folder(&[("v1_a.up.sql", "")]);
        let error = read(&dir).await.unwrap_err();
        assert!(error.to_string().contains("v1_a.up.sql"), "{error}");
    }

    #[tokio::test]
    async fn two_migrations_on_the_same_base_are_two_heads() {
        let dir = folder(&[
            ("1_a.up.sql", "-- a\n-- generated on top of base\nSELECT 1;"),
            ("2_b.up.sql", "-- b\n-- generated on top of 1\nSELECT 2;"),
        ]);
        let linear = read(&dir).await.unwrap();
        assert_eq!(linear.get(1).unwrap().base, Some(0));
        assert_eq!(linear.get(2).unwrap().base, Some(1));
        assert!(linear.heads().is_none());
        // A teammate's 3 merged, and 4 was generated on top of 2 without it.
        std::fs::write(dir.path().join("3_c.up.sql"), "-- generated on top of 2\n").unwrap();
        std::fs::write(dir.path().join("4_d.up.sql"), "-- generated on top of 2\n").unwrap();
        let folder = read(&dir).await.unwrap();
        let heads = folder.heads().expect("two heads");
        assert_eq!(heads.base, 2);
        assert_eq!(heads.newest.version, 4);
        assert_eq!(
            heads.unseen.iter().map(|m| m.version).collect::<Vec<_>>(),
            [3]
        );
        assert!(
            heads
                .to_string()
                .starts_with("two heads: 4 d was generated on top of 2, without 3 c;")
        );
        // A migration on top of 4 joins them.
        std::fs::write(dir.path().join("5_e.up.sql"), "-- generated on top of 4\n").unwrap();
        assert!(read(&dir).await.unwrap().heads().is_none());
        // A line below the header is not the header.
        assert_eq!(recorded_base("SELECT 1;\n-- generated on top of 3\n"), None);
    }

    #[tokio::test]
    async fn next_versions_never_go_backwards() {
        let dir = folder(&[("20300101000000_future.up.sql", "")]);
        let folder = read(&dir).await.unwrap();
        assert_eq!(folder.next_version(0), 20300101000001);
        let empty = folder_of_nothing().await;
        assert_eq!(empty.next_version(0), 19700101000000);
    }

    async fn folder_of_nothing() -> MigrationFolder {
        let dir = folder(&[]);
        read(&dir).await.unwrap()
    }
}
