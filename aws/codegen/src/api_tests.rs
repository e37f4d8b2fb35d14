//! The generated API, used the way stacks use it: it compiles, and synthesises to the
//! Terraform JSON the provider expects.

use oxiform::aws::appautoscaling::appautoscaling_scheduled_action::ScalableTargetAction;
use oxiform::aws::appautoscaling::{
    AppautoscalingScheduledAction, AppautoscalingScheduledActionArgs,
};
use oxiform::aws::iam::{IamRole, IamRolePolicyAttachment, IamRolePolicyAttachmentArgs};
use oxiform::aws::meta::DataRegion;
use oxiform::aws::s3::S3Bucket;
use oxiform::aws::sagemaker::sagemaker_endpoint_configuration::{
    ManagedInstanceScaling, ProductionVariants,
};
use oxiform::aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration};
use oxiform::aws::sagemaker::{SagemakerEndpointConfigurationField, SagemakerModel};
use oxiform::aws::vpc::{Subnet, Vpc};
use oxiform::prelude::*;
use oxiform::testing::{AssertionError, Match, Template};
use serde_json::json;

#[test]
fn an_inference_endpoint_synthesises() -> Result<(), AssertionError> {
    let mut stack = Stack::new("api");
    let region = stack.add("current", DataRegion::new());
    let role = stack.add(
        "sagemaker",
        IamRole::new(r#"{"Version":"2012-10-17","Statement":[]}"#)
            .name("sagemaker-exec")
            .max_session_duration(3600)
            .tag("team", "ml"),
    );
    stack.add(
        "s3_read",
        IamRolePolicyAttachment::new(IamRolePolicyAttachmentArgs {
            role: role.name().into(),
            policy_arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into(),
        }),
    );
    let model = stack.add(
        "llm",
        SagemakerModel::new(role.arn()).name(template!("llm-{}", region.name())),
    );
    let config = stack.add(
        "large",
        SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(model.name())
            .variant_name("primary")
            .instance_type("ml.g5.xlarge")
            .initial_instance_count(1)
            .initial_variant_weight(1.0)
            .managed_instance_scaling(
                ManagedInstanceScaling::new()
                    .status("ENABLED")
                    .min_instance_count(1)
                    .max_instance_count(4),
            )])
        .tag("cost-center", "inference")
        .ignore_changes([SagemakerEndpointConfigurationField::Tags]),
    );
    let endpoint = stack.add("large", SagemakerEndpoint::new(config.name()));
    stack.add(
        "night",
        AppautoscalingScheduledAction::new(AppautoscalingScheduledActionArgs {
            name: "night".into(),
            resource_id: template!("endpoint/{}/variant/primary", endpoint.name()).into(),
            scalable_dimension: "sagemaker:variant:DesiredInstanceCount".into(),
            schedule: "cron(0 22 * * ? *)".into(),
            service_namespace: "sagemaker".into(),
            scalable_target_action: ScalableTargetAction::new().min_capacity(1).max_capacity(1),
        }),
    );
    let bucket = stack.add(
        "data",
        S3Bucket::new().bucket_prefix("data-${not-evaluated}"),
    );
    let _ = bucket.arn();

    let t = Template::synth(&stack)?;
    t.has_resource_properties::<IamRole>(Match::exact(json!({
        "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
        "max_session_duration": 3600,
        "name": "sagemaker-exec",
        "tags": { "team": "ml" }
    })))?;
    let attachment = t.has_resource_properties::<IamRolePolicyAttachment>(json!({
        "role": "${aws_iam_role.sagemaker.name}"
    }))?;
    t.references(&attachment, &role)?;
    t.has_resource_properties::<SagemakerModel>(Match::exact(json!({
        "execution_role_arn": "${aws_iam_role.sagemaker.arn}",
        "name": "llm-${data.aws_region.current.name}"
    })))?;
    t.references(&model, &region)?;
    t.has_resource_properties::<SagemakerEndpointConfiguration>(Match::exact(json!({
        "production_variants": [{
            "initial_instance_count": 1,
            "initial_variant_weight": 1.0,
            "instance_type": "ml.g5.xlarge",
            "managed_instance_scaling": {
                "max_instance_count": 4,
                "min_instance_count": 1,
                "status": "ENABLED"
            },
            "model_name": "${aws_sagemaker_model.llm.name}",
            "variant_name": "primary"
        }],
        "tags": { "cost-center": "inference" },
        "lifecycle": { "ignore_changes": ["tags"] }
    })))?;
    // The night action's max is 1, on the large endpoint's variant.
    let night = t.has_resource_properties::<AppautoscalingScheduledAction>(json!({
        "scalable_target_action": { "max_capacity": 1, "min_capacity": 1 },
        "resource_id": "endpoint/${aws_sagemaker_endpoint.large.name}/variant/primary"
    }))?;
    assert_eq!(t.references(&night, &endpoint)?.paths(), ["resource_id"]);
    // Literal text is escaped, never evaluated.
    t.has_resource_properties::<S3Bucket>(json!({ "bucket_prefix": "data-$${not-evaluated}" }))?;
    t.has_resource_properties::<DataRegion>(Match::exact(json!({})))?;
    Ok(())
}

#[test]
fn keyword_fields_and_appenders_serialise_under_terraform_names() -> Result<(), AssertionError> {
    let mut stack = Stack::new("api-vpc");
    let vpc = stack.add(
        "main",
        Vpc::new().cidr_block("10.0.0.0/16").tag("Name", "main"),
    );
    let subnet = stack.add("a", Subnet::new(vpc.id()).cidr_block("10.0.1.0/24"));
    let t = Template::synth(&stack)?;
    t.has_resource_properties::<Subnet>(json!({ "vpc_id": "${aws_vpc.main.id}" }))?;
    t.references(&subnet, &vpc)?;
    let batch = oxiform::aws::batch::BatchComputeEnvironment::new("MANAGED");
    let body = match serde_json::to_value(&batch) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(body, json!({ "type": "MANAGED" }));
    Ok(())
}
