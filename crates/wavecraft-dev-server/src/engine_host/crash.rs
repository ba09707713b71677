//! Turning how the engine host process ended into words for the terminal and
//! the browser: the signal (with what it usually means for an author's DSP),
//! or a kill we made ourselves because it hung.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use nix::sys::signal::Signal;

/// What ended the host, before the session adds which engine it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostExit {
    /// In words.
    pub cause: String,
    /// The signal's name, when a signal ended it.
    pub signal: Option<String>,
    /// What the host's control side was doing (see `Stage::describe`).
    pub stage: String,
    /// The last line the host wrote to stderr (Rust's own "has overflowed its stack",
    /// "memory allocation of … failed"), when there was one.
    pub last_output: Option<String>,
}

fn meaning(signal: Signal) -> &'static str {
    match signal {
        Signal::SIGSEGV => "invalid memory access",
        Signal::SIGBUS => "bad memory access",
        Signal::SIGABRT => "aborted: abort(), a failed allocation or a stack overflow",
        Signal::SIGILL => "illegal instruction",
        Signal::SIGFPE => "arithmetic fault",
        Signal::SIGKILL => "killed",
        _ => "terminated",
    }
}

/// Describes `status`; `killed_because` is why we killed it ourselves, when we did.
pub fn describe(status: ExitStatus, killed_because: Option<String>) -> (String, Option<String>) {
    let signal = status.signal().and_then(|s| Signal::try_from(s).ok());
    let name = signal.map(|s| s.as_str().to_owned());
    let cause = match (killed_because, signal) {
        (Some(why), _) => why,
        (None, Some(s)) => format!("died of {} ({})", s.as_str(), meaning(s)),
        (None, None) => match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "ended".to_owned(),
        },
    };
    (cause, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segfault_is_named_with_its_meaning_and_a_kill_of_ours_says_why() {
        let segv = ExitStatus::from_raw(libc_signal(Signal::SIGSEGV));
        let (cause, signal) = describe(segv, None);
        assert_eq!(signal.as_deref(), Some("SIGSEGV"));
        assert!(cause.contains("invalid memory access"), "{cause}");
        let killed = ExitStatus::from_raw(libc_signal(Signal::SIGKILL));
        let (cause, signal) = describe(killed, Some("hung".into()));
        assert_eq!(
            (cause.as_str(), signal.as_deref()),
            ("hung", Some("SIGKILL"))
        );
        let (cause, signal) = describe(ExitStatus::from_raw(3 << 8), None);
        assert_eq!(signal, None);
        assert!(cause.contains("status 3"), "{cause}");
    }

    /// The raw wait status of a process ended by `signal`.
    fn libc_signal(signal: Signal) -> i32 {
        signal as i32
    }
}
