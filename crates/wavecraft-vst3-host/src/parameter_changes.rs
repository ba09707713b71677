//! `IParameterChanges` and its `IParamValueQueue`s: the sample-accurate
//! parameter points a host passes into `process` (and the list the plugin
//! writes its own changes into). All room is made up front, so filling,
//! reading and clearing a list never allocates: the host's side of a
//! process call stays allocation-free too, as a real-time host's must.

use std::cell::{Cell, RefCell};

use vst3::Steinberg::tresult;
use vst3::Steinberg::Vst::{
    IParamValueQueue, IParamValueQueueTrait, IParameterChanges, IParameterChangesTrait, ParamID,
    ParamValue,
};
use vst3::{Class, ComWrapper};

use crate::result::Error;

/// One parameter's points, in sample order.
struct Queue {
    id: Cell<ParamID>,
    points: RefCell<Vec<(i32, ParamValue)>>,
    capacity: usize,
}

impl Queue {
    /// Adds a point in sample order; a point at an offset already there replaces it.
    fn add(&self, offset: i32, value: ParamValue) -> Option<usize> {
        let mut points = self.points.borrow_mut();
        let index = points.partition_point(|&(o, _)| o < offset);
        if points.get(index).is_some_and(|&(o, _)| o == offset) {
            points[index].1 = value;
        } else if points.len() < self.capacity {
            points.insert(index, (offset, value));
        } else {
            return None;
        }
        Some(index)
    }
}

impl Class for Queue {
    type Interfaces = (IParamValueQueue,);
}

impl IParamValueQueueTrait for Queue {
    unsafe fn getParameterId(&self) -> ParamID {
        self.id.get()
    }

    unsafe fn getPointCount(&self) -> i32 {
        self.points.borrow().len() as i32
    }

    unsafe fn getPoint(&self, index: i32, offset: *mut i32, value: *mut ParamValue) -> tresult {
        let points = self.points.borrow();
        let Some(&(o, v)) = usize::try_from(index).ok().and_then(|i| points.get(i)) else {
            return vst3::Steinberg::kInvalidArgument;
        };
        if offset.is_null() || value.is_null() {
            return vst3::Steinberg::kInvalidArgument;
        }
        // SAFETY: both out pointers come from the caller and are non-null.
        unsafe {
            *offset = o;
            *value = v;
        }
        vst3::Steinberg::kResultOk
    }

    unsafe fn addPoint(&self, offset: i32, value: ParamValue, index: *mut i32) -> tresult {
        let Some(at) = self.add(offset, value) else {
            return vst3::Steinberg::kResultFalse;
        };
        if !index.is_null() {
            // SAFETY: a non-null out pointer from the caller.
            unsafe { *index = at as i32 };
        }
        vst3::Steinberg::kResultOk
    }
}

/// The list object: a fixed set of queues, the first `used` of them in use.
struct Changes {
    queues: Vec<ComWrapper<Queue>>,
    used: Cell<usize>,
}

impl Changes {
    /// The queue of `id`, taking a free one if `id` has none yet.
    fn queue_for(&self, id: ParamID) -> Option<(usize, &ComWrapper<Queue>)> {
        let used = self.used.get();
        if let Some(found) = self.queues[..used]
            .iter()
            .enumerate()
            .find(|(_, q)| q.id.get() == id)
        {
            return Some(found);
        }
        let queue = self.queues.get(used)?;
        queue.id.set(id);
        queue.points.borrow_mut().clear();
        self.used.set(used + 1);
        Some((used, queue))
    }

    fn queue_ptr(queue: &ComWrapper<Queue>) -> *mut IParamValueQueue {
        queue
            .as_com_ref::<IParamValueQueue>()
            .map_or(std::ptr::null_mut(), |q| q.as_ptr())
    }
}

impl Class for Changes {
    type Interfaces = (IParameterChanges,);
}

