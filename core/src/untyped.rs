//! The escape hatch for resources and data sources oxiform does not generate (another
//! provider's, such as `random_pet`): an [`UntypedResource`] takes its arguments by name,
//! its nested blocks as [`UntypedBlock`]s, and [`Stack::add_untyped`](crate::Stack::add_untyped)
//! returns an [`UntypedHandle`] whose attributes are read by name. Nothing is checked against
//! a schema: `terraform validate` is the check. Declare the provider it needs with
//! [`Stack::require_provider`](crate::Stack::require_provider).
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_core::untyped::{UntypedBlock, UntypedResource};
//!
//! let mut stack = Stack::new("demo");
//! let seed = stack.add_untyped("seed", UntypedResource::new("terraform_data").arg("input", "v1"));
//! let copy = stack.add_untyped(
//!     "copy",
//!     UntypedResource::new("terraform_data")
//!         .arg("input", seed.attr::<String>("output"))
//!         .arg("triggers_replace", serde_json::json!({ "n": 1, "text": "${not a template}" })),
//! );
//! assert_eq!(stack.graph().edge_count(), 1, "the reference is a graph edge");
//! let json: serde_json::Value =
//!     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
//! assert_eq!(
//!     json["resource"]["terraform_data"]["copy"],
//!     serde_json::json!({
//!         "input": "${terraform_data.seed.output}",
//!         "triggers_replace": { "n": 1, "text": "$${not a template}" }
//!     })
//! );
//! # let _ = (copy, UntypedBlock::new());
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::address::{intern, Address, AsNode, Instance, NodeRef, ResourceKind, StackId};
use crate::meta::ForEach;
use crate::provider::ProviderRef;
use crate::resource::{IgnoreChanges, Meta};
use crate::value::{Expr, Json, Literal, Refs, Value};

/// One argument value of an untyped resource: a literal (escaped like every literal), an
/// expression, or JSON. Made with `.into()` from `&str`, `String`, integers, floats, `bool`,
/// `serde_json::Value`, any [`Value`] or any [`Expr`].
///
/// ```
/// use oxiform_core::prelude::*;
/// use oxiform_core::untyped::UntypedValue;
///
/// let literal: UntypedValue = "${not evaluated}".into();
/// let list: UntypedValue = Value::<List<String>>::from(vec!["a", "b"]).into();
/// let expression: UntypedValue = Expr::<String>::raw("var.name").into();
/// # let _ = (literal, list, expression);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UntypedValue {
    json: serde_json::Value,
    refs: Vec<NodeRef>,
}

impl UntypedValue {
    fn of<T: Literal + Refs>(value: Value<T>) -> UntypedValue {
        let mut refs = Vec::new();
        value.refs(&mut refs);
        UntypedValue {
            json: serde_json::to_value(&value).unwrap_or(serde_json::Value::Null),
            refs,
        }
    }
}

impl<T> From<Expr<T>> for UntypedValue {
    fn from(e: Expr<T>) -> Self {
        UntypedValue {
            json: serde_json::Value::String(e.to_json_string()),
            refs: e.deps().to_vec(),
        }
    }
}

impl<T> From<&Expr<T>> for UntypedValue {
    fn from(e: &Expr<T>) -> Self {
        UntypedValue::from(e.clone())
    }
}

impl<T: Literal + Refs> From<Value<T>> for UntypedValue {
    fn from(v: Value<T>) -> Self {
        UntypedValue::of(v)
    }
}

macro_rules! untyped_from {
    ($($source:ty => $target:ty),* $(,)?) => {$(
        impl From<$source> for UntypedValue {
            fn from(v: $source) -> Self {
                UntypedValue::of(Value::<$target>::from(v))
            }
        }
    )*};
}
untyped_from!(
    &str => String, String => String, &String => String,
    i64 => i64, i32 => i64, u32 => i64, u16 => i64, u8 => i64,
    f64 => f64, f32 => f64, bool => bool, serde_json::Value => Json,
);

/// The arguments and nested blocks of an untyped resource, or of one of its blocks.
///
/// ```
/// use oxiform_core::untyped::UntypedBlock;
///
/// let rule = UntypedBlock::new()
///     .arg("days", 30)
///     .block("filter", UntypedBlock::new().arg("prefix", "logs/"));
/// assert_eq!(
///     serde_json::to_value(&rule).unwrap(),
///     serde_json::json!({ "days": 30, "filter": [{ "prefix": "logs/" }] })
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UntypedBlock {
    args: BTreeMap<String, serde_json::Value>,
    blocks: BTreeMap<String, Vec<UntypedBlock>>,
    refs: Vec<NodeRef>,
}

impl UntypedBlock {
    /// A block with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets argument `name` (set twice, the last value is written).
    pub fn arg(mut self, name: &str, value: impl Into<UntypedValue>) -> Self {
        let value = value.into();
        self.refs.extend(value.refs);
        self.args.insert(name.to_owned(), value.json);
        self
    }

