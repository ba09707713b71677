//! The `wavecraft` binary: parses the command line, runs it, and turns any
//! error into one `error: …` line on stderr and exit status 1.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = wavecraft_cli::cli::Cli::parse();
    match wavecraft_cli::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
