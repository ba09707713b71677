//! Turning the dev server's happenings into JSON-RPC notifications for the
//! clients, named and shaped by the protocol's catalog; the encoding is the
//! bridge's, which a plugin window uses too.

pub use wavecraft_bridge::rpc::notification_text;
