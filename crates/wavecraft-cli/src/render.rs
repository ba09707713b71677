//! Offline rendering: an engine library processes a WAV file or a generated
//! signal block by block, and the result is written as a 32-bit float WAV.
//!
//! The engine sees exactly what a host would give it: blocks of at most
//! `block_size` frames (the last may be shorter), through per-channel
//! scratch buffers allocated once before the loop. Nothing here resamples
//! or remixes beyond duplicating a mono input; a mismatch is an error that
//! says what to change.

use std::fmt;
use std::path::{Path, PathBuf};

use wavecraft_engine_abi::MAX_CHANNELS;
use wavecraft_engine_loader::{spawn_engine_thread, EngineFault, EngineLibrary, LoadError};

use crate::audio_file::{self, Audio, AudioFileError};
use crate::params::{Assignment, ParamError};
use crate::signal::Signal;

/// Sample rate of generated signals when none is given.
pub const DEFAULT_SAMPLE_RATE: u32 = 48_000;
/// Seconds of generated signal when no duration is given.
pub const DEFAULT_DURATION: f64 = 2.0;
/// Frames per `process` call when none is given.
pub const DEFAULT_BLOCK_SIZE: u32 = 512;
/// Channels of generated signals when none is given.
pub const DEFAULT_CHANNELS: u16 = 2;

/// What to feed the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A WAV file.
    File(PathBuf),
    /// A generated signal.
    Signal(Signal),
}

/// Everything one render needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// The built engine library.
    pub engine: PathBuf,
    /// Where the 32-bit float WAV goes.
    pub output: PathBuf,
    /// What to process.
    pub input: Input,
    /// Seconds to render: a file is cut or padded with silence; a signal lasts this long.
    pub duration: Option<f64>,
    /// Sample rate: a generated signal's, or the one a file must have.
    pub sample_rate: Option<u32>,
    /// Largest block handed to `process`.
    pub block_size: u32,
    /// Channels to render; `None` means the file's, or [`DEFAULT_CHANNELS`] for a signal.
    pub channels: Option<u16>,
    /// Parameter values applied before the first block.
    pub set: Vec<Assignment>,
}

impl RenderOptions {
    /// Refuses options that cannot render, without touching the engine: callers that build
    /// the engine first check here so a typo is reported before a compile.
    pub fn check(&self) -> Result<(), RenderError> {
        if self.block_size == 0 {
            return Err(RenderError::BlockSize);
        }
        if self.sample_rate == Some(0) {
            return Err(RenderError::SampleRate);
        }
        if let Some(d) = self.duration {
            if !(d.is_finite() && d > 0.0) {
                return Err(RenderError::Duration(d));
            }
        }
        if let Some(c) = self.channels {
            check_channels(usize::from(c))?;
        }
        if let Input::File(path) = &self.input {
            if !path.is_file() {
                return Err(AudioFileError::Missing(path.clone()).into());
            }
        }
        Ok(())
    }

    /// Options that render the default signal through `engine` into `output`.
    pub fn new(engine: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Self {
        RenderOptions {
            engine: engine.into(),
            output: output.into(),
            input: Input::Signal(Signal::default()),
            duration: None,
            sample_rate: None,
            block_size: DEFAULT_BLOCK_SIZE,
            channels: None,
            set: Vec::new(),
        }
    }
}

/// What a finished render produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderSummary {
    /// The file written.
    pub output: PathBuf,
    /// Frames per channel.
    pub frames: usize,
    /// Channels written.
    pub channels: usize,
    /// Frames per second.
    pub sample_rate: u32,
    /// Largest absolute sample of the output, in dBFS (−∞ for silence).
    pub peak_dbfs: f64,
    /// What the loader noted about the engine without refusing it (another rustc built it).
    pub note: Option<String>,
}

