//! Ctrl-C during a terraform step: the command line forwards each interrupt to terraform
//! exactly once (terraform runs in its own process group, so a terminal's Ctrl-C reaches only
//! us), never kills it hard, and reports the step that stopped.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A stand-in for terraform that records every SIGINT and stops at the second, as terraform
/// does (first: finish safely; second: abort).
const FAKE_TERRAFORM: &str = r#"#!/usr/bin/env bash
log="$FAKE_TF_LOG"
case "$1" in
  init) exit 0 ;;
esac
count=0
trap 'count=$((count+1)); echo "interrupt $count" >> "$log"; if [ $count -ge 2 ]; then echo "stopping" >&2; exit 130; fi' INT
echo "started $1" >> "$log"
while true; do sleep 0.1 & wait $!; done
"#;

fn wait_for(path: &std::path::Path, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let content = std::fs::read_to_string(path).unwrap_or_default();
        if content.contains(text) {
            return content;
        }
        assert!(
            Instant::now() < deadline,
            "waited for {text:?}; log so far:\n{content}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn interrupt(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(status.success());
}

#[test]
fn each_ctrl_c_reaches_terraform_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fake = dir.path().join("terraform");
    std::fs::write(&fake, FAKE_TERRAFORM).unwrap_or_else(|e| panic!("{e}"));
    let chmod = Command::new("chmod").arg("+x").arg(&fake).status();
    assert!(chmod.map(|s| s.success()).unwrap_or(false));
    let log = dir.path().join("signals.log");
    let out = dir.path().join("out");

    let child = Command::new(env!("CARGO_BIN_EXE_oxiform-stacks"))
        .args(["plan", "readme-example", "--out"])
        .arg(&out)
        .env("OXIFORM_TERRAFORM", &fake)
        .env("FAKE_TF_LOG", &log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = child.id();
    wait_for(&log, "started plan");

    interrupt(pid);
    let after_first = wait_for(&log, "interrupt 1");
    std::thread::sleep(Duration::from_millis(500));
    let settled = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(
        settled, after_first,
        "one Ctrl-C, one interrupt for terraform"
    );
    assert!(!settled.contains("interrupt 2"));

    interrupt(pid);
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("interrupt 2"),
        "the second Ctrl-C reached terraform"
    );
    assert!(
        stderr.contains("forwarding interrupt to terraform"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: terraform plan failed") && stderr.contains("exit code 130"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stopping"),
        "the tail of terraform's error output: {stderr}"
    );
}
