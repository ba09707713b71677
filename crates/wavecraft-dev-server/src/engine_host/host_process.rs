//! The engine host process: where the author's code runs. It maps the dev
//! server's shared file, connects to its control socket, starts the audio
//! runtime with its meters and heartbeat in the mapping, and then serves
//! requests (load a library, start the engine, install its value slots) one
//! at a time on an engine thread, telling the stage it is in through the
//! mapping. It dies with the dev server: `PR_SET_PDEATHSIG` on Linux, and the
//! control socket closing everywhere. Whatever the author's code does here —
//! crash, abort, hang, exhaust its memory limit — the dev server survives.

use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wavecraft_bridge::ParameterValueHandle;
use wavecraft_engine_loader::{spawn_engine_thread, EngineLibrary};

use super::control_message::{read_line, write_line, HostMessage, Reply, Request};
use super::shared_memory::{HostShared, MappedSlot, SharedMapping, Stage};
use crate::audio::{AudioConfig, AudioRuntime, MeterBank, ReportMemory, ReportPlacement};

/// How often the host looks for a change of its audio status to push.
const STATUS_POLL: Duration = Duration::from_millis(10);

/// Everything the host is started with (one JSON argument).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostLaunch {
    /// The shared file to map.
    pub shared: PathBuf,
    /// The control socket to connect to.
    pub control: PathBuf,
    /// Where loaded libraries are copied (private to the dev server and its hosts).
    pub copies: PathBuf,
    /// The dev server's pid: the host exits when it is no longer its parent.
    pub parent: u32,
    /// The host's address-space limit in bytes (`RLIMIT_AS`), if any.
    pub memory_limit: Option<u64>,
    /// The audio runtime to start.
    pub audio: AudioConfig,
}

type Sender = Arc<Mutex<UnixStream>>;

fn send(out: &Sender, message: &HostMessage) -> std::io::Result<()> {
    let mut stream = out.lock().unwrap_or_else(PoisonError::into_inner);
    write_line(&mut *stream, message)
}

fn reply(out: &Sender, reply: Reply) -> std::io::Result<()> {
    send(out, &HostMessage::Reply { reply })
}

/// Dies with the parent: the kernel sends SIGKILL when the thread that spawned us exits.
#[cfg(target_os = "linux")]
fn die_with_parent(parent: u32) -> Result<(), String> {
    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
        .map_err(|e| format!("PR_SET_PDEATHSIG: {e}"))?;
    if std::os::unix::process::parent_id() != parent {
        return Err("the dev server exited before the engine host started".into());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_parent: u32) -> Result<(), String> {
    Ok(())
}

fn limit_memory(limit: Option<u64>) -> Result<(), String> {
    let Some(bytes) = limit else { return Ok(()) };
    nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_AS, bytes, bytes)
        .map_err(|e| format!("could not limit the engine host's memory to {bytes} bytes: {e}"))
}

