//! Every error path of Wavecraft's methods through `IpcHandler`, and the
//! promise that a refused request stores nothing.

use std::sync::Arc;

use serde_json::{json, Value};
use wavecraft_bridge::{
    InMemoryParameterHost, IpcHandler, ParameterHost, SetParameterError, StatusBoard, StoredValue,
    UnknownParameter,
};
use wavecraft_protocol::{EngineInfo, ParameterInfo, ParameterKind};

fn param(id: &str, kind: ParameterKind, min: f64, max: f64, default: f64) -> ParameterInfo {
    ParameterInfo {
        default,
        value: default,
        variants: if kind == ParameterKind::Enum {
            vec!["low".into(), "mid".into(), "high".into()]
        } else {
            Vec::new()
        },
        ..ParameterInfo::new(id, id, kind, min, max)
    }
}

fn handler() -> IpcHandler<Arc<InMemoryParameterHost>> {
    let host = InMemoryParameterHost::new(vec![
        param("gain", ParameterKind::Float, -60.0, 12.0, 0.0),
        param("voices", ParameterKind::Int, 1.0, 8.0, 2.0),
        param("bypass", ParameterKind::Bool, 0.0, 1.0, 0.0),
        param("mode", ParameterKind::Enum, 0.0, 2.0, 0.0),
    ])
    .unwrap();
    IpcHandler::new(Arc::new(host), Arc::new(StatusBoard::new()))
}

fn call(h: &IpcHandler<Arc<InMemoryParameterHost>>, request: Value) -> Value {
    let text = h
        .handle(&request.to_string())
        .expect("a request gets a reply");
    serde_json::from_str(&text).unwrap()
}

fn error_code(reply: &Value) -> i64 {
    reply["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {reply}"))
}

fn rpc(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params})
}

#[test]
fn get_all_parameters_lists_every_parameter_in_order() {
    let h = handler();
    for params in [json!({}), json!([])] {
        let reply = call(&h, rpc("getAllParameters", params));
        let ids: Vec<&str> = reply["result"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["gain", "voices", "bypass", "mode"]);
        assert_eq!(reply["id"], 7);
    }
    let reply = call(
        &h,
        json!({"jsonrpc": "2.0", "id": 1, "method": "getAllParameters"}),
    );
    assert_eq!(
        reply["result"]["parameters"][3]["variants"],
        json!(["low", "mid", "high"])
    );
}

#[test]
fn methods_without_params_refuse_params() {
    let h = handler();
    assert_eq!(
        error_code(&call(&h, rpc("getAllParameters", json!({"x": 1})))),
        -32602
    );
    assert_eq!(error_code(&call(&h, rpc("ping", json!([1])))), -32602);
}

#[test]
fn set_then_get_parameter() {
    let h = handler();
    let reply = call(
        &h,
        rpc("setParameter", json!({"id": "gain", "value": -6.5})),
    );
    let revision = reply["result"]["revision"].as_u64().unwrap();
    assert_eq!(
        reply["result"],
        json!({"id": "gain", "value": -6.5, "revision": revision})
    );
    let reply = call(&h, rpc("getParameter", json!({"id": "gain"})));
    assert_eq!(reply["result"]["value"], -6.5);
    assert_eq!(reply["result"]["revision"], revision);
    assert_eq!(reply["result"]["kind"], "float");
    let reply = call(&h, rpc("getAllParameters", json!({})));
    assert_eq!(reply["result"]["parameters"][0]["revision"], revision);
    // Positional params work too.
    let reply = call(&h, rpc("setParameter", json!(["voices", 4])));
    assert_eq!(reply["result"]["value"], 4.0);
}

#[test]
fn unknown_ids_are_minus_32000_and_store_nothing() {
    let h = handler();
    let before = h.host().parameters();
    let reply = call(&h, rpc("setParameter", json!({"id": "nope", "value": 1})));
    assert_eq!(error_code(&reply), -32000);
    assert!(reply["error"]["data"].as_str().unwrap().contains("nope"));
    assert_eq!(
        error_code(&call(&h, rpc("getParameter", json!({"id": "nope"})))),
        -32000
    );
    assert_eq!(h.host().parameters(), before);
}

