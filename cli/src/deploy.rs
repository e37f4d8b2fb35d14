//! `plan`, `apply` and `destroy`: synth the stacks, check the AWS account, then run
//! `terraform init` and the command in each stack's folder. One stack runs as terraform does;
//! many (an app, `--all`, `--with-dependencies`) run over the app's graph, independent stacks
//! side by side ([`crate::orchestrate`]). `plan` and `apply` save the plan and read it back
//! for the rename guard ([`crate::rename_guard`]) before anything is applied; `apply`
//! applies exactly the plan it checked and showed. A stack that reads another's exports is
//! planned only when those values are there: never on a placeholder.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;

use crate::orchestrate::{run_jobs, summary, Direction, Job, WAITS_ON_UPSTREAM};
use crate::plugins::plugin_dir;
use crate::rename_guard::{find_renames, refusal};
use crate::report::usage_error;
use crate::runtime::runtime;
use crate::saved_plan::{self, PlanFiles};
use crate::select::{select_stack_or_app, with_dependencies};
use crate::synth::synth_stacks;
use crate::synth_cmd::print_outcome;
use crate::terraform::{capture, run_step, Step};
use crate::{state_bucket, sts, StackDef};

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

// Which stacks `plan`, `apply` and `destroy` run on (a plain comment, as above).
#[allow(missing_docs)]
#[derive(Debug, Clone, clap::Args)]
pub struct Selection {
    /// The stack, or an app: all of its stacks, each after the stacks whose exports it reads.
    #[arg(required_unless_present = "all")]
    pub stack: Option<String>,
    /// Every stack of the binary, each after the stacks whose exports it reads.
    #[arg(long, conflicts_with = "stack")]
    pub all: bool,
    /// The stack and, before it, every stack whose exports it reads, transitively.
    #[arg(long, requires = "stack")]
    pub with_dependencies: bool,
    /// How many stacks run at once, among those that wait on none of the others.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
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

impl Action {
    /// `plan`, `apply` or `destroy`.
    fn verb(self) -> &'static str {
        match self {
            Action::Plan(_) => "plan",
            Action::Apply { .. } => "apply",
            Action::Destroy { .. } => "destroy",
        }
    }

