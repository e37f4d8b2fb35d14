//! [`Stack`]: the resources of one Terraform configuration, their references, providers,
//! backend, variables, locals and outputs.

use std::panic::Location;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;

use crate::address::{AsNode, NodeRef, ResourceKind, StackId};
use crate::asset::{Asset, AssetRef};
use crate::backend::Backend;
use crate::error::{CallSite, SynthError};
use crate::export::Export;
use crate::handle::Handle;
use crate::meta::marker_of;
use crate::node::{Deferred, Named, Node, NodeBody};
use crate::provider::{ProviderConfig, ProviderRef};
use crate::refactor::{parse_old_address, root_resource, Import, Moved, Removed};
use crate::resource::Resource;
use crate::untyped::{UntypedHandle, UntypedResource};
use crate::value::{Expr, Json, Literal, Refs, Value};
use crate::waiver::Waiver;

/// The Terraform versions the generated JSON is written for.
pub const REQUIRED_TERRAFORM: &str = ">= 1.6.0";

/// The Terraform versions a stack with a `removed` block ([`Stack::removed`]) is written for.
pub const REQUIRED_TERRAFORM_REMOVED: &str = ">= 1.7.0";

/// One Terraform configuration: add resources, then [`synth`](Stack::synth) it.
///
/// ```
/// use oxiform_core::prelude::*;
/// use oxiform_core::builtin::TerraformData;
///
/// let mut stack = Stack::new("demo");
/// let data = stack.add("router", TerraformData::new().input(serde_json::json!("v1")));
/// stack.output("router_id", Output::new(data.id()));
/// let doc = stack.synth().unwrap();
/// assert!(doc.to_json().unwrap().contains("\"${terraform_data.router.id}\""));
/// ```
pub struct Stack {
    pub(crate) id: StackId,
    pub(crate) name: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) providers: Vec<ProviderConfig>,
    pub(crate) backend: Backend,
    pub(crate) variables: Vec<Named>,
    pub(crate) locals: Vec<Named>,
    pub(crate) outputs: Vec<Named>,
    pub(crate) deferred: Vec<Deferred>,
    pub(crate) moved: Vec<Moved>,
    pub(crate) imports: Vec<Import>,
    pub(crate) removed: Vec<Removed>,
    /// `terraform { required_providers }` entries besides AWS: name, source, version.
    pub(crate) required_providers: Vec<(String, String, String)>,
    assets: Vec<Asset>,
    account_ids: Vec<String>,
    waivers: Vec<Waiver>,
}

