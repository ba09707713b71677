//! The audio side of a VST3 instance, in safe Rust: the author's plugin inside a `Runner`
//! (`crate::runner`), fed by the host's buffers and its `IParameterChanges`, which
//! `super::component` hands over through [`ParamPoints`].
//!
//! `process` splits the block at every parameter point's sample offset, across all the
//! host's queues in time order, so a change takes effect exactly there (as the CLAP does
//! with its events); the runner splits further at the prepared maximum, as in dev mode.
//! A point's normalised value becomes a plain one through the parameter rules
//! (`super::params`). Output is cleaned of NaN, infinities and denormals like the
//! CLAP's. Nothing here allocates, locks, logs or waits after `prepare`.

#![forbid(unsafe_code)]

use wavecraft_dsp::buffer::{AudioBuffer, MAX_CHANNELS};
use wavecraft_dsp::param::Params;
use wavecraft_dsp::processor::{Plugin, ProcessSetup};

use super::params::to_plain;
use crate::instance::shared_params::SharedParams;
use crate::runner::Runner;

/// The host's parameter changes for one block: queues, each one parameter's points in
/// ascending sample order (what `IParameterChanges` holds).
pub trait ParamPoints {
    /// Number of queues.
    fn queues(&self) -> usize;
    /// The host parameter id queue `queue` changes.
    fn id(&self, queue: usize) -> u32;
    /// Number of points in queue `queue`.
    fn points(&self, queue: usize) -> usize;
    /// Point `point` of queue `queue`: its sample offset and normalised value.
    fn point(&self, queue: usize, point: usize) -> Option<(i32, f64)>;
}

/// No parameter changes (a host that passes no `IParameterChanges`).
pub struct NoPoints;

impl ParamPoints for NoPoints {
    fn queues(&self) -> usize {
        0
    }
    fn id(&self, _: usize) -> u32 {
        0
    }
    fn points(&self, _: usize) -> usize {
        0
    }
    fn point(&self, _: usize, _: usize) -> Option<(i32, f64)> {
        None
    }
}

/// The host's transport for one block (from its `ProcessContext`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostTransport {
    /// Whether the host plays.
    pub playing: bool,
    /// Tempo in beats per minute, when the host gives one.
    pub tempo: Option<f64>,
    /// The timeline position in seconds.
    pub position_seconds: Option<f64>,
}

/// `SpeakerArr::kStereo`: left and right.
pub const STEREO: u64 = 3;

/// Checks a host's proposed bus arrangements (`setBusArrangements`): only one stereo input
/// and one stereo output are accepted until bus layouts exist; the error says what was asked.
pub fn check_arrangement(inputs: &[u64], outputs: &[u64]) -> Result<(), String> {
    if inputs == [STEREO] && outputs == [STEREO] {
        Ok(())
    } else {
        let show = |arrangements: &[u64]| {
            let hex: Vec<String> = arrangements.iter().map(|a| format!("{a:#x}")).collect();
            format!("[{}]", hex.join(", "))
        };
        Err(format!(
            "refused bus arrangement {} in, {} out: only stereo in, stereo out ({STEREO:#x}) is supported",
            show(inputs),
            show(outputs)
        ))
    }
}

/// The earliest unread point across the first `cursors.len()` queues (ties: the lower
/// queue first), advancing that queue's cursor: `(queue, offset, normalised value)`.
/// A point the host cannot give ends its queue. Allocation-free.
pub fn next_point(points: &impl ParamPoints, cursors: &mut [usize]) -> Option<(usize, i32, f64)> {
    let mut best: Option<(usize, i32, f64)> = None;
    for (queue, cursor) in cursors.iter_mut().enumerate() {
        if *cursor >= points.points(queue) {
            continue;
        }
        let Some((offset, value)) = points.point(queue, *cursor) else {
            *cursor = usize::MAX;
            continue;
        };
        if best.is_none_or(|(_, at, _)| offset < at) {
            best = Some((queue, offset, value));
        }
    }
    if let Some((queue, _, _)) = best {
        cursors[queue] += 1;
    }
    best
}

/// The audio-thread part of a VST3 instance.
pub struct AudioSide<P> {
    runner: Runner<P>,
    /// One read position per queue the host may send (one per parameter).
    cursors: Box<[usize]>,
}

impl<P: Plugin> AudioSide<P> {
    /// The plugin in `runner`, for a table of `params` parameters.
    pub fn new(runner: Runner<P>, params: usize) -> Self {
        AudioSide {
            runner,
            cursors: vec![0; params].into_boxed_slice(),
        }
    }

    /// The runner (for reading the plugin's values).
    pub fn runner(&self) -> &Runner<P> {
        &self.runner
    }

    /// Prepares for `setup` with every value in `shared` applied at once (`setActive(true)`,
    /// main thread); the runner's message when the author's `prepare` panicked.
    pub fn activate(&mut self, shared: &SharedParams, setup: ProcessSetup) -> Result<(), String> {
        shared.take_reload();
        self.apply_all(shared);
        self.runner
            .prepare(setup)
            .map_err(|_| self.runner.last_error().to_owned())
    }

