//! Turning the dev server's happenings into JSON-RPC notifications for the
//! clients, named and shaped by the protocol's catalog.

use serde::Serialize;
use wavecraft_protocol::catalog::Notification;
use wavecraft_protocol::NotificationMessage;

/// The wire text of notification `N` with `params`.
pub fn notification_text<N: Notification>(params: &N::Params) -> String
where
    N::Params: Serialize,
{
    let params = serde_json::to_value(params).unwrap_or(serde_json::Value::Null);
    serde_json::to_string(&NotificationMessage::new(N::NAME, params))
        .unwrap_or_else(|_| format!(r#"{{"jsonrpc":"2.0","method":"{}"}}"#, N::NAME))
}
