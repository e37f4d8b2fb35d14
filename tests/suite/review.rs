//! The pull-request review: `diff --format markdown` of a head against a base's synth
//! (transcripts of a rename, an instance-type change with its cost delta, a policy
//! regression and an identical stack), replacement reasons from a real `terraform plan`,
//! and `.github/scripts/pr-review.sh` run on a throwaway repository.

use std::path::Path;
use std::process::Command;

use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform_cli::{App, StackDef};
use oxiform_tests::review::{stack, Spec};
use oxiform_tests::snapshot;
use oxiform_tests::terraform::Workdir;

fn base() -> anyhow::Result<Stack> {
    Ok(stack(&Spec::default()))
}

fn renamed() -> anyhow::Result<Stack> {
    Ok(stack(&Spec {
        bucket: "archive".into(),
        ..Spec::default()
    }))
}

fn bigger_instance() -> anyhow::Result<Stack> {
    Ok(stack(&Spec {
        instance_type: "g5.2xlarge".into(),
        ..Spec::default()
    }))
}

fn unencrypted_cache() -> anyhow::Result<Stack> {
    Ok(stack(&Spec {
        cache_encrypted: false,
        ..Spec::default()
    }))
}

fn app(build: fn() -> anyhow::Result<Stack>) -> App {
    App::new(vec![StackDef::new("demo", build)])
}

/// Synthesises `base` into a temporary folder, then runs `diff demo --against <it> --format
/// markdown` with `head`, as the review script does; the folder is written `BASE`.
fn review(head: fn() -> anyhow::Result<Stack>, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().to_string_lossy().into_owned();
    let synth = oxiform_tests::transcript(&app(base), &["synth", "--out", &out]);
    assert!(synth.contains("exit code: 0"), "{synth}");
    let mut args = vec!["diff", "demo", "--against", &out, "--format", "markdown"];
    args.extend_from_slice(extra);
    oxiform_tests::transcript(&app(head), &args).replace(&out, "BASE")
}

#[test]
fn an_identical_stack() {
    let t = review(base, &[]);
    assert!(t.contains("exit code: 0"), "{t}");
    assert!(
        t.contains("No changes: the synthesised Terraform JSON is identical."),
        "{t}"
    );
    snapshot!("review_identical", t);
}

#[test]
fn a_rename_prints_the_moved_line() {
    let t = review(renamed, &[]);
    assert!(t.contains("exit code: 1"), "{t}");
    assert!(
        t.contains("```rust\nstack.moved(\"aws_s3_bucket.logs\", &archive);\n```"),
        "{t}"
    );
    snapshot!("review_rename", t);
    // The plain-text diff prints the same line.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().to_string_lossy().into_owned();
    oxiform_tests::transcript(&app(base), &["synth", "--out", &out]);
    let text = oxiform_tests::transcript(&app(renamed), &["diff", "demo", "--against", &out]);
    assert!(
        text.contains("    stack.moved(\"aws_s3_bucket.logs\", &archive);  // `archive`: the handle `stack.add` returned for aws_s3_bucket.archive\n"),
        "{text}"
    );
}

#[test]
fn an_instance_type_change_with_its_cost_delta() {
    let t = review(bigger_instance, &[]);
    // analysis/data/prices.json, service "ec2", us-east-1 on-demand, both "verified": true:
    // g5.xlarge $1.006 and g5.2xlarge $1.212 an instance-hour. A month is 730 h:
    // before 1.006 × 730 = $734.38, after 1.212 × 730 = $884.76, delta 0.206 × 730 = $150.38.
    // The cache (cache.t4g.micro, $0.016 a node-hour × 730 = $11.68) is in both totals:
    // $746.06 → $896.44.
    assert!(
        t.contains("| `aws_instance.gpu` | $734.38 | $884.76 | +$150.38 |"),
        "{t}"
    );
    assert!(
        t.contains("| **total** | **$746.06** | **$896.44** | **+$150.38** |"),
        "{t}"
    );
    assert!(
        t.contains("| `instance_type` | `\"g5.xlarge\"` | `\"g5.2xlarge\"` |"),
        "{t}"
    );
    snapshot!("review_instance_type", t);
}