    /// Appends a nested block `name` (repeat the call for a block that occurs several
    /// times; they are written in the order added).
    pub fn block(mut self, name: &str, block: UntypedBlock) -> Self {
        self.blocks.entry(name.to_owned()).or_default().push(block);
        self
    }

    fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in &self.args {
            map.serialize_entry(name, value)?;
        }
        for (name, blocks) in &self.blocks {
            map.serialize_entry(name, blocks)?;
        }
        Ok(())
    }
}

impl Refs for UntypedBlock {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        out.extend_from_slice(&self.refs);
        for blocks in self.blocks.values() {
            blocks.refs(out);
        }
    }
}

impl Serialize for UntypedBlock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

/// A resource (or, with [`UntypedResource::data_source`], a data source) of a type oxiform
/// does not generate, added with [`Stack::add_untyped`](crate::Stack::add_untyped). Its
/// arguments are set by name and written as given, sorted by name, then its blocks, then its
/// meta-arguments.
///
/// ```
/// use oxiform_core::prelude::*;
/// use oxiform_core::untyped::UntypedResource;
///
/// let mut stack = Stack::new("demo");
/// let zone = stack.add_untyped(
///     "zone",
///     UntypedResource::data_source("cloudflare_zone").arg("name", "example.com"),
/// );
/// assert_eq!(zone.address().to_string(), "data.cloudflare_zone.zone");
/// assert_eq!(zone.attr::<String>("id").to_json_string(), "${data.cloudflare_zone.zone.id}");
/// ```
#[must_use = "a resource is emitted only after `stack.add_untyped(..)`"]
#[derive(Debug, Clone, PartialEq)]
pub struct UntypedResource {
    kind: ResourceKind,
    type_name: &'static str,
    body: UntypedBlock,
    meta: Meta,
}

impl UntypedResource {
    /// A managed resource of type `type_name` (e.g. `random_pet`), with no arguments.
    pub fn new(type_name: &str) -> Self {
        UntypedResource {
            kind: ResourceKind::Managed,
            type_name: intern(type_name),
            body: UntypedBlock::new(),
            meta: Meta::default(),
        }
    }

    /// A data source of type `type_name`, with no arguments.
    pub fn data_source(type_name: &str) -> Self {
        UntypedResource {
            kind: ResourceKind::Data,
            ..UntypedResource::new(type_name)
        }
    }

    /// The Terraform type name (see [`UntypedResource::arg`] for an example).
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Sets argument `name`: a literal, an expression, or JSON.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    /// use oxiform_core::untyped::UntypedResource;
    ///
    /// let mut stack = Stack::new("demo");
    /// let region: Expr<String> = stack.variable("region", Variable::new());
    /// let pet = UntypedResource::new("random_pet").arg("length", 2).arg("prefix", region);
    /// assert_eq!(pet.type_name(), "random_pet");
    /// ```
    pub fn arg(mut self, name: &str, value: impl Into<UntypedValue>) -> Self {
        self.body = self.body.arg(name, value);
        self
    }

    /// Appends a nested block `name`.
    ///
    /// ```
    /// use oxiform_core::prelude::*;
    /// use oxiform_core::untyped::{UntypedBlock, UntypedResource};
    ///
    /// let mut stack = Stack::new("demo");
    /// stack.add_untyped(
    ///     "site",
    ///     UntypedResource::new("cloudflare_record")
    ///         .block("data", UntypedBlock::new().arg("priority", 10)),
    /// );
    /// let json = stack.synth().unwrap().to_json().unwrap();
    /// assert!(json.contains(r#""priority": 10"#));
    /// ```
    pub fn block(mut self, name: &str, block: UntypedBlock) -> Self {
        self.body = self.body.block(name, block);
        self
    }

    /// Adds an explicit dependency (`depends_on`), like
    /// [`ResourceExt::depends_on`](crate::ResourceExt::depends_on). The other meta-argument
    /// setters below mirror [`ResourceExt`](crate::ResourceExt)'s too.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::meta::count_index;
    /// use oxiform_core::prelude::*;
    /// use oxiform_core::untyped::UntypedResource;
    ///
    /// let mut stack = Stack::new("demo");
    /// let seed = stack.add("seed", TerraformData::new());
    /// stack.add_untyped(
    ///     "pets",
    ///     UntypedResource::new("terraform_data")
    ///         .depends_on(&seed)
    ///         .count(2)
    ///         .arg("input", count_index())
    ///         .create_before_destroy()
    ///         .ignore_changes(["input"]),
    /// );
    /// let json: serde_json::Value =
    ///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    /// assert_eq!(
    ///     json["resource"]["terraform_data"]["pets"],
    ///     serde_json::json!({
    ///         "input": "${count.index}",
    ///         "count": 2,
    ///         "depends_on": ["terraform_data.seed"],
    ///         "lifecycle": { "create_before_destroy": true, "ignore_changes": ["input"] }
    ///     })
    /// );
    /// ```
    pub fn depends_on(mut self, other: &impl AsNode) -> Self {
        self.meta.depends_on.push(other.as_node());
        self
    }

