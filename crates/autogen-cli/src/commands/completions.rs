//! Shell completions and the manual page, both generated from the clap definition of the CLI so
//! they cannot drift from it.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// `autogen completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "autogen", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(0)
}

/// `autogen man`: the manual page in roff on stdout.
pub fn man() -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(0)
}
