//! What a stacks binary offers the command line: its stacks, each with the policy set it is
//! checked with, and the JSON Schema of its configuration files.

use oxiform_analysis::policy::PolicySet;

/// One stack a binary offers: its name, the function that builds it, and the policy set it
/// is checked with when not the binary's.
#[derive(Clone)]
pub struct StackDef {
    /// The stack's name, also its folder under the output directory.
    pub name: &'static str,
    /// Builds the stack (reading configuration as needed).
    pub build: fn() -> anyhow::Result<oxiform::Stack>,
    /// The policy set `synth` gates this stack with and `check` checks it with; `None`: the
    /// [`App`]'s. [`synth_stacks`], which has no `App`, uses [`PolicySet::default`] for
    /// `None`.
    pub policy: Option<PolicySet>,
}

impl StackDef {
    /// The stack `name`, built by `build`, checked with the [`App`]'s policy set.
    pub fn new(name: &'static str, build: fn() -> anyhow::Result<oxiform::Stack>) -> Self {
        StackDef {
            name,
            build,
            policy: None,
        }
    }

    /// Checks this stack with `set` instead of the [`App`]'s policy set.
    #[must_use]
    pub fn policy(mut self, set: PolicySet) -> Self {
        self.policy = Some(set);
        self
    }
}

/// What a stacks binary offers the command line.
pub struct App {
    /// Every stack, in the order `list` prints them.
    pub stacks: Vec<StackDef>,
    /// The JSON Schema of the binary's configuration files, printed by `schema`.
    pub config_schema: Option<fn() -> String>,
    /// The policy set of every stack without its own, and of `check --file`.
    pub policy: PolicySet,
}

impl App {
    /// A binary offering `stacks`, with no configuration files and the default policy set.
    pub fn new(stacks: Vec<StackDef>) -> Self {
        App {
            stacks,
            config_schema: None,
            policy: PolicySet::default(),
        }
    }

    /// Prints `schema` as the JSON Schema of the binary's configuration files.
    #[must_use]
    pub fn config_schema(mut self, schema: fn() -> String) -> Self {
        self.config_schema = Some(schema);
        self
    }

    /// Checks every stack without its own policy set, and `check --file`, with `set`.
    #[must_use]
    pub fn policy(mut self, set: PolicySet) -> Self {
        self.policy = set;
        self
    }

    /// The policy set `def` is checked with: its own, or else this binary's.
    pub fn policy_for<'a>(&'a self, def: &'a StackDef) -> &'a PolicySet {
        def.policy.as_ref().unwrap_or(&self.policy)
    }

    /// Every stack, each with the policy set it is checked with.
    pub(crate) fn resolved_stacks(&self) -> Vec<StackDef> {
        self.stacks
            .iter()
            .map(|def| StackDef {
                name: def.name,
                build: def.build,
                policy: Some(self.policy_for(def).clone()),
            })
            .collect()
    }
}
