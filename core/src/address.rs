//! What identifies a node of a stack: its kind, its Terraform address, and the stack it
//! belongs to. The bottom of the core: it depends on no other module, and every module that
//! names a resource (values, handles, resources, the graph) depends on it.

use std::fmt;
use std::sync::{Mutex, OnceLock};

/// Whether a type is a managed `resource` or a `data` source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    /// A managed resource (`resource` block).
    Managed,
    /// A data source (`data` block).
    Data,
    /// An ephemeral resource (`ephemeral` block): read during a run, never stored in state
    /// or plan, so its values can feed sensitive and write-only arguments safely.
    Ephemeral,
}

impl ResourceKind {
    /// The top-level key of this kind's blocks in Terraform JSON: `resource`, `data` or
    /// `ephemeral`.
    pub fn block_key(self) -> &'static str {
        match self {
            ResourceKind::Managed => "resource",
            ResourceKind::Data => "data",
            ResourceKind::Ephemeral => "ephemeral",
        }
    }

    /// The address prefix of this kind: `""`, `"data."` or `"ephemeral."`.
    pub fn address_prefix(self) -> &'static str {
        match self {
            ResourceKind::Managed => "",
            ResourceKind::Data => "data.",
            ResourceKind::Ephemeral => "ephemeral.",
        }
    }
}

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
    /// Which instances of a resource with `count` or `for_each` a reference reads.
    pub(crate) instance: Instance,
}

/// Which instances of a resource a reference reads: the resource itself, one instance of a
/// resource with `count` (`[0]`) or `for_each` (`["key"]`), or every instance (`[*]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Instance {
    /// The resource itself (no `count` or `for_each`).
    #[default]
    Whole,
    /// Instance `[i]` of a resource with `count`.
    Index(u32),
    /// Instance `["key"]` of a resource with `for_each`.
    Key(&'static str),
    /// Every instance, as a list: the splat `[*]`.
    All,
    /// One output of another stack's state, `.outputs.<name>`: how a stack of an
    /// [`App`](crate::app::App) reads an [`Export`](crate::export::Export) of another (the
    /// node is that stack's `terraform_remote_state`).
    Output(&'static str),
}

impl Instance {
    /// The instance key as Terraform writes it after the address: ``, `[0]`, `["key"]`,
    /// `[*]`.
    ///
    /// ```
    /// use oxiform_core::address::Instance;
    /// assert_eq!(Instance::Index(2).suffix(), "[2]");
    /// assert_eq!(Instance::Key("a").suffix(), "[\"a\"]");
    /// assert_eq!(Instance::All.suffix(), "[*]");
    /// assert_eq!(Instance::Whole.suffix(), "");
    /// ```
    pub fn suffix(self) -> String {
        match self {
            Instance::Whole => String::new(),
            Instance::Index(i) => format!("[{i}]"),
            Instance::Key(k) => {
                let quoted = k
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace("${", "$${")
                    .replace("%{", "%%{");
                format!("[\"{quoted}\"]")
            }
            Instance::All => "[*]".to_owned(),
            Instance::Output(name) => format!(".outputs.{name}"),
        }
    }
}

impl NodeRef {
    /// Which instances this reference reads.
    ///
    /// ```
    /// use oxiform_core::address::Instance;
    /// use oxiform_core::builtin::TerraformData;
    /// use oxiform_core::prelude::*;
    ///
    /// let mut stack = Stack::new("demo");
    /// let workers = stack.add("workers", TerraformData::new().count(2));
    /// assert_eq!(workers.node().instance(), Instance::Whole);
    /// assert_eq!(workers.at(1).node().instance(), Instance::Index(1));
    /// ```
    pub fn instance(&self) -> Instance {
        self.instance
    }

    /// The same node, reading `instance`.
    pub(crate) fn with_instance(mut self, instance: Instance) -> NodeRef {
        self.instance = instance;
        self
    }

    /// The Terraform address, e.g. `aws_iam_role.router` or `data.aws_region.current`.
    pub fn address(&self) -> Address {
        Address {
            kind: self.kind,
            type_name: self.type_name,
            name: self.name,
        }
    }
}

/// A Terraform address (`type.name`, `data.type.name` for a data source,
/// `ephemeral.type.name` for an ephemeral resource); displays as text.
///
/// A stack's addresses name their parts with `&'static str` (the default); a reader of any
/// Terraform JSON, such as `oxiform-analysis`, borrows them from the document it reads.
///
/// ```
/// use oxiform_core::{Address, ResourceKind};
/// let read: Address<&str> = Address::new(ResourceKind::Data, "aws_region", "current");
/// assert_eq!(read.to_string(), "data.aws_region.current");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address<S = &'static str> {
    pub(crate) kind: ResourceKind,
    pub(crate) type_name: S,
    pub(crate) name: S,
}

impl<S> Address<S> {
    /// The address of the resource (or data source) `type_name.name`.
    pub fn new(kind: ResourceKind, type_name: S, name: S) -> Self {
        Address {
            kind,
            type_name,
            name,
        }
    }
}

impl<S: fmt::Display> fmt::Display for Address<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.address_prefix())?;
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

/// Anything that stands for one node of a stack: a [`Handle`](crate::Handle), or the node
/// itself. [`ResourceExt::depends_on`](crate::ResourceExt::depends_on) takes any of them.
pub trait AsNode {
    /// The node.
    fn as_node(&self) -> NodeRef;
}

impl AsNode for NodeRef {
    fn as_node(&self) -> NodeRef {
        *self
    }
}

/// Resource names live as long as the process so that handles stay `Copy`; each distinct
/// name is stored once, so repeated syntheses in one process do not grow memory.
pub(crate) fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<foldhash::HashSet<&'static str>>> = OnceLock::new();
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
