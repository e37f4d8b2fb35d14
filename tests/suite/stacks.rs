//! This repository's stacks: one snapshot each, `terraform validate` against the provider
//! mirror, and the configuration files' schema and error messages.

use oxiform::aws::appautoscaling::{AppautoscalingScheduledAction, AppautoscalingTarget};
use oxiform::aws::iam::IamRolePolicy;
use oxiform::aws::lambda::LambdaFunction;
use oxiform::aws::sagemaker::SagemakerEndpoint;
use oxiform::testing::{AssertionError, Match, Template};
use oxiform_tests::snapshot;
use oxiform_tests::terraform::Workdir;
use serde_json::json;

fn synth(def: &oxiform_cli::StackDef) -> String {
    let stack = (def.build)().unwrap_or_else(|e| panic!("building {}: {e:#}", def.name));
    let doc = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    doc.to_json().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_stack_matches_its_snapshot() {
    let app = stacks::app();
    assert!(!app.stacks.is_empty());
    for def in &app.stacks {
        snapshot!(format!("stack_{}", def.name), synth(def));
    }
}

#[test]
fn every_stack_passes_terraform_validate() {
    for def in &stacks::app().stacks {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        let work = Workdir::new();
        work.write_stack(&stack);
        let report = work.validate();
        assert_eq!(
            report["valid"],
            serde_json::Value::Bool(true),
            "terraform validate rejected stack `{}`:\n{report:#}",
            def.name
        );
        assert_eq!(report["error_count"], 0, "{report:#}");
        assert_eq!(
            report["warning_count"], 0,
            "stack `{}` has warnings:\n{report:#}",
            def.name
        );
    }
}

#[test]
fn synth_is_byte_identical_across_runs() {
    for def in &stacks::app().stacks {
        assert_eq!(synth(def), synth(def), "stack `{}`", def.name);
    }
}

fn prod() -> Result<Template, AssertionError> {
    let stack = stacks::ai_inference::prod().unwrap_or_else(|e| panic!("{e:#}"));
    Template::synth(&stack)
}

#[test]
fn router_may_invoke_exactly_its_two_endpoints_and_the_fallback_model() -> Result<(), AssertionError>
{
    let t = prod()?;
    // The policy document with each `${jsonencode(…)}` hole read as the expression it names:
    // two statements, the first on exactly the two endpoints.
    let statements = Match::array([
        json!({
            "Action": "sagemaker:InvokeEndpoint",
            "Resource": [
                "${aws_sagemaker_endpoint.small.arn}",
                "${aws_sagemaker_endpoint.large.arn}"
            ]
        }),
        json!({
            "Action": "bedrock:InvokeModel",
            "Resource": "arn:${data.aws_partition.current.partition}:bedrock:${data.aws_region.current.name}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
        }),
    ]);
    let invoke = t.resource::<IamRolePolicy>("model_router_invoke")?;
    invoke.has_properties(
        Match::object_like(json!({ "role": "${aws_iam_role.model_router.id}" })).key(
            "policy",
            Match::serialized_json(Match::object_like(json!({})).key("Statement", statements)),
        ),
    )?;
    // And it names nothing else: its role, the two endpoints, where the model is.
    let dependencies: Vec<String> = t
        .dependencies(&invoke)?
        .iter()
        .map(|r| r.to().to_owned())
        .collect();
    assert_eq!(
        dependencies,
        [
            "aws_iam_role.model_router",
            "aws_sagemaker_endpoint.large",
            "aws_sagemaker_endpoint.small",
            "data.aws_partition.current",
            "data.aws_region.current"
        ]
    );
    t.resource::<LambdaFunction>("model_router")?
        .has_properties(json!({
            "environment": { "variables": {
                "LARGE_ENDPOINT": "${aws_sagemaker_endpoint.large.name}",
                "SMALL_ENDPOINT": "${aws_sagemaker_endpoint.small.name}",
                "BEDROCK_MODEL": "anthropic.claude-3-5-sonnet-20240620-v1:0"
            }}
        }))
}

#[test]
fn every_endpoint_carries_its_model_tier_tag() -> Result<(), AssertionError> {
    let tagged = Match::object_like(json!({})).key(
        "tags",
        Match::object_like(json!({}))
            .key("ModelTier", Match::any_value())
            .key("CostPerRequest", Match::any_value()),
    );
    for def in stacks::app()
        .stacks
        .iter()
        .filter(|d| d.name.starts_with("ai-inference"))
    {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        let t = Template::synth(&stack)?;
        t.resource_count_is::<SagemakerEndpoint>(2)?;
        t.all_resources_properties::<SagemakerEndpoint>(tagged.clone())?;
        t.resource::<SagemakerEndpoint>("large")?
            .has_properties(json!({ "tags": { "ModelTier": "premium" } }))?;
    }
    Ok(())
}

#[test]
fn the_night_action_holds_the_large_endpoint_at_one_instance() -> Result<(), AssertionError> {
    let t = prod()?;
    let night = t.has_resource_properties::<AppautoscalingScheduledAction>(json!({
        "name": "night-scale-down",
        "schedule": "cron(0 22 * * ? *)",
        "scalable_target_action": { "min_capacity": 1, "max_capacity": 1 }
    }))?;
    let target = t.resource::<AppautoscalingTarget>("large")?;
    t.references(&night, &target)?;
    target.has_properties(json!({
        "resource_id": "endpoint/${aws_sagemaker_endpoint.large.name}/variant/primary"
    }))
}

#[test]
fn router_zip_is_deterministic_holds_exactly_the_router_and_imports() {
    let build = || {
        let stack = stacks::ai_inference::prod().unwrap_or_else(|e| panic!("{e:#}"));
        stack.assets()[0].bytes().to_vec()
    };
    let zip = build();
    assert_eq!(zip, build(), "two builds give the same bytes");

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let zip_path = dir.path().join("router.zip");
    std::fs::write(&zip_path, &zip).unwrap_or_else(|e| panic!("{e}"));
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        print('\\n'.join(sorted(z.namelist())))\n\
        z.extractall(sys.argv[2])\n";
    let unpacked = dir.path().join("unpacked");
    let listed = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&zip_path)
        .arg(&unpacked)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let mut expected: Vec<String> =
        oxiform::asset::read_dir_files(&oxiform_tests::workspace_root().join("stacks/router"))
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
    expected.sort();
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(names, expected);
    assert!(names.iter().all(|n| !n.contains("test")), "{names:?}");
    let import = std::process::Command::new("python3")
        .args(["-B", "-c", "import router; assert callable(router.handler)"])
        .current_dir(&unpacked)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

/// The first ```rust block of the README's "A stack" section.
fn readme_stack_block() -> String {
    let readme = std::fs::read_to_string(oxiform_tests::workspace_root().join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let section = readme
        .split_once("\n## A stack\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("README.md has no `## A stack` section"));
    let block = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("\n```\n"))
        .map(|(code, _)| format!("{code}\n"))
        .unwrap_or_else(|| panic!("the `A stack` section has no ```rust block"));
    block
}

#[test]
fn the_readme_example_is_the_registered_stack_word_for_word() {
    let path = oxiform_tests::workspace_root().join("stacks/src/readme_example.rs");
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    // The file is its module comment, a blank line, then exactly the README's block.
    let (comment, code) = file
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("{}: no module comment", path.display()));
    assert!(
        comment.lines().all(|l| l.starts_with("//!")),
        "only the module comment may precede the README's code in {}",
        path.display()
    );
    assert_eq!(
        code,
        readme_stack_block(),
        "README.md's `A stack` block and {} differ: change both together",
        path.display()
    );
    let app = stacks::app();
    let def = app
        .stacks
        .iter()
        .find(|d| d.name == "readme-example")
        .unwrap_or_else(|| panic!("no stack `readme-example` registered"));
    let readme = stacks::readme_example::router().unwrap_or_else(|e| panic!("{e:#}"));
    let json = readme.synth().unwrap_or_else(|e| panic!("{e}")).to_json();
    assert_eq!(
        synth(def),
        json.unwrap_or_else(|e| panic!("{e}")),
        "`readme-example` is built by the README's function"
    );
}

#[test]
fn the_readme_example_synthesises_with_the_cli_under_the_default_set() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let (code, stdout, stderr) =
        oxiform_tests::run_cli(&stacks::app(), &["synth", "readme-example", "--out", &dir]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(out.path().join("readme-example/main.tf.json").is_file());
    assert!(out.path().join("readme-example/router.zip").is_file());
}
