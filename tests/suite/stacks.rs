//! This repository's stacks: one snapshot each (every stack of every environment's app,
//! synthesised through its app, and the single stacks), `terraform validate` against the
//! provider mirror, how the apps' stacks read each other, and the configuration files'
//! schema and error messages.

use std::collections::BTreeSet;

use oxiform::aws::appautoscaling::{AppautoscalingScheduledAction, AppautoscalingTarget};
use oxiform::aws::iam::IamRolePolicy;
use oxiform::aws::lambda::LambdaFunction;
use oxiform::aws::sagemaker::SagemakerEndpoint;
use oxiform::aws::vpc::{VpcEndpoint, VpcSecurityGroupIngressRule};
use oxiform::testing::{AssertionError, Match, Template};
use oxiform::App;
use oxiform_tests::snapshot;
use oxiform_tests::terraform::Workdir;
use serde_json::json;
use stacks::ai_inference;

fn synth(def: &oxiform_cli::StackDef) -> String {
    let stack = (def.build)().unwrap_or_else(|e| panic!("building {}: {e:#}", def.name));
    let doc = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    doc.to_json().unwrap_or_else(|e| panic!("{e}"))
}

/// Every environment's app, as `ai_inference::APPS` builds them.
fn apps() -> Vec<App> {
    ai_inference::APPS
        .iter()
        .map(|(name, build)| {
            let app = build().unwrap_or_else(|e| panic!("building app {name}: {e:#}"));
            assert_eq!(app.name(), *name);
            app
        })
        .collect()
}

/// Every stack of `app` with its document as JSON, synthesised through the app (backend,
/// remote states).
fn app_json(app: &App) -> Vec<(String, String)> {
    let docs = app
        .synth()
        .unwrap_or_else(|e| panic!("app {}: {e}", app.name()));
    docs.iter()
        .map(|(stack, doc)| {
            let json = doc.to_json().unwrap_or_else(|e| panic!("{e}"));
            (stack.name().to_owned(), json)
        })
        .collect()
}

/// The stacks the binary registers one by one, without the single-stack forms of the
/// environments (`ai-inference-prod`, …), which the apps replace.
fn single_stacks() -> Vec<oxiform_cli::StackDef> {
    stacks::app()
        .stacks
        .into_iter()
        .filter(|d| !ai_inference::APPS.iter().any(|(app, _)| *app == d.name))
        .collect()
}

/// The JSON of the stack `stack` of the app `app`, synthesised through the app.
fn stack_json(app: &str, stack: &str) -> String {
    let app = apps()
        .into_iter()
        .find(|a| a.name() == app)
        .unwrap_or_else(|| panic!("no app {app}"));
    app_json(&app)
        .into_iter()
        .find(|(name, _)| name == stack)
        .map(|(_, json)| json)
        .unwrap_or_else(|| panic!("app {} has no stack {stack}", app.name()))
}

/// The prod app's inference stack (endpoints, scaling, batch, router, dashboard).
fn prod() -> Result<Template, AssertionError> {
    Template::from_json(&stack_json(
        "ai-inference-prod",
        "ai-inference-prod-inference",
    ))
}

#[test]
fn every_stack_matches_its_snapshot() {
    let mut names = BTreeSet::new();
    let apps = apps();
    assert_eq!(
        apps.iter().map(App::name).collect::<Vec<_>>(),
        [
            "ai-inference-prod",
            "ai-inference-dev",
            "ai-inference-local"
        ]
    );
    for app in &apps {
        let stacks = app_json(app);
        assert_eq!(stacks.len(), 3, "app {}", app.name());
        for (name, json) in stacks {
            assert!(names.insert(name.clone()), "two stacks are called {name}");
            snapshot!(format!("stack_{name}"), json);
        }
    }
    let singles = single_stacks();
    assert!(!singles.is_empty());
    for def in &singles {
        assert!(
            names.insert(def.name.to_owned()),
            "two stacks are called {}",
            def.name
        );
        snapshot!(format!("stack_{}", def.name), synth(def));
    }
}

#[test]
fn every_stack_passes_terraform_validate() {
    let work = Workdir::new();
    let check = |name: &str| {
        let report = work.validate();
        assert_eq!(
            report["valid"],
            serde_json::Value::Bool(true),
            "terraform validate rejected stack `{name}`:\n{report:#}"
        );
        assert_eq!(report["error_count"], 0, "{report:#}");
        assert_eq!(
            report["warning_count"], 0,
            "stack `{name}` has warnings:\n{report:#}"
        );
    };
    for app in &apps() {
        for (name, json) in app_json(app) {
            let stack = app
                .stack(&name)
                .unwrap_or_else(|| panic!("no stack {name}"));
            work.write_document(stack, &json);
            check(&name);
        }
    }
    for def in &single_stacks() {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        work.write_stack(&stack);
        check(def.name);
    }
}

#[test]
fn synth_is_byte_identical_across_runs() {
    for (first, second) in apps().iter().zip(apps().iter()) {
        assert_eq!(app_json(first), app_json(second), "app `{}`", first.name());
    }
    for def in &single_stacks() {
        assert_eq!(synth(def), synth(def), "stack `{}`", def.name);
    }
}

