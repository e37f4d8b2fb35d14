//! This repository's stacks: the cost-optimised AI inference architecture, per environment
//! (`stacks/config/<env>.json`), and the guide's example stack and app (`docs/src/`).
//!
//! Only the stacks' code: the binary that runs them (`cargo run -p stacks`), with the command
//! line and this repository's policy set, is the `stacks` package (`stacks/cli`). So this
//! crate depends on no cost or policy rule, and a change to one never recompiles it.

pub mod ai_inference;
pub mod config;
pub mod readme_app;
pub mod readme_example;
