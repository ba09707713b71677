//! The host side of the engine boundary: [`EngineLibrary`] loads a plugin's
//! engine cdylib (a private copy, checked against the C ABI of
//! `wavecraft-engine-abi`) and [`EngineInstance`] drives one instance of it;
//! [`spawn_engine_thread`] gives the threads that call into an engine enough
//! stack. The dev server, `wavecraft render`, the benches and the tests load
//! engines; a bundled plugin never does (its engine is linked in), which is
//! why this is not part of the bridge a plugin window links.
//!
//! [`report_fatal_signals`] gives a process that runs an engine in-process
//! (`wavecraft render`) a clear last word when the engine crashes it.
//!
//! Every `unsafe` block of the host side lives in `engine_loader.rs` (the
//! engine's C ABI) and `fatal_signal.rs` (signal handlers), each with a
//! `// SAFETY:` comment.

mod engine_loader;
mod engine_thread;
#[cfg(unix)]
mod fatal_signal;

pub use engine_loader::{EngineFault, EngineInstance, EngineLibrary, LoadError, COPIES_DIR};
pub use engine_thread::{spawn_engine_thread, ENGINE_STACK_BYTES};
#[cfg(unix)]
pub use fatal_signal::report_fatal_signals;
