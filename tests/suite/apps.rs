//! Apps of many stacks end to end (#21), through the command line on the AWS API emulator,
//! every stack's state in the emulator's S3 with S3-native locking: the app of
//! `src/bin/oxiform-apps.rs` (`apps-network` → `apps-queues` and `apps-params` side by side
//! → `apps-service`) planned before anything exists (the readers are not planned, never on
//! placeholders), applied with two stacks overlapping, planned with no changes, a changed
//! export carried to its reader, a stack locked by another terraform, a stack failing in the
//! middle (its reader skipped, the other applied, a re-run converging), the last read of an
//! export dropped together with the export, and the whole app destroyed in reverse order.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::{Duration, Instant};

use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::TERRAFORM;

const APPS: &str = env!("CARGO_BIN_EXE_oxiform-apps");
/// The app's stacks, in the order the app adds them.
const STACKS: [&str; 4] = ["apps-network", "apps-queues", "apps-params", "apps-service"];
/// Where the app keeps its state on the emulator's S3, and the folder of its state files.
const STATE_BUCKET: &str = "oxiform-apps-state";
const STATE_PREFIX: &str = "e2e/";
/// The network's bucket, whose name prefixes the queue.
const NETWORK_BUCKET: &str = "oxiform-apps-e2e";
/// The queue `apps-queues` makes and the one its failure switch adds.
const JOBS_QUEUE: &str = "oxiform-apps-e2e-jobs";
const BROKEN_QUEUE: &str = "oxiform-apps-e2e-broken";

/// The app's binary, run in one folder against one emulator, with the switches of each step.
struct AppCli<'a> {
    dir: &'a Path,
    emulator: &'a Emulator,
    timings: Vec<String>,
}

impl AppCli<'_> {
    /// Runs `oxiform-apps ARGS` with the switches `env` (`OXIFORM_APPS_*`), as a user runs
    /// it from a shell with the emulator's credentials: nothing else configured, the provider
    /// mirror found at its documented path.
    fn run(&mut self, label: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
        let started = Instant::now();
        let output = Command::new(APPS)
            .args(args)
            .current_dir(self.dir)
            .envs(self.emulator.provider_env())
            .env("OXIFORM_EMULATOR_URL", self.emulator.url())
            .env_remove("OXIFORM_APPS_VERSION")
            .env_remove("OXIFORM_APPS_FAIL")
            .env_remove("OXIFORM_APPS_DROP")
            .envs(env.iter().copied())
            .env_remove("OXIFORM_PLUGIN_DIR")
            .env_remove("TF_CLI_CONFIG_FILE")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{APPS} {}: {e}", args.join(" ")));
        let took = format!("{label} {:.1}s", started.elapsed().as_secs_f64());
        // Said as it goes, so that a failing run shows how long each step took.
        eprintln!("apps: {took}");
        self.timings.push(took);
        output
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn assert_exit(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: exit code\n{}",
        text(output)
    );
}

/// The line of the summary that starts with `stack`: what happened to it.
fn summary_of<'a>(output: &'a Output, stack: &str) -> &'a str {
    let stdout = std::str::from_utf8(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    stdout
        .lines()
        .rev()
        .find_map(|line| {
            line.strip_prefix(stack)
                .filter(|rest| rest.starts_with("  "))
                .map(str::trim)
        })
        .unwrap_or_else(|| panic!("no summary line for {stack}:\n{}", text(output)))
}

/// Checks the summary: each stack's line starts with what it says, then the totals line.
fn assert_summary(output: &Output, expected: &[(&str, &str)], totals: &str) {
    for (stack, outcome) in expected {
        let line = summary_of(output, stack);
        assert!(
            line.starts_with(outcome),
            "{stack}: expected `{outcome}…`, the summary says `{line}`\n{}",
            text(output)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.lines().any(|line| line == totals),
        "expected the totals `{totals}`:\n{}",
        text(output)
    );
}

/// Where the line `[stack] VERB started|finished` is in the output (its line number).
fn event(output: &Output, stack: &str, what: &str) -> usize {
    let line = format!("[{stack}] {what}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line `{line}`:\n{}", text(output)))
}

/// The `[stack] …` lines of the output (terraform's and oxiform's).
fn lines_of(output: &Output, stack: &str) -> Vec<String> {
    let prefix = format!("[{stack}] ");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

/// Every text between `<tag>` and `</tag>` in an XML answer.
fn xml_values(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split_once(&close).map(|(v, _)| v.to_owned()))
        .collect()
}

