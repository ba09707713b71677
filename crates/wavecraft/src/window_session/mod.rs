//! The plugin window of one instance, whatever the plugin format: the
//! webview ([`crate::plugin_window`]), the `IpcHandler` over the instance's
//! parameters that answers its page, what the page is pushed (host-side value
//! changes at most 60 times a second, meters at most 30) and the toolkit's
//! wake descriptors. A format's GUI glue (`clap::gui`, `vst3::view`) only
//! translates its host's calls into a [`Session`]'s and implements
//! [`WindowHost`]: how an edit made in the page reaches the host and the DSP,
//! how descriptors are registered, where a probed page's messages are logged.
//! Everything here runs on the host's main thread and never on the audio
//! thread.

mod params;
mod session;
mod size;
mod wake_fds;

pub use params::{WindowParams, WindowValues};
#[cfg(feature = "clap")]
pub use session::SessionError;
pub use session::{daw_audio_started, daw_audio_stopped, Session};
pub use size::Physical;
pub use wake_fds::{FdRegistry, Interest};

use crate::instance::shared_params::UiEdit;

/// What a plugin format gives its window on the host's main thread.
pub trait WindowHost {
    /// Tells the host about one edit a person made in the page, in the order made.
    fn edit(&self, edit: UiEdit);
    /// Where wake descriptors are registered (`None`: the host's timer alone wakes the window).
    fn fds(&self) -> Option<&dyn FdRegistry>;
    /// Logs a message of a probed page (see `plugin_window`), where a test host reads it.
    fn log_probe(&self, message: &str);
}
