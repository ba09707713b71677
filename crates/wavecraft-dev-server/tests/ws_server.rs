//! The WebSocket server with real clients on an ephemeral port: get/set,
//! broadcast to two clients, a foreign Origin refused, malformed input
//! answered with the right errors, and a client that never reads cannot
//! delay another client's replies.

mod support;

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::{json, Value};
use support::{Client, ExampleProject};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use wavecraft_dev_server::{DevServer, DevServerConfig};

async fn server(package: &str) -> (DevServer, ExampleProject) {
    let project = ExampleProject::new(package);
    let mut config = DevServerConfig::new(project.path());
    config.port = 0;
    config.ui_port = Some(5173);
    config.target_dir = Some(support::engines_target_dir());
    let (server, mut events) = DevServer::start(config).await.unwrap();
    support::first_build_succeeds(&mut events).await;
    (server, project)
}

/// Waits (up to 10 s) until the server counts exactly `n` connected clients.
async fn wait_for_clients(server: &DevServer, n: usize) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while server.clients().len() != n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "expected {n} connected clients, the server has {}",
            server.clients().len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn get_set_and_broadcast_to_two_clients() {
    let (server, _p) = server("ws-probe-a").await;
    let mut a = Client::connect(&server.ws_url()).await;
    let mut b = Client::connect(&server.ws_url()).await;
    let all = a.call("getAllParameters", json!({})).await;
    assert_eq!(all["result"]["parameters"].as_array().unwrap().len(), 6);
    let set = a
        .call("setParameter", json!({"id": "output_gain", "value": -6}))
        .await;
    assert_eq!(set["result"]["value"], -6.0);
    let revision = set["result"]["revision"].as_u64().unwrap();
    let pushed = b.notification("parameterChanged").await;
    assert_eq!(
        pushed["params"],
        json!({"id": "output_gain", "value": -6.0, "revision": revision})
    );
    let got = b.call("getParameter", json!({"id": "output_gain"})).await;
    assert_eq!(got["result"]["value"], -6.0);
    assert_eq!(got["result"]["revision"], revision);
    let info = b.call("getEngineInfo", json!({})).await;
    assert_eq!(info["result"]["pluginId"], "dev.wavecraft.ws-probe-a");
    let build = b.call("getBuildStatus", json!({})).await;
    assert_eq!(build["result"]["state"], "succeeded");
    // The dev build links only the library it loads, though the crate also declares an rlib.
    let debug = support::engines_target_dir().join("debug");
    assert!(debug.join("libws_probe_a.so").is_file());
    assert!(!debug.join("libws_probe_a.rlib").exists());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn foreign_origins_and_hosts_are_refused() {
    let (server, _p) = server("ws-probe-b").await;
    let url = server.ws_url();
    let mut request = url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Origin", "https://evil.example".parse().unwrap());
    let err = tokio_tungstenite::connect_async(request).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    let mut request = url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Host", "attacker.example:80".parse().unwrap());
    let err = tokio_tungstenite::connect_async(request).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    // The dev UI's own origin is welcome.
    let mut request = url.as_str().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Origin", "http://localhost:5173".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_ok());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_input_gets_the_right_errors() {
    let (server, _p) = server("ws-probe-c").await;
    let mut c = Client::connect(&server.ws_url()).await;
    let cases: [(&str, i64); 6] = [
        ("{not json", -32700),
        (r#"{"jsonrpc":"2.0","id":1}"#, -32600),
        (r#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#, -32601),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"drive","value":"x"}}"#,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"nope","value":1}}"#,
            -32000,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"drive","value":99}}"#,
            -32001,
        ),
    ];
    for (text, code) in cases {
        c.send_text(text).await;
        let reply = c.next_json().await;
        assert_eq!(reply["error"]["code"], code, "{text}: {reply}");
    }
    c.socket
        .send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .unwrap();
    assert_eq!(c.next_json().await["error"]["code"], -32600);
    // A notification gets no reply: the next frame answers the ping after it.
    c.send_text(r#"{"jsonrpc":"2.0","method":"ping"}"#).await;
    let pong = c.call("ping", json!({})).await;
    assert_eq!(pong["result"], "pong");
    assert!(c.notifications.iter().all(|n| n.get("id").is_none()));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_never_reads_cannot_delay_another() {
    let (server, _p) = server("ws-probe-d").await;
    let mut stalled = Client::connect(&server.ws_url()).await;
    let mut live = Client::connect(&server.ws_url()).await;
    assert_eq!(server.clients().len(), 2);
    // The stalled client floods requests with big replies and never reads one.
    let flood = tokio::spawn(async move {
        let request = json!({"jsonrpc":"2.0","id":1,"method":"getAllParameters"}).to_string();
        for _ in 0..20_000 {
            if stalled
                .socket
                .send(Message::Text(request.clone().into()))
                .await
                .is_err()
            {
                break;
            }
        }
        stalled
    });
    // Meanwhile the live client's requests are all answered.
    for i in 0..200 {
        let reply = live.call("getParameter", json!({"id": "drive"})).await;
        assert_eq!(reply["result"]["id"], "drive", "reply {i}");
    }
    let _stalled = tokio::time::timeout(Duration::from_secs(120), flood)
        .await
        .unwrap()
        .unwrap();
    // The stalled client's queue overflowed and it was dropped; the live one remains.
    wait_for_clients(&server, 1).await;
    let reply: Value = live.call("ping", json!({})).await;
    assert_eq!(reply["result"], "pong");
    server.shutdown().await;
}

/// A reply and the broadcast it causes are two messages; with Nagle's algorithm
/// on the accepted socket the second waited for the client's delayed ACK, about
/// 40 ms per `setParameter` (50 round trips took over 2 s). Now a round trip is
/// well under a millisecond; the bound is ten times above that, so only the old
/// stall can break it.
#[tokio::test(flavor = "multi_thread")]
async fn sequential_set_parameter_round_trips_do_not_wait_for_delayed_acks() {
    let (server, _p) = server("ws-probe-e").await;
    let mut c = Client::connect(&server.ws_url()).await;
    let started = std::time::Instant::now();
    for i in 0..50 {
        let value = -f64::from(i % 24);
        let reply = c
            .call("setParameter", json!({"id": "output_gain", "value": value}))
            .await;
        assert_eq!(reply["result"]["value"], value, "{reply}");
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "50 setParameter round trips took {took:?} (Nagle's delay is back?)"
    );
    server.shutdown().await;
}
