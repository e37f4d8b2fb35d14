//! The failure messages, pinned: each names what was expected and the call site, then the
//! nearest candidate and a line per difference.

use oxiform_analysis::policy::PolicySet;
use oxiform_aws::appautoscaling::appautoscaling_scheduled_action::ScalableTargetAction;
use oxiform_aws::appautoscaling::{
    AppautoscalingScheduledAction, AppautoscalingScheduledActionArgs,
};
use oxiform_aws::iam::{IamRole, IamRolePolicy, IamRolePolicyArgs};
use oxiform_aws::s3::S3Bucket;
use oxiform_aws::sagemaker::sagemaker_endpoint_configuration::ProductionVariants;
use oxiform_aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration, SagemakerModel};
use oxiform_core::prelude::*;
use oxiform_testing::{address, AssertionError, AssertionKind, Match, Template};
use serde_json::json;

/// Two endpoints tagged by tier, a scheduled action, a role and its policy.
fn inference() -> Stack {
    let mut stack = Stack::new("inference");
    let role = stack.add("exec", IamRole::new("{}"));
    let model = stack.add("llm", SagemakerModel::new(role.arn()));
    let mut endpoints = Vec::new();
    for (tier, instance) in [("small", "ml.g5.xlarge"), ("large", "ml.g5.12xlarge")] {
        let config = stack.add(
            tier,
            SagemakerEndpointConfiguration::new(vec![ProductionVariants::new(model.name())
                .variant_name("primary")
                .instance_type(instance)]),
        );
        let endpoint = stack.add(tier, SagemakerEndpoint::new(config.name()));
        endpoints.push(endpoint);
        if tier == "large" {
            stack.add(
                "night",
                AppautoscalingScheduledAction::new(AppautoscalingScheduledActionArgs {
                    name: "night".into(),
                    resource_id: template!("endpoint/{}/variant/primary", endpoint.name()).into(),
                    scalable_dimension: "sagemaker:variant:DesiredInstanceCount".into(),
                    schedule: "cron(0 22 * * ? *)".into(),
                    service_namespace: "sagemaker".into(),
                    scalable_target_action: ScalableTargetAction::new()
                        .min_capacity(1)
                        .max_capacity(1),
                }),
            );
        }
    }
    let large_arn = endpoints[1].arn();
    stack.add(
        "invoke",
        IamRolePolicy::new(IamRolePolicyArgs {
            policy: template!(
                r#"{"Statement":[{"Action":"sagemaker:InvokeEndpoint","Resource":[{}]}]}"#,
                large_arn.call::<String>("jsonencode", &[])
            )
            .into(),
            role: role.id().into(),
        }),
    );
    stack.output("small_arn", Output::new(endpoints[0].arn()));
    stack
}

fn template() -> Result<Template, AssertionError> {
    Template::synth(&inference())
}

/// The message of a failed assertion, with this file's line numbers replaced so that the
/// snapshots survive edits above them.
fn message<T: std::fmt::Debug>(result: Result<T, AssertionError>) -> String {
    match result {
        Ok(v) => format!("unexpectedly passed: {v:?}"),
        Err(e) => {
            let mut text = e.to_string();
            let file = "testing/tests/messages.rs:";
            let mut from = 0;
            while let Some(at) = text[from..].find(file).map(|i| from + i + file.len()) {
                let end = text[at..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(text.len(), |i| at + i);
                text.replace_range(at..end, "LINE");
                from = at;
            }
            text
        }
    }
}

#[test]
fn a_partial_match_shows_the_nearest_resource_and_each_difference() -> Result<(), AssertionError> {
    let t = template()?;
    let found = t.has_resource_properties::<SagemakerEndpointConfiguration>(json!({
        "production_variants": [{"instance_type": "ml.g5.12xlarge"}]
    }))?;
    assert_eq!(found.name(), "large");
    insta::assert_snapshot!(
        "no_match",
        message(t.has_resource_properties::<SagemakerEndpointConfiguration>(
            Match::object_like(json!({
                "production_variants": [{"instance_type": "ml.g5.2xlarge", "variant_name": "primary", "initial_instance_count": 1}]
            }))
            .key("lifecycle", Match::absent())
        ))
    );
    Ok(())
}

#[test]
fn all_resources_must_match_and_each_that_does_not_is_shown() -> Result<(), AssertionError> {
    let t = template()?;
    let tagged = Match::object_like(json!({})).key(
        "tags",
        Match::object_like(json!({})).key("ModelTier", Match::any_value()),
    );
    let err = t.all_resources_properties::<SagemakerEndpoint>(tagged);
    insta::assert_snapshot!("not_all", message(err));
    Ok(())
}

#[test]
fn a_wrong_count_lists_what_there_is() -> Result<(), AssertionError> {
    let t = template()?;
    t.resource_count_is::<SagemakerEndpoint>(2)?;
    insta::assert_snapshot!(
        "count",
        message(t.resource_count_is::<SagemakerEndpoint>(3))
    );
    insta::assert_snapshot!("count_none", message(t.resource_count_is::<S3Bucket>(1)));
    Ok(())
}

#[test]
fn a_missing_reference_lists_what_is_referenced() -> Result<(), AssertionError> {
    let t = template()?;
    let night = address::<AppautoscalingScheduledAction>("night");
    let large = address::<SagemakerEndpoint>("large");
    let reference = t.references(&night, &large)?;
    assert_eq!(reference.paths(), ["resource_id"]);
    assert_eq!(
        message(t.references(&night, &address::<SagemakerEndpoint>("small"))),
        message(t.references(&night, &address::<SagemakerEndpoint>("small")))
    );
    insta::assert_snapshot!(
        "no_reference",
        message(t.references(&night, &address::<SagemakerEndpoint>("small")))
    );
    insta::assert_snapshot!(
        "no_reference_reversed",
        message(t.references(&large, &night))
    );
    insta::assert_snapshot!(
        "missing_resource",
        message(t.references(&night, &address::<SagemakerEndpoint>("medium")))
    );
    Ok(())
}

#[test]
fn a_serialized_policy_is_matched_through_its_holes() -> Result<(), AssertionError> {
    let t = template()?;
    let policy = |resource: &str| {
        Match::object_like(json!({})).key(
            "policy",
            Match::serialized_json(json!({
                "Statement": [{"Action": "sagemaker:InvokeEndpoint", "Resource": [resource]}]
            })),
        )
    };
    insta::assert_snapshot!(
        "serialized_json",
        message(t.has_resource_properties::<IamRolePolicy>(policy(
            "${aws_sagemaker_endpoint.small.arn}"
        )))
    );
    Ok(())
}

#[test]
fn outputs_and_the_policy_gate() -> Result<(), AssertionError> {
    let t = template()?;
    assert_eq!(
        t.output("small_arn")?.expression(),
        Some("aws_sagemaker_endpoint.small.arn")
    );
    assert_eq!(
        t.output("small_arn")?.references(),
        ["aws_sagemaker_endpoint.small"]
    );
    insta::assert_snapshot!("missing_output", message(t.output("large_arn")));
    let err = t.policy_is_clean(&PolicySet::default().require_tags(["Team"]));
    assert_eq!(
        err.as_ref().err().map(AssertionError::kind),
        Some(AssertionKind::Policy)
    );
    insta::assert_snapshot!("policy", message(err));
    Ok(())
}

#[test]
fn a_stack_that_does_not_synthesise_says_why() {
    let mut stack = Stack::new("broken");
    stack.add("dup", S3Bucket::new());
    stack.add("dup", S3Bucket::new());
    insta::assert_snapshot!("synth", message(Template::synth(&stack)));
}
