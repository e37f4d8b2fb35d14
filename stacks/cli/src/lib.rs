//! This repository's stacks binary: the stacks of [`stack_definitions`] (re-exported here,
//! so `stacks::ai_inference::prod()` names them) behind the oxiform command line
//! ([`app`]), checked with this repository's policy set ([`policy`]).
//!
//! A crate of its own so that the stacks' code does not depend on the command line or the
//! analysis: a change to a cost or policy rule recompiles this small crate and relinks the
//! binary, never `stack-definitions`.

pub use stack_definitions::{ai_inference, config, readme_app, readme_example};

use oxiform_analysis::policy::PolicySet;
use oxiform_cli::{App, AppDef, StackDef};

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

/// Every stack and app this binary offers, and its configuration schema. The AI inference
/// stacks are checked with this repository's [`policy`]; the guide's examples with the
/// default set a user's stack gets.
pub fn app() -> App {
    let ai_apps = ai_inference::APPS
        .iter()
        .map(|(name, build)| AppDef::new(name, *build));
    App::new(vec![StackDef::new(
        "readme-example",
        readme_example::router,
    )
    .policy(PolicySet::default())])
    .apps(
        ai_apps
            .chain([AppDef::new("readme-app", readme_app::platform).policy(PolicySet::default())])
            .collect(),
    )
    .config_schema(config::schema_json)
    .policy(policy())
}

/// The README's examples, compiled as doctests so the README stays true.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The guide's chapters (`docs/src/`, one per entry of `docs/src/SUMMARY.md`), compiled and
/// run as doctests so that every example in the guide stays true; the suite checks their
/// transcripts (`tests/suite/guide.rs`).
#[cfg(doctest)]
pub mod guide {
    #[doc = include_str!("../../../docs/src/introduction.md")]
    pub struct Introduction;
    #[doc = include_str!("../../../docs/src/first-stack.md")]
    pub struct FirstStack;
    #[doc = include_str!("../../../docs/src/provider.md")]
    pub struct Provider;
    #[doc = include_str!("../../../docs/src/references.md")]
    pub struct References;
    #[doc = include_str!("../../../docs/src/apps.md")]
    pub struct Apps;
    #[doc = include_str!("../../../docs/src/policy.md")]
    pub struct Policy;
    #[doc = include_str!("../../../docs/src/cost.md")]
    pub struct Cost;
    #[doc = include_str!("../../../docs/src/testing.md")]
    pub struct Testing;
    #[doc = include_str!("../../../docs/src/refactoring.md")]
    pub struct Refactoring;
    #[doc = include_str!("../../../docs/src/reviewing.md")]
    pub struct Reviewing;
    #[doc = include_str!("../../../docs/src/convert.md")]
    pub struct Convert;
    #[doc = include_str!("../../../docs/src/local.md")]
    pub struct Local;
    #[doc = include_str!("../../../docs/src/ci.md")]
    pub struct Ci;
    #[doc = include_str!("../../../docs/src/troubleshooting.md")]
    pub struct Troubleshooting;
    #[doc = include_str!("../../../docs/src/commands.md")]
    pub struct Commands;
    #[doc = include_str!("../../../docs/src/this-repository.md")]
    pub struct ThisRepository;
}
