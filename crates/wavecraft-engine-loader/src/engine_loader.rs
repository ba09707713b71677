//! The engine loader: the host side of the dev engine ABI, and the only
//! module of this crate with `unsafe`.
//!
//! - A library is loaded from a fresh copy under a unique name, because the
//!   dynamic loader caches by path: loading the rebuilt file under its old
//!   name would hand back the old code. The copies live in a private folder
//!   next to the built library (`<its dir>/wavecraft-engines`, mode 0700),
//!   not in a shared temp folder: nobody else can swap a copy between the
//!   copy and `dlopen`, and a `noexec` `/tmp` does not matter.
//! - The ABI version (the vtable's first field) and the canary are checked
//!   before any other entry is called; a mismatch says what to rebuild. A
//!   library built by another rustc is loaded, with a note
//!   ([`EngineLibrary::note`]): nothing Rust-shaped crosses the vtable.
//! - An [`EngineInstance`] holds an `Arc` of its library, so the library stays
//!   mapped while any instance lives and is unloaded only after the last one is
//!   destroyed — wherever that last drop happens. Callers keep drops off the
//!   audio thread (the audio runtime hands old instances back for that).
//! - `process` and `set_value` never allocate: a fault is a `Copy` value, and
//!   its message is fetched later with [`EngineInstance::last_error`].

use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use wavecraft_engine_abi::{
    AbiCanary, AbiMessageBuf, AbiStr, CanaryMismatch, EngineEntry, EngineHandle, EngineMetadata,
    EngineStatus, EngineVTable, ENGINE_ABI_VERSION, ENGINE_ENTRY_SYMBOL, MAX_CHANNELS, STATUS_OK,
    STATUS_PANICKED,
};

/// Why an engine library could not be loaded or an instance created.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is not there.
    #[error("engine library {0} does not exist (did the build produce a cdylib?)")]
    Missing(PathBuf),
    /// The folder for the private copy cannot be made, or others could write to it.
    #[error("cannot keep the engine's private copy in {dir}: {reason}")]
    CopyDir {
        /// The folder.
        dir: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// Copying to the private folder failed.
    #[error("could not copy {from} to {to}: {source}")]
    Copy {
        /// The built library.
        from: PathBuf,
        /// The temp copy.
        to: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The dynamic loader refused the file.
    #[error("could not load {path}: {source}")]
    Open {
        /// The library.
        path: PathBuf,
        /// The loader's error.
        source: libloading::Error,
    },
    /// The library has no Wavecraft entry point.
    #[error("{0} is not a Wavecraft engine: it exports no `wavecraft_engine_vtable` (add `wavecraft::export!(YourPlugin);` to the crate root and build it as a cdylib)")]
    NotAnEngine(PathBuf),
    /// The library speaks another ABI version.
    #[error("{path} uses engine ABI v{found} but this wavecraft speaks v{expected}: rebuild the engine against this SDK checkout (cargo clean -p <engine>, then build)")]
    AbiVersion {
        /// The library.
        path: PathBuf,
        /// Its ABI version.
        found: u32,
        /// Ours.
        expected: u32,
    },
    /// Same ABI version, but another protocol (SDK) version or float type.
    #[error("{path}: {mismatch}")]
    Canary {
        /// The library.
        path: PathBuf,
        /// What differs.
        mismatch: CanaryMismatch,
    },
    /// The metadata was missing or unreadable.
    #[error("{path}: the engine's metadata is unreadable: {reason}")]
    Metadata {
        /// The library.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `create` failed (the plugin's `Default` panicked).
    #[error("creating an instance failed: {0}")]
    Create(String),
    /// `prepare` refused the setup or panicked.
    #[error("preparing the instance failed: {0}")]
    Prepare(String),
}

/// A failed `process`/`set_value`/`reset` call. `Copy`, so reporting it never allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineFault {
    /// The plugin panicked; the output was silenced. Details in [`EngineInstance::last_error`].
    Panicked,
    /// The call was refused: not prepared, too many channels, unknown index or a non-finite value.
    InvalidArgument,
}

fn status(code: EngineStatus) -> Result<(), EngineFault> {
    match code {
        STATUS_OK => Ok(()),
        STATUS_PANICKED => Err(EngineFault::Panicked),
        _ => Err(EngineFault::InvalidArgument),
    }
}

/// A loaded engine library and its metadata.
#[derive(Debug)]
pub struct EngineLibrary {
    vtable: NonNull<EngineVTable>,
    metadata: EngineMetadata,
    source: PathBuf,
    copy: Option<PathBuf>,
    note: Option<String>,
    // The vtable points into it; `Drop` unloads it only after everything else is done.
    library: Option<libloading::Library>,
}

// SAFETY: the vtable is immutable static data of the library, and every entry is callable from
// any thread: library-level entries share no mutable state (`create` and `metadata_json` write a
// failure into a buffer lent to that call; the canary and metadata are write-once statics), and
// instances are used by one thread at a time through `&mut EngineInstance`.
unsafe impl Send for EngineLibrary {}
// SAFETY: as above; shared access only reads the vtable and the metadata.
unsafe impl Sync for EngineLibrary {}

static COPIES: AtomicU64 = AtomicU64::new(0);

/// Name of the private folder, next to a built library, that holds its loaded copies.
pub const COPIES_DIR: &str = "wavecraft-engines";

/// A unique name in `dir` for a copy of `source`.
fn copy_path(dir: &Path, source: &Path) -> PathBuf {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "engine".to_owned());
    let ext = source
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let n = COPIES.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    dir.join(format!("{stem}-{}-{n}-{nanos}{ext}", std::process::id()))
}

