//! What the main thread and the audio thread of one plugin instance share, in
//! every format: the parameter table, every parameter's current plain value,
//! the ring of edits made in the plugin window, and the meters; and the state
//! save and load over them (the format is [`super::state`]).
//!
//! Values live in atomics (`f64` bits in an `AtomicU64`), so the audio thread
//! publishes the values it applies and the main thread reads them for
//! `get_value` and state saves without a lock. A state load stores new values
//! and raises `reload`; the audio thread picks them up at its next block.
//! Window edits go main thread → audio thread through a lock-free SPSC ring
//! ([`UiEdit`]); the consumer belongs to the audio side while the plugin is
//! active (taken at `activate`, given back at `deactivate`) and to the
//! main thread's `flush` otherwise, so no one ever waits for it. Nothing here
//! allocates after construction.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use wavecraft_bridge::MeterBank;

use super::param_table::ParamTable;
use super::state::{self, StateError};
use super::CHANNELS;

/// Window edits that fit in the ring between two blocks (or two flushes).
pub const EDIT_RING: usize = 1024;

/// One edit a person made in the plugin window, for the host and the DSP.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UiEdit {
    /// A gesture on parameter `index` started.
    Begin(usize),
    /// Parameter `index` took a (checked) plain value.
    Value(usize, f64),
    /// The gesture on parameter `index` ended.
    End(usize),
}

/// The thread-safe part of a plugin instance.
pub struct SharedParams {
    table: ParamTable,
    values: Box<[AtomicU64]>,
    reload: AtomicBool,
    edits_in: Mutex<rtrb::Producer<UiEdit>>,
    edits_out: Mutex<Option<rtrb::Consumer<UiEdit>>>,
    meters: MeterBank,
}

impl SharedParams {
    /// Shares `table`, with every value at its default.
    pub fn new(table: ParamTable) -> Self {
        let values = table
            .specs()
            .iter()
            .map(|spec| AtomicU64::new(spec.default.to_bits()))
            .collect();
        let (producer, consumer) = rtrb::RingBuffer::new(EDIT_RING);
        SharedParams {
            table,
            values,
            reload: AtomicBool::new(false),
            edits_in: Mutex::new(producer),
            edits_out: Mutex::new(Some(consumer)),
            meters: MeterBank::new(CHANNELS as usize),
        }
    }

    /// The parameter table.
    pub fn table(&self) -> &ParamTable {
        &self.table
    }

    /// The current plain value of parameter `index`; panics when out of bounds.
    pub fn value(&self, index: usize) -> f64 {
        f64::from_bits(self.values[index].load(Ordering::Relaxed))
    }

    /// Publishes the value the audio side now holds for parameter `index` (no reload).
    pub fn publish(&self, index: usize, value: f64) {
        self.values[index].store(value.to_bits(), Ordering::Relaxed);
    }

    /// Replaces every value (one per parameter, in index order) and asks the audio side to apply them.
    pub fn replace_all(&self, values: &[f64]) {
        for (slot, value) in self.values.iter().zip(values) {
            slot.store(value.to_bits(), Ordering::Relaxed);
        }
        self.reload.store(true, Ordering::Release);
    }

    /// Asks the audio side to apply every value again at its next block.
    pub fn request_reload(&self) {
        self.reload.store(true, Ordering::Release);
    }

    /// True once after `replace_all`: the audio side must apply every value again.
    pub fn take_reload(&self) -> bool {
        self.reload.swap(false, Ordering::Acquire)
    }

    /// Queues a window edit for the audio side (main thread). `false` when the ring is full.
    pub fn push_edit(&self, edit: UiEdit) -> bool {
        let mut producer = self.edits_in.lock().unwrap_or_else(PoisonError::into_inner);
        producer.push(edit).is_ok()
    }

