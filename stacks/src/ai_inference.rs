//! The cost-optimised AI inference stack of the seed article, one program for every
//! environment: model routing (small and large SageMaker endpoints, Bedrock fallback),
//! demand and schedule-based scaling, batch inference on real spot capacity, a Redis
//! response cache and a cost dashboard.
//!
//! Where the article is wrong, this builds what works instead:
//! * `aws_sagemaker_transform_job` does not exist in the AWS provider (a transform job is a
//!   run, not a resource): the weekly transform is a Step Functions state machine started by
//!   EventBridge Scheduler ([`ScheduledBatchTransform`]).
//! * SageMaker endpoints have no spot capacity: the article's `batch_spot` configuration is
//!   managed instance scaling, named for what it is ([`ManagedScalingVariant`]); real spot
//!   batch inference runs on AWS Batch ([`SpotBatchInference`]).
//! * A production variant cannot scale to 0 instances (Application Auto Scaling requires
//!   min ≥ 1; only inference components scale to zero): night capacity is min 1, max 1.
//! * GPU/CPU utilisation live in `/aws/sagemaker/Endpoints`, per endpoint *and* variant, and
//!   `CacheHitRate` per member node ([`CostDashboard`]).
//! * `anthropic.claude-3-5-sonnet` is not a Bedrock model id; the full id is configured.

use anyhow::Context;
use oxiform::asset::{deterministic_zip, read_dir_files};
use oxiform::aws::s3::S3Bucket;
use oxiform::patterns::batch::{ScheduledBatchTransform, SpotBatchInference};
use oxiform::patterns::cache::ResponseCache;
use oxiform::patterns::cost_dashboard::CostDashboard;
use oxiform::patterns::inference::{ExecutionRole, InferenceEndpoint, ManagedScalingVariant};
use oxiform::patterns::network::PrivateNetwork;
use oxiform::patterns::router::{RouterFunction, RouterTargets};
use oxiform::patterns::scaling::{ScalableVariant, ScheduledCapacity, TargetTracking};
use oxiform::prelude::*;
use oxiform::schedule::{Schedule, TimeZone};

use crate::config::{self, EnvConfig};

/// The AWS services the emulator environment points at its endpoint: every service this
/// stack uses.
pub const EMULATED_SERVICES: &[&str] = &[
    "applicationautoscaling",
    "batch",
    "cloudwatch",
    "ec2",
    "elasticache",
    "events",
    "iam",
    "lambda",
    "logs",
    "s3",
    "sagemaker",
    "scheduler",
    "sfn",
    "sns",
    "sts",
];

/// Where the `local` environment's AWS API emulator listens, unless
/// `OXIFORM_EMULATOR_URL` says otherwise.
pub const DEFAULT_EMULATOR_URL: &str = "http://127.0.0.1:5000";

/// `ai-inference-prod`: the article's numbers.
pub fn prod() -> anyhow::Result<Stack> {
    build("ai-inference-prod", &config::load("prod")?, None)
}

/// `ai-inference-dev`: the cheap variant.
pub fn dev() -> anyhow::Result<Stack> {
    build("ai-inference-dev", &config::load("dev")?, None)
}

/// `ai-inference-local`: the dev configuration against an AWS API emulator on loopback
/// (`OXIFORM_EMULATOR_URL`, default `http://127.0.0.1:5000`).
pub fn local() -> anyhow::Result<Stack> {
    let url =
        std::env::var("OXIFORM_EMULATOR_URL").unwrap_or_else(|_| DEFAULT_EMULATOR_URL.to_owned());
    build("ai-inference-local", &config::load("local")?, Some(&url))
}

fn schedule(expression: &str, what: &str) -> anyhow::Result<Schedule> {
    Schedule::parse(expression).with_context(|| format!("{what} schedule"))
}

