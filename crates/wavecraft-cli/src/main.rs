//! The `wavecraft` binary: parses the command line, runs it, and turns any
//! error into one `error: …` line on stderr and exit status 1.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // `wavecraft start` runs the author's code in a copy of itself in this hidden mode.
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some(wavecraft_cli::start::ENGINE_HOST_MODE) {
        return wavecraft_dev_server::engine_host::run_engine_host(
            &args.next().unwrap_or_default(),
        );
    }
    let cli = wavecraft_cli::cli::Cli::parse();
    match wavecraft_cli::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
