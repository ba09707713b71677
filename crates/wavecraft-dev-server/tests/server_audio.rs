//! Audio through the whole dev server: meters pushed to a WebSocket client
//! measure the example on the virtual device, a value set from the client
//! reaches the running DSP, a hot reload keeps both the sound and the values,
//! and a panic in the author's `process` goes silent, is reported, and is
//! fixed by the next good build — with the server serving throughout.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{Client, ExampleProject};
use wavecraft_dev_server::audio::{AudioConfig, BackendChoice, InputSource};
use wavecraft_dev_server::{DevServer, DevServerConfig};

fn db(x: f64) -> f64 {
    20.0 * x.log10()
}

/// Peak (dBFS) of channel 0 over meter frames received during `window`, after reading and
/// discarding frames for 300 ms (frames already queued in the socket, smoothing, crossfades).
async fn peak_over(c: &mut Client, window: Duration) -> f64 {
    c.notifications.retain(|n| n["method"] != "meterUpdate");
    let settle = Instant::now() + Duration::from_millis(300);
    while Instant::now() < settle {
        c.notification("meterUpdate").await;
    }
    let until = Instant::now() + window;
    let mut peak: f64 = 0.0;
    let mut frames = 0;
    while Instant::now() < until {
        let frame: Value = c.notification("meterUpdate").await;
        peak = peak.max(frame["params"]["channels"][0]["peak"].as_f64().unwrap());
        frames += 1;
    }
    assert!(frames >= 5, "only {frames} meter frames in {window:?}");
    db(peak)
}

#[tokio::test(flavor = "multi_thread")]
async fn meters_values_reload_and_a_panic_through_the_server() {
    let project = ExampleProject::new("server-audio-probe");
    // A panic the test can trigger from the UI: drive above 23 dB.
    let original = project.source();
    let panicky = original.replace(
        "let drive_db = p.drive.smoothed_at(frame);",
        "let drive_db = p.drive.smoothed_at(frame);\n            if drive_db > 23.0 {\n                panic!(\"drive too hot\");\n            }",
    );
    assert_ne!(
        panicky, original,
        "the example changed; update the test's edit"
    );
    project.write_source(&panicky);

    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.target_dir = Some(support::engines_target_dir());
    config.audio = Some(AudioConfig {
        backend: BackendChoice::Virtual,
        input: InputSource::Sine {
            hz: 1000.0,
            level_db: -6.0,
        },
        ..AudioConfig::default()
    });
    let (server, mut events) = DevServer::start(config).await.unwrap();
    support::first_build_succeeds(&mut events).await;
    let mut c = Client::connect(&server.ws_url()).await;
    let status = c.call("getAudioStatus", json!({})).await;
    assert_eq!(status["result"]["backend"], "virtual");
    assert_eq!(status["result"]["state"], "running");

    // The example at its defaults is transparent: a -6 dBFS sine reads -6 dB.
    let level = peak_over(&mut c, Duration::from_millis(500)).await;
    assert!((level + 6.0).abs() < 0.2, "defaults: peak {level:.2} dBFS");

    // A value set over the socket reaches the running DSP.
    c.call("setParameter", json!({"id": "output_gain", "value": -6}))
        .await;
    let level = peak_over(&mut c, Duration::from_millis(500)).await;
    assert!(
        (level + 12.0).abs() < 0.2,
        "output_gain -6: peak {level:.2} dBFS"
    );

    // A reload (new parameter) keeps the sound and the kept value.
    let edited = project.source().replace(
        "pub output_gain: FloatParam,\n}",
        "pub output_gain: FloatParam,\n    /// Unused.\n    pub spare: BoolParam,\n}",
    ).replace(
        "        }\n    }\n}\n\n/// The plugin: its parameters and DSP state.",
        "            spare: BoolParam::new(\"spare\", \"Spare\", false),\n        }\n    }\n}\n\n/// The plugin: its parameters and DSP state.",
    );
    project.write_source(&edited);
    c.notifications.clear();
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["added"], json!(["spare"]));
    let level = peak_over(&mut c, Duration::from_millis(500)).await;
    assert!(
        (level + 12.0).abs() < 0.2,
        "after reload: peak {level:.2} dBFS"
    );

    // A panic in process: silence, reported, server alive.
    c.call("setParameter", json!({"id": "drive", "value": 24}))
        .await;
    let faulted = loop {
        let n = c.notification("audioStatusChanged").await;
        if n["params"]["state"] == "faulted" {
            break n;
        }
    };
    assert!(
        faulted["params"]["message"]
            .as_str()
            .unwrap()
            .contains("drive too hot"),
        "{faulted}"
    );
    let level = peak_over(&mut c, Duration::from_millis(300)).await;
    assert!(
        level == f64::NEG_INFINITY,
        "faulted output is not silent: {level} dBFS"
    );
    assert_eq!(c.call("ping", json!({})).await["result"], "pong");

    // The next good build recovers (the fix: no panic; drive 24 dB is allowed again).
    project.write_source(&edited.replace("                panic!(\"drive too hot\");\n", ""));
    let recovered = loop {
        let n = c.notification("audioStatusChanged").await;
        if n["params"]["state"] == "running" {
            break n;
        }
    };
    assert_eq!(recovered["params"]["backend"], "virtual");
    c.notifications.clear();
    let level = peak_over(&mut c, Duration::from_millis(500)).await;
    // Drive 24 dB saturates the 0.5-amplitude sine to tanh's ceiling, compensated by 1/drive
    // (-24 dBFS), then output -6 dB: -30 dBFS.
    assert!(
        (level + 30.0).abs() < 0.5,
        "after recovery: peak {level:.2} dBFS"
    );
    server.shutdown().await;
}
