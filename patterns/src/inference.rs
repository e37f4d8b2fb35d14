//! Real-time inference on SageMaker: a model (container image, environment, execution role),
//! an endpoint configuration with one production variant, and the endpoint — one call per
//! model tier, tagged with the tier and its cost class.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::inference::{ExecutionRole, InferenceEndpoint};
//!
//! let mut stack = Stack::new("demo");
//! let role = ExecutionRole::new("demo-sagemaker").add(&mut stack, "sagemaker");
//! let small = InferenceEndpoint::new("llama-8b-simple", "123.dkr.ecr.us-east-1.amazonaws.com/tgi:2", "ml.g5.xlarge")
//!     .environment("HF_MODEL_ID", "meta-llama/Meta-Llama-3-8B-Instruct")
//!     .tier_tags("economy", "low")
//!     .add(&mut stack, "small", &role);
//! assert_eq!(small.variant_name, "primary");
//! assert!(stack.synth().is_ok());
//! ```

use indexmap::IndexMap;

use crate::iam::{inline_policy, service_role};
use oxiform_aws::iam::IamRole;
use oxiform_aws::iam_policy::{actions, PolicyDocument, Statement};
use oxiform_aws::meta::DataPartition;
use oxiform_aws::sagemaker::sagemaker_endpoint_configuration::{
    ManagedInstanceScaling, ProductionVariants, RoutingConfig,
};
use oxiform_aws::sagemaker::sagemaker_model::PrimaryContainer;
use oxiform_aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration, SagemakerModel};
use oxiform_core::stack::{Output, Stack};
use oxiform_core::value::{Expr, Value};
use oxiform_core::Handle;

/// The IAM role SageMaker assumes to pull the image, read model artefacts and write logs.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct ExecutionRole {
    role_name: String,
    model_bucket_arns: Vec<Value<String>>,
}

impl ExecutionRole {
    /// A role called `role_name`.
    pub fn new(role_name: &str) -> Self {
        ExecutionRole {
            role_name: role_name.to_owned(),
            model_bucket_arns: Vec::new(),
        }
    }
    /// Lets SageMaker read model artefacts from this bucket (ARN).
    pub fn model_bucket(mut self, bucket_arn: impl Into<Value<String>>) -> Self {
        self.model_bucket_arns.push(bucket_arn.into());
        self
    }
    /// Adds the role and its inline policy.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str) -> Handle<IamRole> {
        let role = service_role(
            stack,
            name,
            "sagemaker.amazonaws.com",
            self.role_name.as_str(),
        );
        let partition = stack
            .add_shared("current", DataPartition::new())
            .partition();
        // ECR's GetAuthorizationToken and CloudWatch's PutMetricData have no resource-level
        // permissions, so they are the only statements on `*`; each names its one action.
        let mut policy = PolicyDocument::new()
            .statement(Statement::allow([actions::ecr::GET_AUTHORIZATION_TOKEN]).resource("*"))
            .statement(
                Statement::allow([
                    actions::ecr::BATCH_CHECK_LAYER_AVAILABILITY,
                    actions::ecr::BATCH_GET_IMAGE,
                    actions::ecr::GET_DOWNLOAD_URL_FOR_LAYER,
                ])
                .resource(oxiform_core::template!(
                    "arn:{}:ecr:*:*:repository/*",
                    partition.clone()
                )),
            )
            .statement(
                Statement::allow([
                    actions::logs::CREATE_LOG_GROUP,
                    actions::logs::CREATE_LOG_STREAM,
                    actions::logs::PUT_LOG_EVENTS,
                ])
                .resource(oxiform_core::template!(
                    "arn:{}:logs:*:*:log-group:/aws/sagemaker/*",
                    partition
                )),
            )
            .statement(
                Statement::allow([actions::cloudwatch::PUT_METRIC_DATA])
                    .resource("*")
                    .condition("StringLike", "cloudwatch:namespace", ["/aws/sagemaker/*"]),
            );
        if !self.model_bucket_arns.is_empty() {
            let objects: Vec<Value<String>> = self
                .model_bucket_arns
                .iter()
                .map(|arn| match arn {
                    Value::Literal(a) => Value::Literal(format!("{a}/*")),
                    Value::Expr(e) => oxiform_core::template!("{}/*", e).into(),
                })
                .collect();
            policy = policy
                .statement(
                    Statement::allow([actions::s3::LIST_BUCKET]).resources(self.model_bucket_arns),
                )
                .statement(Statement::allow([actions::s3::GET_OBJECT]).resources(objects));
        }
        inline_policy(
            stack,
            &format!("{name}_execution"),
            &role,
            "sagemaker-execution",
            &policy,
        );
        role
    }
}

