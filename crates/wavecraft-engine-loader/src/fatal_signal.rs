//! A last word before an engine takes the process down. For a one-shot
//! command that runs an engine in its own process (`wavecraft render`), a
//! segfault, an abort or a stack overflow in the author's code cannot be
//! survived, but it must not be silent: [`report_fatal_signals`] installs a
//! handler for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT that writes one
//! message to stderr (once), puts the previous handler back and returns, so
//! the signal takes its usual course: Rust's own stack-overflow report, then
//! death by the signal, exit status and core dump as before. The handler only
//! does async-signal-safe things: an atomic swap, `write(2)`, `sigaction(2)`.
//! The dev server needs none of this: its engines run in a separate process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The signals an engine's crash arrives as.
const FATAL: [libc::c_int; 5] = [
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
    libc::SIGABRT,
];

/// What the handler writes, and the handlers it replaced (in `FATAL` order).
struct Installed {
    message: Box<[u8]>,
    previous: [libc::sigaction; FATAL.len()],
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_fatal_signal(signal: libc::c_int) {
    let Some(installed) = INSTALLED.get() else {
        return;
    };
    if !REPORTED.swap(true, Ordering::AcqRel) {
        // SAFETY: `write` is async-signal-safe; the buffer is a live `'static` allocation
        // (set before the handler was installed, never freed) of the given length.
        unsafe {
            libc::write(
                libc::STDERR_FILENO,
                installed.message.as_ptr().cast(),
                installed.message.len(),
            );
        }
    }
    if let Some(i) = FATAL.iter().position(|&s| s == signal) {
        // SAFETY: `sigaction` is async-signal-safe; `previous[i]` is the action the kernel
        // gave back for this very signal when ours was installed.
        unsafe {
            libc::sigaction(signal, &installed.previous[i], std::ptr::null_mut());
        }
    }
}

/// Makes a crash of this process write `message` (one line is added) to stderr before it
/// dies as it would have. Only the first call installs anything.
pub fn report_fatal_signals(message: &str) -> std::io::Result<()> {
    let mut text = message.as_bytes().to_vec();
    text.push(b'\n');
    // SAFETY: an all-zero `sigaction` is a valid value (no handler, empty mask, no flags);
    // each is overwritten by the kernel below before it is used.
    let mut previous: [libc::sigaction; FATAL.len()] = unsafe { std::mem::zeroed() };
    let mut ours: libc::sigaction = previous[0];
    ours.sa_sigaction = on_fatal_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // The alternate stack Rust gives each thread, so a stack overflow still gets its word.
    ours.sa_flags = libc::SA_ONSTACK;
    for (i, &signal) in FATAL.iter().enumerate() {
        // SAFETY: reads the current action into a valid `sigaction` without changing it.
        if unsafe { libc::sigaction(signal, std::ptr::null(), &mut previous[i]) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    if INSTALLED
        .set(Installed {
            message: text.into_boxed_slice(),
            previous,
        })
        .is_err()
    {
        return Ok(());
    }
    for &signal in &FATAL {
        // SAFETY: installs a handler that only makes async-signal-safe calls (see above);
        // `INSTALLED` is set, so the handler finds its message and the previous actions.
        if unsafe { libc::sigaction(signal, &ours, std::ptr::null_mut()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}