/// The keys of the state bucket under the app's folder.
fn state_keys(emulator: &Emulator) -> Vec<String> {
    let path = format!("/{STATE_BUCKET}?list-type=2&prefix={STATE_PREFIX}");
    let answer = emulator.http("GET", &path, &[], "");
    assert_eq!(answer.status, 200, "listing the state bucket: {answer:?}");
    xml_values(&answer.body, "Key")
}

/// One object of the state bucket, or `None` when it is not there.
fn state_object(emulator: &Emulator, key: &str) -> Option<String> {
    // Signed like terraform's requests (the emulator checks no signature): objects are
    // private, and an anonymous GET is refused.
    let auth = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, \
                SignedHeaders=host, Signature=0";
    let path = format!("/{STATE_BUCKET}/{key}");
    let answer = emulator.http("GET", &path, &[("Authorization", auth)], "");
    match answer.status {
        200 => Some(answer.body),
        404 => None,
        _ => panic!("reading s3://{STATE_BUCKET}/{key}: {answer:?}"),
    }
}

/// The outputs in the state of `stack`, as terraform wrote them.
fn state_outputs(emulator: &Emulator, stack: &str) -> serde_json::Value {
    let key = format!("{STATE_PREFIX}{stack}.tfstate");
    let text = state_object(emulator, &key).unwrap_or_else(|| panic!("no state at {key}"));
    let state: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{key}: {e}\n{text}"));
    state["outputs"].clone()
}

/// Every bucket of the emulator.
fn buckets(emulator: &Emulator) -> Vec<String> {
    xml_values(&emulator.http("GET", "/", &[], "").body, "Name")
}

/// The URLs of every SQS queue.
fn queue_urls(emulator: &Emulator) -> Vec<String> {
    let answer = emulator.query("sqs", "Action=ListQueues&Version=2012-11-05");
    assert_eq!(answer.status, 200, "ListQueues: {answer:?}");
    xml_values(&answer.body, "QueueUrl")
}

/// An attribute of the queue at `url`.
fn queue_attribute(emulator: &Emulator, url: &str, name: &str) -> String {
    let params = format!(
        "Action=GetQueueAttributes&Version=2012-11-05&AttributeName.1=All&QueueUrl={}",
        url.replace(':', "%3A").replace('/', "%2F")
    );
    let answer = emulator.query("sqs", &params);
    assert_eq!(answer.status, 200, "GetQueueAttributes {url}: {answer:?}");
    let names = xml_values(&answer.body, "Name");
    let values = xml_values(&answer.body, "Value");
    names
        .iter()
        .zip(values)
        .find_map(|(n, v)| (n == name).then_some(v))
        .unwrap_or_else(|| panic!("no attribute {name} of {url}: {}", answer.body))
}

/// The value of the SSM parameter `name`, or `None` when there is none.
fn parameter(emulator: &Emulator, name: &str) -> Option<String> {
    let body = serde_json::json!({ "Name": name }).to_string();
    let answer = emulator.json("ssm", "AmazonSSM.GetParameter", &body);
    if answer.status == 400 && answer.body.contains("ParameterNotFound") {
        return None;
    }
    assert_eq!(answer.status, 200, "GetParameter {name}: {answer:?}");
    let json: serde_json::Value =
        serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body));
    json["Parameter"]["Value"].as_str().map(str::to_owned)
}

/// The names of every SSM parameter.
fn parameter_names(emulator: &Emulator) -> Vec<String> {
    let answer = emulator.json("ssm", "AmazonSSM.DescribeParameters", "{}");
    assert_eq!(answer.status, 200, "DescribeParameters: {answer:?}");
    let json: serde_json::Value =
        serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body));
    json["Parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["Name"].as_str().map(str::to_owned))
        .collect()
}

/// `terraform console` in a stack's folder, its stdin kept open: while it waits for input it
/// holds the stack's state lock, as any terraform working on the stack does. Dropping it
/// closes its stdin (it then exits and releases the lock), and kills it if it does not.
struct Console {
    child: Child,
    stdin: Option<ChildStdin>,
    log: tempfile::NamedTempFile,
}

