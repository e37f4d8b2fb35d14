//! The command line as a user sees it: transcripts of help, usage errors and refusals, with
//! their exit codes.

use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform_cli::sts::{check_account, Identity};
use oxiform_cli::{App, StackDef};
use oxiform_tests::snapshot;

fn demo() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("demo");
    let a = stack.add("a", TerraformData::new().input(serde_json::json!("x")));
    stack.add("b", TerraformData::new().input(a.output()));
    Ok(stack)
}

fn app() -> App {
    App::new(vec![StackDef::new("demo", demo)])
}

/// Runs a command line and returns "exit code + stdout + stderr" as one transcript.
fn transcript(args: &[&str]) -> String {
    oxiform_tests::transcript(&app(), args)
}

#[test]
fn help() {
    snapshot!("cli_help", transcript(&["--help"]));
}

#[test]
fn plan_help() {
    snapshot!("cli_plan_help", transcript(&["plan", "--help"]));
}

#[test]
fn usage_error_exits_2() {
    let t = transcript(&["synth", "--no-such-flag"]);
    assert!(t.contains("exit code: 2"), "{t}");
    snapshot!("cli_usage_error", t);
}

#[test]
fn unknown_stack_is_a_usage_error_that_lists_known_ones() {
    let t = transcript(&["synth", "nope"]);
    assert!(t.contains("exit code: 2"), "{t}");
    snapshot!("cli_unknown_stack", t);
}

#[test]
fn a_mistyped_stack_name_gets_a_suggestion() {
    let t = oxiform_tests::transcript(&stacks::app(), &["synth", "ai-inference-prd"]);
    assert!(t.contains("exit code: 2"), "{t}");
    assert!(
        t.contains("hint: did you mean \"ai-inference-prod\"? known stacks are"),
        "{t}"
    );
    // Far from every name: no guess.
    assert!(!transcript(&["synth", "nope"]).contains("did you mean"));
}

#[test]
fn list_and_graph() {
    assert_eq!(
        transcript(&["list"]),
        "$ stacks list\nexit code: 0\n--- stdout\ndemo\n--- stderr\n"
    );
    let dot = transcript(&["graph", "demo"]);
    assert!(
        dot.contains("\"terraform_data.b\" -> \"terraform_data.a\";"),
        "{dot}"
    );
    let mermaid = transcript(&["graph", "demo", "--format", "mermaid"]);
    assert!(mermaid.contains("n1 --> n0"), "{mermaid}");
}

#[test]
fn account_guard_refuses_another_account() {
    let me = Identity {
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:user/dev".into(),
        region: "us-east-1".into(),
    };
    assert!(check_account("prod", &["123456789012".into()], &me).is_ok());
    assert!(check_account("prod", &[], &me).is_ok());
    let refusal = check_account("prod", &["210987654321".into()], &me)
        .err()
        .map(|e| format!("error: {e}"))
        .unwrap_or_default();
    snapshot!("cli_account_guard_refusal", refusal);
}

#[test]
fn diff_reports_changes_against_the_last_synth() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let first = transcript(&["diff", "demo", "--out", &dir]);
    assert!(
        first.contains("exit code: 1") && first.contains("no earlier output"),
        "{first}"
    );
    assert!(transcript(&["synth", "--out", &dir]).contains("exit code: 0"));
    let same = transcript(&["diff", "demo", "--out", &dir]);
    assert!(
        same.contains("exit code: 0") && same.contains("no changes"),
        "{same}"
    );
    let path = out.path().join("demo/main.tf.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\"input\": \"x\"", "\"input\": \"y\"");
    std::fs::write(&path, edited).unwrap_or_else(|e| panic!("{e}"));
    let changed = transcript(&["diff", "demo", "--out", &dir]);
    assert!(changed.contains("exit code: 1"), "{changed}");
    assert!(
        changed.contains("~ terraform_data.a (changed)\n    input: \"y\" → \"x\""),
        "{changed}"
    );
}

#[test]
fn synth_timings_name_each_step_of_each_stack() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let t = transcript(&["synth", "--timings", "--out", &dir]);
    assert!(t.contains("exit code: 0"), "{t}");
    let line = t
        .lines()
        .find_map(|l| l.strip_prefix("  timings: "))
        .unwrap_or_else(|| panic!("no timings line: {t}"));
    let steps: Vec<&str> = line
        .split(", ")
        .map(|part| {
            let (step, value) = part
                .strip_suffix(" ms")
                .and_then(|p| p.rsplit_once(' '))
                .unwrap_or_else(|| panic!("not `<step> <n> ms`: {part:?}"));
            assert!(value.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{part:?}");
            step
        })
        .collect();
    assert_eq!(steps, ["build", "synth", "policy gate", "write"]);
    // Without the flag, no timings.
    assert!(!transcript(&["synth", "--out", &dir]).contains("timings"));
}

#[test]
fn a_stack_named_twice_is_synthesised_once() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().to_string_lossy().into_owned();
    let t = transcript(&["synth", "demo", "demo", "--out", &dir]);
    assert!(t.contains("exit code: 0"), "{t}");
    assert_eq!(t.matches("wrote ").count(), 1, "{t}");
}
