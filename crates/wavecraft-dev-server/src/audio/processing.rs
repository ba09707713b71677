//! The audio-thread core every backend calls once per block: it owns the
//! running engine instance (and, during a reload, the one fading out), applies
//! parameter values that changed, runs `process`, crossfades old → new, feeds
//! the meters, and hands finished or faulted instances back to the control
//! side.
//!
//! It must never allocate, lock, log, block or drop an engine: every buffer is
//! sized at construction, engines arrive and leave through rtrb rings, and
//! parameter values are read with one atomic load each. All of this is proven
//! by `tests/audio_no_alloc.rs`.

use std::f32::consts::FRAC_PI_2;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rtrb::{Consumer, Producer, PushError};
use wavecraft_bridge::ParameterValueHandle;
use wavecraft_engine_abi::MAX_CHANNELS;
use wavecraft_engine_loader::{EngineFault, EngineInstance};

use wavecraft_bridge::{MeterBank, ReportMemory};

/// Length of the reload crossfade. Long enough that the fade between two
/// different signals is inaudible as a click, short enough to feel instant.
pub const CROSSFADE_MS: f64 = 10.0;

/// An engine instance ready for the audio thread: its parameter handles (index
/// `i` is parameter `i` of its metadata) and the values it was last given.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) instance: EngineInstance,
    pub(crate) handles: Vec<ParameterValueHandle>,
    pub(crate) applied: Vec<f64>,
    pub(crate) generation: u64,
}

/// An engine the audio thread is done with, handed back to be dropped elsewhere.
#[derive(Debug)]
pub(crate) struct Retired {
    pub(crate) engine: Engine,
    /// True when it panicked; its `last_error` says why.
    pub(crate) faulted: bool,
}

/// Counters the control side reads to see the audio thread's progress (`repr(C)`: the engine
/// host's shared mapping holds them, and the dev server reads `blocks` as a heartbeat).
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// Blocks processed since start.
    pub(crate) blocks: AtomicU64,
    /// Generation of the newest engine the audio thread has started playing.
    pub(crate) adopted: AtomicU64,
}

/// The shared engine-processing core. See the module docs for its rules.
#[derive(Debug)]
pub(crate) struct AudioCore {
    channels: usize,
    block: usize,
    fade_len: usize,
    input: Vec<f32>,
    main: Vec<f32>,
    aux: Vec<f32>,
    arrivals: Consumer<Engine>,
    returns: Producer<Retired>,
    /// Retired engines the return ring had no room for; pushed again each block.
    /// Two slots: at most two engines (current and outgoing) live here at once,
    /// and no new engine is taken while one waits.
    stash: [Option<Retired>; 2],
    current: Option<Engine>,
    outgoing: Option<Engine>,
    fade_pos: usize,
    meters: Arc<MeterBank>,
    progress: ReportMemory<Progress>,
}

impl AudioCore {
    /// A core for `channels` × `block` frames at `sample_rate`, with all buffers allocated now.
    pub(crate) fn new(
        sample_rate: u32,
        block: usize,
        channels: usize,
        arrivals: Consumer<Engine>,
        returns: Producer<Retired>,
        meters: Arc<MeterBank>,
        progress: ReportMemory<Progress>,
    ) -> Self {
        let fade_len = ((f64::from(sample_rate) * CROSSFADE_MS / 1000.0).round() as usize).max(1);
        AudioCore {
            channels,
            block,
            fade_len,
            input: vec![0.0; block * channels],
            main: vec![0.0; block * channels],
            aux: vec![0.0; block * channels],
            arrivals,
            returns,
            stash: [None, None],
            current: None,
            outgoing: None,
            fade_pos: fade_len,
            meters,
            progress,
        }
    }

    /// The largest block `process` takes.
    pub(crate) fn block_size(&self) -> usize {
        self.block
    }

    /// The input buffer: planar, channel `c` at `c * block_size()`.
    pub(crate) fn input_mut(&mut self) -> &mut [f32] {
        &mut self.input
    }

    /// The last block's output of channel `c`, `frames` long.
    pub(crate) fn output(&self, c: usize, frames: usize) -> &[f32] {
        &self.main[c * self.block..c * self.block + frames]
    }

    /// Interleaves the last block's first `frames` frames of `channels` channels into `out`.
    /// Audio-thread safe.
    pub(crate) fn write_interleaved(&self, out: &mut [f32], channels: usize, frames: usize) {
        for c in 0..channels {
            for (i, &s) in self.output(c, frames).iter().enumerate() {
                out[i * channels + c] = s;
            }
        }
    }