impl Console {
    fn start(dir: &Path, emulator: &Emulator) -> Console {
        let log = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        let stderr = log.reopen().unwrap_or_else(|e| panic!("{e}"));
        let mut child = Command::new(TERRAFORM)
            .args(["console", "-no-color"])
            .current_dir(dir)
            .envs(emulator.provider_env())
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_CLI_CONFIG_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("{TERRAFORM} console: {e}"));
        let stdin = child.stdin.take();
        Console { child, stdin, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// Closes its stdin, as a user ends the console, and waits for it to exit.
    fn close(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                other => panic!(
                    "terraform console did not exit after its input closed: {other:?}\n{}",
                    self.log()
                ),
            }
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if let Ok(None) = self.child.try_wait() {
            std::thread::sleep(Duration::from_secs(2));
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits until `key` exists in the state bucket (true) or `timeout` passes (false).
fn wait_for_object(emulator: &Emulator, key: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if state_object(emulator, key).is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
fn an_app_of_four_stacks_through_the_cli_on_the_emulator() {
    let whole = Instant::now();
    let emulator = Emulator::start();
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = work.path();
    let out = |stack: &str| -> PathBuf { dir.join("out").join(stack) };
    let mut cli = AppCli {
        dir,
        emulator: &emulator,
        timings: Vec::new(),
    };
    let v = |version: &'static str| ("OXIFORM_APPS_VERSION", version);

    // 1. Nothing applied yet: the network is planned; the stacks that read it are not, and
    //    say which values they wait on, the service also on the queue stack it reads, which
    //    made no plan either. Nothing is planned on placeholders, and nothing is written.
    let plan = cli.run(
        "plan before apply",
        &[],
        &["plan", "--all", "--concurrency", "2"],
    );
    assert_exit(&plan, 2, "plan --all before anything is applied");
    assert_summary(
        &plan,
        &[
            ("apps-network", "changes"),
            (
                "apps-queues",
                "not planned: reads values the stacks before it have not applied yet",
            ),
            ("apps-params", "not planned"),
            ("apps-service", "not planned"),
        ],
        "4 stacks: 4 planned (4 with changes)",
    );
    let waits = |stack: &str, values: &[&str]| {
        let said = lines_of(&plan, stack);
        let line = said
            .iter()
            .find(|l| l.starts_with("not planned: it reads "))
            .unwrap_or_else(|| {
                panic!("{stack} says nothing of what it waits on:\n{}", text(&plan))
            });
        for value in values {
            assert!(
                line.contains(value),
                "{stack}: expected {value:?} in `{line}`"
            );
        }
        assert!(
            !said
                .iter()
                .any(|l| l.starts_with("Plan:") || l.contains("will be created")),
            "{stack} was planned on placeholders:\n{}",
            text(&plan)
        );
    };
    let until_network = "which stays unknown until `apps-network` applies";
    waits(
        "apps-queues",
        &[
            &format!("`apps-network.prefix`, {until_network}"),
            "`apps-network.retention`",
        ],
    );
    waits(
        "apps-params",
        &[
            "`apps-network.prefix`",
            "`apps-network.retention`",
            "`apps-network.zones`",
        ],
    );
    waits(
        "apps-service",
        &[
            "`apps-queues.queue_url`, which stays unknown until `apps-queues` applies",
            "`apps-network.bucket_arn`",
        ],
    );
    for stack in STACKS {
        assert!(
            !out(stack).join("oxiform.tfplan").exists(),
            "{stack}: a plan was left"
        );
    }
    assert_eq!(
        state_keys(&emulator),
        Vec::<String>::new(),
        "a plan writes no state"
    );

    // 2. Applied, two at a time: the queue and parameter stacks, which read only the
    //    network, run side by side; each stack's state is in the bucket.
    let apply = cli.run(
        "apply",
        &[],
        &["apply", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&apply, 0, "apply --all");
    assert_summary(
        &apply,
        &[
            ("apps-network", "applied"),
            ("apps-queues", "applied"),
            ("apps-params", "applied"),
            ("apps-service", "applied"),
        ],
        "4 stacks: 4 applied",
    );
    let (queues_start, params_start) = (
        event(&apply, "apps-queues", "apply started"),
        event(&apply, "apps-params", "apply started"),
    );
    let first_middle_finish = event(&apply, "apps-queues", "apply finished").min(event(
        &apply,
        "apps-params",
        "apply finished",
    ));
    assert!(
        queues_start.max(params_start) < first_middle_finish,
        "apps-queues and apps-params did not overlap:\n{}",
        text(&apply)
    );
    assert!(event(&apply, "apps-network", "apply finished") < queues_start.min(params_start));
    assert!(
        first_middle_finish.max(event(&apply, "apps-params", "apply finished"))
            < event(&apply, "apps-service", "apply started")
    );
    let mut keys = state_keys(&emulator);
    keys.sort();
    let mut expected: Vec<String> = STACKS
        .iter()
        .map(|s| format!("{STATE_PREFIX}{s}.tfstate"))
        .collect();
    expected.sort();
    assert_eq!(keys, expected, "one state per stack, and no lock left");
    // The values arrived with their types: a number as the queue's retention, a list
    // joined, a string known only once the network applied, the queue's URL two hops away.
    let queue_url = queue_urls(&emulator)
        .into_iter()
        .find(|u| u.ends_with(&format!("/{JOBS_QUEUE}")))
        .unwrap_or_else(|| panic!("no queue {JOBS_QUEUE}: {:?}", queue_urls(&emulator)));
    assert_eq!(
        queue_attribute(&emulator, &queue_url, "MessageRetentionPeriod"),
        "3600"
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/prefix").as_deref(),
        Some(NETWORK_BUCKET)
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/retention").as_deref(),
        Some("3600")
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/zones").as_deref(),
        Some("us-east-1a,us-east-1b")
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/service/queue-url"),
        Some(queue_url.clone())
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/service/bucket-arn").as_deref(),
        Some(format!("arn:aws:s3:::{NETWORK_BUCKET}").as_str())
    );

    // 3. Planned again: nothing to change anywhere.
    let plan = cli.run(
        "plan after apply",
        &[],
        &["plan", "--all", "--concurrency", "2"],
    );
    assert_exit(&plan, 0, "plan --all after apply");
    assert_summary(
        &plan,
        &STACKS.map(|s| (s, "no changes")),
        "4 stacks: 4 planned (0 with changes)",
    );

    // 4. A changed export reaches its reader on the next apply: version 2 exports a third
    //    zone; only the network and the parameters change.
    let apply = cli.run(
        "apply version 2",
        &[v("2")],
        &["apply", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&apply, 0, "apply --all of version 2");
    assert!(
        lines_of(&apply, "apps-params")
            .iter()
            .any(|l| l.contains("Apply complete! Resources: 0 added, 1 changed, 0 destroyed.")),
        "{}",
        text(&apply)
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/zones").as_deref(),
        Some("us-east-1a,us-east-1b,us-east-1c")
    );

    // 5. The lock: while a terraform works on apps-queues (a console holds its lock), an
    //    apply of that stack fails with terraform's lock message; its state is untouched.
    let state_key = format!("{STATE_PREFIX}apps-queues.tfstate");
    let lock_key = format!("{state_key}.tflock");
    let state_before = state_object(&emulator, &state_key);
    let console = Console::start(&out("apps-queues"), &emulator);
    assert!(
        wait_for_object(&emulator, &lock_key, Duration::from_secs(60)),
        "terraform console did not take the state lock:\n{}",
        console.log()
    );
    let locked = cli.run(
        "apply locked",
        &[v("2")],
        &["apply", "apps-queues", "--auto-approve"],
    );
    assert_exit(&locked, 1, "apply of a locked stack");
    let said = text(&locked);
    assert!(said.contains("Error acquiring the state lock"), "{said}");
    assert!(said.contains("PreconditionFailed"), "{said}");
    assert!(
        said.contains("another terraform holds this stack's state lock"),
        "the hint says what happened: {said}"
    );
    assert!(!said.contains("Apply complete"), "{said}");
    assert!(
        state_object(&emulator, &lock_key).is_some(),
        "the console's lock is still held after the refused apply"
    );
    let status = console.close();
    assert!(status.success(), "terraform console: {status}");
    assert_eq!(
        state_object(&emulator, &lock_key),
        None,
        "the console released its lock"
    );
    assert_eq!(
        state_object(&emulator, &state_key),
        state_before,
        "the state of apps-queues was not touched"
    );
    let plan = cli.run("plan after lock", &[v("2")], &["plan", "apps-queues"]);
    assert_exit(&plan, 0, "plan of apps-queues after the lock");

    // 6. A stack failing in the middle: the emulator refuses apps-queues' new queue. Its
    //    reader is skipped; apps-params, beside it, applies version 3's fourth zone.
    let failed = cli.run(
        "apply failing",
        &[v("3"), ("OXIFORM_APPS_FAIL", "1")],
        &["apply", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&failed, 1, "apply --all with apps-queues failing");
    assert_summary(
        &failed,
        &[
            ("apps-network", "applied"),
            ("apps-queues", "FAILED"),
            ("apps-params", "applied"),
            ("apps-service", "skipped: needs `apps-queues`, which failed"),
        ],
        "4 stacks: 2 applied, 1 failed, 1 skipped",
    );
    assert!(
        summary_of(&failed, "apps-queues").contains("aws_sqs_queue.broken"),
        "{}",
        text(&failed)
    );
    assert!(
        text(&failed).contains("AWS.SimpleQueueService.NonExistentQueue"),
        "{}",
        text(&failed)
    );
    assert!(
        lines_of(&failed, "apps-service").is_empty(),
        "{}",
        text(&failed)
    );
    assert_eq!(
        parameter(&emulator, "/apps-e2e/zones").as_deref(),
        Some("us-east-1a,us-east-1b,us-east-1c,us-east-1d")
    );
    assert!(!queue_urls(&emulator)
        .iter()
        .any(|u| u.ends_with(BROKEN_QUEUE)));
    assert!(
        state_keys(&emulator)
            .iter()
            .all(|k| !k.ends_with(".tflock")),
        "a lock was left"
    );
    // Fixed, the same command converges, and a plan then has nothing to do.
    let fixed = cli.run(
        "apply fixed",
        &[v("3")],
        &["apply", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&fixed, 0, "apply --all once fixed");
    assert_summary(
        &fixed,
        &STACKS.map(|s| (s, "applied")),
        "4 stacks: 4 applied",
    );
    let plan = cli.run(
        "plan after fix",
        &[v("3")],
        &["plan", "--all", "--concurrency", "2"],
    );
    assert_exit(&plan, 0, "plan --all once fixed");
    assert_summary(
        &plan,
        &STACKS.map(|s| (s, "no changes")),
        "4 stacks: 4 planned (0 with changes)",
    );

    // 7. The service stops reading the network's bucket ARN, and the network stops
    //    exporting it, in one change (what deadlocks CloudFormation's exports): fails nowhere.
    let dropped = cli.run(
        "apply dropped read",
        &[v("3"), ("OXIFORM_APPS_DROP", "1")],
        &["apply", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&dropped, 0, "apply --all with the read dropped");
    assert_summary(
        &dropped,
        &STACKS.map(|s| (s, "applied")),
        "4 stacks: 4 applied",
    );
    assert_eq!(parameter(&emulator, "/apps-e2e/service/bucket-arn"), None);
    assert_eq!(
        parameter(&emulator, "/apps-e2e/service/queue-url"),
        Some(queue_url.clone())
    );
    let outputs = state_outputs(&emulator, "apps-network");
    assert!(outputs.get("bucket_arn").is_none(), "{outputs:#}");
    assert_eq!(outputs["retention"]["value"], 3600, "{outputs:#}");

    // 8. Destroyed in reverse order: each reader's destroy finishes before the stacks it
    //    reads start theirs; nothing the app made is left, the state bucket stays.
    let destroy = cli.run(
        "destroy",
        &[v("3"), ("OXIFORM_APPS_DROP", "1")],
        &["destroy", "--all", "--concurrency", "2", "--auto-approve"],
    );
    assert_exit(&destroy, 0, "destroy --all");
    assert_summary(
        &destroy,
        &STACKS.map(|s| (s, "destroyed")),
        "4 stacks: 4 destroyed",
    );
    for (reader, read) in [
        ("apps-service", "apps-queues"),
        ("apps-queues", "apps-network"),
        ("apps-params", "apps-network"),
    ] {
        assert!(
            event(&destroy, reader, "destroy finished") < event(&destroy, read, "destroy started"),
            "{reader} reads {read}, so it is destroyed first:\n{}",
            text(&destroy)
        );
    }
    assert_eq!(queue_urls(&emulator), Vec::<String>::new(), "queues left");
    assert_eq!(
        parameter_names(&emulator),
        Vec::<String>::new(),
        "parameters left"
    );
    assert_eq!(buckets(&emulator), [STATE_BUCKET], "buckets left");

    cli.timings
        .push(format!("whole test {:.1}s", whole.elapsed().as_secs_f64()));
    eprintln!("apps timings: {}", cli.timings.join(", "));
}
