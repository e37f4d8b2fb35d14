//! The resource types cost and policy name that `oxiform-aws` does not generate yet.
//!
//! A type the provider crate generates is named through its `TYPE` constant, e.g.
//! `SagemakerEndpoint::TYPE` with [`oxiform_core::Resource`] in scope, so that a misspelled
//! type cannot compile (a string that names no type would match nothing, silently). The
//! types below have no generated Rust type today: their names are literals, kept here and
//! nowhere else in the crate's code. When the generator covers one, replace its literal with
//! the generated type's `TYPE` (the constant's name stays). The service prefixes at the end
//! match whole families of types.

// Managed resources.
pub(crate) const CLOUDWATCH_COMPOSITE_ALARM: &str = "aws_cloudwatch_composite_alarm";
pub(crate) const CLOUDWATCH_EVENT_RULE: &str = "aws_cloudwatch_event_rule";
pub(crate) const CLOUDWATCH_EVENT_TARGET: &str = "aws_cloudwatch_event_target";
pub(crate) const DB_INSTANCE: &str = "aws_db_instance";
pub(crate) const DEFAULT_ROUTE_TABLE: &str = "aws_default_route_table";
pub(crate) const DEFAULT_SECURITY_GROUP: &str = "aws_default_security_group";
pub(crate) const DYNAMODB_TABLE: &str = "aws_dynamodb_table";
pub(crate) const ECR_REPOSITORY: &str = "aws_ecr_repository";
pub(crate) const ECS_CLUSTER: &str = "aws_ecs_cluster";
pub(crate) const ECS_SERVICE: &str = "aws_ecs_service";
pub(crate) const ECS_TASK_DEFINITION: &str = "aws_ecs_task_definition";
pub(crate) const EFS_FILE_SYSTEM: &str = "aws_efs_file_system";
pub(crate) const EGRESS_ONLY_INTERNET_GATEWAY: &str = "aws_egress_only_internet_gateway";
pub(crate) const EIP: &str = "aws_eip";
pub(crate) const ELASTICACHE_CLUSTER: &str = "aws_elasticache_cluster";
pub(crate) const ELASTICACHE_SERVERLESS_CACHE: &str = "aws_elasticache_serverless_cache";
pub(crate) const IAM_ACCESS_KEY: &str = "aws_iam_access_key";
pub(crate) const IAM_GROUP_POLICY: &str = "aws_iam_group_policy";
pub(crate) const IAM_POLICY: &str = "aws_iam_policy";
pub(crate) const IAM_USER: &str = "aws_iam_user";
pub(crate) const IAM_USER_POLICY: &str = "aws_iam_user_policy";
pub(crate) const INSTANCE: &str = "aws_instance";
pub(crate) const INTERNET_GATEWAY: &str = "aws_internet_gateway";
pub(crate) const KMS_KEY: &str = "aws_kms_key";
pub(crate) const LAMBDA_ALIAS: &str = "aws_lambda_alias";
pub(crate) const LAUNCH_TEMPLATE: &str = "aws_launch_template";
pub(crate) const LB: &str = "aws_lb";
pub(crate) const LB_TARGET_GROUP: &str = "aws_lb_target_group";
pub(crate) const MAIN_ROUTE_TABLE_ASSOCIATION: &str = "aws_main_route_table_association";
pub(crate) const NAT_GATEWAY: &str = "aws_nat_gateway";
pub(crate) const NETWORK_ACL: &str = "aws_network_acl";
pub(crate) const NETWORK_ACL_RULE: &str = "aws_network_acl_rule";
pub(crate) const RDS_CLUSTER: &str = "aws_rds_cluster";
pub(crate) const ROUTE: &str = "aws_route";
pub(crate) const SAGEMAKER_NOTEBOOK_INSTANCE: &str = "aws_sagemaker_notebook_instance";
pub(crate) const SECRETSMANAGER_SECRET: &str = "aws_secretsmanager_secret";
pub(crate) const SECURITY_GROUP_RULE: &str = "aws_security_group_rule";
pub(crate) const SQS_QUEUE: &str = "aws_sqs_queue";
pub(crate) const SSM_PARAMETER: &str = "aws_ssm_parameter";
pub(crate) const VPC_DHCP_OPTIONS: &str = "aws_vpc_dhcp_options";
pub(crate) const VPC_DHCP_OPTIONS_ASSOCIATION: &str = "aws_vpc_dhcp_options_association";

