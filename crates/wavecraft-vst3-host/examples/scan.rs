//! Scan and instantiate figures for a `.vst3` bundle, as a DAW's plugin scan
//! pays them: each run loads a fresh copy of the bundle (dlopen caches by
//! path) and times module load + `ModuleEntry` + factory + class info (the
//! scan), then create + initialize (instantiate). The baseline, measured in
//! the same run on another fresh copy, is a bare `dlopen` of the library:
//! what any plugin format pays to map it. The first run's scan is cold (it
//! maps the plugin's dependencies, GTK and WebKitGTK); medians are over the
//! runs after it.
//!
//! `cargo run --release -p wavecraft-vst3-host --example scan -- "<Name>.vst3" [runs]`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wavecraft_vst3_host::{bundle_library, Module};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the bundle") {
        let entry = entry.expect("read the bundle");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file of the bundle");
        }
    }
}

/// A fresh copy of `bundle` under a unique folder (same bundle name).
fn fresh_copy(bundle: &Path, scratch: &Path, tag: &str) -> PathBuf {
    let copy = scratch
        .join(tag)
        .join(bundle.file_name().expect("a bundle name"));
    copy_dir(bundle, &copy);
    copy
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let bundle = PathBuf::from(args.next().expect("usage: scan <bundle.vst3> [runs]"));
    let runs: usize = args
        .next()
        .map_or(7, |r| r.parse().expect("runs: a number"));
    let scratch = std::env::temp_dir().join(format!("wavecraft-scan-{}", std::process::id()));
    let (mut dlopens, mut scans, mut instantiations) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let copy = fresh_copy(&bundle, &scratch, &format!("vst3-{run}"));
        let started = Instant::now();
        let module = Module::load(&copy).expect("load the module");
        let factory = module.factory().expect("factory");
        let class = factory.class_info(0).expect("class info");
        let scan = started.elapsed();
        let mut plugin = factory.create(&class.cid).expect("create");
        plugin.initialize().expect("initialize");
        let instantiate = started.elapsed() - scan;
        let bare = bundle_library(&fresh_copy(&bundle, &scratch, &format!("bare-{run}")));
        let started = Instant::now();
        // SAFETY: loading runs the library's initialisers; it is the plugin being measured.
        let library = unsafe { libloading::Library::new(&bare) }.expect("dlopen");
        let dlopen = started.elapsed();
        // Never closed: a library that links GTK and WebKitGTK must not be unloaded, and this
        // bare copy never ran the plugin code that pins itself (see the plugin's resident.rs).
        std::mem::forget(library);

        println!(
            "run {run}: dlopen {:.3} ms, scan {:.3} ms, create + initialize {:.3} ms",
            ms(dlopen),
            ms(scan),
            ms(instantiate)
        );
        if run > 0 {
            dlopens.push(dlopen);
            scans.push(scan);
            instantiations.push(instantiate);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if dlopens.is_empty() {
        return;
    }
    let (dlopen, scan, instantiate) = (median(dlopens), median(scans), median(instantiations));
    println!(
        "median of {} warm runs: dlopen {:.3} ms (baseline), scan {:.3} ms ({:.2}× the bare dlopen), create + initialize {:.3} ms",
        runs - 1,
        ms(dlopen),
        ms(scan),
        scan.as_secs_f64() / dlopen.as_secs_f64(),
        ms(instantiate)
    );
}
