//! What a stacks binary offers the command line: its stacks, each with the policy set it is
//! checked with, and the JSON Schema of its configuration files.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

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
    /// Set for a stack of an app ([`AppDef`]): built and synthesised with its app.
    pub(crate) member: Option<Member>,
}

/// What the command line knows of a stack of an app: the app, and what the stack reads.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    /// The app's name.
    pub(crate) app: &'static str,
    /// Builds the whole app.
    pub(crate) build: fn() -> anyhow::Result<oxiform::App>,
    /// The stacks of the app whose exports this one reads.
    pub(crate) needs: Vec<String>,
    /// Every export it reads: (stack, export).
    pub(crate) reads: Vec<(String, String)>,
    /// Why the app did not build, for the entry that stands for an app that did not (its
    /// stacks are then unknown).
    pub(crate) error: Option<String>,
    /// The app as resolving built it, shared by its stacks: synth takes it rather than
    /// building the app a second time (building can hash megabytes of bundled code).
    pub(crate) built: BuiltApp,
}

/// An app built once, with how long building took, kept until synth takes it.
#[derive(Clone, Default)]
pub(crate) struct BuiltApp(Rc<RefCell<Option<(oxiform::App, Duration)>>>);

impl BuiltApp {
    /// The app and its build time, if nobody has taken it yet.
    pub(crate) fn take(&self) -> Option<(oxiform::App, Duration)> {
        self.0.borrow_mut().take()
    }
}

impl fmt::Debug for BuiltApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = self.0.borrow().is_some();
        f.debug_tuple("BuiltApp").field(&kept).finish()
    }
}

/// An app a binary offers: many stacks that read each other's exports, built by one
/// function and deployed in dependency order (`apply --all`, `apply APP`).
#[derive(Clone)]
pub struct AppDef {
    /// The app's name: naming it on the command line selects all of its stacks.
    pub name: &'static str,
    /// Builds the app (reading configuration as needed).
    pub build: fn() -> anyhow::Result<oxiform::App>,
    /// The policy set of the app's stacks; `None`: the [`App`]'s.
    pub policy: Option<PolicySet>,
}

impl AppDef {
    /// The app `name`, built by `build`, its stacks checked with the [`App`]'s policy set.
    pub fn new(name: &'static str, build: fn() -> anyhow::Result<oxiform::App>) -> Self {
        AppDef {
            name,
            build,
            policy: None,
        }
    }

    /// Checks this app's stacks with `set` instead of the [`App`]'s policy set.
    #[must_use]
    pub fn policy(mut self, set: PolicySet) -> Self {
        self.policy = Some(set);
        self
    }
}

impl StackDef {
    /// The stack `name`, built by `build`, checked with the [`App`]'s policy set.
    pub fn new(name: &'static str, build: fn() -> anyhow::Result<oxiform::Stack>) -> Self {
        StackDef {
            name,
            build,
            policy: None,
            member: None,
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
    /// Every stack of its own, in the order `list` prints them.
    pub stacks: Vec<StackDef>,
    /// Every app, whose stacks `list` prints after those of their own.
    pub apps: Vec<AppDef>,
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
            apps: Vec::new(),
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

    /// Offers `apps` too: each of their stacks is a stack of the command line, and an app's
    /// name selects all of them.
    #[must_use]
    pub fn apps(mut self, apps: Vec<AppDef>) -> Self {
        self.apps = apps;
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

    /// Every stack, each with the policy set it is checked with: the binary's own, then
    /// each app's, in the app's order. Each app is built to learn its stacks and what they
    /// read; an app that does not build stands for itself, under its own name, so that
    /// building it again reports why.
    ///
    /// Apps are built only until every name of `wanted` (a stack or an app) is found, so that
    /// a command about one stack does not build every app of the binary; empty `wanted`:
    /// every app. A name found nowhere builds every app, so that the error lists every stack.
    pub(crate) fn stacks_for(&self, wanted: &[String]) -> Vec<StackDef> {
        let mut stacks: Vec<StackDef> = self
            .stacks
            .iter()
            .map(|def| StackDef {
                policy: Some(self.policy_for(def).clone()),
                ..def.clone()
            })
            .collect();
        let mut built_apps: Vec<&str> = Vec::new();
        for def in &self.apps {
            let found = |name: &String| {
                built_apps.contains(&name.as_str()) || stacks.iter().any(|s| s.name == name)
            };
            if !wanted.is_empty() && wanted.iter().all(found) {
                break;
            }
            built_apps.push(def.name);
            let policy = Some(def.policy.clone().unwrap_or_else(|| self.policy.clone()));
            let started = Instant::now();
            let result = (def.build)();
            let built = BuiltApp::default();
            let member = |name: &str, needs, reads, error| StackDef {
                // Stack names live as long as the command; a binary has a handful.
                name: Box::leak(name.to_owned().into_boxed_str()),
                build: built_with_its_app,
                policy: policy.clone(),
                member: Some(Member {
                    app: def.name,
                    build: def.build,
                    needs,
                    reads,
                    error,
                    built: built.clone(),
                }),
            };
            match result {
                Ok(app) => {
                    let graph = app.graph();
                    for name in graph.stacks() {
                        let needs = graph.needs(name).iter().map(|s| (*s).to_owned()).collect();
                        let reads = graph
                            .reads_of(name)
                            .map(|r| (r.producer.clone(), r.export.clone()))
                            .collect();
                        stacks.push(member(name, needs, reads, None));
                    }
                    *built.0.borrow_mut() = Some((app, started.elapsed()));
                }
                Err(e) => stacks.push(member(
                    def.name,
                    Vec::new(),
                    Vec::new(),
                    Some(format!("{e:#}")),
                )),
            }
        }
        stacks
    }
}

/// The `build` of a stack of an app, which is built with its app (`synth::build_json`
/// dispatches on [`StackDef::member`]); never called.
fn built_with_its_app() -> anyhow::Result<oxiform::Stack> {
    Err(anyhow::anyhow!(
        "a stack of an app is built with its app; this is a bug in oxiform-cli"
    ))
}
