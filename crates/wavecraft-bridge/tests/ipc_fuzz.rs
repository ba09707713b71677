//! Property tests: `IpcHandler` fed arbitrary bytes and arbitrary JSON never
//! panics, and whatever it answers is a valid JSON-RPC 2.0 reply.
//!
//! The handler catches a panic inside a method and answers −32603, so "never
//! panics" is checked twice: a panic hook counts every panic on the handling
//! thread (caught or not, answered or a silent notification), and no reply may
//! carry −32603 (nothing here can make the host fail for real).

use std::cell::Cell;
use std::sync::{Arc, Once};

use proptest::prelude::*;
use serde_json::{Map, Value};
use wavecraft_bridge::{
    InMemoryParameterHost, IpcHandler, ParameterHost, SetParameterError, StatusBoard, StoredValue,
    UnknownParameter,
};
use wavecraft_protocol::{ParameterInfo, ParameterKind};

fn handler() -> IpcHandler<Arc<InMemoryParameterHost>> {
    let p = |id: &str, kind, min, max| ParameterInfo::new(id, id, kind, min, max);
    let host = InMemoryParameterHost::new(vec![
        p("gain", ParameterKind::Float, -60.0, 12.0),
        p("voices", ParameterKind::Int, 1.0, 8.0),
        p("bypass", ParameterKind::Bool, 0.0, 1.0),
    ])
    .unwrap();
    IpcHandler::new(Arc::new(host), Arc::new(StatusBoard::new()))
}

thread_local! {
    /// Panics seen on this thread since the last [`handle_counting_panics`].
    static PANICS: Cell<u32> = const { Cell::new(0) };
}

/// Handles `text`, failing when anything panicked while handling it (even a caught panic).
fn handle_counting_panics<H: ParameterHost>(
    h: &IpcHandler<H>,
    text: &str,
) -> Result<Option<String>, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|n| n.set(n.get() + 1));
            previous(info);
        }));
    });
    PANICS.with(|n| n.set(0));
    let reply = h.handle(text);
    match PANICS.with(Cell::get) {
        0 => Ok(reply),
        n => Err(format!(
            "{n} panic(s) while handling {text:?} (reply {reply:?})"
        )),
    }
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
            match e.get("code").and_then(Value::as_i64) {
                None => return Err("error.code is not an integer".into()),
                // What a caught panic (or a reply that could not be encoded) becomes.
                Some(-32603) => return Err(format!("internal error: {e:?}")),
                Some(_) => {}
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

#[test]
fn the_checks_catch_a_caught_panic_and_an_internal_error() {
    // A host whose every method panics stands in for a bug inside a method: the handler answers
    // −32603 (or nothing, for a notification), and the fuzz's checks must still see the panic.
    struct Broken;
    impl ParameterHost for Broken {
        fn parameters(&self) -> Vec<ParameterInfo> {
            panic!("broken host (expected by this test)")
        }
        fn parameter(&self, _: &str) -> Option<ParameterInfo> {
            panic!("broken host (expected by this test)")
        }
        fn set_parameter(&self, _: &str, _: f64) -> Result<StoredValue, SetParameterError> {
            panic!("broken host (expected by this test)")
        }
        fn begin_edit(&self, _: &str) -> Result<(), UnknownParameter> {
            panic!("broken host (expected by this test)")
        }
        fn end_edit(&self, _: &str) -> Result<(), UnknownParameter> {
            panic!("broken host (expected by this test)")
        }
    }
    let h = IpcHandler::new(Broken, Arc::new(StatusBoard::new()));
    let request = r#"{"jsonrpc":"2.0","id":1,"method":"getAllParameters"}"#;
    let notification =
        r#"{"jsonrpc":"2.0","method":"setParameter","params":{"id":"gain","value":0}}"#;
    for text in [request, notification] {
        let err = handle_counting_panics(&h, text).unwrap_err();
        assert!(err.contains("1 panic(s)"), "{err}");
    }
    let reply = h.handle(request).unwrap();
    assert!(reply.contains("-32603"), "{reply}");
    let err = check_reply(&reply).unwrap_err();
    assert!(err.contains("internal error"), "{err}");
}

proptest! {
    // 6,000 cases per property: both together take 4-7 s in a debug test run here.
    #![proptest_config(ProptestConfig::with_cases(6000))]

    #[test]
    fn arbitrary_bytes_never_panic_and_get_valid_replies(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let h = handler();
        let text = String::from_utf8_lossy(&bytes);
        let reply = handle_counting_panics(&h, &text);
        prop_assert!(reply.is_ok(), "{}", reply.unwrap_err());
        if let Ok(Some(reply)) = reply {
            prop_assert!(check_reply(&reply).is_ok(), "{:?} -> {} ({:?})", text, reply, check_reply(&reply));
        }
    }

    #[test]
    fn arbitrary_json_never_panics_and_gets_valid_replies(v in prop_oneof![json_value(), request_like(), prop::collection::vec(request_like(), 0..5).prop_map(Value::Array)]) {
        let h = handler();
        let before = h.host().parameters();
        let text = v.to_string();
        let reply = handle_counting_panics(&h, &text);
        prop_assert!(reply.is_ok(), "{}", reply.unwrap_err());
        match reply.unwrap() {
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
