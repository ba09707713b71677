/**
 * The wire contract as the UI sees it: JSON-RPC 2.0 envelopes, method and
 * notification names, payload shapes and error codes.
 *
 * Everything comes from `./generated/protocol.ts`, which is generated from
 * `crates/wavecraft-protocol` (a Rust test fails when the two drift). Every
 * other file imports from here, so a change in the generator's naming
 * touches one file. This module must never do I/O.
 */
export * from "./generated/protocol";
