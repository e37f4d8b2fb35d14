//! Layer 2: one call per strategy of cost-optimised AI inference, composed only of layer 1
//! (`oxiform-aws`) resources.

pub mod batch;
pub mod cache;
pub mod cost_dashboard;
pub(crate) mod iam;
pub mod inference;
pub mod network;
pub mod router;
pub mod scaling;
