//! `whoami` and the account guard, as processes, against the emulator's STS: the guard
//! refuses before terraform runs, so no state or provider download appears.

use std::process::{Command, Output};

use oxiform_tests::emulator::Emulator;
use oxiform_tests::snapshot;

/// Runs the stacks binary with a clean AWS environment plus `env`. Instance metadata is
/// off so the SDK never reaches for a non-loopback address.
fn stacks(args: &[&str], env: &[(String, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oxiform-stacks"));
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") {
            command.env_remove(key);
        }
    }
    command
        .args(args)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/oxiform-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/oxiform-test-credentials",
        )
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap_or_else(|e| panic!("running the stacks binary: {e}"))
}

#[test]
fn whoami_prints_the_emulator_account() {
    let emulator = Emulator::start();
    let out = stacks(&["whoami"], &emulator.provider_env());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("account: 123456789012"), "{stdout}");
    assert!(stdout.contains("region:  us-east-1"), "{stdout}");
}

#[test]
fn guard_refuses_another_account_before_terraform_runs() {
    let emulator = Emulator::start();
    let out_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_path = out_dir.path().to_string_lossy().into_owned();
    let out = stacks(
        &[
            "apply",
            "ai-inference-prod-network",
            "--auto-approve",
            "--out",
            &out_path,
        ],
        &emulator.provider_env(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    snapshot!("cli_account_guard_emulator", stderr);
    let stack_dir = out_dir.path().join("ai-inference-prod-network");
    assert!(stack_dir.join("main.tf.json").exists(), "synth ran");
    assert!(
        !stack_dir.join(".terraform").exists(),
        "terraform init never ran"
    );
    assert!(
        !stack_dir.join("terraform.tfstate").exists(),
        "no state was created"
    );
}

#[test]
fn guard_without_credentials_gives_advice() {
    let out_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_path = out_dir.path().to_string_lossy().into_owned();
    let out = stacks(
        &["plan", "ai-inference-prod-network", "--out", &out_path],
        &[("AWS_REGION".to_owned(), "us-east-1".to_owned())],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    snapshot!("cli_account_guard_no_credentials", stderr);
    assert!(!out_dir
        .path()
        .join("ai-inference-prod-network/.terraform")
        .exists());
}
