//! Generates `ui/packages/core/src/generated/protocol.ts` from the Rust
//! types (ts-rs), so the UI's types cannot drift from the server's: the
//! `typescript_bindings` test fails when the committed file is stale, and
//! `cargo xtask gen-ts` rewrites it.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};

use ts_rs::{Config, TypeVisitor, TS};

use crate::catalog;
use crate::*;

/// Where the generated file lives, relative to the workspace root.
pub const OUTPUT_PATH: &str = "ui/packages/core/src/generated/protocol.ts";

/// The declaration of every named type reachable from the types it visits, each once, in
/// name order (ts-rs lists a type's dependencies in an order that changes from one build to
/// the next; TypeScript does not care about order, the committed file does). Wrappers
/// (`Option`, `Vec`, maps) and primitives are looked through. So a type is declared because
/// the catalog or the envelope uses it, not because someone listed it.
pub(crate) struct Declarations<'a> {
    cfg: &'a Config,
    /// Types already visited (a recursive type such as `JsonValue` ends here).
    visited: HashSet<TypeId>,
    /// Each declaration by name (a type and its serde shadow share one).
    declared: BTreeMap<String, String>,
}

impl<'a> Declarations<'a> {
    pub(crate) fn new(cfg: &'a Config) -> Self {
        Declarations {
            cfg,
            visited: HashSet::new(),
            declared: BTreeMap::new(),
        }
    }

    pub(crate) fn into_text(self) -> String {
        self.declared.into_values().collect()
    }
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.visited.insert(TypeId::of::<T>()) {
            return;
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
        if T::output_path().is_none() {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        let decl = T::decl(self.cfg);
        self.declared
            .entry(T::ident(self.cfg))
            .or_insert_with(|| format!("{docs}export {decl}\n\n"));
    }
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
    let mut declarations = Declarations::new(&cfg);
    declarations.visit::<Request>();
    declarations.visit::<NotificationMessage>();
    declarations.visit::<Response>();
    catalog::visit_types(&mut declarations);
    out.push_str(&declarations.into_text());
    out.push_str(&catalog::typescript_maps(&cfg));
    out.push_str("/** JSON-RPC error codes. */\nexport const ERROR_CODES = {\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!("  {}: {},\n", code.key(), code.code()));
    }
    out.push_str("} as const;\n");
    out
}
