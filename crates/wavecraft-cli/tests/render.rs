//! `render` against the real example engine, on WAV files written here.
//!
//! The engine is built once per test binary into its own target directory
//! (`target/test-engines`), so the nested cargo never waits on the lock of
//! the cargo running these tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use wavecraft_cli::params::Assignment;
use wavecraft_cli::render::{render, Input, RenderError, RenderOptions};
use wavecraft_cli::signal::Signal;

const RATE: u32 = 48_000;
/// −6 dBFS.
const LEVEL: f64 = 0.501_187_233_627_272_2;

/// The example engine's cdylib, built on first use.
fn engine() -> PathBuf {
    wavecraft_test_support::workspace_engine("example-plugin")
}

/// Writes a WAV whose every channel holds `samples(frame)`.
fn write_wav(path: &Path, spec: hound::WavSpec, frames: usize, samples: impl Fn(usize) -> f64) {
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for n in 0..frames {
        let x = samples(n);
        for _ in 0..spec.channels {
            match spec.sample_format {
                hound::SampleFormat::Float => writer.write_sample(x as f32).unwrap(),
                hound::SampleFormat::Int => {
                    let full = f64::from(1u32 << (spec.bits_per_sample - 1));
                    writer.write_sample((x * full).round() as i32).unwrap()
                }
            }
        }
    }
    writer.finalize().unwrap();
}

fn float_spec(channels: u16, sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    }
}

fn sine(hz: f64, sample_rate: u32) -> impl Fn(usize) -> f64 {
    move |n| LEVEL * (std::f64::consts::TAU * hz * n as f64 / f64::from(sample_rate)).sin()
}

/// A −6 dBFS 1 kHz stereo float sine of `seconds`, at 48 kHz.
fn sine_wav(dir: &Path, seconds: f64) -> PathBuf {
    let path = dir.join("sine.wav");
    let frames = (seconds * f64::from(RATE)) as usize;
    write_wav(&path, float_spec(2, RATE), frames, sine(1000.0, RATE));
    path
}

fn read(path: &Path) -> (hound::WavSpec, Vec<Vec<f32>>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    let channels = (0..usize::from(spec.channels))
        .map(|c| {
            samples
                .iter()
                .skip(c)
                .step_by(usize::from(spec.channels))
                .copied()
                .collect()
        })
        .collect();
    (spec, channels)
}

/// RMS in dBFS over all channels, after skipping `skip` frames.
fn rms_db(channels: &[Vec<f32>], skip: usize) -> f64 {
    let (sum, count) = channels
        .iter()
        .flat_map(|c| &c[skip..])
        .fold((0.0f64, 0usize), |(s, n), &x| {
            (s + f64::from(x).powi(2), n + 1)
        });
    10.0 * (sum / count as f64).log10()
}

fn options(input: &Path, output: &Path, set: &[&str]) -> RenderOptions {
    let mut options = RenderOptions::new(engine(), output);
    options.input = Input::File(input.to_path_buf());
    options.set = set
        .iter()
        .map(|s| s.parse::<Assignment>().unwrap())
        .collect();
    options
}

fn render_err(options: &RenderOptions) -> String {
    let err = render(options).expect_err("render should fail");
    err.to_string()
}

#[test]
fn output_gain_minus_6_lowers_rms_by_6_db() {
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 1.0);
    let plain = dir.path().join("plain.wav");
    let quiet = dir.path().join("quiet.wav");
    render(&options(&input, &plain, &[])).unwrap();
    render(&options(&input, &quiet, &["output_gain=-6"])).unwrap();
    let skip = (0.05 * f64::from(RATE)) as usize;
    let (_, plain) = read(&plain);
    let (_, quiet) = read(&quiet);
    let drop = rms_db(&plain, skip) - rms_db(&quiet, skip);
    println!(
        "default RMS {:.3} dBFS, output_gain=-6 RMS {:.3} dBFS, drop {drop:.4} dB",
        rms_db(&plain, skip),
        rms_db(&quiet, skip)
    );
    assert!((drop - 6.0).abs() <= 0.05, "drop was {drop} dB");
}

#[test]
fn set_reads_values_with_their_unit_as_a_daw_user_types_them() {
    // `--set` reads text through the parameter rules, like a plugin host's text entry:
    // `-6 dB` is -6 on a dB parameter, `1k` is 1000 on a Hz one.
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 0.2);
    let render_bytes = |name: &str, set: &[&str]| {
        let output = dir.path().join(name);
        render(&options(&input, &output, set)).unwrap();
        std::fs::read(output).unwrap()
    };
    let plain = render_bytes("plain.wav", &["output_gain=-6", "cutoff=1000"]);
    let typed = render_bytes("typed.wav", &["output_gain=-6 dB", "cutoff=1k"]);
    assert!(
        plain == typed,
        "`-6 dB` and `1k` must render like -6 and 1000"
    );
    let refused = render_err(&options(
        &input,
        &dir.path().join("o.wav"),
        &["output_gain=-6 Hz"],
    ));
    assert!(
        refused.contains("expected a number in -60..=12 dB"),
        "{refused}"
    );
}