/// One model tier: model + endpoint configuration + endpoint.
#[must_use = "call `.add(&mut stack, name, &role)`"]
#[derive(Debug, Clone)]
pub struct InferenceEndpoint {
    endpoint_name: String,
    image: String,
    model_data_url: Option<String>,
    environment: IndexMap<String, String>,
    instance_type: String,
    instance_count: u32,
    tags: IndexMap<String, String>,
}

/// What [`InferenceEndpoint::add`] created.
#[derive(Debug, Clone)]
pub struct InferenceEndpointHandles {
    /// The `aws_sagemaker_model`.
    pub model: Handle<SagemakerModel>,
    /// The `aws_sagemaker_endpoint_configuration`.
    pub config: Handle<SagemakerEndpointConfiguration>,
    /// The `aws_sagemaker_endpoint`.
    pub endpoint: Handle<SagemakerEndpoint>,
    /// The production variant's name (`primary`), for scaling and metrics.
    pub variant_name: &'static str,
}

impl InferenceEndpointHandles {
    /// The endpoint as values, for clients in the same stack.
    pub fn values(&self) -> EndpointValues {
        EndpointValues::from(&self.endpoint)
    }
}

/// What a client needs of a SageMaker endpoint, as values: its name (to invoke it) and its
/// ARN (to be allowed to). Built from the handle in the endpoint's own stack
/// (`EndpointValues::from(&handle)`, [`InferenceEndpointHandles::values`]) or, in another
/// stack of an app, from the endpoint stack's exports ([`EndpointValues::export`]).
#[derive(Debug, Clone)]
pub struct EndpointValues {
    /// The endpoint's name.
    pub name: Expr<String>,
    /// The endpoint's ARN.
    pub arn: Expr<String>,
}

impl From<&Handle<SagemakerEndpoint>> for EndpointValues {
    fn from(endpoint: &Handle<SagemakerEndpoint>) -> Self {
        EndpointValues {
            name: endpoint.name(),
            arn: endpoint.arn(),
        }
    }
}

impl EndpointValues {
    /// Exports the values from the endpoint's stack for the other stacks of its app: writes
    /// the outputs `<name>_name` and `<name>_arn` into `stack` and returns the same values
    /// read from them. Use the returned values only in other stacks of the app.
    #[track_caller]
    pub fn export(&self, stack: &mut Stack, name: &str) -> EndpointValues {
        EndpointValues {
            name: stack
                .export(&format!("{name}_name"), Output::new(self.name.clone()))
                .value(),
            arn: stack
                .export(&format!("{name}_arn"), Output::new(self.arn.clone()))
                .value(),
        }
    }
}

