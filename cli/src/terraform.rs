//! Runs the real `terraform` CLI in a stack's output folder, with tokio: output streams live,
//! the tail of the error output is kept for the failure message, and Ctrl-C is forwarded so
//! terraform can release its state lock and save state.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{anyhow, bail, Context};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// How many lines of terraform's error output a failure message shows.
const TAIL_LINES: usize = 30;

/// The terraform binary: `$OXIFORM_TERRAFORM`, else `terraform` on `PATH`.
pub fn terraform_binary() -> PathBuf {
    std::env::var_os("OXIFORM_TERRAFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("terraform"))
}

/// One terraform invocation's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    /// terraform's exit code.
    pub code: i32,
    /// The last lines terraform wrote to stderr.
    pub stderr_tail: Vec<String>,
}

/// A terraform step: its name in messages, its arguments, and whether it talks to the user.
#[derive(Debug, Clone)]
pub struct Step {
    /// `init`, `plan`, `apply`, `destroy`.
    pub name: &'static str,
    /// The arguments after `terraform`.
    pub args: Vec<String>,
    /// Whether terraform may prompt (stdin inherited).
    pub interactive: bool,
    /// Exit codes that are not failures (`plan -detailed-exitcode` uses 2 for "changes").
    pub ok_codes: Vec<i32>,
    /// Extra environment for terraform, on top of this process's.
    pub env: Vec<(String, String)>,
}

impl Step {
    /// `terraform init -input=false`.
    pub fn init() -> Self {
        Step {
            name: "init",
            args: vec!["init".into(), "-input=false".into()],
            interactive: false,
            ok_codes: vec![0],
            env: Vec::new(),
        }
    }
    /// `terraform plan -input=false -detailed-exitcode`: exit 0 no changes, 2 changes.
    pub fn plan() -> Self {
        Step {
            name: "plan",
            args: vec![
                "plan".into(),
                "-input=false".into(),
                "-detailed-exitcode".into(),
            ],
            interactive: false,
            ok_codes: vec![0, 2],
            env: Vec::new(),
        }
    }
    /// `terraform apply`, prompting unless `auto_approve`.
    pub fn apply(auto_approve: bool) -> Self {
        Self::change("apply", auto_approve)
    }
    /// `terraform destroy`, prompting unless `auto_approve`.
    pub fn destroy(auto_approve: bool) -> Self {
        Self::change("destroy", auto_approve)
    }
    fn change(name: &'static str, auto_approve: bool) -> Self {
        let mut args = vec![name.to_owned()];
        if auto_approve {
            args.push("-input=false".into());
            args.push("-auto-approve".into());
        }
        Step {
            name,
            args,
            interactive: !auto_approve,
            ok_codes: vec![0],
            env: Vec::new(),
        }
    }

    /// Adds an environment variable for terraform.
    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }
}

/// Runs `step` in `dir`. Returns terraform's exit code when it is one of the step's OK
/// codes; otherwise an error naming the step with the tail of its error output.
pub async fn run_step(dir: &Path, step: &Step) -> anyhow::Result<i32> {
    let outcome = run(dir, step).await?;
    if step.ok_codes.contains(&outcome.code) {
        return Ok(outcome.code);
    }
    let tail = if outcome.stderr_tail.is_empty() {
        "(terraform printed nothing on stderr; see its output above)".to_owned()
    } else {
        outcome.stderr_tail.join("\n")
    };
    bail!(
        "terraform {} failed in {} (exit code {}):\n{tail}\n  hint: fix the problem terraform names above, then run the command again; state is kept in {}",
        step.name,
        dir.display(),
        outcome.code,
        dir.display()
    )
}

async fn run(dir: &Path, step: &Step) -> anyhow::Result<StepOutcome> {
    let binary = terraform_binary();
    let mut command = Command::new(&binary);
    command
        .args(&step.args)
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .envs(step.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .stdin(if step.interactive {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        // Its own process group: a Ctrl-C at the terminal reaches only us, and we forward
        // it exactly once per press, as terraform expects (first: graceful stop, second:
        // abort).
        .process_group(0)
        .kill_on_drop(false);
    if !step.interactive {
        command.env("TF_INPUT", "0");
    }
    let mut child = command.spawn().with_context(|| {
        format!(
            "starting {} {}\n  hint: install terraform >= 1.6 on PATH, or set OXIFORM_TERRAFORM to its path",
            binary.display(),
            step.name
        )
    })?;
    let pid = child.id();
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| anyhow!("terraform's stderr was not captured"))?;
    let tee = tokio::spawn(async move {
        let mut tail = VecDeque::with_capacity(TAIL_LINES);
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            eprintln!("{line}");
            if tail.len() == TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(line);
        }
        tail.into_iter().collect::<Vec<_>>()
    });
    let status = loop {
        tokio::select! {
            status = child.wait() => break status?,
            signal = tokio::signal::ctrl_c() => {
                signal?;
                if let Some(pid) = pid {
                    eprintln!("oxiform: forwarding interrupt to terraform (pid {pid}); it will stop safely and save state");
                    forward_interrupt(pid).await;
                }
            }
        }
    };
    let stderr_tail = tee.await.unwrap_or_default();
    Ok(StepOutcome {
        code: status.code().unwrap_or(1),
        stderr_tail,
    })
}

/// Sends SIGINT to terraform (never SIGKILL: terraform may be writing state).
async fn forward_interrupt(pid: u32) {
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(pid.to_string())
        .status()
        .await;
}
