//! The cost-optimised AI inference architecture of the seed article, one program for every
//! environment: model routing (small and large SageMaker endpoints, Bedrock fallback),
//! demand and schedule-based scaling, batch inference on real spot capacity, a Redis
//! response cache and a cost dashboard.
//!
//! Each environment is an app of three stacks ([`prod_app`], [`dev_app`], [`local_app`];
//! [`APPS`] lists them), whose state lives in the S3 bucket of the environment's `state`
//! configuration (for `local`, on the emulator):
//!
//! * `<app>-network`: the VPC, its private subnets and every VPC endpoint the workloads use
//!   (the router's, [`router::ENDPOINT_SERVICES`], and AWS Batch's,
//!   [`batch::BATCH_ENDPOINT_SERVICES`], and the S3 gateway). It changes least and
//!   everything else runs inside it. Exports the VPC's id, the subnets' ids and the CIDR.
//! * `<app>-cache`: the ElastiCache response cache and its security group. It reads the
//!   network's subnets and VPC. It holds data and changes seldom, so a plan of the models
//!   or the router can never replace it. Exports the replication group's id, the URL and the
//!   security group's id.
//! * `<app>-inference`: everything that serves and changes often: the SageMaker models and
//!   endpoints, their scaling, batch inference, the router Lambda and the dashboard. The
//!   endpoints stay with the router: they change together and the router's policy names
//!   their ARNs, so a stack of their own would add exports and isolate nothing. It reads the
//!   network (VPC, subnets, CIDR) and the cache (URL, security group, group id); the rule
//!   that lets the router's function into the cache lives here too, on the cache's security
//!   group by id, so that it comes and goes with the router and the cache knows no client.
//!
//! So the order is a chain, network → cache → inference: the inference stack reads both
//! others and the cache reads the network, so no two of them can be planned in parallel,
//! and the app's graph says so.
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
use oxiform::aws::meta::DataRegion;
use oxiform::aws::s3::S3Bucket;
use oxiform::patterns::batch::{self, ScheduledBatchTransform, SpotBatchInference};
use oxiform::patterns::cache::{CacheValues, ResponseCache};
use oxiform::patterns::cost_dashboard::CostDashboard;
use oxiform::patterns::inference::{ExecutionRole, InferenceEndpoint, ManagedScalingVariant};
use oxiform::patterns::network::{NetworkValues, PrivateNetwork};
use oxiform::patterns::router::{self, RouterFunction, RouterTargets};
use oxiform::patterns::scaling::{ScalableVariant, ScheduledCapacity, TargetTracking};
use oxiform::prelude::*;
use oxiform::schedule::{Schedule, TimeZone};
use oxiform_bundle::{Architecture, PythonFunction};

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

/// Builds an environment's app.
pub type BuildApp = fn() -> anyhow::Result<App>;

/// Every environment's app: its name and its builder, for a stacks binary to register
/// (`AppDef::new(name, build)`).
pub const APPS: [(&str, BuildApp); 3] = [
    ("ai-inference-prod", prod_app),
    ("ai-inference-dev", dev_app),
    ("ai-inference-local", local_app),
];

/// `ai-inference-prod`: the article's numbers, in three stacks
/// (`ai-inference-prod-{network,cache,inference}`), state in S3.
pub fn prod_app() -> anyhow::Result<App> {
    build_app("ai-inference-prod", &config::load("prod")?, None)
}

/// `ai-inference-dev`: the cheap variant, in three stacks
/// (`ai-inference-dev-{network,cache,inference}`), state in S3.
pub fn dev_app() -> anyhow::Result<App> {
    build_app("ai-inference-dev", &config::load("dev")?, None)
}

/// `ai-inference-local`: the local configuration against an AWS API emulator on loopback
/// ([`emulator_url`]), in three stacks (`ai-inference-local-{network,cache,inference}`), state
/// in the emulator's S3.
pub fn local_app() -> anyhow::Result<App> {
    build_app(
        "ai-inference-local",
        &config::load("local")?,
        Some(&emulator_url()),
    )
}

/// The whole `prod` environment in one stack, `ai-inference-prod`: the form before apps,
/// kept only for callers that still take one stack (`stacks/cli`'s stack list,
/// `tests/suite/policy.rs`); use [`prod_app`].
pub fn prod() -> anyhow::Result<Stack> {
    build("ai-inference-prod", &config::load("prod")?, None)
}

