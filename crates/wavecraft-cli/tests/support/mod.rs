//! Helpers shared by integration tests.

pub mod clap_host;
