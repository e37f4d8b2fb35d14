//! [`App`]: many stacks deployed together, reading each other's [`Export`]s.
//!
//! Real infrastructure is cut into stacks (network, data, services; per environment,
//! region, account) so that each plans fast and cannot touch the rest. An app holds them,
//! keeps every stack's state in one backend ([`AppBackend`], set once), and turns each read
//! of another stack's export into three things: an output in the producer (written by
//! [`Stack::export`]), a `data "terraform_remote_state"` in the consumer that reads the
//! producer's state through the same backend settings, and an edge of the app's graph
//! ([`AppGraph`]), which the command line deploys in order.
//!
//! Why removing a read is always safe: an output is a value in the producer's state, not a
//! contract the producer must keep (CloudFormation's exports are, which is how a consumer that
//! stops using one deadlocks the next deploy). A stack that stops reading an export simply no
//! longer has the read; the output stays until the export is removed from the Rust code,
//! which the compiler allows only once nothing uses it.
//!
//! [`Export`]: crate::export::Export

use crate::address::StackId;
use crate::backend::Backend;
use crate::builtin::DataTerraformRemoteState;
use crate::error::{CallSite, StackHop, SynthError, SynthErrors};
use crate::export::export_read;
use crate::stack::Stack;
use crate::synth::{check, declarations, Scope};
use crate::tf::Document;
use foldhash::HashMap;
use std::panic::Location;

/// Where every stack of an [`App`] keeps its state, and so where the others read its
/// outputs: set once for the app.
///
/// ```
/// use oxiform_core::app::AppBackend;
/// use oxiform_core::backend::Backend;
///
/// let backend = AppBackend::s3("acme-tf-state", "prod", "eu-west-1");
/// assert_eq!(
///     backend.backend_of("network"),
///     Backend::from(Backend::s3("acme-tf-state", "prod/network.tfstate", "eu-west-1"))
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AppBackend {
    /// Each stack's state in its own output folder (`<out>/<stack>/terraform.tfstate`),
    /// read by the others at `../<stack>/terraform.tfstate`: for local work.
    Local,
    /// One S3 bucket, each stack's state at `<prefix>/<stack>.tfstate`, encrypted and
    /// locked with S3-native lock files (`use_lockfile`, no DynamoDB table).
    S3 {
        /// The bucket.
        bucket: String,
        /// The folder of the app's state files in the bucket (may be empty).
        prefix: String,
        /// The bucket's region.
        region: String,
        /// An S3 API emulator's URL, for a local app (`S3Backend::emulator`).
        emulator: Option<String>,
    },
}

impl AppBackend {
    /// Local state files, one per stack folder.
    pub fn local() -> Self {
        AppBackend::Local
    }

    /// One S3 bucket, each stack at `<prefix>/<stack>.tfstate`, with S3-native locking.
    pub fn s3(bucket: &str, prefix: &str, region: &str) -> Self {
        AppBackend::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            region: region.to_owned(),
            emulator: None,
        }
    }

    /// Points an S3 backend at an S3 API emulator (no effect on local state).
    #[must_use]
    pub fn emulator(mut self, url: &str) -> Self {
        if let AppBackend::S3 { emulator, .. } = &mut self {
            *emulator = Some(url.to_owned());
        }
        self
    }

    /// The backend of the stack `stack`.
    pub fn backend_of(&self, stack: &str) -> Backend {
        match self {
            AppBackend::Local => Backend::Local,
            AppBackend::S3 {
                bucket,
                prefix,
                region,
                emulator,
            } => {
                let key = if prefix.is_empty() {
                    format!("{stack}.tfstate")
                } else {
                    format!("{prefix}/{stack}.tfstate")
                };
                let s3 = Backend::s3(bucket, &key, region);
                match emulator {
                    Some(url) => s3.emulator(url).into(),
                    None => s3.into(),
                }
            }
        }
    }

    /// The `data "terraform_remote_state"` that reads `producer`'s state: the same settings
    /// its own backend block has, so nothing is configured twice. The type is the one
    /// generated from Terraform's schema (`builtin`), so its arguments are checked by the
    /// compiler like any resource's.
    fn remote_state(&self, producer: &str) -> DataTerraformRemoteState {
        match self.backend_of(producer) {
            Backend::S3(s3) => DataTerraformRemoteState::new("s3")
                .config(serde_json::to_value(&s3).unwrap_or_default()),
            Backend::Local | Backend::LocalPath(_) => DataTerraformRemoteState::new("local")
                .config(serde_json::json!({ "path": format!("../{producer}/terraform.tfstate") })),
        }
    }
}

