//! The parameter host behind the plugin window: the same `ParameterHost`
//! the dev server's `IpcHandler` serves, over one instance's values
//! ([`WindowValues`]: CLAP's [`SharedParams`], VST3's controller values),
//! whatever the plugin format.
//!
//! The page's edits are checked by the parameter rules, stored at once (so
//! the host's value queries and the next `getAllParameters` agree) and kept
//! in an outbox, in order, gestures included; the window's owner takes them
//! after answering the page and hands them to the format, which tells the
//! host its own way (CLAP: the edit ring and a flush request; VST3: the
//! component handler's begin/perform/end). Changes made
//! anywhere else (host automation, a state load, the host's generic UI) are
//! found by [`WindowParams::changes`], which the window calls at most 60
//! times a second: each parameter whose value differs from what the page
//! was last told becomes one `parameterChanged`, however many times it moved
//! in between. Everything here runs on the main thread; its one lock is
//! never taken on the audio thread.

use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

use wavecraft_bridge::{ParameterHost, SetParameterError, StoredValue, UnknownParameter};
use wavecraft_protocol::catalog::ParameterChanged;
use wavecraft_protocol::{MeterUpdate, ParameterInfo};

use wavecraft_bridge::MeterBank;

use crate::instance::param_table::ParamTable;
use crate::instance::shared_params::{SharedParams, UiEdit};
use crate::parameter_info;

/// The values a window shows and edits, as its format keeps them.
pub trait WindowValues: Send + Sync {
    /// The parameter table.
    fn table(&self) -> &ParamTable;
    /// The current plain value of parameter `index` as the host sees it.
    fn value(&self, index: usize) -> f64;
    /// Stores a (checked) plain value the page set, so the host's queries agree at once.
    fn store(&self, index: usize, value: f64);
    /// The output meters the audio side writes.
    fn meters(&self) -> &MeterBank;
}

impl WindowValues for SharedParams {
    fn table(&self) -> &ParamTable {
        SharedParams::table(self)
    }

    fn value(&self, index: usize) -> f64 {
        SharedParams::value(self, index)
    }

    fn store(&self, index: usize, value: f64) {
        self.publish(index, value);
    }

    fn meters(&self) -> &MeterBank {
        SharedParams::meters(self)
    }
}

impl<T: WindowValues + ?Sized> WindowValues for &T {
    fn table(&self) -> &ParamTable {
        (**self).table()
    }

    fn value(&self, index: usize) -> f64 {
        (**self).value(index)
    }

    fn store(&self, index: usize, value: f64) {
        (**self).store(index, value);
    }

    fn meters(&self) -> &MeterBank {
        (**self).meters()
    }
}

impl<T: WindowValues + ?Sized> WindowValues for Arc<T> {
    fn table(&self) -> &ParamTable {
        self.deref().table()
    }

    fn value(&self, index: usize) -> f64 {
        self.deref().value(index)
    }

    fn store(&self, index: usize, value: f64) {
        self.deref().store(index, value);
    }

    fn meters(&self) -> &MeterBank {
        self.deref().meters()
    }
}

/// What the page was told, per parameter.
struct Told {
    /// The newest revision handed out (one counter for all ids, as in dev mode).
    revision: u64,
    /// Per parameter: the value the page last got and its revision.
    shown: Vec<(f64, u64)>,
    /// Per parameter: whether a gesture from the page is open.
    editing: Vec<bool>,
    /// Edits for the host, oldest first, until the owner takes them.
    outbox: Vec<UiEdit>,
}

/// The `ParameterHost` of one instance's window, over its values `S`.
pub struct WindowParams<S> {
    shared: S,
    told: Mutex<Told>,
}

impl<S: WindowValues> WindowParams<S> {
    /// The host over `shared`; nothing edited yet.
    pub fn new(shared: S) -> Self {
        let shown = (0..shared.table().len())
            .map(|index| (shared.value(index), 0))
            .collect();
        let editing = vec![false; shared.table().len()];
        WindowParams {
            shared,
            told: Mutex::new(Told {
                revision: 0,
                shown,
                editing,
                outbox: Vec::new(),
            }),
        }
    }

    /// Every edit the page made since the last call, oldest first, for the host.
    pub fn take_edits(&self) -> Vec<UiEdit> {
        std::mem::take(&mut self.told().outbox)
    }

    fn told(&self) -> std::sync::MutexGuard<'_, Told> {
        self.told.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn index_of(&self, id: &str) -> Option<usize> {
        self.shared.table().specs().iter().position(|s| s.id == id)
    }

    /// The current value of `index` and its revision, stamping a new revision when the
    /// value moved since the page was last told.
    fn current(&self, told: &mut Told, index: usize) -> ((f64, u64), bool) {
        let value = self.shared.value(index);
        let (shown, revision) = told.shown[index];
        if shown.to_bits() == value.to_bits() {
            return ((value, revision), false);
        }
        told.revision += 1;
        told.shown[index] = (value, told.revision);
        (told.shown[index], true)
    }

    /// Every parameter whose value moved since the page was last told, as `parameterChanged`.
    pub fn changes(&self) -> Vec<ParameterChanged> {
        let mut told = self.told();
        (0..self.shared.table().len())
            .filter_map(|index| {
                let ((value, revision), moved) = self.current(&mut told, index);
                moved.then(|| ParameterChanged {
                    id: self.shared.table().specs()[index].id.to_owned(),
                    value,
                    revision,
                })
            })
            .collect()
    }

