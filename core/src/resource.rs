//! The [`Resource`] trait every generated type implements, and the meta-arguments
//! (`depends_on`, `lifecycle`, `provider`) kept apart from a resource's own arguments.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

pub use crate::address::ResourceKind;
use crate::address::{AsNode, NodeRef};
use crate::meta::ForEach;
use crate::provider::ProviderRef;
use crate::value::{Refs, Value};

/// A Terraform resource or data source type: its arguments serialise to the block body.
pub trait Resource: Serialize + Refs + 'static {
    /// The Terraform type name, e.g. `aws_sagemaker_endpoint`.
    const TYPE: &'static str;
    /// Managed resource or data source.
    const KIND: ResourceKind;
    /// The arguments of this type, for typed `ignore_changes`.
    type Field: FieldName;
    /// The typed attribute accessors a [`Handle`](crate::Handle) to this type dereferences
    /// to.
    type Attrs: Attrs;
    /// The meta-arguments set on this value.
    fn meta(&self) -> &Meta;
    /// The meta-arguments, mutably (used by [`ResourceExt`]).
    fn meta_mut(&mut self) -> &mut Meta;
    /// Gives back the room its builder reserved and no longer needs. Called once, when the
    /// stack records the resource: a stack keeps every body until it is written, so spare
    /// capacity is memory held for the whole synth.
    fn shrink(&mut self) {}
}

/// The typed attribute accessors of one resource type, over the node they read from.
pub trait Attrs: AsNode + Copy + 'static {
    /// The accessors of `node`.
    fn of(node: NodeRef) -> Self;
}

/// A resource argument's Terraform name, for typed `ignore_changes`.
pub trait FieldName: Copy {
    /// The argument's name in Terraform.
    fn name(self) -> &'static str;
}

/// Meta-arguments of one resource, set through [`ResourceExt`].
///
/// One pointer, null until a meta-argument is set: most resources set none, and a stack
/// keeps every resource until it is written (120 bytes each otherwise). Reads see the
/// fields of [`MetaFields`] (the defaults when none was set); the first write allocates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta(Option<Box<MetaFields>>);

/// The fields of a [`Meta`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaFields {
    pub(crate) depends_on: Vec<NodeRef>,
    pub(crate) prevent_destroy: bool,
    pub(crate) create_before_destroy: bool,
    pub(crate) ignore_changes: IgnoreChanges,
    pub(crate) provider: Option<ProviderRef>,
    pub(crate) count: Option<Value<i64>>,
    pub(crate) for_each: Option<ForEach>,
}

/// What a [`Meta`] without a meta-argument reads as.
static NO_META: MetaFields = MetaFields {
    depends_on: Vec::new(),
    prevent_destroy: false,
    create_before_destroy: false,
    ignore_changes: IgnoreChanges::None,
    provider: None,
    count: None,
    for_each: None,
};

impl std::ops::Deref for Meta {
    type Target = MetaFields;
    fn deref(&self) -> &MetaFields {
        self.0.as_deref().unwrap_or(&NO_META)
    }
}

impl std::ops::DerefMut for Meta {
    fn deref_mut(&mut self) -> &mut MetaFields {
        self.0.get_or_insert_with(Box::default)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum IgnoreChanges {
    #[default]
    None,
    Fields(Vec<&'static str>),
    All,
}

impl Meta {
    /// Explicit dependencies (`depends_on`).
    pub fn depends_on(&self) -> &[NodeRef] {
        &self.depends_on
    }

    /// How many instances to create (`count`), when set.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    /// use oxiform_core::{Resource, Value};
    ///
    /// let workers = TerraformData::new().count(3);
    /// assert_eq!(workers.meta().count(), Some(&Value::Literal(3)));
    /// assert!(workers.meta().for_each().is_none());
    /// ```
    pub fn count(&self) -> Option<&Value<i64>> {
        self.count.as_ref()
    }

    /// The collection to create one instance per element of (`for_each`), when set (see
    /// [`Meta::count`] for an example).
    pub fn for_each(&self) -> Option<&ForEach> {
        self.for_each.as_ref()
    }

    /// The nodes `count` and `for_each` depend on (graph edges like any reference).
    pub(crate) fn refs(&self, out: &mut Vec<NodeRef>) {
        self.count.refs(out);
        if let Some(f) = &self.for_each {
            out.extend_from_slice(f.deps());
        }
    }

    fn has_lifecycle(&self) -> bool {
        self.prevent_destroy
            || self.create_before_destroy
            || self.ignore_changes != IgnoreChanges::None
    }
}

struct Lifecycle<'a>(&'a Meta);

impl Serialize for Lifecycle<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut st = s.serialize_struct("lifecycle", 3)?;
        if m.create_before_destroy {
            st.serialize_field("create_before_destroy", &true)?;
        }
        match &m.ignore_changes {
            IgnoreChanges::None => {}
            IgnoreChanges::Fields(fields) => st.serialize_field("ignore_changes", fields)?,
            IgnoreChanges::All => st.serialize_field("ignore_changes", "all")?,
        }
        if m.prevent_destroy {
            st.serialize_field("prevent_destroy", &true)?;
        }
        st.end()
    }
}