/// Runs the engine host with its one JSON argument; returns when the dev server closes the
/// control socket (or at once, with a message on stderr, when it cannot start).
pub fn run_engine_host(launch_json: &str) -> ExitCode {
    match serve(launch_json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wavecraft engine host: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(launch_json: &str) -> Result<(), String> {
    let launch: HostLaunch = serde_json::from_str(launch_json)
        .map_err(|e| format!("bad launch argument ({e}); it is started by `wavecraft start`"))?;
    die_with_parent(launch.parent)?;
    limit_memory(launch.memory_limit)?;
    let mapping = SharedMapping::open(&launch.shared).map_err(|e| e.to_string())?;
    // The mapping lives as long as this process: the audio thread writes into it to the end.
    let shared: &'static HostShared = Box::leak(Box::new(mapping)).shared();
    let stream = UnixStream::connect(&launch.control)
        .map_err(|e| format!("control socket {}: {e}", launch.control.display()))?;
    let input = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let out: Sender = Arc::new(Mutex::new(stream));
    let channels = usize::from(launch.audio.channels).min(shared.meters.len());
    let placement = ReportPlacement {
        meters: MeterBank::over(ReportMemory::Mapped(&shared.meters[..channels])),
        progress: ReportMemory::Mapped(&shared.progress),
    };
    let runtime = match AudioRuntime::start_reporting_to(launch.audio, placement) {
        Ok(runtime) => runtime,
        Err(e) => {
            let message = e.to_string();
            let fatal = HostMessage::Fatal {
                message: message.clone(),
            };
            let _ = send(&out, &fatal);
            return Err(message);
        }
    };
    let mut updates = runtime.subscribe();
    let status_out = Arc::clone(&out);
    std::thread::Builder::new()
        .name("wavecraft-host-status".into())
        .spawn(move || loop {
            let status = updates.borrow_and_update().clone();
            if send(&status_out, &HostMessage::Status { status }).is_err() {
                return;
            }
            while !updates.has_changed().unwrap_or(false) {
                std::thread::sleep(STATUS_POLL);
            }
        })
        .map_err(|e| e.to_string())?;
    let control = spawn_engine_thread("wavecraft-host-control", move || {
        serve_requests(&runtime, shared, &launch.copies, input, &out);
        // Exit without dropping the runtime: that would run the author's code (drops) with
        // nobody left to report to.
        std::process::exit(0)
    })
    .map_err(|e| e.to_string())?;
    let _ = control.join();
    Ok(())
}

/// Serves requests until the dev server closes the socket (or it breaks).
fn serve_requests(
    runtime: &AudioRuntime,
    shared: &'static HostShared,
    copies: &Path,
    mut input: BufReader<UnixStream>,
    out: &Sender,
) {
    let mut loaded: Option<Arc<EngineLibrary>> = None;
    while let Ok(Some(request)) = read_line::<Request>(&mut input) {
        let answer = match request {
            Request::Load { library } => {
                shared.enter(Stage::Loading);
                match EngineLibrary::load_with_copies_in(&library, copies) {
                    Ok(lib) => {
                        let answer = Reply::Loaded {
                            metadata: lib.metadata().clone(),
                            copy: lib.copy_path().unwrap_or(&library).to_path_buf(),
                            note: lib.note().map(str::to_owned),
                        };
                        loaded = Some(lib);
                        answer
                    }
                    Err(e) => Reply::Failed {
                        message: e.to_string(),
                    },
                }
            }
            Request::Start { initial } => match loaded.take() {
                Some(library) => {
                    shared.enter(Stage::Starting);
                    let started = runtime.start_engine(library, &initial, || {
                        ((), install_slots(shared, &mut input, out))
                    });
                    match started {
                        Ok(()) => Reply::Started,
                        Err(e) => Reply::Failed {
                            message: e.to_string(),
                        },
                    }
                }
                None => Reply::Failed {
                    message: "no library loaded to start".into(),
                },
            },
            Request::Install { .. } => Reply::Failed {
                message: "Install comes only after Prepared".into(),
            },
        };
        shared.enter(Stage::Processing);
        if reply(out, answer).is_err() {
            return;
        }
    }
}

/// Tells the dev server the engine is prepared and reads the slots it answers with; no
/// handles (so the start fails) when it answers anything else.
fn install_slots(
    shared: &'static HostShared,
    input: &mut BufReader<UnixStream>,
    out: &Sender,
) -> Vec<ParameterValueHandle> {
    if reply(out, Reply::Prepared).is_err() {
        return Vec::new();
    }
    let Ok(Some(Request::Install { slots })) = read_line::<Request>(input) else {
        return Vec::new();
    };
    let handles: Option<Vec<_>> = slots
        .into_iter()
        .map(|slot| {
            MappedSlot::new(shared, slot)
                .map(|cell| ParameterValueHandle::from_memory(Arc::new(cell)))
        })
        .collect();
    handles.unwrap_or_default()
}
