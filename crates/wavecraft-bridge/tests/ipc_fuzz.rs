//! Property tests: `IpcHandler` fed arbitrary bytes and arbitrary JSON never
//! panics, and whatever it answers is a valid JSON-RPC 2.0 reply.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{Map, Value};
use wavecraft_bridge::{InMemoryParameterHost, IpcHandler, ParameterHost, StatusBoard};
use wavecraft_protocol::{ParameterInfo, ParameterKind};

fn handler() -> IpcHandler<Arc<InMemoryParameterHost>> {
    let p = |id: &str, kind, min, max| ParameterInfo {
        id: id.into(),
        name: id.into(),
        kind,
        min,
        max,
        default: min,
        value: min,
        unit: String::new(),
        group: String::new(),
        step: None,
        skew: 1.0,
        variants: Vec::new(),
    };
    let host = InMemoryParameterHost::new(vec![
        p("gain", ParameterKind::Float, -60.0, 12.0),
        p("voices", ParameterKind::Int, 1.0, 8.0),
        p("bypass", ParameterKind::Bool, 0.0, 1.0),
    ])
    .unwrap();
    IpcHandler::new(Arc::new(host), Arc::new(StatusBoard::new()))
}

/// Checks one response object against the specification; returns a reason when it is not valid.
fn check_response(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("response is not an object")?;
    if o.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Err("jsonrpc is not \"2.0\"".into());
    }
    match o.get("id") {
        Some(Value::String(_) | Value::Number(_) | Value::Null) => {}
        _ => return Err("id missing or of the wrong type".into()),
    }
    match (o.get("result"), o.get("error")) {
        (Some(_), None) => {}
        (None, Some(Value::Object(e))) => {
            if !e.get("code").is_some_and(|c| c.is_i64()) {
                return Err("error.code is not an integer".into());
            }
            if !e.get("message").is_some_and(Value::is_string) {
                return Err("error.message is not a string".into());
            }
        }
        _ => return Err("not exactly one of result and error".into()),
    }
    let allowed = ["jsonrpc", "id", "result", "error"];
    if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("unexpected member {k}"));
    }
    Ok(())
}

fn check_reply(reply: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(reply).map_err(|e| format!("reply is not JSON: {e}"))?;
    match &v {
        Value::Array(items) if items.is_empty() => Err("empty batch reply".into()),
        Value::Array(items) => items.iter().try_for_each(check_response),
        single => check_response(single),
    }
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2.0"),
            Just("getAllParameters"),
            Just("getParameter"),
            Just("setParameter"),
            Just("ping"),
            Just("gain"),
            Just("voices"),
            Just("bypass"),
            Just("getBuildStatus"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("jsonrpc".to_owned()),
            Just("method".to_owned()),
            Just("params".to_owned()),
            Just("id".to_owned()),
            Just("value".to_owned()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Request-shaped objects, so the fuzzer reaches the methods and not only the envelope checks.
fn request_like() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(Some(Value::from("2.0"))),
            json_leaf().prop_map(Some),
            Just(None)
        ],
        prop_oneof![json_leaf().prop_map(Some), Just(None)],
        prop_oneof![json_value().prop_map(Some), Just(None)],
        prop_oneof![json_leaf().prop_map(Some), Just(None)],
    )
        .prop_map(|(jsonrpc, method, params, id)| {
            let mut o = Map::new();
            for (k, v) in [
                ("jsonrpc", jsonrpc),
                ("method", method),
                ("params", params),
                ("id", id),
            ] {
                if let Some(v) = v {
                    o.insert(k.to_owned(), v);
                }
            }
            Value::Object(o)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic_and_get_valid_replies(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let h = handler();
        let text = String::from_utf8_lossy(&bytes);
        if let Some(reply) = h.handle(&text) {
            prop_assert!(check_reply(&reply).is_ok(), "{:?} -> {} ({:?})", text, reply, check_reply(&reply));
        }
    }

    #[test]
    fn arbitrary_json_never_panics_and_gets_valid_replies(v in prop_oneof![json_value(), request_like(), prop::collection::vec(request_like(), 0..5).prop_map(Value::Array)]) {
        let h = handler();
        let before = h.host().parameters();
        let text = v.to_string();
        match h.handle(&text) {
            Some(reply) => prop_assert!(check_reply(&reply).is_ok(), "{} -> {} ({:?})", text, reply, check_reply(&reply)),
            None => {
                // Only notifications (no id) or batches of them go unanswered.
                let is_notification = |m: &Value| m.as_object().is_some_and(|o| !o.contains_key("id") && o.get("jsonrpc") == Some(&Value::from("2.0")) && o.get("method").is_some_and(Value::is_string) && o.get("params").is_none_or(|p| p.is_object() || p.is_array()));
                let ok = match &v { Value::Array(a) => !a.is_empty() && a.iter().all(is_notification), m => is_notification(m) };
                prop_assert!(ok, "no reply to {}", text);
            }
        }
        // Stored values always stay within range, whatever was sent.
        for p in h.host().parameters() {
            prop_assert!(p.value.is_finite() && p.value >= p.min && p.value <= p.max, "{:?} (before {:?})", p, before);
        }
    }
}
