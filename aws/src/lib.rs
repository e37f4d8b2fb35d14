//! AWS resources (layer 1), generated from the schema of the pinned AWS provider, one module
//! per service, plus hand-written typed payloads.

pub mod dashboard;
mod generated;
pub mod iam_policy;

pub use generated::*;