/// Many stacks deployed together: add them, set the backend once, then
/// [`synth`](App::synth). Stacks read each other's values through
/// [`Export`](crate::export::Export)s.
///
/// ```
/// use oxiform_core::builtin::TerraformData;
/// use oxiform_core::prelude::*;
///
/// let mut network = Stack::new("network");
/// let vpc = network.add("vpc", TerraformData::new());
/// let vpc_id = network.export("vpc_id", Output::new(vpc.id()));
/// let mut api = Stack::new("api");
/// api.output("vpc", Output::new(vpc_id));
///
/// let mut app = App::new("prod");
/// app.backend(AppBackend::s3("acme-tf-state", "prod", "eu-west-1"));
/// app.add(network);
/// app.add(api);
/// let docs = app.synth().unwrap();
/// let api: serde_json::Value = serde_json::from_str(&docs.to_json("api").unwrap()).unwrap();
/// assert_eq!(
///     api["data"]["terraform_remote_state"]["network"]["config"]["key"],
///     "prod/network.tfstate"
/// );
/// assert_eq!(api["terraform"]["backend"]["s3"]["key"], "prod/api.tfstate");
/// assert_eq!(app.graph().order().unwrap(), ["network", "api"]);
/// ```
pub struct App {
    name: String,
    backend: Option<AppBackend>,
    stacks: Vec<Stack>,
    sites: Vec<CallSite>,
}

/// One read of an export: `consumer` reads `export` of `producer` in `from`.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The reading stack.
    pub consumer: String,
    /// The reading declaration (`aws_security_group.api`, `output.x`).
    pub from: String,
    /// The exporting stack (its remote state's name when it is not in the app).
    pub producer: String,
    /// The export's name.
    pub export: String,
    /// Where the reading declaration was made.
    pub site: CallSite,
    /// The positions of the two stacks in the app (`None`: the producer is not in it).
    stacks: (usize, Option<usize>),
}