    /// The host stopped processing (`setProcessing(false)`): the next block need not follow.
    pub fn stop(&mut self) {
        self.runner.stop();
    }

    fn apply_all(&mut self, shared: &SharedParams) {
        for index in 0..shared.table().len() {
            // A panic is recorded by the runner, which then outputs silence.
            let _ = self.runner.set_value(index, shared.value(index));
        }
    }

    /// Applies one point (host id, normalised value) and publishes the value the plugin holds.
    fn apply(&mut self, shared: &SharedParams, id: u32, normalized: f64) {
        let Some(index) = shared.table().index_of(id) else {
            return;
        };
        if !normalized.is_finite() {
            return;
        }
        let plain = to_plain(&shared.table().specs()[index], normalized);
        if self.runner.set_value(index, plain).is_ok() {
            shared.publish(index, self.runner.plugin().params().param(index).plain());
        }
    }

    /// Processes one block in place: `channels` hold the input and receive the output
    /// (`frames` long each; none for a parameter flush), split at every point of `points`.
    pub fn process(
        &mut self,
        shared: &SharedParams,
        channels: &mut [&mut [f32]],
        points: &impl ParamPoints,
        transport: Option<HostTransport>,
    ) {
        if shared.take_reload() {
            self.apply_all(shared);
        }
        if let Some(t) = transport {
            self.runner
                .set_transport(t.playing, t.tempo, t.position_seconds);
        }
        let count = channels.len().min(MAX_CHANNELS);
        let mut outputs: [&mut [f32]; MAX_CHANNELS] = Default::default();
        for (slot, channel) in outputs.iter_mut().zip(channels.iter_mut()) {
            *slot = channel;
        }
        let mut buffer = AudioBuffer::new(&mut outputs[..count]);
        let frames = buffer.frames();
        let queues = points.queues().min(self.cursors.len());
        self.cursors[..queues].fill(0);
        let mut start = 0;
        while let Some((queue, offset, value)) = next_point(points, &mut self.cursors[..queues]) {
            let at = usize::try_from(offset).unwrap_or(0).clamp(start, frames);
            if at > start {
                let runner = &mut self.runner;
                buffer.with_sub_block(start..at, |segment| runner.process(segment).ok());
                start = at;
            }
            self.apply(shared, points.id(queue), value);
        }
        if start < frames {
            let runner = &mut self.runner;
            buffer.with_sub_block(start..frames, |segment| runner.process(segment).ok());
        }
        for (index, channel) in buffer.iter_mut().enumerate() {
            shared.deliver_output(index, channel);
        }
    }
}

#[cfg(test)]
mod tests {
    use wavecraft_alloc_counter::count_allocations;
    use wavecraft_dsp::param::{FloatParam, FloatRange, IntParam};
    use wavecraft_dsp::processor::{ProcessContext, Processor};

    use super::*;
    use crate::instance::param_table::ParamTable;

    /// Points held in Rust: `(id, [(offset, value)])` per queue.
    struct Queues(Vec<(u32, Vec<(i32, f64)>)>);

    impl ParamPoints for Queues {
        fn queues(&self) -> usize {
            self.0.len()
        }
        fn id(&self, queue: usize) -> u32 {
            self.0[queue].0
        }
        fn points(&self, queue: usize) -> usize {
            self.0[queue].1.len()
        }
        fn point(&self, queue: usize, point: usize) -> Option<(i32, f64)> {
            self.0[queue].1.get(point).copied()
        }
    }

    #[derive(crate::Params)]
    #[params(crate = "::wavecraft_dsp")]
    struct LevelParams {
        level: FloatParam,
        steps: IntParam,
    }

    impl Default for LevelParams {
        fn default() -> Self {
            Self {
                level: FloatParam::new("level", "Level", FloatRange::linear(0.0, 4.0), 1.0),
                steps: IntParam::new("steps", "Steps", 0, 4, 0),
            }
        }
    }

    /// Writes its `level` into every sample: the output shows where a value changed.
    #[derive(Default)]
    struct Level {
        params: LevelParams,
    }

    impl Processor for Level {
        fn prepare(&mut self, _: &ProcessSetup) {}
        fn process(&mut self, buffer: &mut AudioBuffer<'_>, _: &ProcessContext) {
            let level = self.params.level.value();
            for channel in buffer.iter_mut() {
                channel.fill(level);
            }
        }
    }

    impl Plugin for Level {
        type Params = LevelParams;
        fn params(&self) -> &LevelParams {
            &self.params
        }
        fn params_mut(&mut self) -> &mut LevelParams {
            &mut self.params
        }
    }

    fn active() -> (SharedParams, AudioSide<Level>) {
        let runner = Runner::<Level>::create().unwrap();
        let table = ParamTable::new(runner.plugin().params().specs()).unwrap();
        let shared = SharedParams::new(table);
        let mut audio = AudioSide::new(runner, shared.table().len());
        let setup = ProcessSetup {
            sample_rate: 48_000.0,
            max_block_size: 64,
            channels: 2,
        };
        audio.activate(&shared, setup).unwrap();
        (shared, audio)
    }

