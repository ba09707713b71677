//! A rebuilt engine that builds but cannot start — its `prepare` panics — is
//! reported to the browser as a failed build (the overlay shows why), and
//! nothing changes: the previous engine keeps playing with its parameter list
//! and values. The next good build swaps in as usual.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{Client, ExampleProject};

#[tokio::test(flavor = "multi_thread")]
async fn an_engine_whose_prepare_panics_changes_nothing_and_is_reported() {
    let project = ExampleProject::new("swap-failure-probe");
    let (server, _events) = support::start_with_virtual_audio(&project).await;
    let audio = server.audio().expect("audio is on");
    let mut c = Client::connect(&server.ws_url()).await;
    c.call("setParameter", json!({"id": "drive", "value": 9.5}))
        .await;

    // The new build narrows a range (a change the UI would see) and panics in `prepare`.
    let original = project.source();
    let broken = original
        .replace(
            "FloatRange::linear(-60.0, 12.0)",
            "FloatRange::linear(-60.0, 6.0)",
        )
        .replace(
            "fn prepare(&mut self, setup: &ProcessSetup) {",
            "fn prepare(&mut self, setup: &ProcessSetup) {\n        panic!(\"prepare exploded on purpose\");",
        );
    assert_eq!(
        broken.matches("on purpose").count(),
        1,
        "the test's edit no longer applies to the example"
    );
    assert!(broken.contains("linear(-60.0, 6.0)"));
    c.notifications.clear();
    project.write_source(&broken);
    let finished = c.notification("buildFinished").await;
    assert_eq!(finished["params"]["ok"], false, "{finished}");
    let messages: Vec<&str> = finished["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("did not start") && m.contains("prepare exploded on purpose")),
        "{messages:?}"
    );
    // The UI was never told about the new list.
    assert!(
        c.notifications
            .iter()
            .all(|n| n["method"] != "parametersChanged"),
        "{:?}",
        c.notifications
    );
    let gain = c.call("getParameter", json!({"id": "output_gain"})).await;
    assert_eq!(gain["result"]["max"], 12.0, "{gain}");
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["value"], 9.5);
    let status = c.call("getBuildStatus", json!({})).await;
    assert_eq!(status["result"]["state"], "failed");
    assert_eq!(
        c.call("getAudioStatus", json!({})).await["result"]["state"],
        "running"
    );
    // The previous engine is still the one playing, and audio keeps running.
    assert!(audio.latest_engine_playing());
    let blocks = audio.blocks_processed();
    let deadline = Instant::now() + Duration::from_secs(10);
    while audio.blocks_processed() < blocks + 10 {
        assert!(Instant::now() < deadline, "the audio stopped");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // The fix swaps in as usual, with the value kept.
    project.write_source(&original.replace(
        "FloatRange::linear(-60.0, 12.0)",
        "FloatRange::linear(-60.0, 6.0)",
    ));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["changed"], json!(["output_gain"]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    let gain = c.call("getParameter", json!({"id": "output_gain"})).await;
    assert_eq!(gain["result"]["max"], 6.0, "{gain}");
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["value"], 9.5);
    server.shutdown().await;
}
