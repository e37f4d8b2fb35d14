//! Resource types that cost and policy name beyond those they import where they use them.
//!
//! Every type is named through its generated type's `TYPE` constant (with
//! [`oxiform_core::Resource`] in scope), so a misspelled type cannot compile: a string that
//! names no type would match nothing, silently. Only the service prefixes at the end are
//! literals: they match whole families of types, and a test checks each matches some.

use oxiform_core::Resource;

// Managed resources.
pub(crate) const CLOUDWATCH_COMPOSITE_ALARM: &str =
    <oxiform_aws::cloudwatch::CloudwatchCompositeAlarm as Resource>::TYPE;
pub(crate) const CLOUDWATCH_EVENT_RULE: &str =
    <oxiform_aws::cloudwatch::CloudwatchEventRule as Resource>::TYPE;
pub(crate) const CLOUDWATCH_EVENT_TARGET: &str =
    <oxiform_aws::cloudwatch::CloudwatchEventTarget as Resource>::TYPE;
pub(crate) const DEFAULT_ROUTE_TABLE: &str =
    <oxiform_aws::vpc::DefaultRouteTable as Resource>::TYPE;
pub(crate) const DEFAULT_SECURITY_GROUP: &str =
    <oxiform_aws::vpc::DefaultSecurityGroup as Resource>::TYPE;
pub(crate) const EGRESS_ONLY_INTERNET_GATEWAY: &str =
    <oxiform_aws::vpc::EgressOnlyInternetGateway as Resource>::TYPE;
pub(crate) const ELASTICACHE_CLUSTER: &str =
    <oxiform_aws::elasticache::ElasticacheCluster as Resource>::TYPE;
pub(crate) const ELASTICACHE_SERVERLESS_CACHE: &str =
    <oxiform_aws::elasticache::ElasticacheServerlessCache as Resource>::TYPE;
pub(crate) const IAM_ACCESS_KEY: &str = <oxiform_aws::iam::IamAccessKey as Resource>::TYPE;
pub(crate) const IAM_GROUP_POLICY: &str = <oxiform_aws::iam::IamGroupPolicy as Resource>::TYPE;
pub(crate) const IAM_POLICY: &str = <oxiform_aws::iam::IamPolicy as Resource>::TYPE;
pub(crate) const IAM_USER_POLICY: &str = <oxiform_aws::iam::IamUserPolicy as Resource>::TYPE;
pub(crate) const INSTANCE: &str = <oxiform_aws::ec2::Instance as Resource>::TYPE;
pub(crate) const INTERNET_GATEWAY: &str = <oxiform_aws::vpc::InternetGateway as Resource>::TYPE;
pub(crate) const LAMBDA_ALIAS: &str = <oxiform_aws::lambda::LambdaAlias as Resource>::TYPE;
pub(crate) const MAIN_ROUTE_TABLE_ASSOCIATION: &str =
    <oxiform_aws::vpc::MainRouteTableAssociation as Resource>::TYPE;
pub(crate) const NAT_GATEWAY: &str = <oxiform_aws::vpc::NatGateway as Resource>::TYPE;
pub(crate) const NETWORK_ACL: &str = <oxiform_aws::vpc::NetworkAcl as Resource>::TYPE;
pub(crate) const NETWORK_ACL_RULE: &str = <oxiform_aws::vpc::NetworkAclRule as Resource>::TYPE;
pub(crate) const ROUTE: &str = <oxiform_aws::vpc::Route as Resource>::TYPE;
pub(crate) const SECURITY_GROUP_RULE: &str =
    <oxiform_aws::vpc::SecurityGroupRule as Resource>::TYPE;
pub(crate) const SSM_PARAMETER: &str = <oxiform_aws::ssm::SsmParameter as Resource>::TYPE;
pub(crate) const VPC_DHCP_OPTIONS: &str = <oxiform_aws::vpc::VpcDhcpOptions as Resource>::TYPE;
pub(crate) const VPC_DHCP_OPTIONS_ASSOCIATION: &str =
    <oxiform_aws::vpc::VpcDhcpOptionsAssociation as Resource>::TYPE;

// Data sources.
pub(crate) const DATA_IAM_POLICY_DOCUMENT: &str =
    <oxiform_aws::iam::DataIamPolicyDocument as Resource>::TYPE;

// Service prefixes: every type of a family.
/// Any AWS type.
pub(crate) const AWS_PREFIX: &str = "aws_";
/// IAM's types (roles, policies, users, attachments…), none of which is charged.
pub(crate) const IAM_PREFIX: &str = "aws_iam_";
/// The bucket's satellite types (`aws_s3_bucket_versioning`, `…_policy`, …).
pub(crate) const S3_BUCKET_PREFIX: &str = "aws_s3_bucket_";
/// Application Auto Scaling's types (target, policy, scheduled action).
pub(crate) const APPAUTOSCALING_PREFIX: &str = "aws_appautoscaling_";
/// ElastiCache's types (replication group, cluster, serverless cache, …).
pub(crate) const ELASTICACHE_PREFIX: &str = "aws_elasticache_";

#[cfg(test)]
mod tests {
    use super::*;

    use oxiform_aws::{appautoscaling, elasticache, iam, s3};

    #[test]
    fn prefixes_name_families_of_generated_types() {
        assert!(iam::IamRole::TYPE.starts_with(IAM_PREFIX));
        assert!(appautoscaling::AppautoscalingTarget::TYPE.starts_with(APPAUTOSCALING_PREFIX));
        assert!(elasticache::ElasticacheReplicationGroup::TYPE.starts_with(ELASTICACHE_PREFIX));
        assert!(s3::S3BucketPolicy::TYPE.starts_with(S3_BUCKET_PREFIX));
        assert!(S3_BUCKET_PREFIX.starts_with(s3::S3Bucket::TYPE));
        assert!(IAM_PREFIX.starts_with(AWS_PREFIX));
    }
}