    /// Creates `n` instances (`count`); see [`ResourceExt::count`](crate::ResourceExt::count).
    pub fn count(mut self, n: impl Into<Value<i64>>) -> Self {
        self.meta.count = Some(n.into());
        self
    }

    /// Creates one instance per element (`for_each`); see
    /// [`ResourceExt::for_each`](crate::ResourceExt::for_each).
    pub fn for_each(mut self, collection: impl Into<ForEach>) -> Self {
        self.meta.for_each = Some(collection.into());
        self
    }

    /// Uses a non-default provider configuration (`provider`).
    pub fn provider(mut self, provider: &ProviderRef) -> Self {
        self.meta.provider = Some(provider.clone());
        self
    }

    /// `lifecycle.prevent_destroy`.
    pub fn prevent_destroy(mut self) -> Self {
        self.meta.prevent_destroy = true;
        self
    }

    /// `lifecycle.create_before_destroy`.
    pub fn create_before_destroy(mut self) -> Self {
        self.meta.create_before_destroy = true;
        self
    }

    /// `lifecycle.ignore_changes`, the arguments named.
    pub fn ignore_changes<'n>(mut self, names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut all = match std::mem::take(&mut self.meta.ignore_changes) {
            IgnoreChanges::Fields(existing) => existing,
            _ => Vec::new(),
        };
        all.extend(names.into_iter().map(intern));
        self.meta.ignore_changes = IgnoreChanges::Fields(all);
        self
    }

    /// `lifecycle.ignore_changes = all`.
    pub fn ignore_all_changes(mut self) -> Self {
        self.meta.ignore_changes = IgnoreChanges::All;
        self
    }

    pub(crate) fn kind(&self) -> ResourceKind {
        self.kind
    }
}

impl Refs for UntypedResource {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        self.body.refs(out);
    }
}

impl Serialize for UntypedResource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.body.serialize_entries(&mut map)?;
        self.meta.serialize_entries(&mut map)?;
        map.end()
    }
}

impl crate::node::NodeBody for UntypedResource {
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn serialize(&self) -> &dyn erased_serde::Serialize {
        self
    }
    // Untyped bodies are few (providers without bindings): nothing to give back.
    fn shrink(&mut self) {}
}

/// A reference to an [`UntypedResource`] added to a stack: `Copy`, its attributes read by
/// name ([`UntypedHandle::attr`]), its instances with [`at`](UntypedHandle::at),
/// [`at_key`](UntypedHandle::at_key) and [`all`](UntypedHandle::all) like a typed
/// [`Handle`](crate::Handle)'s. Every read keeps the graph edge.
///
/// ```
/// use oxiform_core::prelude::*;
/// use oxiform_core::untyped::UntypedResource;
///
/// let mut stack = Stack::new("demo");
/// let pets = stack.add_untyped("pets", UntypedResource::new("random_pet").count(2));
/// assert_eq!(pets.at(1).attr::<String>("id").to_json_string(), "${random_pet.pets[1].id}");
/// assert_eq!(pets.all().attr::<String>("id").to_json_string(), "${random_pet.pets[*].id}");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct UntypedHandle {
    node: NodeRef,
}

impl fmt::Debug for UntypedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UntypedHandle({})", self.address())
    }
}

impl UntypedHandle {
    pub(crate) fn new(stack: StackId, index: u32, resource: &UntypedResource, name: &str) -> Self {
        UntypedHandle {
            node: NodeRef {
                stack,
                index,
                kind: resource.kind(),
                type_name: resource.type_name,
                name: intern(name),
                instance: Instance::Whole,
            },
        }
    }

    /// The Terraform address of the resource.
    pub fn address(&self) -> Address {
        self.node.address()
    }

    /// The node this handle points at.
    pub fn node(&self) -> NodeRef {
        self.node
    }

    /// An expression reading attribute `name`, typed as `T` (nothing checks the type).
    pub fn attr<T>(&self, name: &str) -> Expr<T> {
        Expr::reference(self.node, name)
    }

    /// Instance `index` of a resource with `count`.
    pub fn at(&self, index: u32) -> UntypedHandle {
        self.select(Instance::Index(index))
    }

    /// Instance `key` of a resource with `for_each`.
    pub fn at_key(&self, key: &str) -> UntypedHandle {
        self.select(Instance::Key(intern(key)))
    }

    /// Every instance of a resource with `count`, as a list (`[*]`).
    pub fn all(&self) -> UntypedHandle {
        self.select(Instance::All)
    }

    fn select(&self, instance: Instance) -> UntypedHandle {
        UntypedHandle {
            node: self.node.with_instance(instance),
        }
    }
}

impl AsNode for UntypedHandle {
    fn as_node(&self) -> NodeRef {
        self.node
    }
}
