//! The `count` and `for_each` meta-arguments (set with
//! [`ResourceExt::count`](crate::ResourceExt::count) and
//! [`ResourceExt::for_each`](crate::ResourceExt::for_each)) and the typed expressions valid
//! only inside a resource that has one: [`count_index`], [`each_key`], [`each_value`].
//!
//! These expressions carry a marker among their dependencies, so that
//! [`Stack::check`](crate::Stack::check) reports one used in a resource without the matching
//! meta-argument, or outside any resource (a local, an output), with the place and a hint.
//!
//! ```
//! use oxiform_core::builtin::TerraformData;
//! use oxiform_core::meta::{each_key, each_value, ForEach};
//! use oxiform_core::prelude::*;
//!
//! let mut stack = Stack::new("demo");
//! let queues = stack.add(
//!     "queues",
//!     TerraformData::new()
//!         .for_each(ForEach::map::<String>([("orders", "fifo"), ("events", "standard")]))
//!         .input(template!("{}-{}", each_key(), each_value::<String>()).cast()),
//! );
//! stack.output("orders", Output::new(queues.at_key("orders").id()));
//! let json: serde_json::Value =
//!     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
//! let queue = &json["resource"]["terraform_data"]["queues"];
//! assert_eq!(queue["for_each"], r#"${{"events":"standard","orders":"fifo"}}"#);
//! assert_eq!(queue["input"], "${each.key}-${each.value}");
//! assert_eq!(json["output"]["orders"]["value"], r#"${terraform_data.queues["orders"].id}"#);
//! ```

use serde::{Serialize, Serializer};

use crate::address::{Instance, NodeRef, ResourceKind, StackId};
use crate::value::{Expr, Json, List, Literal, Map, Value};

/// The stack id of the markers: no stack has it.
const MARKER_STACK: StackId = StackId(u32::MAX);

/// Which meta-argument a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaUse {
    /// `count.index`: needs `count`.
    Count,
    /// `each.key` / `each.value`: needs `for_each`.
    Each,
}

fn marker(what: MetaUse) -> NodeRef {
    NodeRef {
        stack: MARKER_STACK,
        index: what as u32,
        kind: ResourceKind::Managed,
        type_name: match what {
            MetaUse::Count => "count",
            MetaUse::Each => "each",
        },
        name: "",
        instance: Instance::Whole,
    }
}

/// Which meta-argument `node` stands for, when it is the marker of one rather than a
/// resource.
pub(crate) fn marker_of(node: &NodeRef) -> Option<MetaUse> {
    (node.stack == MARKER_STACK).then_some(if node.index == MetaUse::Count as u32 {
        MetaUse::Count
    } else {
        MetaUse::Each
    })
}

impl MetaUse {
    /// The expression as written, and the meta-argument it needs.
    pub(crate) fn names(self) -> (&'static str, &'static str) {
        match self {
            MetaUse::Count => ("count.index", "count"),
            MetaUse::Each => ("each.key`/`each.value", "for_each"),
        }
    }
}

/// `count.index`: the index (from 0) of the instance being created, valid only inside a
/// resource with [`count`](crate::ResourceExt::count).
///
/// ```
/// use oxiform_core::builtin::TerraformData;
/// use oxiform_core::meta::count_index;
/// use oxiform_core::prelude::*;
///
/// let mut stack = Stack::new("demo");
/// stack.add("worker", TerraformData::new().count(3).input(template!("worker-{}", count_index()).cast()));
/// assert!(stack.synth().unwrap().to_json().unwrap().contains("worker-${count.index}"));
///
/// let mut wrong = Stack::new("demo");
/// wrong.add("worker", TerraformData::new().input(template!("worker-{}", count_index()).cast()));
/// let error = wrong.check().unwrap_err().to_string();
/// assert!(error.contains("`count.index` is used, but the resource has no `count`"), "{error}");
/// ```
pub fn count_index() -> Expr<i64> {
    Expr::raw_with_deps("count.index", vec![marker(MetaUse::Count)])
}

/// `each.key`: the key (or, over a set, the element) of the instance being created, valid
/// only inside a resource with [`for_each`](crate::ResourceExt::for_each).
///
/// ```
/// use oxiform_core::builtin::TerraformData;
/// use oxiform_core::meta::{each_key, ForEach};
/// use oxiform_core::prelude::*;
///
/// let mut stack = Stack::new("demo");
/// stack.add(
///     "queue",
///     TerraformData::new().for_each(ForEach::set(["a", "b"])).input(template!("{}", each_key()).cast()),
/// );
/// let json: serde_json::Value =
///     serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
/// assert_eq!(json["resource"]["terraform_data"]["queue"]["for_each"], r#"${toset(["a","b"])}"#);
/// ```
pub fn each_key() -> Expr<String> {
    Expr::raw_with_deps("each.key", vec![marker(MetaUse::Each)])
}

