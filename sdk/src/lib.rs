//! # oxiform
//!
//! Typed infrastructure as code for Terraform, in Rust. Stacks are ordinary Rust code:
//! typed builders record resources and the references between them in a dependency graph,
//! and the graph is written as Terraform JSON (`main.tf.json`) for the real `terraform` CLI.
//!
//! **The guide** — one chapter per task, from a first stack to a team's CI, every example
//! compiled and run by the tests — is the repository's `docs/`: read it as Markdown from
//! `docs/src/SUMMARY.md`, or build it as a book with `docs/build.sh` (mdBook, installed
//! under `target/` on first use), which writes `target/book/index.html`: [open
//! it](../../book/index.html) from these API docs when both are built in one target folder.
//!
//! This is the crate a user depends on; it re-exports the layers, each a crate of its own
//! (`ARCHITECTURE.md` has the map):
//!
//! | path | crate | what |
//! |---|---|---|
//! | `oxiform::*` (the root, [`prelude`]) | `oxiform-core` | values, handles, stacks, the graph, the Terraform JSON writer |
//! | [`aws`] | `oxiform-aws` | layer 1: the AWS provider's types, generated from its schema, and typed payloads |
//! | [`schedule`] | `oxiform-schedules` | cron, rate and at expressions, time zones |
//! | `patterns` (feature `patterns`) | `oxiform-patterns` | layer 2: the AI-inference building blocks |
//! | `cost`, `policy` (feature `analysis`) | `oxiform-analysis` | cost estimates and the policy gate over any Terraform JSON |
//! | `testing` (feature `testing`) | `oxiform-testing` | typed assertions for stack unit tests: counts, partial matches, references, outputs, the policy gate |
//!
//! ```
//! use oxiform::prelude::*;
//! use oxiform::aws::s3::S3Bucket;
//!
//! let mut stack = Stack::new("demo");
//! stack.provider(AwsProvider::new("eu-west-1"));
//! let bucket = stack.add("logs", S3Bucket::new());
//! stack.output("bucket_arn", Output::new(bucket.arn()));
//! assert!(stack.synth().unwrap().to_json().unwrap().contains("aws_s3_bucket.logs.arn"));
//! ```

pub use oxiform_core::*;

/// Everything a stack author needs in one import: the core's prelude and the AWS provider
/// configuration ([`AwsProvider`](oxiform_aws::AwsProvider)).
pub mod prelude {
    pub use oxiform_aws::AwsProvider;
    pub use oxiform_core::prelude::*;
}

/// Layer 1: the AWS provider as typed Rust (the `oxiform-aws` crate).
#[doc(inline)]
pub use oxiform_aws as aws;

/// Schedule expressions (cron, rate, at), time zones and the calendar: the
/// `oxiform-schedules` crate, which patterns write and cost simulates.
#[doc(inline)]
pub use oxiform_schedules as schedule;

/// Layer 2: the building blocks of cost-optimised AI inference (the `oxiform-patterns`
/// crate).
#[cfg(feature = "patterns")]
#[doc(inline)]
pub use oxiform_patterns as patterns;

#[cfg(feature = "analysis")]
#[doc(inline)]
pub use oxiform_analysis::{cost, policy};

/// Typed assertions for stack unit tests (the `oxiform-testing` crate): a synthesised
/// stack's resources by generated type, partial matches, references, outputs and the policy
/// gate, each failure showing the nearest candidate and what differs.
#[cfg(feature = "testing")]
#[doc(inline)]
pub use oxiform_testing as testing;