impl fmt::Display for RenderSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.frames as f64 / f64::from(self.sample_rate);
        write!(
            f,
            "rendered {} frames ({seconds:.3} s, {} ch at {} Hz) to {}; peak ",
            self.frames,
            self.channels,
            self.sample_rate,
            self.output.display()
        )?;
        if self.peak_dbfs.is_finite() {
            write!(f, "{:.2} dBFS", self.peak_dbfs)?;
        } else {
            f.write_str("-inf dBFS (silence)")?;
        }
        match &self.note {
            Some(note) => write!(f, "\nnote: {note}"),
            None => Ok(()),
        }
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The block size is zero.
    #[error("--block-size must be at least 1")]
    BlockSize,
    /// Too few or too many channels.
    #[error("--channels {0} is not supported: use 1 to {MAX_CHANNELS}")]
    Channels(usize),
    /// The sample rate is zero.
    #[error("--sample-rate must be at least 1 Hz")]
    SampleRate,
    /// The duration is not a positive number of seconds.
    #[error("--duration {0} is not a positive number of seconds")]
    Duration(f64),
    /// The file's rate differs from `--sample-rate`.
    #[error("{path} is at {file} Hz but --sample-rate {requested} was given: render does not resample; drop --sample-rate or resample the file first")]
    SampleRateMismatch {
        /// The input file.
        path: PathBuf,
        /// Its rate.
        file: u32,
        /// The rate asked for.
        requested: u32,
    },
    /// The file's channel count cannot become the one asked for.
    #[error("{path} has {file} channels but --channels {requested} was given: only mono input can be spread to more channels; drop --channels or pass a matching file")]
    ChannelMismatch {
        /// The input file.
        path: PathBuf,
        /// Its channels.
        file: usize,
        /// The channels asked for.
        requested: usize,
    },
    /// Reading the input or writing the output failed.
    #[error(transparent)]
    AudioFile(#[from] AudioFileError),
    /// The engine could not be loaded or prepared.
    #[error("could not load the engine: {0}")]
    Load(#[from] LoadError),
    /// A `--set` was refused.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The engine refused a value the parameter's rules allowed.
    #[error("the engine refused --set {id}: {message}")]
    SetRefused {
        /// The parameter id.
        id: String,
        /// The engine's reason.
        message: String,
    },
    /// The engine panicked in `process`.
    #[error("the engine panicked while processing frame {frame}: {message}")]
    Panicked {
        /// First frame of the failing block.
        frame: usize,
        /// The panic message.
        message: String,
    },
    /// The thread that runs the engine could not start.
    #[error("could not start the thread that runs the engine: {0}")]
    Thread(std::io::Error),
    /// The engine refused a `process` call.
    #[error("the engine refused to process frame {frame}: {message}")]
    ProcessRefused {
        /// First frame of the failing block.
        frame: usize,
        /// The engine's reason.
        message: String,
    },
}

/// Renders `options.input` through the engine into `options.output`. The engine's code runs
/// on an engine thread (`wavecraft_engine_loader::spawn_engine_thread`), whose stack is sized for a
/// plugin with many parameters; this thread waits for it.
pub fn render(options: &RenderOptions) -> Result<RenderSummary, RenderError> {
    options.check()?;
    // The engine runs in this process: a crash in its code cannot be survived, but is said.
    let _ = wavecraft_engine_loader::report_fatal_signals(&format!(
        "wavecraft render: the engine {} crashed (a segfault, abort or stack overflow in its \
         code); {} is incomplete. `wavecraft start` runs it in a separate process, which \
         survives this and says more.",
        options.engine.display(),
        options.output.display()
    ));
    let options = options.clone();
    spawn_engine_thread("wavecraft-render", move || render_on_this_thread(&options))
        .map_err(RenderError::Thread)?
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn render_on_this_thread(options: &RenderOptions) -> Result<RenderSummary, RenderError> {
    // Load before reading the input, so a bad engine is reported before a slow read.
    let library = EngineLibrary::load(&options.engine)?;
    let mut audio = input_audio(options)?;
    let channels = audio.channels.len();
    check_channels(channels)?;
    let mut instance = library.instantiate(
        f64::from(audio.sample_rate),
        options.block_size,
        channels as u32,
    )?;
    for assignment in &options.set {
        let (index, value) = assignment.resolve(&library.metadata().parameters)?;
        instance
            .set_value(index, value)
            .map_err(|_| RenderError::SetRefused {
                id: assignment.id.clone(),
                message: instance.last_error(),
            })?;
    }

    let block = options.block_size as usize;
    let mut scratch = vec![vec![0.0f32; block]; channels];
    let frames = audio.frames();
    let mut start = 0;
    while start < frames {
        let len = block.min(frames - start);
        // A stack array of views into the scratch buffers: no allocation per block.
        let mut views: [&mut [f32]; MAX_CHANNELS] = Default::default();
        for ((view, buffer), source) in views.iter_mut().zip(&mut scratch).zip(&audio.channels) {
            buffer[..len].copy_from_slice(&source[start..start + len]);
            *view = &mut buffer[..len];
        }
        let result = instance.process(&mut views[..channels]);
        if let Err(fault) = result {
            let message = instance.last_error();
            return Err(match fault {
                EngineFault::Panicked => RenderError::Panicked {
                    frame: start,
                    message,
                },
                EngineFault::InvalidArgument => RenderError::ProcessRefused {
                    frame: start,
                    message,
                },
            });
        }
        for (view, target) in views.iter().zip(&mut audio.channels) {
            target[start..start + len].copy_from_slice(view);
        }
        start += len;
    }

    audio_file::write_wav(&options.output, &audio)?;
    let peak = audio
        .channels
        .iter()
        .flatten()
        .fold(0.0f32, |m, s| m.max(s.abs()));
    Ok(RenderSummary {
        output: options.output.clone(),
        frames,
        channels,
        sample_rate: audio.sample_rate,
        peak_dbfs: 20.0 * f64::from(peak).log10(),
        note: library.note().map(str::to_owned),
    })
}

fn check_channels(channels: usize) -> Result<(), RenderError> {
    if (1..=MAX_CHANNELS).contains(&channels) {
        Ok(())
    } else {
        Err(RenderError::Channels(channels))
    }
}

/// The audio to process: the file (checked, spread, cut or padded) or the generated signal.
fn input_audio(options: &RenderOptions) -> Result<Audio, RenderError> {
    match &options.input {
        Input::Signal(signal) => {
            let sample_rate = options.sample_rate.unwrap_or(DEFAULT_SAMPLE_RATE);
            let seconds = options.duration.unwrap_or(DEFAULT_DURATION);
            let frames = (seconds * f64::from(sample_rate)).round() as usize;
            let channels = usize::from(options.channels.unwrap_or(DEFAULT_CHANNELS));
            Ok(Audio {
                sample_rate,
                channels: signal.generate(frames, channels, sample_rate),
            })
        }
        Input::File(path) => {
            let mut audio = audio_file::read_wav(path)?;
            if let Some(requested) = options.sample_rate {
                if requested != audio.sample_rate {
                    return Err(RenderError::SampleRateMismatch {
                        path: path.clone(),
                        file: audio.sample_rate,
                        requested,
                    });
                }
            }
            spread_channels(&mut audio, path, options.channels)?;
            if let Some(seconds) = options.duration {
                let frames = (seconds * f64::from(audio.sample_rate)).round() as usize;
                for channel in &mut audio.channels {
                    channel.resize(frames, 0.0);
                }
            }
            Ok(audio)
        }
    }
}

fn spread_channels(
    audio: &mut Audio,
    path: &Path,
    requested: Option<u16>,
) -> Result<(), RenderError> {
    let Some(requested) = requested.map(usize::from) else {
        return Ok(());
    };
    let file = audio.channels.len();
    if file == requested {
        return Ok(());
    }
    if file != 1 {
        return Err(RenderError::ChannelMismatch {
            path: path.to_path_buf(),
            file,
            requested,
        });
    }
    let mono = audio.channels[0].clone();
    audio.channels.resize(requested, mono);
    Ok(())
}
