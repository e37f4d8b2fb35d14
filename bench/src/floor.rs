//! The serialisation floor: the same Terraform JSON as [`seed_copies`](crate::seed_copies),
//! built directly from plain `#[derive(Serialize)]` structs and written with `serde_json`.
//!
//! No graph, no checks, no type erasure, no escaping pass, references spelled out as text:
//! the least a Rust program can do to write this document. Constant text is borrowed,
//! per-copy text is formatted once.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{
    BEDROCK_MODEL, IMAGE_70B, IMAGE_8B, LAMBDA_TRUST, REGION, ROUTER_ZIP, SAGEMAKER_TRUST,
    SCHEDULED_ACTIONS,
};

type Str = &'static str;

/// The whole document, in the order oxiform writes it.
#[derive(Serialize)]
pub struct Document {
    #[serde(rename = "//")]
    comment: String,
    terraform: Terraform,
    provider: Provider,
    resource: Resources,
}

#[derive(Serialize)]
struct Terraform {
    required_version: Str,
    required_providers: RequiredProviders,
}

#[derive(Serialize)]
struct RequiredProviders {
    aws: Requirement,
}

#[derive(Serialize)]
struct Requirement {
    source: Str,
    version: Str,
}

#[derive(Serialize)]
struct Provider {
    aws: [AwsProvider; 1],
}

#[derive(Serialize)]
struct AwsProvider {
    region: Str,
}

/// Resource types in alphabetical order; names sorted within a type (as Terraform JSON
/// writers keep them, so that reordering code does not change the diff).
#[derive(Serialize, Default)]
struct Resources {
    aws_appautoscaling_policy: BTreeMap<String, Policy>,
    aws_appautoscaling_scheduled_action: BTreeMap<String, ScheduledAction>,
    aws_appautoscaling_target: BTreeMap<String, Target>,
    aws_cloudwatch_dashboard: BTreeMap<String, Dashboard>,
    aws_elasticache_parameter_group: BTreeMap<String, ParameterGroup>,
    aws_elasticache_replication_group: BTreeMap<String, ReplicationGroup>,
    aws_iam_role: BTreeMap<String, Role>,
    aws_lambda_function: BTreeMap<String, Function>,
    aws_sagemaker_endpoint: BTreeMap<String, Endpoint>,
    aws_sagemaker_endpoint_configuration: BTreeMap<String, EndpointConfiguration>,
    aws_sagemaker_model: BTreeMap<String, Model>,
}

#[derive(Serialize)]
struct Policy {
    name: String,
    policy_type: Str,
    resource_id: String,
    scalable_dimension: String,
    service_namespace: String,
    target_tracking_scaling_policy_configuration: TargetTracking,
}

#[derive(Serialize)]
struct TargetTracking {
    predefined_metric_specification: PredefinedMetric,
    scale_in_cooldown: i64,
    scale_out_cooldown: i64,
    target_value: f64,
}

#[derive(Serialize)]
struct PredefinedMetric {
    predefined_metric_type: Str,
}

#[derive(Serialize)]
struct ScheduledAction {
    name: String,
    resource_id: String,
    scalable_dimension: String,
    scalable_target_action: Capacity,
    schedule: Str,
    service_namespace: String,
}

#[derive(Serialize)]
struct Capacity {
    max_capacity: i64,
    min_capacity: i64,
}

#[derive(Serialize)]
struct Target {
    max_capacity: i64,
    min_capacity: i64,
    resource_id: String,
    scalable_dimension: Str,
    service_namespace: Str,
}

#[derive(Serialize)]
struct Dashboard {
    dashboard_body: String,
    dashboard_name: String,
}

#[derive(Serialize)]
struct ParameterGroup {
    family: Str,
    name: String,
    parameter: [Parameter; 1],
}

#[derive(Serialize)]
struct Parameter {
    name: Str,
    value: Str,
}

