//! The command line: clap definitions for every subcommand and the glue that
//! turns parsed arguments into library calls.
//!
//! This module owns the words the user types and the text they read back; the
//! work itself lives in the modules it calls, which never parse arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::engine_build::{self, BuildError};
use crate::params::Assignment;
use crate::render::{self, Input, RenderError, RenderOptions, RenderSummary};
use crate::signal::Signal;

/// Wavecraft: build, run and render audio-effect plugins with React UIs.
#[derive(Debug, Parser)]
#[command(name = "wavecraft", version, about)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Process a WAV file or a test signal through an engine, offline, into a WAV file.
    Render(RenderArgs),
}

const RENDER_EXAMPLES: &str = "\
Examples:
  wavecraft render examples/example-plugin --output out.wav --set cutoff=800 --set filter_mode=High-pass
  wavecraft render target/debug/libmy_plugin.so --input dry.wav --output wet.wav --block-size 64";

/// Arguments of `wavecraft render`.
#[derive(Debug, Args)]
#[command(after_help = RENDER_EXAMPLES)]
pub struct RenderArgs {
    /// A Wavecraft project directory (its engine/ is built first) or a built engine library.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The WAV file to write (32-bit float).
    #[arg(short, long)]
    pub output: PathBuf,
    /// A WAV file to process (16/24/32-bit int or 32-bit float).
    #[arg(short, long, conflicts_with = "signal")]
    pub input: Option<PathBuf>,
    /// A generated signal at -6 dBFS: sine[:HZ], noise, silence or impulse [default: sine:1000].
    #[arg(long)]
    pub signal: Option<Signal>,
    /// Seconds to render; an input file is cut or padded with silence [default for signals: 2].
    #[arg(short, long)]
    pub duration: Option<f64>,
    /// Set a parameter before rendering: id=value (plain units; enum variant names and on/off work).
    #[arg(short, long = "set", value_name = "ID=VALUE")]
    pub set: Vec<Assignment>,
    /// Sample rate of a generated signal [default: 48000]; for an input file it must match.
    #[arg(long)]
    pub sample_rate: Option<u32>,
    /// Largest block handed to the engine's process.
    #[arg(long, default_value_t = render::DEFAULT_BLOCK_SIZE)]
    pub block_size: u32,
    /// Channels to render [default: the file's, or 2 for a signal]; mono input is duplicated.
    #[arg(long)]
    pub channels: Option<u16>,
}

/// Why a command failed, with what it was doing.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Finding or building the engine failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render(args) => {
            let summary = run_render(args)?;
            eprintln!("{summary}");
            Ok(())
        }
    }
}

/// Builds or locates the engine named by `args.path`, then renders.
pub fn run_render(args: RenderArgs) -> Result<RenderSummary, CliError> {
    let engine = engine_build::locate_engine(&args.path)?;
    let input = match args.input {
        Some(path) => Input::File(path),
        None => Input::Signal(args.signal.unwrap_or_default()),
    };
    let options = RenderOptions {
        engine,
        output: args.output,
        input,
        duration: args.duration,
        sample_rate: args.sample_rate,
        block_size: args.block_size,
        channels: args.channels,
        set: args.set,
    };
    Ok(render::render(&options)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn render_parses_repeated_sets_and_rejects_input_with_signal() {
        let cli = Cli::try_parse_from([
            "wavecraft",
            "render",
            "proj",
            "-o",
            "out.wav",
            "--set",
            "a=1",
            "--set",
            "b=on",
        ])
        .unwrap();
        let Command::Render(args) = cli.command;
        assert_eq!(args.path, PathBuf::from("proj"));
        assert_eq!(args.set.len(), 2);
        assert_eq!(args.block_size, 512);
        assert!(Cli::try_parse_from([
            "wavecraft",
            "render",
            "-o",
            "o.wav",
            "--input",
            "i.wav",
            "--signal",
            "noise",
        ])
        .is_err());
        assert!(
            Cli::try_parse_from(["wavecraft", "render", "-o", "o.wav", "--set", "oops"]).is_err()
        );
    }
}