impl InferenceEndpoint {
    /// An endpoint called `endpoint_name` serving `image` on `instance_type` (`ml.*`).
    pub fn new(endpoint_name: &str, image: &str, instance_type: &str) -> Self {
        InferenceEndpoint {
            endpoint_name: endpoint_name.to_owned(),
            image: image.to_owned(),
            model_data_url: None,
            environment: IndexMap::new(),
            instance_type: instance_type.to_owned(),
            instance_count: 1,
            tags: IndexMap::new(),
        }
    }
    /// Sets one container environment variable.
    pub fn environment(mut self, key: &str, value: &str) -> Self {
        self.environment.insert(key.to_owned(), value.to_owned());
        self
    }
    /// S3 URI of the model artefacts (for images that do not download the model).
    pub fn model_data_url(mut self, url: &str) -> Self {
        self.model_data_url = Some(url.to_owned());
        self
    }
    /// Instances at creation (auto scaling takes over from there).
    pub fn instance_count(mut self, count: u32) -> Self {
        self.instance_count = count;
        self
    }
    /// Tags the endpoint `ModelTier` and `CostPerRequest`, which cost reports group by.
    pub fn tier_tags(mut self, tier: &str, cost_per_request: &str) -> Self {
        self.tags.insert("ModelTier".into(), tier.into());
        self.tags
            .insert("CostPerRequest".into(), cost_per_request.into());
        self
    }
    /// Adds the model, configuration and endpoint, named `<endpoint>`, `<endpoint>-config`.
    #[track_caller]
    pub fn add(
        self,
        stack: &mut Stack,
        name: &str,
        role: &Handle<IamRole>,
    ) -> InferenceEndpointHandles {
        let variant_name = "primary";
        let mut container = PrimaryContainer::new().image(self.image.as_str());
        if !self.environment.is_empty() {
            let env: Vec<(String, Value<String>)> = self
                .environment
                .into_iter()
                .map(|(k, v)| (k, Value::Literal(v)))
                .collect();
            container = container.environment(env);
        }
        if let Some(url) = &self.model_data_url {
            container = container.model_data_url(url.as_str());
        }
        let model = stack.add(
            name,
            SagemakerModel::new(role.arn())
                .name(format!("{}-model", self.endpoint_name))
                .primary_container(container),
        );
        let config = stack.add(
            name,
            SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(model.name())
                .variant_name(variant_name)
                .instance_type(self.instance_type.as_str())
                .initial_instance_count(i64::from(self.instance_count))
                .initial_variant_weight(1.0)])
            .name(format!("{}-config", self.endpoint_name)),
        );
        let mut endpoint = SagemakerEndpoint::new(config.name()).name(self.endpoint_name.as_str());
        for (k, v) in &self.tags {
            endpoint = endpoint.tag(k, v.as_str());
        }
        let endpoint = stack.add(name, endpoint);
        InferenceEndpointHandles {
            model,
            config,
            endpoint,
            variant_name,
        }
    }
}

/// The article's `batch_spot` endpoint configuration, named for what it is: a variant with
/// SageMaker *managed instance scaling* (0 to N instances) and least-outstanding-requests
/// routing. SageMaker real-time endpoints have no spot capacity — spot exists only for
/// training jobs — so this is scaling, not spot; real spot batch inference is
/// [`crate::batch::SpotBatchInference`].
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct ManagedScalingVariant {
    config_name: String,
    instance_type: String,
    min_instances: u32,
    max_instances: u32,
}

impl ManagedScalingVariant {
    /// An endpoint configuration `config_name` whose variant scales between `min` and `max`
    /// instances of `instance_type`.
    pub fn new(config_name: &str, instance_type: &str, min: u32, max: u32) -> Self {
        ManagedScalingVariant {
            config_name: config_name.to_owned(),
            instance_type: instance_type.to_owned(),
            min_instances: min,
            max_instances: max,
        }
    }
    /// Adds the endpoint configuration serving `model`.
    #[track_caller]
    pub fn add(
        self,
        stack: &mut Stack,
        name: &str,
        model: Expr<String>,
    ) -> Handle<SagemakerEndpointConfiguration> {
        stack.add(
            name,
            SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(model)
                .variant_name("managed-scaling")
                .instance_type(self.instance_type.as_str())
                .initial_instance_count(1)
                .managed_instance_scaling(
                    ManagedInstanceScaling::new()
                        .status("ENABLED")
                        .min_instance_count(i64::from(self.min_instances))
                        .max_instance_count(i64::from(self.max_instances)),
                )
                .routing_config(RoutingConfig::new("LEAST_OUTSTANDING_REQUESTS"))])
            .name(self.config_name.as_str()),
        )
    }
}
