//! JSON-RPC 2.0 message processing, independent of which methods exist:
//! parsing untrusted text, validating the envelope, batches, notifications,
//! and turning a [`Dispatch`] table's answers into response text.
//!
//! Rules (JSON-RPC 2.0 specification, sections 4–6):
//! - text that is not JSON → one −32700 error with id null;
//! - JSON that is not a request object (or an empty batch) → −32600 with id null
//!   unless a valid id could be read;
//! - a request without an `id` member is a notification: it is executed but
//!   never answered, and a batch of only notifications gets no reply at all;
//! - a panic inside a method becomes −32603; nothing here panics.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use wavecraft_protocol::catalog::Notification;
use wavecraft_protocol::{
    ErrorCode, ErrorObject, JsonRpcVersion, NotificationMessage, RequestId, Response,
};

/// A table of methods: given a method name and its params, produce a result or an error.
pub trait Dispatch {
    /// Runs `method` with `params` (absent, an object, or an array).
    /// The result comes back already encoded, so a large result (every parameter) is written
    /// once, straight to text, instead of being built as a JSON tree and then encoded.
    fn call(&self, method: &str, params: Option<Value>) -> Result<Box<RawValue>, ErrorObject>;
}

/// Handles one message (a request, a notification or a batch) and returns the reply text,
/// or `None` when the specification says nothing is sent back.
pub fn handle_text<D: Dispatch + ?Sized>(dispatch: &D, text: &str) -> Option<String> {
    let message: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Some(encode_error(
                RequestId::Null,
                ErrorObject::new(ErrorCode::ParseError, format!("not valid JSON: {e}")),
            ))
        }
    };
    match message {
        Value::Array(items) if items.is_empty() => Some(encode_error(
            RequestId::Null,
            ErrorObject::new(ErrorCode::InvalidRequest, "a batch must not be empty"),
        )),
        Value::Array(items) => {
            let replies: Vec<String> = items
                .into_iter()
                .filter_map(|item| handle_value(dispatch, item))
                .collect();
            if replies.is_empty() {
                None
            } else {
                Some(format!("[{}]", replies.join(",")))
            }
        }
        other => handle_value(dispatch, other),
    }
}

fn invalid(id: RequestId, detail: &str) -> Option<String> {
    Some(encode_error(
        id,
        ErrorObject::new(ErrorCode::InvalidRequest, detail),
    ))
}

/// The request's id, if it has one; `Err` when it is not a string, number or null.
fn read_id(object: &Map<String, Value>) -> Option<Result<RequestId, ()>> {
    object
        .get("id")
        .map(|id| RequestId::deserialize(id).map_err(drop))
}

fn handle_value<D: Dispatch + ?Sized>(dispatch: &D, message: Value) -> Option<String> {
    let Value::Object(mut object) = message else {
        return invalid(RequestId::Null, "a request must be a JSON object");
    };
    let id = match read_id(&object) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(())) => return invalid(RequestId::Null, "id must be a string, a number or null"),
    };
    let reply_id = id.clone().unwrap_or(RequestId::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some(JsonRpcVersion::STR) {
        return invalid(reply_id, "jsonrpc must be exactly \"2.0\"");
    }
    let method = match object.remove("method") {
        Some(Value::String(m)) => m,
        _ => return invalid(reply_id, "method must be a string"),
    };
    let params = match object.remove("params") {
        None => None,
        Some(p @ (Value::Object(_) | Value::Array(_))) => Some(p),
        Some(_) => return invalid(reply_id, "params must be an object or an array"),
    };
    let outcome =
        catch_unwind(AssertUnwindSafe(|| dispatch.call(&method, params))).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(ErrorObject::new(
                ErrorCode::InternalError,
                format!("{method} panicked: {what}"),
            ))
        });
    let id = id?;
    Some(match outcome {
        Ok(result) => encode_result(&id, &result),
        Err(error) => encode_error(id, error),
    })
}

/// The wire text of notification `N` with `params` (what a server pushes to its clients).
pub fn notification_text<N: Notification>(params: &N::Params) -> String
where
    N::Params: Serialize,
{
    let params = serde_json::to_value(params).unwrap_or(Value::Null);
    serde_json::to_string(&NotificationMessage::new(N::NAME, params))
        .unwrap_or_else(|_| format!(r#"{{"jsonrpc":"2.0","method":"{}"}}"#, N::NAME))
}

const ENCODE_FAILED: &str = r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error","data":"the reply could not be encoded"}}"#;

/// A successful response, written with the already-encoded result (same members as
/// [`Response`]: `jsonrpc`, `id`, `result`).
#[derive(Serialize)]
struct ResultReply<'a> {
    jsonrpc: JsonRpcVersion,
    id: &'a RequestId,
    result: &'a RawValue,
}

fn encode_result(id: &RequestId, result: &RawValue) -> String {
    serde_json::to_string(&ResultReply {
        jsonrpc: JsonRpcVersion,
        id,
        result,
    })
    .unwrap_or_else(|_| ENCODE_FAILED.to_owned())
}

fn encode_error(id: RequestId, error: ErrorObject) -> String {
    serde_json::to_string(&Response::error(id, error)).unwrap_or_else(|_| ENCODE_FAILED.to_owned())
}
