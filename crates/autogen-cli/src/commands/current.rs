use super::migrations::{open_database, position, read_folder};
use crate::cli::GlobalArgs;
use crate::config::Settings;

/// `base`, or the latest applied migration, marked `(head)` when nothing is pending.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    let history = db.history(&folder).await;
    db.close().await;
    crate::output::answer(&format!("{}\n", position(&history?)))?;
    Ok(0)
}
