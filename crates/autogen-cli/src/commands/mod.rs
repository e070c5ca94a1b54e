mod current;
mod diff;
mod downgrade;
mod history;
mod init;
mod inspect;
mod migrations;
mod status;
mod upgrade;

use crate::cli::{Cli, Command};

/// Runs one command and gives its exit code.
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Inspect { format } => inspect::run(&cli.global, format).await,
        Command::Diff(args) => diff::run(&cli.global, &args).await,
        Command::Upgrade(args) => upgrade::run(&cli.global, &args).await,
        Command::Downgrade(args) => downgrade::run(&cli.global, &args).await,
        Command::History => history::run(&cli.global).await,
        Command::Current => current::run(&cli.global).await,
        Command::Status => status::run(&cli.global).await,
        Command::Init => init::run(&cli.global),
    }
}
