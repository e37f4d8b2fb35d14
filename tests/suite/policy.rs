//! `check`: one failing and one passing fixture per rule with the messages pinned, waivers,
//! the gate in `synth`, policy sets (per binary and per stack), and this repository's stacks.

use oxiform::aws::s3::S3Bucket;
use oxiform::policy::{
    check_json, CheckOutput, PolicySet, RuleId, Severity, RULES, TAGGABLE_TYPES,
};
use oxiform::prelude::*;
use oxiform::testing::{AssertionError, Template};
use oxiform::Waiver;
use oxiform_cli::{execute, App, StackDef};
use oxiform_tests::{snapshot, workspace_root};

/// The set the fixtures are written for: every rule, tags `Environment` and `ManagedBy`.
fn tagged() -> PolicySet {
    PolicySet::default().require_tags(["Environment", "ManagedBy"])
}

fn fixture(rule: &str, which: &str) -> String {
    let path = workspace_root()
        .join("tests/fixtures/policy")
        .join(rule.to_ascii_lowercase())
        .join(format!("{which}.tf.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn waiver(rule: &str, address: &str, reason: &str) -> Waiver {
    Waiver {
        rule: rule.to_owned(),
        address: address.to_owned(),
        reason: reason.to_owned(),
        site: "tests/suite/policy.rs".to_owned(),
    }
}

/// The waivers each fixture is checked with (the waiver rules need some).
fn waivers(rule: &str, which: &str) -> Vec<Waiver> {
    match (rule, which) {
        ("OXI-WAIVER-001", "fail") => vec![
            waiver("OXI-TAG-001", "aws_s3_bucket.scratch", "  "),
            waiver(
                "OXI-TAGS-001",
                "aws_s3_bucket.scratch",
                "typo in the rule id",
            ),
        ],
        ("OXI-WAIVER-001", "pass") | ("OXI-WAIVER-002", _) => vec![waiver(
            "OXI-TAG-001",
            "aws_s3_bucket.scratch",
            "scratch bucket of the test harness, emptied nightly",
        )],
        _ => Vec::new(),
    }
}

#[test]
fn every_rule_fails_its_failing_fixture_and_passes_its_passing_one() {
    for rule in RULES {
        let fail = check_json(
            &fixture(rule.id, "fail"),
            "fail.tf.json",
            &tagged(),
            &waivers(rule.id, "fail"),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        assert!(
            fail.findings
                .iter()
                .any(|f| f.rule == rule.id && f.waived.is_none()),
            "{} does not fire on its failing fixture:\n{}",
            rule.id,
            fail.to_text()
        );
        for f in fail.findings.iter().filter(|f| f.rule == rule.id) {
            assert_eq!(f.severity, rule.severity, "{}", rule.id);
        }
        snapshot!(
            format!("policy_{}", rule.id.to_ascii_lowercase()),
            fail.to_text()
        );
        let pass = check_json(
            &fixture(rule.id, "pass"),
            "pass.tf.json",
            &tagged(),
            &waivers(rule.id, "pass"),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        assert_eq!(
            (pass.errors, pass.warnings),
            (0, 0),
            "{}'s passing fixture has findings:\n{}",
            rule.id,
            pass.to_text()
        );
    }
}

#[test]
fn rule_ids_and_severities() {
    let table: Vec<String> = RULES
        .iter()
        .map(|r| format!("{} {:?} {}", r.id, r.severity, r.title))
        .collect();
    snapshot!("policy_rules", table.join("\n"));
    assert!(RULES
        .iter()
        .any(|r| r.id == "OXI-SCALE-003" && r.severity == Severity::Warning));
}

#[test]
fn this_repositorys_stacks_pass_check() -> Result<(), AssertionError> {
    let app = stacks::app();
    for def in &app.stacks {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        let t = Template::synth(&stack)?.named(def.name);
        let report = t.policy_is_clean(app.policy_for(def))?;
        assert!(
            report.findings.is_empty(),
            "nothing waived: {}",
            report.to_text()
        );
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = execute(["stacks", "check"], &stacks::app(), &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    Ok(())
}

#[test]
fn required_tags_are_configurable() -> Result<(), AssertionError> {
    let t = Template::from_json(&fixture("OXI-TAG-001", "pass"))?.named("pass.tf.json");
    let strict = PolicySet::default().require_tags(["Environment", "Owner"]);
    let report = t.policy(&strict)?;
    assert_eq!(report.errors, 2, "{}", report.to_text());
    assert!(report.findings[0].message.contains("`Owner`"));
    Ok(())
}

#[test]
fn taggable_types_agree_with_the_provider_schema() {
    // The pinned schema as terraform prints it, gzipped (aws/codegen/README.md).
    let path = workspace_root().join("aws/codegen/schema/aws-5.100.0.json.gz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_reader(flate2::read::GzDecoder::new(file))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let resources = schema["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
        ["resource_schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(!resources.is_empty());
    for (name, body) in &resources {
        let has_tags = body["block"]["attributes"].get("tags").is_some();
        assert_eq!(
            TAGGABLE_TYPES.contains(&name.as_str()),
            has_tags,
            "{name}: tags in schema = {has_tags}"
        );
    }
}

// -------------------------------------------------------------------------------------------
// The gate in synth and the command line.

fn untagged(waive: bool) -> anyhow::Result<Stack> {
    let mut stack = Stack::new("scratch");
    stack.provider(AwsProvider::new("us-east-1").default_tag("Environment", "test"));
    stack.add("scratch", S3Bucket::new().bucket("oxiform-scratch"));
    if waive {
        stack.waive(
            "OXI-TAG-001",
            "aws_s3_bucket.scratch",
            "scratch bucket of the test harness, emptied nightly",
        );
    }
    Ok(stack)
}

/// The scratch stack in a binary that requires `Environment` and `ManagedBy`.
fn app(waive: bool) -> App {
    let build = if waive {
        || untagged(true)
    } else {
        || untagged(false)
    };
    App::new(vec![StackDef::new("scratch", build)]).policy(tagged())
}

fn transcript(app: &App, args: &[&str]) -> String {
    oxiform_tests::transcript(app, args)
}

/// Replaces a temporary folder in a transcript.
fn scrub(text: &str, dir: &std::path::Path) -> String {
    text.replace(&dir.to_string_lossy().into_owned(), "<out>")
}

#[test]
fn synth_refuses_an_error_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    // A good synth first (the error waived), so there is a previous output to keep.
    let good = transcript(&app(true), &["synth", "--out", &dir]);
    assert!(good.contains("exit code: 0"), "{good}");
    let folder = out.path().join("scratch");
    let before = std::fs::read(folder.join("main.tf.json")).unwrap_or_else(|e| panic!("{e}"));

    let t = transcript(&app(false), &["synth", "--out", &dir]);
    assert!(t.contains("exit code: 1"), "{t}");
    assert_eq!(
        std::fs::read(folder.join("main.tf.json")).unwrap_or_else(|e| panic!("{e}")),
        before,
        "the previous output is unchanged"
    );
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(files, ["main.tf.json"], "nothing else written");
    snapshot!("policy_synth_refused", scrub(&t, out.path()));
}

#[test]
fn a_waiver_lets_synth_write_and_check_prints_its_reason() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let t = transcript(&app(true), &["synth", "--out", &dir]);
    assert!(t.contains("exit code: 0"), "{t}");
    assert!(out.path().join("scratch/main.tf.json").is_file());
    let synth = scrub(&t, out.path());
    let check = transcript(&app(true), &["check"]);
    assert!(check.contains("exit code: 0"), "{check}");
    assert!(
        check.contains("reason: scratch bucket of the test harness, emptied nightly"),
        "{check}"
    );
    let failing = transcript(&app(false), &["check"]);
    assert!(failing.contains("exit code: 1"), "{failing}");
    snapshot!(
        "policy_waiver_transcripts",
        format!("{synth}\n{check}\n{failing}")
    );
}

#[test]
fn check_json_output_has_a_schema() {
    let t = transcript(&app(true), &["check", "--schema"]);
    assert!(t.contains("exit code: 0"));
    snapshot!("policy_report_schema", t);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = execute(
        ["stacks", "check", "--format", "json"],
        &app(false),
        &mut out,
        &mut err,
    );
    assert_eq!(code, 1);
    let output: CheckOutput = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((output.schema_version, output.errors), (1, 1));
    assert_eq!(output.reports[0].findings[0].rule, "OXI-TAG-001");
}

#[test]
fn check_reads_hand_written_terraform_json() {
    let path = workspace_root().join("tests/fixtures/policy/oxi-cache-001/fail.tf.json");
    let path = path.to_string_lossy().into_owned();
    let t = transcript(&app(false), &["check", "--file", &path]);
    assert!(t.contains("exit code: 1"), "{t}");
    assert!(t.contains("error[OXI-CACHE-001]"), "{t}");
}

// -------------------------------------------------------------------------------------------
// Policy sets: which rules run, at what severity, with which required tags.

#[test]
fn the_default_set_runs_every_rule_but_required_tags() {
    let default = PolicySet::default();
    assert_eq!(
        default.off().collect::<Vec<_>>(),
        [RuleId::RequiredTags],
        "tags are a team's convention, off until named"
    );
    for rule in RULES {
        let fail = check_json(
            &fixture(rule.id, "fail"),
            "fail.tf.json",
            &default,
            &waivers(rule.id, "fail"),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        let fires = fail
            .findings
            .iter()
            .any(|f| f.rule == rule.id && f.waived.is_none());
        assert_eq!(
            fires,
            rule.id != "OXI-TAG-001",
            "{} under the default set:\n{}",
            rule.id,
            fail.to_text()
        );
        assert!(
            fail.to_text()
                .contains(&format!("({} rules, ", RULES.len() - 1))
                && fail.to_text().contains("; off: OXI-TAG-001)"),
            "the summary names the rule that did not run:\n{}",
            fail.to_text()
        );
    }
}

#[test]
fn a_waiver_of_a_rule_the_set_does_not_run_says_so() {
    let report = check_json(
        &fixture("OXI-WAIVER-002", "fail"),
        "fail.tf.json",
        &PolicySet::default(),
        &waivers("OXI-WAIVER-002", "fail"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.errors, report.warnings), (0, 1));
    snapshot!("policy_waiver_of_a_rule_off", report.to_text());
}

#[test]
fn a_rule_can_be_made_stricter_or_turned_off() {
    let doc = fixture("OXI-SCALE-003", "fail");
    let check = |set: &PolicySet| {
        check_json(&doc, "fail.tf.json", set, &[]).unwrap_or_else(|e| panic!("{e}"))
    };
    let default = check(&PolicySet::default());
    assert_eq!((default.errors, default.warnings), (0, 1));

    let stricter = check(&PolicySet::default().severity(RuleId::ScaleInCooldown, Severity::Error));
    assert_eq!((stricter.errors, stricter.warnings), (1, 0));
    assert_eq!(stricter.findings[0].severity, Severity::Error);
    assert!(stricter.to_text().starts_with("error[OXI-SCALE-003]"));

    let off = check(&PolicySet::default().disable(RuleId::ScaleInCooldown));
    assert!(off.findings.is_empty(), "{}", off.to_text());
    // Every rule but the two that are off.
    assert_eq!(off.rules, RULES.len() - 2);
    assert_eq!(off.off, ["OXI-TAG-001", "OXI-SCALE-003"]);
    assert!(off.summary().ends_with(&format!(
        "({} rules, 2 resources; off: OXI-TAG-001, OXI-SCALE-003)",
        RULES.len() - 2
    )));

    // Only the rules named.
    let only = check(&PolicySet::none().enable(RuleId::ScaleInCooldown));
    assert_eq!((only.rules, only.warnings), (1, 1));
    // `require_tags` with no keys turns the rule off again.
    assert!(!tagged()
        .require_tags(Vec::<String>::new())
        .runs(RuleId::RequiredTags));
}

/// A user's first stack, as in issue 11: a second inference tier with scaling, an alarm, a
/// budget and an SNS topic, and not one tag.
fn second_tier() -> anyhow::Result<Stack> {
    use oxiform::aws::budgets::budgets_budget::{Notification, NotificationArgs};
    use oxiform::aws::budgets::{BudgetsBudget, BudgetsBudgetArgs};
    use oxiform::aws::cloudwatch::{CloudwatchMetricAlarm, CloudwatchMetricAlarmArgs};
    use oxiform::aws::sns::SnsTopic;
    use oxiform::patterns::inference::{ExecutionRole, InferenceEndpoint};
    use oxiform::patterns::scaling::{ScalableVariant, TargetTracking};

    let mut stack = Stack::new("second-tier");
    stack.provider(AwsProvider::new("eu-west-1"));
    let role = ExecutionRole::new("tier2-sagemaker").add(&mut stack, "sagemaker");
    let tier = InferenceEndpoint::new(
        "tier2-mistral-7b",
        "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4-tgi2.3-gpu-py311-cu124-ubuntu22.04",
        "ml.g5.xlarge",
    )
    .environment("HF_MODEL_ID", "mistralai/Mistral-7B-Instruct-v0.3")
    .add(&mut stack, "tier2", &role);
    let target = ScalableVariant::new(tier.endpoint.name(), tier.variant_name, 1, 4)
        .add(&mut stack, "tier2");
    TargetTracking::invocations_per_instance(50.0).add(&mut stack, "tier2", &target);
    let alerts = stack.add("alerts", SnsTopic::new().name("tier2-alerts"));
    stack.add(
        "tier2_latency",
        CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
            alarm_name: "tier2-model-latency".into(),
            comparison_operator: "GreaterThanThreshold".into(),
            evaluation_periods: 3.into(),
        })
        .namespace("AWS/SageMaker")
        .metric_name("ModelLatency")
        .dimension("EndpointName", tier.endpoint.name())
        .dimension("VariantName", tier.variant_name)
        .statistic("Average")
        .period(60)
        .threshold(2_000_000.0)
        .alarm_action(alerts.arn()),
    );
    stack.add(
        "tier2",
        BudgetsBudget::new(BudgetsBudgetArgs {
            budget_type: "COST".into(),
            time_unit: "MONTHLY".into(),
        })
        .limit_amount("2000")
        .limit_unit("USD")
        .notification(
            Notification::new(NotificationArgs {
                comparison_operator: "GREATER_THAN".into(),
                notification_type: "ACTUAL".into(),
                threshold: 90.0.into(),
                threshold_type: "PERCENTAGE".into(),
            })
            .subscriber_email_address("ml-oncall@example.com"),
        ),
    );
    Ok(stack)
}

#[test]
fn a_users_first_stack_synthesises_under_the_default_set() -> Result<(), AssertionError> {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let user = App::new(vec![StackDef::new("second-tier", second_tier)]);
    let t = transcript(&user, &["synth", "--out", &dir]);
    assert!(t.contains("exit code: 0"), "{t}");
    assert!(out.path().join("second-tier/main.tf.json").is_file());
    let check = transcript(&user, &["check"]);
    assert!(check.contains("exit code: 0"), "{check}");
    assert!(
        check.contains(&format!("({} rules, ", RULES.len() - 1)),
        "{check}"
    );

    // Under this repository's set it fails as in the issue: every taggable resource lacks
    // `Environment` and `ManagedBy`.
    let strict = App::new(vec![StackDef::new("second-tier", second_tier)]).policy(stacks::policy());
    let (code, out_text, _) = oxiform_tests::run_cli(&strict, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let output: CheckOutput = serde_json::from_str(&out_text).unwrap_or_else(|e| panic!("{e}"));
    let report = &output.reports[0];
    let stack = second_tier().unwrap_or_else(|e| panic!("{e:#}"));
    let t = Template::synth(&stack)?.named("second-tier");
    let taggable = t
        .addresses()
        .filter_map(|a| a.split_once('.'))
        .filter(|(type_name, _)| TAGGABLE_TYPES.contains(type_name))
        .count();
    assert!(taggable >= 7, "{taggable}");
    assert_eq!(report.errors, taggable, "{}", report.to_text());
    assert!(report.findings.iter().all(|f| f.rule == "OXI-TAG-001"));
    // The same report as the gate's own.
    assert_eq!(&t.policy(&stacks::policy())?.findings, &report.findings);
    Ok(())
}

#[test]
fn a_stacks_own_set_overrides_the_binarys_in_synth_and_check() {
    // The binary requires tags; the scratch stack lacks `ManagedBy` but has its own set.
    let own = App::new(vec![
        StackDef::new("scratch", || untagged(false)).policy(PolicySet::default())
    ])
    .policy(tagged());
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let t = transcript(&own, &["synth", "--out", &dir]);
    assert!(t.contains("exit code: 0"), "{t}");
    let check = transcript(&own, &["check"]);
    assert!(check.contains("exit code: 0"), "{check}");
    assert!(check.contains("off: OXI-TAG-001"), "{check}");
    // `--require-tag` applies to the stack's own set too.
    let flagged = transcript(&own, &["check", "--require-tag", "ManagedBy"]);
    assert!(flagged.contains("exit code: 1"), "{flagged}");
    assert!(
        flagged.contains("missing required tag `ManagedBy`"),
        "{flagged}"
    );
    // Without its own set, the binary's applies: refused (see `policy_synth_refused`).
    let t = transcript(&app(false), &["synth", "--out", &dir]);
    assert!(
        t.contains("exit code: 1") && t.contains("OXI-TAG-001"),
        "{t}"
    );
}

#[test]
fn check_file_uses_the_binarys_set() {
    let path = workspace_root().join("tests/fixtures/policy/oxi-tag-001/fail.tf.json");
    let path = path.to_string_lossy().into_owned();
    let user = App::new(vec![StackDef::new("scratch", || untagged(false))]);
    let t = transcript(&user, &["check", "--file", &path]);
    assert!(t.contains("exit code: 0"), "{t}");
    let t = transcript(&app(false), &["check", "--file", &path]);
    assert!(
        t.contains("exit code: 1") && t.contains("error[OXI-TAG-001]"),
        "{t}"
    );
}

#[test]
fn this_repositorys_stacks_keep_the_strict_set_and_the_readme_example_the_default(
) -> Result<(), AssertionError> {
    let app = stacks::app();
    let strict = stacks::policy();
    assert_eq!(app.policy, strict);
    assert_eq!(strict.running().count(), RULES.len(), "every rule runs");
    for (rule, severity) in strict.running() {
        assert_eq!(
            severity,
            rule.rule().severity,
            "{rule} at its default severity"
        );
    }
    assert_eq!(strict.required_tags(), ["Environment", "ManagedBy"]);
    for def in &app.stacks {
        let expected = if def.name == "readme-example" {
            PolicySet::default()
        } else {
            strict.clone()
        };
        assert_eq!(app.policy_for(def), &expected, "{}", def.name);
    }

    // The repository's stacks still fail without their tags: drop the provider's
    // default_tags and the strict set refuses them.
    let prod = stacks::ai_inference::prod().unwrap_or_else(|e| panic!("{e:#}"));
    let mut doc = Template::synth(&prod)?.json().clone();
    let providers = doc["provider"]["aws"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("the stack has no AWS provider"));
    assert!(!providers.is_empty());
    for p in providers {
        if let Some(p) = p.as_object_mut() {
            p.remove("default_tags");
        }
    }
    let untagged = Template::from_json(&doc.to_string())?
        .named("prod")
        .with_waivers(prod.waivers())
        .policy(&strict)?;
    assert!(untagged.errors > 0, "{}", untagged.to_text());
    assert!(untagged.findings.iter().all(|f| f.rule == "OXI-TAG-001"));

    // The README's example passes the default set but would fail the strict one: it tags
    // `Team`, not this repository's keys.
    let readme = stacks::readme_example::router().unwrap_or_else(|e| panic!("{e:#}"));
    let t = Template::synth(&readme)?.named("readme-example");
    let default = t.policy_is_clean(&PolicySet::default())?;
    assert!(default.findings.is_empty(), "{}", default.to_text());
    let strict_report = t.policy(&strict)?;
    assert!(strict_report.has_errors());
    assert!(strict_report
        .findings
        .iter()
        .all(|f| f.rule == "OXI-TAG-001"
            && f.message
                .contains("missing required tags `Environment`, `ManagedBy`")));

    // What `check` prints for the binary: the strict stacks run 14 rules, the example 13.
    snapshot!(
        "policy_check_this_repository",
        oxiform_tests::transcript(&app, &["check"])
    );
    Ok(())
}

// -------------------------------------------------------------------------------------------
// OXI-SECRET-003 on what the generated types write.

#[test]
fn a_secret_opted_into_the_config_is_reported_and_a_variable_is_not() -> Result<(), AssertionError>
{
    use oxiform::aws::secretsmanager::SecretsmanagerSecretVersion;
    use oxiform::Secret;

    let mut stack = Stack::new("secrets");
    stack.provider(AwsProvider::new("eu-west-1"));
    let password = stack.variable("db_password", Variable::<String>::new().sensitive());
    stack.add(
        "inline",
        SecretsmanagerSecretVersion::new("db")
            .secret_string(Secret::plaintext_in_config("hunter2-and-more")),
    );
    stack.add(
        "from_variable",
        SecretsmanagerSecretVersion::new("db").secret_string(password),
    );
    let report = Template::synth(&stack)?
        .named("main.tf.json")
        .policy(&PolicySet::default())?;
    let secret: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "OXI-SECRET-003")
        .map(|f| f.address.as_str())
        .collect();
    assert_eq!(
        secret,
        ["aws_secretsmanager_secret_version.inline"],
        "{}",
        report.to_text()
    );
    assert!(
        !report.to_text().contains("hunter2-and-more"),
        "the message shortens the secret: {}",
        report.to_text()
    );
    Ok(())
}
