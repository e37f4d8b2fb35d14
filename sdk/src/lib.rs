//! # oxiform
//!
//! Typed infrastructure as code for Terraform, in Rust. Stacks are ordinary Rust code:
//! typed builders record resources and the references between them in a dependency graph,
//! and the graph is written as Terraform JSON (`main.tf.json`) for the real `terraform` CLI.
//!
//! Layer 1 ([`aws`]) is generated from the AWS provider's schema; layer 2
//! (`patterns`) composes it into the strategies of cost-optimised AI inference.

pub mod asset;
pub mod aws;
pub mod backend;
pub mod builtin;
pub mod cost;
pub mod error;
pub mod escape;
pub mod graph;
pub mod handle;
pub mod json_template;
pub mod patterns;
pub mod policy;
pub mod provider;
pub mod resource;
pub mod stack;
pub mod tf;
pub mod value;

/// Schedule expressions (cron, rate, at), time zones and the calendar: the
/// `oxiform-schedules` crate, which patterns write and cost simulates.
pub use oxiform_schedules as schedule;

pub use backend::Backend;
pub use error::{SynthError, SynthErrors};
pub use handle::{Address, Handle};
pub use provider::AwsProvider;
pub use resource::{Resource, ResourceExt};
pub use stack::{Output, Stack, Variable};
pub use value::{Expr, Json, List, Map, Value};

/// Everything a stack author needs in one import.
pub mod prelude {
    pub use crate::backend::Backend;
    pub use crate::handle::Handle;
    pub use crate::provider::AwsProvider;
    pub use crate::resource::ResourceExt;
    pub use crate::stack::{Output, Stack, Variable};
    pub use crate::template;
    pub use crate::value::{Expr, List, Map, Value};
}
