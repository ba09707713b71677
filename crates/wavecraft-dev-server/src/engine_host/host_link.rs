//! The dev server's side of one engine host process: spawning it (own
//! process group, so the terminal's Ctrl-C reaches only the dev server, which
//! then stops it), accepting its control connection, routing what it sends
//! (replies to the one waiting request, status to a callback, its stderr to
//! ours while remembering the last line), and asking it things with a deadline.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use wavecraft_protocol::AudioStatus;

use super::control_message::{read_line, write_line, HostMessage, Reply, Request};
use super::host_process::HostLaunch;

/// How long a new host has to connect, and then to start its audio runtime (which reads and
/// may resample an input WAV), before it counts as failed to start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// See [`CONNECT_TIMEOUT`].
const AUDIO_START_TIMEOUT: Duration = Duration::from_secs(60);

/// How to start the host program: `program args… <launch JSON>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCommand {
    /// The executable.
    pub program: PathBuf,
    /// Arguments before the launch JSON (e.g. a hidden subcommand).
    pub args: Vec<String>,
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The host closed the connection (it died, or is dying).
    #[error("the engine host died")]
    Died,
    /// No answer within the deadline.
    #[error("the engine host did not answer within {0:?}")]
    TimedOut(Duration),
    /// Writing the request failed.
    #[error("could not write to the engine host: {0}")]
    Write(String),
}

/// The last lines the host wrote to stderr, backtraces left out (they follow the line that
/// says what happened).
#[derive(Debug, Default)]
pub struct LastWords(Mutex<VecDeque<String>>);

/// A line of a Rust backtrace (its header, frames, locations, or the note after it).
fn backtrace_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("stack backtrace:")
        || t.starts_with("note: Some details are omitted")
        || t.starts_with("note: run with `RUST_BACKTRACE")
        || t.starts_with("at ")
        || t.split_once(':')
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl LastWords {
    fn push(&self, line: String) {
        if backtrace_line(&line) {
            return;
        }
        let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if lines.len() == 8 {
            lines.pop_front();
        }
        lines.push_back(line);
    }

    /// The last non-empty line, if any.
    pub fn last(&self) -> Option<String> {
        let lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        lines.iter().rev().find(|l| !l.trim().is_empty()).cloned()
    }
}

/// The request side of a running host.
#[derive(Debug)]
pub struct HostLink {
    writer: UnixStream,
    replies: mpsc::Receiver<Reply>,
}

/// A spawned host: its process (reaped by the supervisor) and its request side.
pub struct SpawnedHost {
    /// The process.
    pub child: Child,
    /// Where requests go.
    pub link: HostLink,
    /// Its stderr's last lines.
    pub last_words: Arc<LastWords>,
}

/// Spawns a host and waits for it to connect. `on_status` gets every status it pushes.
pub fn spawn_host(
    command: &HostCommand,
    launch: &HostLaunch,
    on_status: impl Fn(AudioStatus) + Send + 'static,
) -> Result<SpawnedHost, String> {
    let socket = &launch.control;
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket)
        .map_err(|e| format!("control socket {}: {e}", socket.display()))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let launch_json = serde_json::to_string(launch).map_err(|e| e.to_string())?;
    let mut child = Command::new(&command.program)
        .args(&command.args)
        .arg(launch_json)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| {
            format!(
                "could not start the engine host {}: {e}",
                command.program.display()
            )
        })?;
    let last_words = Arc::new(LastWords::default());
    if let Some(stderr) = child.stderr.take() {
        let words = Arc::clone(&last_words);
        let _ = std::thread::Builder::new()
            .name("wavecraft-host-stderr".into())
            .spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    words.push(line);
                }
            });
    }
    let stream = match accept(&listener, &mut child, socket) {
        Ok(stream) => stream,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    if let Err(e) = first_status(&mut reader, &on_status) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    let (replies_tx, replies) = mpsc::channel();
    std::thread::Builder::new()
        .name("wavecraft-host-reader".into())
        .spawn(move || route(reader, &replies_tx, &on_status))
        .map_err(|e| e.to_string())?;
    Ok(SpawnedHost {
        child,
        link: HostLink {
            writer: stream,
            replies,
        },
        last_words,
    })
}

fn accept(listener: &UnixListener, child: &mut Child, socket: &Path) -> Result<UnixStream, String> {
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = std::fs::remove_file(socket);
                stream.set_nonblocking(false).map_err(|e| e.to_string())?;
                return Ok(stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(format!("engine host control socket: {e}")),
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "the engine host exited before connecting ({status})"
            ));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the engine host did not connect within {CONNECT_TIMEOUT:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Waits for the host's first message: its first status, or why it cannot run.
fn first_status(
    reader: &mut BufReader<UnixStream>,
    on_status: &impl Fn(AudioStatus),
) -> Result<(), String> {
    let stream = reader.get_ref();
    stream
        .set_read_timeout(Some(AUDIO_START_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let first = read_line::<HostMessage>(reader);
    reader
        .get_ref()
        .set_read_timeout(None)
        .map_err(|e| e.to_string())?;
    match first {
        Ok(Some(HostMessage::Status { status })) => {
            on_status(status);
            Ok(())
        }
        Ok(Some(HostMessage::Fatal { message })) => Err(message),
        Ok(Some(HostMessage::Reply { reply })) => Err(format!(
            "the engine host answered {reply:?} before any request"
        )),
        Ok(None) => Err("the engine host exited while starting its audio".into()),
        Err(e) => Err(format!("the engine host did not start its audio: {e}")),
    }
}

fn route(
    mut reader: BufReader<UnixStream>,
    replies: &mpsc::Sender<Reply>,
    on_status: &impl Fn(AudioStatus),
) {
    while let Ok(Some(message)) = read_line::<HostMessage>(&mut reader) {
        match message {
            HostMessage::Reply { reply } => {
                if replies.send(reply).is_err() {
                    return;
                }
            }
            HostMessage::Status { status } => on_status(status),
            HostMessage::Fatal { .. } => return,
        }
    }
}

impl HostLink {
    /// Sends `request` without waiting.
    pub fn send(&mut self, request: &Request) -> Result<(), LinkError> {
        write_line(&mut self.writer, request).map_err(|e| LinkError::Write(e.to_string()))
    }

    /// Waits up to `timeout` for the next reply.
    pub fn reply(&mut self, timeout: Duration) -> Result<Reply, LinkError> {
        self.replies.recv_timeout(timeout).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => LinkError::TimedOut(timeout),
            mpsc::RecvTimeoutError::Disconnected => LinkError::Died,
        })
    }

    /// Sends `request` and waits up to `timeout` for its reply.
    pub fn ask(&mut self, request: &Request, timeout: Duration) -> Result<Reply, LinkError> {
        self.send(request)?;
        self.reply(timeout)
    }

    /// Closes the connection: the host exits when it reads the end.
    pub fn close(&mut self) {
        let _ = self.writer.flush();
        let _ = self.writer.shutdown(std::net::Shutdown::Both);
    }
}