#[test]
fn a_policy_regression() {
    let t = review(unencrypted_cache, &[]);
    assert!(t.contains("policy: 2 new, 0 resolved"), "{t}");
    assert!(
        t.contains("- error `OXI-CACHE-001` `aws_elasticache_replication_group.cache`"),
        "{t}"
    );
    snapshot!("review_policy_regression", t);
}

fn data_base() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("demo");
    stack.add(
        "a",
        TerraformData::new()
            .input(serde_json::json!("x"))
            .triggers_replace(serde_json::json!("one")),
    );
    stack.add("b", TerraformData::new().input(serde_json::json!("y")));
    Ok(stack)
}

fn data_head() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("demo");
    stack.add(
        "a",
        TerraformData::new()
            .input(serde_json::json!("x"))
            .triggers_replace(serde_json::json!("two")),
    );
    stack.add("b", TerraformData::new().input(serde_json::json!("z")));
    Ok(stack)
}

/// `--plan`: the attribute that forces a replacement, as a real `terraform plan` reports it
/// (`terraform_data` needs no provider: apply the base, plan the head).
#[test]
fn a_plan_names_the_attribute_that_forces_replacement() {
    let work = Workdir::new();
    let synth = oxiform_tests::transcript(
        &App::new(vec![StackDef::new("demo", data_base)]),
        &["synth", "--out", &work.path().to_string_lossy()],
    );
    assert!(synth.contains("exit code: 0"), "{synth}");
    let base_json = work.path().join("demo/main.tf.json");
    std::fs::copy(&base_json, work.path().join("main.tf.json")).unwrap_or_else(|e| panic!("{e}"));
    work.run_ok(&["init", "-no-color"]);
    work.run_ok(&["apply", "-auto-approve", "-no-color"]);
    let head = App::new(vec![StackDef::new("demo", data_head)]);
    let head_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    oxiform_tests::run_cli(
        &head,
        &["synth", "--out", &head_dir.path().to_string_lossy()],
    );
    std::fs::copy(
        head_dir.path().join("demo/main.tf.json"),
        work.path().join("main.tf.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    work.run_ok(&["plan", "-no-color", "-out", "head.plan"]);
    let plan = work.run_ok(&["show", "-json", "head.plan"]);
    let plan_file = work.path().join("head.plan.json");
    std::fs::write(&plan_file, plan).unwrap_or_else(|e| panic!("{e}"));
    let against = work.path().join("demo");
    let (without, with) = (
        oxiform_tests::run_cli(
            &head,
            &[
                "diff",
                "demo",
                "--against",
                &against.to_string_lossy(),
                "--format",
                "markdown",
            ],
        )
        .1,
        oxiform_tests::run_cli(
            &head,
            &[
                "diff",
                "demo",
                "--against",
                &against.to_string_lossy(),
                "--format",
                "markdown",
                "--plan",
                &plan_file.to_string_lossy(),
            ],
        )
        .1,
    );
    assert!(
        without.contains("| `~` | `terraform_data.a` | changed in place |"),
        "{without}"
    );
    assert!(
        with.contains("| `-/+` | `terraform_data.a` | replaced: `triggers_replace` forces replacement (terraform plan) |"),
        "{with}"
    );
    assert!(
        with.contains("| `~` | `terraform_data.b` | changed in place (terraform plan) |"),
        "{with}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "review test")
        .env("GIT_AUTHOR_EMAIL", "review@example.com")
        .env("GIT_COMMITTER_NAME", "review test")
        .env("GIT_COMMITTER_EMAIL", "review@example.com")
        .output()
        .unwrap_or_else(|e| panic!("git {args:?}: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The CI's review step, run locally: `.github/scripts/pr-review.sh BASE HEAD` on a
/// throwaway repository whose two commits change the stack's `infra.json`, with a prebuilt
/// stacks binary as `OXIFORM_CLI` (nothing is built). Checks the comment body it writes.
#[test]
fn the_pr_review_script_writes_the_comment() {
    let repo = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = repo.path();
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(dir.join("infra.json"), r#"{"instance_type": "g5.xlarge"}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    git(dir, &["add", "infra.json"]);
    git(dir, &["commit", "--quiet", "-m", "base"]);
    std::fs::write(
        dir.join("infra.json"),
        r#"{"instance_type": "g5.2xlarge", "bucket": "archive", "cache_encrypted": false}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(dir, &["commit", "--quiet", "-am", "head"]);
    let (base_sha, head_sha) = (
        git(dir, &["rev-parse", "HEAD~1"]),
        git(dir, &["rev-parse", "HEAD"]),
    );
    let script = oxiform_tests::workspace_root().join(".github/scripts/pr-review.sh");
    let comment = dir.join("comment.md");
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = Command::new(&script)
        .args(["HEAD~1", "main"])
        .current_dir(dir)
        .env("OXIFORM_CLI", env!("CARGO_BIN_EXE_oxiform-review-fixture"))
        .env("OXIFORM_REVIEW_DIR", work.path())
        .env("OXIFORM_REVIEW_OUTPUT", &comment)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The head refuses to synthesise (an unencrypted cache is a policy error): exit 1, and
    // the comment still says everything.
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let body = std::fs::read_to_string(&comment).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let expected_head = format!(
        "<!-- oxiform-pr-review -->\n## Infrastructure review\n\nBase `{}` → head `{}`",
        &base_sha[..12],
        &head_sha[..12]
    );
    assert!(body.starts_with(&expected_head), "{body}");
    for part in [
        "`synth` of the head fails",
        "OXI-CACHE-001",
        "### `demo`\n\n**0 added · 0 removed · 1 replaced · 2 changed**",
        "stack.moved(\"aws_s3_bucket.logs\", &archive);",
        "| `aws_instance.gpu` | $734.38 | $884.76 | +$150.38 |",
        "New (2):",
    ] {
        assert!(body.contains(part), "{part:?} not in\n{body}");
    }
    // Both worktrees are gone again, and the repository's checkout is untouched.
    assert_eq!(git(dir, &["worktree", "list"]).lines().count(), 1);
    assert_eq!(git(dir, &["status", "--porcelain"]), "?? comment.md");
}

/// `.github/scripts/post-comment.sh` with a `gh` that records its arguments: the first
/// review is posted, a later one updates the comment carrying the marker.
#[test]
fn the_comment_is_posted_once_then_updated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap_or_else(|e| panic!("{e}"));
    let log = dir.path().join("gh.log");
    // Lists comment 4242 as the one with the marker when EXISTING is set.
    let fake = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\ncase \"$*\" in *--paginate*) [ -n \"$EXISTING\" ] && echo 4242;; esac\nexit 0\n",
        log.display()
    );
    let gh = bin.join("gh");
    std::fs::write(&gh, fake).unwrap_or_else(|e| panic!("{e}"));
    Command::new("chmod")
        .args(["+x", &gh.to_string_lossy()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    let body = dir.path().join("comment.md");
    std::fs::write(
        &body,
        "<!-- oxiform-pr-review -->\n## Infrastructure review\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let script = oxiform_tests::workspace_root().join(".github/scripts/post-comment.sh");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let post = |existing: &str| {
        let out = Command::new(&script)
            .arg(&body)
            .env("PATH", &path)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("PR_NUMBER", "7")
            .env("EXISTING", existing)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(post(""), "posted a comment on #7\n");
    assert_eq!(post("yes"), "updated comment 4242 on #7\n");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    let b = body.display();
    assert_eq!(
        calls,
        format!(
            "api --paginate repos/acme/infra/issues/7/comments --jq .[] | select(.body | contains(\"<!-- oxiform-pr-review -->\")) | .id\n\
             api --method POST repos/acme/infra/issues/7/comments -F body=@{b}\n\
             api --paginate repos/acme/infra/issues/7/comments --jq .[] | select(.body | contains(\"<!-- oxiform-pr-review -->\")) | .id\n\
             api --method PATCH repos/acme/infra/issues/comments/4242 -F body=@{b}\n"
        )
    );
}
