//! The cross-crate test suite: one binary, a module per area.

mod cli;
mod determinism;
mod escaping;
mod graph_errors;
