//! [`Export`]: a typed value one stack of an [`App`](crate::app::App) offers the others.
//!
//! A stack exports a value with [`Stack::export`](crate::Stack::export), which writes an
//! output and returns an `Export<T>`. Another stack of the same app uses it like any other
//! expression of type `T`; in that stack it reads
//! `data.terraform_remote_state.<producer>.outputs.<name>`, through the app's backend, and
//! the app orders the producer first. The type is Rust's, checked at compile time: a number
//! stays a number, a list a list (Terraform keeps an output's type in state).
//!
//! The expression carries one dependency, a reference to the producer's remote state with
//! the output's name ([`Instance::Output`]), which is how the app finds every read without
//! parsing text.

use std::marker::PhantomData;

use crate::address::{intern, Instance, NodeRef, ResourceKind, StackId};
use crate::graph::identifier_from;
use crate::secret::{IntoSensitive, Sensitive};
use crate::value::{Expr, TemplatePart, Value};

/// The data source through which a stack reads another's outputs.
pub(crate) const REMOTE_STATE: &str =
    <crate::builtin::DataTerraformRemoteState as crate::resource::Resource>::TYPE;

/// The node index of an export read: no node of any stack has it.
const EXPORT_INDEX: u32 = u32::MAX;

/// A value exported by one stack of an [`App`](crate::app::App) for the others, typed as
/// `T`. `Copy`: use it in as many stacks as you like.
///
/// ```
/// use oxiform_core::builtin::TerraformData;
/// use oxiform_core::prelude::*;
///
/// let mut network = Stack::new("network");
/// let vpc = network.add("vpc", TerraformData::new());
/// let vpc_id: Export<String> = network.export("vpc_id", Output::new(vpc.id()));
///
/// // In any other stack of the app, `vpc_id` is an `Expr<String>` (`vpc_id.value()`) or
/// // goes straight into an argument that takes a string.
/// assert_eq!(
///     vpc_id.value().to_json_string(),
///     "${data.terraform_remote_state.network.outputs.vpc_id}"
/// );
/// ```
pub struct Export<T> {
    producer: StackId,
    source: &'static str,
    name: &'static str,
    sensitive: bool,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Export<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Export<T> {}

impl<T> std::fmt::Debug for Export<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Export({}.{})", self.source, self.name)
    }
}

impl<T> Export<T> {
    /// The export `name` of the stack `stack` (`producer`); made by `Stack::export`.
    pub(crate) fn new(producer: StackId, stack: &str, name: &str, sensitive: bool) -> Self {
        Export {
            producer,
            source: intern(&identifier_from(stack)),
            name: intern(name),
            sensitive,
            _type: PhantomData,
        }
    }

    /// The output's name in the producing stack.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the output is sensitive: then it is sensitive where it is read too.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// The value as read by another stack of the app:
    /// `data.terraform_remote_state.<producer>.outputs.<name>`, wrapped in `sensitive(…)`
    /// when the output is sensitive, so that the reading stack hides it too.
    pub fn value(&self) -> Expr<T> {
        let node = self.node();
        let read = format!(
            "data.{REMOTE_STATE}.{}{}",
            self.source,
            node.instance.suffix()
        );
        let text = if self.sensitive {
            format!("sensitive({read})")
        } else {
            read
        };
        Expr::raw_with_deps(text, vec![node])
    }

    /// The dependency every read carries: the producer's remote state, this output.
    fn node(&self) -> NodeRef {
        NodeRef {
            stack: self.producer,
            index: EXPORT_INDEX,
            kind: ResourceKind::Data,
            type_name: REMOTE_STATE,
            name: self.source,
            instance: Instance::Output(self.name),
        }
    }
}

/// When `r` is the read of an export: the producing stack and the output's name.
pub(crate) fn export_read(r: &NodeRef) -> Option<(StackId, &'static str)> {
    match r.instance {
        Instance::Output(name) if r.index == EXPORT_INDEX => Some((r.stack, name)),
        _ => None,
    }
}

impl<T> From<Export<T>> for Expr<T> {
    fn from(export: Export<T>) -> Self {
        export.value()
    }
}
impl<T> From<&Export<T>> for Expr<T> {
    fn from(export: &Export<T>) -> Self {
        export.value()
    }
}
impl<T> From<Export<T>> for Value<T> {
    fn from(export: Export<T>) -> Self {
        Value::Expr(export.value())
    }
}
impl<T> From<&Export<T>> for Value<T> {
    fn from(export: &Export<T>) -> Self {
        Value::Expr(export.value())
    }
}
impl<T> From<Export<T>> for TemplatePart {
    fn from(export: Export<T>) -> Self {
        export.value().into()
    }
}
impl<T> From<&Export<T>> for TemplatePart {
    fn from(export: &Export<T>) -> Self {
        export.value().into()
    }
}
/// An export feeds a sensitive argument of another stack (a password made in a data
/// stack): it is read from state, never written into `main.tf.json`.
impl<T> IntoSensitive<T> for Export<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        self.value().into_sensitive()
    }
}
impl<T> IntoSensitive<T> for &Export<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        self.value().into_sensitive()
    }
}
