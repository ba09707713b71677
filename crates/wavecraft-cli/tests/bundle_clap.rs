//! `wavecraft bundle` on the example project, and the `.clap` it writes
//! loaded by path into a real CLAP host (clack-host), the way a DAW or
//! clap-validator does: scan, instantiate, activate at several rates and
//! block sizes, parameters, text, state, sample-accurate events, and the
//! same sound as the dev path (for the `.vst3` of the same bundle run too,
//! through `wavecraft-vst3-host`; its other tests are in `bundle_vst3`).
//!
//! The bundle is built once per test binary into its own target directory
//! (`target/test-bundles`), so the nested cargo never waits on the lock of the
//! cargo running these tests.

mod support;
#[path = "support/vst3_host.rs"]
mod vst3_host;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use clack_extensions::params::{ParamInfoBuffer, ParamInfoFlags, PluginParams};
use clack_extensions::state::PluginState;
use clack_host::factory::plugin::PluginFactory;
use clack_host::prelude::*;
use wavecraft_cli::bundle::{bundle, BundleOptions, InstallDirs};
use wavecraft_cli::params::Assignment;
use wavecraft_cli::render::{render, Input, RenderOptions};
use wavecraft_cli::signal::Signal;
use wavecraft_dev_server::parameter_types::{Update, OUTPUT_PATH};

use support::clap_host::{
    load_entry, render_clap, render_clap_with_hook, render_clap_with_masks, Change, TestHost,
    EXAMPLE_ID,
};

/// The example's release `.clap`, bundled (and installed into a scratch folder) on first use.
fn bundled() -> &'static Path {
    &bundles().0
}

/// The `.vst3` the same bundle run wrote (the same library).
fn bundled_vst3() -> &'static Path {
    &bundles().1
}

/// The `.clap` and the `.vst3` of one bundle run.
fn bundles() -> &'static (PathBuf, PathBuf) {
    static BUNDLE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let scratch = wavecraft_test_support::workspace_root()
            .join("target")
            .join("test-bundles");
        let options = BundleOptions {
            target_dir: Some(scratch.clone()),
            out_dir: scratch.join("bundled"),
            install: Some(InstallDirs {
                clap: scratch.join("installed"),
                vst3: scratch.join("installed-vst3"),
            }),
            ..BundleOptions::new(
                wavecraft_test_support::workspace_root()
                    .join("examples")
                    .join("example-plugin"),
            )
        };
        let done = bundle(&options).expect("bundling the example");
        // The example has a ui/: the bundle read the built engine's parameters and found
        // its committed typed ids current (so it left the file alone).
        assert_eq!(
            done.parameter_types,
            Update::Unchanged(
                wavecraft_test_support::workspace_root()
                    .join("examples/example-plugin")
                    .join(OUTPUT_PATH)
            )
        );
        let ui = done
            .ui
            .as_ref()
            .expect("the example has a ui/: its build is embedded");
        assert!(ui.files >= 2, "index.html and its assets: {ui:?}");
        let clap = done.clap.expect("the CLAP bundle (all formats by default)");
        let installed = clap.installed.expect("installed copy");
        assert_eq!(
            std::fs::read(&installed).unwrap(),
            std::fs::read(&clap.path).unwrap()
        );
        let size = std::fs::metadata(&clap.path).unwrap().len();
        eprintln!(
            "release bundle {} is {:.2} MiB with a {:.0} KiB UI ({} files)",
            clap.path.display(),
            size as f64 / 1_048_576.0,
            ui.bytes as f64 / 1024.0,
            ui.files
        );
        let vst3 = done.vst3.expect("the VST3 bundle (all formats by default)");
        (clap.path, vst3.path)
    })
}