/// RMS in dBFS over all channels, over `frames`.
fn rms_db_over(channels: &[Vec<f32>], frames: std::ops::Range<usize>) -> f64 {
    let (sum, count) = channels
        .iter()
        .flat_map(|c| &c[frames.clone()])
        .fold((0.0f64, 0usize), |(s, n), &x| {
            (s + f64::from(x).powi(2), n + 1)
        });
    10.0 * (sum / count as f64).log10()
}

#[test]
fn a_value_set_before_rendering_applies_from_the_first_sample() {
    // `render --set cutoff=800` on a 10 kHz sine: the low-pass must be at 800 Hz from the
    // first block, not sweep down from its 20 kHz default over the 30 ms of smoothing (which
    // put the first 10 ms some 35 dB above the steady state). The window starts after 2 ms:
    // a filter at rest hit by a sine rings for a moment at any fixed cutoff (time constant
    // ~0.3 ms at 800 Hz), and that onset is not a glide.
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("low.wav");
    let mut options = RenderOptions::new(engine(), &output);
    options.input = Input::Signal(Signal::Sine(10_000.0));
    options.duration = Some(0.5);
    options.sample_rate = Some(RATE);
    options.set = vec!["cutoff=800".parse::<Assignment>().unwrap()];
    render(&options).unwrap();
    let (_, channels) = read(&output);
    let ms = |ms: usize| ms * RATE as usize / 1000;
    let frames = channels[0].len();
    let onset = rms_db_over(&channels, 0..ms(2));
    let first = rms_db_over(&channels, ms(2)..ms(12));
    let steady = rms_db_over(&channels, frames - ms(100)..frames);
    println!(
        "cutoff=800 on 10 kHz: onset (0-2 ms) {onset:.2} dBFS, first 10 ms after it {first:.2} \
         dBFS, steady state {steady:.2} dBFS"
    );
    assert!(
        (first - steady).abs() <= 1.0,
        "the first 10 ms ({first:.2} dBFS) differ from the steady state ({steady:.2} dBFS) by \
         more than 1 dB"
    );
}

#[test]
fn block_sizes_1_64_and_512_render_the_same_samples() {
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 0.5);
    let set = ["cutoff=800", "drive=12", "resonance=2"];
    let mut renders = Vec::new();
    for block in [1u32, 64, 512] {
        let output = dir.path().join(format!("block{block}.wav"));
        let mut opts = options(&input, &output, &set);
        opts.block_size = block;
        render(&opts).unwrap();
        renders.push((block, read(&output).1));
    }
    let (_, reference) = &renders[2];
    for (block, channels) in &renders[..2] {
        let max_diff = channels
            .iter()
            .flatten()
            .zip(reference.iter().flatten())
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        println!("block {block} vs 512: max |diff| {max_diff:e}");
        assert!(max_diff <= 1e-6, "block {block}: max diff {max_diff}");
    }
}

#[test]
fn rendering_twice_writes_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("noise.wav");
    let mut state = 0x1234_5678u32;
    let noise = move |_n: usize| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        LEVEL * (f64::from(state) / f64::from(u32::MAX) * 2.0 - 1.0)
    };
    // `write_wav` takes `Fn`; precompute the noise so the closure is pure.
    let samples: Vec<f64> = (0..RATE as usize / 2).map(noise).collect();
    write_wav(&input, float_spec(2, RATE), samples.len(), |n| samples[n]);
    let set = ["drive=18", "filter_mode=Band-pass", "cutoff=2000"];
    let a = dir.path().join("a.wav");
    let b = dir.path().join("b.wav");
    render(&options(&input, &a, &set)).unwrap();
    render(&options(&input, &b, &set)).unwrap();
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    println!("file input: {} bytes each, identical: {}", a.len(), a == b);
    assert_eq!(a, b);

    let mut signal = RenderOptions::new(engine(), dir.path().join("s1.wav"));
    signal.input = Input::Signal(Signal::Noise);
    signal.duration = Some(0.25);
    render(&signal).unwrap();
    let first = std::fs::read(&signal.output).unwrap();
    signal.output = dir.path().join("s2.wav");
    render(&signal).unwrap();
    assert_eq!(first, std::fs::read(&signal.output).unwrap());
}

#[test]
fn unknown_id_lists_the_valid_ids() {
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 0.1);
    let message = render_err(&options(&input, &dir.path().join("o.wav"), &["nope=1"]));
    println!("{message}");
    assert!(
        message.contains(
            "no parameter `nope`; valid ids: input_gain, filter_mode, cutoff, resonance, drive, output_gain"
        ),
        "{message}"
    );
}

#[test]
fn out_of_range_value_names_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 0.1);
    let message = render_err(&options(
        &input,
        &dir.path().join("o.wav"),
        &["output_gain=99"],
    ));
    println!("{message}");
    assert!(message.contains("output_gain=99"), "{message}");
    assert!(message.contains("-60..=12 dB"), "{message}");
}

