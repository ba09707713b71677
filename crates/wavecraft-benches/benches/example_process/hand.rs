//! The hand-written reference: the example's signal path with every SDK type
//! inlined away (RBJ low-pass with TDF-II state, linear/log ramps, dB→gain,
//! tanh drive with the same compensation and wet fade).

use super::PI;

/// Drive (dB) over which the saturator fades in, as in the example.
const DRIVE_FADE_DB: f32 = 6.0;
/// Filter state below this is flushed to zero, both variables together, as in the SDK.
const DENORMAL_THRESHOLD: f64 = 1.0e-15;

/// A per-sample ramp in `f64` that lands on its target after `round(ms·sr/1000)` samples.
pub struct Ramp {
    steps: u32,
    logarithmic: bool,
    current: f64,
    target: f64,
    increment: f64,
    multiplicative: bool,
    left: u32,
}

impl Ramp {
    pub fn new(ms: f32, logarithmic: bool, sample_rate: f32, value: f32) -> Self {
        Self {
            steps: (f64::from(ms) * f64::from(sample_rate) / 1000.0).round() as u32,
            logarithmic,
            current: f64::from(value),
            target: f64::from(value),
            increment: 0.0,
            multiplicative: false,
            left: 0,
        }
    }

    pub fn set_target(&mut self, target: f32) {
        let target = f64::from(target);
        self.target = target;
        if self.steps == 0 || self.current == target {
            self.current = target;
            self.left = 0;
            return;
        }
        self.left = self.steps;
        self.multiplicative = self.logarithmic && self.current > 0.0 && target > 0.0;
        self.increment = if self.multiplicative {
            (target / self.current).powf(1.0 / f64::from(self.steps))
        } else {
            (target - self.current) / f64::from(self.steps)
        };
    }

    #[inline(always)]
    pub fn next(&mut self) -> f32 {
        if self.left > 0 {
            self.left -= 1;
            if self.left == 0 {
                self.current = self.target;
            } else if self.multiplicative {
                self.current *= self.increment;
            } else {
                self.current += self.increment;
            }
        }
        self.current as f32
    }
}

#[inline(always)]
fn db_to_gain(db: f32) -> f32 {
    if db <= -100.0 {
        0.0
    } else {
        10.0_f32.powf(db * 0.05)
    }
}

/// Input gain → RBJ low-pass → tanh drive faded in over 6 dB → output gain, stereo.
pub struct HandWritten {
    sample_rate: f64,
    pub input_db: Ramp,
    pub cutoff: Ramp,
    pub q: Ramp,
    pub drive_db: Ramp,
    pub output_db: Ramp,
    input_key: f32,
    input_gain: f32,
    filter_key: (f32, f32),
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
    drive_key: f32,
    drive: f32,
    makeup: f32,
    output_key: f32,
    output_gain: f32,
    z: [[f64; 2]; 2],
}

impl HandWritten {
    pub fn new(sample_rate: f32) -> Self {
        let gain = |value| Ramp::new(20.0, false, sample_rate, value);
        let mut this = Self {
            sample_rate: f64::from(sample_rate),
            input_db: gain(0.0),
            cutoff: Ramp::new(30.0, true, sample_rate, 20_000.0),
            q: Ramp::new(30.0, true, sample_rate, 0.707),
            drive_db: gain(0.0),
            output_db: gain(0.0),
            input_key: 0.0,
            input_gain: 1.0,
            filter_key: (0.0, 0.0),
            b0: 0.0,
            b1: 0.0,
            b2: 0.0,
            a1: 0.0,
            a2: 0.0,
            drive_key: 0.0,
            drive: 1.0,
            makeup: 1.0,
            output_key: 0.0,
            output_gain: 1.0,
            z: [[0.0; 2]; 2],
        };
        this.low_pass(20_000.0, 0.707);
        this
    }

    /// RBJ cookbook low-pass, `a0` divided out, in `f64`.
    #[inline(always)]
    fn low_pass(&mut self, frequency: f32, q: f32) {
        self.filter_key = (frequency, q);
        let frequency = f64::from(frequency).clamp(1.0, f64::from(0.49_f32) * self.sample_rate);
        let q = f64::from(q).max(f64::from(0.025_f32));
        let (sin_w0, cos_w0) = (2.0 * PI * frequency / self.sample_rate).sin_cos();
        let alpha = sin_w0 / (2.0 * q);
        let a0 = 1.0 + alpha;
        let b = (1.0 - cos_w0) / 2.0;
        self.b0 = b / a0;
        self.b1 = (1.0 - cos_w0) / a0;
        self.b2 = b / a0;
        self.a1 = -2.0 * cos_w0 / a0;
        self.a2 = (1.0 - alpha) / a0;
    }

    #[inline(always)]
    fn channel(&mut self, channel: usize, x: f32, wet: f32) -> f32 {
        let x = f64::from(x * self.input_gain);
        let z = &mut self.z[channel];
        let y = self.b0 * x + z[0];
        let z1 = self.b1 * x - self.a1 * y + z[1];
        let z2 = self.b2 * x - self.a2 * y;
        *z = if z1.abs() < DENORMAL_THRESHOLD && z2.abs() < DENORMAL_THRESHOLD {
            [0.0, 0.0]
        } else {
            [z1, z2]
        };
        let y = y as f32;
        let driven = if wet > 0.0 {
            let saturated = (y * self.drive).tanh() * self.makeup;
            y + (saturated - y) * wet
        } else {
            y
        };
        driven * self.output_gain
    }

    /// Processes a stereo block in place.
    pub fn process(&mut self, left: &mut [f32], right: &mut [f32]) {
        for (l, r) in left.iter_mut().zip(right.iter_mut()) {
            let input_db = self.input_db.next();
            let cutoff = self.cutoff.next();
            let q = self.q.next();
            let drive_db = self.drive_db.next();
            let output_db = self.output_db.next();
            if input_db != self.input_key {
                self.input_key = input_db;
                self.input_gain = db_to_gain(input_db);
            }
            if (cutoff, q) != self.filter_key {
                self.low_pass(cutoff, q);
            }
            if drive_db != self.drive_key {
                self.drive_key = drive_db;
                self.drive = db_to_gain(drive_db).max(f32::EPSILON);
                self.makeup = 1.0 / self.drive;
            }
            if output_db != self.output_key {
                self.output_key = output_db;
                self.output_gain = db_to_gain(output_db);
            }
            let wet = (drive_db / DRIVE_FADE_DB).clamp(0.0, 1.0);
            *l = self.channel(0, *l, wet);
            *r = self.channel(1, *r, wet);
        }
    }
}