    /// Whether it may change infrastructure without asking (plan never does).
    fn approved(self) -> bool {
        match self {
            Action::Plan(_) => true,
            Action::Apply { auto_approve, .. } | Action::Destroy { auto_approve } => auto_approve,
        }
    }
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

/// Synth the selected stacks, check the accounts, then run `terraform init` and `action` in
/// each. One stack named alone: the exit code is terraform's (`plan`: 2 means changes). Many:
/// they run over the app's graph and a summary says what happened to each; `plan` exits 2
/// when any has changes, and any failure is an error after the summary.
pub(crate) fn deploy(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    selection: &Selection,
    out: &Path,
    providers: &Providers,
    action: Action,
    plan_files: &PlanFiles,
) -> anyhow::Result<i32> {
    let (selected, alone) = selected(stacks, selection)?;
    if !alone && (plan_files.save.is_some() || plan_files.apply.is_some()) {
        return Err(usage_error(
            Diagnostic::error("a saved plan is the plan of one stack").hint(
                "name one stack, without --all or --with-dependencies, with --save-plan or --plan-file",
            ),
        ));
    }
    if !alone && !action.approved() {
        return Err(usage_error(
            Diagnostic::error(format!(
                "{} of {} stacks runs without stopping to ask",
                action.verb(),
                selected.len()
            ))
            .hint(format!(
                "review `plan` of the same stacks first, then pass --auto-approve to {} them",
                action.verb()
            )),
        ));
    }
    // The stacks the selected ones read are synthesised too, to read their outputs.
    let names: HashSet<&str> = selected.iter().map(|d| d.name).collect();
    let mut to_synth = selected.clone();
    for def in stacks {
        let read = selected
            .iter()
            .filter_map(|d| d.member.as_ref())
            .any(|m| m.needs.iter().any(|n| n == def.name));
        if read && !names.contains(def.name) {
            to_synth.push(def.clone());
        }
    }
    let outcomes = synth_stacks(&to_synth, out)?;
    let mut runs = HashMap::new();
    for (def, outcome) in to_synth.iter().zip(&outcomes) {
        let running = names.contains(def.name);
        if running {
            print_outcome(stdout, outcome)?;
        }
        let init = match plugin_dir(providers.plugin_dir.as_deref(), &outcome.dir)? {
            Some(choice) => {
                if let (Some(note), true) = (&choice.note, running) {
                    writeln!(stdout, "{note}")?;
                }
                Step::init_from(&choice.dir)
            }
            None => Step::init(),
        };
        let reads = def
            .member
            .as_ref()
            .map(|m| m.reads.clone())
            .unwrap_or_default();
        runs.insert(
            def.name.to_owned(),
            StackRun {
                dir: outcome.dir.clone(),
                init,
                account_ids: outcome.account_ids.clone(),
                reads,
            },
        );
    }
    stdout.flush()?;
    let context = Rc::new(RunContext {
        action,
        prefixed: !alone,
        runs,
        running: names.iter().map(|n| (*n).to_owned()).collect(),
        changing: RefCell::default(),
        not_planned: RefCell::default(),
        outputs: RefCell::default(),
        plan_files: plan_files.clone(),
    });
    if alone {
        let name = selected[0].name.to_owned();
        return runtime()?.block_on(run_stack(context, name, Some(stdout)));
    }
    let jobs: Vec<Job> = selected
        .iter()
        .map(|def| Job {
            name: def.name.to_owned(),
            needs: def
                .member
                .as_ref()
                .map(|m| m.needs.clone())
                .unwrap_or_default(),
        })
        .collect();
    let direction = match action {
        Action::Destroy { .. } => Direction::Reverse,
        _ => Direction::Forward,
    };
    let results = runtime()?.block_on(run_jobs(
        &jobs,
        selection.concurrency,
        direction,
        move |name| {
            let context = Rc::clone(&context);
            async move {
                // Said at both ends, so that a reader sees which stacks ran side by side.
                context.say(&name, &format!("{} started", context.action.verb()));
                let result = run_stack(Rc::clone(&context), name.clone(), None).await;
                let end = if result.is_ok() { "finished" } else { "failed" };
                context.say(&name, &format!("{} {end}", context.action.verb()));
                // The summary keeps one line of it: the whole error, with its hint, here.
                if let Err(error) = &result {
                    for line in crate::report::render_error(error).lines() {
                        eprintln!("[{name}] {line}");
                    }
                }
                result
            }
        },
    ));
    let (text, succeeded) = summary(&results, action.verb(), true);
    writeln!(stdout, "\n{text}")?;
    if !succeeded {
        return Err(Diagnostic::error(format!(
            "{} did not finish for every stack; the summary above says which and why",
            action.verb()
        ))
        .hint("fix what failed, then run the same command again: it converges, stacks with nothing to do pass quickly")
        .into());
    }
    let changes = results.iter().any(|(_, o)| {
        matches!(o, crate::orchestrate::Outcome::Done { code, .. } if *code == 2 || *code == WAITS_ON_UPSTREAM)
    });
    Ok(if matches!(action, Action::Plan(_)) && changes {
        2
    } else {
        0
    })
}

/// The stacks a command runs on, in dependency order, and whether it is one stack named
/// alone (run as terraform runs it, asking before it applies).
fn selected(stacks: &[StackDef], selection: &Selection) -> anyhow::Result<(Vec<StackDef>, bool)> {
    let named = match (&selection.stack, selection.all) {
        (_, true) => stacks.to_vec(),
        (Some(name), false) => select_stack_or_app(stacks, name)?,
        (None, false) => {
            return Err(usage_error(
                Diagnostic::error("no stack named")
                    .hint("name a stack or an app, or pass --all; `list` prints them"),
            ))
        }
    };
    let alone = named.len() == 1
        && !selection.all
        && !selection.with_dependencies
        && selection.stack.as_deref() == Some(named[0].name);
    let chosen = if selection.with_dependencies {
        with_dependencies(stacks, &named)
    } else {
        named
    };
    Ok((in_dependency_order(chosen), alone))
}

/// `defs` with each after the stacks it reads (the order they came in otherwise).
fn in_dependency_order(defs: Vec<StackDef>) -> Vec<StackDef> {
    let jobs: Vec<Job> = defs
        .iter()
        .map(|d| Job {
            name: d.name.to_owned(),
            needs: d
                .member
                .as_ref()
                .map(|m| m.needs.clone())
                .unwrap_or_default(),
        })
        .collect();
    // An app's graph has no cycle: the app refused it when it was synthesised.
    match crate::orchestrate::topological_order(&jobs) {
        Ok(order) => order
            .iter()
            .filter_map(|name| defs.iter().find(|d| d.name == name).cloned())
            .collect(),
        Err(_) => defs,
    }
}

/// One stack's folder and what running it needs.
struct StackRun {
    dir: PathBuf,
    init: Step,
    account_ids: Vec<String>,
    /// Every export it reads: (stack, export).
    reads: Vec<(String, String)>,
}

/// What the stacks of one run share.
struct RunContext {
    action: Action,
    /// Whether terraform's lines are prefixed with the stack's name (many stacks at once).
    prefixed: bool,
    runs: HashMap<String, StackRun>,
    /// The stacks this run plans, applies or destroys.
    running: HashSet<String>,
    /// For each stack planned in this run: the outputs its plan creates or changes.
    changing: RefCell<HashMap<String, Vec<String>>>,
    /// The stacks of this run that were not planned because they wait on values not there
    /// yet: every output of theirs is unknown to the stacks that read them too.
    not_planned: RefCell<HashSet<String>>,
    /// For each stack read but not run: the outputs its state holds.
    outputs: RefCell<HashMap<String, Vec<String>>>,
    /// `plan --save-plan FILE` and `apply --plan-file FILE` (one stack named alone).
    plan_files: PlanFiles,
}

impl RunContext {
    fn step(&self, name: &str, step: Step) -> Step {
        if self.prefixed {
            step.for_stack(name)
        } else {
            step
        }
    }