// Data sources.
pub(crate) const DATA_IAM_POLICY_DOCUMENT: &str = "aws_iam_policy_document";

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

/// Every literal above: the tests check that each is a type name and that no generated type
/// has it yet (then its `TYPE` must replace the literal).
#[cfg(test)]
pub(crate) const LITERALS: &[&str] = &[
    CLOUDWATCH_COMPOSITE_ALARM,
    CLOUDWATCH_EVENT_RULE,
    CLOUDWATCH_EVENT_TARGET,
    DB_INSTANCE,
    DEFAULT_ROUTE_TABLE,
    DEFAULT_SECURITY_GROUP,
    DYNAMODB_TABLE,
    ECR_REPOSITORY,
    ECS_CLUSTER,
    ECS_SERVICE,
    ECS_TASK_DEFINITION,
    EFS_FILE_SYSTEM,
    EGRESS_ONLY_INTERNET_GATEWAY,
    EIP,
    ELASTICACHE_CLUSTER,
    ELASTICACHE_SERVERLESS_CACHE,
    IAM_ACCESS_KEY,
    IAM_GROUP_POLICY,
    IAM_POLICY,
    IAM_USER,
    IAM_USER_POLICY,
    INSTANCE,
    INTERNET_GATEWAY,
    KMS_KEY,
    LAMBDA_ALIAS,
    LAUNCH_TEMPLATE,
    LB,
    LB_TARGET_GROUP,
    MAIN_ROUTE_TABLE_ASSOCIATION,
    NAT_GATEWAY,
    NETWORK_ACL,
    NETWORK_ACL_RULE,
    RDS_CLUSTER,
    ROUTE,
    SAGEMAKER_NOTEBOOK_INSTANCE,
    SECRETSMANAGER_SECRET,
    SECURITY_GROUP_RULE,
    SQS_QUEUE,
    SSM_PARAMETER,
    VPC_DHCP_OPTIONS,
    VPC_DHCP_OPTIONS_ASSOCIATION,
    DATA_IAM_POLICY_DOCUMENT,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    use oxiform_aws::{s3, sagemaker, vpc};
    use oxiform_core::Resource;

    /// Every type `oxiform-aws` generates, read from the `TYPE` constants in its sources, so
    /// that the list grows with the generator.
    fn generated() -> BTreeSet<String> {
        fn scan(dir: &Path, found: &mut BTreeSet<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.is_dir() {
                    scan(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for line in text.lines().filter(|l| l.contains("const TYPE: &")) {
                        if let Some(name) = line.split('"').nth(1) {
                            found.insert(name.to_owned());
                        }
                    }
                }
            }
        }
        let mut found = BTreeSet::new();
        scan(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../aws/src"),
            &mut found,
        );
        // The scan reads what the compiler reads.
        for t in [
            sagemaker::SagemakerEndpoint::TYPE,
            vpc::VpcEndpoint::TYPE,
            s3::S3Bucket::TYPE,
        ] {
            assert!(found.contains(t), "the scan of aws/src missed {t}");
        }
        found
    }

    #[test]
    fn literals_are_type_names_that_no_generated_type_has() {
        let generated = generated();
        let mut seen = BTreeSet::new();
        for t in LITERALS {
            let rest = t.strip_prefix(AWS_PREFIX).unwrap_or_default();
            assert!(
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{t} is not a resource type name"
            );
            assert!(seen.insert(t), "{t} is listed twice");
            assert!(
                !generated.contains(*t),
                "{t} is generated now: name it by its generated type's TYPE in \
                 analysis/src/types.rs"
            );
        }
    }

    #[test]
    fn prefixes_name_families_of_known_types() {
        let generated = generated();
        for prefix in [IAM_PREFIX, APPAUTOSCALING_PREFIX, ELASTICACHE_PREFIX] {
            assert!(
                generated.iter().any(|t| t.starts_with(prefix)),
                "{prefix} matches no generated type"
            );
        }
        assert!(S3_BUCKET_PREFIX.starts_with(s3::S3Bucket::TYPE));
    }
}