/// The whole `dev` environment in one stack, `ai-inference-dev`: the form before apps, kept
/// only for callers that still take one stack; use [`dev_app`].
pub fn dev() -> anyhow::Result<Stack> {
    build("ai-inference-dev", &config::load("dev")?, None)
}

/// The whole `local` environment in one stack, `ai-inference-local`: the form before apps,
/// kept only for callers that still take one stack; use [`local_app`].
pub fn local() -> anyhow::Result<Stack> {
    build(
        "ai-inference-local",
        &config::load("local")?,
        Some(&emulator_url()),
    )
}

/// The AWS API emulator's URL: `OXIFORM_EMULATOR_URL`, or [`DEFAULT_EMULATOR_URL`]. The
/// `local` environment's provider and state backend both point there.
pub fn emulator_url() -> String {
    std::env::var("OXIFORM_EMULATOR_URL").unwrap_or_else(|_| DEFAULT_EMULATOR_URL.to_owned())
}

fn schedule(expression: &str, what: &str) -> anyhow::Result<Schedule> {
    Schedule::parse(expression).with_context(|| format!("{what} schedule"))
}

/// Builds the app `name` of an environment's configuration: the stacks `<name>-network`,
/// `<name>-cache` and `<name>-inference`, each reading the earlier ones' exports, with their
/// state in the configuration's S3 bucket; `emulator` points the AWS provider and the state
/// backend at an API emulator.
pub fn build_app(name: &str, c: &EnvConfig, emulator: Option<&str>) -> anyhow::Result<App> {
    let mut network = env_stack(&format!("{name}-network"), c, emulator);
    let net = add_network(&mut network, c).export(&mut network, "network");

    let mut cache = env_stack(&format!("{name}-cache"), c, emulator);
    let cached = add_cache(&mut cache, c, &net).export(&mut cache, "cache");

    let mut inference = env_stack(&format!("{name}-inference"), c, emulator);
    add_inference(&mut inference, c, &net, &cached)?;

    let mut app = App::new(name);
    let mut backend = AppBackend::s3(&c.state.bucket, &c.state.prefix, &c.state.region);
    if let Some(url) = emulator {
        backend = backend.emulator(url);
    }
    app.backend(backend);
    app.add(network);
    app.add(cache);
    app.add(inference);
    Ok(app)
}

/// Builds the whole environment in one stack called `name` (what [`build_app`] cuts into
/// three): the same resources, each pattern wired to the others' handles instead of
/// exports; `emulator` points the AWS provider at an API emulator.
pub fn build(name: &str, c: &EnvConfig, emulator: Option<&str>) -> anyhow::Result<Stack> {
    let mut stack = env_stack(name, c, emulator);
    let net = add_network(&mut stack, c);
    let cache = add_cache(&mut stack, c, &net);
    add_inference(&mut stack, c, &net, &cache)?;
    Ok(stack)
}

/// An empty stack with the environment's AWS provider (region, default tags, allowed
/// accounts; the emulator's endpoints when there is one).
fn env_stack(name: &str, c: &EnvConfig, emulator: Option<&str>) -> Stack {
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
    stack
}

/// The network: private subnets in two availability zones and the VPC endpoints of the
/// router and of AWS Batch.
fn add_network(stack: &mut Stack, c: &EnvConfig) -> NetworkValues {
    let cidrs: Vec<&str> = c
        .network
        .private_subnet_cidrs
        .iter()
        .map(String::as_str)
        .collect();
    PrivateNetwork::new(&c.name_prefix, &c.network.vpc_cidr, &cidrs)
        .interface_endpoints(router::ENDPOINT_SERVICES)
        .interface_endpoints(batch::BATCH_ENDPOINT_SERVICES)
        .s3_gateway_endpoint()
        .add(stack, "main")
        .values()
}

/// Strategy 4: cache repeated prompts.
fn add_cache(stack: &mut Stack, c: &EnvConfig, network: &NetworkValues) -> CacheValues {
    let cache = ResponseCache::new(&format!("{}-response-cache", c.name_prefix))
        .node_type(&c.cache.node_type)
        .num_cache_clusters(c.cache.num_cache_clusters)
        .engine_version(&c.cache.engine_version)
        .add(stack, "ai", network);
    stack.output(
        "cache_primary_endpoint",
        Output::new(cache.group.primary_endpoint_address()),
    );
    cache.values()
}

