//! Benchmarks that need the example plugin, kept out of it so that the
//! example engine stays exactly what `wavecraft create` writes (a plugin
//! author's project has no benches of the SDK).
//!
//! Nothing lives here but the bench targets: run
//! `cargo bench -p wavecraft-benches --bench example_process` (the SDK's cost
//! against hand-written DSP) or `--bench denormals` (denormal against normal
//! input, with and without the runner's flush-to-zero).
