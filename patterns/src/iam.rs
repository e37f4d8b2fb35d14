//! The IAM pieces every pattern needs: a role a service assumes, an inline policy on it, and
//! an AWS managed policy attached to it.

use oxiform_aws::iam::{
    IamRole, IamRolePolicy, IamRolePolicyArgs, IamRolePolicyAttachment, IamRolePolicyAttachmentArgs,
};
use oxiform_aws::iam_policy::PolicyDocument;
use oxiform_aws::meta::DataPartition;
use oxiform_core::handle::Handle;
use oxiform_core::stack::Stack;
use oxiform_core::value::Value;

/// Adds a role that `service` (e.g. `lambda.amazonaws.com`) may assume, called `role_name`
/// in AWS.
#[track_caller]
pub(crate) fn service_role(
    stack: &mut Stack,
    name: &str,
    service: &str,
    role_name: impl Into<Value<String>>,
) -> Handle<IamRole> {
    stack.add(
        name,
        IamRole::new(PolicyDocument::assume_role(service).to_value()).name(role_name),
    )
}

/// Adds `policy` as the inline policy `policy_name` of `role`.
#[track_caller]
pub(crate) fn inline_policy(
    stack: &mut Stack,
    name: &str,
    role: &Handle<IamRole>,
    policy_name: &str,
    policy: &PolicyDocument,
) -> Handle<IamRolePolicy> {
    stack.add(
        name,
        IamRolePolicy::new(IamRolePolicyArgs {
            policy: policy.to_value(),
            role: role.id().into(),
        })
        .name(policy_name),
    )
}

/// Attaches the AWS managed policy `aws_policy` (e.g. `service-role/X`) to `role`, with the
/// ARN in the stack's partition.
#[track_caller]
pub(crate) fn attach_aws_managed(
    stack: &mut Stack,
    name: &str,
    role: &Handle<IamRole>,
    aws_policy: &str,
) -> Handle<IamRolePolicyAttachment> {
    let partition = stack.add_shared("current", DataPartition::new());
    stack.add(
        name,
        IamRolePolicyAttachment::new(IamRolePolicyAttachmentArgs {
            policy_arn: oxiform_core::template!(
                "arn:{}:iam::aws:policy/{}",
                partition.partition(),
                aws_policy
            )
            .into(),
            role: role.name().into(),
        }),
    )
}
