//! This repository's stacks: the cost-optimised AI inference architecture, per environment.

use oxiform_cli::App;

/// Every stack this binary offers, and its configuration schema.
pub fn app() -> App {
    App {
        stacks: Vec::new(),
        config_schema: None,
    }
}
