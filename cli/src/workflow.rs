//! `workflow`: a GitHub Actions workflow written from the app graph, so that CI runners
//! deploy an app in dependency order, independent stacks on separate runners.
//!
//! The deploy workflow has two jobs per stack. `plan-<stack>` runs on pull requests and on
//! the main branch: `plan <stack> --save-plan FILE`, the saved plan uploaded as an artifact
//! when it has changes. `apply-<stack>` runs on the main branch only, behind the GitHub
//! environment named after the app: it downloads that plan and runs `apply <stack>
//! --plan-file FILE --auto-approve`, which checks it again before applying exactly it. A
//! stack's plan job needs the plan and apply jobs of every stack whose exports it reads, so
//! it plans on values already applied; `needs:` is the app's graph. Credentials come from
//! OIDC role assumption, and `whoami` runs before any plan or apply (the account guard of
//! `plan` and `apply` then checks the account the stack names). Each stack's jobs share a
//! concurrency group per environment, so two runs never plan or apply one state at once.
//!
//! The drift workflow runs `drift` on a schedule and keeps one issue open while anything
//! drifted (`.github/scripts/drift-issue.sh`).

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use oxiform::app::AppBackend;
use oxiform::diagnostic::Diagnostic;

use crate::orchestrate::{topological_order, Job};
use crate::report::usage_error;
use crate::select::select;
use crate::{App, StackDef};

/// What a generated workflow does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkflowKind {
    /// Plan on pull requests; plan and apply on the main branch, stack after stack.
    Deploy,
    /// `drift` on a schedule, reported in one issue.
    Drift,
}

/// Arguments of `workflow`.
#[derive(Debug, clap::Args)]
pub struct WorkflowArgs {
    /// The apps (or stacks) it deploys; every stack when omitted.
    pub apps: Vec<String>,
    /// What the workflow does.
    #[arg(long, value_enum, default_value = "deploy")]
    pub kind: WorkflowKind,
    /// Write it to FILE (e.g. .github/workflows/deploy.yml) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --out: write nothing, and exit 1 when FILE is not what would be written.
    #[arg(long, requires = "out")]
    pub check: bool,
    /// How a job runs this binary, after checking out the repository.
    #[arg(
        long,
        value_name = "COMMAND",
        default_value = "cargo run --quiet --locked -p stacks --"
    )]
    pub cli: String,
    /// The branch whose pushes apply.
    #[arg(long, default_value = "main")]
    pub branch: String,
    /// The GitHub environment of stacks that are not in an app (an app's stacks: the app's
    /// name).
    #[arg(long, default_value = "production")]
    pub environment: String,
}

/// The terraform version the jobs install (the one this repository tests with).
const TERRAFORM_VERSION: &str = "1.11.4";

