//! The guide's "Apps of many stacks" example (`docs/src/apps.md`), word for word (a test keeps
//! the two the same): three stacks that read each other's exports, deployed as the app
//! `readme-app`.

use oxiform::aws::cloudwatch::{CloudwatchMetricAlarm, CloudwatchMetricAlarmArgs};
use oxiform::aws::iam::{IamRole, IamRolePolicy, IamRolePolicyArgs};
use oxiform::aws::iam_policy::{PolicyDocument, Statement};
use oxiform::aws::lambda::lambda_function::Environment;
use oxiform::aws::lambda::{LambdaFunction, LambdaFunctionArgs};
use oxiform::aws::s3::S3Bucket;
use oxiform::aws::sns::SnsTopic;
use oxiform::prelude::*;

/// Data, an API that reads it, and alerts on the API: three stacks, one app.
pub fn platform() -> anyhow::Result<App> {
    let provider = || AwsProvider::new("us-east-1").default_tag("Team", "platform");

    // Data: a bucket and an alerts topic, exported with their Rust types.
    let mut data = Stack::new("readme-data");
    data.provider(provider());
    let bucket = data.add("events", S3Bucket::new().bucket("acme-platform-events"));
    let topic = data.add("alerts", SnsTopic::new().name("platform-alerts"));
    let bucket_name: Export<String> = data.export("bucket", Output::new(bucket.bucket()));
    let bucket_arn = data.export("bucket_arn", Output::new(bucket.arn()));
    let topic_arn = data.export("alerts_topic_arn", Output::new(topic.arn()));

    // The API reads the bucket's name and ARN like any other expression.
    let mut api = Stack::new("readme-api");
    api.provider(provider());
    let role = api.add(
        "api",
        IamRole::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_value()),
    );
    let read = PolicyDocument::new()
        .statement(Statement::allow(["s3:GetObject"]).resource(template!("{}/*", bucket_arn)));
    api.add(
        "api_reads_events",
        IamRolePolicy::new(IamRolePolicyArgs {
            policy: read.to_value(),
            role: role.id().into(),
        }),
    );
    let zip = api.add_asset(
        "api.zip",
        oxiform::asset::deterministic_zip(&[(
            "api.py".into(),
            b"def handler(event, context):\n    return {}\n".to_vec(),
        )]),
    );
    let function = api.add(
        "api",
        LambdaFunction::new(LambdaFunctionArgs {
            function_name: "platform-api".into(),
            role: role.arn().into(),
        })
        .runtime("python3.12")
        .handler("api.handler")
        .filename(zip.path)
        .source_code_hash(zip.base64_sha256)
        .environment(Environment::new().variable("EVENTS_BUCKET", bucket_name)),
    );
    let function_name = api.export("function_name", Output::new(function.function_name()));

    // Alerts read the API's function and the data stack's topic.
    let mut alerts = Stack::new("readme-alerts");
    alerts.provider(provider());
    alerts.add(
        "api_errors",
        CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
            alarm_name: "platform-api-errors".into(),
            comparison_operator: "GreaterThanThreshold".into(),
            evaluation_periods: 1.into(),
        })
        .namespace("AWS/Lambda")
        .metric_name("Errors")
        .dimension("FunctionName", function_name)
        .statistic("Sum")
        .period(300)
        .threshold(0.0)
        .alarm_action(topic_arn),
    );

    // One app, one backend: every stack's state in one bucket, locked with S3 lock files.
    let mut app = App::new("readme-app");
    app.backend(AppBackend::s3("acme-tf-state", "platform", "us-east-1"));
    app.add(data);
    app.add(api);
    app.add(alerts);
    Ok(app)
}
