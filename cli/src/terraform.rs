//! Runs the real `terraform` CLI in a stack's output folder, with tokio: output streams live
//! and is shown once; a failure names the step, the exit code and the resources terraform's
//! errors name (read from its `with <address>,` lines) and refers to the output above
//! instead of repeating it. Ctrl-C is forwarded so terraform can release its state lock and
//! save state.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{anyhow, Context};
use oxiform::diagnostic::Diagnostic;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

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
    /// What terraform's error output said, read as it streamed past.
    pub errors: ErrorSummary,
}

/// What oxiform reads from terraform's error output (which the user has already seen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorSummary {
    /// The resource addresses terraform's errors name (`with aws_s3_bucket.data,`), in order,
    /// each once.
    pub addresses: Vec<String>,
    /// Whether an error says the provider registry could not be reached (a machine without
    /// registry access needs `--plugin-dir`).
    pub registry_unreachable: bool,
    /// Whether terraform printed anything on stderr.
    pub printed: bool,
    /// When an error says another terraform holds the state lock: the lock's ID, from the
    /// `Lock Info` terraform prints (empty until that line is read).
    pub state_locked: Option<String>,
}

impl ErrorSummary {
    /// Reads one line of terraform's error output (diagnostics are framed with `│`).
    pub fn read_line(&mut self, line: &str) {
        self.printed = true;
        let text = line.trim_start_matches(['│', '╷', '╵', ' ']).trim_end();
        if let Some(address) = text
            .strip_prefix("with ")
            .and_then(|rest| rest.strip_suffix(','))
        {
            if !self.addresses.iter().any(|a| a == address) {
                self.addresses.push(address.to_owned());
            }
        }
        if text.contains("Failed to query available provider packages")
            || text.contains("Failed to resolve provider packages")
            || (text.contains("registry.terraform.io") && text.contains("could not connect"))
        {
            self.registry_unreachable = true;
        }
        if text.contains("Error acquiring the state lock") {
            self.state_locked = Some(String::new());
        }
        // The lock's ID: the first `ID:` of the `Lock Info` that follows the error.
        if let (Some(id), Some(value)) = (&mut self.state_locked, text.strip_prefix("ID:")) {
            if id.is_empty() {
                *id = value.trim().to_owned();
            }
        }
    }
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
    /// Written before each line terraform prints (`[network] `), so that the output of
    /// stacks running side by side can be told apart; `None`: printed as it is.
    pub prefix: Option<String>,
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
            prefix: None,
        }
    }
    /// `terraform init -input=false -plugin-dir=DIR`: providers only from a local mirror
    /// (the filesystem-mirror layout, e.g. `/opt/tf-plugins`), never from the registry.
    pub fn init_from(plugin_dir: &Path) -> Self {
        let mut step = Self::init();
        step.args
            .push(format!("-plugin-dir={}", plugin_dir.display()));
        step
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
            prefix: None,
        }
    }
    /// [`Step::plan`] saving the plan to `file` (`-out=FILE`), for `terraform show -json`
    /// and [`Step::apply_saved`].
    pub fn plan_out(file: &str) -> Self {
        let mut step = Self::plan();
        step.args.push(format!("-out={file}"));
        step
    }
    /// `terraform apply -input=false FILE`: applies exactly the saved plan `file`, without
    /// prompting (the caller has asked).
    pub fn apply_saved(file: &str) -> Self {
        Step {
            name: "apply",
            args: vec!["apply".into(), "-input=false".into(), file.into()],
            interactive: false,
            ok_codes: vec![0],
            env: Vec::new(),
            prefix: None,
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
            prefix: None,
        }
    }

    /// Prefixes each line terraform prints with `[stack] `.
    pub fn for_stack(mut self, stack: &str) -> Self {
        self.prefix = Some(format!("[{stack}] "));
        self
    }

    /// Adds an environment variable for terraform.
    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }
}

/// Runs `step` in `dir`. Returns terraform's exit code when it is one of the step's OK
/// codes; otherwise an error naming the step, the exit code and the resources terraform's
/// errors name. terraform's own output has been shown live and is not repeated.
pub async fn run_step(dir: &Path, step: &Step) -> anyhow::Result<i32> {
    let outcome = run(dir, step).await?;
    if step.ok_codes.contains(&outcome.code) {
        return Ok(outcome.code);
    }
    Err(failure_message(dir, step.name, &outcome).into())
}

/// The error of a failed step: one line of what failed, and a hint.
pub fn failure_message(dir: &Path, step: &str, outcome: &StepOutcome) -> Diagnostic {
    let errors = &outcome.errors;
    let at = match errors.addresses.as_slice() {
        [] => String::new(),
        addresses => format!(" at {}", addresses.join(", ")),
    };
    let seen = if errors.printed {
        "terraform's errors are printed above"
    } else {
        "terraform printed no error; its output is above"
    };
    let hint = if let Some(id) = &errors.state_locked {
        // Nothing to fix in the code: someone else's terraform is working on this state.
        let id = if id.is_empty() { "ID" } else { id };
        format!(
            "another terraform holds this stack's state lock (the Lock Info above says who and \
             since when); run the command again once it has finished. If that process is gone \
             for good, release the lock with `terraform force-unlock {id}` in {}",
            dir.display()
        )
    } else if errors.registry_unreachable {
        "the provider registry cannot be reached from here: install providers from a local \
         mirror with --plugin-dir DIR or OXIFORM_PLUGIN_DIR=DIR (the filesystem-mirror layout, \
         e.g. /opt/tf-plugins)"
            .to_owned()
    } else {
        format!(
            "fix what they name, then run the command again; state is kept in {}",
            dir.display()
        )
    };
    Diagnostic::error(format!(
        "terraform {step} failed in {} (exit code {}){at}; {seen}",
        dir.display(),
        outcome.code
    ))
    .hint(hint)
}

