//! What the main thread and the audio thread of one CLAP instance share:
//! the parameter table and every parameter's current plain value.
//!
//! Values live in atomics (`f64` bits in an `AtomicU64`), so the audio thread
//! publishes the values it applies and the main thread reads them for
//! `get_value` and state saves without a lock. A state load stores new values
//! and raises `reload`; the audio thread picks them up at its next block.
//! Nothing here allocates after construction.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use clack_plugin::plugin::PluginShared;

use super::params::ParamTable;

/// The thread-safe part of a CLAP instance.
pub struct SharedParams {
    table: ParamTable,
    values: Box<[AtomicU64]>,
    reload: AtomicBool,
}

impl PluginShared<'_> for SharedParams {}

impl SharedParams {
    /// Shares `table`, with every value at its default.
    pub fn new(table: ParamTable) -> Self {
        let values = table
            .specs()
            .iter()
            .map(|spec| AtomicU64::new(spec.default.to_bits()))
            .collect();
        SharedParams {
            table,
            values,
            reload: AtomicBool::new(false),
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

    /// True once after `replace_all`: the audio side must apply every value again.
    pub fn take_reload(&self) -> bool {
        self.reload.swap(false, Ordering::Acquire)
    }
}
