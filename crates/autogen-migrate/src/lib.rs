//! The migration folder and its lifecycle.
//!
//! The folder is sqlx's reversible layout, `<YYYYMMDDHHMMSS>_<slug>.up.sql` and `.down.sql`, read
//! by sqlx's own resolver, and the lifecycle runs sqlx's migrator on the `_sqlx_migrations`
//! table under sqlx's advisory lock: `sqlx migrate run`, `sqlx::migrate!()` and `autogen upgrade`
//! work on the same folder and the same database interchangeably.
//!
//! - [`write_migration`]: a new migration, both files or neither, never over an existing file.
//! - [`MigrationFolder::read`]: the folder, with each migration's files.
//! - [`Database::history`] -> [`History`]: what is applied, pending, changed or missing; `current`
//!   and `status` are views of it.
//! - [`upgrade`] / [`downgrade`]: apply or revert up to an [`UpgradeTarget`] / [`DowngradeTarget`];
//!   [`plan_upgrade`] / [`plan_downgrade`] say beforehand what they would run.
//! - [`upgrade_script`]: the SQL an upgrade would run (`upgrade --sql`).
//!
//! PostgreSQL, MySQL/MariaDB and SQLite are supported; opening the connection is the caller's
//! job ([`Database::postgres`], [`Database::mysql`], [`Database::sqlite`], [`dialect_of_url`]).

mod database;
mod error;
mod folder;
mod history;
mod lifecycle;
mod lock;
mod mysql;
mod naming;
mod plan;
mod repair;
mod script;
mod split;
mod target;
mod write;

pub use database::{Database, dialect_of_url};
pub use error::MigrateError;
pub use folder::{Heads, MigrationFile, MigrationFolder};
pub use history::{AppliedMigration, History, HistoryEntry, MigrationState};
pub use lifecycle::{downgrade, upgrade};
pub use lock::LockHolder;
pub use naming::{MAX_SLUG_LEN, slug, timestamp_version};
pub use plan::{OutOfOrder, plan_downgrade, plan_upgrade};
pub use repair::{AUDIT_TABLE, AuditEntry, Resolution, StampTarget, resolve, stamp};
pub use script::upgrade_script;
pub use split::split_statements;
pub use target::{DowngradeTarget, UpgradeTarget};
pub use write::{FolderLock, MigrationFiles, write_migration};

/// The table sqlx records applied migrations in (its default; autogen does not change it).
pub const MIGRATIONS_TABLE: &str = "_sqlx_migrations";
