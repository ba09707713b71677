//! The example plugin's committed `ui/src/generated/parameters.ts` is what
//! `wavecraft start` and `wavecraft bundle` write for the example engine, and
//! the template's copy (which `wavecraft create` renders, so a new project
//! typechecks before its first build) is the same file.

use wavecraft::EngineExport;
use wavecraft_dev_server::parameter_types::{generate, OUTPUT_PATH};
use wavecraft_engine_loader::EngineLibrary;

#[test]
fn the_committed_parameter_types_are_the_example_engines() {
    // SAFETY: the table comes from `wavecraft::export!` in the example crate.
    let library =
        unsafe { EngineLibrary::in_process(example_plugin::ExamplePlugin::engine_vtable()) }
            .unwrap();
    let expected = generate(&library.metadata().parameters);
    let root = wavecraft_test_support::workspace_root();
    for project in ["examples/example-plugin", "template"] {
        let file = format!("{project}/{OUTPUT_PATH}");
        let actual = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        assert_eq!(
            actual, expected,
            "{file} is stale: `cargo run -p wavecraft-cli -- start examples/example-plugin` \
             rewrites the example's; copy it to template/{OUTPUT_PATH}"
        );
    }
}
