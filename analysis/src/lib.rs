//! # oxiform-analysis
//!
//! What oxiform reads from any Terraform JSON document (`.tf.json`), with no builder:
//! [`cost`] estimates the monthly cost before apply, [`policy`] checks the rules that gate
//! `synth`. Both read one model of the document ([`cost::document`]) and match resource
//! types by name, so they work on stacks written by hand or by any tool; the names come
//! from the generated types' `TYPE` constants (`types` keeps the few not generated yet).
//! [`stateful`] lists the types that hold data, for the command line's rename guard.

pub mod cost;
pub mod policy;
pub mod stateful;
mod types;
