//! Fails when the UI's generated protocol file differs from what the Rust types generate.
//! Fix with `cargo xtask gen-ts`.

use std::path::Path;

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

#[test]
fn generated_typescript_covers_the_catalog() {
    let text = generate();
    for name in wavecraft_protocol::catalog::METHODS
        .iter()
        .chain(wavecraft_protocol::catalog::NOTIFICATIONS.iter())
    {
        assert!(
            text.contains(&format!("  {name}: \"{name}\",")),
            "{name} missing"
        );
    }
    for ty in [
        "export type ParameterInfo",
        "export type JsonRpcResponse",
        "export type BuildFinished",
    ] {
        assert!(text.contains(ty), "{ty} missing");
    }
    assert!(text.contains("valueOutOfRange: -32001"));
}
