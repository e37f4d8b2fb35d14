//! AWS resources (layer 1), generated from the schema of the pinned AWS provider, one module
//! per service, plus hand-written typed payloads.

mod generated;
pub use generated::*;
