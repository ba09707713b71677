//! `wavecraft bundle` on the example project, and the `.vst3` it writes
//! loaded by path into a small VST3 host (`wavecraft-vst3-host`, on the same
//! `vst3` bindings as the plugin), the way a DAW or the SDK's validator does:
//! scan, instantiate, set up at several rates and block sizes, parameters,
//! text, state, sample-accurate parameter changes, and the refusals (64-bit
//! samples, other bus arrangements, garbage state).
//!
//! The bundle is built once per test binary into the target directory the
//! other bundle tests share (`target/test-bundles`; all formats, so one engine
//! build serves them all), written to its own output folder.

#[path = "support/vst3_host.rs"]
mod vst3_host;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wavecraft_cli::bundle::{bundle, BundleOptions, InstallDirs};
use wavecraft_cli::signal::Signal;
use wavecraft_vst3_host::{Error, Module, ParameterInfo, Plugin, SampleSize, Setup, Speakers};

use vst3_host::{instantiate, param, render_vst3, Change};

/// The example's plugin id.
const EXAMPLE_ID: &str = "dev.wavecraft.example";

/// The example's release `.vst3`, bundled (and installed into a scratch folder) on first use.
fn bundled() -> &'static Path {
    static BUNDLE: OnceLock<PathBuf> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let scratch = wavecraft_test_support::workspace_root()
            .join("target")
            .join("test-bundles");
        let options = BundleOptions {
            target_dir: Some(scratch.clone()),
            out_dir: scratch.join("vst3-bundled"),
            install: Some(InstallDirs {
                clap: scratch.join("vst3-installed-clap"),
                vst3: scratch.join("vst3-installed"),
            }),
            ..BundleOptions::new(
                wavecraft_test_support::workspace_root()
                    .join("examples")
                    .join("example-plugin"),
            )
        };
        let done = bundle(&options).expect("bundling the example");
        let vst3 = done.vst3.expect("the VST3 bundle (all formats by default)");
        let installed = vst3.installed.expect("installed copy");
        assert_eq!(
            installed,
            scratch.join("vst3-installed/Wavecraft Example.vst3")
        );
        let inside = "Contents/x86_64-linux/Wavecraft Example.so";
        assert_eq!(
            std::fs::read(installed.join(inside)).unwrap(),
            std::fs::read(vst3.path.join(inside)).unwrap()
        );
        // The same library serves both formats.
        let clap = done.clap.expect("the CLAP bundle");
        assert_eq!(
            std::fs::read(&clap.path).unwrap(),
            std::fs::read(vst3.path.join(inside)).unwrap()
        );
        let library = std::fs::metadata(vst3.path.join(inside)).unwrap().len();
        let whole: u64 = wavecraft_test_support::files_below(&vst3.path)
            .iter()
            .map(|f| std::fs::metadata(f).unwrap().len())
            .sum();
        eprintln!(
            "figure: release {} is {:.2} MiB ({:.2} MiB library, {} bytes of moduleinfo and layout)",
            vst3.path.display(),
            whole as f64 / 1_048_576.0,
            library as f64 / 1_048_576.0,
            whole - library
        );
        vst3.path
    })
}

/// The example's module, loaded once for the tests that do not time loading.
fn module() -> &'static Module {
    static MODULE: OnceLock<Module> = OnceLock::new();
    MODULE.get_or_init(|| Module::load(bundled()).expect("load the bundled .vst3"))
}

fn sine(frames: usize, rate: u32) -> Vec<Vec<f32>> {
    Signal::Sine(1000.0).generate(frames, 2, rate)
}

fn rms_db(samples: &[f32]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    10.0 * (sum / samples.len() as f64).log10()
}

