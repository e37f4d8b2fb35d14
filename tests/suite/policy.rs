//! `check`: one failing and one passing fixture per rule with the messages pinned, waivers,
//! the gate in `synth`, and this repository's stacks.

use oxiform::aws::s3::S3Bucket;
use oxiform::policy::{check_json, CheckOutput, Config, Severity, RULES, TAGGABLE_TYPES};
use oxiform::prelude::*;
use oxiform::Waiver;
use oxiform_cli::{execute, App, StackDef};
use oxiform_tests::{snapshot, workspace_root};

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
            &Config::default(),
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
            &Config::default(),
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
fn this_repositorys_stacks_pass_check() {
    for def in &stacks::app().stacks {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        let json = stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_default();
        let report = check_json(&json, def.name, &Config::default(), stack.waivers())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(report.findings.is_empty(), "{}", report.to_text());
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = execute(["stacks", "check"], &stacks::app(), &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
}

#[test]
fn required_tags_are_configurable() {
    let doc = fixture("OXI-TAG-001", "pass");
    let strict = Config {
        required_tags: vec!["Environment".into(), "Owner".into()],
    };
    let report = check_json(&doc, "pass.tf.json", &strict, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.errors, 2, "{}", report.to_text());
    assert!(report.findings[0].message.contains("`Owner`"));
}

#[test]
fn taggable_types_agree_with_the_provider_schema() {
    let path = workspace_root().join("sdk/codegen/schema/aws-5.100.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
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
    stack.aws_provider(AwsProvider::new("us-east-1").default_tag("Environment", "test"));
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

fn app(waive: bool) -> App {
    App {
        stacks: vec![StackDef {
            name: "scratch",
            build: if waive {
                || untagged(true)
            } else {
                || untagged(false)
            },
        }],
        config_schema: None,
    }
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
