//! The resource types that hold data: destroying one loses what it stores (objects, rows,
//! files, messages, keys, secrets, images, backups), so creating it again under another
//! address is no substitute for renaming it. `plan` and `apply` refuse a plan that destroys
//! one of these while creating an equal one of its type elsewhere unless told otherwise (the
//! command line's rename guard); the same holds for any resource written with
//! `prevent_destroy`.
//!
//! Every type is named through its generated type's `TYPE` constant, so a misspelled type
//! cannot compile.
//!
//! ```
//! use oxiform_analysis::stateful::is_stateful;
//! assert!(is_stateful("aws_s3_bucket"));
//! assert!(is_stateful("aws_dynamodb_table"));
//! assert!(!is_stateful("aws_iam_role")); // configuration: made again as it was
//! ```

use oxiform_aws::{
    backup, cloudwatch, docdb, docdbelastic, dsql, dynamodb, ec2, ecr, efs, elasticache,
    elasticsearch, fsx, glacier, kafka, keyspaces, kinesis, kms, memorydb, mq, neptune, opensearch,
    qldb, rds, redshift, redshiftserverless, s3, s3tables, secretsmanager, sqs, timestreamwrite,
};
use oxiform_core::Resource;

/// Every stateful managed resource type, by service, and why it is one where it is not
/// obvious, sorted by type name.
pub const STATEFUL_TYPES: &[&str] = &[
    backup::BackupVault::TYPE,            // recovery points
    cloudwatch::CloudwatchLogGroup::TYPE, // the log events
    rds::DbClusterSnapshot::TYPE,
    rds::DbInstance::TYPE,
    rds::DbSnapshot::TYPE,
    docdb::DocdbCluster::TYPE,
    docdb::DocdbGlobalCluster::TYPE,
    docdbelastic::DocdbelasticCluster::TYPE,
    dsql::DsqlCluster::TYPE,
    dynamodb::DynamodbGlobalTable::TYPE,
    dynamodb::DynamodbTable::TYPE,
    ec2::EbsSnapshot::TYPE,
    ec2::EbsVolume::TYPE,
    ecr::EcrRepository::TYPE, // the images
    efs::EfsFileSystem::TYPE,
    elasticache::ElasticacheCluster::TYPE,
    elasticache::ElasticacheGlobalReplicationGroup::TYPE,
    elasticache::ElasticacheReplicationGroup::TYPE,
    elasticache::ElasticacheServerlessCache::TYPE,
    elasticsearch::ElasticsearchDomain::TYPE,
    fsx::FsxLustreFileSystem::TYPE,
    fsx::FsxOntapFileSystem::TYPE,
    fsx::FsxOpenzfsFileSystem::TYPE,
    fsx::FsxWindowsFileSystem::TYPE,
    glacier::GlacierVault::TYPE,
    keyspaces::KeyspacesKeyspace::TYPE,
    keyspaces::KeyspacesTable::TYPE,
    kinesis::KinesisStream::TYPE, // records not yet read
    kms::KmsKey::TYPE,            // what it encrypted cannot be read without it
    memorydb::MemorydbCluster::TYPE,
    mq::MqBroker::TYPE, // queued messages
    kafka::MskCluster::TYPE,
    neptune::NeptuneCluster::TYPE,
    neptune::NeptuneGlobalCluster::TYPE,
    opensearch::OpensearchDomain::TYPE,
    qldb::QldbLedger::TYPE,
    rds::RdsCluster::TYPE,
    rds::RdsGlobalCluster::TYPE,
    redshift::RedshiftCluster::TYPE,
    redshiftserverless::RedshiftserverlessNamespace::TYPE,
    s3::S3Bucket::TYPE,
    s3::S3DirectoryBucket::TYPE,
    s3tables::S3tablesTableBucket::TYPE,
    secretsmanager::SecretsmanagerSecret::TYPE, // the secret's versions
    sqs::SqsQueue::TYPE,                        // queued messages
    timestreamwrite::TimestreamwriteDatabase::TYPE,
    timestreamwrite::TimestreamwriteTable::TYPE,
];

/// Whether destroying a resource of `type_name` loses data ([`STATEFUL_TYPES`]).
pub fn is_stateful(type_name: &str) -> bool {
    STATEFUL_TYPES.contains(&type_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_each_type_once() {
        let mut sorted = STATEFUL_TYPES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted, STATEFUL_TYPES,
            "keep STATEFUL_TYPES sorted by type name"
        );
        assert!(STATEFUL_TYPES.iter().all(|t| is_stateful(t)));
        assert!(!is_stateful("aws_s3_bucket_policy"));
    }
}
