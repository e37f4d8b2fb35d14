//! The whole deploy loop as a user runs it, on the real terraform and AWS provider against
//! the AWS API emulator on loopback, through the command line itself: `emulator` serves it,
//! `apply ai-inference-local --auto-approve`, a `plan` with no changes, `destroy`, with no
//! other configuration (the provider mirror is found at its documented path). And a failure
//! mid-apply: terraform's error is shown once, the resource is named, state is kept.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use oxiform_tests::emulator::{Api, Emulator};
use oxiform_tests::terraform::TERRAFORM;
use oxiform_tests::workspace_root;

const STACKS: &str = env!("CARGO_BIN_EXE_oxiform-stacks");

/// `oxiform-stacks emulator` as a process, stopped with Ctrl-C (SIGINT) when dropped.
struct ServedEmulator {
    child: Child,
    port: u16,
    /// What it printed on stdout up to and including its ready block.
    banner: String,
    log: tempfile::NamedTempFile,
}

impl ServedEmulator {
    /// Starts the `emulator` command on `port` (0: a free one) and waits for its banner.
    fn start(port: u16) -> ServedEmulator {
        let log = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        let stderr = log.reopen().unwrap_or_else(|e| panic!("{e}"));
        let mut child = Command::new(STACKS)
            .args(["emulator", "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("{STACKS} emulator: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut banner = String::new();
        let mut lines = BufReader::new(stdout).lines();
        let mut port = None;
        for line in lines.by_ref() {
            let line = line.unwrap_or_else(|e| panic!("reading the emulator's stdout: {e}"));
            banner.push_str(&line);
            banner.push('\n');
            if let Some(rest) = line.strip_prefix("AWS API emulator on http://127.0.0.1:") {
                port = rest.split(' ').next().and_then(|p| p.parse::<u16>().ok());
            }
            if line.starts_with("Ctrl-C stops it") {
                break;
            }
        }
        let log_text = std::fs::read_to_string(log.path()).unwrap_or_default();
        let port = port.unwrap_or_else(|| {
            panic!("`emulator` printed no URL:\n{banner}\n--- stderr\n{log_text}")
        });
        // Its stdout stays read so that the stop line does not block on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        ServedEmulator {
            child,
            port,
            banner,
            log,
        }
    }

    fn api(&self) -> Api {
        Api { port: self.port }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// Ctrl-C, as a user stops it; its exit status.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        self.child.wait().unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for ServedEmulator {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.interrupt();
        }
    }
}

/// Runs the stacks binary in `dir` with `env`, as a user would from a shell.
fn stacks(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    Command::new(STACKS)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env_remove("OXIFORM_PLUGIN_DIR")
        // As on a machine without terraform configuration (this one names a missing file).
        .env_remove("TF_CLI_CONFIG_FILE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{STACKS} {}: {e}", args.join(" ")))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// The "Try it locally" transcript of the guide (`docs/src/local.md`, its first text block):
/// each `$ command` with the lines it must print.
fn readme_transcript() -> Vec<(String, Vec<String>)> {
    let chapter = std::fs::read_to_string(workspace_root().join("docs/src/local.md"))
        .unwrap_or_else(|e| panic!("docs/src/local.md: {e}"));
    let block = chapter
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("docs/src/local.md has no text block"));
    let mut commands: Vec<(String, Vec<String>)> = Vec::new();
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            commands.push((command.to_owned(), Vec::new()));
        } else if let Some((_, lines)) = commands.last_mut() {
            if line != "…" && !line.is_empty() {
                lines.push(line.to_owned());
            }
        }
    }
    commands
}

/// Every line the guide shows for `command` is in what it printed.
fn assert_readme_lines(readme: &[(String, Vec<String>)], command: &str, printed: &str) {
    let (_, lines) = readme
        .iter()
        .find(|(c, _)| c.ends_with(command))
        .unwrap_or_else(|| panic!("the guide's transcript (docs/src/local.md) has no `{command}`"));
    for line in lines {
        assert!(
            printed.contains(line.as_str()),
            "docs/src/local.md says `{command}` prints\n  {line}\nbut it printed:\n{printed}"
        );
    }
}

