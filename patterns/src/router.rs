//! The router function: a Lambda that sends simple prompts to the small endpoint, complex
//! ones to the large endpoint and the hardest to Bedrock, with a Redis response cache.
//! Its role may invoke exactly the two endpoints and the one Bedrock model; it runs in the
//! VPC (to reach Redis) and reaches SageMaker Runtime and Bedrock Runtime through the
//! network's interface VPC endpoints ([`ENDPOINT_SERVICES`]), so no NAT gateway is needed.
//!
//! The router takes what it is wired to as values ([`RouterTargets`]): from handles in the
//! same stack, or from the exports of the network's, the cache's and the endpoints' stacks
//! when it lives in a stack of its own. What it adds goes into its own stack: its role,
//! security group and egress rules, the ingress rule that lets it into the cache (on the
//! cache's security group, by id), its log group, function and URL. The interface endpoints
//! belong to the network; a network without them is reported at synth.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_core::asset::deterministic_zip;
//! use oxiform_patterns::cache::ResponseCache;
//! use oxiform_patterns::inference::{ExecutionRole, InferenceEndpoint};
//! use oxiform_patterns::network::PrivateNetwork;
//! use oxiform_patterns::router::{self, RouterFunction, RouterTargets};
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .interface_endpoints(router::ENDPOINT_SERVICES)
//!     .add(&mut stack, "main")
//!     .values();
//! let role = ExecutionRole::new("demo-sagemaker").add(&mut stack, "sagemaker");
//! let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:2";
//! let small = InferenceEndpoint::new("small", image, "ml.g5.xlarge").add(&mut stack, "small", &role);
//! let large = InferenceEndpoint::new("large", image, "ml.g5.12xlarge").add(&mut stack, "large", &role);
//! let cache = ResponseCache::new("demo-cache").add(&mut stack, "cache", &net);
//! let code = stack.add_asset(
//!     "router.zip",
//!     deterministic_zip(&[("router.py".into(), b"def handler(e, c): pass\n".to_vec())]),
//! );
//! let router = RouterFunction::new("demo-router", code, "anthropic.claude-3-haiku-20240307-v1:0")
//!     .thresholds(40, 75)
//!     .add(&mut stack, "router", RouterTargets {
//!         small: small.values(),
//!         large: large.values(),
//!         network: net,
//!         cache: cache.values(),
//!     });
//! stack.output("url", Output::new(router.url.function_url()));
//! assert!(stack.synth().is_ok());
//! ```
//!
//! In an app, the same call in a stack of its own takes the other stacks' exports
//! (`NetworkValues::export`, `CacheValues::export`, `EndpointValues::export`) instead.

use std::panic::Location;

use crate::cache::{CacheValues, REDIS_PORT};
use crate::iam::{attach_aws_managed, inline_policy, service_role};
use crate::inference::EndpointValues;
use crate::network::{quoted, NetworkValues};
use oxiform_aws::cloudwatch::CloudwatchLogGroup;
use oxiform_aws::iam::IamRole;
use oxiform_aws::iam_policy::{actions, PolicyDocument, Statement};
use oxiform_aws::lambda::lambda_function::{Environment, VpcConfig, VpcConfigArgs};
use oxiform_aws::lambda::{
    LambdaFunction, LambdaFunctionArgs, LambdaFunctionUrl, LambdaFunctionUrlArgs,
};
use oxiform_aws::meta::{DataPartition, DataRegion};
use oxiform_aws::vpc::{SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupEgressRuleArgs};
use oxiform_core::asset::AssetRef;
use oxiform_core::stack::Stack;

use oxiform_core::{template, Handle, ResourceExt};

/// The router's settings.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct RouterFunction {
    function_name: String,
    code: AssetRef,
    bedrock_model: String,
    large_threshold: u32,
    bedrock_threshold: u32,
    cache_ttl_seconds: u32,
    timeout_seconds: u32,
    memory_mb: u32,
    metrics_namespace: String,
}

/// The AWS services the router calls from its private subnets, each through an interface
/// VPC endpoint the network must have ([`crate::network::PrivateNetwork::interface_endpoints`]).
pub const ENDPOINT_SERVICES: &[&str] = &["sagemaker.runtime", "bedrock-runtime"];

