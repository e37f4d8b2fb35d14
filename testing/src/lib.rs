//! # oxiform-testing
//!
//! Typed assertions for stack unit tests (`oxiform::testing` with the facade's `testing`
//! feature, usually a dev-dependency). A [`Template`] is a synthesised stack read back as
//! Terraform JSON; it answers a test's questions through the generated types, not strings:
//!
//! | question | call |
//! |---|---|
//! | how many resources of a type | [`Template::resource_count_is`], [`Template::resources`] |
//! | which resources of a type match a partial object | [`Template::has_resource_properties`], [`Template::all_resources_properties`], [`Template::find_resources`] |
//! | does A reference B (an edge of the graph) | [`Template::references`], [`Template::dependencies`] |
//! | what an output is | [`Template::output`] ([`OutputBlock::expression`], [`OutputBlock::value_matches`]) |
//! | what the policy gate says | [`Template::policy`], [`Template::policy_is_clean`] |
//!
//! Patterns are [`Match`]es, in the spirit of AWS CDK's: a JSON value matches like
//! `Match.objectLike`, and [`Match::exact`], [`Match::array_with`], [`Match::absent`],
//! [`Match::any_value`], [`Match::not`], [`Match::string_containing`] and
//! [`Match::serialized_json`] say the rest.
//!
//! Every assertion returns `Result<_, AssertionError>`, so a test is a function returning
//! `Result` and each assertion ends in `?`; the error's `Debug` is its message, so the test
//! harness prints it as it is. A failed assertion names what it expected and its call site,
//! then the nearest candidate and one line per difference:
//!
//! ```text
//! assertion failed (at tests/endpoints.rs:31): no `aws_sagemaker_endpoint` matches the pattern (2 checked)
//!     pattern: {"tags": {"ModelTier": "medium"}}
//!     nearest: aws_sagemaker_endpoint.large, 1 difference:
//!       tags.ModelTier: expected "medium", found "large"
//!     also checked: aws_sagemaker_endpoint.small (1 difference)
//! ```
//!
//! ```
//! use oxiform_aws::iam::IamRole;
//! use oxiform_aws::s3::S3Bucket;
//! use oxiform_core::prelude::*;
//! use oxiform_testing::{Match, Template};
//! use serde_json::json;
//!
//! fn logs_stack() -> Stack {
//!     let mut stack = Stack::new("logs");
//!     let bucket = stack.add("logs", S3Bucket::new().bucket_prefix("logs-").tag("Team", "ml"));
//!     stack.add("reader", IamRole::new("{}").tag("Reads", bucket.arn()));
//!     stack.output("bucket_arn", Output::new(bucket.arn()));
//!     stack
//! }
//!
//! # fn main() -> Result<(), oxiform_testing::AssertionError> {
//! let stack = logs_stack();
//! let t = Template::synth(&stack)?;
//! t.resource_count_is::<S3Bucket>(1)?;
//! t.has_resource_properties::<S3Bucket>(
//!     Match::object_like(json!({"tags": {"Team": "ml"}})).key("bucket", Match::absent()),
//! )?;
//! let bucket = t.resource::<S3Bucket>("logs")?;
//! t.references(&t.resource::<IamRole>("reader")?, &bucket)?;
//! assert_eq!(t.output("bucket_arn")?.expression(), Some("aws_s3_bucket.logs.arn"));
//! t.policy_is_clean(&oxiform_analysis::policy::PolicySet::default())?;
//! # Ok(())
//! # }
//! ```

mod error;
mod expr;
mod matcher;
mod template;

pub use error::{AssertionError, AssertionKind};
pub use matcher::{Difference, Match};
pub use template::{address, Addressed, OutputBlock, Reference, ResourceBlock, Template};
