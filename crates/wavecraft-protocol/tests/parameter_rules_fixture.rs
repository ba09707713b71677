//! Fails when the UI's parameter-rules fixture differs from what the Rust rules say now.
//! Fix with `cargo xtask gen-ts`.
//!
//! Texts and snapped values must match exactly. Other numbers may differ by
//! rounding noise (`pow` on another platform's libm) without the file being stale.

use std::path::Path;

use serde_json::Value;
use wavecraft_protocol::rules::fixture::{generate, OUTPUT_PATH};

/// Where `committed` and `fresh` differ, beyond rounding noise in numbers.
fn differences(path: &str, committed: &Value, fresh: &Value, out: &mut Vec<String>) {
    match (committed, fresh) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            if (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(1.0) {
                out.push(format!("{path}: {a} committed, {b} now"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (n, (a, b)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{n}]"), a, b, out);
            }
        }
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
            for (key, a) in a {
                match b.get(key) {
                    Some(b) => differences(&format!("{path}.{key}"), a, b, out),
                    None => out.push(format!("{path}.{key}: gone")),
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: {a} committed, {b} now")),
    }
}

#[test]
fn the_ui_fixture_is_what_the_rules_say() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(OUTPUT_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); run `cargo xtask gen-ts`",
            path.display()
        )
    });
    let committed: Value = serde_json::from_str(&committed).expect("the fixture is JSON");
    let fresh: Value = serde_json::from_str(&generate()).expect("the generator writes JSON");
    let mut found = Vec::new();
    differences("", &committed, &fresh, &mut found);
    assert!(
        found.is_empty(),
        "{} is stale: the parameter rules changed. Run `cargo xtask gen-ts` and commit the result. \
         First differences:\n{}",
        path.display(),
        found[..found.len().min(20)].join("\n")
    );
}
