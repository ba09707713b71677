//! The command line: clap definitions for every subcommand and the glue that
//! turns parsed arguments into library calls.
//!
//! This module owns the words the user types and the text they read back; the
//! work itself lives in the modules it calls, which never parse arguments.
//!
//! The `///` comments on arguments are `--help` text written for a terminal
//! (`<name>`, `[default: …]` as clap prints them), not rustdoc markup.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::bundle::{self, BundleError, BundleOptions, Bundled, Formats, InstallDirs};
use crate::create::{self, CreateError, CreateOptions, Created};
use crate::engine_build::{self, BuildError};
use crate::params::Assignment;
use crate::render::{self, Input, RenderError, RenderOptions, RenderSummary};
use crate::signal::Signal;
use crate::start::{self, StartCommandError, StartOptions};
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice, InputSource};
use wavecraft_dev_server::parameter_types::Update;

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
    /// Write a new plugin project (engine crate + React UI) from the SDK's template.
    Create(CreateArgs),
    /// Process a WAV file or a test signal through an engine, offline, into a WAV file.
    Render(RenderArgs),
    /// Run the plugin for real: live rebuilds, DSP hot swap, the UI in a browser.
    Start(StartArgs),
    /// Build the project's engine as CLAP and VST3 plugins into target/bundled/<Display Name>.{clap,vst3}.
    Bundle(BundleArgs),
}

const CREATE_EXAMPLES: &str = "\
Examples:
  wavecraft create \"My Cool Plugin\"                 # writes ./my-cool-plugin
  wavecraft create Delay --vendor \"Acme Audio\" --output ~/plugins/delay
  then: wavecraft start my-cool-plugin";

/// Arguments of `wavecraft create`.
#[derive(Debug, Args)]
#[command(after_help = CREATE_EXAMPLES)]
pub struct CreateArgs {
    /// The plugin's name as people see it; the package name is derived from it ("My Cool Plugin" → my-cool-plugin).
    pub name: String,
    /// The vendor shown in DAWs.
    #[arg(long, default_value = create::DEFAULT_VENDOR)]
    pub vendor: String,
    /// A reverse-DNS plugin id [default: com.<vendor>.<package>-<random suffix>, fixed at creation].
    #[arg(long)]
    pub id: Option<String>,
    /// The project directory to write; it must not exist or be empty [default: ./<package name>].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The Wavecraft checkout to depend on (holds crates/wavecraft and template/) [default: the one this CLI was built from].
    #[arg(long)]
    pub sdk_path: Option<PathBuf>,
    /// Do not run `git init` in the new project.
    #[arg(long)]
    pub no_git: bool,
}

const BUNDLE_EXAMPLES: &str = "\
Examples:
  wavecraft bundle my-cool-plugin              # writes my-cool-plugin/target/bundled/<Display Name>.clap and .vst3
  wavecraft bundle --format vst3               # the project here, VST3 only
  wavecraft bundle --debug --install           # the project here, installed into ~/.clap and ~/.vst3";