    /// Processes `frames` (≤ block size) frames of the input into the output. Audio-thread safe.
    pub(crate) fn process(&mut self, frames: usize) {
        let frames = frames.min(self.block);
        self.flush_stash();
        self.take_arrival();

        let mut have_new = false;
        if let Some(engine) = self.current.as_mut() {
            let io = (&self.input[..], &mut self.main[..]);
            match run(engine, io, self.block, self.channels, frames) {
                Ok(()) => have_new = true,
                Err(()) => {
                    // A fault of the incoming engine silences everything from this block on.
                    self.retire_current(true);
                    if let Some(old) = self.outgoing.take() {
                        self.retire(old, false);
                    }
                }
            }
        }
        let mut have_old = false;
        if let Some(engine) = self.outgoing.as_mut() {
            let io = (&self.input[..], &mut self.aux[..]);
            match run(engine, io, self.block, self.channels, frames) {
                Ok(()) => have_old = true,
                Err(()) => {
                    if let Some(old) = self.outgoing.take() {
                        self.retire(old, true);
                    }
                }
            }
        }

        if !have_new {
            for c in 0..self.channels {
                self.main[c * self.block..c * self.block + frames].fill(0.0);
            }
        } else if self.fade_pos < self.fade_len {
            self.crossfade(frames, have_old);
        }
        self.fade_pos = (self.fade_pos + frames).min(self.fade_len);
        if self.fade_pos >= self.fade_len {
            if let Some(old) = self.outgoing.take() {
                self.retire(old, false);
            }
        }

        for c in 0..self.channels {
            self.meters
                .publish(c, &self.main[c * self.block..c * self.block + frames]);
        }
        self.progress.blocks.fetch_add(1, Ordering::Relaxed);
    }

    /// Constant-gain fade with a raised-cosine shape: new × sin²(πt/2) + old × cos²(πt/2),
    /// t from 0 to 1 over the fade. The gains sum to 1, so two builds of the same DSP (correlated
    /// outputs) keep their level; an equal-power law (sin/cos) would add up to +3 dB mid-fade.
    /// The shape starts and ends with zero slope, so the fade has no corner.
    fn crossfade(&mut self, frames: usize, have_old: bool) {
        for i in 0..frames {
            let t = ((self.fade_pos + i) as f32 / self.fade_len as f32).min(1.0);
            let (sin, cos) = (t * FRAC_PI_2).sin_cos();
            let (g_new, g_old) = (sin * sin, cos * cos);
            for c in 0..self.channels {
                let k = c * self.block + i;
                let old = if have_old { self.aux[k] } else { 0.0 };
                self.main[k] = self.main[k] * g_new + old * g_old;
            }
        }
    }

    fn take_arrival(&mut self) {
        if self.outgoing.is_some() || self.stash.iter().any(Option::is_some) {
            return;
        }
        if let Ok(engine) = self.arrivals.pop() {
            self.progress
                .adopted
                .store(engine.generation, Ordering::Release);
            self.outgoing = self.current.replace(engine);
            self.fade_pos = 0;
        }
    }

    fn retire_current(&mut self, faulted: bool) {
        if let Some(engine) = self.current.take() {
            self.retire(engine, faulted);
        }
    }

    fn retire(&mut self, engine: Engine, faulted: bool) {
        if let Err(PushError::Full(r)) = self.returns.push(Retired { engine, faulted }) {
            match self.stash.iter_mut().find(|s| s.is_none()) {
                Some(slot) => *slot = Some(r),
                // Unreachable by construction: one block retires at most two engines and
                // `take_arrival` accepts none while the stash holds any. Should it ever happen,
                // leaking beats freeing (and unloading) on the audio thread.
                None => std::mem::forget(r),
            }
        }
    }

    fn flush_stash(&mut self) {
        for slot in &mut self.stash {
            if let Some(r) = slot.take() {
                if let Err(PushError::Full(r)) = self.returns.push(r) {
                    *slot = Some(r);
                }
            }
        }
    }
}

/// Copies `input` into `buf`, applies changed parameter values, then processes `buf` in
/// place (planar, channel `c` at `c * block`). `Err` means the engine panicked.
fn run(
    engine: &mut Engine,
    (input, buf): (&[f32], &mut [f32]),
    block: usize,
    channels: usize,
    frames: usize,
) -> Result<(), ()> {
    for c in 0..channels {
        let range = c * block..c * block + frames;
        buf[range.clone()].copy_from_slice(&input[range]);
    }
    for (i, (handle, applied)) in engine
        .handles
        .iter()
        .zip(engine.applied.iter_mut())
        .enumerate()
    {
        let v = handle.get();
        if v.to_bits() != applied.to_bits() {
            // A refused value (out of the engine's range) is skipped, not retried every block.
            if engine.instance.set_value(i, v) == Err(EngineFault::Panicked) {
                return Err(());
            }
            *applied = v;
        }
    }
    let mut refs: [&mut [f32]; MAX_CHANNELS] = Default::default();
    for (slot, chunk) in refs.iter_mut().zip(buf.chunks_mut(block)) {
        *slot = &mut chunk[..frames];
    }
    // A refused call (it cannot happen with the setup the instance was prepared for) is
    // treated like a panic: silence and a report beat passing unprocessed audio.
    engine
        .instance
        .process(&mut refs[..channels])
        .map_err(|_| ())
}
