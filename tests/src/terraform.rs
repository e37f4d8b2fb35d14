//! A temporary terraform working directory that installs the AWS provider from the local
//! filesystem mirror, never from the network.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where the machine keeps terraform.
pub const TERRAFORM: &str = "/usr/local/bin/terraform";
/// Where the machine keeps the AWS provider mirror.
pub const MIRROR: &str = "/opt/tf-plugins";

/// A temporary folder with its own terraform CLI configuration.
pub struct Workdir {
    dir: tempfile::TempDir,
    cli_config: PathBuf,
}

impl Workdir {
    /// A fresh folder. Panics with a clear message when terraform or the mirror is missing:
    /// these tests must never skip silently.
    pub fn new() -> Self {
        assert!(
            Path::new(TERRAFORM).exists(),
            "terraform is not installed at {TERRAFORM}: install terraform 1.11.4 there to run these tests"
        );
        assert!(
            Path::new(MIRROR).join("registry.terraform.io/hashicorp/aws").exists(),
            "the AWS provider mirror is missing at {MIRROR}: place hashicorp/aws 5.100.0 there to run these tests"
        );
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let cli_config = dir.path().join("terraform.rc");
        std::fs::write(&cli_config, cli_config_text())
            .unwrap_or_else(|e| panic!("writing {}: {e}", cli_config.display()));
        let work = Workdir { dir, cli_config };
        std::fs::create_dir_all(work.path()).unwrap_or_else(|e| panic!("mkdir: {e}"));
        work
    }

    /// The folder terraform runs in.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("stack")
    }

    /// The CLI configuration file (for `TF_CLI_CONFIG_FILE`).
    pub fn cli_config(&self) -> &Path {
        &self.cli_config
    }

    /// Writes a stack's `main.tf.json` and its assets.
    pub fn write_stack(&self, stack: &oxiform::Stack) {
        let json = stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}"));
        self.write_document(stack, &json);
    }

    /// Writes a document synthesised elsewhere (a stack of an app, by `App::synth`) as
    /// `main.tf.json`, and the assets of its stack.
    pub fn write_document(&self, stack: &oxiform::Stack, json: &str) {
        self.write_main(json);
        for asset in stack.assets() {
            std::fs::write(self.path().join(asset.file_name()), asset.bytes())
                .unwrap_or_else(|e| panic!("writing {}: {e}", asset.file_name()));
        }
    }

    /// Writes `main.tf.json`.
    pub fn write_main(&self, json: &str) {
        std::fs::write(self.path().join("main.tf.json"), json)
            .unwrap_or_else(|e| panic!("writing main.tf.json: {e}"));
    }

    /// Runs terraform with `args` and returns its output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// Runs terraform with `args` and extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(String, String)]) -> Output {
        Command::new(TERRAFORM)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(self.path())
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .output()
            .unwrap_or_else(|e| panic!("running terraform {args:?}: {e}"))
    }

    /// Runs terraform and panics with its output when it fails.
    pub fn run_ok(&self, args: &[&str]) -> String {
        self.run_ok_env(args, &[])
    }

    /// Runs terraform with extra environment variables and panics with its output when it
    /// fails.
    pub fn run_ok_env(&self, args: &[&str], env: &[(String, String)]) -> String {
        let out = self.run_env(args, env);
        assert!(
            out.status.success(),
            "terraform {args:?} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `terraform init` then `terraform validate -json`; returns the parsed validate report.
    pub fn validate(&self) -> serde_json::Value {
        self.run_ok(&["init", "-input=false", "-backend=false"]);
        let out = self.run(&["validate", "-json"]);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "terraform validate -json printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }
}

impl Default for Workdir {
    fn default() -> Self {
        Self::new()
    }
}

/// A CLI configuration that installs hashicorp/aws only from the mirror and everything
/// else (nothing, today) directly.
pub fn cli_config_text() -> String {
    format!(
        r#"provider_installation {{
  filesystem_mirror {{
    path    = "{MIRROR}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }}
  direct {{
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }}
}}
"#
    )
}
