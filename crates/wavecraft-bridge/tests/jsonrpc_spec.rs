//! The request/response examples of the JSON-RPC 2.0 specification, section 7,
//! run through the envelope processing with a method table that implements
//! the spec's example methods. Replies are compared as JSON values, with the
//! `data` member (our human-readable detail, which the spec leaves to the
//! server) removed first.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::value::RawValue;
use serde_json::{json, Value};
use wavecraft_bridge::rpc::{handle_text, Dispatch};
use wavecraft_protocol::{ErrorCode, ErrorObject};

#[derive(Default)]
struct SpecMethods {
    notifications_run: AtomicUsize,
}

fn numbers(params: &Option<Value>) -> Vec<i64> {
    params
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

impl Dispatch for SpecMethods {
    fn call(&self, method: &str, params: Option<Value>) -> Result<Box<RawValue>, ErrorObject> {
        self.answer(method, params)
            .map(|v| serde_json::value::to_raw_value(&v).expect("JSON values encode"))
    }
}

impl SpecMethods {
    fn answer(&self, method: &str, params: Option<Value>) -> Result<Value, ErrorObject> {
        match method {
            "subtract" => {
                let (minuend, subtrahend) = match &params {
                    Some(Value::Array(a)) => (a[0].as_i64().unwrap(), a[1].as_i64().unwrap()),
                    Some(Value::Object(o)) => (
                        o["minuend"].as_i64().unwrap(),
                        o["subtrahend"].as_i64().unwrap(),
                    ),
                    _ => return Err(ErrorObject::bare(ErrorCode::InvalidParams)),
                };
                Ok(json!(minuend - subtrahend))
            }
            "sum" => Ok(json!(numbers(&params).iter().sum::<i64>())),
            "get_data" => Ok(json!(["hello", 5])),
            "update" | "notify_hello" | "notify_sum" => {
                self.notifications_run.fetch_add(1, Ordering::SeqCst);
                Ok(Value::Null)
            }
            _ => Err(ErrorObject::bare(ErrorCode::MethodNotFound)),
        }
    }
}

fn strip_data(mut v: Value) -> Value {
    match &mut v {
        Value::Array(items) => {
            for item in items {
                *item = strip_data(item.take());
            }
        }
        Value::Object(o) => {
            if let Some(Value::Object(e)) = o.get_mut("error") {
                e.remove("data");
            }
        }
        _ => {}
    }
    v
}

fn exchange(methods: &SpecMethods, request: &str) -> Option<Value> {
    handle_text(methods, request).map(|text| strip_data(serde_json::from_str(&text).unwrap()))
}

fn check(request: &str, expected: Option<Value>) {
    let methods = SpecMethods::default();
    assert_eq!(exchange(&methods, request), expected, "request: {request}");
}

#[test]
fn positional_parameters() {
    check(
        r#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#,
        Some(json!({"jsonrpc": "2.0", "result": 19, "id": 1})),
    );
    check(
        r#"{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}"#,
        Some(json!({"jsonrpc": "2.0", "result": -19, "id": 2})),
    );
}

#[test]
fn named_parameters() {
    check(
        r#"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#,
        Some(json!({"jsonrpc": "2.0", "result": 19, "id": 3})),
    );
    check(
        r#"{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}"#,
        Some(json!({"jsonrpc": "2.0", "result": 19, "id": 4})),
    );
}

#[test]
fn notifications_are_run_but_never_answered() {
    let methods = SpecMethods::default();
    assert_eq!(
        exchange(
            &methods,
            r#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#
        ),
        None
    );
    assert_eq!(
        exchange(&methods, r#"{"jsonrpc": "2.0", "method": "foobar"}"#),
        None
    );
    assert_eq!(methods.notifications_run.load(Ordering::SeqCst), 1);
}

#[test]
fn non_existent_method() {
    check(
        r#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#,
        Some(
            json!({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}),
        ),
    );
}

#[test]
fn invalid_json() {
    check(
        r#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
        Some(
            json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}),
        ),
    );
}

#[test]
fn invalid_request_object() {
    check(
        r#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#,
        Some(
            json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}),
        ),
    );
}

#[test]
fn batch_invalid_json() {
    check(
        r#"[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]"#,
        Some(
            json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}),
        ),
    );
}

#[test]
fn empty_array() {
    check(
        "[]",
        Some(
            json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}),
        ),
    );
}

#[test]
fn invalid_batch_but_not_empty() {
    check(
        "[1]",
        Some(
            json!([{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]),
        ),
    );
}

#[test]
fn invalid_batch() {
    let one = json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null});
    check("[1,2,3]", Some(json!([one, one, one])));
}

#[test]
fn batch() {
    check(
        r#"[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]"#,
        Some(json!([
            {"jsonrpc": "2.0", "result": 7, "id": "1"},
            {"jsonrpc": "2.0", "result": 19, "id": "2"},
            {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
            {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
            {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
        ])),
    );
}

#[test]
fn batch_of_only_notifications_gets_no_reply() {
    let methods = SpecMethods::default();
    let reply = exchange(
        &methods,
        r#"[
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]"#,
    );
    assert_eq!(reply, None);
    assert_eq!(methods.notifications_run.load(Ordering::SeqCst), 2);
}
