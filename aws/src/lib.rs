//! AWS resources (layer 1), generated from the schema of the pinned AWS provider, one module
//! per service, the provider configuration and functions, plus hand-written typed payloads
//! and the provider's conveniences.

pub mod dashboard;
// Written by oxiform-codegen, which decides its layout (the order of the re-exports included).
#[rustfmt::skip]
mod generated;
pub mod iam_policy;
pub mod provider;

pub use provider::AwsProvider;

// Without any service feature the generated tree is empty (only the typed payloads remain).
#[allow(unused_imports)]
pub use generated::*;
