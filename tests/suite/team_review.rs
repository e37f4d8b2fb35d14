//! One review for a whole app (#22): `diff --all --format markdown` (and `diff APP`) of a
//! change that touches two stacks and one value crossing them is one comment: each stack's
//! changes, the export and the remote-state read marked as crossing stacks, the value said
//! plainly to be unknown until its stack applies, the cost of each stack and of the app, and
//! the policy findings.

use oxiform::aws::ec2::Instance;
use oxiform::aws::elasticache::{ElasticacheReplicationGroup, ElasticacheReplicationGroupArgs};
use oxiform::aws::s3::S3Bucket;
use oxiform::aws::ssm::{SsmParameter, SsmParameterArgs};
use oxiform::prelude::*;
use oxiform_cli::{App as Cli, AppDef};
use oxiform_tests::snapshot;

/// What differs between the base and the head.
struct Spec {
    /// The log bucket's name: the value `net` exports and `svc` reads.
    bucket: &'static str,
    /// The cache's node type, in `net`.
    node_type: &'static str,
    /// The GPU instance's type, in `svc`.
    instance_type: &'static str,
}

/// The app `team`: `net` (a log bucket, whose name it exports, and a cache) and `svc` (a GPU
/// instance and a parameter holding the bucket's name), state in S3.
fn team(spec: &Spec) -> App {
    let mut net = Stack::new("net");
    net.provider(AwsProvider::new("us-east-1"));
    let bucket = net.add("logs", S3Bucket::new().bucket(spec.bucket));
    let logs_bucket: Export<String> = net.export("logs_bucket", Output::new(bucket.bucket()));
    net.add(
        "cache",
        ElasticacheReplicationGroup::new(ElasticacheReplicationGroupArgs {
            description: "response cache".into(),
            replication_group_id: "team-cache".into(),
        })
        .node_type(spec.node_type)
        .num_cache_clusters(1)
        .at_rest_encryption_enabled("true")
        .transit_encryption_enabled(true),
    );

    let mut svc = Stack::new("svc");
    svc.provider(AwsProvider::new("us-east-1"));
    svc.add(
        "gpu",
        Instance::new()
            .ami("ami-0123456789abcdef0")
            .instance_type(spec.instance_type),
    );
    svc.add(
        "logs_bucket",
        SsmParameter::new(SsmParameterArgs {
            name: "/team/svc/logs-bucket".into(),
            type_: "String".into(),
        })
        .insecure_value(logs_bucket.value()),
    );

    let mut app = App::new("team");
    app.backend(AppBackend::s3("acme-tf-state", "team", "us-east-1"));
    app.add(net);
    app.add(svc);
    app
}

fn base() -> anyhow::Result<App> {
    Ok(team(&Spec {
        bucket: "acme-team-logs",
        node_type: "cache.t4g.micro",
        instance_type: "g5.xlarge",
    }))
}

fn head() -> anyhow::Result<App> {
    Ok(team(&Spec {
        bucket: "acme-team-archive",
        node_type: "cache.t4g.small",
        instance_type: "g5.2xlarge",
    }))
}

fn cli(build: fn() -> anyhow::Result<App>) -> Cli {
    Cli::new(vec![]).apps(vec![AppDef::new("team", build)])
}

/// Synthesises the base into a temporary folder, then reviews the head against it with
/// `args`; the folder is written `BASE`.
fn review(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().to_string_lossy().into_owned();
    let synth = oxiform_tests::transcript(&cli(base), &["synth", "--out", &out]);
    assert!(synth.contains("exit code: 0"), "{synth}");
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--against", &out, "--format", "markdown"]);
    oxiform_tests::transcript(&cli(head), &all).replace(&out, "BASE")
}

#[test]
fn the_review_of_an_app_is_one_comment_with_the_values_that_cross_stacks() {
    let t = review(&["--all"]);
    assert!(t.contains("exit code: 1"), "{t}");
    for part in [
        "## App `team`: 2 of 2 stacks change",
        // The export and the read that carry the bucket's name, marked.
        "`net.logs_bucket`: output `logs_bucket` of `net`, read by `svc` through `data.terraform_remote_state.net` — **changes with `aws_s3_bucket.logs`**, which it is made from",
        "`aws_s3_bucket.logs` (crosses stacks: export `logs_bucket` is made from it, read by `svc`)",
        "Reads `net.logs_bucket`, which this change changes: unknown until `net` applies",
        "> `net.logs_bucket` is unknown until `net` applies",
        // Each stack's cost and the app's: the cache $11.68 → $23.36 (cache.t4g.small
        // $0.032 × 730 h); the instance $734.38 → $884.76.
        "| **all stacks** | | **$746.06** | **$908.12** | **+$162.06** |",
    ] {
        assert!(t.contains(part), "{part:?} not in\n{t}");
    }
    snapshot!("review_app", t);
    // `diff APP` is the same review.
    assert_eq!(review(&["team"]), t.replace("diff --all", "diff team"));
}