/// `each.value`: the value of the map entry (over a set, the element) of the instance being
/// created, typed as `T`, valid only inside a resource with
/// [`for_each`](crate::ResourceExt::for_each).
///
/// ```
/// use oxiform_core::builtin::TerraformData;
/// use oxiform_core::meta::{each_value, ForEach};
/// use oxiform_core::prelude::*;
///
/// let mut stack = Stack::new("demo");
/// let sizes: Expr<Map<i64>> = stack.local("sizes", Value::<Map<i64>>::from([("small", 10)]));
/// stack.add("disk", TerraformData::new().for_each(sizes).input(each_value::<i64>().cast()));
/// let json = stack.synth().unwrap().to_json().unwrap();
/// assert!(json.contains(r#""for_each": "${local.sizes}""#), "{json}");
/// assert!(json.contains(r#""input": "${each.value}""#));
/// ```
pub fn each_value<T>() -> Expr<T> {
    Expr::raw_with_deps("each.value", vec![marker(MetaUse::Each)])
}

/// The collection a resource's [`for_each`](crate::ResourceExt::for_each) iterates: a map
/// (one instance per key), or a set of strings (one instance per element). A list is turned
/// into a set with `toset(…)`, as Terraform requires.
///
/// ```
/// use oxiform_core::meta::ForEach;
/// use oxiform_core::prelude::*;
///
/// assert_eq!(ForEach::set(["a", "b"]).hcl(), r#"toset(["a","b"])"#);
/// assert_eq!(ForEach::map::<i64>([("k", 1)]).hcl(), r#"{"k":1}"#);
/// let names: Expr<List<String>> = Expr::raw("var.names");
/// assert_eq!(ForEach::from(names).hcl(), "toset(var.names)");
/// assert_eq!(ForEach::expr(Expr::<Json>::raw("local.queues")).hcl(), "local.queues");
/// # use oxiform_core::Json;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ForEach(Expr<Json>);

impl ForEach {
    /// Over a map: one instance per key, `each.value` its value.
    pub fn map<T: Literal>(map: impl Into<Value<Map<T>>>) -> ForEach {
        let mut deps = Vec::new();
        let hcl = map.into().to_hcl(&mut deps);
        ForEach(Expr::raw_with_deps(hcl, deps))
    }

    /// Over a set of strings: one instance per element, `each.key` and `each.value` the
    /// element. The list is written as `toset(…)`.
    pub fn set(items: impl Into<Value<List<String>>>) -> ForEach {
        let mut deps = Vec::new();
        let hcl = items.into().to_hcl(&mut deps);
        ForEach(Expr::raw_with_deps(format!("toset({hcl})"), deps))
    }

    /// Over any expression Terraform accepts for `for_each` (a map, or a set of strings),
    /// written as it is.
    pub fn expr<T>(expression: Expr<T>) -> ForEach {
        ForEach(expression.cast())
    }

    /// The collection as HCL expression text.
    pub fn hcl(&self) -> String {
        self.0.hcl()
    }

    /// The nodes the collection depends on.
    pub fn deps(&self) -> &[NodeRef] {
        self.0.deps()
    }
}

impl<T> From<Expr<Map<T>>> for ForEach {
    fn from(map: Expr<Map<T>>) -> Self {
        ForEach::expr(map)
    }
}

impl<T: Literal> From<Value<Map<T>>> for ForEach {
    fn from(map: Value<Map<T>>) -> Self {
        ForEach::map(map)
    }
}

impl From<Expr<List<String>>> for ForEach {
    fn from(items: Expr<List<String>>) -> Self {
        ForEach::set(items)
    }
}

impl From<Value<List<String>>> for ForEach {
    fn from(items: Value<List<String>>) -> Self {
        ForEach::set(items)
    }
}

impl From<Expr<Vec<String>>> for ForEach {
    /// A variable of type `list(string)` (`stack.variable::<Vec<String>>`), as a set.
    fn from(items: Expr<Vec<String>>) -> Self {
        ForEach::set(items.cast::<List<String>>())
    }
}

impl Serialize for ForEach {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
