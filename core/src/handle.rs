//! Typed handles to resources already added to a [`Stack`](crate::Stack).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::address::{intern, Address, AsNode, Instance, NodeRef, StackId};
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
                instance: Instance::Whole,
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

    /// Instance `index` of a resource with [`count`](crate::ResourceExt::count): its
    /// accessors read `type.name[index].attr`, and a reference keeps the graph edge.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let workers = stack.add("workers", TerraformData::new().count(3));
    /// assert_eq!(workers.at(0).id().to_json_string(), "${terraform_data.workers[0].id}");
    /// ```
    pub fn at(&self, index: u32) -> Handle<R> {
        self.select(Instance::Index(index))
    }

    /// Instance `key` of a resource with [`for_each`](crate::ResourceExt::for_each): its
    /// accessors read `type.name["key"].attr`, and a reference keeps the graph edge.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::meta::ForEach;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let queues = stack.add("queues", TerraformData::new().for_each(ForEach::set(["orders"])));
    /// assert_eq!(
    ///     queues.at_key("orders").id().to_json_string(),
    ///     "${terraform_data.queues[\"orders\"].id}"
    /// );
    /// ```
    pub fn at_key(&self, key: &str) -> Handle<R> {
        self.select(Instance::Key(intern(key)))
    }

    /// Every instance of a resource with `count`, as a list: its accessors read the splat
    /// `type.name[*].attr` (the attribute of each instance), and a reference keeps the
    /// graph edge. Cast the result to the list type you need.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let workers = stack.add("workers", TerraformData::new().count(2));
    /// let ids: Expr<List<String>> = workers.all().id().cast();
    /// assert_eq!(ids.to_json_string(), "${terraform_data.workers[*].id}");
    /// assert_eq!(ids.deps(), &[workers.all().node()]);
    /// ```
    pub fn all(&self) -> Handle<R> {
        self.select(Instance::All)
    }

    fn select(&self, instance: Instance) -> Handle<R> {
        Handle {
            attrs: R::Attrs::of(self.node().with_instance(instance)),
            _resource: PhantomData,
        }
    }
}

impl<R: Resource> AsNode for Handle<R> {
    fn as_node(&self) -> NodeRef {
        self.node()
    }
}