/// Builds the stack `name` from an environment's configuration; `emulator` points the AWS
/// provider at an API emulator.
pub fn build(name: &str, c: &EnvConfig, emulator: Option<&str>) -> anyhow::Result<Stack> {
    let mut stack = Stack::new(name);
    let mut provider = AwsProvider::new(c.region.as_str());
    for (k, v) in &c.tags {
        provider = provider.default_tag(k, v.as_str());
    }
    if !c.account_ids.is_empty() {
        // Terraform's own guard, behind the CLI's STS check.
        provider = provider.allowed_account_ids(c.account_ids.clone());
    }
    if let Some(url) = emulator {
        provider = provider
            .static_credentials("test", "test")
            .emulator(url, EMULATED_SERVICES);
    }
    stack.provider(provider);
    stack.expect_account_ids(c.account_ids.iter().cloned());
    let p = c.name_prefix.as_str();
    let zone = TimeZone::parse(&c.schedule.timezone).context("schedule timezone")?;

    // Network: private subnets in two availability zones.
    let cidrs: Vec<&str> = c
        .network
        .private_subnet_cidrs
        .iter()
        .map(String::as_str)
        .collect();
    let network = PrivateNetwork::new(p, &c.network.vpc_cidr, &cidrs).add(&mut stack, "main");

    // Strategy 1: model routing — two tiers and a router.
    let role = ExecutionRole::new(&format!("{p}-sagemaker")).add(&mut stack, "sagemaker");
    let tier = |t: &config::ModelTier| {
        let mut e = InferenceEndpoint::new(&t.endpoint_name, &t.image, &t.instance_type)
            .instance_count(t.instance_count)
            .tier_tags(&t.tier_tag, &t.cost_tag);
        for (k, v) in &t.environment {
            e = e.environment(k, v);
        }
        if let Some(url) = &t.model_data_url {
            e = e.model_data_url(url);
        }
        e
    };
    let large = tier(&c.models.large).add(&mut stack, "large", &role);
    let small = tier(&c.models.small).add(&mut stack, "small", &role);

    // Strategy 2: scale by demand, and down at night.
    let scaling = &c.autoscaling;
    let target = ScalableVariant::new(
        large.endpoint.name(),
        large.variant_name,
        scaling.min_capacity,
        scaling.max_capacity,
    )
    .add(&mut stack, "large");
    TargetTracking::invocations_per_instance(scaling.target_invocations_per_instance)
        .cooldowns(
            scaling.scale_in_cooldown_seconds,
            scaling.scale_out_cooldown_seconds,
        )
        .add(&mut stack, "scale_on_invocations", &target);
    let night = &c.schedule.night;
    ScheduledCapacity::new(
        "night-scale-down",
        schedule(&night.cron, "night")?,
        night.min_capacity,
        night.max_capacity,
    )
    .timezone(zone.clone())
    .add(&mut stack, "night_scale_down", &target);
    let morning = &c.schedule.morning;
    ScheduledCapacity::new(
        "morning-scale-up",
        schedule(&morning.cron, "morning")?,
        morning.min_capacity,
        morning.max_capacity,
    )
    .timezone(zone.clone())
    .add(&mut stack, "morning_scale_up", &target);

    // Strategy 3: the article's "batch_spot" (managed scaling, not spot), real spot batch
    // inference on AWS Batch, and the weekly batch transform.
    let v = &c.batch_variant;
    ManagedScalingVariant::new(
        &format!("{p}-batch-managed-scaling"),
        &v.instance_type,
        v.min_instances,
        v.max_instances,
    )
    .add(&mut stack, "batch_managed_scaling", large.model.name());
    let data = stack.add(
        "batch_data",
        S3Bucket::new()
            .bucket(format!("{p}-batch-data"))
            .force_destroy(false),
    );
    let spot = &c.spot_batch;
    SpotBatchInference::new(p, &spot.image, schedule(&spot.schedule, "spot batch")?)
        .instance_types(spot.instance_types.iter().cloned())
        .max_vcpus(spot.max_vcpus)
        .job_resources(spot.job_vcpus, spot.job_memory_mib, spot.job_gpus)
        .timezone(zone.clone())
        .data_bucket(data.arn())
        .add(&mut stack, "spot_gpu", &network);
    let t = &c.batch_transform;
    ScheduledBatchTransform::new(
        p,
        schedule(&t.schedule, "batch transform")?,
        &t.instance_type,
    )
    .instance_count(t.instance_count)
    .timezone(zone)
    .add(
        &mut stack,
        "weekly_transform",
        large.model.name(),
        (data.bucket(), data.arn()),
    );

    // Strategy 4: cache repeated prompts.
    let cache = ResponseCache::new(&format!("{p}-response-cache"))
        .node_type(&c.cache.node_type)
        .num_cache_clusters(c.cache.num_cache_clusters)
        .engine_version(&c.cache.engine_version)
        .add(&mut stack, "ai", &network);

    // The router itself, packaged from stacks/router at synth.
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("router");
    let files = read_dir_files(&source)
        .with_context(|| format!("reading the router's source in {}", source.display()))?;
    let code = stack.add_asset("router.zip", deterministic_zip(&files));
    let router = RouterFunction::new(
        &format!("{p}-model-router"),
        code,
        &c.bedrock_fallback_model,
    )
    .thresholds(c.router.large_threshold, c.router.bedrock_threshold)
    .cache_ttl_seconds(c.cache.ttl_seconds)
    .sizing(c.router.timeout_seconds, c.router.memory_mb);
    let router_namespace = router.namespace().to_owned();
    let routed = router.add(
        &mut stack,
        "model_router",
        RouterTargets {
            small: &small.endpoint,
            large: &large.endpoint,
            network: &network,
            cache: &cache,
        },
    );

    // Watch cost.
    CostDashboard::new(&format!("{p}-cost-optimization"), network.region().name())
        .bedrock_model(&c.bedrock_fallback_model)
        .endpoint("large", large.endpoint, large.variant_name)
        .endpoint("small", small.endpoint, small.variant_name)
        .cache(&cache)
        .router_namespace(&router_namespace)
        .add(&mut stack, "ai_costs");

    stack.output(
        "router_url",
        Output::new(routed.url.function_url())
            .description("IAM-authenticated HTTPS endpoint of the model router"),
    );
    stack.output("large_endpoint", Output::new(large.endpoint.name()));
    stack.output("small_endpoint", Output::new(small.endpoint.name()));
    stack.output(
        "cache_primary_endpoint",
        Output::new(cache.group.primary_endpoint_address()),
    );
    Ok(stack)
}
