//! The dev loop rebuilds on a save of anything the build read, not only
//! `engine/src`: a local path crate beside the engine, and a file pulled in
//! with `include_bytes!` from outside `engine/` (cargo's dep-info lists both).

mod support;

use serde_json::json;
use support::{Client, ExampleProject};
use wavecraft_dev_server::{DevServer, DevServerConfig};

#[tokio::test(flavor = "multi_thread")]
async fn a_path_crate_and_an_included_file_rebuild_on_save() {
    let project = ExampleProject::new("build-inputs-probe");
    let root = project.path();
    // A path crate beside the engine holds drive's range; a table outside `engine/` sets
    // the output gain's maximum by its length in bytes.
    std::fs::create_dir_all(root.join("shared-dsp/src")).unwrap();
    std::fs::write(
        root.join("shared-dsp/Cargo.toml"),
        "[package]\nname = \"shared-dsp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    let shared_lib = root.join("shared-dsp/src/lib.rs");
    std::fs::write(&shared_lib, "pub const DRIVE_MAX: f64 = 24.0;\n").unwrap();
    std::fs::create_dir_all(root.join("tables")).unwrap();
    let table = root.join("tables/output_max.bin");
    std::fs::write(&table, [0u8; 12]).unwrap();
    let manifest = std::fs::read_to_string(project.manifest_path()).unwrap();
    std::fs::write(
        project.manifest_path(),
        manifest.replace(
            "[dependencies]\n",
            "[dependencies]\nshared-dsp = { path = \"../shared-dsp\" }\n",
        ),
    )
    .unwrap();
    let source = project.source();
    let edited = source
        .replace(
            "FloatRange::linear(0.0, 24.0)",
            "FloatRange::linear(0.0, shared_dsp::DRIVE_MAX)",
        )
        .replace(
            "FloatRange::linear(-60.0, 12.0)",
            "FloatRange::linear(-60.0, include_bytes!(\"../../tables/output_max.bin\").len() as f64)",
        );
    assert!(edited.contains("shared_dsp::DRIVE_MAX") && edited.contains("output_max.bin"));
    project.write_source(&edited);

    let mut config = DevServerConfig::new(root);
    config.port = 0;
    config.target_dir = Some(support::engines_target_dir());
    let (server, mut events) = DevServer::start(config).await.unwrap();
    support::first_build_succeeds(&mut events).await;
    let mut c = Client::connect(&server.ws_url()).await;
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["max"], 24.0);

    // The path crate, outside engine/.
    std::fs::write(&shared_lib, "pub const DRIVE_MAX: f64 = 30.0;\n").unwrap();
    let started = c.notification("buildStarted").await;
    assert_eq!(started["params"]["files"], json!(["shared-dsp/src/lib.rs"]));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["changed"], json!(["drive"]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    let drive = c.call("getParameter", json!({"id": "drive"})).await;
    assert_eq!(drive["result"]["max"], 30.0);

    // The included file.
    std::fs::write(&table, [0u8; 6]).unwrap();
    let started = c.notification("buildStarted").await;
    assert_eq!(started["params"]["files"], json!(["tables/output_max.bin"]));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["changed"], json!(["output_gain"]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    let gain = c.call("getParameter", json!({"id": "output_gain"})).await;
    assert_eq!(gain["result"]["max"], 6.0);
    server.shutdown().await;
}
