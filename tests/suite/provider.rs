//! The generated provider configuration and the provider's functions, through the real
//! terraform: every block a team configures (`assume_role`, `endpoints`, `default_tags`,
//! `ignore_tags`, an alias) passes `terraform validate`, and the three provider functions
//! evaluate to what the provider computes.

use oxiform::aws::functions::{arn_build, arn_parse, trim_iam_role_path};
use oxiform::aws::provider::aws_provider::{AssumeRole, Endpoints, IgnoreTags};
use oxiform::aws::s3::S3Bucket;
use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform_tests::terraform::Workdir;

fn errors(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|d| d["severity"] == "error")
                .map(|d| format!("{} — {}", d["summary"], d["detail"]))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_provider_block_passes_terraform_validate() {
    let mut stack = Stack::new("provider-config");
    stack.provider(
        AwsProvider::new("eu-west-1")
            .assume_role(
                AssumeRole::new()
                    .role_arn("arn:aws:iam::123456789012:role/deploy")
                    .session_name("oxiform")
                    .duration("1h"),
            )
            .ignore_tags(IgnoreTags::new().key_prefix("kubernetes.io/"))
            .default_tag("Team", "ml-platform")
            .default_tag("ManagedBy", "oxiform")
            .endpoints(Endpoints::new().dynamodb("http://127.0.0.1:4566"))
            .max_retries(5)
            .allowed_account_id("123456789012"),
    );
    let west = stack.provider(AwsProvider::new("us-west-2").alias("west"));
    stack.add("logs", S3Bucket::new().provider(&west));
    let json: serde_json::Value = serde_json::from_str(
        &stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let aws = &json["provider"]["aws"];
    assert_eq!(
        aws[0]["assume_role"][0]["role_arn"],
        "arn:aws:iam::123456789012:role/deploy"
    );
    assert_eq!(
        aws[0]["ignore_tags"][0]["key_prefixes"][0],
        "kubernetes.io/"
    );
    // Two `default_tag` calls fill one block: the provider takes a single `default_tags`.
    assert_eq!(aws[0]["default_tags"].as_array().map(Vec::len), Some(1));
    assert_eq!(aws[0]["default_tags"][0]["tags"]["ManagedBy"], "oxiform");
    assert_eq!(aws[0]["max_retries"], 5);
    assert_eq!(aws[1]["alias"], "west");
    assert_eq!(
        json["resource"]["aws_s3_bucket"]["logs"]["provider"],
        "aws.west"
    );

    let work = Workdir::new();
    work.write_main(&json.to_string());
    let report = work.validate();
    assert_eq!(errors(&report), Vec::<String>::new(), "{report:#}");
}

#[test]
fn provider_functions_evaluate_in_terraform() {
    let mut stack = Stack::new("provider-functions");
    // An argument that is an expression: the call depends on the resource.
    let role = stack.add(
        "role",
        TerraformData::new().input(serde_json::json!(
            "arn:aws:iam::123456789012:role/path/to/ops"
        )),
    );
    let role_arn: Expr<String> = role.output().cast();
    stack.output(
        "built",
        Output::new(arn_build("aws", "iam", "", "123456789012", "role/deploy")),
    );
    let parsed = arn_parse(role_arn.clone());
    stack.output("account", Output::new(parsed.account_id()));
    stack.output("service", Output::new(parsed.service()));
    stack.output("trimmed", Output::new(trim_iam_role_path(role_arn)));

    let doc = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = doc.to_json().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        json.contains("${provider::aws::arn_parse(terraform_data.role.output).account_id}"),
        "{json}"
    );

    let work = Workdir::new();
    work.write_stack(&stack);
    work.run_ok(&["init", "-input=false", "-backend=false"]);
    work.run_ok(&["apply", "-auto-approve", "-input=false"]);
    let outputs: serde_json::Value =
        serde_json::from_str(&work.run_ok(&["output", "-json"])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outputs["built"]["value"],
        "arn:aws:iam::123456789012:role/deploy"
    );
    assert_eq!(outputs["account"]["value"], "123456789012");
    assert_eq!(outputs["service"]["value"], "iam");
    assert_eq!(
        outputs["trimmed"]["value"],
        "arn:aws:iam::123456789012:role/ops"
    );
}