/// What the router is wired to, as values: from handles in the router's stack or from
/// another stack's exports.
#[derive(Debug, Clone)]
pub struct RouterTargets {
    /// The small model's endpoint.
    pub small: EndpointValues,
    /// The large model's endpoint.
    pub large: EndpointValues,
    /// The VPC the function runs in; it must have the [`ENDPOINT_SERVICES`] endpoints.
    pub network: NetworkValues,
    /// The response cache.
    pub cache: CacheValues,
}

/// What [`RouterFunction::add`] created.
#[derive(Debug, Clone)]
pub struct RouterHandles {
    /// The function.
    pub function: Handle<LambdaFunction>,
    /// Its execution role.
    pub role: Handle<IamRole>,
    /// Its HTTPS endpoint (IAM-authenticated).
    pub url: Handle<LambdaFunctionUrl>,
    /// Its security group.
    pub security_group: Handle<SecurityGroup>,
}

/// The metric names the router publishes in embedded metric format (EMF), one data point of
/// each per request (`stacks/router/metrics.py`, `UNITS`).
pub const METRIC_NAMES: &[&str] = &[
    "CacheHit",
    "CacheMiss",
    "CacheError",
    "InputTokens",
    "OutputTokens",
    "Latency",
    "Fallback",
    "Error",
];

/// Values of the metrics' one dimension, `Tier`: the tier that answered.
pub const ANSWERING_TIERS: &[&str] = &["small", "large", "bedrock"];

/// The `Tier` value of a request no tier could answer: published only in months with such a
/// request.
pub const NO_TIER: &str = "none";

/// The custom metrics the router publishes, as the function's `EMF_METRICS` environment
/// variable declares them (the format `oxiform_core::cost` prices: every metric name × every
/// `Tier`, `none` only in some months). The router does not read it; it is there so that
/// anyone reading the `.tf.json`, and `cost`, can count them before apply.
pub fn emf_declaration() -> String {
    serde_json::json!({
        "dimensions": {"Tier": ANSWERING_TIERS},
        "optional_values": {"Tier": [NO_TIER]},
        "metrics": METRIC_NAMES,
    })
    .to_string()
}

/// The Python entry point inside the zip.
pub const HANDLER: &str = "router.handler";
/// The Lambda runtime.
pub const RUNTIME: &str = "python3.12";

impl RouterFunction {
    /// A router called `function_name` running `code` (a zip asset), falling back to
    /// `bedrock_model` (a full model id, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`).
    pub fn new(function_name: &str, code: AssetRef, bedrock_model: &str) -> Self {
        RouterFunction {
            function_name: function_name.to_owned(),
            code,
            bedrock_model: bedrock_model.to_owned(),
            large_threshold: 40,
            bedrock_threshold: 75,
            cache_ttl_seconds: 3600,
            timeout_seconds: 30,
            memory_mb: 256,
            metrics_namespace: "AIRouter".to_owned(),
        }
    }
    /// Complexity scores from which requests go to the large tier and to Bedrock.
    pub fn thresholds(mut self, large: u32, bedrock: u32) -> Self {
        self.large_threshold = large;
        self.bedrock_threshold = bedrock;
        self
    }
    /// How long cached answers live.
    pub fn cache_ttl_seconds(mut self, seconds: u32) -> Self {
        self.cache_ttl_seconds = seconds;
        self
    }
    /// Lambda timeout and memory.
    pub fn sizing(mut self, timeout_seconds: u32, memory_mb: u32) -> Self {
        self.timeout_seconds = timeout_seconds;
        self.memory_mb = memory_mb;
        self
    }
    /// The CloudWatch namespace of the router's embedded metrics.
    pub fn metrics_namespace(mut self, namespace: &str) -> Self {
        self.metrics_namespace = namespace.to_owned();
        self
    }
    /// The namespace the router publishes its metrics in.
    pub fn namespace(&self) -> &str {
        &self.metrics_namespace
    }

