//! A plugin with 1,000 extra parameters (a big synth has that many) through
//! the whole dev loop: the first build loads and plays, `getAllParameters`
//! serves all of them, and an edit swaps in with values kept. Its engine code
//! — the derived `Default`, the parameter table: huge functions in a debug
//! build — once overflowed a 2 MiB tokio thread's stack and aborted the whole
//! dev server. Prints the `getAllParameters` round trip.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{Client, ExampleProject};

const EXTRA: usize = 1_000;

/// The example's source with `count` more float parameters `extra_0000`… in its params struct.
fn with_extra_parameters(source: &str, count: usize) -> String {
    let fields: String = (0..count)
        .map(|i| format!("    /// Extra {i}.\n    pub extra_{i:04}: FloatParam,\n"))
        .collect();
    let defaults: String = (0..count)
        .map(|i| {
            format!(
                "            extra_{i:04}: FloatParam::new(\"extra_{i:04}\", \"Extra {i}\", FloatRange::linear(0.0, 1.0), 0.5).group(\"Extra\"),\n"
            )
        })
        .collect();
    let edited = source
        .replacen(
            "    pub output_gain: FloatParam,\n}",
            &format!("    pub output_gain: FloatParam,\n{fields}}}"),
            1,
        )
        .replacen(
            "            .smoothing(gain_smoothing),\n        }\n    }\n}",
            &format!("            .smoothing(gain_smoothing),\n{defaults}        }}\n    }}\n}}"),
            1,
        );
    assert_eq!(
        edited.matches("FloatParam::new(\"extra_").count(),
        count,
        "the test's edit no longer applies to the example"
    );
    assert_eq!(edited.matches("pub extra_").count(), count);
    edited
}

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_parameters_through_the_dev_loop() {
    let project = ExampleProject::new("large-plugin-probe");
    let source = with_extra_parameters(&project.source(), EXTRA);
    project.write_source(&source);
    let (server, _events) = support::start_with_virtual_audio(&project).await;
    let audio = server.audio().expect("audio is on");
    let mut c = Client::connect(&server.ws_url()).await;

    let mut times = Vec::new();
    for _ in 0..21 {
        let sent = Instant::now();
        let all = c.call("getAllParameters", json!({})).await;
        times.push(sent.elapsed());
        assert_eq!(
            all["result"]["parameters"].as_array().unwrap().len(),
            6 + EXTRA
        );
    }
    eprintln!(
        "getAllParameters with {} parameters: median {:.2} ms over 21 round trips",
        6 + EXTRA,
        median_ms(times)
    );

    // A value set now survives a swap that changes one range.
    c.call("setParameter", json!({"id": "extra_0500", "value": 0.25}))
        .await;
    c.notifications.clear();
    project.write_source(&source.replacen(
        "FloatParam::new(\"extra_0999\", \"Extra 999\", FloatRange::linear(0.0, 1.0)",
        "FloatParam::new(\"extra_0999\", \"Extra 999\", FloatRange::linear(0.0, 2.0)",
        1,
    ));
    let changed = c.notification("parametersChanged").await;
    assert_eq!(changed["params"]["changed"], json!(["extra_0999"]));
    assert_eq!(c.notification("buildFinished").await["params"]["ok"], true);
    let kept = c.call("getParameter", json!({"id": "extra_0500"})).await;
    assert_eq!(kept["result"]["value"], 0.25);
    support::latest_engine_plays(audio).await;
    server.shutdown().await;
}
