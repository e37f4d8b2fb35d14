//! The response cache: ElastiCache Redis (replication group, parameter group with LRU
//! eviction, subnet group, security group), encrypted at rest and in transit by default.
//! Same question, same answer: the router keys responses by tier, prompt and parameters.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::cache::ResponseCache;
//! use oxiform_patterns::network::PrivateNetwork;
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .add(&mut stack, "main");
//! let cache = ResponseCache::new("ai-response-cache").add(&mut stack, "ai", &net);
//! assert_eq!(cache.member_ids().len(), 2);
//! ```

use crate::network::NetworkHandles;
use oxiform_aws::elasticache::elasticache_parameter_group::{Parameter, ParameterArgs};
use oxiform_aws::elasticache::{
    ElasticacheParameterGroup, ElasticacheParameterGroupArgs, ElasticacheReplicationGroup,
    ElasticacheReplicationGroupArgs, ElasticacheSubnetGroup, ElasticacheSubnetGroupArgs,
};
use oxiform_aws::vpc::{
    SecurityGroup, VpcSecurityGroupIngressRule, VpcSecurityGroupIngressRuleArgs,
};
use oxiform_core::stack::Stack;
use oxiform_core::value::Expr;
use oxiform_core::{template, Handle};

/// The Redis port.
pub const REDIS_PORT: u16 = 6379;

/// A Redis response cache.
#[must_use = "call `.add(&mut stack, name, &network)`"]
#[derive(Debug, Clone)]
pub struct ResponseCache {
    id: String,
    node_type: String,
    num_cache_clusters: u32,
    engine_version: String,
    encrypted: bool,
}

/// What [`ResponseCache::add`] created.
#[derive(Debug, Clone)]
pub struct CacheHandles {
    /// The replication group.
    pub group: Handle<ElasticacheReplicationGroup>,
    /// The security group clients must be allowed through (see [`CacheHandles::allow_from`]).
    pub security_group: Handle<SecurityGroup>,
    num_cache_clusters: u32,
}

impl CacheHandles {
    /// The member clusters' ids (`<group>-001`, `<group>-002`, …): CloudWatch publishes
    /// `CacheHitRate` per `CacheClusterId`, not per replication group.
    pub fn member_ids(&self) -> Vec<Expr<String>> {
        (1..=self.num_cache_clusters)
            .map(|i| template!("{}-{}", self.group.id(), format!("{i:03}")))
            .collect()
    }

    /// The URL clients connect to: `rediss://` (TLS) on the primary endpoint.
    pub fn url(&self) -> Expr<String> {
        template!(
            "rediss://{}:{}",
            self.group.primary_endpoint_address(),
            REDIS_PORT.to_string()
        )
    }

    /// Lets members of `client` security group reach Redis.
    #[track_caller]
    pub fn allow_from(&self, stack: &mut Stack, name: &str, client: &Handle<SecurityGroup>) {
        stack.add(
            name,
            VpcSecurityGroupIngressRule::new(VpcSecurityGroupIngressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: self.security_group.id().into(),
            })
            .from_port(i64::from(REDIS_PORT))
            .to_port(i64::from(REDIS_PORT))
            .referenced_security_group_id(client.id())
            .description("Redis from the router"),
        );
    }
}

impl ResponseCache {
    /// A cache called `id` (the replication group id): `cache.r6g.large`, Redis 7.1, two
    /// cache clusters (primary and replica), encrypted at rest and in transit.
    pub fn new(id: &str) -> Self {
        ResponseCache {
            id: id.to_owned(),
            node_type: "cache.r6g.large".to_owned(),
            num_cache_clusters: 2,
            engine_version: "7.1".to_owned(),
            encrypted: true,
        }
    }
    /// Node type (`cache.*`).
    pub fn node_type(mut self, node_type: &str) -> Self {
        self.node_type = node_type.to_owned();
        self
    }
    /// Cache clusters: 1 (no replica) or more (automatic failover and Multi-AZ on).
    pub fn num_cache_clusters(mut self, n: u32) -> Self {
        self.num_cache_clusters = n;
        self
    }
    /// Redis engine version (the parameter group family follows the major version).
    pub fn engine_version(mut self, version: &str) -> Self {
        self.engine_version = version.to_owned();
        self
    }
    /// Turns encryption at rest and in transit off. Do not: prompts and answers may hold
    /// personal data. Exists for emulators that cannot do TLS.
    pub fn without_encryption(mut self) -> Self {
        self.encrypted = false;
        self
    }

    /// Adds the parameter group (`allkeys-lru`: evict least recently used answers when
    /// memory is full), subnet group, security group and replication group.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str, network: &NetworkHandles) -> CacheHandles {
        let major = self.engine_version.split('.').next().unwrap_or("7");
        let params = stack.add(
            name,
            ElasticacheParameterGroup::new(ElasticacheParameterGroupArgs {
                family: format!("redis{major}").into(),
                name: format!("{}-params", self.id).into(),
            })
            .description("Response cache: evict least recently used keys")
            .parameter(Parameter::new(ParameterArgs {
                name: "maxmemory-policy".into(),
                value: "allkeys-lru".into(),
            })),
        );
        let subnets = stack.add(
            name,
            ElasticacheSubnetGroup::new(ElasticacheSubnetGroupArgs {
                name: format!("{}-subnets", self.id).into(),
                subnet_ids: network.subnet_ids(),
            })
            .description("Private subnets of the response cache"),
        );
        let security_group = stack.add(
            &format!("{name}_cache"),
            SecurityGroup::new()
                .name(format!("{}-cache", self.id))
                .description("Redis response cache")
                .vpc_id(network.vpc.id()),
        );
        let replicated = self.num_cache_clusters > 1;
        let group = stack.add(
            name,
            ElasticacheReplicationGroup::new(ElasticacheReplicationGroupArgs {
                description: "Cache for AI model responses".into(),
                replication_group_id: self.id.as_str().into(),
            })
            .engine("redis")
            .engine_version(self.engine_version.as_str())
            .node_type(self.node_type.as_str())
            .num_cache_clusters(i64::from(self.num_cache_clusters))
            .automatic_failover_enabled(replicated)
            .multi_az_enabled(replicated)
            .port(i64::from(REDIS_PORT))
            .parameter_group_name(params.name())
            .subnet_group_name(subnets.name())
            .security_group_id(security_group.id())
            // The provider types this one as a string ("true"/"false").
            .at_rest_encryption_enabled(self.encrypted.to_string())
            .transit_encryption_enabled(self.encrypted),
        );
        CacheHandles {
            group,
            security_group,
            num_cache_clusters: self.num_cache_clusters,
        }
    }
}
