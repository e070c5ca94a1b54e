use autogen_migrate::{History, MigrationFolder, OutOfOrder, UpgradeTarget, upgrade_script};
use autogen_schema::Dialect;

use super::migrations::{name, open_database, position, read_folder, report_lock_wait};
use crate::cli::{GlobalArgs, UpgradeArgs};
use crate::config::Settings;

pub async fn run(global: &GlobalArgs, args: &UpgradeArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    if args.sql {
        return print_script(&settings, &folder, args.target, out_of_order(args)).await;
    }
    crate::pooler::refuse_pooled(&settings, "upgrade")?;
    let mut db = open_database(&settings).await?;
    report_lock_wait(&mut db);
    // The callback cannot return an error; a failed write is reported once the run is over.
    let mut write_error = None;
    let mut count = 0;
    let result = autogen_migrate::upgrade(&mut db, &folder, args.target, out_of_order(args), |m| {
        count += 1;
        if let Err(e) =
            crate::output::said(&format!("applied {}\n", name(m.version, &m.description)))
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
        crate::output::said("nothing to apply\n")?;
    }
    crate::output::said(&format!("at {}\n", position(&history?)))?;
    Ok(0)
}

/// The script, made without applying anything: with a database, of what is pending there (read
/// in a read-only transaction); without one, of every migration.
fn out_of_order(args: &UpgradeArgs) -> OutOfOrder {
    if args.allow_out_of_order {
        OutOfOrder::Allow
    } else {
        OutOfOrder::Refuse
    }
}

async fn print_script(
    settings: &Settings,
    folder: &MigrationFolder,
    target: UpgradeTarget,
    out_of_order: OutOfOrder,
) -> anyhow::Result<u8> {
    let (history, dialect) = match settings.database_url {
        Some(_) => {
            let mut db = open_database(settings).await?;
            let history = db.history(folder).await;
            let dialect = db.dialect();
            db.close().await;
            (history?, dialect)
        }
        // A folder alone says nothing of the dialect: PostgreSQL's bookkeeping, the default.
        None => (History::new(folder, &[]), Dialect::Postgres),
    };
    let script = upgrade_script(folder, &history, target, out_of_order, dialect)?;
    crate::output::answer(&script)?;
    Ok(0)
}