/// A change to `plain` for the parameter `info`, at `frame`.
fn change(plugin: &Plugin, info: &ParameterInfo, frame: usize, plain: f64) -> Change {
    Change {
        frame,
        id: info.id,
        value: plugin.to_normalized(info.id, plain),
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn the_bundle_has_the_vst3_layout_and_a_moduleinfo_that_matches_the_factory() {
    let path = bundled();
    assert_eq!(
        path.file_name().unwrap().to_str(),
        Some("Wavecraft Example.vst3")
    );
    assert!(path
        .join("Contents/x86_64-linux/Wavecraft Example.so")
        .is_file());
    let text = std::fs::read_to_string(path.join("Contents/Resources/moduleinfo.json")).unwrap();
    let info: serde_json::Value = serde_json::from_str(&text).unwrap();
    let factory = module().factory().unwrap();
    let class = factory.class_info(0).unwrap();
    let listed = &info["Classes"][0];
    let cid: String = class.cid.iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(listed["CID"], cid.as_str());
    assert_eq!(listed["Name"], class.name.as_str());
    assert_eq!(listed["Vendor"], class.vendor.as_str());
    assert_eq!(listed["Version"], class.version.as_str());
    assert_eq!(listed["Category"], class.category.as_str());
    assert_eq!(listed["SDKVersion"], class.sdk_version.as_str());
    assert_eq!(listed["Class Flags"], class.class_flags);
    assert_eq!(listed["Cardinality"], class.cardinality);
    let subs: Vec<&str> = class.sub_categories.split('|').collect();
    assert_eq!(listed["Sub Categories"], serde_json::json!(subs));
    assert_eq!(
        info["Factory Info"]["Vendor"],
        factory.info().unwrap().vendor.as_str()
    );
    assert_eq!(
        info["Classes"].as_array().unwrap().len(),
        factory.class_count()
    );
}

#[test]
fn scans_and_describes_the_example() {
    // Its own module (not the shared one): dropping the last object calls ModuleExit. Scan
    // and instantiate times are measured by `wavecraft-vst3-host`'s `scan` example, in a
    // process of its own on fresh copies (here the library is mapped already).
    let module = Module::load(bundled()).expect("load the bundled .vst3");
    let factory = module.factory().expect("factory");
    assert_eq!(factory.class_count(), 1);
    let class = factory.class_info(0).expect("class info");
    let mut plugin = factory.create(&class.cid).expect("create");
    plugin.initialize().expect("initialize");
    assert_eq!(class.cid, wavecraft_identity::vst3_class_id(EXAMPLE_ID));
    assert_eq!(class.name, "Wavecraft Example");
    assert_eq!(class.vendor, "Wavecraft");
    assert_eq!(class.version, "0.1.0");
    assert_eq!(class.category, "Audio Module Class");
    assert_eq!(class.sub_categories, "Fx");
    assert_eq!(factory.info().unwrap().vendor, "Wavecraft");

    let params = plugin.parameters().unwrap();
    assert_eq!(params.len(), 6);
    let mut ids: Vec<u32> = params.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "parameter ids are unique");
    for info in &params {
        assert!((0.0..=1.0).contains(&info.default_normalized), "{info:?}");
        assert_eq!(plugin.normalized(info.id), info.default_normalized);
        assert!(info.flags & 1 != 0, "automatable: {info:?}");
    }
    let mode = param(&plugin, "Mode");
    assert!(mode.step_count > 0, "an enum is stepped: {mode:?}");
    drop(plugin);
    drop(factory);
    // The last object from the module is gone: dropping it calls ModuleExit.
    drop(module);
}

#[test]
fn a_bundle_loaded_and_closed_by_a_scanner_stays_mapped() {
    // A host that loads a module only to look at it (ModuleEntry, ModuleExit, close) and a
    // thread that then exits: a bundle links GTK and WebKitGTK, which cannot be unloaded, so
    // the loader must keep it mapped even though nothing of ours was called (the library pins
    // itself from its `.init_array`). A fresh copy under its own name, so no earlier load in
    // this process has pinned it already.
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("scanned-once.so");
    std::fs::copy(wavecraft_vst3_host::bundle_library(bundled()), &copy).unwrap();
    let scanned = copy.clone();
    std::thread::spawn(move || drop(Module::load(&scanned).expect("loading the copy")))
        .join()
        .expect("the scanning thread exits cleanly");
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    assert!(
        maps.contains(copy.to_str().unwrap()),
        "the bundle was unmapped after a scan without calls"
    );
}

#[test]
fn a_dev_build_has_no_vst3_entry() {
    // The engine as `wavecraft start` and `render` build it (no plugin-format features):
    // the VST3 entry is not compiled in, so a host finds nothing to load.
    let dev = wavecraft_test_support::workspace_engine("example-plugin");
    match Module::load(&dev) {
        Err(Error::MissingSymbol { symbol, .. }) => assert_eq!(symbol, "GetPluginFactory"),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the dev build of the example exports a VST3 entry"),
    }
}

#[test]
fn sets_up_at_44k1_and_96k_with_blocks_of_1_64_and_4096() {
    for rate in [44_100, 96_000] {
        let input = sine(rate as usize / 10, rate);
        let mut outputs = Vec::new();
        for block in [1, 64, 4096] {
            let mut plugin = instantiate(module());
            let out = render_vst3(&mut plugin, rate, block, &input, &[]);
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
    let rate = 48_000;
    let input = sine(rate as usize / 2, rate);
    let mut reference = instantiate(module());
    let dry = render_vst3(&mut reference, rate, 512, &input, &[]);
    let mut plugin = instantiate(module());
    let gain = param(&plugin, "Output");
    let normalized = plugin.to_normalized(gain.id, -6.0);
    assert_eq!(plugin.to_plain(gain.id, normalized), -6.0);
    let changes = [change(&plugin, &gain, 0, -6.0)];
    let wet = render_vst3(&mut plugin, rate, 512, &input, &changes);
    let difference = rms_db(&wet[0][4800..]) - rms_db(&dry[0][4800..]);
    eprintln!("output_gain -6 dB through VST3: measured {difference:.4} dB");
    assert!((difference + 6.0).abs() < 0.05, "{difference} dB");
}

#[test]
fn a_parameter_change_at_sample_1000_changes_the_output_from_that_sample_on() {
    let rate = 44_100;
    let input = sine(8192, rate);
    let mut plain = instantiate(module());
    let before = render_vst3(&mut plain, rate, 4096, &input, &[]);
    let mut plugin = instantiate(module());
    let gain = param(&plugin, "Output");
    let mode = param(&plugin, "Mode");
    let changes = [
        change(&plugin, &gain, 1000, -24.0),
        change(&plugin, &mode, 5000, 1.0),
    ];
    let after = render_vst3(&mut plugin, rate, 4096, &input, &changes);
    let first_difference = (0..input[0].len()).find(|&n| before[0][n] != after[0][n]);
    assert_eq!(first_difference, Some(1000));
    let mut halfway = instantiate(module());
    let only_gain = render_vst3(&mut halfway, rate, 4096, &input, &changes[..1]);
    let mode_starts = (0..input[0].len()).find(|&n| only_gain[0][n] != after[0][n]);
    assert_eq!(
        mode_starts,
        Some(5000),
        "the second point lands in the second block"
    );
}

/// An instance with four parameters moved away from their defaults (sent as a host does,
/// in the first block), and its output.
fn moved(rate: u32, input: &[Vec<f32>]) -> (Plugin, Vec<Vec<f32>>) {
    let mut plugin = instantiate(module());
    let changes: Vec<Change> = [
        ("Output", -12.5),
        ("Cutoff", 812.25),
        ("Mode", 1.0),
        ("Drive", 9.0),
    ]
    .iter()
    .map(|&(title, value)| change(&plugin, &param(&plugin, title), 0, value))
    .collect();
    let out = render_vst3(&mut plugin, rate, 256, input, &changes);
    (plugin, out)
}

#[test]
fn state_saved_and_loaded_into_a_fresh_instance_sounds_bit_exact() {
    let rate = 48_000;
    let input = sine(rate as usize / 4, rate);
    let (original, _) = moved(rate, &input);
    // What the original sounds like from here on, at its values.
    let mut again = original;
    let expected = render_vst3(&mut again, rate, 256, &input, &[]);
    let bytes = again.state().expect("getState");

    let mut fresh = instantiate(module());
    fresh
        .load_state(&bytes)
        .expect("setState + setComponentState");
    let cutoff = param(&fresh, "Cutoff");
    assert_eq!(
        fresh.normalized(cutoff.id),
        fresh.to_normalized(cutoff.id, 812.25),
        "the controller follows the loaded state"
    );
    assert_eq!(
        fresh.to_plain(cutoff.id, fresh.normalized(cutoff.id)),
        812.25
    );
    let got = render_vst3(&mut fresh, rate, 256, &input, &[]);
    assert!(got == expected, "loaded state renders bit-exact");
    assert_eq!(fresh.state().unwrap(), bytes, "and saves the same bytes");
}

#[test]
fn garbage_state_is_refused_and_changes_nothing() {
    let rate = 48_000;
    let input = sine(4096, rate);
    let (plugin, _) = moved(rate, &input);
    let valid = plugin.state().unwrap();
    let values: Vec<f64> = plugin
        .parameters()
        .unwrap()
        .iter()
        .map(|p| plugin.normalized(p.id))
        .collect();

    let garbage = wavecraft_test_support::garbage_states(&valid);
    for bytes in &garbage {
        assert!(
            plugin.load_state(bytes).is_err(),
            "{} bytes accepted",
            bytes.len()
        );
    }
    eprintln!("{} garbage VST3 states refused", garbage.len());
    let after: Vec<f64> = plugin
        .parameters()
        .unwrap()
        .iter()
        .map(|p| plugin.normalized(p.id))
        .collect();
    assert_eq!(after, values, "the controller's values are unchanged");
    assert_eq!(plugin.state().unwrap(), valid, "nothing changed");
}

#[test]
fn value_text_value_round_trips_for_every_parameter() {
    let plugin = instantiate(module());
    let mut checked = 0;
    for info in plugin.parameters().unwrap() {
        let values: Vec<f64> = if info.step_count > 0 {
            (0..=info.step_count)
                .map(|k| f64::from(k) / f64::from(info.step_count))
                .collect()
        } else {
            (0..=40)
                .map(|k| f64::from(k) / 40.0)
                .chain([info.default_normalized, 1.0 / 3.0])
                .collect()
        };
        for value in values {
            let text = plugin.text(info.id, value).unwrap();
            let back = plugin.value_of_text(info.id, &text).unwrap();
            // VST3 values are normalised: a skewed range maps plain → normalised → plain
            // through pow(), which cannot be exact to the last bit for every value, so the
            // round trip is held to what a DAW user sees — the text read back shows the same
            // text — and to the value within 1e-12 (exactly, for steps).
            assert_eq!(
                plugin.text(info.id, back).unwrap(),
                text,
                "{}: {value} -> {text:?} -> {back}",
                info.title
            );
            // And the plain value the text names is the plain value shown (the plugin's
            // unnormalisation holds the round trip exactly).
            assert_eq!(
                plugin.to_plain(info.id, back),
                plugin.to_plain(info.id, value),
                "{}: {value} -> {text:?} -> {back}",
                info.title
            );
            if info.step_count > 0 {
                assert_eq!(back, value, "{}: {text:?}", info.title);
            } else {
                assert!(
                    (back - value).abs() <= 1e-12,
                    "{}: {value} -> {text:?} -> {back}",
                    info.title
                );
            }
            checked += 1;
        }
    }
    eprintln!("{checked} VST3 values round-tripped through text");
    assert!(checked > 6 * 2);
}

#[test]
fn the_host_shows_and_reads_the_text_of_the_parameter_rules() {
    let plugin = instantiate(module());
    let cutoff = param(&plugin, "Cutoff");
    let output = param(&plugin, "Output");
    let mode = param(&plugin, "Mode");
    let text = |info: &ParameterInfo, plain: f64| {
        plugin
            .text(info.id, plugin.to_normalized(info.id, plain))
            .unwrap()
    };
    assert_eq!(text(&cutoff, 1_000.0), "1000 Hz");
    assert_eq!(text(&output, -6.0), "-6.00 dB");
    assert_eq!(text(&mode, 1.0), "High-pass");
    // What the host's text box reads, as the normalised value of the plain value meant.
    let reads_as = |info: &ParameterInfo, text: &str, plain: f64| {
        assert_eq!(
            plugin.value_of_text(info.id, text).unwrap(),
            plugin.to_normalized(info.id, plain),
            "{text:?}"
        );
    };
    reads_as(&output, "-6 dB", -6.0);
    reads_as(&output, "-6", -6.0);
    reads_as(&cutoff, "1k", 1_000.0);
    reads_as(&cutoff, "2.5 kHz", 2_500.0);
    reads_as(&mode, "high-pass", 1.0);
    assert!(plugin.value_of_text(output.id, "loud").is_err());
}

#[test]
fn processing_64_bit_samples_is_refused() {
    let plugin = instantiate(module());
    assert_eq!(plugin.can_process(SampleSize::F32), Ok(()));
    assert!(plugin.can_process(SampleSize::F64).is_err());
    let double = Setup {
        sample_size: SampleSize::F64,
        ..Setup::realtime(48_000.0, 512)
    };
    assert!(plugin.setup_processing(&double).is_err());
    plugin
        .setup_processing(&Setup::realtime(48_000.0, 512))
        .expect("32-bit is accepted");
}

#[test]
fn a_mono_or_5_1_arrangement_is_refused_and_stereo_stays() {
    let plugin = instantiate(module());
    for arrangement in [Speakers::MONO, Speakers::SURROUND_5_1] {
        assert!(
            plugin
                .set_bus_arrangements(&[arrangement], &[arrangement])
                .is_err(),
            "{arrangement:#x} accepted"
        );
        assert!(plugin
            .set_bus_arrangements(&[Speakers::STEREO], &[arrangement])
            .is_err());
        assert_eq!(plugin.bus_arrangement(true, 0).unwrap(), Speakers::STEREO);
        assert_eq!(plugin.bus_arrangement(false, 0).unwrap(), Speakers::STEREO);
    }
    plugin
        .set_bus_arrangements(&[Speakers::STEREO], &[Speakers::STEREO])
        .expect("stereo in and out");
    assert!(plugin.set_bus_arrangements(&[], &[]).is_err(), "no buses");
}
