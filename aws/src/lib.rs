//! AWS resources (layer 1), generated from the schema of the pinned AWS provider, one module
//! per service, plus hand-written typed payloads.

pub mod dashboard;
mod generated;
pub mod iam_policy;

// Without any service feature the generated tree is empty (only the typed payloads remain).
#[allow(unused_imports)]
pub use generated::*;
