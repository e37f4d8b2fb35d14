//! The cross-crate test suite: one binary, a module per area.

mod account;
mod apps;
mod architecture;
mod backend;
mod cli;
mod config;
mod convert_roundtrip;
mod cost;
mod deploy;
mod determinism;
mod emulator_smoke;
mod escaping;
mod every_type;
mod from_state;
mod graph_errors;
mod guide;
mod interrupt;
mod policy;
mod provider;
mod readme_app;
mod refactor;
mod review;
mod router;
mod stacks;
mod team_review;
mod team_workflow;
