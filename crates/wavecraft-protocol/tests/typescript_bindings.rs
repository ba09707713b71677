//! Fails when the UI's generated protocol file differs from what the Rust types generate.
//! Fix with `cargo xtask gen-ts`.

use std::path::Path;

use ts_rs::Config;
use wavecraft_protocol::catalog;
use wavecraft_protocol::typescript::{generate, OUTPUT_PATH};

#[test]
fn generated_typescript_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(OUTPUT_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); run `cargo xtask gen-ts`",
            path.display()
        )
    });
    let fresh = generate();
    assert!(
        committed == fresh,
        "{} is stale: the Rust protocol types changed. Run `cargo xtask gen-ts` and commit the result.",
        path.display()
    );
}

/// The keys of the TypeScript object type or const named `name`, in order.
fn keys<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let start = text
        .find(&format!(" {name} = {{\n"))
        .unwrap_or_else(|| panic!("{name} missing"));
    text[start..]
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with('}'))
        .map(|line| line.trim().split(':').next().unwrap())
        .collect()
}

#[test]
fn every_typescript_map_lists_the_catalog() {
    let text = generate();
    for map in ["MethodParams", "MethodResults", "METHODS"] {
        assert_eq!(keys(&text, map), catalog::METHODS, "{map}");
    }
    for map in ["NotificationParams", "NOTIFICATIONS"] {
        assert_eq!(keys(&text, map), catalog::NOTIFICATIONS, "{map}");
    }
    assert!(text.contains(&catalog::typescript_maps(&Config::new())));
    for ty in [
        "export type ParameterInfo",
        "export type JsonRpcResponse",
        "export type BuildFinished",
    ] {
        assert!(text.contains(ty), "{ty} missing");
    }
    assert!(text.contains("valueOutOfRange: -32001"));
}

/// JSON numbers arrive in the page as `number`: a 64-bit integer typed `bigint` (ts-rs's
/// default for u64/i64) would be a type the page never receives.
#[test]
fn no_wire_type_claims_a_bigint() {
    let text = generate();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("bigint")).collect();
    assert!(lines.is_empty(), "typed bigint: {lines:?}");
}
