//! Refactoring without replacement: the `moved`, `import` and `removed` blocks as terraform
//! reads them (`terraform validate`), their synth errors, and end to end on the AWS API
//! emulator through the command line: a rename with `moved` plans nothing to add or destroy,
//! a rename without it is refused by the rename guard (`plan` and `apply`) unless
//! `--allow-replace-renamed`, a bucket created outside terraform is imported and adopted,
//! and `removed` forgets it without destroying it.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use oxiform::aws::dynamodb::dynamodb_table::{Attribute, AttributeArgs};
use oxiform::aws::dynamodb::DynamodbTable;
use oxiform::aws::s3::S3Bucket;
use oxiform::prelude::*;
use oxiform::SynthError;
use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::{Workdir, TERRAFORM};

const REFACTOR: &str = env!("CARGO_BIN_EXE_oxiform-refactor");

/// A stack with one of each block: a bucket renamed (`moved`), one adopted (`import`, its ID
/// a variable's value), a table given up (`removed`).
fn blocks_stack() -> Stack {
    let mut stack = Stack::new("refactor-blocks");
    stack.provider(AwsProvider::new("us-east-1"));
    let archive = stack.add("archive", S3Bucket::new().bucket("acme-logs"));
    stack.moved("aws_s3_bucket.logs", &archive);
    let legacy = stack.add("legacy", S3Bucket::new().bucket("acme-legacy"));
    let legacy_id = stack.variable(
        "legacy_bucket",
        Variable::<String>::new().default_value("acme-legacy"),
    );
    stack.import(&legacy, legacy_id);
    let orders = stack.add(
        "orders",
        DynamodbTable::new("orders")
            .hash_key("id")
            .attribute(Attribute::new(AttributeArgs {
                name: "id".into(),
                type_: "S".into(),
            })),
    );
    stack.moved("module.store.aws_dynamodb_table.orders[0]", &orders);
    stack.removed("aws_dynamodb_table.sessions");
    stack
}

#[test]
fn moved_import_and_removed_blocks_are_valid_terraform() {
    let stack = blocks_stack();
    let json: serde_json::Value = serde_json::from_str(
        &stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        json["moved"],
        serde_json::json!([
            { "from": "aws_s3_bucket.logs", "to": "aws_s3_bucket.archive" },
            { "from": "module.store.aws_dynamodb_table.orders[0]", "to": "aws_dynamodb_table.orders" },
        ])
    );
    assert_eq!(
        json["import"],
        serde_json::json!([{ "to": "aws_s3_bucket.legacy", "id": "${var.legacy_bucket}" }])
    );
    assert_eq!(
        json["removed"],
        serde_json::json!([{ "from": "aws_dynamodb_table.sessions", "lifecycle": { "destroy": false } }])
    );
    assert_eq!(json["terraform"]["required_version"], ">= 1.7.0");

    let work = Workdir::new();
    work.write_stack(&stack);
    let report = work.validate();
    assert_eq!(report["valid"], true, "terraform validate: {report:#}");
    assert_eq!(report["warning_count"], 0, "terraform validate: {report:#}");
}

/// Each block's mistakes, reported at synth with every other problem; the texts are pinned.
#[test]
fn blocks_terraform_would_refuse_are_synth_errors_with_a_hint() {
    let mut stack = Stack::new("refactor-errors");
    let archive = stack.add("archive", S3Bucket::new().bucket("acme-logs"));
    let orders = stack.add(
        "orders",
        DynamodbTable::new("orders")
            .hash_key("id")
            .attribute(Attribute::new(AttributeArgs {
                name: "id".into(),
                type_: "S".into(),
            })),
    );
    stack.moved("aws_s3_bucket.logs", &orders);
    stack.moved("aws_s3_bucket logs", &archive);
    stack.moved("aws_s3_bucket.orders", &archive);
    stack.moved("aws_s3_bucket.orders", &archive);
    stack.moved("aws_s3_bucket.archive", &archive);
    stack.removed("aws_dynamodb_table.orders");
    stack.removed("data.aws_s3_bucket.old");
    stack.import(&orders, "orders");
    stack.import(&orders, "orders-v2");
    let errors = stack.check().err().unwrap_or_else(|| panic!("no errors"));
    assert!(errors
        .0
        .iter()
        .all(|e| matches!(e, SynthError::InvalidBlock { .. })));
    let text = errors
        .to_string()
        .lines()
        .map(strip_line_numbers)
        .collect::<Vec<_>>()
        .join("\n");
    oxiform_tests::snapshot!("refactor_block_errors", text);
}

/// `tests/suite/refactor.rs:123` → `tests/suite/refactor.rs:<line>`: the pinned texts do not
/// change when a line is added above.
fn strip_line_numbers(line: &str) -> String {
    let marker = "tests/suite/refactor.rs:";
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        rest = rest[at + marker.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str("<line>");
    }
    out.push_str(rest);
    out
}

