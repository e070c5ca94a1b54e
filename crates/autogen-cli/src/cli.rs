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
    /// Show what it takes to move one database's schema to another's
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The current side: the database the migration would run on
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// The desired side: the database whose schema the migration produces
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Summary)]
    pub format: DiffFormat,
    /// Exit 1 when there are differences, 0 when there are none (2 stays an error)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// The changes in plain words, with their hazards
    Summary,
    /// Executable SQL that moves the current schema to the desired one
    Up,
    /// Executable SQL that moves it back
    Down,
    /// Up and down, labelled, as a migration pair would hold them
    Sql,
    /// A unified diff of the canonical DDL of each changed object
    Schema,
    /// The plan: changes, inverse, hazards and statements
    Json,
    /// A summary for a pull request
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Canonical DDL that recreates the schema
    Sql,
    /// The schema IR as JSON
    Json,
}
