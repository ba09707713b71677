//! Generates `ui/packages/core/src/generated/protocol.ts` from the Rust
//! types (ts-rs), so the UI's types cannot drift from the server's: the
//! `typescript_bindings` test fails when the committed file is stale, and
//! `cargo xtask gen-ts` rewrites it.

use ts_rs::{Config, TS};

use crate::catalog::{self, *};
use crate::jsonrpc::Outcome;
use crate::*;

/// Where the generated file lives, relative to the workspace root.
pub const OUTPUT_PATH: &str = "ui/packages/core/src/generated/protocol.ts";

fn decl<T: TS>(cfg: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push_str("\n\n");
}

fn method_row<M: Method>(cfg: &Config, params: &mut String, results: &mut String)
where
    M::Params: TS,
    M::Result: TS,
{
    params.push_str(&format!(
        "  {}: {};\n",
        M::NAME,
        <M::Params as TS>::name(cfg)
    ));
    results.push_str(&format!(
        "  {}: {};\n",
        M::NAME,
        <M::Result as TS>::name(cfg)
    ));
}

fn notification_row<N: Notification>(cfg: &Config, out: &mut String)
where
    N::Params: TS,
{
    out.push_str(&format!(
        "  {}: {};\n",
        N::NAME,
        <N::Params as TS>::name(cfg)
    ));
}

fn name_table(name: &str, names: &[&str]) -> String {
    let mut out = format!("export const {name} = {{\n");
    for n in names {
        out.push_str(&format!("  {n}: \"{n}\",\n"));
    }
    out.push_str("} as const;\n\n");
    out
}

/// The full text of the generated TypeScript file.
pub fn generate() -> String {
    let cfg = Config::new();
    let mut out = String::from(
        "// Generated from crates/wavecraft-protocol by `cargo xtask gen-ts`. Do not edit by hand:\n\
         // the typescript_bindings test fails when this file and the Rust types differ.\n\n",
    );
    decl::<serde_json::Value>(&cfg, &mut out);
    decl::<RequestId>(&cfg, &mut out);
    decl::<Request>(&cfg, &mut out);
    decl::<NotificationMessage>(&cfg, &mut out);
    decl::<ErrorObject>(&cfg, &mut out);
    decl::<Outcome>(&cfg, &mut out);
    decl::<Response>(&cfg, &mut out);
    decl::<ParameterKind>(&cfg, &mut out);
    decl::<ParameterInfo>(&cfg, &mut out);
    decl::<EngineInfo>(&cfg, &mut out);
    decl::<BuildState>(&cfg, &mut out);
    decl::<DiagnosticLevel>(&cfg, &mut out);
    decl::<Diagnostic>(&cfg, &mut out);
    decl::<BuildStatus>(&cfg, &mut out);
    decl::<AudioBackend>(&cfg, &mut out);
    decl::<AudioState>(&cfg, &mut out);
    decl::<AudioStatus>(&cfg, &mut out);
    decl::<ChannelMeter>(&cfg, &mut out);
    decl::<MeterUpdate>(&cfg, &mut out);
    decl::<NoParams>(&cfg, &mut out);
    decl::<GetAllParametersResult>(&cfg, &mut out);
    decl::<GetParameterParams>(&cfg, &mut out);
    decl::<SetParameterParams>(&cfg, &mut out);
    decl::<SetParameterResult>(&cfg, &mut out);
    decl::<ParameterChanged>(&cfg, &mut out);
    decl::<ParametersChanged>(&cfg, &mut out);
    decl::<BuildStarted>(&cfg, &mut out);
    decl::<BuildProgress>(&cfg, &mut out);
    decl::<BuildFinished>(&cfg, &mut out);

    let (mut params, mut results) = (String::new(), String::new());
    method_row::<GetAllParameters>(&cfg, &mut params, &mut results);
    method_row::<GetParameter>(&cfg, &mut params, &mut results);
    method_row::<SetParameter>(&cfg, &mut params, &mut results);
    method_row::<GetEngineInfo>(&cfg, &mut params, &mut results);
    method_row::<GetBuildStatus>(&cfg, &mut params, &mut results);
    method_row::<GetAudioStatus>(&cfg, &mut params, &mut results);
    method_row::<Ping>(&cfg, &mut params, &mut results);
    out.push_str("/** Params of each method, by name. */\nexport type MethodParams = {\n");
    out.push_str(&params);
    out.push_str("};\n\n/** Result of each method, by name. */\nexport type MethodResults = {\n");
    out.push_str(&results);
    out.push_str("};\n\n");

    let mut notes = String::new();
    notification_row::<ParameterChangedNotification>(&cfg, &mut notes);
    notification_row::<ParametersChangedNotification>(&cfg, &mut notes);
    notification_row::<BuildStartedNotification>(&cfg, &mut notes);
    notification_row::<BuildProgressNotification>(&cfg, &mut notes);
    notification_row::<BuildFinishedNotification>(&cfg, &mut notes);
    notification_row::<MeterUpdateNotification>(&cfg, &mut notes);
    notification_row::<AudioStatusChangedNotification>(&cfg, &mut notes);
    out.push_str(
        "/** Payload of each notification, by name. */\nexport type NotificationParams = {\n",
    );
    out.push_str(&notes);
    out.push_str("};\n\n");

    out.push_str("/** Every method name. */\n");
    out.push_str(&name_table("METHODS", &catalog::METHODS));
    out.push_str("/** Every notification name. */\n");
    out.push_str(&name_table("NOTIFICATIONS", &catalog::NOTIFICATIONS));
    out.push_str("/** JSON-RPC error codes. */\nexport const ERROR_CODES = {\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!("  {}: {},\n", code.key(), code.code()));
    }
    out.push_str("} as const;\n");
    out
}
