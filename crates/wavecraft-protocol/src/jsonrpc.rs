//! The JSON-RPC 2.0 envelope: requests, notifications, responses and error
//! objects, as they appear on the wire. Batches are plain JSON arrays of
//! these. Validation of untrusted input (which may be anything) is the
//! IPC handler's job; these types describe well-formed messages.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

#[cfg(feature = "typescript")]
use ts_rs::TS;

use crate::ErrorCode;

/// The `"jsonrpc": "2.0"` member. Serializes as `"2.0"` and refuses any other value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JsonRpcVersion;

impl JsonRpcVersion {
    /// The only version string this protocol speaks.
    pub const STR: &'static str = "2.0";
}

impl Serialize for JsonRpcVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Self::STR)
    }
}

impl<'de> Deserialize<'de> for JsonRpcVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        if s == Self::STR {
            Ok(JsonRpcVersion)
        } else {
            Err(de::Error::custom(format!(
                "jsonrpc must be \"2.0\", got {s:?}"
            )))
        }
    }
}

/// A request id: a string, a number, or null (allowed by the specification, though discouraged).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS))]
#[serde(untagged)]
pub enum RequestId {
    /// A numeric id.
    Number(serde_json::Number),
    /// A string id.
    String(String),
    /// `null`: also what an error response carries when the request's id could not be read.
    Null,
}

impl From<i64> for RequestId {
    fn from(n: i64) -> Self {
        RequestId::Number(n.into())
    }
}

impl From<&str> for RequestId {
    fn from(s: &str) -> Self {
        RequestId::String(s.to_owned())
    }
}

/// A request: a call that expects exactly one response with the same id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS), ts(rename = "JsonRpcRequest"))]
pub struct Request {
    /// Always `"2.0"`.
    #[cfg_attr(feature = "typescript", ts(type = "\"2.0\""))]
    pub jsonrpc: JsonRpcVersion,
    /// The method's name, from the catalog.
    pub method: String,
    /// Positional (array) or named (object) parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub params: Option<Value>,
    /// Echoed in the response.
    pub id: RequestId,
}

/// A notification: a request without an id. It is never answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS), ts(rename = "JsonRpcNotification"))]
pub struct NotificationMessage {
    /// Always `"2.0"`.
    #[cfg_attr(feature = "typescript", ts(type = "\"2.0\""))]
    pub jsonrpc: JsonRpcVersion,
    /// The notification's name, from the catalog.
    pub method: String,
    /// The notification's payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub params: Option<Value>,
}

impl NotificationMessage {
    /// A notification with the given name and payload.
    pub fn new(method: impl Into<String>, params: Value) -> Self {
        NotificationMessage {
            jsonrpc: JsonRpcVersion,
            method: method.into(),
            params: Some(params),
        }
    }
}

/// The error member of a failed response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS), ts(rename = "JsonRpcErrorObject"))]
pub struct ErrorObject {
    /// One of [`ErrorCode`]'s numbers.
    pub code: i32,
    /// A short description (the specification's wording for its own codes).
    pub message: String,
    /// Detail for a person: what was wrong and, where it helps, how to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub data: Option<Value>,
}

impl ErrorObject {
    /// An error with the code's standard message and a human-readable detail in `data`.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ErrorObject {
            code: code.code(),
            message: code.message().to_owned(),
            data: Some(Value::String(detail.into())),
        }
    }

    /// An error with the code's standard message and no detail.
    pub fn bare(code: ErrorCode) -> Self {
        ErrorObject {
            code: code.code(),
            message: code.message().to_owned(),
            data: None,
        }
    }
}

/// The outcome carried by a response: exactly one of `result` or `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS), ts(rename = "JsonRpcOutcome"))]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The method's result (may be `null`).
    Result(Value),
    /// Why the request failed.
    Error(ErrorObject),
}

/// A response to one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(TS), ts(rename = "JsonRpcResponse"))]
pub struct Response {
    /// Always `"2.0"`.
    #[cfg_attr(feature = "typescript", ts(type = "\"2.0\""))]
    pub jsonrpc: JsonRpcVersion,
    /// The request's id, or null when it could not be read.
    pub id: RequestId,
    /// `result` or `error`.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Response {
    /// A successful response.
    pub fn result(id: RequestId, result: Value) -> Self {
        Response {
            jsonrpc: JsonRpcVersion,
            id,
            outcome: Outcome::Result(result),
        }
    }

    /// A failed response.
    pub fn error(id: RequestId, error: ErrorObject) -> Self {
        Response {
            jsonrpc: JsonRpcVersion,
            id,
            outcome: Outcome::Error(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn response_serializes_exactly_one_of_result_or_error() {
        let ok = serde_json::to_value(Response::result(1.into(), Value::Null)).unwrap();
        assert_eq!(ok, json!({"jsonrpc": "2.0", "id": 1, "result": null}));
        let err = serde_json::to_value(Response::error(
            RequestId::Null,
            ErrorObject::bare(ErrorCode::ParseError),
        ))
        .unwrap();
        assert_eq!(
            err,
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}})
        );
    }

    #[test]
    fn response_round_trips_including_null_result() {
        for r in [
            Response::result("a".into(), Value::Null),
            Response::result(7.into(), json!({"x": [1, 2]})),
            Response::error(
                3.into(),
                ErrorObject::new(ErrorCode::ValueOutOfRange, "too loud"),
            ),
        ] {
            let text = serde_json::to_string(&r).unwrap();
            let back: Response = serde_json::from_str(&text).unwrap();
            assert_eq!(back, r);
        }
    }

    #[test]
    fn version_refuses_anything_but_2_0() {
        assert!(serde_json::from_value::<JsonRpcVersion>(json!("2.0")).is_ok());
        assert!(serde_json::from_value::<JsonRpcVersion>(json!("1.0")).is_err());
        assert!(serde_json::from_value::<JsonRpcVersion>(json!(2.0)).is_err());
    }

    #[test]
    fn notification_has_no_id_member() {
        let n = serde_json::to_value(NotificationMessage::new("ping", json!({}))).unwrap();
        assert!(n.get("id").is_none());
    }
}
