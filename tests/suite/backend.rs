//! The S3 backend with S3-native locking (`use_lockfile = true`) against the emulator's S3:
//! state lands in the bucket, and while one terraform process holds the lock a concurrent
//! plan fails clearly instead of corrupting state.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oxiform::backend::Backend;
use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::{Workdir, TERRAFORM};

const BUCKET: &str = "oxiform-state";
const KEY: &str = "ai/locked.tfstate";

fn stack(emulator: &Emulator, input: &str) -> Stack {
    let mut stack = Stack::new("locked");
    stack.backend(Backend::s3(BUCKET, KEY, "us-east-1").emulator(&emulator.url()));
    stack.add(
        "marker",
        TerraformData::new().input(serde_json::json!(input)),
    );
    stack
}

#[test]
fn state_lives_in_s3_and_a_held_lock_stops_a_concurrent_plan() {
    let emulator = Emulator::start();
    let created = emulator.http("PUT", &format!("/{BUCKET}"), &[], "");
    assert!(
        created.status < 300,
        "creating the state bucket: {created:?}"
    );
    let env = emulator.provider_env();
    let work = Workdir::new();
    work.write_stack(&stack(&emulator, "first"));
    work.run_ok_env(&["init", "-input=false"], &env);
    work.run_ok_env(&["apply", "-input=false", "-auto-approve"], &env);
    let pulled = work.run_ok_env(&["state", "pull"], &env);
    assert!(pulled.contains("terraform_data"), "{pulled}");
    assert!(
        !work.path().join("terraform.tfstate").exists(),
        "no local state"
    );
    let log = emulator.log();
    assert!(
        log.contains("PUT s3"),
        "terraform wrote the state to S3:\n{log}"
    );

    // A second process: an apply waiting for its "yes" holds the lock.
    work.write_stack(&stack(&emulator, "second"));
    let mut holder = Command::new(TERRAFORM)
        .args(["apply"])
        .current_dir(work.path())
        .env("TF_CLI_CONFIG_FILE", work.cli_config())
        .env("CHECKPOINT_DISABLE", "1")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // Terraform locks the state before it plans, so its approval prompt means it holds the lock.
    let (prompted_tx, prompted_rx) = std::sync::mpsc::channel();
    if let Some(stdout) = holder.stdout.take() {
        std::thread::spawn(move || {
            let mut seen = String::new();
            let mut reader = std::io::BufReader::new(stdout);
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                if n == 0 {
                    break;
                }
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                if seen.contains("Enter a value") {
                    let _ = prompted_tx.send(());
                }
            }
        });
    }
    let waited = Instant::now();
    assert!(
        prompted_rx.recv_timeout(Duration::from_secs(60)).is_ok(),
        "the holder never reached its approval prompt ({:?})",
        waited.elapsed()
    );

    let blocked = work.run_env(&["plan", "-input=false", "-lock-timeout=2s"], &env);
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(
        !blocked.status.success(),
        "a plan ran while the lock was held"
    );
    assert!(
        stderr.contains("Error acquiring the state lock"),
        "{stderr}"
    );

    // The holder answers "no": it releases the lock, and the state is intact.
    if let Some(mut stdin) = holder.stdin.take() {
        let _ = stdin.write_all(b"no\n");
    }
    let _ = holder.wait();
    let after = work.run_env(&["plan", "-input=false", "-detailed-exitcode"], &env);
    assert_eq!(
        after.status.code(),
        Some(2),
        "the state still holds the first apply, so the change is pending:\n{}",
        String::from_utf8_lossy(&after.stderr)
    );
    let pulled = work.run_ok_env(&["state", "pull"], &env);
    assert!(pulled.contains("\"first\""), "{pulled}");
}