/// Each app applies network, then cache, then inference; the inference stack reads the
/// cache's URL, security group and group id and the network's VPC, subnets and CIDR through
/// remote state, the cache reads the network's; the router's function, its way into the
/// cache and the dashboard use those reads, while the endpoints it invokes are in its own
/// stack.
#[test]
fn the_router_reads_the_cache_and_the_network_across_stacks_in_order() -> Result<(), AssertionError>
{
    for app in &apps() {
        let name = app.name();
        let [network, cache, inference] =
            ["network", "cache", "inference"].map(|s| format!("{name}-{s}"));
        let graph = app.graph();
        assert_eq!(
            graph.order().unwrap_or_default(),
            [&network, &cache, &inference],
            "{name}"
        );
        assert_eq!(graph.needs(&network), Vec::<&str>::new());
        assert_eq!(graph.needs(&cache), [&network]);
        let needs: BTreeSet<&str> = graph.needs(&inference).into_iter().collect();
        assert_eq!(needs, BTreeSet::from([network.as_str(), cache.as_str()]));
        let reads = |stack: &str| -> BTreeSet<(String, String)> {
            graph
                .reads_of(stack)
                .map(|r| (r.producer.clone(), r.export.clone()))
                .collect()
        };
        let pair = |p: &str, e: &str| (p.to_owned(), e.to_owned());
        assert_eq!(
            reads(&inference),
            BTreeSet::from([
                pair(&network, "network_vpc_id"),
                pair(&network, "network_subnet_ids"),
                pair(&network, "network_cidr"),
                pair(&cache, "cache_group_id"),
                pair(&cache, "cache_url"),
                pair(&cache, "cache_security_group_id"),
            ])
        );
        assert_eq!(
            reads(&cache),
            BTreeSet::from([
                pair(&network, "network_vpc_id"),
                pair(&network, "network_subnet_ids"),
            ])
        );

        let json: Vec<(String, String)> = app_json(app);
        let template = |stack: &str| {
            let (_, text) = json
                .iter()
                .find(|(n, _)| n == stack)
                .unwrap_or_else(|| panic!("no stack {stack}"));
            Template::from_json(text)
        };
        // The remote state of a stack is named after it (hyphens are valid in identifiers).
        let read = |stack: &str, output: &str| {
            format!("${{data.terraform_remote_state.{stack}.outputs.{output}}}")
        };

        // The producers export what the consumers read.
        let c = template(&cache)?;
        c.output("cache_url")?.value_matches(json!(
            "rediss://${aws_elasticache_replication_group.ai.primary_endpoint_address}:6379"
        ))?;
        c.output("cache_security_group_id")?
            .value_matches(json!("${aws_security_group.ai_cache.id}"))?;
        c.output("cache_group_id")?
            .value_matches(json!("${aws_elasticache_replication_group.ai.id}"))?;
        let n = template(&network)?;
        n.output("network_vpc_id")?
            .value_matches(json!("${aws_vpc.main.id}"))?;
        // Every VPC endpoint is the network's: the router's two, Batch's six, the S3 gateway.
        n.resource_count_is::<VpcEndpoint>(9)?;

        // The inference stack reads them through the app's S3 backend.
        let t = template(&inference)?;
        t.resource_count_is::<VpcEndpoint>(0)?;
        let states = &t.json()["data"]["terraform_remote_state"];
        for producer in [&network, &cache] {
            assert_eq!(states[producer.as_str()]["backend"], "s3", "{states:#}");
            assert_eq!(
                states[producer.as_str()]["config"]["key"],
                format!("ai-inference/{producer}.tfstate"),
                "{states:#}"
            );
        }
        t.resource::<LambdaFunction>("model_router")?
            .has_properties(json!({
                "environment": { "variables": {
                    "CACHE_URL": read(&cache, "cache_url"),
                    "SMALL_ENDPOINT": "${aws_sagemaker_endpoint.small.name}",
                    "LARGE_ENDPOINT": "${aws_sagemaker_endpoint.large.name}"
                }},
                "vpc_config": { "subnet_ids": read(&network, "network_subnet_ids") }
            }))?;
        // The cache lets the router in by a rule of the router's stack, on the cache's
        // security group read from the cache's state.
        t.resource::<VpcSecurityGroupIngressRule>("model_router_cache_from_function")?
            .has_properties(json!({
                "security_group_id": read(&cache, "cache_security_group_id"),
                "referenced_security_group_id": "${aws_security_group.model_router_function.id}",
                "from_port": 6379
            }))?;
    }
    Ok(())
}