#[test]
fn try_it_locally_emulator_apply_plan_destroy_through_the_cli() {
    let whole = Instant::now();
    let readme = readme_transcript();
    assert_eq!(
        readme.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        [
            "cargo run -p stacks -- emulator",
            "cargo run -p stacks -- apply ai-inference-local --auto-approve",
            "cargo run -p stacks -- plan ai-inference-local",
            "cargo run -p stacks -- destroy ai-inference-local --auto-approve",
        ],
        "the guide's three commands (and the plan between)"
    );
    // The default port, as the guide runs it, when nothing else holds it; otherwise a free
    // one, named to the stacks by OXIFORM_EMULATOR_URL.
    let default = oxiform_emulator::DEFAULT_PORT;
    let mut emulator = ServedEmulator::start(if port_is_free(default) { default } else { 0 });
    let mut env: Vec<(&str, String)> = Vec::new();
    if emulator.port != default {
        eprintln!(
            "port {default} is taken: the emulator serves on {}",
            emulator.port
        );
        env.push(("OXIFORM_EMULATOR_URL", emulator.api().url()));
    } else {
        assert_readme_lines(&readme, "emulator", &emulator.banner);
    }
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut timings = Vec::new();
    let mut timed = |label: &str, args: &[&str]| {
        let start = Instant::now();
        let output = stacks(work.path(), args, &env);
        timings.push(format!("{label} {:.1}s", start.elapsed().as_secs_f64()));
        output
    };

    let apply = timed("apply", &["apply", "ai-inference-local", "--auto-approve"]);
    assert!(
        apply.status.success(),
        "apply failed:\n{}\nemulator log (tail):\n{}",
        text(&apply),
        tail(&emulator.log(), 60)
    );
    assert_readme_lines(
        &readme,
        "apply ai-inference-local --auto-approve",
        &text(&apply),
    );

    let plan = timed("plan", &["plan", "ai-inference-local"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "the second plan must report no changes (drift between our output and the API):\n{}",
        text(&plan)
    );
    assert_readme_lines(&readme, "plan ai-inference-local", &text(&plan));

    let destroy = timed(
        "destroy",
        &["destroy", "ai-inference-local", "--auto-approve"],
    );
    assert!(
        destroy.status.success(),
        "destroy failed:\n{}",
        text(&destroy)
    );
    assert_readme_lines(
        &readme,
        "destroy ai-inference-local --auto-approve",
        &text(&destroy),
    );
    for stack in ["network", "cache", "inference"] {
        let state = Command::new(TERRAFORM)
            .args(["state", "list"])
            .current_dir(work.path().join(format!("out/ai-inference-local-{stack}")))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(state.status.success(), "{state:?}");
        assert_eq!(
            String::from_utf8_lossy(&state.stdout).trim(),
            "",
            "the state of ai-inference-local-{stack} is empty"
        );
    }

    let config = stacks::config::load("local").unwrap_or_else(|e| panic!("{e}"));
    let api = emulator.api();
    // The emulator's own list calls: nothing is left behind.
    for (service, target, empty) in [
        ("sagemaker", "SageMaker.ListEndpoints", "\"Endpoints\": []"),
        ("sagemaker", "SageMaker.ListModels", "\"Models\": []"),
        (
            "states",
            "AWSStepFunctions.ListStateMachines",
            "\"stateMachines\": []",
        ),
    ] {
        let answer = api.json(service, target, "{}");
        assert_eq!(answer.status, 200, "{target}: {}", answer.body);
        assert!(
            answer
                .body
                .replace(' ', "")
                .contains(&empty.replace(' ', "")),
            "{target} still lists something: {}",
            answer.body
        );
    }
    let vpcs = format!(
        "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=cidr&Filter.1.Value.1={}",
        config.network.vpc_cidr
    );
    for (service, params, element) in [
        (
            "elasticache",
            "Action=DescribeReplicationGroups&Version=2015-02-02",
            "<ReplicationGroup>",
        ),
        (
            "iam",
            "Action=ListRoles&Version=2010-05-08",
            config.name_prefix.as_str(),
        ),
        // Deleted endpoints stay listed as `deleted` for a while, in AWS as in the emulator.
        (
            "ec2",
            "Action=DescribeVpcEndpoints&Version=2016-11-15&Filter.1.Name=vpc-endpoint-state\
                 &Filter.1.Value.1=available&Filter.1.Value.2=pending",
            "<vpcEndpointId>",
        ),
        ("ec2", vpcs.as_str(), "<vpcId>"),
    ] {
        let answer = api.query(service, params);
        // An answer to the call asked, not an error page that lists nothing either.
        let action = params
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or_default();
        assert!(
            answer.status == 200 && answer.body.contains(&format!("<{action}Response")),
            "{params}: {} {}",
            answer.status,
            answer.body
        );
        assert!(
            !answer.body.contains(element),
            "{params} still lists {element}: {}",
            answer.body
        );
    }

    let stopped = emulator.interrupt();
    assert!(
        stopped.success(),
        "Ctrl-C stops the emulator cleanly: {stopped}"
    );
    timings.push(format!("whole test {:.1}s", whole.elapsed().as_secs_f64()));
    eprintln!("deploy timings: {}", timings.join(", "));
}

#[test]
fn a_failed_apply_shows_terraforms_error_once_names_the_resource_and_keeps_state() {
    let emulator = Emulator::start();
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(env!("CARGO_BIN_EXE_oxiform-half-applied"))
        .args(["apply", "half-applied", "--auto-approve"])
        .current_dir(work.path())
        .env("OXIFORM_EMULATOR_URL", emulator.url())
        .env_remove("OXIFORM_PLUGIN_DIR")
        .env_remove("TF_CLI_CONFIG_FILE")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let whole = text(&output);
    assert_eq!(
        whole.matches("does not exist or is not attachable").count(),
        1,
        "terraform's error text appears once in all the command printed:\n{whole}"
    );
    assert_eq!(
        stderr.matches("Error:").count(),
        1,
        "one error, on stderr:\n{stderr}"
    );
    let out_dir = work.path().join("out/half-applied");
    let transcript = stderr
        .replace(&out_dir.display().to_string(), "<out>/half-applied")
        .lines()
        .map(redact_request_id)
        .collect::<Vec<_>>()
        .join("\n");
    oxiform_tests::snapshot!("deploy_failed_apply_stderr", transcript);

    let state = Command::new(TERRAFORM)
        .args(["state", "list"])
        .current_dir(&out_dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let state = String::from_utf8_lossy(&state.stdout);
    assert!(
        state.contains("aws_s3_bucket.kept"),
        "state keeps what was created:\n{state}"
    );
    assert!(
        state.contains("aws_iam_role.kept"),
        "state keeps what was created:\n{state}"
    );
    assert!(!state.contains("rejected"), "{state}");
}

/// `RequestID: 8b1e…,` differs from run to run.
fn redact_request_id(line: &str) -> String {
    match line.find("RequestID: ") {
        Some(at) => {
            let start = at + "RequestID: ".len();
            let end = line[start..]
                .find(',')
                .map(|i| start + i)
                .unwrap_or(line.len());
            format!("{}<request id>{}", &line[..start], &line[end..])
        }
        None => line.to_owned(),
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
