//! A stacks binary with one small app, `team`, on the AWS API emulator at
//! `OXIFORM_EMULATOR_URL`, its state in the emulator's S3 (`oxiform-team-state`, under
//! `team/`): the tests of #22 (`suite/team_workflow.rs`) generate its deploy workflow, run
//! the workflow's commands in order, and change a resource behind terraform's back for
//! `drift`.
//!
//! ```text
//!   team-network ──► team-service
//!        └─────────► team-audit    (only with OXIFORM_TEAM_EXTRA=1)
//! ```
//!
//! - `team-network`: an S3 bucket, whose name it exports as `bucket`, and an SSM parameter
//!   `/team/owner` (what the drift test changes through the emulator's API);
//! - `team-service`: an SSM parameter holding the bucket's name;
//! - `team-audit`: the same for an audit trail, a stack added later.

use oxiform::aws::s3::S3Bucket;
use oxiform::aws::ssm::{SsmParameter, SsmParameterArgs};
use oxiform::prelude::*;
use oxiform_cli::{App as Cli, AppDef};

/// The services the stacks call.
const SERVICES: &[&str] = &["s3", "ssm", "sts"];

fn stack(name: &str, url: &str) -> Stack {
    let mut stack = Stack::new(name);
    stack.provider(
        AwsProvider::new("us-east-1")
            .static_credentials("test", "test")
            .emulator(url, SERVICES),
    );
    stack
}

fn parameter(name: &str, value: impl Into<Value<String>>) -> SsmParameter {
    SsmParameter::new(SsmParameterArgs {
        name: name.into(),
        type_: "String".into(),
    })
    .insecure_value(value)
}

fn build() -> anyhow::Result<App> {
    let url = std::env::var("OXIFORM_EMULATOR_URL")?;
    let mut network = stack("team-network", &url);
    let logs = network.add("logs", S3Bucket::new().bucket("oxiform-team-logs"));
    let bucket: Export<String> = network.export("bucket", Output::new(logs.bucket()));
    network.add("owner", parameter("/team/owner", "platform"));

    let mut service = stack("team-service", &url);
    service.add("bucket", parameter("/team/service/bucket", bucket.value()));

    let mut app = App::new("team");
    app.backend(AppBackend::s3("oxiform-team-state", "team", "us-east-1").emulator(&url));
    app.add(network);
    app.add(service);
    if std::env::var("OXIFORM_TEAM_EXTRA").is_ok_and(|v| v == "1") {
        let mut audit = stack("team-audit", &url);
        audit.add("bucket", parameter("/team/audit/bucket", bucket.value()));
        app.add(audit);
    }
    Ok(app)
}

fn main() -> std::process::ExitCode {
    oxiform_cli::main(&Cli::new(vec![]).apps(vec![AppDef::new("team", build)]))
}
