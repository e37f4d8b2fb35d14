//! The guide's first stack (`docs/src/first-stack.md`), word for word below this comment (a
//! test keeps the two the same), registered as `readme-example` and checked with the default
//! policy set, as a user's first stack would be.

use oxiform::aws::budgets::budgets_budget::{Notification, NotificationArgs};
use oxiform::aws::budgets::{BudgetsBudget, BudgetsBudgetArgs};
use oxiform::aws::cloudwatch::{CloudwatchMetricAlarm, CloudwatchMetricAlarmArgs};
use oxiform::aws::iam::IamRole;
use oxiform::aws::iam_policy::PolicyDocument;
use oxiform::aws::lambda::{LambdaFunction, LambdaFunctionArgs};
use oxiform::aws::sns::SnsTopic;
use oxiform::prelude::*;

/// A model router function, an alarm on its errors, and a monthly budget.
pub fn router() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("router");
    stack.provider(AwsProvider::new("us-east-1").default_tag("Team", "ml-platform"));

    // The function and the role it runs as.
    let trust = PolicyDocument::assume_role("lambda.amazonaws.com");
    let role = stack.add("router", IamRole::new(trust.to_value()));
    let zip = stack.add_asset(
        "router.zip",
        oxiform::asset::deterministic_zip(&[(
            "router.py".into(),
            b"def handler(event, context):\n    return {}\n".to_vec(),
        )]),
    );
    let function = stack.add(
        "router",
        LambdaFunction::new(LambdaFunctionArgs {
            function_name: "ai-model-router".into(),
            role: role.arn().into(),
        })
        .runtime("python3.12")
        .handler("router.handler")
        .filename(zip.path)
        .source_code_hash(zip.base64_sha256),
    );

    // Alerts: a topic, an alarm on the function's errors, and a budget.
    let alerts = stack.add("alerts", SnsTopic::new().name("ml-platform-alerts"));
    stack.add(
        "router_errors",
        CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
            alarm_name: "ai-model-router-errors".into(),
            comparison_operator: "GreaterThanThreshold".into(),
            evaluation_periods: 1.into(),
        })
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .dimension("FunctionName", function.function_name())
        .statistic("Sum")
        .period(300)
        .threshold(0.0)
        .alarm_action(alerts.arn()),
    );
    stack.add(
        "monthly",
        BudgetsBudget::new(BudgetsBudgetArgs {
            budget_type: "COST".into(),
            time_unit: "MONTHLY".into(),
        })
        .limit_amount("500")
        .limit_unit("USD")
        .notification(
            Notification::new(NotificationArgs {
                comparison_operator: "GREATER_THAN".into(),
                notification_type: "FORECASTED".into(),
                threshold: 80.0.into(),
                threshold_type: "PERCENTAGE".into(),
            })
            .subscriber_email_address("ml-platform@example.com"),
        ),
    );

    stack.output("function_arn", Output::new(function.arn()));
    stack.output("alerts_topic_arn", Output::new(alerts.arn()));
    Ok(stack)
}
