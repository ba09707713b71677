//! The status an [`IpcHandler`](crate::IpcHandler) answers besides
//! parameters (`getEngineInfo`, `getBuildStatus`, `getAudioStatus`): the
//! loaded engine, the build loop's state and the audio's state. It lives
//! beside the handler because every handler needs one, in dev mode and in the
//! coming plugin window alike. Writers are whoever runs the engine (today the
//! dev server's build pipeline and audio runtime; in a plugin window, the
//! plugin, whose build status stays idle); readers are IPC requests, so a
//! client that connects late sees what the others saw.

use std::sync::{PoisonError, RwLock};

use wavecraft_protocol::{AudioStatus, BuildStatus, EngineInfo};

/// Shared, thread-safe status of one session (dev mode or a plugin window). Starts with no engine, no build and no audio.
#[derive(Debug, Default)]
pub struct StatusBoard {
    engine: RwLock<Option<EngineInfo>>,
    build: RwLock<BuildStatus>,
    audio: RwLock<AudioStatus>,
}

impl StatusBoard {
    /// A board with nothing loaded, no build run and audio off.
    pub fn new() -> Self {
        Self::default()
    }

    /// The loaded engine, if any.
    pub fn engine(&self) -> Option<EngineInfo> {
        self.engine
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records the engine now loaded.
    pub fn set_engine(&self, engine: Option<EngineInfo>) {
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
    }

    /// The build loop's state.
    pub fn build(&self) -> BuildStatus {
        self.build
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records the build loop's state.
    pub fn set_build(&self, build: BuildStatus) {
        *self.build.write().unwrap_or_else(PoisonError::into_inner) = build;
    }

    /// The audio runtime's state.
    pub fn audio(&self) -> AudioStatus {
        self.audio
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records the audio runtime's state.
    pub fn set_audio(&self, audio: AudioStatus) {
        *self.audio.write().unwrap_or_else(PoisonError::into_inner) = audio;
    }
}