impl Stack {
    /// An empty stack called `name` (the folder name under `out/`).
    pub fn new(name: impl Into<String>) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        Stack {
            id: StackId(NEXT.fetch_add(1, Ordering::Relaxed)),
            name: name.into(),
            nodes: Vec::new(),
            providers: Vec::new(),
            backend: Backend::Local,
            variables: Vec::new(),
            locals: Vec::new(),
            outputs: Vec::new(),
            deferred: Vec::new(),
            moved: Vec::new(),
            imports: Vec::new(),
            removed: Vec::new(),
            required_providers: Vec::new(),
            assets: Vec::new(),
            account_ids: Vec::new(),
            waivers: Vec::new(),
        }
    }

    /// The stack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of resources and data sources added so far.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when nothing has been added.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Adds a resource (or data source) under `name` and returns its typed handle. The call
    /// site is kept for error messages.
    #[track_caller]
    pub fn add<R: Resource>(&mut self, name: &str, resource: R) -> Handle<R> {
        let site = CallSite(Location::caller());
        let index = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        let handle = Handle::<R>::new(self.id, index, name);
        let mut refs = Vec::new();
        resource.refs(&mut refs);
        self.push_node(handle.address(), site, refs, Box::new(resource));
        handle
    }

    /// Adds a resource of a type oxiform does not generate (another provider's), written as
    /// it was built; see [`UntypedResource`]. Its attributes are read by name through the
    /// returned handle.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    /// use oxiform_core::untyped::UntypedResource;
    ///
    /// let mut stack = Stack::new("demo");
    /// stack.require_provider("random", "hashicorp/random", "~> 3.6");
    /// let pet = stack.add_untyped("name", UntypedResource::new("random_pet").arg("length", 2));
    /// stack.output("pet", Output::new(pet.attr::<String>("id")));
    /// let json = stack.synth().unwrap().to_json().unwrap();
    /// assert!(json.contains(r#""value": "${random_pet.name.id}""#), "{json}");
    /// ```
    #[track_caller]
    pub fn add_untyped(&mut self, name: &str, resource: UntypedResource) -> UntypedHandle {
        let site = CallSite(Location::caller());
        let index = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        let handle = UntypedHandle::new(self.id, index, &resource, name);
        let mut refs = Vec::new();
        resource.refs(&mut refs);
        self.push_node(handle.address(), site, refs, Box::new(resource));
        handle
    }

    /// Declares a provider the stack's untyped resources need, in
    /// `terraform { required_providers }`: its local `name`, `source` and `version`
    /// constraint (empty: any version). Declaring `aws` replaces the pinned AWS provider's
    /// entry.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// stack.require_provider("random", "hashicorp/random", "~> 3.6");
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["terraform"]["required_providers"]["random"],
    ///     serde_json::json!({ "source": "hashicorp/random", "version": "~> 3.6" })
    /// );
    /// ```
    pub fn require_provider(&mut self, name: &str, source: &str, version: &str) {
        self.required_providers
            .retain(|(existing, _, _)| existing != name);
        self.required_providers
            .push((name.to_owned(), source.to_owned(), version.to_owned()));
    }

    fn push_node(
        &mut self,
        address: crate::address::Address,
        site: CallSite,
        mut refs: Vec<NodeRef>,
        mut body: Box<dyn NodeBody>,
    ) {
        body.shrink();
        body.meta().refs(&mut refs);
        let mut uses = Vec::new();
        refs.retain(|r| match marker_of(r) {
            Some(u) => {
                if !uses.contains(&u) {
                    uses.push(u);
                }
                false
            }
            None => true,
        });
        refs.sort_by_key(|n| (n.stack, n.index));
        refs.dedup();
        let depends_on = body
            .meta()
            .depends_on()
            .iter()
            .map(|n| (*n, site))
            .collect();
        self.nodes.push(Node {
            address,
            site,
            refs: refs.into_boxed_slice(),
            depends_on,
            uses: uses.into_boxed_slice(),
            body,
        });
    }

    /// Adds `resource` under `name` unless this stack already has one of the same type and
    /// name, whose handle is then returned. For lookups several patterns share, such as
    /// `data.aws_region.current`; for anything else use [`Stack::add`], which reports
    /// duplicates.
    #[track_caller]
    pub fn add_shared<R: Resource>(&mut self, name: &str, resource: R) -> Handle<R> {
        let existing = self.nodes.iter().position(|n| {
            n.address.type_name == R::TYPE && n.address.kind == R::KIND && n.address.name == name
        });
        match existing {
            Some(index) => Handle::new(self.id, u32::try_from(index).unwrap_or(u32::MAX), name),
            None => self.add(name, resource),
        }
    }

    /// Records that `resource` must be created after `dependency` (`depends_on`), for
    /// dependencies that only become known after both were added.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let a = stack.add("a", TerraformData::new());
    /// let b = stack.add("b", TerraformData::new());
    /// stack.add_dependency(&b, &a);
    /// stack.add_dependency(&b, &a); // written once
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["resource"]["terraform_data"]["b"]["depends_on"],
    ///     serde_json::json!(["terraform_data.a"])
    /// );
    /// ```
    #[track_caller]
    pub fn add_dependency<A: Resource, B: Resource>(
        &mut self,
        resource: &Handle<A>,
        dependency: &Handle<B>,
    ) {
        let site = CallSite(Location::caller());
        let node = resource.node();
        match self.nodes.get_mut(node.index as usize) {
            Some(n) if node.stack == self.id => {
                let mut depends_on = std::mem::take(&mut n.depends_on).into_vec();
                depends_on.push((dependency.node(), site));
                n.depends_on = depends_on.into_boxed_slice();
                // Into the written `depends_on` too, not only the graph.
                let written = &mut n.body.meta_mut().depends_on;
                if !written.contains(&dependency.node()) {
                    written.push(dependency.node());
                }
            }
            _ => self.deferred.push(Deferred(SynthError::ForeignReference {
                stack: self.name.clone(),
                from: "add_dependency".to_owned(),
                target: node.address().to_string(),
                site,
            })),
        }
    }

    /// Records a problem found while building (an invalid value a pattern detected); it is
    /// reported at synth together with every other problem, and nothing is written.
    pub fn report(
        &mut self,
        address: &str,
        field: &str,
        problem: impl Into<String>,
        hint: impl Into<String>,
        site: &'static Location<'static>,
    ) {
        self.deferred.push(Deferred(SynthError::InvalidValue {
            stack: self.name.clone(),
            address: address.to_owned(),
            field: field.to_owned(),
            problem: problem.into(),
            hint: hint.into(),
            site: CallSite(site),
        }));
    }

    /// Declares that the resource `to` was called `from` before (a `moved` block): terraform
    /// renames what its state holds at `from` instead of destroying it and creating `to`
    /// anew. `from` is the old address as `terraform state list` prints it, e.g.
    /// `"aws_s3_bucket.logs"` (inside a module or with an instance key too:
    /// `"module.storage.aws_s3_bucket.logs[0]"`), of the same resource type as `to`. An
    /// address that does not parse, names a data source or another type, or is still declared
    /// in the stack is reported at synth with a hint. Blocks are written sorted by `from`.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let archive = stack.add("archive", TerraformData::new());
    /// stack.moved("terraform_data.logs", &archive); // was `stack.add("logs", …)`
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["moved"],
    ///     serde_json::json!([{ "from": "terraform_data.logs", "to": "terraform_data.archive" }])
    /// );
    ///
    /// let mut wrong = Stack::new("demo");
    /// let archive = wrong.add("archive", TerraformData::new());
    /// wrong.moved("aws_s3_bucket.logs", &archive);
    /// let errors = wrong.check().unwrap_err().to_string();
    /// assert!(errors.contains("invalid `moved` block for `aws_s3_bucket.logs`"), "{errors}");
    /// ```
    #[track_caller]
    pub fn moved(&mut self, from: &str, to: &impl AsNode) {
        let site = CallSite(Location::caller());
        let to = to.as_node();
        let problem = |problem: String, hint: String| SynthError::InvalidBlock {
            stack: self.name.clone(),
            block: "moved",
            address: from.to_owned(),
            problem,
            hint,
            site,
        };
        let error = if let Some(error) = self.foreign(to, "moved", site) {
            Some(error)
        } else if to.kind != ResourceKind::Managed {
            Some(problem(
                format!(
                    "`{}` is a data source, which holds no state to move",
                    to.address()
                ),
                "move to a managed resource's handle".to_owned(),
            ))
        } else {
            match parse_old_address(from) {
                Err(e) => Some(problem(e.problem, e.hint)),
                Ok(old) if old.type_name != to.type_name => Some(problem(
                    format!(
                        "the old address is of type `{}`, but `to` is `{}` of type `{}`",
                        old.type_name,
                        to.address(),
                        to.type_name
                    ),
                    "a moved block renames a resource within its type; to change the type, \
                     add `stack.removed(old)` and `stack.import(&new, id)`"
                        .to_owned(),
                )),
                Ok(_) if from == to.address().to_string() => Some(problem(
                    "moves a resource onto itself".to_owned(),
                    "remove this moved block".to_owned(),
                )),
                Ok(old) => {
                    self.moved.push(Moved {
                        from: from.to_owned(),
                        from_resource: root_resource(&old),
                        to,
                        site,
                    });
                    None
                }
            }
        };
        if let Some(error) = error {
            self.deferred.push(Deferred(error));
        }
    }

    /// Adopts an object created outside terraform as the resource `to` (an `import` block):
    /// at the next plan terraform reads the object with import ID `id` (for an S3 bucket its
    /// name; each resource type's documentation names its ID) into state instead of creating
    /// `to`. The ID may be an expression known at plan (a variable, a local). Blocks are
    /// written sorted by `to`.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let legacy = stack.add("legacy", TerraformData::new());
    /// stack.import(&legacy, "9c2f1a7e-3b1d-4c7a-8e55-0f6a1c2b3d4e");
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["import"],
    ///     serde_json::json!([{
    ///         "to": "terraform_data.legacy",
    ///         "id": "9c2f1a7e-3b1d-4c7a-8e55-0f6a1c2b3d4e"
    ///     }])
    /// );
    /// ```
    #[track_caller]
    pub fn import(&mut self, to: &impl AsNode, id: impl Into<Value<String>>) {
        let site = CallSite(Location::caller());
        let to = to.as_node();
        if let Some(error) = self.foreign(to, "import", site) {
            self.deferred.push(Deferred(error));
            return;
        }
        if to.kind != ResourceKind::Managed {
            self.deferred.push(Deferred(SynthError::InvalidBlock {
                stack: self.name.clone(),
                block: "import",
                address: to.address().to_string(),
                problem: "is a data source, which cannot be imported".to_owned(),
                hint: "import into a managed resource's handle".to_owned(),
                site,
            }));
            return;
        }
        let id = id.into();
        let mut refs = Vec::new();
        crate::value::Refs::refs(&id, &mut refs);
        self.imports.push(Import { to, id, refs, site });
    }

    /// Stops managing the resource that state holds at `from` without destroying it (a
    /// `removed` block with `lifecycle { destroy = false }`): terraform forgets it, and the
    /// object stays in the account. `from` is the address as `terraform state list` prints
    /// it, e.g. `"aws_s3_bucket.logs"`, and must no longer be declared in the stack.
    /// Needs Terraform 1.7: a stack with a `removed` block requires `>= 1.7.0`. Blocks are
    /// written sorted by `from`.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// stack.removed("aws_s3_bucket.logs"); // was `stack.add("logs", S3Bucket::new()…)`
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["removed"],
    ///     serde_json::json!([{
    ///         "from": "aws_s3_bucket.logs",
    ///         "lifecycle": { "destroy": false }
    ///     }])
    /// );
    /// assert_eq!(json["terraform"]["required_version"], ">= 1.7.0");
    /// ```
    #[track_caller]
    pub fn removed(&mut self, from: &str) {
        let site = CallSite(Location::caller());
        match parse_old_address(from) {
            Ok(old) => self.removed.push(Removed {
                from: from.to_owned(),
                from_resource: root_resource(&old),
                site,
            }),
            Err(e) => self.deferred.push(Deferred(SynthError::InvalidBlock {
                stack: self.name.clone(),
                block: "removed",
                address: from.to_owned(),
                problem: e.problem,
                hint: e.hint,
                site,
            })),
        }
    }

    /// The error for a block naming `node` of another stack, if it does.
    fn foreign(&self, node: NodeRef, block: &str, site: CallSite) -> Option<SynthError> {
        (node.stack != self.id).then(|| SynthError::ForeignReference {
            stack: self.name.clone(),
            from: format!("{block} block"),
            target: node.address().to_string(),
            site,
        })
    }

    /// Adds a provider configuration (`oxiform_aws::AwsProvider`, or any
    /// [`ProviderConfig`]) and returns a reference for resources that should use it (only
    /// needed for aliased configurations).
    pub fn provider(&mut self, provider: impl Into<ProviderConfig>) -> ProviderRef {
        let provider = provider.into();
        let reference = provider.reference();
        self.providers.push(provider);
        reference
    }

    /// Ships a file next to `main.tf.json` (e.g. a Lambda zip) and returns its path and hash.
    pub fn add_asset(&mut self, file_name: &str, bytes: Vec<u8>) -> AssetRef {
        let hash = crate::asset::base64_sha256(&bytes);
        self.add_asset_with_sha256(file_name, bytes, hash)
    }

    /// [`Stack::add_asset`] for bytes whose hash the caller already has: `base64_sha256`
    /// must be [`asset::base64_sha256`](crate::asset::base64_sha256) of `bytes`. A build
    /// cache that keeps the hash beside a large bundle uses it so that every synth does not
    /// hash megabytes again.
    ///
    /// ```
    /// use oxiform_core::asset::base64_sha256;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let zip = b"PK...".to_vec();
    /// let hash = base64_sha256(&zip);
    /// let code = stack.add_asset_with_sha256("code.zip", zip, hash.clone());
    /// assert_eq!(code.base64_sha256, hash);
    /// ```
    pub fn add_asset_with_sha256(
        &mut self,
        file_name: &str,
        bytes: Vec<u8>,
        base64_sha256: String,
    ) -> AssetRef {
        let (asset, reference) = Asset::with_sha256(file_name, bytes, base64_sha256);
        self.assets.retain(|a| a.file_name() != file_name);
        self.assets.push(asset);
        reference
    }

    /// The files to write next to `main.tf.json`.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// Names the AWS accounts this stack may be deployed to. The command line checks the
    /// caller's account with STS before `plan`, `apply` and `destroy` run terraform.
    pub fn expect_account_ids(&mut self, ids: impl IntoIterator<Item = impl Into<String>>) {
        self.account_ids = ids.into_iter().map(Into::into).collect();
    }

    /// The accounts set by [`Stack::expect_account_ids`] (empty: any account).
    pub fn expected_account_ids(&self) -> &[String] {
        &self.account_ids
    }

    /// Waives policy rule `rule` (e.g. `OXI-TAG-001`) for the resource at `address` (e.g.
    /// `aws_s3_bucket.logs`), so that `synth` does not fail on it. The reason is required
    /// and appears in `check` output with the call site.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// stack.waive("OXI-TAG-001", "aws_s3_bucket.scratch", "deleted nightly by the test harness");
    /// assert_eq!(stack.waivers()[0].reason, "deleted nightly by the test harness");
    /// ```
    #[track_caller]
    pub fn waive(&mut self, rule: &str, address: &str, reason: &str) {
        self.waivers
            .push(Waiver::new(rule, address, reason, Location::caller()));
    }

    /// The policy waivers declared with [`Stack::waive`].
    pub fn waivers(&self) -> &[Waiver] {
        &self.waivers
    }

    /// Sets where Terraform keeps this stack's state.
    pub fn backend(&mut self, backend: impl Into<Backend>) {
        self.backend = backend.into();
    }

    /// Declares an input variable and returns `var.<name>`.
    #[track_caller]
    pub fn variable<T: TfType + Serialize + 'static>(
        &mut self,
        name: &str,
        variable: Variable<T>,
    ) -> Expr<T> {
        self.variables.push(Named {
            name: name.to_owned(),
            site: CallSite(Location::caller()),
            refs: Vec::new(),
            body: Box::new(VariableBody {
                type_: variable.constraint.unwrap_or_else(T::type_constraint),
                description: variable.description,
                default: variable.default,
                sensitive: variable.sensitive,
            }),
        });
        Expr::raw(format!("var.{name}"))
    }

    /// Declares a local value and returns `local.<name>`, which depends on whatever `value`
    /// depends on.
    #[track_caller]
    pub fn local<T: Literal + Refs + 'static>(
        &mut self,
        name: &str,
        value: impl Into<Value<T>>,
    ) -> Expr<T> {
        let value = value.into();
        let mut refs = Vec::new();
        value.refs(&mut refs);
        self.locals.push(Named {
            name: name.to_owned(),
            site: CallSite(Location::caller()),
            refs: refs.clone(),
            body: Box::new(value),
        });
        Expr::raw_with_deps(format!("local.{name}"), refs)
    }

    /// Declares an output.
    #[track_caller]
    pub fn output<T: Literal + Refs + 'static>(&mut self, name: &str, output: Output<T>) {
        let mut refs = Vec::new();
        output.value.refs(&mut refs);
        self.outputs.push(Named {
            name: name.to_owned(),
            site: CallSite(Location::caller()),
            refs,
            body: Box::new(output),
        });
    }
}