/// Arguments of `wavecraft bundle`.
#[derive(Debug, Args)]
#[command(after_help = BUNDLE_EXAMPLES)]
pub struct BundleArgs {
    /// The Wavecraft project directory (holding engine/Cargo.toml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Build without optimisations (faster to build, slower to run).
    #[arg(long)]
    pub debug: bool,
    /// Copy each bundle into this platform's per-user folder for its format.
    #[arg(long)]
    pub install: bool,
    /// The plugin formats to write: clap, vst3 or all.
    #[arg(long, default_value = "all", value_name = "clap|vst3|all")]
    pub format: Formats,
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
    /// Set a parameter before rendering: id=value (plain units, with or without the unit: -6, "-6 dB", 1k; enum variant names and on/off work).
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

/// Where `start` serves the UI unless told otherwise (Vite's own default).
const DEFAULT_UI_PORT: u16 = 5173;

const START_EXAMPLES: &str = "\
Examples:
  wavecraft start                      # the project in this directory
  wavecraft start examples/example-plugin --port 9100 --ui-port 5200 --no-open";

/// Arguments of `wavecraft start`.
#[derive(Debug, Args)]
#[command(after_help = START_EXAMPLES)]
pub struct StartArgs {
    /// The Wavecraft project directory (holds engine/ and optionally ui/).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// WebSocket port on 127.0.0.1 (the UI connects here).
    #[arg(long, default_value_t = 9000)]
    pub port: u16,
    /// Port of the UI's dev server on 127.0.0.1.
    #[arg(long, default_value_t = DEFAULT_UI_PORT)]
    pub ui_port: u16,
    /// Do not open a browser.
    #[arg(long)]
    pub no_open: bool,
    /// Audio backend: auto (the default device, else a real-time virtual device), device, virtual or off.
    #[arg(long, value_enum, default_value_t = AudioArg::Auto)]
    pub audio: AudioArg,
    /// Output device name for the device backend [default: the system's default].
    #[arg(long)]
    pub device: Option<String>,
    /// A WAV file to loop through the DSP [default: a 440 Hz sine at -12 dBFS].
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Play the default input device (a microphone, an instrument) through the DSP instead of
    /// the test signal; needs the device backend. Mind feedback between a microphone and speakers.
    #[arg(long, conflicts_with = "input")]
    pub live_input: bool,
    /// Write the virtual device's output to this WAV file.
    #[arg(long)]
    pub record: Option<PathBuf>,
}

/// `--audio` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AudioArg {
    /// The default output device when there is one, else the virtual device.
    Auto,
    /// A real audio device (falls back to virtual, with a message, when none works).
    Device,
    /// A real-time paced virtual device (headless machines, CI).
    Virtual,
    /// No audio.
    Off,
}

fn audio_config(args: &StartArgs) -> Option<AudioConfig> {
    let backend = match args.audio {
        AudioArg::Off => return None,
        AudioArg::Auto => BackendChoice::Auto,
        AudioArg::Device => BackendChoice::Device,
        AudioArg::Virtual => BackendChoice::Virtual,
    };
    let mut config = AudioConfig {
        backend,
        device_name: args.device.clone(),
        record: args.record.clone(),
        live_input: args.live_input,
        ..AudioConfig::default()
    };
    if let Some(input) = &args.input {
        config.input = InputSource::Wav(input.clone());
    }
    Some(config)
}

/// Why a command failed, with what it was doing.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// `create` refused or failed.
    #[error(transparent)]
    Create(#[from] CreateError),
    /// Finding or building the engine failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// `start` failed.
    #[error(transparent)]
    Start(#[from] StartCommandError),
    /// Bundling failed.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// `--install` on a platform without known per-user plugin folders.
    #[error("no per-user plugin folder is known here (is HOME set?): copy the bundle by hand")]
    NoInstallDir,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Create(args) => {
            let created = run_create(args)?;
            print_next_steps(&created);
            Ok(())
        }
        Command::Render(args) => {
            let summary = run_render(args)?;
            eprintln!("{summary}");
            Ok(())
        }
        Command::Start(args) => Ok(start::start(StartOptions {
            audio: audio_config(&args),
            project: args.path,
            port: args.port,
            ui_port: args.ui_port,
            no_open: args.no_open,
        })?),
        Command::Bundle(args) => {
            let bundled = run_bundle(args)?;
            if let Update::Written(types) = &bundled.parameter_types {
                eprintln!("wrote {}", types.display());
            }
            for written in [&bundled.clap, &bundled.vst3].into_iter().flatten() {
                eprintln!("wrote {}", written.path.display());
            }
            match &bundled.ui {
                Some(ui) => eprintln!(
                    "  with the UI from ui/ inside ({} files, {:.0} KiB): hosts that support plugin windows show it",
                    ui.files,
                    ui.bytes as f64 / 1024.0
                ),
                None => eprintln!(
                    "  without a UI (the project has no ui/): hosts show their generic parameter list"
                ),
            }
            for written in [&bundled.clap, &bundled.vst3].into_iter().flatten() {
                if let Some(installed) = &written.installed {
                    eprintln!("installed {}", installed.display());
                }
            }
            if bundled.clap.is_some() {
                eprintln!("DAWs look for CLAP plugins in:");
                for path in bundle::clap_search_paths() {
                    eprintln!("  {}", path.display());
                }
            }
            if bundled.vst3.is_some() {
                eprintln!("DAWs look for VST3 plugins in:");
                for path in bundle::vst3_search_paths() {
                    eprintln!("  {}", path.display());
                }
            }
            Ok(())
        }
    }
}

