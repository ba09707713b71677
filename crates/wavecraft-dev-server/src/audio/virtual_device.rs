//! The virtual device: a clock that runs the DSP on a test signal in real
//! time when there is no audio device (headless machines, CI), so meters and
//! the browser behave as with a sound card. Optionally records the output.
//!
//! The paced thread sleeps until absolute deadlines measured from its start
//! `Instant` (block `n` is due at `n × block / rate`), so the clock never
//! drifts; after a stall longer than [`MAX_LAG`] it restarts its schedule
//! instead of bursting to catch up. [`VirtualDevice::run_block`] is the whole
//! per-block work and is also what tests step by hand (unpaced, deterministic).
//! Sleeping is this thread's pacing; the block itself never blocks, locks or
//! allocates.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wavecraft_engine_loader::spawn_engine_thread;

use super::processing::AudioCore;
use super::recorder::RecordTap;
use super::signal::Signal;

/// How far behind schedule the paced clock may fall before it restarts its schedule.
pub const MAX_LAG: Duration = Duration::from_millis(250);

/// Test signal → core → interleaved output (→ recording), one block at a time.
#[derive(Debug)]
pub(crate) struct VirtualDevice {
    core: AudioCore,
    signal: Signal,
    channels: usize,
    out: Vec<f32>,
    tap: Option<RecordTap>,
}

impl VirtualDevice {
    /// A device around `core`, fed by `signal`, optionally recording into `tap`.
    pub(crate) fn new(
        core: AudioCore,
        signal: Signal,
        channels: usize,
        tap: Option<RecordTap>,
    ) -> Self {
        let out = vec![0.0; core.block_size() * channels];
        VirtualDevice {
            core,
            signal,
            channels,
            out,
            tap,
        }
    }

    /// Runs one full block: signal → DSP (→ recording). Audio-thread safe.
    pub(crate) fn run_block(&mut self) {
        let block = self.core.block_size();
        self.signal
            .fill(self.core.input_mut(), block, self.channels, block);
        self.core.process(block);
        // Only a recording needs the output interleaved: nobody hears a virtual device.
        if let Some(tap) = self.tap.as_mut() {
            self.core
                .write_interleaved(&mut self.out, self.channels, block);
            tap.push(&self.out);
        }
    }

    /// Runs one full block and returns its interleaved output (manual pacing).
    pub(crate) fn step(&mut self) -> &[f32] {
        self.run_block();
        if self.tap.is_none() {
            let block = self.core.block_size();
            self.core
                .write_interleaved(&mut self.out, self.channels, block);
        }
        &self.out
    }
}

/// The paced thread running a [`VirtualDevice`]; dropping it stops and joins the thread.
#[derive(Debug)]
pub(crate) struct VirtualClock {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<VirtualDevice>>,
}

impl VirtualClock {
    /// Starts running `device` in real time at `sample_rate`.
    pub(crate) fn start(device: VirtualDevice, sample_rate: u32) -> std::io::Result<VirtualClock> {
        let stop = Arc::new(AtomicBool::new(false));
        let period = device.core.block_size() as f64 / f64::from(sample_rate);
        // The engine's `process` runs here: an engine thread's stack.
        let thread = spawn_engine_thread("wavecraft-audio-virtual", {
            let stop = Arc::clone(&stop);
            move || pace(device, period, &stop)
        })?;
        Ok(VirtualClock {
            stop,
            thread: Some(thread),
        })
    }
}

fn pace(mut device: VirtualDevice, period: f64, stop: &AtomicBool) -> VirtualDevice {
    let mut start = Instant::now();
    let mut n: u64 = 0;
    while !stop.load(Ordering::Acquire) {
        device.run_block();
        n += 1;
        let deadline = start + Duration::from_secs_f64(n as f64 * period);
        let now = Instant::now();
        if deadline > now {
            std::thread::sleep(deadline - now);
        } else if now - deadline > MAX_LAG {
            start = now;
            n = 0;
        }
    }
    device
}

impl Drop for VirtualClock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            // The device (and any engine in it) comes back here and is dropped off the audio thread.
            drop(thread.join());
        }
    }
}