/// Strategies 1 to 3 and the dashboard: the endpoints, their scaling, batch inference, the
/// router (wired to `network` and `cache`, from this stack or another) and the dashboard.
fn add_inference(
    stack: &mut Stack,
    c: &EnvConfig,
    network: &NetworkValues,
    cache: &CacheValues,
) -> anyhow::Result<()> {
    let p = c.name_prefix.as_str();
    let zone = TimeZone::parse(&c.schedule.timezone).context("schedule timezone")?;

    // Strategy 1: model routing — two tiers and a router.
    let role = ExecutionRole::new(&format!("{p}-sagemaker")).add(stack, "sagemaker");
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
    let large = tier(&c.models.large).add(stack, "large", &role);
    let small = tier(&c.models.small).add(stack, "small", &role);

    // Strategy 2: scale by demand, and down at night.
    let scaling = &c.autoscaling;
    let target = ScalableVariant::new(
        large.endpoint.name(),
        large.variant_name,
        scaling.min_capacity,
        scaling.max_capacity,
    )
    .add(stack, "large");
    TargetTracking::invocations_per_instance(scaling.target_invocations_per_instance)
        .cooldowns(
            scaling.scale_in_cooldown_seconds,
            scaling.scale_out_cooldown_seconds,
        )
        .add(stack, "scale_on_invocations", &target);
    let night = &c.schedule.night;
    ScheduledCapacity::new(
        "night-scale-down",
        schedule(&night.cron, "night")?,
        night.min_capacity,
        night.max_capacity,
    )
    .timezone(zone.clone())
    .add(stack, "night_scale_down", &target);
    let morning = &c.schedule.morning;
    ScheduledCapacity::new(
        "morning-scale-up",
        schedule(&morning.cron, "morning")?,
        morning.min_capacity,
        morning.max_capacity,
    )
    .timezone(zone.clone())
    .add(stack, "morning_scale_up", &target);

    // Strategy 3: the article's "batch_spot" (managed scaling, not spot), real spot batch
    // inference on AWS Batch, and the weekly batch transform.
    let v = &c.batch_variant;
    ManagedScalingVariant::new(
        &format!("{p}-batch-managed-scaling"),
        &v.instance_type,
        v.min_instances,
        v.max_instances,
    )
    .add(stack, "batch_managed_scaling", large.model.name());
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
        .add(stack, "spot_gpu", network);
    let t = &c.batch_transform;
    ScheduledBatchTransform::new(
        p,
        schedule(&t.schedule, "batch transform")?,
        &t.instance_type,
    )
    .instance_count(t.instance_count)
    .timezone(zone)
    .add(
        stack,
        "weekly_transform",
        large.model.name(),
        (data.bucket(), data.arn()),
    );

    // The router itself: stacks/router with its locked requirements (redis-py), installed by
    // pip for the function's runtime once per inputs and cached under target/bundles.
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("router");
    let code = PythonFunction::new(&source)
        .requirements(source.join("requirements.lock"))
        .runtime(router::RUNTIME)
        .architecture(Architecture::X86_64)
        .add(stack, "router.zip")?;
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
        stack,
        "model_router",
        RouterTargets {
            small: small.values(),
            large: large.values(),
            network: network.clone(),
            cache: cache.clone(),
        },
    );

    // Watch cost.
    let region = stack.add_shared("current", DataRegion::new());
    CostDashboard::new(&format!("{p}-cost-optimization"), region.name())
        .bedrock_model(&c.bedrock_fallback_model)
        .endpoint("large", large.endpoint.name(), large.variant_name)
        .endpoint("small", small.endpoint.name(), small.variant_name)
        .cache(cache)
        .router_namespace(&router_namespace)
        .add(stack, "ai_costs");

    stack.output(
        "router_url",
        Output::new(routed.url.function_url())
            .description("IAM-authenticated HTTPS endpoint of the model router"),
    );
    stack.output("large_endpoint", Output::new(large.endpoint.name()));
    stack.output("small_endpoint", Output::new(small.endpoint.name()));
    Ok(())
}
