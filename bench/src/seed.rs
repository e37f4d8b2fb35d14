//! The seed architecture built with oxiform's generated typed resources, `n` times over.

use oxiform::aws::appautoscaling::appautoscaling_policy::{
    PredefinedMetricSpecification, TargetTrackingScalingPolicyConfiguration,
};
use oxiform::aws::appautoscaling::appautoscaling_scheduled_action::ScalableTargetAction;
use oxiform::aws::appautoscaling::{
    AppautoscalingPolicy, AppautoscalingPolicyArgs, AppautoscalingScheduledAction,
    AppautoscalingScheduledActionArgs, AppautoscalingTarget, AppautoscalingTargetArgs,
};
use oxiform::aws::cloudwatch::{CloudwatchDashboard, CloudwatchDashboardArgs};
use oxiform::aws::elasticache::elasticache_parameter_group::{Parameter, ParameterArgs};
use oxiform::aws::elasticache::{
    ElasticacheParameterGroup, ElasticacheParameterGroupArgs, ElasticacheReplicationGroup,
    ElasticacheReplicationGroupArgs,
};
use oxiform::aws::iam::IamRole;
use oxiform::aws::lambda::lambda_function::Environment;
use oxiform::aws::lambda::{LambdaFunction, LambdaFunctionArgs};
use oxiform::aws::sagemaker::sagemaker_endpoint_configuration::{
    ManagedInstanceScaling, ProductionVariants, RoutingConfig,
};
use oxiform::aws::sagemaker::sagemaker_model::PrimaryContainer;
use oxiform::aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration, SagemakerModel};
use oxiform::json_template::JsonTemplate;
use oxiform::prelude::*;

use crate::{
    BEDROCK_MODEL, IMAGE_70B, IMAGE_8B, LAMBDA_TRUST, REGION, ROUTER_ZIP, SAGEMAKER_TRUST,
    SCHEDULED_ACTIONS,
};

/// A stack of `n` copies of the seed architecture (17 resources each, 17·n in all).
///
/// Copy `i` suffixes every Terraform name with `_i` and every AWS name with `-i`; within a
/// copy, resources refer to each other as in the article (models → role, configurations →
/// models, endpoints → configurations, the router → endpoints and its role, scaling → the
/// large endpoint and the target, the cache → its parameter group, the dashboard →
/// endpoints and cache).
pub fn seed_copies(n: usize) -> Stack {
    let mut stack = Stack::new(format!("seed-x{n}"));
    stack.provider(AwsProvider::new(REGION));
    for i in 0..n {
        add_copy(&mut stack, i);
    }
    stack
}

/// Adds copy `i` of the 17 seed resources to `stack`.
pub fn add_copy(stack: &mut Stack, i: usize) {
    add_copy_reading(stack, i, None);
}

