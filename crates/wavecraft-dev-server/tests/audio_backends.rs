//! Backend choice: Auto on a machine without an audio device runs the
//! virtual device and says so in one line (and picks the device where cpal
//! reports one that opens); live input asked of the virtual device says it
//! plays the test signal; Off runs nothing; bad configurations are refused
//! clearly.
//!
//! "Has a device" is probed here the way Auto defines it: cpal lists a default
//! output device *and* it opens as 48 kHz stereo f32. ALSA lists a "default"
//! PCM even on machines without a sound card, so listing alone says nothing.

use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait};
use wavecraft_dev_server::audio::{
    AudioConfig, AudioError, AudioRuntime, BackendChoice, VirtualPacing, NO_DEVICE_MESSAGE,
    NO_LIVE_INPUT_NOTE,
};
use wavecraft_protocol::status::{AudioBackend, AudioState};

fn default_device_opens() -> bool {
    let Some(device) = cpal::default_host().default_output_device() else {
        return false;
    };
    let config = cpal::StreamConfig {
        channels: 2,
        sample_rate: 48_000,
        buffer_size: cpal::BufferSize::Default,
    };
    device
        .build_output_stream::<f32, _, _>(config, |_: &mut [f32], _: &_| {}, |_| {}, None)
        .is_ok()
}

#[test]
fn audio_auto_runs_the_virtual_device_when_there_is_no_audio_device() {
    let has_device = default_device_opens();
    let mut runtime = AudioRuntime::start(AudioConfig::default()).unwrap();
    let status = runtime.status();
    assert_eq!(status.state, AudioState::Running);
    assert_eq!(status.sample_rate, Some(48_000));
    assert_eq!(status.block_size, Some(256));
    if has_device {
        assert_eq!(status.backend, AudioBackend::Device, "{status:?}");
        assert!(status.device_name.is_some());
    } else {
        assert_eq!(status.backend, AudioBackend::Virtual);
        assert_eq!(status.message.as_deref(), Some(NO_DEVICE_MESSAGE));
        assert!(matches!(runtime.step(), Err(AudioError::NotManual)));
    }
    // The audio thread starts on its own schedule: poll, don't guess a delay.
    let deadline = Instant::now() + Duration::from_secs(10);
    while runtime.blocks_processed() == 0 {
        assert!(Instant::now() < deadline, "the audio never ran a block");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn live_input_on_the_virtual_device_plays_the_test_signal_and_says_why() {
    let runtime = AudioRuntime::start(AudioConfig {
        backend: BackendChoice::Virtual,
        live_input: true,
        ..AudioConfig::default()
    })
    .unwrap();
    let status = runtime.status();
    assert_eq!(status.backend, AudioBackend::Virtual);
    assert_eq!(status.message.as_deref(), Some(NO_LIVE_INPUT_NOTE));
    if !default_device_opens() {
        // Auto without a device: both reasons, in the order they happened.
        let runtime = AudioRuntime::start(AudioConfig {
            live_input: true,
            ..AudioConfig::default()
        })
        .unwrap();
        assert_eq!(
            runtime.status().message,
            Some(format!("{NO_DEVICE_MESSAGE}; {NO_LIVE_INPUT_NOTE}"))
        );
    }
}

#[test]
fn audio_off_runs_nothing_and_says_so() {
    let runtime = AudioRuntime::start(AudioConfig {
        backend: BackendChoice::Off,
        ..AudioConfig::default()
    })
    .unwrap();
    let status = runtime.status();
    assert_eq!(status.backend, AudioBackend::Off);
    assert_eq!(status.state, AudioState::Stopped);
    assert!(status.message.is_some());
    assert!(runtime.take_meters().channels.iter().all(|c| c.peak == 0.0));
}

#[test]
fn audio_configurations_that_cannot_run_are_refused_with_the_reason() {
    for (config, needle) in [
        (
            AudioConfig {
                channels: 0,
                ..AudioConfig::default()
            },
            "channels",
        ),
        (
            AudioConfig {
                pacing: VirtualPacing::Manual,
                ..AudioConfig::default()
            },
            "manual pacing",
        ),
        (
            AudioConfig {
                channels: 9,
                ..AudioConfig::default()
            },
            "channels",
        ),
        (
            AudioConfig {
                block_size: 0,
                ..AudioConfig::default()
            },
            "block size",
        ),
        (
            AudioConfig {
                sample_rate: 0,
                ..AudioConfig::default()
            },
            "sample rate",
        ),
    ] {
        let e = AudioRuntime::start(config).unwrap_err();
        assert!(e.to_string().contains(needle), "{e}");
    }
}
