//! The WebSocket endpoint (`/ws`): checks Host and Origin on upgrade, then
//! serves the IPC handler to the client and forwards its queued messages.
//!
//! Only the dev UI's own origins (and local tools that send no Origin) may
//! connect; anything else gets 403, so no web page the author visits can
//! drive the dev server. The Host check stops DNS-rebinding. A reload never
//! closes a socket: sockets close only when the client leaves, when it is
//! too slow (its queue filled), or on shutdown.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use wavecraft_bridge::IpcHandler;
use wavecraft_protocol::{ErrorCode, ErrorObject, RequestId};

use crate::broadcasting_host::BroadcastingHost;
use crate::clients::Clients;

/// Who may connect.
#[derive(Debug, Clone)]
pub struct AccessPolicy {
    /// Accepted `Host` header values.
    pub hosts: Vec<String>,
    /// Accepted `Origin` header values (a missing Origin is accepted: local tools).
    pub origins: Vec<String>,
}

impl AccessPolicy {
    /// The policy for a server on `port` whose UI is served on `ui_port`.
    pub fn local(port: u16, ui_port: Option<u16>) -> Self {
        let names = ["127.0.0.1", "localhost", "[::1]"];
        let hosts = names.iter().map(|n| format!("{n}:{port}")).collect();
        let mut origins: Vec<String> = names.iter().map(|n| format!("http://{n}:{port}")).collect();
        if let Some(ui) = ui_port {
            origins.extend(names.iter().map(|n| format!("http://{n}:{ui}")));
        }
        AccessPolicy { hosts, origins }
    }

    /// Why the request is refused, if it is.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), String> {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(format!("Host {host:?} is not this dev server"));
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            if !self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
                return Err(format!(
                    "Origin {origin:?} may not connect; only the dev UI ({}) may",
                    self.origins.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// What the endpoint serves.
#[derive(Debug)]
pub struct WsState {
    /// Answers requests.
    pub handler: IpcHandler<BroadcastingHost>,
    /// Connected clients.
    pub clients: Arc<Clients>,
    /// Who may connect.
    pub policy: AccessPolicy,
}

/// The router with `/ws`.
pub fn router(state: Arc<WsState>) -> Router {
    Router::new().route("/ws", get(upgrade)).with_state(state)
}

async fn upgrade(
    State(state): State<Arc<WsState>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Err(why) = state.policy.check(&headers) {
        return (StatusCode::FORBIDDEN, why).into_response();
    }
    ws.on_upgrade(move |socket| serve(socket, state))
}

fn binary_refusal() -> String {
    let response = wavecraft_protocol::Response::error(
        RequestId::Null,
        ErrorObject::new(
            ErrorCode::InvalidRequest,
            "binary frames are not JSON-RPC; send text frames",
        ),
    );
    serde_json::to_string(&response).unwrap_or_default()
}

async fn serve(socket: WebSocket, state: Arc<WsState>) {
    let (mut sink, mut stream) = socket.split();
    let (id, mut queue) = state.clients.register();
    let writer = async {
        while let Some(text) = queue.recv().await {
            if sink.send(Message::Text(text.into())).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    };
    let reader = async {
        while let Some(Ok(message)) = stream.next().await {
            let reply = match message {
                Message::Text(text) => state.handler.handle(text.as_str()),
                Message::Binary(_) => Some(binary_refusal()),
                Message::Close(_) => break,
                Message::Ping(_) | Message::Pong(_) => None,
            };
            if let Some(reply) = reply {
                if !state.clients.send_to(id, reply) {
                    break;
                }
            }
        }
    };
    tokio::select! {
        () = writer => {}
        () = reader => {}
    }
    state.clients.unregister(id);
}