impl Meta {
    /// Writes the meta-arguments as entries of `map`, after a resource's own arguments.
    pub(crate) fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error> {
        if let Some(count) = &self.count {
            map.serialize_entry("count", count)?;
        }
        if let Some(for_each) = &self.for_each {
            map.serialize_entry("for_each", for_each)?;
        }
        if !self.depends_on.is_empty() {
            let addresses: Vec<String> = self
                .depends_on
                .iter()
                .map(|n| n.address().to_string())
                .collect();
            map.serialize_entry("depends_on", &addresses)?;
        }
        if self.has_lifecycle() {
            map.serialize_entry("lifecycle", &Lifecycle(self))?;
        }
        if let Some(provider) = &self.provider {
            map.serialize_entry("provider", &provider.to_string())?;
        }
        Ok(())
    }
}

impl Serialize for Meta {
    /// Serialises as map entries, to be flattened into the resource body.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

/// Meta-argument setters, available on every resource type.
///
/// ```
/// use oxiform_core::prelude::*;
/// use oxiform_core::builtin::TerraformData;
/// let mut stack = Stack::new("demo");
/// let logs = stack.add("logs", TerraformData::new().prevent_destroy());
/// let _data = stack.add("data", TerraformData::new().depends_on(&logs));
/// ```
pub trait ResourceExt: Resource + Sized {
    /// Adds an explicit dependency on another resource (`depends_on`).
    fn depends_on(mut self, other: &impl AsNode) -> Self {
        self.meta_mut().depends_on.push(other.as_node());
        self
    }
    /// Refuses `terraform destroy` of this resource (`lifecycle.prevent_destroy`).
    fn prevent_destroy(mut self) -> Self {
        self.meta_mut().prevent_destroy = true;
        self
    }
    /// Creates the replacement before destroying the old one
    /// (`lifecycle.create_before_destroy`).
    fn create_before_destroy(mut self) -> Self {
        self.meta_mut().create_before_destroy = true;
        self
    }
    /// Ignores drift on these arguments (`lifecycle.ignore_changes`).
    fn ignore_changes(mut self, fields: impl IntoIterator<Item = Self::Field>) -> Self {
        let mut names: Vec<&'static str> = match std::mem::take(&mut self.meta_mut().ignore_changes)
        {
            IgnoreChanges::Fields(existing) => existing,
            _ => Vec::new(),
        };
        names.extend(fields.into_iter().map(FieldName::name));
        self.meta_mut().ignore_changes = IgnoreChanges::Fields(names);
        self
    }
    /// Ignores drift on every argument (`lifecycle.ignore_changes = all`).
    fn ignore_all_changes(mut self) -> Self {
        self.meta_mut().ignore_changes = IgnoreChanges::All;
        self
    }
    /// Uses a non-default provider configuration (`provider = aws.west`).
    fn provider(mut self, provider: &ProviderRef) -> Self {
        self.meta_mut().provider = Some(provider.clone());
        self
    }
    /// Creates `n` instances of this resource (`count`), a number or an expression known at
    /// plan. Inside, [`count_index`](crate::meta::count_index) is the instance's index;
    /// elsewhere, [`Handle::at`](crate::Handle::at) and [`Handle::all`](crate::Handle::all)
    /// read one or every instance.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::meta::count_index;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let n: Expr<i64> = stack.variable("workers", Variable::new().default_value(2));
    /// stack.add("worker", TerraformData::new().count(n).input(template!("w{}", count_index()).cast()));
    /// let json = stack.synth().unwrap().to_json().unwrap();
    /// assert!(json.contains(r#""count": "${var.workers}""#), "{json}");
    /// ```
    fn count(mut self, n: impl Into<Value<i64>>) -> Self {
        self.meta_mut().count = Some(n.into());
        self
    }
    /// Creates one instance per element of a map or a set of strings (`for_each`). Inside,
    /// [`each_key`](crate::meta::each_key) and [`each_value`](crate::meta::each_value) are
    /// the instance's key and value; elsewhere, [`Handle::at_key`](crate::Handle::at_key) reads
    /// one instance.
    ///
    /// ```
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::meta::{each_key, ForEach};
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let names: Expr<Vec<String>> = stack.variable("names", Variable::new());
    /// stack.add("queue", TerraformData::new().for_each(names).input(template!("{}", each_key()).cast()));
    /// let json = stack.synth().unwrap().to_json().unwrap();
    /// assert!(json.contains(r#""for_each": "${toset(var.names)}""#), "{json}");
    /// ```
    fn for_each(mut self, collection: impl Into<ForEach>) -> Self {
        self.meta_mut().for_each = Some(collection.into());
        self
    }
}

impl<R: Resource> ResourceExt for R {}

/// Writes a generated resource: its arguments in name order, then its meta-arguments.
#[doc(hidden)]
pub fn serialize_resource<S: Serializer>(
    body: &crate::body::Body,
    meta: &Meta,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(None)?;
    body.serialize_entries(&mut map)?;
    meta.serialize_entries(&mut map)?;
    map.end()
}

/// Implements [`Resource`], `Serialize`, [`Refs`], `Debug` and `Clone` for a generated
/// resource type `struct T(Body, Meta)`, and [`Attrs`] for its accessor type
/// `struct TAttrs(NodeRef)`. Every method is `#[inline]`, so none is compiled for a type a
/// stack does not use.
#[macro_export]
#[doc(hidden)]
macro_rules! resource_type {
    ($ty:ident, $attrs:ident, $field:ident, $tf:literal, $kind:ident) => {
        impl $crate::resource::Resource for $ty {
            const TYPE: &'static str = $tf;
            const KIND: $crate::address::ResourceKind = $crate::address::ResourceKind::$kind;
            type Field = $field;
            type Attrs = $attrs;
            #[inline]
            fn meta(&self) -> &$crate::resource::Meta {
                &self.1
            }
            #[inline]
            fn meta_mut(&mut self) -> &mut $crate::resource::Meta {
                &mut self.1
            }
            #[inline]
            fn shrink(&mut self) {
                self.0.shrink();
            }
        }
        impl $crate::serde::Serialize for $ty {
            #[inline]
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::resource::serialize_resource(&self.0, &self.1, s)
            }
        }
        impl $crate::value::Refs for $ty {
            #[inline]
            fn refs(&self, out: &mut Vec<$crate::address::NodeRef>) {
                $crate::value::Refs::refs(&self.0, out)
            }
        }
        impl ::core::fmt::Debug for $ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&self.0).finish()
            }
        }
        impl ::core::clone::Clone for $ty {
            #[inline]
            fn clone(&self) -> Self {
                $ty(self.0.clone(), self.1.clone())
            }
        }
        impl $crate::resource::Attrs for $attrs {
            #[inline]
            fn of(node: $crate::address::NodeRef) -> Self {
                $attrs(node)
            }
        }
        impl $crate::address::AsNode for $attrs {
            #[inline]
            fn as_node(&self) -> $crate::address::NodeRef {
                self.0
            }
        }
    };
}

/// Implements [`FieldName`] for a generated field enum from the Terraform names of its
/// variants, in declaration order.
#[macro_export]
#[doc(hidden)]
macro_rules! field_names {
    ($field:ident: $($name:literal),+ $(,)?) => {
        impl $crate::resource::FieldName for $field {
            #[inline]
            fn name(self) -> &'static str {
                const NAMES: &[&str] = &[$($name),+];
                NAMES[self as usize]
            }
        }
    };
    ($field:ident:) => {
        impl $crate::resource::FieldName for $field {
            #[inline]
            fn name(self) -> &'static str {
                match self {}
            }
        }
    };
}
