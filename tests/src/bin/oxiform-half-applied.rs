//! A stacks binary with one stack, `half-applied`, that passes plan and fails mid-apply on
//! the AWS API emulator at `OXIFORM_EMULATOR_URL`: a bucket and a role are created, then the
//! attachment of a managed policy that does not exist is refused. The deploy tests run it to
//! see how a failed apply reads.

use oxiform::aws::iam::{IamRole, IamRolePolicyAttachment, IamRolePolicyAttachmentArgs};
use oxiform::aws::iam_policy::PolicyDocument;
use oxiform::aws::s3::S3Bucket;
use oxiform::prelude::*;
use oxiform_cli::{App, StackDef};

fn half_applied() -> anyhow::Result<Stack> {
    let url = std::env::var("OXIFORM_EMULATOR_URL")?;
    let mut stack = Stack::new("half-applied");
    stack.provider(
        AwsProvider::new("us-east-1")
            .static_credentials("test", "test")
            .emulator(&url, stacks::ai_inference::EMULATED_SERVICES),
    );
    let bucket = stack.add("kept", S3Bucket::new().bucket("oxiform-half-applied"));
    // Passes plan, fails at apply: the emulator, like IAM, has no such managed policy.
    let role = stack.add(
        "kept",
        IamRole::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_value())
            .name("oxiform-half-applied")
            .depends_on(&bucket),
    );
    stack.add(
        "rejected",
        IamRolePolicyAttachment::new(IamRolePolicyAttachmentArgs {
            policy_arn: "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere".into(),
            role: role.name().into(),
        }),
    );
    Ok(stack)
}

fn main() -> std::process::ExitCode {
    // The default policy set: no tags required.
    oxiform_cli::main(&App::new(vec![StackDef::new("half-applied", half_applied)]))
}