impl Stack {
    /// Exports a value for the other stacks of its [`App`](crate::app::App): writes the
    /// output `name` and returns a typed [`Export`], which another stack of the app uses
    /// like any expression of type `T`. There it reads this stack's output through the app's
    /// backend, and the app applies this stack first. A sensitive output
    /// ([`Output::sensitive`]) stays sensitive where it is read.
    ///
    /// ```
    /// use oxiform_core::app::{App, AppBackend};
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut network = Stack::new("network");
    /// let vpc = network.add("vpc", TerraformData::new());
    /// let vpc_id = network.export("vpc_id", Output::new(vpc.id()));
    ///
    /// let mut service = Stack::new("service");
    /// service.output("vpc", Output::new(vpc_id));
    ///
    /// let mut app = App::new("demo");
    /// app.backend(AppBackend::local());
    /// app.add(network);
    /// app.add(service);
    /// let docs = app.synth().unwrap();
    /// let json = docs.to_json("service").unwrap();
    /// assert!(json.contains("${data.terraform_remote_state.network.outputs.vpc_id}"), "{json}");
    /// assert_eq!(app.graph().needs("service"), ["network"]);
    /// ```
    #[track_caller]
    pub fn export<T: Literal + Refs + 'static>(
        &mut self,
        name: &str,
        output: Output<T>,
    ) -> Export<T> {
        let sensitive = output.sensitive;
        self.output(name, output);
        Export::new(self.id, &self.name, name, sensitive)
    }

    /// The backend set with [`Stack::backend`].
    pub fn get_backend(&self) -> &Backend {
        &self.backend
    }
}

