//! The `autogen` binary: the only place that reads the environment and files, opens database
//! connections through the introspector, and writes to the terminal.

mod cli;
mod commands;
mod config;
mod database;
mod desired;
mod diesel_switch;
mod model_files;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes of the CLI contract: 0 ok, 1 drift or refused changes, 2 error.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => fail(&e),
    }
}

/// One line, no backtrace: the error and its causes joined. A reader that went away
/// (`autogen inspect | head`) is not worth a message, but the output is incomplete: still 2.
fn fail(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if !broken_pipe {
        eprintln!("error: {error:#}");
    }
    ExitCode::from(EXIT_ERROR)
}