/// Adds copy `i` of the 17 seed resources to `stack`, and returns its large endpoint (which
/// an app's stack exports). With `upstream`, the router Lambda also gets the environment
/// variable `UPSTREAM_ENDPOINT` set to it: how a stack of an app reads another's export in a
/// resource. Without, the copy is exactly [`add_copy`]'s.
pub fn add_copy_reading(
    stack: &mut Stack,
    i: usize,
    upstream: Option<Expr<String>>,
) -> Handle<SagemakerEndpoint> {
    // The 17th resource: the execution role SageMaker models require.
    let exec = stack.add(
        &format!("sagemaker_{i}"),
        IamRole::new(SAGEMAKER_TRUST).name(format!("ai-sagemaker-{i}")),
    );

    // Strategy 1: model routing.
    let model = |name: &str, image: &str| {
        SagemakerModel::new(exec.arn())
            .name(name)
            .primary_container(PrimaryContainer::new().image(image))
    };
    let llama_70b = stack.add(
        &format!("llama_70b_{i}"),
        model(&format!("llama-70b-{i}"), IMAGE_70B),
    );
    let llama_8b = stack.add(
        &format!("llama_8b_{i}"),
        model(&format!("llama-8b-{i}"), IMAGE_8B),
    );
    let config = |name: String, model: &Handle<SagemakerModel>, instance_type: &str| {
        SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(model.name())
            .variant_name("primary")
            .instance_type(instance_type)
            .initial_instance_count(1)])
        .name(name)
    };
    let large = stack.add(
        &format!("large_{i}"),
        config(
            format!("llama-70b-config-{i}"),
            &llama_70b,
            "ml.g5.12xlarge",
        ),
    );
    let small = stack.add(
        &format!("small_{i}"),
        config(format!("llama-8b-config-{i}"), &llama_8b, "ml.g5.xlarge"),
    );
    let large_model = stack.add(
        &format!("large_model_{i}"),
        SagemakerEndpoint::new(large.name())
            .name(format!("llama-70b-complex-{i}"))
            .tag("ModelTier", "premium")
            .tag("CostPerRequest", "high"),
    );
    let small_model = stack.add(
        &format!("small_model_{i}"),
        SagemakerEndpoint::new(small.name())
            .name(format!("llama-8b-simple-{i}"))
            .tag("ModelTier", "economy")
            .tag("CostPerRequest", "low"),
    );
    let router_role = stack.add(
        &format!("router_{i}"),
        IamRole::new(LAMBDA_TRUST).name(format!("ai-model-router-{i}")),
    );
    let _router = stack.add(
        &format!("model_router_{i}"),
        LambdaFunction::new(LambdaFunctionArgs {
            function_name: format!("ai-model-router-{i}").into(),
            role: router_role.arn().into(),
        })
        .runtime("python3.12")
        .handler("router.handler")
        .timeout(30)
        .memory_size(256)
        .filename(ROUTER_ZIP)
        .source_code_hash(Expr::<String>::raw(format!(
            "filebase64sha256(\"{ROUTER_ZIP}\")"
        )))
        .environment({
            let variables = Environment::new()
                .variable("LARGE_ENDPOINT", large_model.name())
                .variable("SMALL_ENDPOINT", small_model.name())
                .variable("BEDROCK_MODEL", BEDROCK_MODEL);
            match upstream {
                Some(upstream) => variables.variable("UPSTREAM_ENDPOINT", upstream),
                None => variables,
            }
        }),
    );

    // Strategy 2: scaling by demand and by schedule.
    let target = stack.add(
        &format!("sagemaker_{i}"),
        AppautoscalingTarget::new(AppautoscalingTargetArgs {
            max_capacity: 4.into(),
            min_capacity: 1.into(),
            resource_id: template!("endpoint/{}/variant/primary", large_model.name()).into(),
            scalable_dimension: "sagemaker:variant:DesiredInstanceCount".into(),
            service_namespace: "sagemaker".into(),
        }),
    );
    stack.add(
        &format!("scale_on_invocations_{i}"),
        AppautoscalingPolicy::new(AppautoscalingPolicyArgs {
            name: format!("scale-on-invocations-{i}").into(),
            resource_id: target.resource_id().into(),
            scalable_dimension: target.scalable_dimension().into(),
            service_namespace: target.service_namespace().into(),
        })
        .policy_type("TargetTrackingScaling")
        .target_tracking_scaling_policy_configuration(
            TargetTrackingScalingPolicyConfiguration::new(100.0)
                .predefined_metric_specification(PredefinedMetricSpecification::new(
                    "SageMakerVariantInvocationsPerInstance",
                ))
                .scale_in_cooldown(600)
                .scale_out_cooldown(120),
        ),
    );
    for (name, aws_name, cron, min, max) in SCHEDULED_ACTIONS {
        stack.add(
            &format!("{name}_{i}"),
            AppautoscalingScheduledAction::new(AppautoscalingScheduledActionArgs {
                name: format!("{aws_name}-{i}").into(),
                resource_id: target.resource_id().into(),
                scalable_dimension: target.scalable_dimension().into(),
                scalable_target_action: ScalableTargetAction::new()
                    .min_capacity(min)
                    .max_capacity(max),
                schedule: cron.into(),
                service_namespace: target.service_namespace().into(),
            }),
        );
    }

    // Strategy 3: the article's `batch_spot` configuration (managed instance scaling).
    stack.add(
        &format!("batch_spot_{i}"),
        SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(llama_70b.name())
            .variant_name("spot")
            .instance_type("ml.g5.12xlarge")
            .initial_instance_count(1)
            .managed_instance_scaling(
                ManagedInstanceScaling::new()
                    .status("ENABLED")
                    .min_instance_count(0)
                    .max_instance_count(8),
            )
            .routing_config(RoutingConfig::new("LEAST_OUTSTANDING_REQUESTS"))])
        .name(format!("batch-inference-spot-{i}")),
    );

    // Strategy 4: the response cache.
    let params = stack.add(
        &format!("ai_{i}"),
        ElasticacheParameterGroup::new(ElasticacheParameterGroupArgs {
            family: "redis7".into(),
            name: format!("ai-cache-params-{i}").into(),
        })
        .parameter(Parameter::new(ParameterArgs {
            name: "maxmemory-policy".into(),
            value: "allkeys-lru".into(),
        })),
    );
    let cache = stack.add(
        &format!("ai_cache_{i}"),
        ElasticacheReplicationGroup::new(ElasticacheReplicationGroupArgs {
            description: "Cache for AI model responses".into(),
            replication_group_id: format!("ai-response-cache-{i}").into(),
        })
        .node_type("cache.r6g.large")
        .num_cache_clusters(2)
        .engine("redis")
        .engine_version("7.1")
        .parameter_group_name(params.name())
        .at_rest_encryption_enabled("true")
        .transit_encryption_enabled(true)
        .tag("Component", "ai-optimization"),
    );

    // The cost dashboard, referring to the endpoints and the cache.
    let metric = |namespace: &str, name: &str, dim: &str, value: JsonTemplate| {
        JsonTemplate::array([namespace.into(), name.into(), dim.into(), value])
    };
    let widget = |title: &str, metrics: Vec<JsonTemplate>, period: u32, stat: Option<&str>| {
        let mut properties = vec![
            ("title", JsonTemplate::from(title)),
            ("metrics", JsonTemplate::Array(metrics)),
            ("period", period.into()),
        ];
        if let Some(stat) = stat {
            properties.push(("stat", stat.into()));
        }
        JsonTemplate::object([
            ("type", JsonTemplate::from("metric")),
            ("width", 12.into()),
            ("height", 6.into()),
            ("properties", JsonTemplate::object(properties)),
        ])
    };
    let large_name = || JsonTemplate::from(large_model.name());
    let body = JsonTemplate::object([(
        "widgets",
        JsonTemplate::array([
            widget(
                "Token Usage by Model",
                ["InputTokenCount", "OutputTokenCount"]
                    .into_iter()
                    .map(|m| metric("AWS/Bedrock", m, "ModelId", BEDROCK_MODEL.into()))
                    .collect(),
                3600,
                Some("Sum"),
            ),
            widget(
                "SageMaker Instance Hours",
                ["CPUUtilization", "GPUUtilization", "GPUMemoryUtilization"]
                    .into_iter()
                    .map(|m| metric("/aws/sagemaker/Endpoints", m, "EndpointName", large_name()))
                    .collect(),
                300,
                Some("Average"),
            ),
            widget(
                "Cache Hit Rate",
                vec![metric(
                    "AWS/ElastiCache",
                    "CacheHitRate",
                    "CacheClusterId",
                    JsonTemplate::from(template!("{}-001", cache.id())),
                )],
                300,
                None,
            ),
        ]),
    )]);
    stack.add(
        &format!("ai_costs_{i}"),
        CloudwatchDashboard::new(CloudwatchDashboardArgs {
            dashboard_body: body.to_value(),
            dashboard_name: format!("ai-cost-optimization-{i}").into(),
        }),
    );
    large_model
}