/// Makes `dir` (mode 0700) unless it exists, then checks that only this user can write to it
/// and that nobody else can replace it: a real directory (not a symlink) owned by this user,
/// without group or other write permission, in a parent that is not writable by everyone
/// (unless sticky, like `/tmp`).
#[cfg(unix)]
fn private_dir(dir: &Path) -> Result<(), LoadError> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let refuse = |reason: String| LoadError::CopyDir {
        dir: dir.to_path_buf(),
        reason,
    };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        // The umask can only clear bits; set the mode anyway so a 0 umask or an odd one is moot.
        Ok(()) => std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| refuse(format!("it cannot be made private: {e}")))?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(refuse(format!(
                "it cannot be created ({e}); load the library from a folder you can write to"
            )))
        }
    }
    let meta = std::fs::symlink_metadata(dir).map_err(|e| refuse(e.to_string()))?;
    if !meta.file_type().is_dir() {
        return Err(refuse(
            "it is not a directory (a symlink or a file there is never followed); remove it".into(),
        ));
    }
    // SAFETY: `geteuid` has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(refuse(format!(
            "it belongs to user id {}, not to this user ({me}), who could replace a copy before \
             it is loaded; remove it",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(refuse(format!(
            "others can write to it (mode {mode:o}) and could replace a copy before it is \
             loaded; make it private (chmod 700) or remove it"
        )));
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mode = std::fs::metadata(parent)
            .map_err(|e| refuse(format!("its parent cannot be read: {e}")))?
            .mode();
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            return Err(refuse(format!(
                "everyone can write to its parent {} (mode {:o}, not sticky) and could replace \
                 the folder; build the engine in a folder only you can write to",
                parent.display(),
                mode & 0o7777
            )));
        }
    }
    Ok(())
}

