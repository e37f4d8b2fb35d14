//! What a [`Stack`](crate::Stack) keeps for each declaration: a resource node with its
//! address, references and call site, and the named declarations (variables, locals,
//! outputs). Shared by the stack, which fills them, and the graph and checks, which read
//! them.

use crate::address::{Address, NodeRef};
use crate::error::{CallSite, SynthError};
use crate::meta::MetaUse;
use crate::resource::{Meta, Resource};

/// One resource or data source of a stack.
///
/// Its lists are boxed slices, not vectors: a stack keeps a node per resource until it is
/// written, and most of these lists are empty or short and never grow.
pub(crate) struct Node {
    pub(crate) address: Address,
    pub(crate) site: CallSite,
    pub(crate) refs: Box<[NodeRef]>,
    pub(crate) depends_on: Box<[(NodeRef, CallSite)]>,
    /// `count.index` or `each.*` used in its arguments (checked against its meta-arguments).
    pub(crate) uses: Box<[MetaUse]>,
    pub(crate) body: Box<dyn NodeBody>,
}

/// A resource as the stack keeps it: written as it serialises, its meta-arguments still
/// reachable after it was added (for [`Stack::add_dependency`]).
pub(crate) trait NodeBody {
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn serialize(&self) -> &dyn erased_serde::Serialize;
    fn shrink(&mut self);
}

impl<R: Resource> NodeBody for R {
    fn meta(&self) -> &Meta {
        Resource::meta(self)
    }
    fn meta_mut(&mut self) -> &mut Meta {
        Resource::meta_mut(self)
    }
    fn serialize(&self) -> &dyn erased_serde::Serialize {
        self
    }
    fn shrink(&mut self) {
        Resource::shrink(self);
    }
}

/// A named declaration that is not a resource: variable, local or output.
pub(crate) struct Named {
    pub(crate) name: String,
    pub(crate) site: CallSite,
    pub(crate) refs: Vec<NodeRef>,
    pub(crate) body: Box<dyn erased_serde::Serialize>,
}

/// A problem found while declaring, reported with all others at synth.
pub(crate) struct Deferred(pub(crate) SynthError);
