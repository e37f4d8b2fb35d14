//! Typed handles to resources already added to a [`Stack`](crate::Stack).

use std::fmt;
use std::marker::PhantomData;

use crate::address::{intern, Address, AsNode, NodeRef, StackId};
use crate::resource::Resource;
use crate::value::Expr;

/// A typed reference to a resource added to a stack. Computed attributes are typed accessors
/// on it (generated per resource type); [`Handle::attr`] reaches any other attribute.
///
/// `Copy`: pass it around freely, reference it from as many resources as you like.
pub struct Handle<R> {
    node: NodeRef,
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Handle<R> {}

impl<R> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.node.address())
    }
}

impl<R: Resource> Handle<R> {
    pub(crate) fn new(stack: StackId, index: u32, name: &str) -> Self {
        Handle {
            node: NodeRef {
                stack,
                index,
                kind: R::KIND,
                type_name: R::TYPE,
                name: intern(name),
            },
            _resource: PhantomData,
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

    /// An expression reading attribute `name` of the resource, e.g. `aws_iam_role.router.arn`.
    /// Prefer the typed accessors; this is the escape hatch for anything they lack.
    pub fn attr<T>(&self, name: &str) -> Expr<T> {
        Expr::reference(self.node, name)
    }
}

impl<R> AsNode for Handle<R> {
    fn as_node(&self) -> NodeRef {
        self.node
    }
}
