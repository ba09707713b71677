//! The status the dev server publishes besides parameters: the loaded
//! engine, the build loop's state and the audio runtime's state. Writers are
//! the build pipeline and the audio runtime; readers are IPC requests, so a
//! client that connects late sees what the others saw.

use std::sync::{PoisonError, RwLock};

use wavecraft_protocol::{AudioStatus, BuildStatus, EngineInfo};

/// Shared, thread-safe status of one dev session. Starts with no engine, no build and no audio.
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