    /// Hands the edit ring's reading end to the audio side (at `activate`, main thread).
    pub fn take_edits(&self) -> Option<rtrb::Consumer<UiEdit>> {
        self.edits_out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Gives the reading end back (at `deactivate`, main thread).
    pub fn return_edits(&self, consumer: rtrb::Consumer<UiEdit>) {
        *self
            .edits_out
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(consumer);
    }

    /// Runs `f` on every queued edit while the plugin is inactive (main-thread `flush`).
    pub fn drain_edits_inactive(&self, mut f: impl FnMut(UiEdit)) {
        let mut out = self
            .edits_out
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(consumer) = out.as_mut() {
            while let Ok(edit) = consumer.pop() {
                f(edit);
            }
        }
    }

    /// The output meters: the audio side writes, the window reads.
    pub fn meters(&self) -> &MeterBank {
        &self.meters
    }

    /// Makes output channel `index` fit for the host (NaN, infinities and denormals become 0)
    /// and publishes its meter: the last thing every format's `process` does with a channel.
    /// Audio thread; allocation-free.
    pub fn deliver_output(&self, index: usize, channel: &mut [f32]) {
        for sample in channel.iter_mut() {
            if !sample.is_normal() {
                *sample = 0.0;
            }
        }
        self.meters.publish(index, channel);
    }

    /// Every current value in the shared state format (main thread; allocates).
    pub fn save_state(&self) -> Vec<u8> {
        let pairs: Vec<(u32, f64)> = (0..self.table.len())
            .map(|index| (self.table.host_id(index), self.value(index)))
            .collect();
        state::encode(&pairs)
    }

    /// The values a saved state holds, one per parameter in index order, without storing
    /// them (main thread): the bytes are decoded and checked whole, missing ids take their
    /// default, unknown ids (a removed parameter) are skipped, and each value is sanitised by
    /// its parameter's rules.
    pub fn state_values(&self, bytes: &[u8]) -> Result<Vec<f64>, StateError> {
        let pairs = state::decode(bytes)?;
        let specs = self.table.specs();
        let mut values: Vec<f64> = specs.iter().map(|spec| spec.default).collect();
        for (id, value) in pairs {
            if let Some(index) = self.table.index_of(id) {
                if let Some(value) = specs[index].sanitize(value) {
                    values[index] = value;
                }
            }
        }
        Ok(values)
    }

    /// Loads a saved state ([`Self::state_values`]) and asks the audio side to apply it at its
    /// next block (main thread); refused bytes change nothing.
    pub fn load_state(&self, bytes: &[u8]) -> Result<(), StateError> {
        let values = self.state_values(bytes)?;
        self.replace_all(&values);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use wavecraft_dsp::param::{FloatRange, ParamKind, ParamSpec, SmoothingStyle};

    use super::*;

    fn shared() -> SharedParams {
        let spec = |id, default| ParamSpec {
            id,
            name: "P",
            unit: "",
            group: "",
            kind: ParamKind::Float(FloatRange::linear(-10.0, 10.0)),
            default,
            smoothing: SmoothingStyle::None,
        };
        SharedParams::new(ParamTable::new(vec![spec("a", 1.0), spec("b", 2.0)]).unwrap())
    }

    #[test]
    fn a_saved_state_loads_back_and_missing_ids_take_their_default() {
        let from = shared();
        from.publish(0, -3.5);
        from.publish(1, 7.25);
        let into = shared();
        into.load_state(&from.save_state()).unwrap();
        assert!(into.take_reload());
        assert_eq!((into.value(0), into.value(1)), (-3.5, 7.25));
        // Only `a` saved (and an unknown id): `b` goes back to its default, out-of-range clamps.
        let table = into.table();
        into.load_state(&state::encode(&[(table.host_id(0), 99.0), (12345, 1.0)]))
            .unwrap();
        assert_eq!((into.value(0), into.value(1)), (10.0, 2.0));
    }

    #[test]
    fn refused_bytes_change_nothing() {
        let shared = shared();
        shared.publish(0, 4.0);
        let mut bytes = shared.save_state();
        bytes[12] ^= 1;
        assert_eq!(shared.load_state(&bytes), Err(StateError::Checksum));
        assert_eq!(shared.load_state(b"garbage"), Err(StateError::BadMagic));
        assert!(!shared.take_reload());
        assert_eq!((shared.value(0), shared.value(1)), (4.0, 2.0));
    }
}
