//! Meters: a −6 dBFS sine through a transparent engine reads −6 dB peak and
//! −9.01 dB RMS, stepped by hand and on the real-time paced virtual device;
//! and the recording holds exactly the blocks that ran.

mod audio_support;

use std::time::{Duration, Instant};

use audio_support::*;
use wavecraft_dev_server::audio::{AudioConfig, AudioRuntime, InputSource, VirtualPacing};
use wavecraft_protocol::status::MeterUpdate;

fn assert_sine_levels(meters: &MeterUpdate) {
    assert_eq!(meters.channels.len(), 2);
    for c in &meters.channels {
        let (peak, rms) = (db(f64::from(c.peak)), db(f64::from(c.rms)));
        eprintln!("peak {peak:.3} dB, rms {rms:.3} dB");
        assert!((peak + 6.0).abs() < 0.1, "peak {peak} dB");
        assert!((rms + 9.01).abs() < 0.1, "rms {rms} dB");
    }
}

#[test]
fn audio_meters_a_minus_6_dbfs_sine_meters_at_minus_6_peak_and_minus_9_rms() {
    let mut runtime = AudioRuntime::start(manual_config(440.0, -6.0)).unwrap();
    let engine = example_engine();
    let (_host, handles) = host_for(&engine);
    runtime.load(engine, handles).unwrap();
    for _ in 0..10 {
        runtime.step().unwrap();
    }
    runtime.take_meters(); // the fade-in
    for _ in 0..30 {
        runtime.step().unwrap();
    }
    assert_sine_levels(&runtime.take_meters());
    let empty = runtime.take_meters();
    assert!(empty.channels.iter().all(|c| c.peak == 0.0 && c.rms == 0.0));
}

#[test]
fn audio_paced_virtual_device_runs_in_real_time_and_meters_the_engine() {
    let runtime = AudioRuntime::start(AudioConfig {
        pacing: VirtualPacing::RealTime,
        ..manual_config(440.0, -6.0)
    })
    .unwrap();
    let engine = example_engine();
    let (_host, handles) = host_for(&engine);
    let loaded = Instant::now();
    runtime.load(engine, handles).unwrap();
    while !runtime.latest_engine_playing() {
        assert!(loaded.elapsed() < Duration::from_secs(2));
        std::thread::sleep(Duration::from_micros(200));
    }
    eprintln!(
        "load → first block from the new engine: {:?}",
        loaded.elapsed()
    );
    std::thread::sleep(Duration::from_millis(100));
    runtime.take_meters();
    let start = (Instant::now(), runtime.blocks_processed());
    std::thread::sleep(Duration::from_millis(500));
    let blocks = runtime.blocks_processed() - start.1;
    let expected = start.0.elapsed().as_secs_f64() * 48_000.0 / 256.0;
    eprintln!(
        "{blocks} blocks in {:?} (real time: {expected:.1})",
        start.0.elapsed()
    );
    assert!((blocks as f64 - expected).abs() < 10.0);
    assert_sine_levels(&runtime.take_meters());
}

#[test]
fn audio_recording_holds_every_block_that_ran() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.wav");
    let mut runtime = AudioRuntime::start(AudioConfig {
        record: Some(path.clone()),
        input: InputSource::Noise,
        ..manual_config(0.0, 0.0)
    })
    .unwrap();
    let engine = example_engine();
    let (_host, handles) = host_for(&engine);
    runtime.load(engine, handles).unwrap();
    let mut last = Vec::new();
    for _ in 0..25 {
        last = runtime.step().unwrap().to_vec();
    }
    drop(runtime);
    let reader = hound::WavReader::open(&path).unwrap();
    assert_eq!(reader.spec().channels, 2);
    assert_eq!(reader.spec().sample_rate, 48_000);
    let samples: Vec<f32> = reader.into_samples().map(Result::unwrap).collect();
    assert_eq!(samples.len(), 25 * 256 * 2);
    assert_eq!(samples[samples.len() - last.len()..], last[..]);
}