/// Every file of the example's UI build, byte for byte, is inside the `.clap` (the
/// plugin window serves them from there; nothing is read from disk at run time).
#[test]
fn the_bundle_carries_the_ui_build() {
    let bundle = std::fs::read(bundled()).unwrap();
    let dist = wavecraft_test_support::workspace_root().join("target/test-bundles/wavecraft-ui");
    let mut checked = 0;
    for entry in wavecraft_test_support::files_below(&dist) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            bundle.windows(bytes.len()).any(|w| w == bytes.as_slice()),
            "{} is not embedded",
            entry.display()
        );
        checked += 1;
    }
    assert!(checked >= 2, "index.html and its assets");
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    assert!(index.contains("<div id=\"root\">"), "{index}");
}

/// The example's dev engine (debug cdylib), as `render`'s tests build it.
fn dev_engine() -> PathBuf {
    wavecraft_test_support::workspace_engine("example-plugin")
}

fn sine(frames: usize, rate: u32) -> Vec<Vec<f32>> {
    Signal::Sine(1000.0).generate(frames, 2, rate)
}

fn rms_db(samples: &[f32]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    10.0 * (sum / samples.len() as f64).log10()
}

/// The CLAP id and info of the parameter named `name`.
fn param(instance: &mut PluginInstance<TestHost>, name: &str) -> (ClapId, f64, f64) {
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let handle = instance.plugin_handle();
    (0..params.count(&handle))
        .find_map(|i| {
            let mut buffer = ParamInfoBuffer::new();
            let info = params.get_info(&handle, i, &mut buffer)?;
            (info.name == name.as_bytes()).then_some((info.id, info.min_value, info.max_value))
        })
        .unwrap_or_else(|| panic!("no parameter named {name}"))
}