impl IParameterChangesTrait for Changes {
    unsafe fn getParameterCount(&self) -> i32 {
        self.used.get() as i32
    }

    unsafe fn getParameterData(&self, index: i32) -> *mut IParamValueQueue {
        match usize::try_from(index) {
            Ok(i) if i < self.used.get() => Self::queue_ptr(&self.queues[i]),
            _ => std::ptr::null_mut(),
        }
    }

    unsafe fn addParameterData(
        &self,
        id: *const ParamID,
        index: *mut i32,
    ) -> *mut IParamValueQueue {
        if id.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: a non-null pointer to the caller's parameter id.
        let id = unsafe { *id };
        let Some((at, queue)) = self.queue_for(id) else {
            return std::ptr::null_mut();
        };
        if !index.is_null() {
            // SAFETY: a non-null out pointer from the caller.
            unsafe { *index = at as i32 };
        }
        // The SDK's lists hand out queues they keep owning: no reference is added.
        Self::queue_ptr(queue)
    }
}

/// A parameter-change list with room made up front; filling and clearing it never allocates.
pub struct ParameterChanges {
    changes: ComWrapper<Changes>,
}

impl ParameterChanges {
    /// Room for `parameters` parameters with up to `points` points each.
    pub fn with_capacity(parameters: usize, points: usize) -> ParameterChanges {
        let queues = (0..parameters)
            .map(|_| {
                ComWrapper::new(Queue {
                    id: Cell::new(0),
                    points: RefCell::new(Vec::with_capacity(points)),
                    capacity: points,
                })
            })
            .collect();
        ParameterChanges {
            changes: ComWrapper::new(Changes {
                queues,
                used: Cell::new(0),
            }),
        }
    }

    /// Empties the list (its room is kept).
    pub fn clear(&self) {
        for queue in &self.changes.queues[..self.changes.used.get()] {
            queue.points.borrow_mut().clear();
        }
        self.changes.used.set(0);
    }

    /// Adds a point: parameter `id` takes normalised `value` at sample `offset` of the block.
    pub fn add(&self, id: u32, offset: i32, value: f64) -> Result<(), Error> {
        let (_, queue) = self.changes.queue_for(id).ok_or(Error::Capacity {
            what: "parameters in a change list",
            capacity: self.changes.queues.len(),
        })?;
        queue.add(offset, value).map(|_| ()).ok_or(Error::Capacity {
            what: "points per parameter",
            capacity: queue.capacity,
        })
    }

    /// Every point in the list as `(id, offset, normalised value)`, by parameter then sample.
    pub fn points(&self) -> Vec<(u32, i32, f64)> {
        self.changes.queues[..self.changes.used.get()]
            .iter()
            .flat_map(|queue| {
                let id = queue.id.get();
                queue
                    .points
                    .borrow()
                    .iter()
                    .map(move |&(offset, value)| (id, offset, value))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The list as the pointer `ProcessData` carries (borrowed: no reference added).
    pub(crate) fn as_ptr(&self) -> *mut IParameterChanges {
        self.changes
            .as_com_ref::<IParameterChanges>()
            .map_or(std::ptr::null_mut(), |c| c.as_ptr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_stay_in_sample_order_and_the_room_is_fixed() {
        let changes = ParameterChanges::with_capacity(1, 2);
        changes.add(7, 100, 0.5).unwrap();
        changes.add(7, 10, 0.25).unwrap();
        changes.add(7, 100, 0.75).unwrap();
        assert_eq!(changes.points(), [(7, 10, 0.25), (7, 100, 0.75)]);
        assert!(matches!(
            changes.add(7, 5, 0.0),
            Err(Error::Capacity { .. })
        ));
        assert!(matches!(
            changes.add(8, 0, 0.0),
            Err(Error::Capacity { .. })
        ));
        changes.clear();
        assert!(changes.points().is_empty());
        changes.add(8, 0, 1.0).unwrap();
        assert_eq!(changes.points(), [(8, 0, 1.0)]);
    }
}
