//! Typed handles to resources already added to a [`Stack`](crate::Stack).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::address::{intern, Address, AsNode, NodeRef, StackId};
use crate::resource::{Attrs, Resource};
use crate::value::Expr;

/// A typed reference to a resource added to a stack. It dereferences to the resource's
/// typed attribute accessors (`R::Attrs`, generated per resource type), so `role.arn()`
/// reads `aws_iam_role.<name>.arn`; [`Handle::attr`] reaches any other attribute.
///
/// The accessors live in a type of their own, rather than as methods on `Handle<R>`, so
/// that they can be generated in a crate other than this one.
///
/// `Copy`: pass it around freely, reference it from as many resources as you like.
pub struct Handle<R: Resource> {
    attrs: R::Attrs,
    _resource: PhantomData<fn() -> R>,
}

impl<R: Resource> Clone for Handle<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Resource> Copy for Handle<R> {}

impl<R: Resource> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.address())
    }
}

impl<R: Resource> Deref for Handle<R> {
    type Target = R::Attrs;
    fn deref(&self) -> &R::Attrs {
        &self.attrs
    }
}

impl<R: Resource> Handle<R> {
    pub(crate) fn new(stack: StackId, index: u32, name: &str) -> Self {
        Handle {
            attrs: R::Attrs::of(NodeRef {
                stack,
                index,
                kind: R::KIND,
                type_name: R::TYPE,
                name: intern(name),
            }),
            _resource: PhantomData,
        }
    }

    /// The Terraform address of the resource.
    pub fn address(&self) -> Address {
        self.node().address()
    }

    /// The node this handle points at.
    pub fn node(&self) -> NodeRef {
        self.attrs.as_node()
    }

    /// An expression reading attribute `name` of the resource, e.g. `aws_iam_role.router.arn`.
    /// Prefer the typed accessors; this is the escape hatch for anything they lack.
    pub fn attr<T>(&self, name: &str) -> Expr<T> {
        Expr::reference(self.node(), name)
    }
}

impl<R: Resource> AsNode for Handle<R> {
    fn as_node(&self) -> NodeRef {
        self.node()
    }
}