/// Runs `workflow`: writes (or checks) the workflow.
pub(crate) fn run(args: &WorkflowArgs, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let stacks = app.stacks_for(&args.apps);
    let selected = select(&stacks, &args.apps)?;
    let command = command_line(args);
    let text = match args.kind {
        WorkflowKind::Deploy => deploy_workflow(&selected, app, args, &command)?,
        WorkflowKind::Drift => drift_workflow(&selected, app, args, &command)?,
    };
    let Some(path) = &args.out else {
        write!(stdout, "{text}")?;
        return Ok(0);
    };
    if args.check {
        let now = std::fs::read_to_string(path).unwrap_or_default();
        if now == text {
            writeln!(stdout, "{} is up to date", path.display())?;
            return Ok(0);
        }
        return Err(Diagnostic::error(format!(
            "{} is not what `{command}` writes",
            path.display()
        ))
        .hint(format!("run `{command}` and commit the file"))
        .into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
    writeln!(stdout, "wrote {}", path.display())?;
    Ok(0)
}

/// The command that writes this workflow again, for its header.
fn command_line(args: &WorkflowArgs) -> String {
    let mut parts = vec![args.cli.clone(), "workflow".to_owned()];
    parts.extend(args.apps.iter().cloned());
    if args.kind == WorkflowKind::Drift {
        parts.push("--kind drift".to_owned());
    }
    if let Some(out) = &args.out {
        parts.push(format!("--out {}", out.display()));
    }
    parts.join(" ")
}

/// One stack as a deploy workflow sees it.
struct Deployed {
    name: String,
    needs: Vec<String>,
    environment: String,
    region: String,
}

/// The stacks in dependency order, each with the stacks it reads among `selected`, its
/// environment and its region.
fn deployed(
    selected: &[StackDef],
    app: &App,
    args: &WorkflowArgs,
) -> anyhow::Result<Vec<Deployed>> {
    let names: Vec<&str> = selected.iter().map(|d| d.name).collect();
    let mut out = Vec::new();
    for def in selected {
        let (needs, environment, region) = match &def.member {
            Some(member) => {
                let missing: Vec<&String> = member
                    .needs
                    .iter()
                    .filter(|n| !names.contains(&n.as_str()))
                    .collect();
                if let Some(first) = missing.first() {
                    return Err(usage_error(
                        Diagnostic::error(format!(
                            "`{}` reads the exports of `{first}`, which the workflow would not deploy",
                            def.name
                        ))
                        .hint(format!(
                            "name the app `{}` (all of its stacks) instead of some of its stacks",
                            member.app
                        )),
                    ));
                }
                let region = app
                    .apps
                    .iter()
                    .find(|a| a.name == member.app)
                    .and_then(|a| (a.build)().ok())
                    .and_then(|built| match built.get_backend() {
                        Some(AppBackend::S3 { region, .. }) => Some(region.clone()),
                        _ => None,
                    });
                (member.needs.clone(), member.app.to_owned(), region)
            }
            None => (Vec::new(), args.environment.clone(), None),
        };
        out.push(Deployed {
            name: def.name.to_owned(),
            needs,
            environment,
            region: region.unwrap_or_else(|| "${{ vars.AWS_REGION }}".to_owned()),
        });
    }
    let jobs: Vec<Job> = out
        .iter()
        .map(|d| Job {
            name: d.name.clone(),
            needs: d.needs.clone(),
        })
        .collect();
    let order = topological_order(&jobs).map_err(|cycle| {
        Diagnostic::error(format!(
            "the stacks read each other in a cycle: {}",
            cycle.join(" → ")
        ))
        .hint("`synth` of the app names every read of the cycle; break one")
    })?;
    let mut sorted = Vec::new();
    for name in order {
        if let Some(i) = out.iter().position(|d| d.name == name) {
            sorted.push(out.remove(i));
        }
    }
    Ok(sorted)
}

/// The lines every job starts with: the repository, Rust and its cache, terraform, and
/// credentials by OIDC role assumption, then `whoami`.
fn setup_steps(out: &mut String, role: &str, region: &str) {
    let _ = write!(
        out,
        "      - uses: actions/checkout@v5
      - uses: dtolnay/rust-toolchain@stable
      - uses: actions/cache@v5
        with:
          path: |
            ~/.cargo/registry
            ~/.cargo/git
            target
          key: oxiform-${{{{ runner.os }}}}-${{{{ hashFiles('Cargo.lock') }}}}
          restore-keys: oxiform-${{{{ runner.os }}}}-
      - uses: hashicorp/setup-terraform@v3
        with:
          terraform_version: {TERRAFORM_VERSION}
          terraform_wrapper: false
      - name: AWS credentials (OIDC)
        uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: ${{{{ vars.{role} }}}}
          aws-region: {region}
      - name: Account
        run: $OXIFORM whoami
"
    );
}

fn header(out: &mut String, command: &str, what: &str) {
    let _ = write!(
        out,
        "# @generated by `{command}`: do not edit.
# Run it again after adding, removing or rewiring stacks; a test fails while this file is stale.
# {what}
"
    );
}

/// The deploy workflow.
fn deploy_workflow(
    selected: &[StackDef],
    app: &App,
    args: &WorkflowArgs,
    command: &str,
) -> anyhow::Result<String> {
    let stacks = deployed(selected, app, args)?;
    let mut out = String::new();
    header(
        &mut out,
        command,
        "Plans every stack on pull requests; on the main branch plans and applies each stack after the stacks it reads.",
    );
    let _ = write!(
        out,
        "name: deploy

on:
  pull_request:
  push:
    branches: [{branch}]
  workflow_dispatch:

permissions:
  contents: read
  # OIDC: the jobs assume an AWS role with GitHub's token, no stored keys.
  id-token: write

env:
  OXIFORM: {cli}
  CARGO_TERM_COLOR: never

jobs:
",
        branch = args.branch,
        cli = args.cli,
    );
    let applies = format!(
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/{}'",
        args.branch
    );
    for (i, stack) in stacks.iter().enumerate() {
        let name = &stack.name;
        if i > 0 {
            out.push('\n');
        }
        let group = format!(
            "oxiform-${{{{ github.event_name == 'pull_request' && format('pr-{{0}}', github.event.number) || '{}' }}}}-{name}",
            stack.environment
        );
        // Plan: after the plan and apply of every stack it reads.
        let mut needs = Vec::new();
        for need in &stack.needs {
            needs.push(format!("plan-{need}"));
            needs.push(format!("apply-{need}"));
        }
        let _ = writeln!(out, "  plan-{name}:");
        let _ = writeln!(out, "    name: plan {name}");
        if !needs.is_empty() {
            let _ = writeln!(out, "    needs: [{}]", needs.join(", "));
            // A skipped apply (no changes, or a pull request) lets it run; a failure does not.
            let _ = writeln!(
                out,
                "    if: ${{{{ !cancelled() && !contains(needs.*.result, 'failure') }}}}"
            );
        }
        let _ = write!(
            out,
            "    runs-on: ubuntu-latest
    concurrency:
      group: {group}
      cancel-in-progress: false
    outputs:
      changes: ${{{{ steps.plan.outputs.exit == '2' }}}}
    steps:
"
        );
        setup_steps(&mut out, "OXIFORM_PLAN_ROLE_ARN", &stack.region);
        let _ = write!(
            out,
            "      - name: Plan {name}
        id: plan
        run: |
          status=0
          $OXIFORM plan {name} --save-plan plans/{name}.tfplan || status=$?
          echo \"exit=$status\" >> \"$GITHUB_OUTPUT\"
          # 0: no changes; 2: changes; 3: not planned, it reads values a stack applies first.
          case $status in 0|2|3) ;; *) exit \"$status\" ;; esac
      - name: Keep the plan for the apply job
        if: ${{{{ {applies} && steps.plan.outputs.exit == '2' }}}}
        uses: actions/upload-artifact@v6
        with:
          name: plan-{name}
          path: plans/{name}.tfplan
          if-no-files-found: error
          retention-days: 7
"
        );
        // Apply: after its plan and the apply of every stack it reads, on the main branch,
        // behind the environment, only when the plan has changes.
        let mut needs = vec![format!("plan-{name}")];
        needs.extend(stack.needs.iter().map(|n| format!("apply-{n}")));
        let _ = write!(
            out,
            "
  apply-{name}:
    name: apply {name}
    needs: [{needs}]
    if: ${{{{ !cancelled() && !contains(needs.*.result, 'failure') && {applies} && needs.plan-{name}.outputs.changes == 'true' }}}}
    runs-on: ubuntu-latest
    environment: {environment}
    concurrency:
      group: {group}
      cancel-in-progress: false
    steps:
",
            needs = needs.join(", "),
            environment = stack.environment,
        );
        setup_steps(&mut out, "OXIFORM_APPLY_ROLE_ARN", &stack.region);
        let _ = write!(
            out,
            "      - uses: actions/download-artifact@v7
        with:
          name: plan-{name}
          path: plans
      - name: Apply {name}
        run: $OXIFORM apply {name} --plan-file plans/{name}.tfplan --auto-approve
"
        );
    }
    Ok(out)
}

