mod diff;
mod inspect;

use crate::cli::{Cli, Command};

/// Runs one command and gives its exit code.
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Inspect { format } => inspect::run(&cli.global, format).await,
        Command::Diff(args) => diff::run(&cli.global, &args).await,
    }
}