#[derive(Serialize)]
struct ReplicationGroup {
    at_rest_encryption_enabled: Str,
    description: Str,
    engine: Str,
    engine_version: Str,
    node_type: Str,
    num_cache_clusters: i64,
    parameter_group_name: String,
    replication_group_id: String,
    tags: ComponentTag,
    transit_encryption_enabled: bool,
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct ComponentTag {
    Component: Str,
}

#[derive(Serialize)]
struct Role {
    assume_role_policy: Str,
    name: String,
}

#[derive(Serialize)]
struct Function {
    environment: FunctionEnvironment,
    filename: Str,
    function_name: String,
    handler: Str,
    memory_size: i64,
    role: String,
    runtime: Str,
    source_code_hash: String,
    timeout: i64,
}

#[derive(Serialize)]
struct FunctionEnvironment {
    variables: RouterVariables,
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct RouterVariables {
    LARGE_ENDPOINT: String,
    SMALL_ENDPOINT: String,
    BEDROCK_MODEL: Str,
}

#[derive(Serialize)]
struct Endpoint {
    endpoint_config_name: String,
    name: String,
    tags: TierTags,
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct TierTags {
    ModelTier: Str,
    CostPerRequest: Str,
}

#[derive(Serialize)]
struct EndpointConfiguration {
    name: String,
    production_variants: [Variant; 1],
}

#[derive(Serialize)]
struct Variant {
    initial_instance_count: i64,
    instance_type: Str,
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_instance_scaling: Option<ManagedScaling>,
    model_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    routing_config: Option<[Routing; 1]>,
    variant_name: Str,
}

#[derive(Serialize)]
struct ManagedScaling {
    max_instance_count: i64,
    min_instance_count: i64,
    status: Str,
}

#[derive(Serialize)]
struct Routing {
    routing_strategy: Str,
}

#[derive(Serialize)]
struct Model {
    execution_role_arn: String,
    name: String,
    primary_container: Container,
}

#[derive(Serialize)]
struct Container {
    image: Str,
}

/// The floor's document for `n` copies of the seed architecture.
pub fn floor_document(n: usize) -> Document {
    let mut r = Resources::default();
    for i in 0..n {
        add_copy(&mut r, i);
    }
    Document {
        comment: format!(
            "Generated by oxiform from stack `seed-x{n}`. Do not edit: change the Rust code and synth again."
        ),
        terraform: Terraform {
            required_version: ">= 1.6.0",
            required_providers: RequiredProviders {
                aws: Requirement {
                    source: "hashicorp/aws",
                    version: "5.100.0",
                },
            },
        },
        provider: Provider {
            aws: [AwsProvider { region: REGION }],
        },
        resource: r,
    }
}

impl Document {
    /// Pretty JSON with a trailing newline, as oxiform writes `main.tf.json`.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }
}

fn add_copy(r: &mut Resources, i: usize) {
    let role_arn = format!("${{aws_iam_role.sagemaker_{i}.arn}}");
    r.aws_iam_role.insert(
        format!("sagemaker_{i}"),
        Role {
            assume_role_policy: SAGEMAKER_TRUST,
            name: format!("ai-sagemaker-{i}"),
        },
    );
    for (key, name, image) in [
        ("llama_70b", "llama-70b", IMAGE_70B),
        ("llama_8b", "llama-8b", IMAGE_8B),
    ] {
        r.aws_sagemaker_model.insert(
            format!("{key}_{i}"),
            Model {
                execution_role_arn: role_arn.clone(),
                name: format!("{name}-{i}"),
                primary_container: Container { image },
            },
        );
    }
    for (key, name, model, instance_type) in [
        ("large", "llama-70b-config", "llama_70b", "ml.g5.12xlarge"),
        ("small", "llama-8b-config", "llama_8b", "ml.g5.xlarge"),
    ] {
        r.aws_sagemaker_endpoint_configuration.insert(
            format!("{key}_{i}"),
            EndpointConfiguration {
                name: format!("{name}-{i}"),
                production_variants: [Variant {
                    initial_instance_count: 1,
                    instance_type,
                    managed_instance_scaling: None,
                    model_name: format!("${{aws_sagemaker_model.{model}_{i}.name}}"),
                    routing_config: None,
                    variant_name: "primary",
                }],
            },
        );
    }
    for (key, name, config, tier, cost) in [
        (
            "large_model",
            "llama-70b-complex",
            "large",
            "premium",
            "high",
        ),
        ("small_model", "llama-8b-simple", "small", "economy", "low"),
    ] {
        r.aws_sagemaker_endpoint.insert(
            format!("{key}_{i}"),
            Endpoint {
                endpoint_config_name: format!(
                    "${{aws_sagemaker_endpoint_configuration.{config}_{i}.name}}"
                ),
                name: format!("{name}-{i}"),
                tags: TierTags {
                    ModelTier: tier,
                    CostPerRequest: cost,
                },
            },
        );
    }
    r.aws_iam_role.insert(
        format!("router_{i}"),
        Role {
            assume_role_policy: LAMBDA_TRUST,
            name: format!("ai-model-router-{i}"),
        },
    );
    r.aws_lambda_function.insert(
        format!("model_router_{i}"),
        Function {
            environment: FunctionEnvironment {
                variables: RouterVariables {
                    LARGE_ENDPOINT: format!("${{aws_sagemaker_endpoint.large_model_{i}.name}}"),
                    SMALL_ENDPOINT: format!("${{aws_sagemaker_endpoint.small_model_{i}.name}}"),
                    BEDROCK_MODEL,
                },
            },
            filename: ROUTER_ZIP,
            function_name: format!("ai-model-router-{i}"),
            handler: "router.handler",
            memory_size: 256,
            role: format!("${{aws_iam_role.router_{i}.arn}}"),
            runtime: "python3.12",
            source_code_hash: format!("${{filebase64sha256(\"{ROUTER_ZIP}\")}}"),
            timeout: 30,
        },
    );
    let target = |attr: &str| format!("${{aws_appautoscaling_target.sagemaker_{i}.{attr}}}");
    r.aws_appautoscaling_target.insert(
        format!("sagemaker_{i}"),
        Target {
            max_capacity: 4,
            min_capacity: 1,
            resource_id: format!(
                "endpoint/${{aws_sagemaker_endpoint.large_model_{i}.name}}/variant/primary"
            ),
            scalable_dimension: "sagemaker:variant:DesiredInstanceCount",
            service_namespace: "sagemaker",
        },
    );
    r.aws_appautoscaling_policy.insert(
        format!("scale_on_invocations_{i}"),
        Policy {
            name: format!("scale-on-invocations-{i}"),
            policy_type: "TargetTrackingScaling",
            resource_id: target("resource_id"),
            scalable_dimension: target("scalable_dimension"),
            service_namespace: target("service_namespace"),
            target_tracking_scaling_policy_configuration: TargetTracking {
                predefined_metric_specification: PredefinedMetric {
                    predefined_metric_type: "SageMakerVariantInvocationsPerInstance",
                },
                scale_in_cooldown: 600,
                scale_out_cooldown: 120,
                target_value: 100.0,
            },
        },
    );
    for (key, name, schedule, min, max) in SCHEDULED_ACTIONS {
        r.aws_appautoscaling_scheduled_action.insert(
            format!("{key}_{i}"),
            ScheduledAction {
                name: format!("{name}-{i}"),
                resource_id: target("resource_id"),
                scalable_dimension: target("scalable_dimension"),
                scalable_target_action: Capacity {
                    max_capacity: max,
                    min_capacity: min,
                },
                schedule,
                service_namespace: target("service_namespace"),
            },
        );
    }
    r.aws_sagemaker_endpoint_configuration.insert(
        format!("batch_spot_{i}"),
        EndpointConfiguration {
            name: format!("batch-inference-spot-{i}"),
            production_variants: [Variant {
                initial_instance_count: 1,
                instance_type: "ml.g5.12xlarge",
                managed_instance_scaling: Some(ManagedScaling {
                    max_instance_count: 8,
                    min_instance_count: 0,
                    status: "ENABLED",
                }),
                model_name: format!("${{aws_sagemaker_model.llama_70b_{i}.name}}"),
                routing_config: Some([Routing {
                    routing_strategy: "LEAST_OUTSTANDING_REQUESTS",
                }]),
                variant_name: "spot",
            }],
        },
    );
    r.aws_elasticache_parameter_group.insert(
        format!("ai_{i}"),
        ParameterGroup {
            family: "redis7",
            name: format!("ai-cache-params-{i}"),
            parameter: [Parameter {
                name: "maxmemory-policy",
                value: "allkeys-lru",
            }],
        },
    );
    r.aws_elasticache_replication_group.insert(
        format!("ai_cache_{i}"),
        ReplicationGroup {
            at_rest_encryption_enabled: "true",
            description: "Cache for AI model responses",
            engine: "redis",
            engine_version: "7.1",
            node_type: "cache.r6g.large",
            num_cache_clusters: 2,
            parameter_group_name: format!("${{aws_elasticache_parameter_group.ai_{i}.name}}"),
            replication_group_id: format!("ai-response-cache-{i}"),
            tags: ComponentTag {
                Component: "ai-optimization",
            },
            transit_encryption_enabled: true,
        },
    );
    let large = format!("${{jsonencode(aws_sagemaker_endpoint.large_model_{i}.name)}}");
    let cache =
        format!("${{jsonencode(\"${{aws_elasticache_replication_group.ai_cache_{i}.id}}-001\")}}");
    let bedrock =
        |metric: &str| format!(r#"["AWS/Bedrock","{metric}","ModelId","{BEDROCK_MODEL}"]"#);
    let sagemaker =
        |metric: &str| format!(r#"["/aws/sagemaker/Endpoints","{metric}","EndpointName",{large}]"#);
    r.aws_cloudwatch_dashboard.insert(
        format!("ai_costs_{i}"),
        Dashboard {
            dashboard_body: format!(
                concat!(
                    r#"{{"widgets":["#,
                    r#"{{"type":"metric","width":12,"height":6,"properties":{{"title":"Token Usage by Model","metrics":[{},{}],"period":3600,"stat":"Sum"}}}},"#,
                    r#"{{"type":"metric","width":12,"height":6,"properties":{{"title":"SageMaker Instance Hours","metrics":[{},{},{}],"period":300,"stat":"Average"}}}},"#,
                    r#"{{"type":"metric","width":12,"height":6,"properties":{{"title":"Cache Hit Rate","metrics":[["AWS/ElastiCache","CacheHitRate","CacheClusterId",{}]],"period":300}}}}"#,
                    r#"]}}"#
                ),
                bedrock("InputTokenCount"),
                bedrock("OutputTokenCount"),
                sagemaker("CPUUtilization"),
                sagemaker("GPUUtilization"),
                sagemaker("GPUMemoryUtilization"),
                cache,
            ),
            dashboard_name: format!("ai-cost-optimization-{i}"),
        },
    );
}
