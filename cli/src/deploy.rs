//! `plan`, `apply` and `destroy`: synth one stack, check the AWS account, then run
//! `terraform init` and the step in its folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::plugins::plugin_dir;
use crate::runtime::runtime;
use crate::select::select_one;
use crate::synth::synth_stacks;
use crate::synth_cmd::print_outcome;
use crate::terraform::{run_step, Step};
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

/// Synth one stack, check the account, then run `terraform init` and `step`; the exit code
/// is terraform's (`plan`: 2 means changes).
pub(crate) fn deploy(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    out: &Path,
    providers: &Providers,
    step: Step,
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
    runtime()?.block_on(async {
        sts::guard_account(&outcome.stack, &outcome.account_ids).await?;
        run_step(&outcome.dir, &init).await?;
        run_step(&outcome.dir, &step).await
    })
}
