//! The response cache: ElastiCache Redis (replication group, parameter group with LRU
//! eviction, subnet group, security group), encrypted at rest and in transit by default.
//! Same question, same answer: the router keys responses by tier, prompt and parameters.
//!
//! Clients take the cache as [`CacheValues`]: from the handles in the same stack
//! ([`CacheHandles::values`]) or from the cache stack's exports in another stack of an app
//! ([`CacheValues::export`]). The rule that lets a client in ([`CacheValues::allow_from`])
//! lives with the client: it names the cache's security group by id, which Terraform
//! accepts from any stack.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::cache::ResponseCache;
//! use oxiform_patterns::network::PrivateNetwork;
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .add(&mut stack, "main");
//! let cache = ResponseCache::new("ai-response-cache").add(&mut stack, "ai", &net.values());
//! assert_eq!(cache.member_ids().len(), 2);
//! ```

use crate::network::NetworkValues;
use oxiform_aws::elasticache::elasticache_parameter_group::{Parameter, ParameterArgs};
use oxiform_aws::elasticache::{
    ElasticacheParameterGroup, ElasticacheParameterGroupArgs, ElasticacheReplicationGroup,
    ElasticacheReplicationGroupArgs, ElasticacheSubnetGroup, ElasticacheSubnetGroupArgs,
};
use oxiform_aws::vpc::{
    SecurityGroup, VpcSecurityGroupIngressRule, VpcSecurityGroupIngressRuleArgs,
};
use oxiform_core::stack::{Output, Stack};
use oxiform_core::value::{Expr, Value};
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
    /// The security group clients must be allowed through (see [`CacheValues::allow_from`]).
    pub security_group: Handle<SecurityGroup>,
    num_cache_clusters: u32,
}

/// What a client needs of the cache, as values: its replication group's id, its URL and its
/// security group. Built from the handles in the cache's own stack
/// ([`CacheHandles::values`]) or, in another stack of an app, from the cache stack's exports
/// ([`CacheValues::export`]).
#[derive(Debug, Clone)]
pub struct CacheValues {
    /// The replication group's id.
    pub group_id: Expr<String>,
    /// The URL clients connect to: `rediss://` (TLS) on the primary endpoint.
    pub url: Expr<String>,
    /// The security group clients must be allowed through ([`CacheValues::allow_from`]).
    pub security_group_id: Expr<String>,
    /// How many cache clusters the group has (known when the program runs).
    pub num_cache_clusters: u32,
}

impl CacheValues {
    /// The member clusters' ids (`<group>-001`, `<group>-002`, …): CloudWatch publishes
    /// `CacheHitRate` per `CacheClusterId`, not per replication group.
    pub fn member_ids(&self) -> Vec<Expr<String>> {
        (1..=self.num_cache_clusters)
            .map(|i| template!("{}-{}", self.group_id.clone(), format!("{i:03}")))
            .collect()
    }

    /// Lets members of the security group `client` reach Redis: an ingress rule on the
    /// cache's security group, added to `stack` (the client's: the rule comes and goes with
    /// the client).
    #[track_caller]
    pub fn allow_from(&self, stack: &mut Stack, name: &str, client: impl Into<Value<String>>) {
        stack.add(
            name,
            VpcSecurityGroupIngressRule::new(VpcSecurityGroupIngressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: self.security_group_id.clone().into(),
            })
            .from_port(i64::from(REDIS_PORT))
            .to_port(i64::from(REDIS_PORT))
            .referenced_security_group_id(client)
            .description("Redis from the router"),
        );
    }

    /// Exports the values from the cache's stack for the other stacks of its app: writes
    /// the outputs `<name>_group_id`, `<name>_url` and `<name>_security_group_id` into
    /// `stack` and returns the same values read from them. Use the returned values only in
    /// other stacks of the app.
    #[track_caller]
    pub fn export(&self, stack: &mut Stack, name: &str) -> CacheValues {
        let mut export = |field: &str, value: &Expr<String>| {
            stack
                .export(&format!("{name}_{field}"), Output::new(value.clone()))
                .value()
        };
        CacheValues {
            group_id: export("group_id", &self.group_id),
            url: export("url", &self.url),
            security_group_id: export("security_group_id", &self.security_group_id),
            num_cache_clusters: self.num_cache_clusters,
        }
    }
}

impl CacheHandles {
    /// The member clusters' ids (`<group>-001`, `<group>-002`, …): CloudWatch publishes
    /// `CacheHitRate` per `CacheClusterId`, not per replication group.
    pub fn member_ids(&self) -> Vec<Expr<String>> {
        self.values().member_ids()
    }

    /// The URL clients connect to: `rediss://` (TLS) on the primary endpoint.
    pub fn url(&self) -> Expr<String> {
        template!(
            "rediss://{}:{}",
            self.group.primary_endpoint_address(),
            REDIS_PORT.to_string()
        )
    }

    /// The cache as values, for clients in the same stack.
    pub fn values(&self) -> CacheValues {
        CacheValues {
            group_id: self.group.id(),
            url: self.url(),
            security_group_id: self.security_group.id(),
            num_cache_clusters: self.num_cache_clusters,
        }
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
    pub fn add(self, stack: &mut Stack, name: &str, network: &NetworkValues) -> CacheHandles {
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
                subnet_ids: network.subnet_ids.clone(),
            })
            .description("Private subnets of the response cache"),
        );
        let security_group = stack.add(
            &format!("{name}_cache"),
            SecurityGroup::new()
                .name(format!("{}-cache", self.id))
                .description("Redis response cache")
                .vpc_id(network.vpc_id.clone()),
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