/// Makes `dir` unless it exists. Elsewhere than Unix the folder inherits the user's own
/// access rules from the target directory it lives in.
#[cfg(not(unix))]
fn private_dir(dir: &Path) -> Result<(), LoadError> {
    std::fs::create_dir_all(dir).map_err(|e| LoadError::CopyDir {
        dir: dir.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Bytes lent to a library call for a failure's message; a longer message arrives cut.
const MESSAGE_CAPACITY: usize = 4096;

/// Calls `call` with a message buffer lent to it alone, and returns its result and the message.
fn with_message<T>(call: impl FnOnce(*mut AbiMessageBuf) -> T) -> (T, String) {
    let mut bytes = [0u8; MESSAGE_CAPACITY];
    let mut out = AbiMessageBuf {
        ptr: bytes.as_mut_ptr(),
        capacity: bytes.len(),
        len: 0,
    };
    let result = call(&mut out);
    let len = out.len.min(bytes.len());
    (result, String::from_utf8_lossy(&bytes[..len]).into_owned())
}

/// Reads a library-owned string.
///
/// # Safety
/// `s` must come from an entry of a library that is still loaded, and be read before the next call
/// that may replace it.
unsafe fn read_str(s: AbiStr) -> String {
    if s.ptr.is_null() || s.len == 0 {
        return String::new();
    }
    // SAFETY: the library guarantees `len` readable bytes at `ptr` until its next call (caller's contract).
    let bytes = unsafe { std::slice::from_raw_parts(s.ptr, s.len) };
    String::from_utf8_lossy(bytes).into_owned()
}

impl EngineLibrary {
    /// Loads the engine library at `path` and checks it. It is loaded from a fresh copy in
    /// [`COPIES_DIR`] next to it (made private, mode 0700, on first use; refused when others
    /// can write to it); the copy is deleted when the library is dropped.
    pub fn load(path: impl AsRef<Path>) -> Result<Arc<EngineLibrary>, LoadError> {
        let source = path.as_ref();
        let dir = source
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(COPIES_DIR);
        EngineLibrary::load_with_copies_in(source, &dir)
    }

    /// Like [`EngineLibrary::load`], with the copy in `dir` instead (made with mode 0700 if
    /// missing; refused when others can write to it or replace it).
    pub fn load_with_copies_in(
        path: impl AsRef<Path>,
        dir: &Path,
    ) -> Result<Arc<EngineLibrary>, LoadError> {
        let source = path.as_ref().to_path_buf();
        if !source.is_file() {
            return Err(LoadError::Missing(source));
        }
        private_dir(dir)?;
        let copy = copy_path(dir, &source);
        std::fs::copy(&source, &copy).map_err(|e| LoadError::Copy {
            from: source.clone(),
            to: copy.clone(),
            source: e,
        })?;
        // Loading runs the library's initialisers: an SDK-built engine has none beyond Rust's own
        // (a bundle adds one that keeps it loaded; `wavecraft bundle` reads one through here).
        // SAFETY: the copy sits in a folder only this user can write to and nobody else can
        // replace (`private_dir`), under a name no other load uses, so what is opened is the
        // library just copied; its initialisers have no preconditions.
        let library = match unsafe { libloading::Library::new(&copy) } {
            Ok(library) => library,
            Err(e) => {
                let _ = std::fs::remove_file(&copy);
                return Err(LoadError::Open {
                    path: source,
                    source: e,
                });
            }
        };
        // SAFETY: the symbol, when present, is the SDK's `extern "C" fn() -> *const EngineVTable`.
        let symbol = unsafe { library.get::<EngineEntry>(ENGINE_ENTRY_SYMBOL.as_bytes()) };
        let entry: Option<EngineEntry> = symbol.ok().map(|sym| *sym);
        let mut lib = EngineLibrary::unchecked(source.clone(), Some(copy), Some(library));
        let entry = entry.ok_or_else(|| LoadError::NotAnEngine(source.clone()))?;
        // SAFETY: calling the entry has no preconditions; it returns a pointer to a static.
        let vtable = NonNull::new(unsafe { entry() } as *mut EngineVTable)
            .ok_or_else(|| LoadError::NotAnEngine(source.clone()))?;
        // SAFETY: the vtable is a static of `library`, which `lib` keeps loaded.
        unsafe { lib.check(vtable) }?;
        Ok(Arc::new(lib))
    }

    /// An engine whose vtable is linked into this process (a plugin crate used as an rlib),
    /// checked like a loaded library. For tests that need the ABI path under this process's
    /// allocator.
    ///
    /// # Safety
    /// `vtable` must be a table emitted by `wavecraft::export!` (see `wavecraft::EngineExport`),
    /// whose entries keep the engine ABI's contract.
    pub unsafe fn in_process(
        vtable: &'static EngineVTable,
    ) -> Result<Arc<EngineLibrary>, LoadError> {
        let mut lib = EngineLibrary::unchecked(PathBuf::from("<in-process>"), None, None);
        // SAFETY: the caller guarantees an SDK-built table; it is static, so it outlives `lib`.
        unsafe { lib.check(NonNull::from(vtable)) }?;
        Ok(Arc::new(lib))
    }

    fn unchecked(
        source: PathBuf,
        copy: Option<PathBuf>,
        library: Option<libloading::Library>,
    ) -> Self {
        EngineLibrary {
            vtable: NonNull::dangling(),
            metadata: EngineMetadata {
                name: String::new(),
                vendor: String::new(),
                version: String::new(),
                plugin_id: String::new(),
                sdk_version: String::new(),
                parameters: Vec::new(),
            },
            source,
            copy,
            note: None,
            library,
        }
    }

    /// Checks ABI version, canary and metadata, then adopts `vtable`.
    ///
    /// # Safety
    /// `vtable` must point to a table that stays valid while `self` lives, whose first field is a
    /// `u32` ABI version.
    unsafe fn check(&mut self, vtable: NonNull<EngineVTable>) -> Result<(), LoadError> {
        let path = self.source.clone();
        // `abi_version` is the first field in every ABI version.
        // SAFETY: so it can be read before trusting the rest of the layout.
        let found = unsafe { vtable.cast::<u32>().read() };
        if found != ENGINE_ABI_VERSION {
            return Err(LoadError::AbiVersion {
                path,
                found,
                expected: ENGINE_ABI_VERSION,
            });
        }
        self.vtable = vtable;
        let vt = self.vtable();
        // SAFETY: the version matched, so the layout is ours; the string is a library static.
        let canary = unsafe { read_str((vt.canary)()) };
        let host = AbiCanary::current();
        let engine = host.check(&canary).map_err(|mismatch| LoadError::Canary {
            path: path.clone(),
            mismatch,
        })?;
        let note = host.compiler_note(&engine);
        // The buffer is lent to this call alone; the library writes into it and keeps no pointer.
        // SAFETY: as above; the metadata string is an immutable library static.
        let (json, reason) = with_message(|out| unsafe { read_str((vt.metadata_json)(out)) });
        if json.is_empty() {
            return Err(LoadError::Metadata { path, reason });
        }
        self.metadata = serde_json::from_str(&json).map_err(|e| LoadError::Metadata {
            path,
            reason: e.to_string(),
        })?;
        self.note = note;
        Ok(())
    }

    fn vtable(&self) -> &EngineVTable {
        // SAFETY: set only after the ABI version check; the library (kept in `self`) owns the static.
        unsafe { self.vtable.as_ref() }
    }

    /// What the engine says about itself.
    pub fn metadata(&self) -> &EngineMetadata {
        &self.metadata
    }

    /// The private copy this library was loaded from (deleted when it is dropped).
    pub fn copy_path(&self) -> Option<&Path> {
        self.copy.as_deref()
    }

    /// Something worth telling the author about this library that is no reason to refuse it:
    /// it was built by another rustc than this host (which does not matter across the C ABI,
    /// but explains a surprise). `None` when there is nothing to say.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// A new instance with default parameter values, prepared for `sample_rate`, `max_block_size`
    /// and `channels`.
    pub fn instantiate(
        self: &Arc<Self>,
        sample_rate: f64,
        max_block_size: u32,
        channels: u32,
    ) -> Result<EngineInstance, LoadError> {
        let vt = self.vtable();
        // SAFETY: `create`'s only argument is the message buffer, lent to this call alone.
        let (handle, message) = with_message(|out| unsafe { (vt.create)(out) });
        let Some(handle) = NonNull::new(handle) else {
            return Err(LoadError::Create(message));
        };
        let instance = EngineInstance {
            library: Arc::clone(self),
            handle,
            channels: channels as usize,
        };
        // SAFETY: the handle is live and used only through `instance`.
        let code = unsafe { (vt.prepare)(handle.as_ptr(), sample_rate, max_block_size, channels) };
        if code != STATUS_OK {
            return Err(LoadError::Prepare(instance.last_error()));
        }
        Ok(instance)
    }
}

impl Drop for EngineLibrary {
    fn drop(&mut self) {
        drop(self.library.take());
        if let Some(copy) = &self.copy {
            let _ = std::fs::remove_file(copy);
        }
    }
}

/// One instance of an engine's plugin. Keeps its library loaded while it lives.
#[derive(Debug)]
pub struct EngineInstance {
    library: Arc<EngineLibrary>,
    handle: NonNull<EngineHandle>,
    channels: usize,
}

// SAFETY: an instance is used by one thread at a time (every call takes `&mut self`), and the
// SDK's instances are `Send` (the `Processor` trait requires it).
unsafe impl Send for EngineInstance {}

impl EngineInstance {
    /// The library this instance came from.
    pub fn library(&self) -> &Arc<EngineLibrary> {
        &self.library
    }

    /// Sets a parameter's plain value by its index in the metadata's list. Audio-thread safe.
    pub fn set_value(&mut self, index: usize, value: f64) -> Result<(), EngineFault> {
        let index = u32::try_from(index).map_err(|_| EngineFault::InvalidArgument)?;
        // SAFETY: the handle is live and exclusively borrowed.
        status(unsafe { (self.library.vtable().set_value)(self.handle.as_ptr(), index, value) })
    }

    /// Processes the channels in place (all the same length, as many as prepared). Audio-thread
    /// safe: no allocation. On a panic the output is silence.
    pub fn process(&mut self, channels: &mut [&mut [f32]]) -> Result<(), EngineFault> {
        if channels.len() != self.channels || channels.len() > MAX_CHANNELS {
            return Err(EngineFault::InvalidArgument);
        }
        let frames = channels.first().map_or(0, |c| c.len());
        if channels.iter().any(|c| c.len() != frames) {
            return Err(EngineFault::InvalidArgument);
        }
        let frames = u32::try_from(frames).map_err(|_| EngineFault::InvalidArgument)?;
        let mut ptrs = [std::ptr::null_mut::<f32>(); MAX_CHANNELS];
        for (ptr, channel) in ptrs.iter_mut().zip(channels.iter_mut()) {
            *ptr = channel.as_mut_ptr();
        }
        // Each pointer addresses `frames` writable f32s of a distinct `&mut` slice.
        // SAFETY: the handle is live and exclusively borrowed; the slices outlive the call.
        status(unsafe {
            (self.library.vtable().process)(
                self.handle.as_ptr(),
                ptrs.as_ptr(),
                self.channels as u32,
                frames,
            )
        })
    }

    /// Clears DSP state and lifts a fault. Audio-thread safe.
    pub fn reset(&mut self) -> Result<(), EngineFault> {
        // SAFETY: the handle is live and exclusively borrowed.
        status(unsafe { (self.library.vtable().reset)(self.handle.as_ptr()) })
    }

    /// The message of the last failure (a panic's message, or why a call was refused). Allocates:
    /// call it off the audio thread.
    pub fn last_error(&self) -> String {
        // SAFETY: the handle is live; the string is owned by the instance and read at once.
        unsafe { read_str((self.library.vtable().last_error)(self.handle.as_ptr())) }
    }
}

impl Drop for EngineInstance {
    fn drop(&mut self) {
        // The `Arc` field keeps the library loaded until after this call.
        // SAFETY: the handle came from this library's `create` and is destroyed exactly once.
        unsafe { (self.library.vtable().destroy)(self.handle.as_ptr()) }
    }
}
