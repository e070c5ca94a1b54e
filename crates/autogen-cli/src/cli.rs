use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "autogen",
    version,
    about = "Schema-diff migration autogeneration for Rust projects"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Database URL (default: the DATABASE_URL environment variable)
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Schema (namespace) to work on; repeatable (default: public)
    #[arg(long = "schema", global = true, value_name = "NAME")]
    pub schemas: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the live database schema
    Inspect {
        #[arg(long, value_enum, default_value_t = InspectFormat::Sql)]
        format: InspectFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Canonical DDL that recreates the schema
    Sql,
    /// The schema IR as JSON
    Json,
}
