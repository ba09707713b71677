//! Threads sized for an author's engine code. Outside `process`, an engine
//! runs code the author never sees: the derived `Default` of the parameter
//! struct and the parameter table, one huge function each in a debug build.
//! With 1,000 parameters they need about 2.5 MiB of stack (measured: a 2 MiB
//! thread overflows, 3 MiB is enough), more than the 2 MiB of a tokio or
//! plain Rust thread — and a stack overflow aborts the whole process. Every
//! call into an engine (load, instantiate, prepare, values, reset, process,
//! drop) is made on a thread spawned here, or on the audio device's own
//! callback thread for `process`.
//!
//! [`ENGINE_STACK_BYTES`] is 64 MiB: the ~2.5 KiB per parameter of a debug
//! build times `#[derive(Params)]`'s limit of 10,000 parameters, with more
//! than twice that to spare. The stack is reserved, not committed: a thread
//! uses only the pages it touches.

use std::thread::JoinHandle;

/// Stack of every thread that calls into an engine (see the module docs for the figure).
pub const ENGINE_STACK_BYTES: usize = 64 << 20;

/// Spawns a thread named `name` with [`ENGINE_STACK_BYTES`] of stack running `f`.
pub fn spawn_engine_thread<F, T>(name: &str, f: F) -> std::io::Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(ENGINE_STACK_BYTES)
        .spawn(f)
}