    fn say(&self, name: &str, line: &str) {
        if self.prefixed {
            println!("[{name}] {line}");
        } else {
            println!("{line}");
        }
    }
}

/// Runs one stack: the account guard, `init`, then the action. `ask` is where `apply` asks
/// before applying (one stack named alone); without it, apply needs `--auto-approve`.
async fn run_stack(
    context: Rc<RunContext>,
    name: String,
    ask: Option<&mut dyn Write>,
) -> anyhow::Result<i32> {
    let run = context
        .runs
        .get(&name)
        .with_context(|| format!("stack `{name}` was not synthesised"))?;
    let dir = &run.dir;
    sts::guard_account(&name, &run.account_ids).await?;
    ensure_state_bucket(dir)?;
    run_step(dir, &context.step(&name, run.init.clone())).await?;
    let guard = match context.action {
        Action::Destroy { auto_approve } => {
            return run_step(dir, &context.step(&name, Step::destroy(auto_approve))).await;
        }
        Action::Plan(guard) | Action::Apply { guard, .. } => guard,
    };
    let waiting = unknown_reads(&context, run).await?;
    if !waiting.is_empty() {
        let what = waiting.join(", ");
        if let Action::Plan(_) = context.action {
            context.say(
                &name,
                &format!("not planned: it reads {what}; a plan on values that are not there yet would be a plan on placeholders"),
            );
            context.not_planned.borrow_mut().insert(name);
            return Ok(WAITS_ON_UPSTREAM);
        }
        return Err(Diagnostic::error(format!("`{name}` reads {what}"))
            .hint(format!(
                "apply the stacks it reads first, or all at once: `apply {name} --with-dependencies --auto-approve`"
            ))
            .into());
    }
    let _saved = SavedPlan(dir.join(PLAN_FILE));
    let code = match (&context.plan_files.apply, context.action) {
        (Some(file), Action::Apply { .. }) => {
            saved_plan::adopt(&name, dir, PLAN_FILE, file).await?
        }
        _ => run_step(dir, &context.step(&name, Step::plan_out(PLAN_FILE))).await?,
    };
    if let (Some(file), Action::Plan(_)) = (&context.plan_files.save, context.action) {
        saved_plan::keep(dir, PLAN_FILE, file)?;
    }
    // 2: changes, which the guard and the stacks that read this one look at; 0: none.
    if code == 2 {
        let plan = read_plan(dir).await?;
        if !guard.allow_replace_renamed {
            check_renames(context.action.verb(), &name, dir, &plan)?;
        }
        context
            .changing
            .borrow_mut()
            .insert(name.clone(), changing_outputs(&plan));
    }
    match context.action {
        // An empty plan (`-detailed-exitcode` 0: no resource, move, import or output to
        // change) has nothing to apply; applying it would only start the provider again.
        Action::Apply { .. } if code == 0 => Ok(0),
        Action::Apply { auto_approve, .. } => {
            if code == 2 && !auto_approve {
                let approved = match ask {
                    Some(stdout) => confirm(stdout)?,
                    None => false,
                };
                if !approved {
                    return Err(Diagnostic::error("apply cancelled; nothing was changed")
                        .hint("answer `yes` to apply the plan above, or pass --auto-approve")
                        .into());
                }
            }
            run_step(dir, &context.step(&name, Step::apply_saved(PLAN_FILE))).await
        }
        _ => Ok(code),
    }
}

/// The exports `name` reads that are not there yet, each said as `` `network.vpc_id` (…) ``:
/// those a stack planned in this run creates or changes (plan), and those missing from the
/// state of a stack this run does not touch.
async fn unknown_reads(context: &RunContext, run: &StackRun) -> anyhow::Result<Vec<String>> {
    let mut waiting = Vec::new();
    for (producer, export) in &run.reads {
        if context.running.contains(producer) {
            // It ran before this stack: applied (nothing can be missing), or planned, or
            // not planned because it waits on another stack (then nothing of it is known).
            let changes = context.not_planned.borrow().contains(producer)
                || context
                    .changing
                    .borrow()
                    .get(producer)
                    .is_some_and(|outputs| outputs.contains(export));
            if changes && matches!(context.action, Action::Plan(_)) {
                waiting.push(format!(
                    "`{producer}.{export}`, which stays unknown until `{producer}` applies"
                ));
            }
            continue;
        }
        if !state_outputs(context, producer).await?.contains(export) {
            waiting.push(format!(
                "`{producer}.{export}`, which `{producer}` has not applied yet"
            ));
        }
    }
    Ok(waiting)
}

/// The outputs in the state of `producer`, a stack this run reads but does not run
/// (`terraform output -json` after a quiet `init`), read once per run.
async fn state_outputs(context: &RunContext, producer: &str) -> anyhow::Result<Vec<String>> {
    if let Some(known) = context.outputs.borrow().get(producer) {
        return Ok(known.clone());
    }
    let run = context
        .runs
        .get(producer)
        .with_context(|| format!("stack `{producer}` was not synthesised"))?;
    ensure_state_bucket(&run.dir)?;
    let init: Vec<&str> = run.init.args.iter().map(String::as_str).collect();
    capture(&run.dir, &init).await?;
    let text = capture(&run.dir, &["output", "-json"]).await?;
    let outputs: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_default();
    let names: Vec<String> = outputs.keys().cloned().collect();
    context
        .outputs
        .borrow_mut()
        .insert(producer.to_owned(), names.clone());
    Ok(names)
}

/// The outputs a saved plan creates, changes or leaves unknown (`output_changes` whose
/// actions are not `no-op`).
fn changing_outputs(plan: &serde_json::Value) -> Vec<String> {
    plan["output_changes"]
        .as_object()
        .map(|changes| {
            changes
                .iter()
                .filter(|(_, change)| change["actions"] != serde_json::json!(["no-op"]))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Creates the state bucket of a stack whose backend is an S3 emulator on loopback.
fn ensure_state_bucket(dir: &Path) -> anyhow::Result<()> {
    let path = dir.join("main.tf.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    if let Some((bucket, region, host)) = state_bucket::emulator_bucket(&document) {
        state_bucket::ensure(&bucket, &region, &host)?;
    }
    Ok(())
}

/// The saved plan, read back with `terraform show -json`.
async fn read_plan(dir: &Path) -> anyhow::Result<serde_json::Value> {
    let plan = capture(dir, &["show", "-json", PLAN_FILE]).await?;
    serde_json::from_str(&plan).context("reading `terraform show -json` of the plan")
}

/// Refuses a saved plan that destroys a stateful resource whose arguments reappear under
/// another address.
fn check_renames(
    command: &str,
    stack: &str,
    dir: &Path,
    plan: &serde_json::Value,
) -> anyhow::Result<()> {
    let config = std::fs::read_to_string(dir.join("main.tf.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(serde_json::Value::Null);
    let renamed = find_renames(plan, &config);
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_reading_one_that_was_not_planned_is_not_planned_either() {
        let context = RunContext {
            action: Action::Plan(RenameGuard {
                allow_replace_renamed: false,
            }),
            prefixed: true,
            runs: HashMap::new(),
            running: ["network", "queues", "service"].map(str::to_owned).into(),
            changing: RefCell::new([("network".to_owned(), vec!["prefix".to_owned()])].into()),
            not_planned: RefCell::new(["queues".to_owned()].into()),
            outputs: RefCell::default(),
            plan_files: PlanFiles::default(),
        };
        let run = StackRun {
            dir: PathBuf::new(),
            init: Step::init(),
            account_ids: Vec::new(),
            reads: [
                ("queues", "queue_url"),
                ("network", "zones"),
                ("network", "prefix"),
            ]
            .map(|(s, e)| (s.to_owned(), e.to_owned()))
            .to_vec(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let waiting = runtime.block_on(unknown_reads(&context, &run)).unwrap();
        // `queues` made no plan, so its URL is no more known than the network's new prefix;
        // the network's zones, unchanged, are in its state.
        assert_eq!(
            waiting,
            [
                "`queues.queue_url`, which stays unknown until `queues` applies",
                "`network.prefix`, which stays unknown until `network` applies",
            ]
        );
    }
}
