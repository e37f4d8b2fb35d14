//! This repository's stacks: the cost-optimised AI inference architecture, per environment.

use oxiform_cli::StackDef;

/// Every stack this binary offers.
pub fn all() -> Vec<StackDef> {
    Vec::new()
}
