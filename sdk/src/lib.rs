//! # oxiform
//!
//! Typed infrastructure as code for Terraform, in Rust. Stacks are ordinary Rust code:
//! typed builders record resources and the references between them in a dependency graph,
//! and the graph is written as Terraform JSON (`main.tf.json`) for the real `terraform` CLI.
//!
//! The core (`oxiform-core`: values, handles, stacks, the graph, the Terraform JSON writer)
//! is re-exported at this crate's root. Layer 1 ([`aws`]) is generated from the AWS
//! provider's schema; layer 2 (`patterns`) composes it into the strategies of cost-optimised
//! AI inference; [`cost`] and [`policy`] read Terraform JSON.

pub use oxiform_core::{
    address, asset, backend, builtin, error, escape, graph, handle, json_template, prelude,
    provider, resource, stack, template, tf, value, waiver,
};
pub use oxiform_core::{
    Address, AsNode, AwsProvider, Backend, Expr, Handle, Json, List, Map, NodeRef, Output,
    Resource, ResourceExt, ResourceKind, Stack, SynthError, SynthErrors, Value, Variable, Waiver,
};

pub mod aws;
pub mod cost;
pub mod patterns;
pub mod policy;

/// Schedule expressions (cron, rate, at), time zones and the calendar: the
/// `oxiform-schedules` crate, which patterns write and cost simulates.
pub use oxiform_schedules as schedule;
