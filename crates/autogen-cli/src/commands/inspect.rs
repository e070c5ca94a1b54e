use crate::cli::{GlobalArgs, InspectFormat};
use crate::database::inspect_database;

pub async fn run(global: &GlobalArgs, format: InspectFormat) -> anyhow::Result<u8> {
    let schema = inspect_database(global).await?;
    let text = match format {
        InspectFormat::Json => format!("{}\n", serde_json::to_string_pretty(&schema)?),
        InspectFormat::Sql => autogen_schema::canonical_ddl_text(&schema),
    };
    crate::output::answer(&text)?;
    Ok(0)
}