/// The scheduled drift workflow.
fn drift_workflow(
    selected: &[StackDef],
    app: &App,
    args: &WorkflowArgs,
    command: &str,
) -> anyhow::Result<String> {
    let stacks = deployed(selected, app, args)?;
    let region = stacks
        .first()
        .map_or("${{ vars.AWS_REGION }}", |s| s.region.as_str())
        .to_owned();
    let names = if args.apps.is_empty() {
        "--all".to_owned()
    } else {
        args.apps.join(" ")
    };
    let mut out = String::new();
    header(
        &mut out,
        command,
        "Every day: `drift` of every stack; one issue, labelled oxiform-drift, is opened or updated while anything drifted and closed once nothing does.",
    );
    let _ = write!(
        out,
        "name: drift

on:
  schedule:
    - cron: \"17 5 * * *\"
  workflow_dispatch:

permissions:
  contents: read
  id-token: write
  issues: write

concurrency:
  group: oxiform-drift
  cancel-in-progress: false

env:
  OXIFORM: {cli}
  CARGO_TERM_COLOR: never

jobs:
  drift:
    name: drift of every stack
    runs-on: ubuntu-latest
    steps:
",
        cli = args.cli,
    );
    setup_steps(&mut out, "OXIFORM_PLAN_ROLE_ARN", &region);
    let _ = write!(
        out,
        "      - name: Drift
        id: drift
        run: |
          status=0
          $OXIFORM drift {names} --format markdown > \"$RUNNER_TEMP/drift.md\" || status=$?
          echo \"exit=$status\" >> \"$GITHUB_OUTPUT\"
          # 0: no drift; 2: drift.
          case $status in 0|2) ;; *) exit \"$status\" ;; esac
      - name: Open, update or close the drift issue
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          DRIFT_EXIT: ${{{{ steps.drift.outputs.exit }}}}
          RUN_URL: ${{{{ github.server_url }}}}/${{{{ github.repository }}}}/actions/runs/${{{{ github.run_id }}}}
        run: .github/scripts/drift-issue.sh \"$RUNNER_TEMP/drift.md\" \"$DRIFT_EXIT\"
      - name: Job summary
        if: ${{{{ always() }}}}
        run: cat \"$RUNNER_TEMP/drift.md\" >> \"$GITHUB_STEP_SUMMARY\" || true
"
    );
    Ok(out)
}
