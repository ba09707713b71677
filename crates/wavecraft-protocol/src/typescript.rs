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

fn name_table(name: &str, names: &[&str]) -> String {
    let mut out = format!("export const {name} = {{\n");
    for n in names {
        out.push_str(&format!("  {n}: \"{n}\",\n"));
    }
    out.push_str("} as const;\n\n");
    out
}

fn type_map<'a>(doc: &str, name: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = format!("/** {doc} */\nexport type {name} = {{\n");
    for (key, ty) in rows {
        out.push_str(&format!("  {key}: {ty};\n"));
    }
    out.push_str("};\n\n");
    out
}

/// The TypeScript maps of a catalog, given each method's (name, params type, result type) and
/// each notification's (name, payload type) as TypeScript. Called by the code `catalog!`
/// generates, so the maps list exactly what the catalog declares.
pub(crate) fn catalog_maps(
    methods: &[(&str, String, String)],
    notifications: &[(&str, String)],
) -> String {
    let method_names: Vec<&str> = methods.iter().map(|(name, _, _)| *name).collect();
    let notification_names: Vec<&str> = notifications.iter().map(|(name, _)| *name).collect();
    let mut out = type_map(
        "Params of each method, by name.",
        "MethodParams",
        methods.iter().map(|(n, params, _)| (*n, params.as_str())),
    );
    out.push_str(&type_map(
        "Result of each method, by name.",
        "MethodResults",
        methods.iter().map(|(n, _, result)| (*n, result.as_str())),
    ));
    out.push_str(&type_map(
        "Payload of each notification, by name.",
        "NotificationParams",
        notifications
            .iter()
            .map(|(n, payload)| (*n, payload.as_str())),
    ));
    out.push_str("/** Every method name. */\n");
    out.push_str(&name_table("METHODS", &method_names));
    out.push_str("/** Every notification name. */\n");
    out.push_str(&name_table("NOTIFICATIONS", &notification_names));
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

    out.push_str(&catalog::typescript_maps(&cfg));
    out.push_str("/** JSON-RPC error codes. */\nexport const ERROR_CODES = {\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!("  {}: {},\n", code.key(), code.code()));
    }
    out.push_str("} as const;\n");
    out
}