/// Rust types that map to a Terraform type constraint, for variables: the primitives,
/// `Vec<T>` (`list`), `BTreeSet<T>` (`set`), `BTreeMap<String, T>` (`map`), tuples of up to
/// four (`tuple`), [`Json`] (`any`), and structs that implement it themselves (`object`).
///
/// ```
/// use std::collections::BTreeMap;
/// use oxiform_core::stack::TfType;
/// assert_eq!(<BTreeMap<String, Vec<i64>>>::type_constraint(), "map(list(number))");
/// assert_eq!(<(String, bool)>::type_constraint(), "tuple([string, bool])");
/// ```
pub trait TfType {
    /// The type constraint as Terraform reads it, e.g. `string` or `map(number)`.
    fn type_constraint() -> String;
}

macro_rules! tf_type {
    ($($t:ty => $c:literal),* $(,)?) => {$(
        impl TfType for $t {
            fn type_constraint() -> String {
                $c.to_owned()
            }
        }
    )*};
}
tf_type!(String => "string", i64 => "number", f64 => "number", bool => "bool", Json => "any");

impl<T: TfType> TfType for Vec<T> {
    fn type_constraint() -> String {
        format!("list({})", T::type_constraint())
    }
}
impl<T: TfType> TfType for std::collections::BTreeSet<T> {
    fn type_constraint() -> String {
        format!("set({})", T::type_constraint())
    }
}
/// A map is written sorted by key.
impl<T: TfType> TfType for std::collections::BTreeMap<String, T> {
    fn type_constraint() -> String {
        format!("map({})", T::type_constraint())
    }
}
macro_rules! tf_tuple {
    ($($name:ident),+) => {
        impl<$($name: TfType),+> TfType for ($($name,)+) {
            fn type_constraint() -> String {
                let items: Vec<String> = vec![$($name::type_constraint()),+];
                format!("tuple([{}])", items.join(", "))
            }
        }
    };
}
tf_tuple!(A);
tf_tuple!(A, B);
tf_tuple!(A, B, C);
tf_tuple!(A, B, C, D);

