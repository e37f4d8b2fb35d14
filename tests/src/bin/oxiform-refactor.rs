//! A stacks binary with one stack, `refactor`, on the AWS API emulator at
//! `OXIFORM_EMULATOR_URL`, whose code is one of the steps of a refactoring, chosen by
//! `OXIFORM_REFACTOR_STEP`; the refactoring tests (`suite/refactor.rs`) run it to apply one
//! step after another against the same state:
//!
//! - `before`: a bucket added as `logs`;
//! - `renamed`: the same bucket added as `archive`, without a `moved` block (the rename
//!   guard refuses the plan);
//! - `moved`: `archive` with `stack.moved("aws_s3_bucket.logs", &archive)`;
//! - `imported`: `moved`, and a bucket created outside terraform adopted as `legacy` with
//!   `stack.import`;
//! - `removed`: `moved`, and `legacy` given up with `stack.removed` (the bucket stays).

use oxiform::aws::s3::S3Bucket;
use oxiform::prelude::*;
use oxiform_cli::{App, StackDef};

/// The bucket renamed in code; its name in S3 never changes.
const LOGS_BUCKET: &str = "oxiform-refactor-logs";
/// The bucket created outside terraform, then imported, then removed from state.
const LEGACY_BUCKET: &str = "oxiform-refactor-legacy";

fn refactor() -> anyhow::Result<Stack> {
    let url = std::env::var("OXIFORM_EMULATOR_URL")?;
    let step = std::env::var("OXIFORM_REFACTOR_STEP")?;
    let mut stack = Stack::new("refactor");
    stack.provider(
        AwsProvider::new("us-east-1")
            .static_credentials("test", "test")
            .emulator(&url, stacks::ai_inference::EMULATED_SERVICES),
    );
    let logs = S3Bucket::new().bucket(LOGS_BUCKET);
    match step.as_str() {
        "before" => {
            stack.add("logs", logs);
        }
        "renamed" => {
            stack.add("archive", logs);
        }
        "moved" | "imported" | "removed" => {
            let archive = stack.add("archive", logs);
            stack.moved("aws_s3_bucket.logs", &archive);
        }
        other => anyhow::bail!("unknown OXIFORM_REFACTOR_STEP {other:?}"),
    }
    match step.as_str() {
        "imported" => {
            let legacy = stack.add("legacy", S3Bucket::new().bucket(LEGACY_BUCKET));
            stack.import(&legacy, LEGACY_BUCKET);
        }
        "removed" => stack.removed("aws_s3_bucket.legacy"),
        _ => {}
    }
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    // The default policy set: no tags required.
    oxiform_cli::main(&App::new(vec![StackDef::new("refactor", refactor)]))
}
