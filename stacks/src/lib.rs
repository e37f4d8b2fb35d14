//! This repository's stacks: the cost-optimised AI inference architecture, per environment
//! (`stacks/config/<env>.json`).

pub mod ai_inference;
pub mod config;

use oxiform_cli::{App, StackDef};

/// Every stack this binary offers, and its configuration schema.
pub fn app() -> App {
    App {
        stacks: vec![
            StackDef {
                name: "ai-inference-prod",
                build: ai_inference::prod,
            },
            StackDef {
                name: "ai-inference-dev",
                build: ai_inference::dev,
            },
            StackDef {
                name: "ai-inference-local",
                build: ai_inference::local,
            },
        ],
        config_schema: Some(config::schema_json),
    }
}

/// The README's example stack, compiled as a doctest so the README stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