/// Each stack of an app keeps its state in the environment's bucket at
/// `<prefix>/<stack>.tfstate`, locked with S3 lock files; `local`'s on the emulator.
#[test]
fn every_stack_keeps_its_state_in_the_environments_bucket() {
    for app in &apps() {
        let env = app.name().trim_start_matches("ai-inference-");
        for (stack, text) in app_json(app) {
            let doc: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let s3 = &doc["terraform"]["backend"]["s3"];
            assert_eq!(
                s3["bucket"],
                format!("ai-{env}-tf-state"),
                "{stack}: {s3:#}"
            );
            assert_eq!(s3["key"], format!("ai-inference/{stack}.tfstate"), "{s3:#}");
            assert_eq!(s3["region"], "us-east-1", "{s3:#}");
            assert_eq!(s3["use_lockfile"], true, "{s3:#}");
            let endpoint = &s3["endpoints"]["s3"];
            if env == "local" {
                assert_eq!(*endpoint, ai_inference::emulator_url(), "{s3:#}");
            } else {
                assert!(endpoint.is_null(), "{stack}: {s3:#}");
            }
        }
    }
}

/// The single-stack form of an environment holds exactly the resources and data sources of
/// its app's three stacks together, with no remote state to read.
#[test]
fn one_stack_holds_exactly_what_the_apps_stacks_hold() {
    let addresses = |text: &str| -> BTreeSet<String> {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        let mut out = BTreeSet::new();
        for (kind, prefix) in [("resource", ""), ("data", "data.")] {
            for (ty, blocks) in doc[kind].as_object().into_iter().flatten() {
                for name in blocks.as_object().into_iter().flatten().map(|(n, _)| n) {
                    out.insert(format!("{prefix}{ty}.{name}"));
                }
            }
        }
        out
    };
    for app in &apps() {
        let env = app.name().trim_start_matches("ai-inference-");
        let config = stacks::config::load(env).unwrap_or_else(|e| panic!("{e}"));
        let emulator = (env == "local").then(ai_inference::emulator_url);
        let mut together = BTreeSet::new();
        for (_, text) in app_json(app) {
            together.extend(
                addresses(&text)
                    .into_iter()
                    .filter(|a| !a.starts_with("data.terraform_remote_state.")),
            );
        }
        let stack = ai_inference::build(app.name(), &config, emulator.as_deref())
            .unwrap_or_else(|e| panic!("{e:#}"));
        let json = stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(addresses(&json), together, "{}", app.name());
    }
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
    for app in &apps() {
        for (stack, text) in app_json(app) {
            let t = Template::from_json(&text)?;
            let expected = usize::from(stack.ends_with("-inference")) * 2;
            t.resource_count_is::<SagemakerEndpoint>(expected)?;
            if expected == 0 {
                continue;
            }
            t.all_resources_properties::<SagemakerEndpoint>(tagged.clone())?;
            t.resource::<SagemakerEndpoint>("large")?
                .has_properties(json!({ "tags": { "ModelTier": "premium" } }))?;
        }
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
fn router_zip_is_deterministic_holds_the_router_and_its_locked_dependencies_and_imports() {
    let build = || {
        let app = ai_inference::prod_app().unwrap_or_else(|e| panic!("{e:#}"));
        let stack = app
            .stack("ai-inference-prod-inference")
            .unwrap_or_else(|| panic!("no inference stack"));
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
    // The router's sources (not its lock, an input of the build) and, beside them, what
    // pip installed from the lock: redis-py, its metadata without the installation's records.
    let sources: Vec<String> =
        oxiform::asset::read_dir_files(&oxiform_tests::workspace_root().join("stacks/router"))
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name != "requirements.lock")
            .collect();
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let (ours, installed): (Vec<String>, Vec<String>) =
        names.iter().cloned().partition(|n| sources.contains(n));
    assert_eq!(ours.len(), sources.len(), "{sources:?} in {names:?}");
    assert!(
        installed.iter().any(|n| n == "redis/__init__.py"),
        "{installed:?}"
    );
    for name in &installed {
        assert!(
            name.starts_with("redis/")
                || (name.starts_with("redis-") && name.contains(".dist-info/")),
            "{name} is neither the router's nor redis-py's"
        );
        assert!(
            !name.ends_with("/RECORD") && !name.ends_with(".pyc"),
            "{name}"
        );
    }
    assert!(
        names.iter().all(|n| !n.contains("router_tests")),
        "{names:?}"
    );
    let import = std::process::Command::new("python3")
        .args([
            "-B",
            "-c",
            "import os, router, redis; assert callable(router.handler); \
             assert redis.__file__.startswith(os.getcwd()), redis.__file__",
        ])
        .current_dir(&unpacked)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

/// The first ```rust block of the guide's "A stack" section (`docs/src/first-stack.md`).
fn readme_stack_block() -> String {
    let path = oxiform_tests::workspace_root().join("docs/src/first-stack.md");
    let chapter =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("docs/src/first-stack.md: {e}"));
    let section = chapter
        .split_once("\n## A stack\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("docs/src/first-stack.md has no `## A stack` section"));
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
    // The file is its module comment, a blank line, then exactly the guide's block.
    let (comment, code) = file
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("{}: no module comment", path.display()));
    assert!(
        comment.lines().all(|l| l.starts_with("//!")),
        "only the module comment may precede the guide's code in {}",
        path.display()
    );
    assert_eq!(
        code,
        readme_stack_block(),
        "docs/src/first-stack.md's `A stack` block and {} differ: change both together",
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
        "`readme-example` is built by the guide's function"
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