#[test]
fn out_of_range_and_wrong_kind_values_are_minus_32001_and_store_nothing() {
    let h = handler();
    call(&h, rpc("setParameter", json!({"id": "gain", "value": -3})));
    let before = h.host().parameters();
    for (id, value) in [
        ("gain", json!(12.01)),
        ("gain", json!(-1000)),
        ("voices", json!(2.5)),
        ("voices", json!(0)),
        ("bypass", json!(0.5)),
        ("bypass", json!(2)),
        ("mode", json!(3)),
        ("mode", json!(1.5)),
    ] {
        let reply = call(&h, rpc("setParameter", json!({"id": id, "value": value})));
        assert_eq!(error_code(&reply), -32001, "{id}={value}: {reply}");
        assert_eq!(h.host().parameters(), before);
    }
}

#[test]
fn non_finite_values_cannot_be_stored() {
    let h = handler();
    let before = h.host().parameters();
    // JSON has no NaN or infinity: a literal is a parse error, an overflowing number too.
    for text in [
        r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"gain","value":NaN}}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"gain","value":1e999}}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":"setParameter","params":{"id":"gain","value":-Infinity}}"#,
    ] {
        let reply: Value = serde_json::from_str(&h.handle(text).unwrap()).unwrap();
        assert_eq!(error_code(&reply), -32700, "{text}");
    }
    // Through the host directly (the path the dev server's own code takes).
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(matches!(
            h.host().set_parameter("gain", v),
            Err(SetParameterError::Refused { .. })
        ));
    }
    assert_eq!(h.host().parameters(), before);
}

#[test]
fn wrong_param_types_are_minus_32602() {
    let h = handler();
    for params in [
        json!({"id": "gain", "value": "loud"}),
        json!({"id": "gain", "value": true}),
        json!({"id": "gain", "value": null}),
        json!({"id": 5, "value": 1}),
        json!({"id": "gain"}),
        json!({}),
        json!({"id": "gain", "value": 1, "extra": 2}),
        json!(["gain"]),
    ] {
        let reply = call(&h, rpc("setParameter", params.clone()));
        assert_eq!(error_code(&reply), -32602, "{params}: {reply}");
    }
    assert_eq!(
        error_code(&call(
            &h,
            json!({"jsonrpc":"2.0","id":1,"method":"setParameter"})
        )),
        -32602
    );
    assert_eq!(
        error_code(&call(&h, rpc("getParameter", json!({"id": ["gain"]})))),
        -32602
    );
}

#[test]
fn edit_gestures_are_accepted_for_known_ids() {
    let h = handler();
    let reply = call(&h, rpc("beginEdit", json!({"id": "gain"})));
    assert_eq!(reply["result"], Value::Null, "{reply}");
    assert!(reply.get("error").is_none(), "{reply}");
    call(&h, rpc("beginEdit", json!(["mode"])));
    assert_eq!(h.host().editing(), ["gain", "mode"]);
    let reply = call(&h, rpc("endEdit", json!({"id": "gain"})));
    assert_eq!(reply["result"], Value::Null, "{reply}");
    assert_eq!(h.host().editing(), ["mode"]);
}

#[test]
fn edit_gestures_on_unknown_ids_are_minus_32000() {
    let h = handler();
    for method in ["beginEdit", "endEdit"] {
        let reply = call(&h, rpc(method, json!({"id": "nope"})));
        assert_eq!(error_code(&reply), -32000, "{method}: {reply}");
        assert!(reply["error"]["data"].as_str().unwrap().contains("nope"));
    }
    assert!(h.host().editing().is_empty());
}

#[test]
fn edit_gestures_with_bad_params_are_minus_32602() {
    let h = handler();
    for method in ["beginEdit", "endEdit"] {
        for params in [
            json!({}),
            json!({"id": 5}),
            json!({"id": "gain", "active": true}),
            json!([]),
            json!([5]),
        ] {
            let reply = call(&h, rpc(method, params.clone()));
            assert_eq!(error_code(&reply), -32602, "{method} {params}: {reply}");
        }
        let reply = call(&h, json!({"jsonrpc": "2.0", "id": 1, "method": method}));
        assert_eq!(error_code(&reply), -32602, "{method} without params");
    }
    assert!(h.host().editing().is_empty());
}

