//! The state the dev server reports besides parameters: which engine is
//! loaded, how the last build went (with cargo's diagnostics), how the
//! audio runs, and the meter frames pushed to the UI.

use serde::{Deserialize, Serialize};

#[cfg(feature = "typescript")]
use ts_rs::TS;

/// The loaded engine, from the plugin author's own crate metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct EngineInfo {
    /// Plugin name.
    pub name: String,
    /// Plugin vendor.
    pub vendor: String,
    /// Plugin version.
    pub version: String,
    /// Stable unique plugin id (reverse-DNS style).
    pub plugin_id: String,
    /// The Wavecraft SDK version the engine was built with.
    pub sdk_version: String,
}

/// Where the build loop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum BuildState {
    /// No build has run yet.
    Idle,
    /// A build is running.
    Building,
    /// The last build succeeded and its engine is running.
    Succeeded,
    /// The last build failed; the previous engine keeps running.
    Failed,
}

/// How serious a diagnostic is (cargo's levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum DiagnosticLevel {
    /// Stops the build.
    Error,
    /// Worth reading; does not stop the build.
    Warning,
    /// Extra context.
    Note,
    /// A suggestion.
    Help,
}

/// One compiler message, parsed from cargo's JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// How serious it is.
    pub level: DiagnosticLevel,
    /// The one-line message.
    pub message: String,
    /// Source file of the primary span, relative to the project where possible.
    pub file: Option<String>,
    /// 1-based line of the primary span.
    pub line: Option<u32>,
    /// 1-based column of the primary span.
    pub column: Option<u32>,
    /// The message as cargo renders it in a terminal (without colour codes).
    pub rendered: Option<String>,
}

/// What `getBuildStatus` answers, so a client that joins late sees the same as the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct BuildStatus {
    /// Where the build loop is.
    pub state: BuildState,
    /// Files whose change started the current or last build.
    pub files: Vec<String>,
    /// Duration of the last finished build.
    pub duration_ms: Option<u32>,
    /// Diagnostics of the last finished build.
    pub diagnostics: Vec<Diagnostic>,
}

impl Default for BuildStatus {
    fn default() -> Self {
        BuildStatus {
            state: BuildState::Idle,
            files: Vec::new(),
            duration_ms: None,
            diagnostics: Vec::new(),
        }
    }
}

/// Which audio backend runs the DSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum AudioBackend {
    /// A real audio device.
    Device,
    /// A real-time paced virtual device (headless machines).
    Virtual,
    /// No audio.
    Off,
}

/// Whether the audio runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub enum AudioState {
    /// Processing audio.
    Running,
    /// Not processing.
    Stopped,
    /// Stopped by a fault (a panic in the DSP, a lost device); see `message`.
    Faulted,
}

/// What `getAudioStatus` and `audioStatusChanged` carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct AudioStatus {
    /// Which backend.
    pub backend: AudioBackend,
    /// Whether it runs.
    pub state: AudioState,
    /// Sample rate in Hz, when running.
    pub sample_rate: Option<u32>,
    /// Block size in frames, when running.
    pub block_size: Option<u32>,
    /// The device's name, for the device backend.
    pub device_name: Option<String>,
    /// A diagnostic for the user (why audio is off, what faulted).
    pub message: Option<String>,
    /// The last crash of the engine host process, while it is being recovered from or
    /// until the next engine swaps in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub crash: Option<EngineCrash>,
}

/// How the engine host process (where the author's code runs) ended, and what came next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct EngineCrash {
    /// What happened, e.g. "died of SIGSEGV (invalid memory access)", or "hung: the audio
    /// thread finished no block for 2000 ms …" when the dev server killed it.
    pub cause: String,
    /// The signal's name, when a signal ended it.
    pub signal: Option<String>,
    /// What the host was doing: "loading the library", "starting the engine (Default,
    /// prepare, values)" or "processing audio".
    pub stage: String,
    /// The engine that was running or being loaded (name and version), when known.
    pub engine: Option<String>,
    /// The dev session's build number of that engine (1 = the first build).
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub build: Option<u64>,
    /// What runs now, e.g. "restarted with build 2" or "restarted with no engine".
    pub recovery: String,
    /// The last line the host wrote to stderr before it ended (Rust's "has overflowed its
    /// stack" or "memory allocation of … failed"), when there was one.
    pub last_output: Option<String>,
}

impl Default for AudioStatus {
    fn default() -> Self {
        AudioStatus {
            backend: AudioBackend::Off,
            state: AudioState::Stopped,
            sample_rate: None,
            block_size: None,
            device_name: None,
            message: None,
            crash: None,
        }
    }
}

/// Levels of one channel over the last meter period, as linear amplitude (1.0 = 0 dBFS).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelMeter {
    /// Largest absolute sample.
    pub peak: f32,
    /// Root mean square.
    pub rms: f32,
}

/// A meter frame, pushed about 30 times a second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct MeterUpdate {
    /// One entry per output channel.
    pub channels: Vec<ChannelMeter>,
}