    /// Adds the role, its least-privilege policy, its security group and rules (egress to
    /// the VPC endpoints and the cache, and the cache's ingress from it), log group, function
    /// and function URL. A network without the [`ENDPOINT_SERVICES`] endpoints is reported
    /// at synth.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str, to: RouterTargets) -> RouterHandles {
        let site = Location::caller();
        let region = stack.add_shared("current", DataRegion::new());
        let partition = stack.add_shared("current", DataPartition::new());
        let role = service_role(
            stack,
            name,
            "lambda.amazonaws.com",
            format!("{}-role", self.function_name),
        );
        let model_arn = template!(
            "arn:{}:bedrock:{}::foundation-model/{}",
            partition.partition(),
            region.name(),
            self.bedrock_model.as_str()
        );
        let policy = PolicyDocument::new()
            .statement(
                Statement::allow([actions::sagemaker::INVOKE_ENDPOINT])
                    .sid("InvokeModelEndpoints")
                    .resources([to.small.arn.clone(), to.large.arn.clone()]),
            )
            .statement(
                Statement::allow([actions::bedrock::INVOKE_MODEL])
                    .sid("InvokeFallbackModel")
                    .resource(model_arn),
            );
        inline_policy(
            stack,
            &format!("{name}_invoke"),
            &role,
            "invoke-models",
            &policy,
        );
        // Logs and the ENIs a VPC function needs: AWS's managed policy for exactly that.
        let vpc_access = attach_aws_managed(
            stack,
            &format!("{name}_vpc_access"),
            &role,
            "service-role/AWSLambdaVPCAccessExecutionRole",
        );

