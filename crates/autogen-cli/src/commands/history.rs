use autogen_migrate::History;

use super::migrations::{open_database, read_folder};
use crate::cli::GlobalArgs;
use crate::config::Settings;

/// Every migration of the folder and of `_sqlx_migrations`, oldest first:
/// `VERSION  STATE  APPLIED ON  DESCRIPTION (current, head)`.
pub async fn run(global: &GlobalArgs) -> anyhow::Result<u8> {
    let settings = Settings::load(global)?;
    let folder = read_folder(&settings).await?;
    let mut db = open_database(&settings).await?;
    let history = db.history(&folder).await;
    let audit = db.audit().await;
    db.close().await;
    let mut text = render(&history?);
    let audit = audit?;
    if !audit.is_empty() {
        text.push_str(&format!(
            "\nrepairs (recorded in {}):\n",
            autogen_migrate::AUDIT_TABLE
        ));
        for entry in audit {
            text.push_str(&format!("  {}  {}\n", entry.performed_on, entry.detail));
        }
    }
    crate::output::answer(&text)?;
    Ok(0)
}

fn render(history: &History) -> String {
    if history.entries().is_empty() {
        return format!(
            "no migrations in {} and none applied\n",
            history.folder().display()
        );
    }
    let current = history.current().map(|e| e.version);
    let head = history.head().map(|e| e.version);
    let version_width = history
        .entries()
        .iter()
        .map(|e| e.version.to_string().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for entry in history.entries() {
        let marks: Vec<&str> = [
            (Some(entry.version) == current).then_some("current"),
            (Some(entry.version) == head).then_some("head"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" ({})", marks.join(", "))
        };
        let line = format!(
            "{:>version_width$}  {:<17}  {:<20}  {}{marks}",
            entry.version,
            entry.state.label(),
            entry.applied_on.as_deref().unwrap_or("-"),
            entry.description,
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
