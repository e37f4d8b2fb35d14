//! `plan`, `apply` and `destroy`: synth one stack, check the AWS account, then run
//! `terraform init` and the command in its folder. `plan` and `apply` save the plan and read
//! it back for the rename guard ([`crate::rename_guard`]) before anything is applied; `apply`
//! applies exactly the plan it checked and showed.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;

use crate::plugins::plugin_dir;
use crate::rename_guard::{find_renames, refusal};
use crate::runtime::runtime;
use crate::select::select_one;
use crate::synth::synth_stacks;
use crate::synth_cmd::print_outcome;
use crate::terraform::{capture, run_step, Step};
use crate::{sts, StackDef};

// Where `terraform init` installs providers from. A plain comment on purpose: clap would
// take a doc comment as the help text of every command that flattens this.
#[allow(missing_docs)]
#[derive(Debug, Clone, clap::Args)]
pub struct Providers {
    /// Install providers only from this local mirror (terraform's filesystem-mirror layout),
    /// never from the registry. A stack whose AWS provider talks only to an emulator on
    /// 127.0.0.1 uses /opt/tf-plugins by default when it exists.
    #[arg(long, env = "OXIFORM_PLUGIN_DIR", value_name = "DIR")]
    pub plugin_dir: Option<PathBuf>,
}

// The rename guard's override, for `plan` and `apply` (a plain comment, as above).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct RenameGuard {
    /// Let the plan destroy a stateful resource (a data store, or anything with
    /// prevent_destroy) whose arguments reappear under another address: its data is lost and
    /// the new one starts empty. Without it such a plan is refused; a rename needs
    /// `stack.moved(old_address, &new_handle)`.
    #[arg(long)]
    pub allow_replace_renamed: bool,
}

/// What runs after `terraform init`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Action {
    /// `terraform plan`, guarded.
    Plan(RenameGuard),
    /// `terraform plan`, guarded, then `terraform apply` of that plan.
    Apply {
        auto_approve: bool,
        guard: RenameGuard,
    },
    /// `terraform destroy`.
    Destroy { auto_approve: bool },
}

/// The saved plan, in the stack's folder while `plan` or `apply` runs; removed after.
const PLAN_FILE: &str = "oxiform.tfplan";

/// Removes the saved plan when dropped, whatever happened.
struct SavedPlan(PathBuf);

impl Drop for SavedPlan {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Synth one stack, check the account, then run `terraform init` and `action`; the exit
/// code is terraform's (`plan`: 2 means changes).
pub(crate) fn deploy(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    out: &Path,
    providers: &Providers,
    action: Action,
) -> anyhow::Result<i32> {
    let def = select_one(stacks, name)?;
    let outcome = synth_stacks(&[def], out)?
        .pop()
        .context("synth produced no stack")?;
    print_outcome(stdout, &outcome)?;
    let init = match plugin_dir(providers.plugin_dir.as_deref(), &outcome.dir)? {
        Some(choice) => {
            if let Some(note) = &choice.note {
                writeln!(stdout, "{note}")?;
            }
            Step::init_from(&choice.dir)
        }
        None => Step::init(),
    };
    stdout.flush()?;
    let dir = &outcome.dir;
    runtime()?.block_on(async {
        sts::guard_account(&outcome.stack, &outcome.account_ids).await?;
        run_step(dir, &init).await?;
        let (command, guard) = match action {
            Action::Destroy { auto_approve } => {
                return run_step(dir, &Step::destroy(auto_approve)).await;
            }
            Action::Plan(guard) => ("plan", guard),
            Action::Apply { guard, .. } => ("apply", guard),
        };
        let _saved = SavedPlan(dir.join(PLAN_FILE));
        let code = run_step(dir, &Step::plan_out(PLAN_FILE)).await?;
        // 2: changes, which the guard reads; 0: none.
        if code == 2 && !guard.allow_replace_renamed {
            check_renames(command, &outcome.stack, dir).await?;
        }
        match action {
            Action::Apply { auto_approve, .. } => {
                if code == 2 && !auto_approve && !confirm(stdout)? {
                    return Err(Diagnostic::error("apply cancelled; nothing was changed")
                        .hint("answer `yes` to apply the plan above, or pass --auto-approve")
                        .into());
                }
                run_step(dir, &Step::apply_saved(PLAN_FILE)).await
            }
            _ => Ok(code),
        }
    })
}

/// Reads the saved plan back (`terraform show -json`) and refuses it when it destroys a
/// stateful resource whose arguments reappear under another address.
async fn check_renames(command: &str, stack: &str, dir: &Path) -> anyhow::Result<()> {
    let plan = capture(dir, &["show", "-json", PLAN_FILE]).await?;
    let plan: serde_json::Value =
        serde_json::from_str(&plan).context("reading `terraform show -json` of the plan")?;
    let config = std::fs::read_to_string(dir.join("main.tf.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null);
    let renamed = find_renames(&plan, &config);
    if renamed.is_empty() {
        Ok(())
    } else {
        Err(refusal(command, stack, &renamed).into())
    }
}

/// Asks before applying, as terraform does; true for `yes`.
fn confirm(stdout: &mut dyn Write) -> anyhow::Result<bool> {
    write!(
        stdout,
        "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
    )?;
    stdout.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    writeln!(stdout)?;
    Ok(answer.trim() == "yes")
}