        let function_sg = stack.add(
            &format!("{name}_function"),
            SecurityGroup::new()
                .name(format!("{}-function", self.function_name))
                .description("Router function")
                .vpc_id(to.network.vpc_id.clone()),
        );
        stack.add(
            &format!("{name}_to_endpoints"),
            VpcSecurityGroupEgressRule::new(VpcSecurityGroupEgressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: function_sg.id().into(),
            })
            .from_port(443)
            .to_port(443)
            .cidr_ipv4(to.network.cidr.clone())
            .description(
                "HTTPS to the interface endpoints of SageMaker Runtime and Bedrock Runtime",
            ),
        );
        stack.add(
            &format!("{name}_to_cache"),
            VpcSecurityGroupEgressRule::new(VpcSecurityGroupEgressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: function_sg.id().into(),
            })
            .from_port(i64::from(REDIS_PORT))
            .to_port(i64::from(REDIS_PORT))
            .referenced_security_group_id(to.cache.security_group_id.clone())
            .description("Redis response cache"),
        );
        to.cache.allow_from(
            stack,
            &format!("{name}_cache_from_function"),
            function_sg.id(),
        );

        // Created before the function so Lambda does not create it without a retention.
        let logs = stack.add(
            name,
            CloudwatchLogGroup::new()
                .name(format!("/aws/lambda/{}", self.function_name))
                .retention_in_days(30),
        );
        let environment = Environment::new()
            .variable("SMALL_ENDPOINT", to.small.name.clone())
            .variable("LARGE_ENDPOINT", to.large.name.clone())
            .variable("BEDROCK_MODEL", self.bedrock_model.as_str())
            .variable("LARGE_THRESHOLD", self.large_threshold.to_string())
            .variable("BEDROCK_THRESHOLD", self.bedrock_threshold.to_string())
            .variable("CACHE_URL", to.cache.url.clone())
            .variable("CACHE_TTL_SECONDS", self.cache_ttl_seconds.to_string())
            .variable("METRICS_NAMESPACE", self.metrics_namespace.as_str())
            .variable("EMF_METRICS", emf_declaration());
        let function = stack.add(
            name,
            LambdaFunction::new(LambdaFunctionArgs {
                function_name: self.function_name.as_str().into(),
                role: role.arn().into(),
            })
            .runtime(RUNTIME)
            .handler(HANDLER)
            .timeout(i64::from(self.timeout_seconds))
            .memory_size(i64::from(self.memory_mb))
            .filename(self.code.path.clone())
            .source_code_hash(self.code.base64_sha256.as_str())
            .environment(environment)
            .vpc_config(VpcConfig::new(VpcConfigArgs {
                security_group_ids: vec![function_sg.id()].into(),
                subnet_ids: to.network.subnet_ids.clone(),
            }))
            .depends_on(&logs)
            .depends_on(&vpc_access),
        );
        let missing = to.network.missing_endpoints(ENDPOINT_SERVICES);
        if !missing.is_empty() {
            stack.report(
                &function.address().to_string(),
                "vpc_config",
                format!(
                    "runs in a VPC without an interface endpoint for {}: with no NAT gateway it \
                     cannot reach {}",
                    quoted(&missing),
                    if missing.len() == 1 {
                        "that service"
                    } else {
                        "those services"
                    }
                ),
                "give the network the router's endpoints: \
                 `PrivateNetwork::new(..).interface_endpoints(router::ENDPOINT_SERVICES)`",
                site,
            );
        }
        let url = stack.add(
            name,
            LambdaFunctionUrl::new(LambdaFunctionUrlArgs {
                authorization_type: "AWS_IAM".into(),
                function_name: function.function_name().into(),
            }),
        );
        RouterHandles {
            function,
            role,
            url,
            security_group: function_sg,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::cache::ResponseCache;
    use crate::inference::{ExecutionRole, InferenceEndpoint};
    use crate::network::PrivateNetwork;
    use oxiform_core::app::{App, AppBackend};
    use oxiform_core::asset::deterministic_zip;
    use oxiform_core::error::SynthError;

    const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:2";
    const SUBNETS: &[&str] = &["10.0.1.0/24", "10.0.2.0/24"];

    fn router(stack: &mut Stack) -> RouterFunction {
        let code = stack.add_asset(
            "router.zip",
            deterministic_zip(&[("router.py".into(), b"def handler(e, c): pass\n".to_vec())]),
        );
        RouterFunction::new(
            "demo-router",
            code,
            "anthropic.claude-3-haiku-20240307-v1:0",
        )
    }

    fn doc(docs: &oxiform_core::app::AppDocuments<'_>, stack: &str) -> serde_json::Value {
        serde_json::from_str(&docs.to_json(stack).unwrap()).unwrap()
    }

    /// Network, cache, models and router each in a stack of their own: the router's stack
    /// reads every value it is wired to from the others' exports, holds the cache's ingress
    /// rule for its function, and no VPC endpoint (those are the network's).
    #[test]
    fn the_router_in_a_stack_of_its_own_reads_the_others_exports() {
        let mut network = Stack::new("network");
        let net = PrivateNetwork::new("demo", "10.0.0.0/16", SUBNETS)
            .interface_endpoints(ENDPOINT_SERVICES)
            .add(&mut network, "main")
            .values()
            .export(&mut network, "network");
        let mut data = Stack::new("cache");
        let cache = ResponseCache::new("demo-cache")
            .add(&mut data, "ai", &net)
            .values()
            .export(&mut data, "cache");
        let mut models = Stack::new("models");
        let role = ExecutionRole::new("demo-sagemaker").add(&mut models, "sagemaker");
        let small = InferenceEndpoint::new("small", IMAGE, "ml.g5.xlarge")
            .add(&mut models, "small", &role)
            .values()
            .export(&mut models, "small");
        let large = InferenceEndpoint::new("large", IMAGE, "ml.g5.12xlarge")
            .add(&mut models, "large", &role)
            .values()
            .export(&mut models, "large");
        let mut api = Stack::new("api");
        router(&mut api).add(
            &mut api,
            "router",
            RouterTargets {
                small,
                large,
                network: net,
                cache,
            },
        );
        let mut app = App::new("demo");
        app.backend(AppBackend::local());
        for stack in [api, models, data, network] {
            app.add(stack);
        }
        let docs = app.synth().unwrap_or_else(|e| panic!("{e}"));
        let api = doc(&docs, "api");
        let read = |stack: &str, output: &str| {
            format!("${{data.terraform_remote_state.{stack}.outputs.{output}}}")
        };
        let states: Vec<&String> = api["data"]["terraform_remote_state"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(states, ["cache", "models", "network"]);
        let resource = &api["resource"];
        let function = &resource["aws_lambda_function"]["router"];
        let env = &function["environment"]["variables"];
        assert_eq!(env["SMALL_ENDPOINT"], read("models", "small_name"));
        assert_eq!(env["LARGE_ENDPOINT"], read("models", "large_name"));
        assert_eq!(env["CACHE_URL"], read("cache", "cache_url"));
        assert_eq!(
            function["vpc_config"]["subnet_ids"],
            read("network", "network_subnet_ids")
        );
        let policy = resource["aws_iam_role_policy"]["router_invoke"]["policy"]
            .as_str()
            .unwrap();
        assert!(policy.contains("data.terraform_remote_state.models.outputs.small_arn"));
        assert!(policy.contains("data.terraform_remote_state.models.outputs.large_arn"));
        let ingress =
            &resource["aws_vpc_security_group_ingress_rule"]["router_cache_from_function"];
        assert_eq!(
            ingress["security_group_id"],
            read("cache", "cache_security_group_id")
        );
        assert_eq!(
            ingress["referenced_security_group_id"],
            "${aws_security_group.router_function.id}"
        );
        assert_eq!(
            resource["aws_security_group"]["router_function"]["vpc_id"],
            read("network", "network_vpc_id")
        );
        assert_eq!(
            resource["aws_vpc_security_group_egress_rule"]["router_to_endpoints"]["cidr_ipv4"],
            read("network", "network_cidr")
        );
        assert!(resource.get("aws_vpc_endpoint").is_none(), "{resource:#}");
        // The network's stack has the endpoints and exports what the others read.
        let network = doc(&docs, "network");
        assert!(network["resource"]["aws_vpc_endpoint"]["sagemaker_runtime"].is_object());
        assert!(network["resource"]["aws_vpc_endpoint"]["bedrock_runtime"].is_object());
        assert_eq!(
            network["output"]["network_vpc_id"]["value"],
            "${aws_vpc.main.id}"
        );
        let graph = app.graph();
        assert_eq!(graph.needs("api"), ["models", "network", "cache"]);
        assert_eq!(graph.needs("cache"), ["network"]);
        // Added in reverse, applied producers first (ties in the order they were added).
        assert_eq!(
            graph.order().unwrap(),
            ["models", "network", "cache", "api"]
        );
    }

    /// A router in a network without its interface endpoints is refused at synth, naming the
    /// missing services and how to add them.
    #[test]
    fn a_network_without_the_routers_endpoints_is_reported() {
        let mut stack = Stack::new("demo");
        let net = PrivateNetwork::new("demo", "10.0.0.0/16", SUBNETS)
            .interface_endpoints(&["sagemaker.runtime"])
            .add(&mut stack, "main")
            .values();
        let role = ExecutionRole::new("demo-sagemaker").add(&mut stack, "sagemaker");
        let small =
            InferenceEndpoint::new("small", IMAGE, "ml.g5.xlarge").add(&mut stack, "small", &role);
        let large =
            InferenceEndpoint::new("large", IMAGE, "ml.g5.xlarge").add(&mut stack, "large", &role);
        let cache = ResponseCache::new("demo-cache").add(&mut stack, "ai", &net);
        router(&mut stack).add(
            &mut stack,
            "router",
            RouterTargets {
                small: small.values(),
                large: large.values(),
                network: net,
                cache: cache.values(),
            },
        );
        let Err(errors) = stack.synth() else {
            panic!("a router without its endpoints synthesised");
        };
        let [SynthError::InvalidValue {
            address,
            field,
            problem,
            hint,
            ..
        }] = errors.0.as_slice()
        else {
            panic!("expected one invalid value: {errors}");
        };
        assert_eq!(address, "aws_lambda_function.router");
        assert_eq!(field, "vpc_config");
        assert_eq!(
            problem,
            "runs in a VPC without an interface endpoint for `bedrock-runtime`: with no NAT \
             gateway it cannot reach that service"
        );
        assert!(
            hint.contains("interface_endpoints(router::ENDPOINT_SERVICES)"),
            "{hint}"
        );
    }
}
