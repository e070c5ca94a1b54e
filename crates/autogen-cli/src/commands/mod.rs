mod check;
mod completions;
mod contract;
mod current;
mod diff;
mod downgrade;
mod expand;
mod history;
mod init;
mod inspect;
mod migrations;
mod repair;
mod revision;
mod status;
mod upgrade;
mod verify;

use crate::cli::{Cli, Command, RevisionArgs};

/// Runs one command and gives its exit code.
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    let short = cli.revision;
    let command = match (cli.command, short.message) {
        (Some(command), _) => command,
        (None, Some(message)) => Command::Revision(RevisionArgs {
            message,
            empty: short.empty,
            dry_run: short.dry_run,
            allow_data_loss: short.allow_data_loss,
            skip_data_checks: short.skip_data_checks,
            expand_contract: short.expand_contract,
        }),
        (None, None) => {
            anyhow::bail!("no command given; try `autogen -m MESSAGE` or `autogen --help`")
        }
    };
    match command {
        Command::Inspect { format, out, force } => {
            inspect::run(&cli.global, format, out.as_deref(), force).await
        }
        Command::Diff(args) => diff::run(&cli.global, &args).await,
        Command::Revision(args) => revision::run(&cli.global, &args).await,
        Command::Check => check::run(&cli.global).await,
        Command::Contract(args) => contract::run(&cli.global, &args).await,
        Command::Upgrade(args) => upgrade::run(&cli.global, &args).await,
        Command::Downgrade(args) => downgrade::run(&cli.global, &args).await,
        Command::History => history::run(&cli.global).await,
        Command::Current => current::run(&cli.global).await,
        Command::Status => status::run(&cli.global).await,
        Command::Stamp(args) => repair::stamp(&cli.global, &args).await,
        Command::Resolve(args) => repair::resolve(&cli.global, &args).await,
        Command::Init => init::run(&cli.global),
        Command::Verify(args) => verify::run(&cli.global, &args).await,
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
    }
}