#[test]
fn scans_fast_and_describes_the_example() {
    let path = bundled();
    let started = Instant::now();
    let entry = load_entry(path);
    let factory = entry
        .get_factory::<PluginFactory>()
        .expect("plugin factory");
    assert_eq!(factory.plugin_count(), 1);
    let descriptor = factory.plugin_descriptor(0).expect("descriptor");
    let id = descriptor.id().unwrap().to_str().unwrap().to_owned();
    let scan = started.elapsed();
    eprintln!("scan (entry init + factory + descriptor): {scan:?}");
    assert_eq!(id, EXAMPLE_ID);
    let name = descriptor.name().unwrap().to_str().unwrap();
    assert_eq!(name, "Wavecraft Example");
    // The file a DAW user sees in their plugin folder carries the name the DAW lists.
    assert_eq!(
        path.file_name().unwrap().to_str(),
        Some(format!("{name}.clap").as_str())
    );
    assert_eq!(descriptor.vendor().unwrap().to_str().unwrap(), "Wavecraft");
    assert_eq!(descriptor.version().unwrap().to_str().unwrap(), "0.1.0");
    let features: Vec<_> = descriptor
        .features()
        .map(|f| f.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(features, ["audio-effect", "stereo"]);

    let mut instance = support::clap_host::instantiate(&entry);
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let handle = instance.plugin_handle();
    assert_eq!(params.count(&handle), 6);
    let mut ids = Vec::new();
    for i in 0..params.count(&handle) {
        let mut buffer = ParamInfoBuffer::new();
        let info = params.get_info(&handle, i, &mut buffer).unwrap();
        assert!(info.min_value < info.max_value);
        assert!((info.min_value..=info.max_value).contains(&info.default_value));
        assert!(info.flags.contains(ParamInfoFlags::IS_AUTOMATABLE));
        assert_eq!(params.get_value(&handle, info.id), Some(info.default_value));
        if info.name == b"Mode" {
            assert!(info
                .flags
                .contains(ParamInfoFlags::IS_STEPPED | ParamInfoFlags::IS_ENUM));
        }
        ids.push(info.id);
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "parameter ids are unique");
}

#[test]
fn activates_at_44k1_and_96k_with_blocks_of_1_64_and_4096() {
    let entry = load_entry(bundled());
    for rate in [44_100, 96_000] {
        let input = sine(rate as usize / 10, rate);
        let mut outputs = Vec::new();
        for block in [1, 64, 4096] {
            let mut instance = support::clap_host::instantiate(&entry);
            let out = render_clap(&mut instance, rate, block, &input, &[]);
            assert!(out.iter().flatten().all(|s| s.is_finite()));
            let level = rms_db(&out[0]) - rms_db(&input[0]);
            assert!(level.abs() < 1.0, "{rate} Hz, block {block}: {level} dB");
            outputs.push(out);
        }
        // Smoothing and filters are per sample: the host's block size changes nothing.
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{rate} Hz");
    }
}

#[test]
fn output_gain_of_minus_6_db_lowers_a_sine_by_6_db() {
    let entry = load_entry(bundled());
    let rate = 48_000;
    let input = sine(rate as usize / 2, rate);
    let mut reference = support::clap_host::instantiate(&entry);
    let dry = render_clap(&mut reference, rate, 512, &input, &[]);
    let mut instance = support::clap_host::instantiate(&entry);
    let (gain, ..) = param(&mut instance, "Output");
    // Flushed while inactive (main thread): applied at activation, with no ramp.
    support::clap_host::flush_inactive(&mut instance, gain, -6.0);
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    assert_eq!(
        params.get_value(&instance.plugin_handle(), gain),
        Some(-6.0)
    );
    let wet = render_clap(&mut instance, rate, 512, &input, &[]);
    let change = rms_db(&wet[0][4800..]) - rms_db(&dry[0][4800..]);
    eprintln!("output_gain -6 dB: measured {change:.4} dB");
    assert!((change + 6.0).abs() < 0.05, "{change} dB");
}

#[test]
fn a_parameter_event_mid_block_changes_the_output_from_its_sample_on() {
    let entry = load_entry(bundled());
    let rate = 44_100;
    let input = sine(8192, rate);
    let mut plain = support::clap_host::instantiate(&entry);
    let before = render_clap(&mut plain, rate, 4096, &input, &[]);
    let mut instance = support::clap_host::instantiate(&entry);
    let (mode, ..) = param(&mut instance, "Mode");
    let (gain, ..) = param(&mut instance, "Output");
    let changes = [
        Change {
            frame: 1000,
            id: gain,
            value: -24.0,
        },
        Change {
            frame: 5000,
            id: mode,
            value: 1.0,
        },
    ];
    let after = render_clap(&mut instance, rate, 4096, &input, &changes);
    let first_difference = (0..input[0].len()).find(|&n| before[0][n] != after[0][n]);
    assert_eq!(first_difference, Some(1000));
    let mut halfway = support::clap_host::instantiate(&entry);
    let only_gain = render_clap(&mut halfway, rate, 4096, &input, &changes[..1]);
    let mode_starts = (0..input[0].len()).find(|&n| only_gain[0][n] != after[0][n]);
    assert_eq!(
        mode_starts,
        Some(5000),
        "the second event lands in the second block"
    );
}

/// The output constant mask a host should see for `channels`: bit `c` set exactly when all of
/// channel `c`'s samples in `range` are equal.
fn constant_bits(channels: &[Vec<f32>], range: std::ops::Range<usize>) -> u64 {
    channels
        .iter()
        .enumerate()
        .filter(|(_, c)| c[range.clone()].iter().all(|&s| s == c[range.start]))
        .fold(0, |mask, (index, _)| mask | 1 << index)
}

#[test]
fn the_output_constant_mask_is_set_exactly_when_the_output_is_constant() {
    let entry = load_entry(bundled());
    let rate = 48_000;
    let block = 256;
    // 0.1 s of silence, 0.1 s of sine, then 0.5 s of silence; every silent block reaches the
    // plugin flagged constant, and the host offers an output mask with every bit already set.
    let lead = 20 * block;
    let sine_len = 19 * block;
    let mut input = vec![vec![0.0f32; lead + sine_len + 94 * block]; 2];
    let burst = sine(sine_len, rate);
    for (channel, burst) in input.iter_mut().zip(&burst) {
        channel[lead..lead + sine_len].copy_from_slice(burst);
    }
    let mut instance = support::clap_host::instantiate(&entry);
    // A low-pass at 200 Hz: after the sine stops, the filter rings on for a few blocks.
    let (cutoff, ..) = param(&mut instance, "Cutoff");
    support::clap_host::flush_inactive(&mut instance, cutoff, 200.0);
    let (output, masks) = render_clap_with_masks(&mut instance, rate, block, &input, &[]);

    let blocks = input[0].len() / block;
    assert_eq!(masks.len(), blocks);
    for (index, &mask) in masks.iter().enumerate() {
        let range = index * block..(index + 1) * block;
        assert_eq!(
            mask,
            constant_bits(&output, range),
            "block {index}: the mask must match the output"
        );
    }
    let (lead_blocks, sine_blocks) = (lead / block, sine_len / block);
    // Silence in, silence out: constant, and the host may skip reading it.
    assert!(masks[..lead_blocks].iter().all(|&m| m == 0b11));
    assert!(output.iter().all(|c| c[..lead].iter().all(|&s| s == 0.0)));
    // A sine is never constant.
    assert!(masks[lead_blocks..lead_blocks + sine_blocks]
        .iter()
        .all(|&m| m == 0));
    // The tail: the input is flagged constant, the output is not, and the mask says so.
    let tail = masks[lead_blocks + sine_blocks..]
        .iter()
        .take_while(|&&m| m != 0b11)
        .count();
    assert!(tail >= 1, "the filter's tail is not constant");
    // Once the tail has died out (denormals flushed to zero), constant again, to the end.
    assert!(masks[lead_blocks + sine_blocks + tail..]
        .iter()
        .all(|&m| m == 0b11));
    eprintln!(
        "constant mask: {tail} tail blocks ({:.1} ms) non-constant after the sine, then constant",
        (tail * block) as f64 * 1000.0 / f64::from(rate)
    );
}

#[test]
fn flush_while_active_updates_what_the_host_reads() {
    let entry = load_entry(bundled());
    let mut instance = support::clap_host::instantiate(&entry);
    let (gain, ..) = param(&mut instance, "Output");
    let value = support::clap_host::flush_active_then_read(&mut instance, gain, -20.0);
    assert_eq!(value, Some(-20.0));
}

#[test]
fn state_saved_and_loaded_into_a_fresh_instance_sounds_bit_exact() {
    let entry = load_entry(bundled());
    let rate = 48_000;
    let input = sine(rate as usize / 4, rate);
    let mut original = support::clap_host::instantiate(&entry);
    for (name, value) in [
        ("Output", -12.5),
        ("Cutoff", 812.25),
        ("Mode", 1.0),
        ("Drive", 9.0),
    ] {
        let (id, ..) = param(&mut original, name);
        support::clap_host::flush_inactive(&mut original, id, value);
    }
    let expected = render_clap(&mut original, rate, 256, &input, &[]);
    let state: PluginState = original.plugin_handle().get_extension().unwrap();
    let mut bytes = Vec::new();
    state.save(&original.plugin_handle(), &mut bytes).unwrap();

    let mut fresh = support::clap_host::instantiate(&entry);
    let state: PluginState = fresh.plugin_handle().get_extension().unwrap();
    state
        .load(&fresh.plugin_handle(), &mut bytes.as_slice())
        .unwrap();
    assert_eq!(
        support::clap_host::value_rescans(&mut fresh),
        1,
        "host asked to rescan values"
    );
    let (cutoff, ..) = param(&mut fresh, "Cutoff");
    let params: PluginParams = fresh.plugin_handle().get_extension().unwrap();
    assert_eq!(
        params.get_value(&fresh.plugin_handle(), cutoff),
        Some(812.25)
    );
    let got = render_clap(&mut fresh, rate, 256, &input, &[]);
    assert!(got == expected, "loaded state renders bit-exact");
}

/// Loads `bytes` as the instance's state (main thread).
fn load_state(instance: &mut PluginInstance<TestHost>, bytes: &[u8]) {
    let state: PluginState = instance.plugin_handle().get_extension().unwrap();
    state
        .load(&instance.plugin_handle(), &mut &bytes[..])
        .expect("load the state");
}

#[test]
fn a_loaded_state_sounds_from_the_first_block_whether_loaded_before_or_after_activation() {
    let entry = load_entry(bundled());
    let rate = 48_000;
    let block = 512;
    // A 10 kHz sine through the low-pass at 800 Hz: the cutoff's 30 ms glide down from its
    // 20 kHz default would leave the first block some 35 dB louder than the rest.
    let input = Signal::Sine(10_000.0).generate(rate as usize / 10, 2, rate);
    let settings = [("Cutoff", 800.0), ("Output", -6.0)];

    // The reference has the values before it is activated, so it starts at them.
    let mut reference = support::clap_host::instantiate(&entry);
    for (name, value) in settings {
        let (id, ..) = param(&mut reference, name);
        support::clap_host::flush_inactive(&mut reference, id, value);
    }
    let expected = render_clap(&mut reference, rate, block, &input, &[]);
    let ms = |ms: usize| ms * rate as usize / 1000;
    let frames = input[0].len();
    // From 2 ms on: a filter at rest rings briefly when a sine starts, at any fixed cutoff.
    let first = rms_db(&expected[0][ms(2)..block]);
    let steady = rms_db(&expected[0][frames - ms(30)..]);
    eprintln!("cutoff 800 Hz on 10 kHz: first block {first:.2} dBFS, steady {steady:.2} dBFS");
    assert!((first - steady).abs() <= 1.0, "{first} vs {steady}");
    let state: PluginState = reference.plugin_handle().get_extension().unwrap();
    let mut bytes = Vec::new();
    state.save(&reference.plugin_handle(), &mut bytes).unwrap();

    let worst = |got: &[Vec<f32>]| {
        got.iter()
            .zip(&expected)
            .flat_map(|(g, e)| g.iter().zip(e).map(|(a, b)| (a - b).abs()))
            .fold(0.0f32, f32::max)
    };
    let mut before = support::clap_host::instantiate(&entry);
    load_state(&mut before, &bytes);
    let got = render_clap(&mut before, rate, block, &input, &[]);
    assert!(
        worst(&got) <= 1e-6,
        "loaded before activation: {}",
        worst(&got)
    );

    let mut after = support::clap_host::instantiate(&entry);
    let (got, _) = render_clap_with_hook(&mut after, rate, block, &input, &[], 0, |instance| {
        load_state(instance, &bytes)
    });
    let first_after = rms_db(&got[0][ms(2)..block]);
    eprintln!("loaded after activation: first block {first_after:.2} dBFS");
    assert!(
        worst(&got) <= 1e-6,
        "loaded after activation, before the first block: {} (first block {first_after:.2} dBFS)",
        worst(&got)
    );
}

#[test]
fn a_state_loaded_while_processing_is_stopped_sounds_from_the_first_block_after_it() {
    // A DAW sends the plugin to sleep (stop_processing), loads a preset, wakes it: the first
    // block after waking is at the loaded values, not on a glide towards them. A state loaded
    // while audio runs would glide, like automation.
    let entry = load_entry(bundled());
    let rate = 48_000;
    let block = 480;
    let input = Signal::Sine(10_000.0).generate(rate as usize / 5, 2, rate);
    let mut preset = support::clap_host::instantiate(&entry);
    let (cutoff, ..) = param(&mut preset, "Cutoff");
    support::clap_host::flush_inactive(&mut preset, cutoff, 800.0);
    let state: PluginState = preset.plugin_handle().get_extension().unwrap();
    let mut bytes = Vec::new();
    state.save(&preset.plugin_handle(), &mut bytes).unwrap();

    let mut instance = support::clap_host::instantiate(&entry);
    let wake = 10 * block;
    let (got, _) = render_clap_with_hook(&mut instance, rate, block, &input, &[], wake, |i| {
        load_state(i, &bytes)
    });
    let ms = |ms: usize| ms * rate as usize / 1000;
    let before = rms_db(&got[0][wake - block..wake]);
    // From 2 ms after waking: the filter's state rings briefly when its coefficients jump.
    let first = rms_db(&got[0][wake + ms(2)..wake + block]);
    let steady = rms_db(&got[0][got[0].len() - ms(30)..]);
    eprintln!(
        "before sleep {before:.2} dBFS, first block after waking {first:.2} dBFS, steady {steady:.2} dBFS"
    );
    assert!(
        before > steady + 30.0,
        "the default cutoff passed 10 kHz: {before}"
    );
    assert!(
        (first - steady).abs() <= 1.0,
        "first block after waking {first:.2} dBFS, steady {steady:.2} dBFS"
    );
}

#[test]
fn garbage_state_is_refused_and_changes_nothing() {
    let entry = load_entry(bundled());
    let mut instance = support::clap_host::instantiate(&entry);
    let (gain, ..) = param(&mut instance, "Output");
    support::clap_host::flush_inactive(&mut instance, gain, -3.0);
    let state: PluginState = instance.plugin_handle().get_extension().unwrap();
    let mut valid = Vec::new();
    state.save(&instance.plugin_handle(), &mut valid).unwrap();

    let mut garbage = wavecraft_test_support::garbage_states(&valid);
    let mut oversized = valid.clone();
    oversized.extend(std::iter::repeat_n(0, 100_000));
    garbage.push(oversized);
    for bytes in &garbage {
        let refused = state.load(&instance.plugin_handle(), &mut bytes.as_slice());
        assert!(refused.is_err(), "{} bytes accepted", bytes.len());
    }
    eprintln!("{} garbage states refused", garbage.len());
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    assert_eq!(
        params.get_value(&instance.plugin_handle(), gain),
        Some(-3.0)
    );
    assert_eq!(support::clap_host::value_rescans(&mut instance), 0);
    let mut again = Vec::new();
    state.save(&instance.plugin_handle(), &mut again).unwrap();
    assert_eq!(again, valid, "nothing changed");
}

#[test]
fn value_text_value_round_trips_for_every_parameter() {
    let entry = load_entry(bundled());
    let mut instance = support::clap_host::instantiate(&entry);
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let handle = instance.plugin_handle();
    let mut checked = 0;
    for i in 0..params.count(&handle) {
        let mut buffer = ParamInfoBuffer::new();
        let info = params.get_info(&handle, i, &mut buffer).unwrap();
        let (id, min, max) = (info.id, info.min_value, info.max_value);
        let stepped = info.flags.contains(ParamInfoFlags::IS_STEPPED);
        let values: Vec<f64> = if stepped {
            (min as i64..=max as i64).map(|v| v as f64).collect()
        } else {
            (0..=40)
                .map(|k| min + (max - min) * f64::from(k) / 40.0)
                .chain([info.default_value, min + (max - min) / 3.0])
                .collect()
        };
        for value in values {
            let mut text = [0u8; 256];
            let text = params.value_to_text(&handle, id, value, &mut text).unwrap();
            let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
            let text = std::ffi::CString::new(&text[..end]).unwrap();
            let back = params.text_to_value(&handle, id, &text);
            assert_eq!(back, Some(value), "{value} -> {text:?}");
            checked += 1;
        }
    }
    eprintln!("{checked} values round-tripped through text");
}

#[test]
fn the_host_shows_and_reads_the_text_of_the_parameter_rules() {
    // The same text the UI shows (`1000 Hz`, not `1000.00 Hz`) and the same reading as
    // `render --set` (`-6 dB`, `1k`, variant names in any case), through the one rule.
    let entry = load_entry(bundled());
    let mut instance = support::clap_host::instantiate(&entry);
    let ids: Vec<ClapId> = ["Cutoff", "Output", "Mode"]
        .iter()
        .map(|name| param(&mut instance, name).0)
        .collect();
    let (cutoff, output, mode) = (ids[0], ids[1], ids[2]);
    let params: PluginParams = instance.plugin_handle().get_extension().unwrap();
    let handle = instance.plugin_handle();
    let text = |id: ClapId, value: f64| {
        let mut buffer = [0u8; 256];
        let text = params
            .value_to_text(&handle, id, value, &mut buffer)
            .unwrap();
        String::from_utf8(text.iter().take_while(|&&b| b != 0).copied().collect()).unwrap()
    };
    assert_eq!(text(cutoff, 1_000.0), "1000 Hz");
    assert_eq!(text(cutoff, 440.0), "440 Hz");
    assert_eq!(text(output, -6.0), "-6.00 dB");
    assert_eq!(text(output, -12.5), "-12.5 dB");
    assert_eq!(text(mode, 1.0), "High-pass");
    let value = |id: ClapId, text: &str| {
        params.text_to_value(&handle, id, &std::ffi::CString::new(text).unwrap())
    };
    assert_eq!(value(output, "-6 dB"), Some(-6.0));
    assert_eq!(value(output, "-6"), Some(-6.0));
    assert_eq!(value(cutoff, "1k"), Some(1_000.0));
    assert_eq!(value(cutoff, "2.5 kHz"), Some(2_500.0));
    assert_eq!(value(mode, "high-pass"), Some(1.0));
    assert_eq!(value(output, "loud"), None);
}

#[test]
fn the_clap_and_vst3_bundles_sound_like_the_dev_render() {
    let rate = 48_000;
    let block = 256;
    let seconds = 0.5;
    let settings = [
        ("cutoff", "Cutoff", 800.0),
        ("filter_mode", "Mode", 1.0),
        ("drive", "Drive", 6.0),
        ("output_gain", "Output", -6.0),
    ];
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("dev.wav");
    let mut options = RenderOptions::new(dev_engine(), &wav);
    options.input = Input::Signal(Signal::Sine(1000.0));
    options.duration = Some(seconds);
    options.sample_rate = Some(rate);
    options.block_size = block as u32;
    options.channels = Some(2);
    options.set = settings
        .iter()
        .map(|(id, _, value)| format!("{id}={value}").parse::<Assignment>().unwrap())
        .collect();
    render(&options).expect("dev render");
    let dev = wavecraft_cli::audio_file::read_wav(&wav).unwrap();

    let entry = load_entry(bundled());
    let mut instance = support::clap_host::instantiate(&entry);
    // Both set the values before audio starts, so both start at them: the dev render after
    // preparing, the host (as a DAW restoring a session) before activating.
    for (_, name, value) in settings {
        let (id, ..) = param(&mut instance, name);
        support::clap_host::flush_inactive(&mut instance, id, value);
    }
    let input = Signal::Sine(1000.0).generate((seconds * f64::from(rate)) as usize, 2, rate);
    let clap = render_clap(&mut instance, rate, block, &input, &[]);

    // The VST3 host sends the values as parameter changes at the first sample, as a DAW
    // starting playback with automation does; set before any audio, they apply at once.
    let module = wavecraft_vst3_host::Module::load(bundled_vst3()).expect("load the .vst3");
    let mut plugin = vst3_host::instantiate(&module);
    let changes: Vec<vst3_host::Change> = settings
        .iter()
        .map(|&(_, name, value)| {
            let id = vst3_host::param(&plugin, name).id;
            vst3_host::Change {
                frame: 0,
                id,
                value: plugin.to_normalized(id, value),
            }
        })
        .collect();
    let vst3 = vst3_host::render_vst3(&mut plugin, rate, block, &input, &changes);

    let worst = |bundle: &[Vec<f32>]| {
        dev.channels
            .iter()
            .zip(bundle)
            .flat_map(|(d, b)| {
                assert_eq!(d.len(), b.len());
                d.iter().zip(b).map(|(x, y)| (x - y).abs())
            })
            .fold(0.0f32, f32::max)
    };
    let (clap, vst3) = (worst(&clap), worst(&vst3));
    eprintln!("dev vs bundle: largest difference CLAP {clap:e}, VST3 {vst3:e}");
    assert!(clap <= 1e-6, "CLAP: {clap}");
    assert!(vst3 <= 1e-6, "VST3: {vst3}");
}