impl App {
    /// An empty app called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        App {
            name: name.into(),
            backend: None,
            stacks: Vec::new(),
            sites: Vec::new(),
        }
    }

    /// The app's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets where every stack keeps its state and where the others read it. A stack of an
    /// app does not set its own backend.
    pub fn backend(&mut self, backend: AppBackend) {
        self.backend = Some(backend);
    }

    /// The backend set with [`App::backend`].
    pub fn get_backend(&self) -> Option<&AppBackend> {
        self.backend.as_ref()
    }

    /// Adds a stack. Its name is its folder under the output directory and must be unique
    /// in the app.
    #[track_caller]
    pub fn add(&mut self, stack: Stack) {
        self.sites.push(CallSite(Location::caller()));
        self.stacks.push(stack);
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// The stacks, in the order they were added, taken out of the app (after
    /// [`App::synth`], for what else they carry: assets, waivers, accounts).
    pub fn into_stacks(self) -> Vec<Stack> {
        self.stacks
    }

    /// The stack called `name`.
    pub fn stack(&self, name: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.name() == name)
    }

    /// Every read of an export by a stack of the app, stack by stack in the order they
    /// were added, each declaration's reads in order.
    pub fn reads(&self) -> Vec<Read> {
        // Each stack's position looked up once, not searched for at every read.
        let mut positions: HashMap<StackId, usize> =
            HashMap::with_capacity_and_hasher(self.stacks.len(), Default::default());
        for (i, stack) in self.stacks.iter().enumerate() {
            positions.entry(stack.id).or_insert(i);
        }
        let position = |id: StackId| positions.get(&id).copied();
        let mut reads = Vec::new();
        for (consumer, stack) in self.stacks.iter().enumerate() {
            // A read equals only reads of the same stack (`Read::stacks`): no need to look
            // further back.
            let first_of_stack = reads.len();
            for (from, refs, site) in declarations(stack) {
                for r in refs {
                    let Some((producer, export)) = export_read(r) else {
                        continue;
                    };
                    let producer = position(producer);
                    let read = Read {
                        consumer: stack.name().to_owned(),
                        from: from.to_string(),
                        producer: producer
                            .map_or(r.name, |p| self.stacks[p].name())
                            .to_owned(),
                        export: export.to_owned(),
                        site,
                        stacks: (consumer, producer),
                    };
                    if !reads[first_of_stack..].contains(&read) {
                        reads.push(read);
                    }
                }
            }
        }
        reads
    }

    /// The graph of the app's stacks: an edge from each stack to every stack whose export
    /// it reads.
    pub fn graph(&self) -> AppGraph {
        let reads = self.reads();
        let mut needs = vec![Vec::new(); self.stacks.len()];
        for read in &reads {
            if let (consumer, Some(producer)) = read.stacks {
                if producer != consumer && !needs[consumer].contains(&producer) {
                    needs[consumer].push(producer);
                }
            }
        }
        AppGraph {
            stacks: self.stacks.iter().map(|s| s.name().to_owned()).collect(),
            needs,
            reads,
        }
    }

    /// Runs every check of every stack and of the app (stack names, backends, every read of
    /// an export, cycles between stacks) without building any document. Every problem is
    /// reported at once.
    pub fn check(&self) -> Result<(), SynthErrors> {
        self.checked_graph().map(|_| ())
    }

    /// [`App::check`], returning the graph it checked.
    fn checked_graph(&self) -> Result<AppGraph, SynthErrors> {
        let mut errors: Vec<SynthError> = self
            .stacks
            .iter()
            .flat_map(|s| check(s, Scope::InApp))
            .collect();
        self.check_stacks(&mut errors);
        let graph = self.graph();
        self.check_reads(&graph.reads, &mut errors);
        if let Some(hops) = graph.cycle() {
            errors.push(SynthError::StackCycle {
                app: self.name.clone(),
                hops,
            });
        }
        if errors.is_empty() {
            Ok(graph)
        } else {
            Err(SynthErrors(errors))
        }
    }

    /// Checks the app and, when nothing is wrong, returns every stack's document.
    pub fn synth(&self) -> Result<AppDocuments<'_>, SynthErrors> {
        let reads = self.checked_graph()?.reads;
        // The producers each stack reads, gathered in one pass over the reads.
        let mut producers_of: Vec<Vec<usize>> = vec![Vec::new(); self.stacks.len()];
        for read in &reads {
            if let (consumer, Some(producer)) = read.stacks {
                producers_of[consumer].push(producer);
            }
        }
        let stacks = self
            .stacks
            .iter()
            .enumerate()
            .map(|(i, stack)| {
                let backend = match &self.backend {
                    Some(b) => b.backend_of(stack.name()),
                    None => stack.get_backend().clone(),
                };
                let mut producers = std::mem::take(&mut producers_of[i]);
                producers.sort_unstable();
                producers.dedup();
                let remote_states = producers
                    .into_iter()
                    .filter_map(|p| {
                        let producer = &self.stacks[p];
                        let backend = self.backend.as_ref()?;
                        let body: Box<dyn erased_serde::Serialize> =
                            Box::new(backend.remote_state(producer.name()));
                        Some((remote_state_name(producer), body))
                    })
                    .collect();
                StackDocument {
                    stack,
                    backend,
                    remote_states,
                }
            })
            .collect();
        Ok(AppDocuments { stacks })
    }

    /// Two stacks of one name, and stacks that set their own backend in an app that has one.
    fn check_stacks(&self, errors: &mut Vec<SynthError>) {
        // The first stack of each name, found by lookup rather than by a search per stack.
        let mut first_named: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(self.stacks.len(), Default::default());
        for (i, stack) in self.stacks.iter().enumerate() {
            let problem = |problem: String, hint: String| SynthError::CrossStack {
                stack: stack.name().to_owned(),
                from: format!("app `{}`", self.name),
                problem,
                hint,
                site: self.sites[i],
            };
            let first = *first_named.entry(stack.name()).or_insert(i);
            if first != i {
                errors.push(problem(
                    format!(
                        "a stack of this name was added already (at {})",
                        self.sites[first]
                    ),
                    "give each stack of an app its own name: it is its folder and its state's name"
                        .to_owned(),
                ));
            }
            if self.backend.is_some() && *stack.get_backend() != Backend::Local {
                errors.push(problem(
                    "sets its own backend, but the app keeps every stack's state".to_owned(),
                    "remove `stack.backend(…)`: the app's backend (`app.backend(…)`) decides where \
                     each stack's state is, so that the others can read it"
                        .to_owned(),
                ));
            }
        }
    }

    /// Reads of a stack outside the app, of a stack's own export, and reads without a
    /// backend to read through.
    fn check_reads(&self, reads: &[Read], errors: &mut Vec<SynthError>) {
        for read in reads {
            let problem = |problem: String, hint: String| SynthError::CrossStack {
                stack: read.consumer.clone(),
                from: read.from.clone(),
                problem,
                hint,
                site: read.site,
            };
            match read.stacks {
                (_, None) => errors.push(problem(
                    format!(
                        "reads export `{}` of stack `{}`, which is not in app `{}`",
                        read.export, read.producer, self.name
                    ),
                    format!(
                        "add the stack that exports it to the app (`app.add({})`); the app's \
                         stacks are {}",
                        read.producer,
                        self.stack_names()
                    ),
                )),
                (consumer, Some(producer)) if consumer == producer => errors.push(problem(
                    format!("reads its own export `{}`", read.export),
                    "use the exported value itself within its own stack; exports are for the \
                     other stacks of the app"
                        .to_owned(),
                )),
                (_, Some(_)) if self.backend.is_none() => errors.push(problem(
                    format!(
                        "reads export `{}` of stack `{}`, but app `{}` has no backend to read it through",
                        read.export, read.producer, self.name
                    ),
                    "set one backend for the whole app, e.g. \
                     `app.backend(AppBackend::s3(bucket, prefix, region))`, or \
                     `app.backend(AppBackend::local())` for local work"
                        .to_owned(),
                )),
                _ => {}
            }
        }
    }

    fn stack_names(&self) -> String {
        let names: Vec<String> = self
            .stacks
            .iter()
            .map(|s| format!("`{}`", s.name()))
            .collect();
        if names.is_empty() {
            "none yet".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// The name of the `terraform_remote_state` that reads `stack`: what its exports' reads
/// name (`Export::value`).
fn remote_state_name(stack: &Stack) -> &'static str {
    crate::address::intern(&crate::graph::identifier_from(stack.name()))
}

/// The stacks of an [`App`] and which reads which: what the command line deploys in order.
#[derive(Debug, Clone)]
pub struct AppGraph {
    stacks: Vec<String>,
    /// For each stack, the stacks whose exports it reads (positions, first read first).
    needs: Vec<Vec<usize>>,
    reads: Vec<Read>,
}

impl AppGraph {
    /// Every stack's name, in the order they were added.
    pub fn stacks(&self) -> impl Iterator<Item = &str> {
        self.stacks.iter().map(String::as_str)
    }

    /// The stacks whose exports `stack` reads, in the order of its first read of each.
    pub fn needs(&self, stack: &str) -> Vec<&str> {
        self.position(stack)
            .map(|i| {
                self.needs[i]
                    .iter()
                    .map(|&p| self.stacks[p].as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every edge as (stack, a stack it reads).
    pub fn edges(&self) -> Vec<(&str, &str)> {
        self.needs
            .iter()
            .enumerate()
            .flat_map(|(c, needs)| {
                needs
                    .iter()
                    .map(move |&p| (self.stacks[c].as_str(), self.stacks[p].as_str()))
            })
            .collect()
    }

    /// Every read of an export by `stack`.
    pub fn reads_of<'a>(&'a self, stack: &'a str) -> impl Iterator<Item = &'a Read> + 'a {
        self.reads.iter().filter(move |r| r.consumer == stack)
    }

    /// The stacks in an order where each comes after every stack it reads (ties in the
    /// order they were added); `None` when they read each other in a circle.
    pub fn order(&self) -> Option<Vec<&str>> {
        let n = self.stacks.len();
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        // Kahn's algorithm, taking the first ready stack each time: stable and, for the
        // usual handful of reads per stack, linear in practice.
        let mut waiting: Vec<usize> = self.needs.iter().map(Vec::len).collect();
        let mut readers: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (c, needs) in self.needs.iter().enumerate() {
            for &p in needs {
                readers[p].push(c);
            }
        }
        let mut ready: std::collections::BTreeSet<usize> =
            (0..n).filter(|&i| waiting[i] == 0).collect();
        while let Some(next) = ready.pop_first() {
            done[next] = true;
            order.push(self.stacks[next].as_str());
            for &r in &readers[next] {
                waiting[r] -= 1;
                if waiting[r] == 0 && !done[r] {
                    ready.insert(r);
                }
            }
        }
        (order.len() == n).then_some(order)
    }

    /// One circle of reads, if there is one: each hop a read of the next stack's export.
    fn cycle(&self) -> Option<Vec<StackHop>> {
        let hop = |consumer: usize, producer: usize| {
            self.reads
                .iter()
                .find(|r| r.stacks == (consumer, Some(producer)))
                .map(|r| StackHop {
                    consumer: r.consumer.clone(),
                    from: r.from.clone(),
                    producer: r.producer.clone(),
                    export: r.export.clone(),
                    site: r.site,
                })
        };
        let path = find_cycle(&self.needs)?;
        path.iter()
            .zip(path.iter().cycle().skip(1))
            .map(|(&c, &p)| hop(c, p))
            .collect()
    }

    fn position(&self, stack: &str) -> Option<usize> {
        self.stacks.iter().position(|s| s == stack)
    }
}

/// The stacks of one circle in `needs` (each reads the next; the last reads the first), by
/// a depth-first search from each stack in order: linear in stacks and edges, and without
/// recursion, so that an app of thousands of stacks cannot overflow the call stack.
fn find_cycle(needs: &[Vec<usize>]) -> Option<Vec<usize>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; needs.len()];
    for start in 0..needs.len() {
        if state[start] != NEW {
            continue;
        }
        state[start] = ON_PATH;
        // The path from `start`, each stack with the next of its edges to follow.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            match needs[node].get(*next) {
                Some(&to) => {
                    *next += 1;
                    match state[to] {
                        NEW => {
                            state[to] = ON_PATH;
                            path.push((to, 0));
                        }
                        ON_PATH => {
                            let from = path.iter().position(|(s, _)| *s == to)?;
                            return Some(path[from..].iter().map(|(s, _)| *s).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    state[node] = DONE;
                    path.pop();
                }
            }
        }
    }
    None
}

/// The documents of every stack of an app, from [`App::synth`].
pub struct AppDocuments<'a> {
    stacks: Vec<StackDocument<'a>>,
}

/// What one stack's document is made of besides the stack: its backend (the app's) and the
/// remote states of the stacks it reads.
struct StackDocument<'a> {
    stack: &'a Stack,
    backend: Backend,
    remote_states: Vec<(&'static str, Box<dyn erased_serde::Serialize>)>,
}

impl AppDocuments<'_> {
    /// Every stack with its document, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (&Stack, Document<'_>)> {
        self.stacks
            .iter()
            .map(|s| (s.stack, s.stack.document(&s.backend, &s.remote_states)))
    }

    /// The document of the stack `name`.
    pub fn document(&self, name: &str) -> Option<Document<'_>> {
        self.iter().find(|(s, _)| s.name() == name).map(|(_, d)| d)
    }

    /// The document of the stack `name` as JSON text (`None`: no such stack).
    pub fn to_json(&self, name: &str) -> Option<String> {
        self.document(name).and_then(|d| d.to_json().ok())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::builtin::TerraformData;
    use crate::stack::Output;
    use crate::value::Expr;

    fn json(docs: &AppDocuments<'_>, stack: &str) -> serde_json::Value {
        serde_json::from_str(&docs.to_json(stack).unwrap()).unwrap()
    }

    /// A producer exporting a number, a list and a secret, and a consumer using each.
    fn app(backend: Option<AppBackend>) -> App {
        let mut data = Stack::new("data");
        let table = data.add("table", TerraformData::new());
        let shards = data.export("shards", Output::<i64>::new(3));
        let zones = data.export(
            "zones",
            Output::<crate::value::List<String>>::new(vec!["a", "b"]),
        );
        let password = data.export("password", Output::new(table.id()).sensitive());
        let mut api = Stack::new("api");
        api.output("shards", Output::new(shards));
        api.output("zones", Output::new(zones));
        api.output("password", Output::new(password).sensitive());
        let mut app = App::new("prod");
        if let Some(backend) = backend {
            app.backend(backend);
        }
        app.add(data);
        app.add(api);
        app
    }

    #[test]
    fn a_read_becomes_an_output_a_remote_state_and_an_edge() {
        let app = app(Some(AppBackend::s3("state", "prod/", "eu-west-1")));
        let docs = app.synth().unwrap();
        let data = json(&docs, "data");
        let api = json(&docs, "api");
        // The output in the producer keeps its type and its sensitivity.
        assert_eq!(data["output"]["shards"]["value"], 3);
        assert_eq!(
            data["output"]["zones"]["value"],
            serde_json::json!(["a", "b"])
        );
        assert_eq!(data["output"]["password"]["sensitive"], true);
        // The consumer reads the producer's state with the producer's own backend settings.
        let remote = &api["data"]["terraform_remote_state"]["data"];
        assert_eq!(remote["backend"], "s3");
        assert_eq!(remote["config"], data["terraform"]["backend"]["s3"]);
        assert_eq!(remote["config"]["key"], "prod/data.tfstate");
        assert_eq!(remote["config"]["use_lockfile"], true);
        assert_eq!(api["terraform"]["backend"]["s3"]["key"], "prod/api.tfstate");
        assert_eq!(
            api["output"]["shards"]["value"],
            "${data.terraform_remote_state.data.outputs.shards}"
        );
        // A sensitive export stays sensitive where it is read.
        assert_eq!(
            api["output"]["password"]["value"],
            "${sensitive(data.terraform_remote_state.data.outputs.password)}"
        );
        assert_eq!(app.graph().edges(), [("api", "data")]);
        assert_eq!(app.graph().order().unwrap(), ["data", "api"]);
        // A stack that reads nothing has no remote state.
        assert!(data.get("data").is_none());
    }

    #[test]
    fn local_state_is_read_from_the_producers_folder() {
        let app = app(Some(AppBackend::local()));
        let docs = app.synth().unwrap();
        let api = json(&docs, "api");
        assert_eq!(
            api["data"]["terraform_remote_state"]["data"],
            serde_json::json!({ "backend": "local", "config": { "path": "../data/terraform.tfstate" } })
        );
        assert!(api["terraform"].get("backend").is_none());
    }

    #[test]
    fn a_stack_setting_its_own_backend_or_added_twice_is_refused() {
        let mut app = app(Some(AppBackend::local()));
        let mut own = Stack::new("own");
        own.backend(Backend::s3("b", "k", "us-east-1"));
        app.add(own);
        app.add(Stack::new("api"));
        let errors = app.check().unwrap_err().to_string();
        assert!(errors.contains("sets its own backend"), "{errors}");
        assert!(
            errors.contains("a stack of this name was added already"),
            "{errors}"
        );
        assert_eq!(app.check().unwrap_err().0.len(), 2);
    }

    #[test]
    fn a_stack_reading_its_own_export_is_refused() {
        let mut stack = Stack::new("solo");
        let x = stack.add("x", TerraformData::new());
        let id = stack.export("id", Output::new(x.id()));
        stack.add(
            "y",
            TerraformData::new().input(Expr::<String>::from(id).cast()),
        );
        let mut app = App::new("one");
        app.backend(AppBackend::local());
        app.add(stack);
        let errors = app.check().unwrap_err().to_string();
        assert!(errors.contains("reads its own export `id`"), "{errors}");
    }

    #[test]
    fn the_order_is_stable_and_every_stack_comes_after_what_it_reads() {
        let mut app = App::new("wide");
        app.backend(AppBackend::local());
        let mut base = Stack::new("base");
        let b = base.add("b", TerraformData::new());
        let id = base.export("id", Output::new(b.id()));
        for name in ["z", "y", "x"] {
            let mut s = Stack::new(name);
            s.output("id", Output::new(id));
            app.add(s);
        }
        app.add(base);
        assert_eq!(app.graph().order().unwrap(), ["base", "z", "y", "x"]);
        assert_eq!(app.graph().needs("x"), ["base"]);
        assert!(app.graph().needs("base").is_empty());
    }

    #[test]
    fn a_cycle_is_found_with_its_members_in_order() {
        // 0 → 1 → 2 → 1, and 3 alone.
        let needs = vec![vec![1], vec![2], vec![1], vec![]];
        assert_eq!(find_cycle(&needs), Some(vec![1, 2]));
        assert_eq!(find_cycle(&[vec![1], vec![], vec![0, 1]]), None);
    }
}
