//! A VST3 module: the shared library (or a `GetPluginFactory` linked into the
//! test binary) and its lifetime. Owns the dynamic loading and the module
//! entry points: on Linux `ModuleEntry` is called before `GetPluginFactory`
//! and `ModuleExit` once the last factory and plugin made from the module are
//! gone, as the SDK's hosting code does. macOS (`bundleEntry`) and Windows
//! (`InitDll`) entry points are not called: this host is tested on Linux only.

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use vst3::ComPtr;
use vst3::Steinberg::IPluginFactory;

use crate::factory::Factory;
use crate::result::Error;

/// The signature of a module's `GetPluginFactory`.
pub type GetPluginFactory = unsafe extern "system" fn() -> *mut IPluginFactory;
/// The signature of a Linux module's `ModuleEntry`.
type ModuleEntry = unsafe extern "system" fn(*mut c_void) -> bool;
/// The signature of a Linux module's `ModuleExit`.
type ModuleExit = unsafe extern "system" fn() -> bool;

/// What keeps a module usable; dropped after the last object made from it.
pub(crate) struct ModuleInner {
    get_factory: GetPluginFactory,
    exit: Option<ModuleExit>,
    // Dropped (closed) after `exit` has run in `Drop`.
    _library: Option<libloading::Library>,
}

impl Drop for ModuleInner {
    fn drop(&mut self) {
        if let Some(exit) = self.exit {
            // SAFETY: `ModuleEntry` succeeded when this module was made, the library is still
            // open (it is closed after this), and every factory and plugin object holds an
            // `Arc` of this module, so none is alive: the SDK's order for `ModuleExit`.
            unsafe { exit() };
        }
    }
}

/// The entry points of a module linked into the current binary.
#[derive(Clone, Copy)]
pub struct LinkedModule {
    /// Its `GetPluginFactory`.
    pub get_factory: GetPluginFactory,
    /// Its `ModuleEntry` (called with a null library handle), if it has one.
    pub entry: Option<unsafe extern "system" fn(*mut c_void) -> bool>,
    /// Its `ModuleExit`, if it has one.
    pub exit: Option<unsafe extern "system" fn() -> bool>,
}

/// A loaded VST3 module; cheap to clone, closed when the last clone and object is gone.
#[derive(Clone)]
pub struct Module {
    inner: Arc<ModuleInner>,
}

impl Module {
    /// Loads a `.vst3` by path: a bundle directory (the library for this platform inside
    /// it, by the VST3 bundle layout) or a library file.
    pub fn load(path: &Path) -> Result<Module, Error> {
        let library = if path.is_dir() {
            let expected = bundle_library(path);
            if !expected.is_file() {
                return Err(Error::NotABundle {
                    bundle: path.to_path_buf(),
                    expected,
                });
            }
            expected
        } else {
            path.to_path_buf()
        };
        Self::load_library(&library)
    }

    fn load_library(path: &Path) -> Result<Module, Error> {
        let load = |source| Error::Load {
            path: path.to_path_buf(),
            source,
        };
        let missing = |symbol: &'static str| {
            move |source| Error::MissingSymbol {
                path: path.to_path_buf(),
                symbol,
                source,
            }
        };
        #[cfg(target_os = "linux")]
        let (library, handle) = {
            // SAFETY: loading runs the module's initialisers; loading a plugin is what this
            // host is for, and the test chose the file.
            let unix = unsafe { libloading::os::unix::Library::new(path) }.map_err(load)?;
            let handle = unix.into_raw();
            // SAFETY: `handle` came from `into_raw` just above and is used once.
            let unix = unsafe { libloading::os::unix::Library::from_raw(handle) };
            (libloading::Library::from(unix), handle)
        };
        #[cfg(not(target_os = "linux"))]
        // SAFETY: as above.
        let library = unsafe { libloading::Library::new(path) }.map_err(load)?;

        // SAFETY: `GetPluginFactory` has this signature in every VST3 module (SDK `ipluginbase.h`).
        let get_factory: GetPluginFactory =
            *unsafe { library.get(b"GetPluginFactory\0") }.map_err(missing("GetPluginFactory"))?;
        #[cfg(target_os = "linux")]
        let exit = {
            // SAFETY: `ModuleEntry`/`ModuleExit` have these signatures on Linux (SDK `linuxmain.cpp`).
            let entry: ModuleEntry =
                *unsafe { library.get(b"ModuleEntry\0") }.map_err(missing("ModuleEntry"))?;
            // SAFETY: as above.
            let exit: ModuleExit =
                *unsafe { library.get(b"ModuleExit\0") }.map_err(missing("ModuleExit"))?;
            // SAFETY: the library's own handle, before any other call into it, as the SDK's hosts do.
            if !unsafe { entry(handle) } {
                return Err(Error::ModuleEntry {
                    path: path.to_path_buf(),
                });
            }
            Some(exit)
        };
        #[cfg(not(target_os = "linux"))]
        let exit = None;
        Ok(Module {
            inner: Arc::new(ModuleInner {
                get_factory,
                exit,
                _library: Some(library),
            }),
        })
    }

    /// A module whose entry points are linked into this binary (for in-process tests).
    pub fn linked(module: LinkedModule) -> Result<Module, Error> {
        if let Some(entry) = module.entry {
            // SAFETY: the module's `ModuleEntry`, called once before `GetPluginFactory`; it has
            // no library handle of its own in-process, so it gets null.
            if !unsafe { entry(std::ptr::null_mut()) } {
                return Err(Error::ModuleEntry {
                    path: PathBuf::from("<linked>"),
                });
            }
        }
        Ok(Module {
            inner: Arc::new(ModuleInner {
                get_factory: module.get_factory,
                exit: module.exit,
                _library: None,
            }),
        })
    }

    /// The module's plugin factory (`GetPluginFactory`).
    pub fn factory(&self) -> Result<Factory, Error> {
        // SAFETY: the module is initialised (`ModuleEntry` ran) and stays loaded while `self`
        // lives; `GetPluginFactory` returns a reference the caller owns (SDK convention), which
        // `ComPtr::from_raw` takes over.
        let factory = unsafe { ComPtr::from_raw((self.inner.get_factory)()) };
        factory
            .map(|factory| Factory::new(factory, self.clone()))
            .ok_or(Error::NoFactory)
    }
}

/// The library inside a `.vst3` bundle directory for this platform, by the VST 3 bundle
/// layout: `Contents/<arch>-linux/<name>.so`, `Contents/MacOS/<name>`,
/// `Contents/<arch>-win/<name>.vst3`.
pub fn bundle_library(bundle: &Path) -> PathBuf {
    let name = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let arch = std::env::consts::ARCH;
    let contents = bundle.join("Contents");
    if cfg!(target_os = "macos") {
        contents.join("MacOS").join(name)
    } else if cfg!(windows) {
        contents
            .join(format!("{arch}-win"))
            .join(format!("{name}.vst3"))
    } else {
        contents
            .join(format!("{arch}-linux"))
            .join(format!("{name}.so"))
    }
}
