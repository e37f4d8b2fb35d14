//! The whole deploy loop on the real terraform and AWS provider against the AWS API emulator
//! on loopback: synth → init → plan → apply → a second plan with no changes → destroy, and a
//! failure mid-apply that keeps what was created in state.

use std::time::Instant;

use oxiform::aws::iam::{IamRole, IamRolePolicyAttachment, IamRolePolicyAttachmentArgs};
use oxiform::aws::iam_policy::PolicyDocument;
use oxiform::aws::s3::S3Bucket;
use oxiform::prelude::*;
use oxiform_cli::terraform::{run_step, Step};
use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::Workdir;

fn timed<T>(label: &str, timings: &mut Vec<String>, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    timings.push(format!("{label} {:.1}s", start.elapsed().as_secs_f64()));
    out
}

#[test]
fn ai_inference_applies_replans_without_changes_and_destroys() {
    let whole = Instant::now();
    let emulator = Emulator::start();
    let config = stacks::config::load("local").unwrap_or_else(|e| panic!("{e}"));
    let stack = stacks::ai_inference::build("ai-inference-local", &config, Some(&emulator.url()))
        .unwrap_or_else(|e| panic!("{e:#}"));
    let work = Workdir::new();
    work.write_stack(&stack);
    let env = emulator.provider_env();
    let mut timings = Vec::new();

    timed("init", &mut timings, || {
        work.run_ok_env(&["init", "-input=false"], &env)
    });
    let first = timed("plan", &mut timings, || {
        work.run_env(&["plan", "-input=false", "-detailed-exitcode"], &env)
    });
    assert_eq!(
        first.status.code(),
        Some(2),
        "the first plan must propose changes:\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let apply = timed("apply", &mut timings, || {
        work.run_env(&["apply", "-input=false", "-auto-approve"], &env)
    });
    assert!(
        apply.status.success(),
        "apply failed:\n{}\nemulator log (tail):\n{}",
        String::from_utf8_lossy(&apply.stderr),
        tail(&emulator.log(), 60)
    );
    let resources = work.run_ok_env(&["state", "list"], &env);
    assert_eq!(
        resources.lines().count(),
        stack.len(),
        "every resource and data source is in state:\n{resources}"
    );

    let second = timed("plan again", &mut timings, || {
        work.run_env(&["plan", "-input=false", "-detailed-exitcode"], &env)
    });
    assert_eq!(
        second.status.code(),
        Some(0),
        "the second plan must report no changes (drift between our output and the API):\n{}\n{}",
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&second.stderr)
    );

    let destroy = timed("destroy", &mut timings, || {
        work.run_env(&["destroy", "-input=false", "-auto-approve"], &env)
    });
    assert!(
        destroy.status.success(),
        "destroy failed:\n{}\n{}",
        String::from_utf8_lossy(&destroy.stdout),
        String::from_utf8_lossy(&destroy.stderr)
    );
    assert_eq!(
        work.run_ok_env(&["state", "list"], &env).trim(),
        "",
        "state is empty"
    );

    // The emulator's own list calls: nothing is left behind.
    for (service, target, empty) in [
        ("sagemaker", "SageMaker.ListEndpoints", "\"Endpoints\": []"),
        ("sagemaker", "SageMaker.ListModels", "\"Models\": []"),
        (
            "states",
            "AWSStepFunctions.ListStateMachines",
            "\"stateMachines\": []",
        ),
    ] {
        let answer = emulator.json(service, target, "{}");
        assert_eq!(answer.status, 200, "{target}: {}", answer.body);
        assert!(
            answer
                .body
                .replace(' ', "")
                .contains(&empty.replace(' ', "")),
            "{target} still lists something: {}",
            answer.body
        );
    }
    let vpcs = format!(
        "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=cidr&Filter.1.Value.1={}",
        config.network.vpc_cidr
    );
    for (service, params, element) in [
        (
            "elasticache",
            "Action=DescribeReplicationGroups&Version=2015-02-02",
            "<ReplicationGroup>",
        ),
        (
            "iam",
            "Action=ListRoles&Version=2010-05-08",
            config.name_prefix.as_str(),
        ),
        // Deleted endpoints stay listed as `deleted` for a while, in AWS as in the emulator.
        (
            "ec2",
            "Action=DescribeVpcEndpoints&Version=2016-11-15&Filter.1.Name=vpc-endpoint-state\
             &Filter.1.Value.1=available&Filter.1.Value.2=pending",
            "<vpcEndpointId>",
        ),
        ("ec2", vpcs.as_str(), "<vpcId>"),
    ] {
        let answer = emulator.query(service, params);
        // An answer to the call asked, not an error page that lists nothing either.
        let action = params
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or_default();
        assert!(
            answer.status == 200 && answer.body.contains(&format!("<{action}Response")),
            "{params}: {} {}",
            answer.status,
            answer.body
        );
        assert!(
            !answer.body.contains(element),
            "{params} still lists {element}: {}",
            answer.body
        );
    }
    timings.push(format!("whole test {:.1}s", whole.elapsed().as_secs_f64()));
    eprintln!("deploy timings: {}", timings.join(", "));
}

#[test]
fn a_failure_mid_apply_names_the_resource_and_keeps_state() {
    let emulator = Emulator::start();
    let mut stack = Stack::new("half");
    let url = emulator.url();
    stack.aws_provider(
        AwsProvider::new("us-east-1")
            .static_credentials("test", "test")
            .emulator(&url, oxiform_tests::emulator::SERVICES),
    );
    let bucket = stack.add("kept", S3Bucket::new().bucket("oxiform-half-applied"));
    // Passes plan, fails at apply: the emulator, like IAM, has no such managed policy.
    let role = stack.add(
        "kept",
        IamRole::new(PolicyDocument::assume_role("lambda.amazonaws.com").to_value())
            .name("oxiform-half-applied")
            .depends_on(&bucket),
    );
    stack.add(
        "rejected",
        IamRolePolicyAttachment::new(IamRolePolicyAttachmentArgs {
            policy_arn: "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere".into(),
            role: role.name().into(),
        }),
    );
    let work = Workdir::new();
    work.write_stack(&stack);
    let config = work.cli_config().to_string_lossy().into_owned();
    let runtime = tokio_runtime();
    let dir = work.path();
    runtime
        .block_on(run_step(
            &dir,
            &Step::init().with_env("TF_CLI_CONFIG_FILE", &config),
        ))
        .unwrap_or_else(|e| panic!("{e:#}"));
    let err = runtime
        .block_on(run_step(
            &dir,
            &Step::apply(true).with_env("TF_CLI_CONFIG_FILE", &config),
        ))
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(err.starts_with("terraform apply failed"), "{err}");
    assert!(
        err.contains("aws_iam_role_policy_attachment.rejected"),
        "the error names the failing resource:\n{err}"
    );
    let state = work.run_ok(&["state", "list"]);
    assert!(
        state.contains("aws_s3_bucket.kept"),
        "state keeps what was created:\n{state}"
    );
    assert!(
        state.contains("aws_iam_role.kept"),
        "state keeps what was created:\n{state}"
    );
    assert!(!state.contains("rejected"), "{state}");
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
