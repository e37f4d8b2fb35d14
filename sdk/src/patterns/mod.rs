//! Layer 2: one call per strategy of cost-optimised AI inference, composed only of layer 1
//! ([`crate::aws`]) resources.

pub mod schedule;
