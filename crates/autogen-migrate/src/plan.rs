//! Which migrations an upgrade or a downgrade runs, decided before anything runs.

use crate::{
    DowngradeTarget, History, MigrateError, MigrationFile, MigrationFolder, MigrationState,
    UpgradeTarget,
};

/// Whether `upgrade` applies a pending migration older than the newest applied one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutOfOrder {
    /// Refuse with [`MigrateError::OutOfOrder`] (the default).
    #[default]
    Refuse,
    /// Apply it (`--allow-out-of-order`), in version order with the others.
    Allow,
}

/// The migrations `upgrade` to `target` applies, in the order it applies them. Refuses while the
/// folder and the database disagree ([`History::check`]), like sqlx's migrator, and when a
/// migration would be applied out of order unless `out_of_order` allows it.
pub fn plan_upgrade<'f>(
    folder: &'f MigrationFolder,
    history: &History,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
) -> Result<Vec<&'f MigrationFile>, MigrateError> {
    history.check()?;
    match out_of_order {
        OutOfOrder::Refuse => history.check_order()?,
        OutOfOrder::Allow => {}
    }
    let pending = history.pending().map(|entry| {
        folder
            .get(entry.version)
            .expect("a pending migration is in the folder")
    });
    match target {
        UpgradeTarget::Head => Ok(pending.collect()),
        UpgradeTarget::Version(version) => {
            if folder.get(version).is_none() {
                return Err(MigrateError::UnknownVersion {
                    version,
                    folder: folder.path().to_owned(),
                });
            }
            Ok(pending.filter(|m| m.version <= version).collect())
        }
        UpgradeTarget::Next(n) => {
            let pending: Vec<_> = pending.collect();
            if pending.len() < n as usize {
                return Err(MigrateError::NotEnough {
                    command: "upgrade",
                    target: target.to_string(),
                    asked: n,
                    available: pending.len(),
                    state: "pending",
                });
            }
            Ok(pending.into_iter().take(n as usize).collect())
        }
    }
}

/// The migrations `downgrade` to `target` reverts, newest first. Refuses while the folder and
/// the database disagree, and when one of them has no down file (sqlx's `undo` would skip it
/// and go on reverting the ones below it).
pub fn plan_downgrade<'f>(
    folder: &'f MigrationFolder,
    history: &History,
    target: DowngradeTarget,
) -> Result<Vec<&'f MigrationFile>, MigrateError> {
    history.check()?;
    let applied: Vec<&MigrationFile> = history
        .entries()
        .iter()
        .filter(|e| e.state == MigrationState::Applied)
        .map(|e| {
            folder
                .get(e.version)
                .expect("an applied migration without problems is in the folder")
        })
        .collect();
    let mut revert: Vec<&MigrationFile> = match target {
        DowngradeTarget::Base => applied,
        DowngradeTarget::Version(version) => {
            if !applied.iter().any(|m| m.version == version) {
                return Err(match folder.get(version) {
                    Some(_) => MigrateError::NotApplied { version },
                    None => MigrateError::UnknownVersion {
                        version,
                        folder: folder.path().to_owned(),
                    },
                });
            }
            applied
                .into_iter()
                .filter(|m| m.version > version)
                .collect()
        }
        DowngradeTarget::Last(n) => {
            if applied.len() < n as usize {
                return Err(MigrateError::NotEnough {
                    command: "downgrade",
                    target: target.to_string(),
                    asked: n,
                    available: applied.len(),
                    state: "applied",
                });
            }
            applied[applied.len() - n as usize..].to_vec()
        }
    };
    revert.reverse();
    if let Some(m) = revert.iter().find(|m| m.down.is_none()) {
        return Err(MigrateError::NoDownFile {
            version: m.version,
            up: m.up.clone(),
            hint: missing_down(&m.up),
        });
    }
    Ok(revert)
}