    /// The output levels since the last call, for `meterUpdate`.
    pub fn meters(&self) -> MeterUpdate {
        self.shared.meters().take()
    }

    /// Ends every gesture the page left open (its window is closing).
    pub fn end_open_edits(&self) {
        let mut told = self.told();
        for index in 0..told.editing.len() {
            if std::mem::take(&mut told.editing[index]) {
                told.outbox.push(UiEdit::End(index));
            }
        }
    }

    fn edit(&self, id: &str, begin: bool) -> Result<(), UnknownParameter> {
        let index = self
            .index_of(id)
            .ok_or_else(|| UnknownParameter(id.to_owned()))?;
        let mut told = self.told();
        if told.editing[index] != begin {
            told.editing[index] = begin;
            told.outbox.push(if begin {
                UiEdit::Begin(index)
            } else {
                UiEdit::End(index)
            });
        }
        Ok(())
    }
}

impl<S: WindowValues> ParameterHost for WindowParams<S> {
    fn parameters(&self) -> Vec<ParameterInfo> {
        let mut told = self.told();
        self.shared
            .table()
            .specs()
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                let ((value, revision), _) = self.current(&mut told, index);
                ParameterInfo {
                    value,
                    revision,
                    ..parameter_info(spec)
                }
            })
            .collect()
    }

    fn parameter(&self, id: &str) -> Option<ParameterInfo> {
        let index = self.index_of(id)?;
        let ((value, revision), _) = self.current(&mut self.told(), index);
        Some(ParameterInfo {
            value,
            revision,
            ..parameter_info(&self.shared.table().specs()[index])
        })
    }

    fn set_parameter(&self, id: &str, value: f64) -> Result<StoredValue, SetParameterError> {
        let index = self
            .index_of(id)
            .ok_or_else(|| SetParameterError::NotFound(id.to_owned()))?;
        let value = self.shared.table().specs()[index]
            .rules()
            .check(value)
            .map_err(|reason| SetParameterError::Refused {
                id: id.to_owned(),
                reason,
            })?;
        let mut told = self.told();
        self.shared.store(index, value);
        told.revision += 1;
        told.shown[index] = (value, told.revision);
        told.outbox.push(UiEdit::Value(index, value));
        Ok(StoredValue {
            value,
            revision: told.revision,
        })
    }

    fn begin_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        self.edit(id, true)
    }

    fn end_edit(&self, id: &str) -> Result<(), UnknownParameter> {
        self.edit(id, false)
    }
}

#[cfg(test)]
mod tests {
    use wavecraft_dsp::param::{FloatRange, ParamKind, ParamSpec, SmoothingStyle};

    use super::*;

    fn shared() -> SharedParams {
        let spec = |id| ParamSpec {
            id,
            name: "P",
            unit: "",
            group: "",
            kind: ParamKind::Float(FloatRange::linear(-10.0, 10.0)),
            default: 0.0,
            smoothing: SmoothingStyle::None,
        };
        SharedParams::new(ParamTable::new(vec![spec("a"), spec("b")]).unwrap())
    }

    #[test]
    fn a_drag_is_one_gesture_for_the_host_in_order() {
        let shared = shared();
        let params = WindowParams::new(&shared);
        params.begin_edit("b").unwrap();
        params.begin_edit("b").unwrap();
        params.set_parameter("b", 2.5).unwrap();
        params.set_parameter("b", 3.0).unwrap();
        params.end_edit("b").unwrap();
        assert_eq!(
            params.take_edits(),
            [
                UiEdit::Begin(1),
                UiEdit::Value(1, 2.5),
                UiEdit::Value(1, 3.0),
                UiEdit::End(1)
            ]
        );
        assert_eq!(params.take_edits(), []);
        assert_eq!(
            shared.value(1),
            3.0,
            "stored at once for the host's queries"
        );
    }

    #[test]
    fn a_refused_value_changes_nothing_and_tells_the_host_nothing() {
        let shared = shared();
        let params = WindowParams::new(&shared);
        for bad in [f64::NAN, f64::INFINITY] {
            assert!(matches!(
                params.set_parameter("a", bad),
                Err(SetParameterError::Refused { .. })
            ));
        }
        assert!(matches!(
            params.set_parameter("nope", 1.0),
            Err(SetParameterError::NotFound(_))
        ));
        assert_eq!(params.take_edits(), []);
        assert_eq!(shared.value(0), 0.0);
    }

    #[test]
    fn closing_ends_only_the_gestures_left_open() {
        let shared = shared();
        let params = WindowParams::new(&shared);
        params.begin_edit("a").unwrap();
        params.begin_edit("b").unwrap();
        params.end_edit("b").unwrap();
        params.take_edits();
        params.end_open_edits();
        assert_eq!(params.take_edits(), [UiEdit::End(0)]);
        params.end_open_edits();
        assert_eq!(params.take_edits(), []);
    }

    #[test]
    fn host_changes_reach_the_page_once_per_parameter_however_often_they_moved() {
        let shared = shared();
        let params = WindowParams::new(&shared);
        let told = params.set_parameter("a", 1.0).unwrap();
        assert_eq!(params.changes(), [], "the page's own value is not echoed");
        shared.publish(1, 4.0);
        shared.publish(1, 5.0);
        let changes = params.changes();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!((changes[0].id.as_str(), changes[0].value), ("b", 5.0));
        assert!(changes[0].revision > told.revision);
        assert_eq!(params.changes(), []);
    }
}
