//! `autogen stamp` and `autogen resolve`: the bookkeeping repairs (`autogen_migrate::stamp`,
//! `autogen_migrate::resolve`).

use autogen_migrate::Resolution;

use super::migrations::{open_database, position, read_folder, report_lock_wait};
use crate::cli::{GlobalArgs, ResolveArgs, StampArgs};
use crate::config::Settings;

pub async fn stamp(global: &GlobalArgs, args: &StampArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    crate::pooler::refuse_pooled(&settings, "stamp")?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    report_lock_wait(&mut db);
    let result = autogen_migrate::stamp(&mut db, &folder, args.target).await;
    finish(db, &folder, result, "nothing to record").await
}

pub async fn resolve(global: &GlobalArgs, args: &ResolveArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    crate::pooler::refuse_pooled(&settings, "resolve")?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    report_lock_wait(&mut db);
    let resolution = if args.applied {
        Resolution::Applied
    } else {
        Resolution::RolledBack
    };
    let result = autogen_migrate::resolve(&mut db, &folder, args.version, resolution).await;
    finish(db, &folder, result, "nothing to record").await
}

async fn finish(
    mut db: autogen_migrate::Database,
    folder: &autogen_migrate::MigrationFolder,
    result: Result<Vec<String>, autogen_migrate::MigrateError>,
    nothing: &str,
) -> anyhow::Result<u8> {
    let said = match result {
        Ok(said) => said,
        Err(e) => {
            db.close().await;
            return Err(e.into());
        }
    };
    let history = db.history(folder).await;
    db.close().await;
    let mut text = String::new();
    if said.is_empty() {
        text.push_str(nothing);
        text.push('\n');
    }
    for line in said {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&format!("at {}\n", position(&history?)));
    crate::output::said(&text)?;
    Ok(0)
}