/// What reverting `up` lacks: `x.up.sql` needs `x.down.sql`; a simple `x.sql` cannot have
/// one (sqlx pairs only `.up.sql` with `.down.sql`).
fn missing_down(up: &std::path::Path) -> String {
    let name = up
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.strip_suffix(".up.sql") {
        Some(stem) => format!("there is no {stem}.down.sql"),
        None => {
            let stem = name.strip_suffix(".sql").unwrap_or(&name);
            format!(
                "it is a simple migration; rename it to {stem}.up.sql and write {stem}.down.sql"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppliedMigration;

    /// Migrations 1 and 2 (reversible) and 3 (simple: no down file).
    async fn folder() -> (tempfile::TempDir, MigrationFolder) {
        let dir = tempfile::tempdir().unwrap();
        for (name, sql) in [
            ("1_users.up.sql", "CREATE TABLE users ();"),
            ("1_users.down.sql", "DROP TABLE users;"),
            ("2_posts.up.sql", "CREATE TABLE posts ();"),
            ("2_posts.down.sql", "DROP TABLE posts;"),
            ("3_seed.sql", "SELECT 1;"),
        ] {
            std::fs::write(dir.path().join(name), sql).unwrap();
        }
        let folder = MigrationFolder::read(dir.path()).await.unwrap();
        (dir, folder)
    }

    fn row(folder: &MigrationFolder, version: i64) -> AppliedMigration {
        let file = folder.get(version).unwrap();
        AppliedMigration {
            version,
            description: file.description.clone(),
            installed_on: "2024-01-01 00:00:00Z".to_owned(),
            success: true,
            checksum: file.checksum.clone(),
        }
    }

    fn versions(plan: &[&MigrationFile]) -> Vec<i64> {
        plan.iter().map(|m| m.version).collect()
    }

    fn up(
        folder: &MigrationFolder,
        applied: &[AppliedMigration],
        target: &str,
    ) -> Result<Vec<i64>, String> {
        let history = History::new(folder, applied);
        plan_upgrade(
            folder,
            &history,
            target.parse().unwrap(),
            OutOfOrder::Refuse,
        )
        .map(|p| versions(&p))
        .map_err(|e| e.to_string())
    }

    fn down(
        folder: &MigrationFolder,
        applied: &[AppliedMigration],
        target: &str,
    ) -> Result<Vec<i64>, String> {
        let history = History::new(folder, applied);
        plan_downgrade(folder, &history, target.parse().unwrap())
            .map(|p| versions(&p))
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn upgrade_plans() {
        let (_dir, f) = folder().await;
        let one = [row(&f, 1)];
        assert_eq!(up(&f, &[], "head"), Ok(vec![1, 2, 3]));
        assert_eq!(up(&f, &one, "head"), Ok(vec![2, 3]));
        assert_eq!(up(&f, &one, "+1"), Ok(vec![2]));
        assert_eq!(up(&f, &one, "+2"), Ok(vec![2, 3]));
        assert_eq!(up(&f, &[], "2"), Ok(vec![1, 2]));
        assert_eq!(up(&f, &one, "1"), Ok(vec![]));
        let all = [row(&f, 1), row(&f, 2), row(&f, 3)];
        assert_eq!(up(&f, &all, "head"), Ok(vec![]));
        assert_eq!(
            up(&f, &one, "+3"),
            Err("`upgrade +3` applies 3 migrations, but only 2 are pending".to_owned())
        );
        assert_eq!(
            up(&f, &all, "+1"),
            Err("`upgrade +1` applies 1 migration, but none is pending".to_owned())
        );
        let error = up(&f, &[], "9").unwrap_err();
        assert!(
            error.starts_with("no migration with version 9 in "),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_pending_migration_older_than_the_current_one_is_refused_unless_allowed() {
        let (_dir, f) = folder().await;
        let applied = [row(&f, 2)];
        assert_eq!(
            up(&f, &applied, "head"),
            Err(
                "migration 1 (users) is pending but older than the newest applied migration 2 \
                 (written on another branch?); check that it does not conflict, then run upgrade \
                 --allow-out-of-order"
                    .to_owned()
            )
        );
        // Allowed: applied in version order with the others, as sqlx would.
        let history = History::new(&f, &applied);
        let plan = plan_upgrade(&f, &history, UpgradeTarget::Head, OutOfOrder::Allow).unwrap();
        assert_eq!(versions(&plan), [1, 3]);
    }

    #[tokio::test]
    async fn downgrade_plans() {
        let (_dir, f) = folder().await;
        let two = [row(&f, 1), row(&f, 2)];
        assert_eq!(down(&f, &two, "-1"), Ok(vec![2]));
        assert_eq!(down(&f, &two, "-2"), Ok(vec![2, 1]));
        assert_eq!(down(&f, &two, "base"), Ok(vec![2, 1]));
        assert_eq!(down(&f, &two, "1"), Ok(vec![2]));
        assert_eq!(down(&f, &two, "2"), Ok(vec![]));
        assert_eq!(down(&f, &[], "base"), Ok(vec![]));
        assert_eq!(
            down(&f, &two, "-3"),
            Err("`downgrade -3` reverts 3 migrations, but only 2 are applied".to_owned())
        );
        assert_eq!(
            down(&f, &[], "-1"),
            Err("`downgrade -1` reverts 1 migration, but none is applied".to_owned())
        );
        assert_eq!(
            down(&f, &[row(&f, 1)], "2"),
            Err("migration 2 is not applied; downgrade goes back to an applied migration or to base".to_owned())
        );
        assert!(
            down(&f, &two, "7")
                .unwrap_err()
                .starts_with("no migration with version 7")
        );
    }

    #[tokio::test]
    async fn a_migration_without_a_down_file_stops_a_downgrade_before_it_starts() {
        let (_dir, f) = folder().await;
        let all = [row(&f, 1), row(&f, 2), row(&f, 3)];
        let error = down(&f, &all, "base").unwrap_err();
        assert!(error.starts_with("migration 3 ("), "{error}");
        assert!(
            error.ends_with("cannot be reverted: it is a simple migration; rename it to 3_seed.up.sql and write 3_seed.down.sql"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn disagreements_stop_both_directions() {
        let (_dir, f) = folder().await;
        let mut changed = row(&f, 1);
        changed.checksum = vec![0; 48];
        let gone = AppliedMigration {
            version: 9,
            description: "gone".to_owned(),
            ..row(&f, 2)
        };
        let mut failed = row(&f, 2);
        failed.success = false;

        let history = History::new(&f, &[changed.clone(), row(&f, 2)]);
        assert_eq!(history.entries()[0].state, MigrationState::ChecksumMismatch);
        assert!(!history.is_at_head());
        for error in [
            up(&f, &[changed.clone()], "head"),
            down(&f, &[changed, row(&f, 2)], "-1"),
        ] {
            let error = error.unwrap_err();
            assert!(error.starts_with("migration 1 ("), "{error}");
            assert!(
                error.contains("1_users.up.sql) was applied, but the file has changed since"),
                "{error}"
            );
        }
        let error = up(&f, &[row(&f, 1), gone], "head").unwrap_err();
        assert!(
            error.starts_with("migration 9 (gone) was applied, but no file in "),
            "{error}"
        );
        let error = up(&f, &[row(&f, 1), failed], "head").unwrap_err();
        assert!(
            error.starts_with("migration 2 (posts) is marked as failed in _sqlx_migrations"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn history_views() {
        let (_dir, f) = folder().await;
        let empty = History::new(&f, &[]);
        assert_eq!(empty.current(), None);
        assert_eq!(empty.head().unwrap().version, 3);
        assert_eq!(empty.pending().count(), 3);
        assert!(!empty.is_at_head());

        let gone = AppliedMigration {
            version: 9,
            description: "gone".to_owned(),
            ..row(&f, 1)
        };
        let history = History::new(&f, &[row(&f, 1), gone]);
        let states: Vec<_> = history
            .entries()
            .iter()
            .map(|e| (e.version, e.state))
            .collect();
        assert_eq!(
            states,
            [
                (1, MigrationState::Applied),
                (2, MigrationState::Pending),
                (3, MigrationState::Pending),
                (9, MigrationState::MissingFile),
            ]
        );
        // The database's newest row, even without its file; the head is the folder's newest.
        assert_eq!(history.current().unwrap().version, 9);
        assert_eq!(history.current().unwrap().description, "gone");
        assert_eq!(history.head().unwrap().version, 3);
        assert_eq!(history.problems().count(), 1);

        let all = [row(&f, 1), row(&f, 2), row(&f, 3)];
        assert!(History::new(&f, &all).is_at_head());
    }
}