async fn run(dir: &Path, step: &Step) -> anyhow::Result<StepOutcome> {
    let binary = terraform_binary();
    let mut command = Command::new(&binary);
    command.args(&step.args);
    // Colours only for a person at a terminal: logs and captured output stay plain text.
    if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() {
        command.arg("-no-color");
    }
    command
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .envs(step.env.iter().map(|(k, v)| (k, v)))
        .stdout(if step.prefix.is_some() {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
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
        Diagnostic::error(format!("starting {} {}", binary.display(), step.name))
            .hint("install terraform >= 1.6 on PATH, or set OXIFORM_TERRAFORM to its path")
    })?;
    let pid = child.id();
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| anyhow!("terraform's stderr was not captured"))?;
    let prefix = step.prefix.clone().unwrap_or_default();
    let out = child.stdout.take().map(|stdout| {
        let prefix = prefix.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                println!("{prefix}{line}");
            }
        })
    });
    let tee = tokio::spawn(async move {
        let mut errors = ErrorSummary::default();
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            eprintln!("{prefix}{line}");
            errors.read_line(&line);
        }
        errors
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
    let errors = tee.await.unwrap_or_default();
    if let Some(out) = out {
        let _ = out.await;
    }
    Ok(StepOutcome {
        code: status.code().unwrap_or(1),
        errors,
    })
}

/// Runs `terraform ARGS` in `dir` with its output captured, not shown (`show -json`);
/// returns its standard output, or an error with what it printed on stderr.
pub async fn capture(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let binary = terraform_binary();
    let output = Command::new(&binary)
        .args(args)
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .stdin(Stdio::null())
        .output()
        .await
        .with_context(|| {
            Diagnostic::error(format!("starting {} {}", binary.display(), args.join(" ")))
                .hint("install terraform >= 1.6 on PATH, or set OXIFORM_TERRAFORM to its path")
        })?;
    if !output.status.success() {
        return Err(Diagnostic::error(format!(
            "terraform {} failed in {} (exit code {}): {}",
            args.join(" "),
            dir.display(),
            output.status.code().unwrap_or(1),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
        .into());
    }
    String::from_utf8(output.stdout).context("terraform printed text that is not UTF-8")
}

/// Sends SIGINT to terraform (never SIGKILL: terraform may be writing state).
async fn forward_interrupt(pid: u32) {
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(pid.to_string())
        .status()
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> ErrorSummary {
        let mut errors = ErrorSummary::default();
        text.lines().for_each(|line| errors.read_line(line));
        errors
    }

    #[test]
    fn the_addresses_of_terraform_errors_are_read_once_each() {
        let errors = summary(
            "╷\n│ Error: attaching IAM Policy to IAM Role (r): NoSuchEntity\n│ \n│   with aws_iam_role_policy_attachment.rejected,\n│   on main.tf.json line 40, in resource.aws_iam_role_policy_attachment.rejected:\n╵\n╷\n│ Error: again\n│   with aws_iam_role_policy_attachment.rejected,\n│   with module.x.aws_s3_bucket.b[\"k\"],\n╵",
        );
        assert_eq!(
            errors.addresses,
            [
                "aws_iam_role_policy_attachment.rejected",
                "module.x.aws_s3_bucket.b[\"k\"]"
            ]
        );
        assert!(!errors.registry_unreachable);
    }

    #[test]
    fn a_state_lock_held_elsewhere_is_recognised_and_the_hint_names_its_id() {
        let errors = summary(
            "╷\n│ Error: Error acquiring the state lock\n│ \n│ Error message: operation error S3: PutObject, https response error\n│ StatusCode: 412, api error PreconditionFailed\n│ Lock Info:\n│   ID:        2abbb1e7-13d7-720e-7611-ebdb74073108\n│   Path:      state/e2e/queues.tfstate\n│   Operation: OperationTypeInvalid\n╵",
        );
        assert_eq!(
            errors.state_locked.as_deref(),
            Some("2abbb1e7-13d7-720e-7611-ebdb74073108")
        );
        let message = failure_message(
            Path::new("out/queues"),
            "plan",
            &StepOutcome { code: 1, errors },
        )
        .to_string();
        assert!(
            message.contains("another terraform holds this stack's state lock"),
            "{message}"
        );
        assert!(
            message.contains(
                "`terraform force-unlock 2abbb1e7-13d7-720e-7611-ebdb74073108` in out/queues"
            ),
            "{message}"
        );
        assert!(summary("│ Error: creating SQS Queue")
            .state_locked
            .is_none());
    }

    #[test]
    fn an_unreachable_registry_is_recognised_and_the_hint_names_the_option() {
        let errors = summary(
            "│ Error: Failed to query available provider packages\n│ \n│ Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io",
        );
        assert!(errors.registry_unreachable);
        let message = failure_message(Path::new("out/s"), "init", &StepOutcome { code: 1, errors })
            .to_string();
        assert!(message.contains("--plugin-dir"), "{message}");
        assert!(message.contains("OXIFORM_PLUGIN_DIR"), "{message}");
    }
}
