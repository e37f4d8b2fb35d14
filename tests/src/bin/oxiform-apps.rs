//! A stacks binary with one app of four stacks, `apps-e2e`, on the AWS API emulator at
//! `OXIFORM_EMULATOR_URL`, its state in the emulator's S3 (`oxiform-apps-state`, under
//! `e2e/`); the apps tests (`suite/apps.rs`) drive it through the command line.
//!
//! ```text
//!   apps-network ─┬─► apps-queues ──► apps-service
//!        │        └─► apps-params          ▲
//!        └──────────── bucket_arn ─────────┘
//! ```
//!
//! - `apps-network`: an S3 bucket; exports its name as `prefix` (a string known only once
//!   applied), `retention` (a number), `zones` (a list, as long as the version says) and
//!   `bucket_arn`;
//! - `apps-queues`: an SQS queue named after `prefix`, keeping messages `retention` seconds;
//!   exports its URL as `queue_url`;
//! - `apps-params`: SSM parameters holding `prefix`, `retention` and `zones` (joined, which
//!   only a list allows): it reads only the network, so it runs beside `apps-queues`;
//! - `apps-service`: SSM parameters holding the queue's URL and the network's bucket ARN.
//!
//! What the tests switch between runs:
//!
//! - `OXIFORM_APPS_VERSION=N` (1 to 5, 1 when unset): the network exports `N + 1` zones, so
//!   each version changes an export that `apps-params` reads (and only it: updating an SQS
//!   queue costs the provider's 25 s wait for its attributes to settle);
//! - `OXIFORM_APPS_FAIL=1`: `apps-queues` also adds a queue whose dead-letter queue does not
//!   exist, which the emulator refuses at apply (`AWS.SimpleQueueService.NonExistentQueue`);
//! - `OXIFORM_APPS_DROP=1`: `apps-service` no longer reads `bucket_arn`, and the network no
//!   longer exports it, in the same change: the export deadlock of CloudFormation.

use oxiform::aws::s3::S3Bucket;
use oxiform::aws::sqs::SqsQueue;
use oxiform::aws::ssm::{SsmParameter, SsmParameterArgs};
use oxiform::prelude::*;
use oxiform_cli::{App as Cli, AppDef};

/// The services the stacks call: S3, SQS, SSM, and STS for the provider's account id.
const SERVICES: &[&str] = &["s3", "sqs", "ssm", "sts"];
/// The network's bucket, whose name is the prefix of everything the other stacks make.
const NETWORK_BUCKET: &str = "oxiform-apps-e2e";
/// Where the app keeps every stack's state, on the emulator's S3.
const STATE_BUCKET: &str = "oxiform-apps-state";
/// The zones the network exports, the first `version + 1` of them.
const ZONES: [&str; 6] = [
    "us-east-1a",
    "us-east-1b",
    "us-east-1c",
    "us-east-1d",
    "us-east-1e",
    "us-east-1f",
];

/// Whether the switch `name` is on (`1`).
fn switch(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// A stack with the AWS provider pointed at the emulator.
fn stack(name: &str, url: &str) -> Stack {
    let mut stack = Stack::new(name);
    stack.provider(
        AwsProvider::new("us-east-1")
            .static_credentials("test", "test")
            .emulator(url, SERVICES),
    );
    stack
}

/// A plain-text SSM parameter `name` holding `value`.
fn parameter(name: &str, kind: &str, value: impl Into<Value<String>>) -> SsmParameter {
    SsmParameter::new(SsmParameterArgs {
        name: name.into(),
        type_: kind.into(),
    })
    .insecure_value(value)
}

fn build() -> anyhow::Result<App> {
    let url = std::env::var("OXIFORM_EMULATOR_URL")?;
    let version = std::env::var("OXIFORM_APPS_VERSION").unwrap_or_else(|_| "1".to_owned());
    let zones = match version.parse::<usize>() {
        Ok(n @ 1..=5) => &ZONES[..=n],
        _ => anyhow::bail!("OXIFORM_APPS_VERSION is 1 to 5, not {version:?}"),
    };
    let (fail, drop_read) = (switch("OXIFORM_APPS_FAIL"), switch("OXIFORM_APPS_DROP"));

    let mut network = stack("apps-network", &url);
    let bucket = network.add("shared", S3Bucket::new().bucket(NETWORK_BUCKET));
    let prefix: Export<String> = network.export("prefix", Output::new(bucket.bucket()));
    let retention: Export<i64> = network.export("retention", Output::new(3600));
    let zones: Export<List<String>> = network.export("zones", Output::new(zones.to_vec()));
    let bucket_arn: Option<Export<String>> =
        (!drop_read).then(|| network.export("bucket_arn", Output::new(bucket.arn())));

    let mut queues = stack("apps-queues", &url);
    let jobs = queues.add(
        "jobs",
        SqsQueue::new()
            .name(template!("{}-jobs", prefix))
            .message_retention_seconds(retention),
    );
    let queue_url: Export<String> = queues.export("queue_url", Output::new(jobs.url()));
    if fail {
        // Valid JSON to the provider; the emulator looks the dead-letter queue up and
        // refuses the queue when it is not there, as SQS does.
        let missing = template!(
            "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:{}-missing\",\"maxReceiveCount\":3}",
            prefix
        );
        queues.add(
            "broken",
            SqsQueue::new()
                .name(template!("{}-broken", prefix))
                .redrive_policy(missing),
        );
    }

    let mut params = stack("apps-params", &url);
    params.add(
        "prefix",
        parameter("/apps-e2e/prefix", "String", prefix.value()),
    );
    params.add(
        "retention",
        parameter(
            "/apps-e2e/retention",
            "String",
            retention.value().call::<String>("tostring", &[]),
        ),
    );
    // `join` takes only a list: the export arrives as one.
    let zones = Expr::<String>::raw_with_deps(
        format!("join(\",\", {})", zones.value().hcl()),
        zones.value().deps().to_vec(),
    );
    params.add("zones", parameter("/apps-e2e/zones", "StringList", zones));

    let mut service = stack("apps-service", &url);
    service.add(
        "queue_url",
        parameter("/apps-e2e/service/queue-url", "String", queue_url.value()),
    );
    if let Some(arn) = bucket_arn {
        service.add(
            "bucket_arn",
            parameter("/apps-e2e/service/bucket-arn", "String", arn.value()),
        );
    }

    let mut app = App::new("apps-e2e");
    app.backend(AppBackend::s3(STATE_BUCKET, "e2e", "us-east-1").emulator(&url));
    app.add(network);
    app.add(queues);
    app.add(params);
    app.add(service);
    Ok(app)
}

fn main() -> std::process::ExitCode {
    // The default policy set: no tags required.
    oxiform_cli::main(&Cli::new(vec![]).apps(vec![AppDef::new("apps-e2e", build)]))
}
