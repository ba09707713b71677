//! What a reload costs in memory, and whether unloading really unmaps.
//!
//! DESIGN's pitfall: unloading a Rust cdylib can be unsafe when it registered
//! thread-local destructors (glibc then keeps it mapped). This loads the
//! example engine N times the way the dev server does — fresh temp copy,
//! instance created, processed on one long-lived thread (as the audio thread
//! is), handed back and dropped on the caller's thread — and prints the resident set after each batch and whether the
//! dropped copies are still mapped (`/proc/self/maps`).
//!
//! Run: `cargo bench -p wavecraft-bridge --bench reload_memory`

use std::path::PathBuf;

use std::sync::mpsc;

use wavecraft_engine_loader::{EngineInstance, EngineLibrary};

const RELOADS: usize = 40;

fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

fn mapped_engine_copies() -> usize {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("wavecraft-engines/") && l.contains("r-xp"))
        .count()
}

fn example_library() -> PathBuf {
    wavecraft_test_support::workspace_engine("example-plugin")
}

/// A long-lived "audio thread", like the runtime's: every instance is processed there, then
/// handed back and dropped on the calling thread (library last).
struct AudioThread {
    to_audio: mpsc::Sender<EngineInstance>,
    from_audio: mpsc::Receiver<EngineInstance>,
}

impl AudioThread {
    fn start() -> Self {
        let (to_audio, audio_rx) = mpsc::channel::<EngineInstance>();
        let (audio_tx, from_audio) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut l, mut r) = (vec![0.25f32; 256], vec![0.25f32; 256]);
            for mut instance in audio_rx {
                for _ in 0..20 {
                    instance.process(&mut [&mut l, &mut r]).expect("processes");
                }
                audio_tx.send(instance).expect("the caller waits");
            }
        });
        AudioThread {
            to_audio,
            from_audio,
        }
    }
}

fn reload_once(path: &PathBuf, audio: &AudioThread) {
    let library = EngineLibrary::load(path).expect("the example loads");
    let instance = library.instantiate(48_000.0, 256, 2).expect("instantiates");
    audio
        .to_audio
        .send(instance)
        .expect("the audio thread runs");
    let instance = audio.from_audio.recv().expect("the instance comes back");
    drop(instance);
    drop(library);
}

fn main() {
    let path = example_library();
    let audio = AudioThread::start();
    reload_once(&path, &audio);
    let (rss0, mapped0) = (rss_kib(), mapped_engine_copies());
    println!("after 1 warm-up reload: rss {rss0} KiB, engine copies mapped {mapped0}");
    for batch in 1..=RELOADS / 10 {
        for _ in 0..10 {
            reload_once(&path, &audio);
        }
        println!(
            "after {:>2} more reloads: rss {} KiB (+{} KiB), engine copies still mapped {}",
            batch * 10,
            rss_kib(),
            rss_kib().saturating_sub(rss0),
            mapped_engine_copies()
        );
    }
    let per_reload = rss_kib().saturating_sub(rss0) as f64 / RELOADS as f64;
    println!("resident memory per reload: {per_reload:.1} KiB; copies left mapped after {RELOADS} reloads: {}", mapped_engine_copies());
}