/// An input variable. Its default is a plain value: Terraform does not read variable
/// defaults as templates, so nothing is escaped.
#[must_use = "a variable is declared only after `stack.variable(..)`"]
#[derive(Debug, Clone)]
pub struct Variable<T> {
    constraint: Option<String>,
    description: Option<String>,
    /// `Some(None)`: the default is `null` (the variable is optional all the same).
    default: Option<Option<T>>,
    sensitive: bool,
}

impl<T> Default for Variable<T> {
    fn default() -> Self {
        Variable {
            constraint: None,
            description: None,
            default: None,
            sensitive: false,
        }
    }
}

impl<T> Variable<T> {
    /// A required variable (no default).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the description shown by `terraform plan`.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Sets the default, making the variable optional.
    pub fn default_value(mut self, value: impl Into<T>) -> Self {
        self.default = Some(Some(value.into()));
        self
    }
    /// Sets the default to `null`: the variable is optional, and unset it is `null`
    /// (an argument given it is left unset).
    pub fn default_null(mut self) -> Self {
        self.default = Some(None);
        self
    }
    /// Hides the value in plan output.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Writes `constraint` as the type instead of `T`'s: for a constraint no Rust type
    /// says, such as a `set` of objects held as a `Vec`. Terraform checks the value against
    /// it; the Rust type is what uses see.
    pub fn type_constraint(mut self, constraint: impl Into<String>) -> Self {
        self.constraint = Some(constraint.into());
        self
    }
}

#[derive(Serialize)]
struct VariableBody<T> {
    #[serde(rename = "type")]
    type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<Option<T>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sensitive: bool,
}

/// An output value.
#[must_use = "an output is declared only after `stack.output(..)`"]
#[derive(Debug, Clone, Serialize)]
#[serde(bound(serialize = "T: Literal"))]
pub struct Output<T: Literal> {
    value: Value<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sensitive: bool,
}

impl<T: Literal> Output<T> {
    /// An output of `value`.
    pub fn new(value: impl Into<Value<T>>) -> Self {
        Output {
            value: value.into(),
            description: None,
            sensitive: false,
        }
    }
    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Hides the value in CLI output (`sensitive = true`).
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}
