//! The router function: a Lambda that sends simple prompts to the small endpoint, complex
//! ones to the large endpoint and the hardest to Bedrock, with a Redis response cache.
//! Its role may invoke exactly the two endpoints and the one Bedrock model; it runs in the
//! VPC (to reach Redis) and reaches SageMaker Runtime and Bedrock Runtime through interface
//! VPC endpoints, so no NAT gateway is needed.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_core::asset::deterministic_zip;
//! use oxiform_patterns::cache::ResponseCache;
//! use oxiform_patterns::inference::{ExecutionRole, InferenceEndpoint};
//! use oxiform_patterns::network::PrivateNetwork;
//! use oxiform_patterns::router::{RouterFunction, RouterTargets};
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .add(&mut stack, "main");
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
//!     .add(&mut stack, "router", RouterTargets { small: &small.endpoint, large: &large.endpoint, network: &net, cache: &cache });
//! stack.output("url", Output::new(router.url.function_url()));
//! assert!(stack.synth().is_ok());
//! ```

use crate::cache::{CacheHandles, REDIS_PORT};
use crate::iam::{attach_aws_managed, inline_policy, service_role};
use crate::network::NetworkHandles;
use oxiform_aws::cloudwatch::CloudwatchLogGroup;
use oxiform_aws::iam::IamRole;
use oxiform_aws::iam_policy::{actions, PolicyDocument, Statement};
use oxiform_aws::lambda::lambda_function::{Environment, VpcConfig, VpcConfigArgs};
use oxiform_aws::lambda::{
    LambdaFunction, LambdaFunctionArgs, LambdaFunctionUrl, LambdaFunctionUrlArgs,
};
use oxiform_aws::meta::DataPartition;
use oxiform_aws::sagemaker::SagemakerEndpoint;
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

/// What the router is wired to.
#[derive(Debug, Clone, Copy)]
pub struct RouterTargets<'a> {
    /// The small model's endpoint.
    pub small: &'a Handle<SagemakerEndpoint>,
    /// The large model's endpoint.
    pub large: &'a Handle<SagemakerEndpoint>,
    /// The VPC the function runs in.
    pub network: &'a NetworkHandles,
    /// The response cache.
    pub cache: &'a CacheHandles,
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

    /// Adds the role, its least-privilege policy, security groups, VPC endpoints, log group,
    /// function and function URL.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str, to: RouterTargets<'_>) -> RouterHandles {
        let region = *to.network.region();
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
                    .resources([to.small.arn(), to.large.arn()]),
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
                .vpc_id(to.network.vpc.id()),
        );
        stack.add(
            &format!("{name}_to_endpoints"),
            VpcSecurityGroupEgressRule::new(VpcSecurityGroupEgressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: function_sg.id().into(),
            })
            .from_port(443)
            .to_port(443)
            .cidr_ipv4(to.network.cidr.as_str())
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
            .referenced_security_group_id(to.cache.security_group.id())
            .description("Redis response cache"),
        );
        to.cache
            .allow_from(stack, &format!("{name}_cache_from_function"), &function_sg);
        to.network
            .interface_endpoints(stack, &["sagemaker.runtime", "bedrock-runtime"]);

        // Created before the function so Lambda does not create it without a retention.
        let logs = stack.add(
            name,
            CloudwatchLogGroup::new()
                .name(format!("/aws/lambda/{}", self.function_name))
                .retention_in_days(30),
        );
        let environment = Environment::new()
            .variable("SMALL_ENDPOINT", to.small.name())
            .variable("LARGE_ENDPOINT", to.large.name())
            .variable("BEDROCK_MODEL", self.bedrock_model.as_str())
            .variable("LARGE_THRESHOLD", self.large_threshold.to_string())
            .variable("BEDROCK_THRESHOLD", self.bedrock_threshold.to_string())
            .variable("CACHE_URL", to.cache.url())
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
                subnet_ids: to.network.subnet_ids(),
            }))
            .depends_on(&logs)
            .depends_on(&vpc_access),
        );
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
