//! This repository's stacks: the cost-optimised AI inference architecture, per environment
//! (`stacks/config/<env>.json`), and the README's example stack.

pub mod ai_inference;
pub mod config;
pub mod readme_example;

use oxiform::policy::PolicySet;
use oxiform_cli::{App, StackDef};

/// The tags every taggable resource of this repository's stacks carries (set per environment
/// in `stacks/config/<env>.json`): this repository's convention, not a user's.
pub const REQUIRED_TAGS: [&str; 2] = ["Environment", "ManagedBy"];

/// This repository's policy set: every rule at its default severity, and every taggable
/// resource tagged with [`REQUIRED_TAGS`].
///
/// ```
/// use oxiform::policy::{PolicySet, RuleId};
/// let set = stacks::policy();
/// assert!(set.runs(RuleId::RequiredTags));
/// assert_eq!(set, PolicySet::default().require_tags(stacks::REQUIRED_TAGS));
/// ```
pub fn policy() -> PolicySet {
    PolicySet::default().require_tags(REQUIRED_TAGS)
}

/// Every stack this binary offers, and its configuration schema. The AI inference stacks are
/// checked with this repository's [`policy`]; the README's example with the default set a
/// user's stack gets.
pub fn app() -> App {
    App::new(vec![
        StackDef::new("ai-inference-prod", ai_inference::prod),
        StackDef::new("ai-inference-dev", ai_inference::dev),
        StackDef::new("ai-inference-local", ai_inference::local),
        StackDef::new("readme-example", readme_example::router).policy(PolicySet::default()),
    ])
    .config_schema(config::schema_json)
    .policy(policy())
}

/// The README's example stack, compiled as a doctest so the README stays true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