/// Runs the refactor stack's binary at `step` in `dir`, as a user runs the command line.
fn refactor(dir: &Path, emulator: &Emulator, step: &str, args: &[&str]) -> Output {
    Command::new(REFACTOR)
        .args(args)
        .current_dir(dir)
        .env("OXIFORM_EMULATOR_URL", emulator.url())
        .env("OXIFORM_REFACTOR_STEP", step)
        .env_remove("OXIFORM_PLUGIN_DIR")
        .env_remove("TF_CLI_CONFIG_FILE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{REFACTOR} {}: {e}", args.join(" ")))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn state_list(dir: &Path) -> String {
    let state = Command::new(TERRAFORM)
        .args(["state", "list"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8_lossy(&state.stdout).into_owned()
}

fn assert_contains(output: &Output, what: &str, expected: &[&str]) {
    let all = text(output);
    for line in expected {
        assert!(all.contains(line), "{what}: expected {line:?} in:\n{all}");
    }
}

#[test]
fn rename_with_moved_import_and_removed_on_the_emulator_through_the_cli() {
    let whole = Instant::now();
    let emulator = Emulator::start();
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = work.path();
    let stack_dir = dir.join("out/refactor");
    let mut timings = Vec::new();
    let mut run = |label: &str, step: &str, args: &[&str]| {
        let start = Instant::now();
        let output = refactor(dir, &emulator, step, args);
        timings.push(format!("{label} {:.1}s", start.elapsed().as_secs_f64()));
        output
    };

    // 1. The bucket as `logs`.
    let apply = run("apply", "before", &["apply", "refactor", "--auto-approve"]);
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert_contains(
        &apply,
        "first apply",
        &["Apply complete! Resources: 1 added, 0 changed, 0 destroyed."],
    );
    assert!(
        !stack_dir.join("oxiform.tfplan").exists(),
        "the saved plan is removed"
    );

    // 2. Renamed in code without `moved`: plan and apply refuse, naming both addresses.
    let refused = run("plan refused", "renamed", &["plan", "refactor"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert_contains(
        &refused,
        "plan of the rename",
        &["1 to add, 0 to change, 1 to destroy"],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    oxiform_tests::snapshot!("refactor_guard_refusal", stderr.trim_end());
    let refused = run(
        "apply refused",
        "renamed",
        &["apply", "refactor", "--auto-approve"],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert_contains(
        &refused,
        "apply of the rename",
        &["error: apply refused: the plan in stack `refactor`"],
    );
    assert!(
        !text(&refused).contains("Apply complete"),
        "{}",
        text(&refused)
    );
    assert_eq!(
        state_list(&stack_dir).trim(),
        "aws_s3_bucket.logs",
        "nothing applied"
    );
    // Unless asked: then the plan destroys one and creates the other.
    let allowed = run(
        "plan allowed",
        "renamed",
        &["plan", "refactor", "--allow-replace-renamed"],
    );
    assert_eq!(allowed.status.code(), Some(2), "{}", text(&allowed));
    assert_contains(
        &allowed,
        "plan with --allow-replace-renamed",
        &["1 to add, 0 to change, 1 to destroy"],
    );

    // 3. With `moved`: nothing to add or destroy; apply moves the state.
    let plan = run("plan moved", "moved", &["plan", "refactor"]);
    assert!(matches!(plan.status.code(), Some(0 | 2)), "{}", text(&plan));
    assert_contains(
        &plan,
        "plan with moved",
        &[
            "aws_s3_bucket.logs has moved to aws_s3_bucket.archive",
            "0 to add, 0 to change, 0 to destroy",
        ],
    );
    let apply = run(
        "apply moved",
        "moved",
        &["apply", "refactor", "--auto-approve"],
    );
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert_contains(
        &apply,
        "apply with moved",
        &["0 added, 0 changed, 0 destroyed"],
    );
    assert_eq!(state_list(&stack_dir).trim(), "aws_s3_bucket.archive");

    // 4. A bucket created outside terraform, imported.
    let created = emulator.http("PUT", "/oxiform-refactor-legacy", &[], "");
    assert!(created.status < 300, "creating the bucket: {created:?}");
    let plan = run("plan import", "imported", &["plan", "refactor"]);
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan));
    assert_contains(
        &plan,
        "plan with import",
        &[
            "aws_s3_bucket.legacy: Preparing import... [id=oxiform-refactor-legacy]",
            "1 to import, 0 to add",
            "0 to destroy",
        ],
    );
    let apply = run(
        "apply import",
        "imported",
        &["apply", "refactor", "--auto-approve"],
    );
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert_contains(
        &apply,
        "apply with import",
        &["Apply complete! Resources: 1 imported, 0 added"],
    );
    assert_eq!(
        state_list(&stack_dir).trim(),
        "aws_s3_bucket.archive\naws_s3_bucket.legacy"
    );
    let plan = run("plan after import", "imported", &["plan", "refactor"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "adopted as it is:\n{}",
        text(&plan)
    );

    // 5. `removed`: terraform forgets it, the bucket stays.
    let apply = run(
        "apply removed",
        "removed",
        &["apply", "refactor", "--auto-approve"],
    );
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply));
    assert_contains(&apply, "apply with removed", &["0 destroyed"]);
    assert_eq!(state_list(&stack_dir).trim(), "aws_s3_bucket.archive");
    let kept = emulator.http("HEAD", "/oxiform-refactor-legacy", &[], "");
    assert_eq!(kept.status, 200, "the bucket is still there: {kept:?}");

    timings.push(format!("whole test {:.1}s", whole.elapsed().as_secs_f64()));
    eprintln!("refactor timings: {}", timings.join(", "));
}