    #[test]
    fn only_stereo_in_stereo_out_is_accepted() {
        assert_eq!(check_arrangement(&[STEREO], &[STEREO]), Ok(()));
        let mono = check_arrangement(&[1], &[1, 0x3f]).unwrap_err();
        assert_eq!(
            mono,
            "refused bus arrangement [0x1] in, [0x1, 0x3f] out: only stereo in, stereo out (0x3) is supported"
        );
        assert!(check_arrangement(&[STEREO], &[1]).is_err());
        assert!(check_arrangement(&[STEREO, STEREO], &[STEREO]).is_err());
        assert!(check_arrangement(&[], &[STEREO]).is_err());
    }

    #[test]
    fn points_come_in_time_order_across_queues() {
        let queues = Queues(vec![
            (1, vec![(5, 0.1), (30, 0.3)]),
            (2, vec![(0, 0.0), (5, 0.2), (40, 0.4)]),
        ]);
        let mut cursors = [0; 2];
        let order: Vec<_> = std::iter::from_fn(|| next_point(&queues, &mut cursors)).collect();
        assert_eq!(
            order,
            [
                (1, 0, 0.0),
                (0, 5, 0.1),
                (1, 5, 0.2),
                (0, 30, 0.3),
                (1, 40, 0.4)
            ]
        );
        // Queues beyond the cursors are not read (more queues than parameters: a host bug).
        let mut one = [0; 1];
        assert_eq!(
            std::iter::from_fn(|| next_point(&queues, &mut one)).count(),
            2
        );
    }

    #[test]
    fn a_point_changes_the_output_from_its_sample_on() {
        let (shared, mut audio) = active();
        let level = shared.table().host_id(0);
        let mut left = vec![0.0f32; 100];
        let mut right = vec![0.0f32; 100];
        // 0.5 normalised on 0..4 is 2.0, from sample 37 on; 0.25 (1.0) again at 90.
        let points = Queues(vec![(level, vec![(37, 0.5), (90, 0.25)])]);
        audio.process(&shared, &mut [&mut left, &mut right], &points, None);
        assert!(left[..37].iter().all(|&s| s == 1.0), "{:?}", &left[..40]);
        assert!(left[37..90].iter().all(|&s| s == 2.0));
        assert!(left[90..].iter().all(|&s| s == 1.0));
        assert_eq!(left, right);
        assert_eq!(
            shared.value(0),
            1.0,
            "the value the plugin holds is published"
        );
    }

    #[test]
    fn unknown_ids_and_non_finite_values_change_nothing_and_offsets_are_clamped() {
        let (shared, mut audio) = active();
        let level = shared.table().host_id(0);
        let mut left = vec![0.0f32; 16];
        let points = Queues(vec![
            (12345, vec![(0, 1.0)]),
            (level, vec![(-3, f64::NAN), (99, 0.75)]),
        ]);
        audio.process(&shared, &mut [&mut left], &points, None);
        // The point past the end applies after the block: the whole block is at 1.0.
        assert!(left.iter().all(|&s| s == 1.0));
        assert_eq!(shared.value(0), 3.0);
    }

    #[test]
    fn a_stepped_parameter_takes_the_rules_plain_value() {
        let (shared, mut audio) = active();
        let steps = shared.table().host_id(1);
        let points = Queues(vec![(steps, vec![(0, 0.75)])]);
        audio.process(&shared, &mut [], &points, None);
        assert_eq!(shared.value(1), 3.0);
        assert_eq!(audio.runner().plugin().params.steps.get(), 3);
    }

    #[test]
    fn output_is_cleaned_and_processing_allocates_nothing() {
        let (shared, mut audio) = active();
        let level = shared.table().host_id(0);
        let mut left = vec![0.0f32; 256];
        let points = Queues(vec![(level, vec![(10, 1e-45), (200, 0.5)])]);
        let ((), allocations) = count_allocations(|| {
            audio.process(&shared, &mut [&mut left], &points, None);
        });
        // The counter is installed (a Vec is two calls), so the zero below means something.
        assert_eq!(count_allocations(|| vec![1u8].len()).1, 2);
        assert_eq!(allocations, 0, "process allocated");
        // 1e-45 normalised is a denormal level: cleaned to 0.
        assert!(left[10..200].iter().all(|&s| s == 0.0));
        assert!(left[200..].iter().all(|&s| s == 2.0));
    }

    #[test]
    fn a_loaded_state_reaches_the_dsp_at_the_next_block() {
        let (shared, mut audio) = active();
        let saved = {
            shared.publish(0, 3.5);
            shared.save_state()
        };
        shared.publish(0, 1.0);
        shared.load_state(&saved).unwrap();
        let mut left = vec![0.0f32; 8];
        audio.process(&shared, &mut [&mut left], &NoPoints, None);
        assert!(left.iter().all(|&s| s == 3.5));
    }
}