#[test]
fn enum_variant_names_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let input = sine_wav(dir.path(), 0.5);
    let low = dir.path().join("low.wav");
    let high = dir.path().join("high.wav");
    render(&options(&input, &low, &[])).unwrap();
    render(&options(&input, &high, &["filter_mode=High-pass"])).unwrap();
    let skip = (0.05 * f64::from(RATE)) as usize;
    let (low, high) = (rms_db(&read(&low).1, skip), rms_db(&read(&high).1, skip));
    println!("1 kHz through low-pass {low:.2} dBFS, through High-pass (20 kHz) {high:.2} dBFS");
    assert!(
        low - high > 30.0,
        "High-pass at 20 kHz should cut 1 kHz: {low} vs {high}"
    );
}

#[test]
fn a_missing_input_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.wav");
    let opts = options(&missing, &dir.path().join("o.wav"), &[]);
    let err = render(&opts).unwrap_err();
    assert!(matches!(err, RenderError::AudioFile(_)), "{err:?}");
    let message = err.to_string();
    println!("{message}");
    assert!(
        message.contains("absent.wav") && message.contains("does not exist"),
        "{message}"
    );
    assert!(!opts.output.exists(), "no output is written on failure");
}

#[test]
fn a_sample_rate_mismatch_is_refused_without_resampling() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("44k.wav");
    write_wav(&input, float_spec(2, 44_100), 4410, sine(1000.0, 44_100));
    let mut opts = options(&input, &dir.path().join("o.wav"), &[]);
    opts.sample_rate = Some(48_000);
    let message = render_err(&opts);
    println!("{message}");
    assert!(
        message.contains("44100 Hz") && message.contains("--sample-rate 48000"),
        "{message}"
    );
    assert!(message.contains("does not resample"), "{message}");
}

#[test]
fn mono_24_bit_input_is_spread_to_two_channels() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mono24.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 24,
        sample_format: hound::SampleFormat::Int,
    };
    write_wav(&input, spec, 4410, sine(440.0, 44_100));
    let output = dir.path().join("stereo.wav");
    let mut opts = options(&input, &output, &[]);
    opts.channels = Some(2);
    let summary = render(&opts).unwrap();
    assert_eq!(
        (summary.frames, summary.channels, summary.sample_rate),
        (4410, 2, 44_100)
    );
    let (spec, channels) = read(&output);
    assert_eq!(spec.sample_format, hound::SampleFormat::Float);
    assert_eq!(channels[0], channels[1]);
    assert!(
        (summary.peak_dbfs + 6.0).abs() < 0.1,
        "peak {}",
        summary.peak_dbfs
    );
}

#[test]
fn the_binary_builds_a_project_and_renders_it() {
    engine(); // build first, so the nested build below finds everything fresh
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("cli.wav");
    let run = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("render")
        .arg(wavecraft_test_support::workspace_root().join("examples/example-plugin"))
        .arg("--output")
        .arg(&output)
        .args(["--signal", "sine:440", "--duration", "0.25"])
        .args(["--set", "output_gain=-6", "--set", "filter_mode=Peak"])
        .env(
            "CARGO_TARGET_DIR",
            wavecraft_test_support::engines_target_dir(),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stderr}");
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("rendered 12000 frames"), "{stderr}");
    let (spec, channels) = read(&output);
    assert_eq!((spec.channels, spec.sample_rate), (2, RATE));
    assert_eq!(channels[0].len(), 12_000);
}

#[test]
fn the_binary_reports_errors_on_one_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("render")
        .arg(dir.path())
        .args(["--output", "o.wav"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: no engine/Cargo.toml in")
            && stderr.contains("pass a Wavecraft project directory or a built engine library"),
        "{stderr}"
    );

    // Bad arguments are reported before the project is even looked at, let alone built.
    let run = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("render")
        .arg(dir.path())
        .args(["--output", "o.wav", "--block-size", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--block-size must be at least 1"),
        "{stderr}"
    );

    let help = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .args(["render", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Examples:") && help.contains("wavecraft render "),
        "{help}"
    );
}

#[test]
fn a_failing_engine_build_shows_cargo_diagnostics() {
    let project = tempfile::tempdir().unwrap();
    let engine_dir = project.path().join("engine");
    std::fs::create_dir_all(engine_dir.join("src")).unwrap();
    std::fs::write(
        engine_dir.join("Cargo.toml"),
        "[package]\nname = \"broken-engine\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [lib]\ncrate-type = [\"cdylib\"]\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        engine_dir.join("src/lib.rs"),
        "pub fn broken() -> u32 { \"not a number\" }\n",
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_wavecraft"))
        .arg("render")
        .arg(project.path())
        .args(["--output", "o.wav"])
        .env("CARGO_TARGET_DIR", project.path().join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stderr}");
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E0308]: mismatched types"),
        "rustc's rendered diagnostic: {stderr}"
    );
    assert!(stderr.contains("error: engine build failed"), "{stderr}");
}
