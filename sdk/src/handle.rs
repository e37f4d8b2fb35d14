//! Typed handles to resources already added to a [`Stack`](crate::Stack).

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock};

use crate::resource::{Resource, ResourceKind};
use crate::value::Expr;

/// Identifies one [`Stack`](crate::Stack) within the process, so that a handle used in the
/// wrong stack is caught at synth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(pub(crate) u32);

/// A reference to one node of a stack: what an expression depends on.
///
/// It carries the node's address so that error messages can name a resource of another stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeRef {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
    pub(crate) kind: ResourceKind,
    pub(crate) type_name: &'static str,
    pub(crate) name: &'static str,
}

impl NodeRef {
    /// The Terraform address, e.g. `aws_iam_role.router` or `data.aws_region.current`.
    pub fn address(&self) -> Address {
        Address {
            kind: self.kind,
            type_name: self.type_name,
            name: self.name,
        }
    }
}

/// A Terraform address (`type.name`, or `data.type.name` for a data source); displays as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    pub(crate) kind: ResourceKind,
    pub(crate) type_name: &'static str,
    pub(crate) name: &'static str,
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ResourceKind::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

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

/// Resource names live as long as the process so that handles stay `Copy`; each distinct
/// name is stored once, so repeated syntheses in one process do not grow memory.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    let mut names = match names.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}
