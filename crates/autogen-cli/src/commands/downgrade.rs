use super::migrations::{name, open_database, position, read_folder, report_lock_wait};
use crate::cli::{DowngradeArgs, GlobalArgs};
use crate::config::Settings;

pub async fn run(global: &GlobalArgs, args: &DowngradeArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    crate::pooler::refuse_pooled(&settings, "downgrade")?;
    let mut db = open_database(&settings).await?;
    report_lock_wait(&mut db);
    // The callback cannot return an error; a failed write is reported once the run is over.
    let mut write_error = None;
    let mut count = 0;
    let result = autogen_migrate::downgrade(&mut db, &folder, args.target, |m| {
        count += 1;
        if let Err(e) =
            crate::output::said(&format!("reverted {}\n", name(m.version, &m.description)))
        {
            write_error.get_or_insert(e);
        }
    })
    .await;
    if let Err(e) = result {
        db.close().await;
        return Err(e.into());
    }
    let history = db.history(&folder).await;
    db.close().await;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    if count == 0 {
        crate::output::said("nothing to revert\n")?;
    }
    crate::output::said(&format!("at {}\n", position(&history?)))?;
    Ok(0)
}
