//! The engine host process of `wavecraft start`, as its own program: the dev
//! server's tests and benches start this one (the `wavecraft` CLI starts
//! itself in a hidden mode instead). Its one argument is the launch JSON.

#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match std::env::args().nth(1) {
        Some(launch) => wavecraft_dev_server::engine_host::run_engine_host(&launch),
        None => {
            eprintln!("wavecraft-engine-host is started by `wavecraft start`, not by hand");
            ExitCode::FAILURE
        }
    }
}
