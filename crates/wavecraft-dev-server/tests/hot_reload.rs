//! Hot reload on a temp copy of the example, with real cargo builds and a
//! real WebSocket client: a new parameter appears with values kept, a syntax
//! error is reported with file and line while the old engine keeps serving,
//! a fix recovers, and a burst of saves costs at most two builds. The
//! project has a `ui/`, so each good build also writes the UI's typed
//! parameter ids, and only when they changed.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{Client, ExampleProject};
use wavecraft_dev_server::parameter_types::OUTPUT_PATH;
use wavecraft_dev_server::{DevEvent, DevServer, DevServerConfig};

fn add_mix_parameter(source: &str) -> String {
    let with_field = source.replace(
        "pub output_gain: FloatParam,\n}",
        "pub output_gain: FloatParam,\n    /// Dry/wet.\n    pub mix: FloatParam,\n}",
    );
    let with_default = with_field.replace(
        "        }\n    }\n}\n\n/// The plugin: its parameters and DSP state.",
        "            mix: FloatParam::new(\"mix\", \"Mix\", FloatRange::linear(0.0, 1.0), 0.75),\n        }\n    }\n}\n\n/// The plugin: its parameters and DSP state.",
    );
    assert_ne!(
        with_default, with_field,
        "the test's edit no longer applies to the example"
    );
    assert_ne!(
        with_field, source,
        "the test's edit no longer applies to the example"
    );
    with_default
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_break_fix_and_burst() {
    let project = ExampleProject::new("hot-reload-probe");
    std::fs::create_dir_all(project.path().join("ui/src")).unwrap();
    let types = project.path().join(OUTPUT_PATH);
    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.target_dir = Some(support::engines_target_dir());
    let (server, mut events) = DevServer::start(config).await.unwrap();
    support::first_build_succeeds(&mut events).await;
    let mut c = Client::connect(&server.ws_url()).await;
    // The first good build wrote the example's parameter types.
    let example_types = wavecraft_test_support::workspace_root()
        .join("examples/example-plugin")
        .join(OUTPUT_PATH);
    assert_eq!(
        std::fs::read_to_string(&types).unwrap(),
        std::fs::read_to_string(example_types).unwrap()
    );

    // A value set before the reload is kept.
    c.call("setParameter", json!({"id": "drive", "value": 9.5}))
        .await;
    c.notifications.clear();
    let original = project.source();
    project.write_source(&add_mix_parameter(&original));
    let started = c.notification("buildStarted").await;
    assert_eq!(started["params"]["files"], json!(["engine/src/lib.rs"]));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["added"], json!(["mix"]));
    assert_eq!(changed["params"]["removed"], json!([]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    // Cargo's progress reached the browser while it built.
    let progress: Vec<&str> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "buildProgress")
        .filter_map(|n| n["params"]["line"].as_str())
        .collect();
    assert!(
        progress
            .iter()
            .any(|l| l.starts_with("Compiling hot-reload-probe")),
        "{progress:?}"
    );
    let all = c.call("getAllParameters", json!({})).await;
    let params = all["result"]["parameters"].as_array().unwrap();
    let value = |id: &str| {
        params
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["value"].clone())
    };
    assert_eq!(value("mix"), Some(json!(0.75)));
    assert_eq!(value("drive"), Some(json!(9.5)));
    // The new id is in the UI's types by the time the UI hears the build is done.
    let with_mix = std::fs::read_to_string(&types).unwrap();
    assert!(with_mix.contains("\n  | \"mix\";\n"), "{with_mix}");
    let written = std::fs::metadata(&types).unwrap();

    // A syntax error: reported with file and line; the old parameters are still served.
    let edited = project.source();
    project.write_source(&edited.replace("let p = &mut self.params;", "let p = &mut self.params"));
    c.notification("buildStarted").await;
    let failed = c.notification("buildFinished").await;
    assert_eq!(failed["params"]["ok"], false, "{failed}");
    let errors: Vec<_> = failed["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert!(!errors.is_empty(), "{failed}");
    assert_eq!(errors[0]["file"], "src/lib.rs");
    assert!(errors[0]["line"].as_u64().unwrap() > 0);
    assert!(errors[0]["rendered"]
        .as_str()
        .unwrap()
        .contains("src/lib.rs"));
    let status = c.call("getBuildStatus", json!({})).await;
    assert_eq!(status["result"]["state"], "failed");
    let all = c.call("getAllParameters", json!({})).await;
    assert_eq!(all["result"]["parameters"].as_array().unwrap().len(), 7);
    assert_eq!(
        c.call("getParameter", json!({"id": "drive"})).await["result"]["value"],
        9.5
    );

    // The fix recovers.
    project.write_source(&edited);
    c.notification("buildStarted").await;
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    // Neither the failed build nor the fix changed a parameter: the file was left alone.
    let after = std::fs::metadata(&types).unwrap();
    assert_eq!(after.modified().unwrap(), written.modified().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(after.ino(), written.ino());
    }
    assert_eq!(std::fs::read_to_string(&types).unwrap(), with_mix);

    // 20 saves within one second: at most 2 builds run to their end after the burst.
    while events.try_recv().is_ok() {}
    for i in 0..20 {
        project.write_source(&format!("{edited}\n// save {i}\n"));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut finished = 0;
    let mut superseded = 0;
    loop {
        match tokio::time::timeout(Duration::from_secs(20), events.recv()).await {
            Ok(Some(DevEvent::EngineSwapped { .. } | DevEvent::BuildFailed { .. })) => {
                finished += 1
            }
            Ok(Some(DevEvent::BuildSuperseded)) => superseded += 1,
            Ok(Some(_)) => {}
            // Quiet for 20 s after the burst: everything has settled.
            Ok(None) | Err(_) => break,
        }
    }
    eprintln!("burst of 20 saves: {finished} builds finished, {superseded} superseded");
    assert!(
        (1..=2).contains(&finished),
        "{finished} builds finished after the burst"
    );
    assert_eq!(
        server.status().build().state,
        wavecraft_protocol::BuildState::Succeeded
    );
    server.shutdown().await;
}
