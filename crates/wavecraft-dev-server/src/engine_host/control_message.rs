//! The control channel between the dev server and its engine host: one JSON
//! object per line over a Unix socket, in both directions. The dev server
//! asks ([`Request`]) and the host answers each request with one [`Reply`];
//! the host also pushes its audio status whenever it changes. Nothing
//! real-time goes this way (values, meters and the heartbeat are in the
//! shared mapping).

use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use wavecraft_engine_abi::EngineMetadata;
use wavecraft_protocol::AudioStatus;

/// What the dev server asks of the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "camelCase")]
pub enum Request {
    /// Load this built library (the host copies it to a fresh path in its launch's `copies`
    /// directory) and read its metadata.
    /// Answered by `Loaded` or `Failed`.
    Load {
        /// The library file.
        library: PathBuf,
    },
    /// Instantiate and prepare the loaded library with these values (parameter `i` of its
    /// metadata). Answered by `Prepared` (then the dev server sends `Install`) or `Failed`.
    Start {
        /// Initial plain values.
        initial: Vec<f64>,
    },
    /// The value slots the started engine reads from, parameter `i` at `slots[i]`.
    /// Answered by `Started` or `Failed`.
    Install {
        /// Slot of each parameter.
        slots: Vec<u32>,
    },
}

/// The host's answer to one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "camelCase")]
pub enum Reply {
    /// The library loaded.
    Loaded {
        /// What it says about itself.
        metadata: EngineMetadata,
        /// The private copy the host loaded (in the dev server's directory for the host).
        copy: PathBuf,
        /// What the loader noted without refusing it.
        note: Option<String>,
    },
    /// The engine is instantiated, prepared and has its values; send `Install`.
    Prepared,
    /// The engine was handed to the audio thread.
    Started,
    /// The request failed; the host keeps running what it ran.
    Failed {
        /// Why.
        message: String,
    },
}

/// One line from the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum HostMessage {
    /// The answer to the oldest unanswered request.
    Reply {
        /// The answer.
        reply: Reply,
    },
    /// The host's audio status changed (the first one says its audio runtime started).
    Status {
        /// The new status.
        status: AudioStatus,
    },
    /// The host cannot run (its audio runtime did not start) and exits.
    Fatal {
        /// Why.
        message: String,
    },
}

/// Writes `message` as one line.
pub fn write_line<T: Serialize>(out: &mut impl Write, message: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

/// Reads one line as a `T`; `Ok(None)` at the end of the stream.
pub fn read_line<T: for<'de> Deserialize<'de>>(
    input: &mut impl BufRead,
) -> std::io::Result<Option<T>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    serde_json::from_str(&line)
        .map(Some)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
