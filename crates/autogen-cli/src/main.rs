//! The `autogen` binary: the only place that reads the environment and files, opens database
//! connections through the introspector, and writes to the terminal.

mod cli;
mod commands;
mod config;
mod database;
mod datacheck;
mod desired;
mod exclude;
mod expansion;
mod model_files;
mod output;
mod paint;
mod pooler;
mod progress;
mod verbose;
mod write_files;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes of the CLI contract: 0 ok, 1 drift or refused changes, 2 error.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    // Every URL on the command line, whatever flag carries it (`--database-url`, `--dev-url`,
    // `diff --from/--to`, `--flag=URL`), and DATABASE_URL: their passwords never print.
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy();
        config::remember_secrets(&arg);
        if let Some((_, value)) = arg.split_once('=') {
            config::remember_secrets(value);
        }
    }
    for name in ["DATABASE_URL", "DATABASE_URL_DIRECT"] {
        if let Some(url) = std::env::var_os(name) {
            config::remember_secrets(&url.to_string_lossy());
        }
    }
    let cli = cli::Cli::parse();
    paint::set_choice(cli.global.color);
    output::set_verbosity(cli.global.verbosity());
    if output::verbosity() == output::Verbosity::Verbose {
        verbose::install();
    }
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

/// One line, no backtrace: the error and its causes joined, without any password. A reader that
/// went away (`autogen inspect | head`) is not worth a message, but the output is incomplete:
/// still 2. A closed stderr is not worth a panic either.
fn fail(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if !broken_pipe {
        output::error(&format!("error: {error:#}"));
    }
    ExitCode::from(EXIT_ERROR)
}
