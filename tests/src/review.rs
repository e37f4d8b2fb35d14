//! The stack the review tests change one thing at a time: a GPU instance, a log bucket and a
//! response cache, in us-east-1 (the region of `analysis/data/prices.json`).

use oxiform::aws::ec2::Instance;
use oxiform::aws::elasticache::{ElasticacheReplicationGroup, ElasticacheReplicationGroupArgs};
use oxiform::aws::s3::S3Bucket;
use oxiform::prelude::*;

/// What varies between the base and the head of a review.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The GPU instance's `instance_type`.
    pub instance_type: String,
    /// The name the log bucket is added under (its address: `aws_s3_bucket.<bucket>`).
    pub bucket: String,
    /// Whether the cache encrypts at rest and in transit (the policy's OXI-CACHE rules).
    pub cache_encrypted: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            instance_type: "g5.xlarge".into(),
            bucket: "logs".into(),
            cache_encrypted: true,
        }
    }
}

impl Spec {
    /// Reads `instance_type`, `bucket` and `cache_encrypted` from a JSON object; absent keys
    /// keep the default.
    pub fn from_json(text: &str) -> anyhow::Result<Spec> {
        let v: serde_json::Value = serde_json::from_str(text)?;
        let mut spec = Spec::default();
        if let Some(t) = v.get("instance_type").and_then(|x| x.as_str()) {
            spec.instance_type = t.to_owned();
        }
        if let Some(b) = v.get("bucket").and_then(|x| x.as_str()) {
            spec.bucket = b.to_owned();
        }
        if let Some(e) = v.get("cache_encrypted").and_then(|x| x.as_bool()) {
            spec.cache_encrypted = e;
        }
        Ok(spec)
    }
}

/// The stack `demo` as `spec` describes it.
pub fn stack(spec: &Spec) -> Stack {
    let mut stack = Stack::new("demo");
    stack.provider(AwsProvider::new("us-east-1"));
    stack.add(
        "gpu",
        Instance::new()
            .ami("ami-0123456789abcdef0")
            .instance_type(spec.instance_type.as_str()),
    );
    stack.add(&spec.bucket, S3Bucket::new().bucket("acme-inference-logs"));
    let encrypted = spec.cache_encrypted;
    stack.add(
        "cache",
        ElasticacheReplicationGroup::new(ElasticacheReplicationGroupArgs {
            description: "response cache".into(),
            replication_group_id: "acme-cache".into(),
        })
        .node_type("cache.t4g.micro")
        .num_cache_clusters(1)
        .at_rest_encryption_enabled(if encrypted { "true" } else { "false" })
        .transit_encryption_enabled(encrypted),
    );
    stack
}