/// Writes the project `args` describe.
pub fn run_create(args: CreateArgs) -> Result<Created, CliError> {
    Ok(create::create(&CreateOptions {
        name: args.name,
        vendor: Some(args.vendor),
        id: args.id,
        output: args.output,
        sdk_path: args.sdk_path,
        git_init: !args.no_git,
    })?)
}

fn print_next_steps(created: &Created) {
    let dir = created.dir.display();
    eprintln!(
        "created {} in {dir} (package {}, id {})",
        created.name.display, created.name.package, created.id
    );
    if let Some(note) = &created.git_note {
        eprintln!("  note: {note}");
    }
    eprintln!("next:");
    eprintln!(
        "  wavecraft start {dir}    # builds the engine, serves the UI on http://127.0.0.1:{DEFAULT_UI_PORT}"
    );
    eprintln!(
        "  edit {dir}/engine/src/lib.rs and save: the DSP is swapped and the UI updates in place"
    );
    eprintln!("  wavecraft bundle {dir}   # CLAP and VST3 plugins in {dir}/target/bundled/");
}

/// Builds the project named by `args.path` as the requested plugins (and installs them when asked).
pub fn run_bundle(args: BundleArgs) -> Result<Bundled, CliError> {
    let install = if args.install {
        Some(InstallDirs::user().ok_or(CliError::NoInstallDir)?)
    } else {
        None
    };
    let profile = if args.debug { "debug" } else { "release" };
    eprintln!(
        "bundling {} as {} ({profile} build)",
        args.path.display(),
        args.format
    );
    Ok(bundle::bundle(&BundleOptions {
        release: !args.debug,
        formats: args.format,
        install,
        ..BundleOptions::new(args.path)
    })?)
}

/// Builds or locates the engine named by `args.path`, then renders.
pub fn run_render(args: RenderArgs) -> Result<RenderSummary, CliError> {
    let input = match args.input {
        Some(path) => Input::File(path),
        None => Input::Signal(args.signal.unwrap_or_default()),
    };
    let mut options = RenderOptions {
        engine: PathBuf::new(),
        output: args.output,
        input,
        duration: args.duration,
        sample_rate: args.sample_rate,
        block_size: args.block_size,
        channels: args.channels,
        set: args.set,
    };
    // Bad arguments are reported before the engine is built.
    options.check()?;
    options.engine = engine_build::locate_engine(&args.path)?;
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
        let Command::Render(args) = cli.command else {
            panic!("not render");
        };
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

    #[test]
    fn start_takes_live_input_or_a_wav_but_not_both() {
        let cli = Cli::try_parse_from(["wavecraft", "start", "--live-input"]).unwrap();
        let Command::Start(args) = cli.command else {
            panic!("not start");
        };
        let config = audio_config(&args).expect("audio is on");
        assert!(config.live_input);
        assert_eq!(config.backend, BackendChoice::Auto);
        let err = Cli::try_parse_from(["wavecraft", "start", "--live-input", "--input", "a.wav"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn bundle_defaults_to_a_release_build_of_the_current_directory() {
        let cli = Cli::try_parse_from(["wavecraft", "bundle"]).unwrap();
        let Command::Bundle(args) = cli.command else {
            panic!("not bundle");
        };
        assert_eq!(args.path, PathBuf::from("."));
        assert!(!args.debug && !args.install);
        let cli =
            Cli::try_parse_from(["wavecraft", "bundle", "proj", "--debug", "--install"]).unwrap();
        let Command::Bundle(args) = cli.command else {
            panic!("not bundle");
        };
        assert!(args.debug && args.install);
        assert_eq!(args.format, Formats::ALL, "both formats by default");
    }

    #[test]
    fn bundle_takes_a_format_and_refuses_an_unknown_one() {
        for (given, expected) in [
            ("clap", Formats::CLAP),
            ("vst3", Formats::VST3),
            ("all", Formats::ALL),
        ] {
            let cli = Cli::try_parse_from(["wavecraft", "bundle", "--format", given]).unwrap();
            let Command::Bundle(args) = cli.command else {
                panic!("not bundle");
            };
            assert_eq!(args.format, expected);
        }
        let err = Cli::try_parse_from(["wavecraft", "bundle", "--format", "aax"]).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("unknown plugin format `aax`: expected clap, vst3 or all"),
            "{message}"
        );
    }
}
