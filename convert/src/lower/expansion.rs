//! How the instances of a resource with `count` or `for_each` are converted: the data
//! `instances.rs` keeps between declarations, apart so that the pass's state can hold it
//! without the lowering naming the module that converts them.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;

/// One instance of an unrolled resource.
#[derive(Clone, Debug)]
pub(super) struct Inst {
    /// `0` or `"orders"` as Terraform writes the key inside `[…]`.
    pub key: InstKey,
    /// `each.value` (for a set, the element; for `count`, none).
    pub value: Option<Expression>,
    /// The Terraform name of the instance's resource (`work_orders`).
    pub tf_name: String,
    /// Its Rust binding.
    pub ident: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum InstKey {
    Index(i64),
    Key(String),
}

impl InstKey {
    /// The key as written in an address: `[0]`, `["orders"]`.
    pub(super) fn suffix(&self) -> String {
        match self {
            InstKey::Index(i) => format!("[{i}]"),
            InstKey::Key(k) => format!("[{k:?}]"),
        }
    }
}

/// How a resource's instances are converted.
#[derive(Clone, Debug)]
pub(super) enum Expansion {
    /// Unrolled: one resource per instance.
    Unrolled(Vec<Inst>),
    /// Kept as `count`.
    NativeCount,
    /// Kept as `for_each`.
    NativeForEach,
}

/// What this pass keeps between declarations.
#[derive(Default)]
pub(super) struct State {
    /// Resources with `count` or `for_each`, by address.
    pub expansions: BTreeMap<String, Expansion>,
    /// Resources of other providers, by address: their Rust binding.
    pub untyped: BTreeMap<String, String>,
    /// The instance being converted, when a resource is unrolled.
    pub current: Option<Inst>,
    /// The meta-argument of the resource being converted, when it is kept native.
    pub native: Option<Expansion>,
    /// The text `count.index`, `each.key` or `each.value` was just substituted by, inside a
    /// template: written into the template's text rather than as an argument.
    pub folded: Option<String>,
    /// Other providers' configurations, by (name, alias): their Rust binding.
    pub providers: BTreeMap<(String, String), String>,
}