#[test]
fn invalid_envelopes_are_minus_32600() {
    let h = handler();
    for (request, expected_id) in [
        (
            json!({"jsonrpc": "1.0", "id": 3, "method": "ping"}),
            json!(3),
        ),
        (json!({"id": 3, "method": "ping"}), json!(3)),
        (json!({"jsonrpc": "2.0", "id": 3}), json!(3)),
        (
            json!({"jsonrpc": "2.0", "id": 3, "method": "ping", "params": 5}),
            json!(3),
        ),
        (
            json!({"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"}),
            Value::Null,
        ),
        (
            json!({"jsonrpc": "2.0", "id": [1], "method": "ping"}),
            Value::Null,
        ),
        (json!("ping"), Value::Null),
        (json!(42), Value::Null),
        (Value::Null, Value::Null),
    ] {
        let reply = call(&h, request.clone());
        assert_eq!(error_code(&reply), -32600, "{request}: {reply}");
        assert_eq!(reply["id"], expected_id, "{request}");
    }
}

#[test]
fn unknown_methods_are_minus_32601() {
    let h = handler();
    for m in ["nope", "rpc.discover", "GETALLPARAMETERS", ""] {
        assert_eq!(error_code(&call(&h, rpc(m, json!({})))), -32601, "{m}");
    }
}

#[test]
fn notifications_are_applied_and_never_answered() {
    let h = handler();
    let text = r#"{"jsonrpc":"2.0","method":"setParameter","params":{"id":"gain","value":-12}}"#;
    assert_eq!(h.handle(text), None);
    assert_eq!(h.host().parameter("gain").unwrap().value, -12.0);
    // A failing notification is still not answered.
    assert_eq!(h.handle(r#"{"jsonrpc":"2.0","method":"nope"}"#), None);
}

#[test]
fn status_methods_report_the_status_board() {
    let status = Arc::new(StatusBoard::new());
    let h = IpcHandler::new(
        Arc::new(InMemoryParameterHost::default()),
        Arc::clone(&status),
    );
    let reply = |m: &str| -> Value {
        serde_json::from_str(&h.handle(&rpc(m, json!({})).to_string()).unwrap()).unwrap()
    };
    assert_eq!(reply("getEngineInfo")["result"], Value::Null);
    assert_eq!(reply("getBuildStatus")["result"]["state"], "idle");
    assert_eq!(reply("getAudioStatus")["result"]["backend"], "off");
    assert_eq!(reply("ping")["result"], "pong");
    status.set_engine(Some(EngineInfo {
        name: "Example".into(),
        vendor: "Wavecraft".into(),
        version: "0.1.0".into(),
        plugin_id: "dev.wavecraft.example".into(),
        sdk_version: "0.1.0".into(),
    }));
    assert_eq!(
        reply("getEngineInfo")["result"]["pluginId"],
        "dev.wavecraft.example"
    );
}

struct PanickingHost;

impl ParameterHost for PanickingHost {
    fn parameters(&self) -> Vec<ParameterInfo> {
        panic!("host exploded")
    }
    fn parameter(&self, _: &str) -> Option<ParameterInfo> {
        None
    }
    fn set_parameter(&self, _: &str, _: f64) -> Result<StoredValue, SetParameterError> {
        Ok(StoredValue {
            value: 0.0,
            revision: 0,
        })
    }
    fn begin_edit(&self, _: &str) -> Result<(), UnknownParameter> {
        Ok(())
    }
    fn end_edit(&self, _: &str) -> Result<(), UnknownParameter> {
        Ok(())
    }
}

#[test]
fn a_panicking_host_is_minus_32603_and_the_handler_lives_on() {
    let h = IpcHandler::new(PanickingHost, Arc::new(StatusBoard::new()));
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let reply = h.handle(&rpc("getAllParameters", json!({})).to_string());
    std::panic::set_hook(prev);
    let reply: Value = serde_json::from_str(&reply.unwrap()).unwrap();
    assert_eq!(error_code(&reply), -32603);
    assert!(reply["error"]["data"]
        .as_str()
        .unwrap()
        .contains("host exploded"));
    let pong: Value =
        serde_json::from_str(&h.handle(&rpc("ping", json!({})).to_string()).unwrap()).unwrap();
    assert_eq!(pong["result"], "pong");
}
