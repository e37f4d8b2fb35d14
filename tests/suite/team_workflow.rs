//! Apps at team scale (#22): the deploy and drift workflows `workflow` writes from the app
//! graph — checked by actionlint, their `needs:` the app's graph (also after a stack is
//! added), the repository's own checked in and current, their commands run locally in
//! order against the emulator ending with a clean `plan --all` — and `drift` finding a
//! resource changed through the emulator's API, reported in one issue by
//! `.github/scripts/drift-issue.sh`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use oxiform_tests::emulator::Emulator;

const TEAM: &str = env!("CARGO_BIN_EXE_oxiform-team");
const STACKS: &str = env!("CARGO_BIN_EXE_oxiform-stacks");

/// One job of a generated workflow, as far as these tests read it.
#[derive(Debug, Default)]
struct Job {
    needs: Vec<String>,
    /// The `run:` scripts of its steps, in order.
    runs: Vec<String>,
    /// The actions its steps use, in order.
    uses: Vec<String>,
    environment: Option<String>,
}

/// The jobs of a workflow written by `workflow`, in the order they are written: read line
/// by line, as the generator writes them (no YAML library in the workspace).
fn jobs(text: &str) -> Vec<(String, Job)> {
    let mut jobs: Vec<(String, Job)> = Vec::new();
    let mut in_jobs = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line == "jobs:" {
            in_jobs = true;
            continue;
        }
        if !in_jobs {
            continue;
        }
        if let Some(id) = line
            .strip_prefix("  ")
            .and_then(|l| l.strip_suffix(':'))
            .filter(|l| !l.starts_with(' '))
        {
            jobs.push((id.to_owned(), Job::default()));
            continue;
        }
        let Some((_, job)) = jobs.last_mut() else {
            continue;
        };
        if let Some(needs) = line.strip_prefix("    needs: [") {
            job.needs = needs
                .trim_end_matches(']')
                .split(", ")
                .map(str::to_owned)
                .collect();
        } else if let Some(env) = line.strip_prefix("    environment: ") {
            job.environment = Some(env.to_owned());
        } else if let Some(action) = line
            .trim_start()
            .strip_prefix("- uses: ")
            .or_else(|| line.strip_prefix("        uses: "))
        {
            job.uses.push(action.to_owned());
        } else if line == "        run: |" {
            let mut script = String::new();
            while let Some(next) = lines.peek() {
                let Some(body) = next.strip_prefix("          ") else {
                    break;
                };
                script.push_str(body);
                script.push('\n');
                lines.next();
            }
            job.runs.push(script);
        } else if let Some(command) = line.strip_prefix("        run: ") {
            job.runs.push(format!("{command}\n"));
        }
    }
    jobs
}

/// Each stack and the stacks its jobs wait on, from the `needs:` of its plan and apply jobs
/// (`plan-<stack>`, `apply-<stack>`).
fn needs_graph(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, job) in jobs(text) {
        let stack = id
            .strip_prefix("plan-")
            .or_else(|| id.strip_prefix("apply-"))
            .unwrap_or_else(|| panic!("job {id} is neither plan- nor apply-"))
            .to_owned();
        let waits = graph.entry(stack.clone()).or_default();
        for need in job.needs {
            let other = need
                .strip_prefix("plan-")
                .or_else(|| need.strip_prefix("apply-"))
                .unwrap_or(&need);
            if other != stack {
                waits.insert(other.to_owned());
            }
        }
    }
    graph
}

/// The app graph `graph APP` prints (dot): each stack and the stacks whose exports it reads.
fn app_graph(dot: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in dot.lines().map(str::trim).filter(|l| l.starts_with('"')) {
        let names: Vec<&str> = line.split('"').collect();
        match names.as_slice() {
            ["", node, ";"] => {
                graph.entry((*node).to_owned()).or_default();
            }
            ["", from, " -> ", to, ..] => {
                graph
                    .entry((*from).to_owned())
                    .or_default()
                    .insert((*to).to_owned());
            }
            _ => {}
        }
    }
    graph
}

/// Runs `binary ARGS` in `dir` with `env`; the emulator URL, when there is none, is a port
/// nothing listens on (building the team app only needs a URL).
fn run(binary: &str, dir: &Path, env: &[(String, String)], args: &[&str]) -> Output {
    Command::new(binary)
        .args(args)
        .current_dir(dir)
        .env("OXIFORM_EMULATOR_URL", "http://127.0.0.1:9")
        .env_remove("OXIFORM_TEAM_EXTRA")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env_remove("OXIFORM_PLUGIN_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{binary} {args:?}: {e}"))
}

fn stdout_of(output: &Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn root() -> PathBuf {
    oxiform_tests::workspace_root()
}

#[test]
fn the_needs_of_the_deploy_workflow_are_the_app_graph_also_after_a_stack_is_added() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for extra in ["0", "1"] {
        let env = [("OXIFORM_TEAM_EXTRA".to_owned(), extra.to_owned())];
        let workflow = stdout_of(
            &run(TEAM, dir.path(), &env, &["workflow", "team"]),
            "workflow team",
        );
        let graph = stdout_of(&run(TEAM, dir.path(), &env, &["graph", "team"]), "graph");
        assert_eq!(needs_graph(&workflow), app_graph(&graph), "{workflow}");
        let stacks = app_graph(&graph).len();
        assert_eq!(stacks, if extra == "1" { 3 } else { 2 });
        // Two jobs a stack; each apply behind the app's environment.
        let jobs = jobs(&workflow);
        assert_eq!(jobs.len(), 2 * stacks);
        for (id, job) in &jobs {
            if id.starts_with("apply-") {
                assert_eq!(job.environment.as_deref(), Some("team"), "{id}");
                assert!(job
                    .uses
                    .iter()
                    .any(|u| u.starts_with("actions/download-artifact@")));
            } else {
                assert!(job
                    .uses
                    .iter()
                    .any(|u| u.starts_with("actions/upload-artifact@")));
            }
            assert!(
                job.uses
                    .iter()
                    .any(|u| u.starts_with("aws-actions/configure-aws-credentials@")),
                "{id}"
            );
        }
    }
    // The repository's own: each app's stacks wait on the stacks they read.
    let deploy = std::fs::read_to_string(root().join(".github/workflows/deploy.yml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected = BTreeMap::new();
    for app in ["ai-inference-dev", "ai-inference-prod"] {
        let dot = stdout_of(&run(STACKS, &root(), &[], &["graph", app]), "graph");
        expected.extend(app_graph(&dot));
    }
    assert_eq!(needs_graph(&deploy), expected);
}

#[test]
fn the_checked_in_workflows_are_what_the_command_writes() {
    for args in [
        &[
            "ai-inference-dev",
            "ai-inference-prod",
            "--out",
            ".github/workflows/deploy.yml",
        ][..],
        &[
            "ai-inference-dev",
            "ai-inference-prod",
            "--kind",
            "drift",
            "--out",
            ".github/workflows/drift.yml",
        ][..],
    ] {
        let mut check = vec!["workflow"];
        check.extend_from_slice(args);
        if std::env::var("OXIFORM_UPDATE_WORKFLOWS").is_ok_and(|v| v == "1") {
            stdout_of(&run(STACKS, &root(), &[], &check), "workflow");
            continue;
        }
        check.push("--check");
        let output = run(STACKS, &root(), &[], &check);
        assert!(
            output.status.success(),
            "{}\n(or run this test with OXIFORM_UPDATE_WORKFLOWS=1, review the change and commit it)",
            text(&output)
        );
    }
    // A stale file: the error says which command writes it.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stale = dir.path().join("deploy.yml");
    std::fs::write(&stale, "name: deploy\n").unwrap_or_else(|e| panic!("{e}"));
    let output = run(
        STACKS,
        &root(),
        &[],
        &[
            "workflow",
            "ai-inference-dev",
            "--out",
            &stale.to_string_lossy(),
            "--check",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    oxiform_tests::snapshot!(
        "workflow_stale",
        String::from_utf8_lossy(&output.stderr).replace(&*dir.path().to_string_lossy(), "TMP")
    );
}

#[test]
fn actionlint_passes_the_workflows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let team = dir.path().join("team.yml");
    let env = [("OXIFORM_TEAM_EXTRA".to_owned(), "1".to_owned())];
    std::fs::write(
        &team,
        stdout_of(
            &run(TEAM, dir.path(), &env, &["workflow", "team"]),
            "workflow",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let drift = dir.path().join("team-drift.yml");
    std::fs::write(
        &drift,
        stdout_of(
            &run(
                TEAM,
                dir.path(),
                &env,
                &["workflow", "team", "--kind", "drift"],
            ),
            "workflow",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let workflows = root().join(".github/workflows");
    let files = [
        workflows.join("deploy.yml"),
        workflows.join("drift.yml"),
        workflows.join("pr-review.yml"),
        team,
        drift,
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (code, text) = oxiform_tests::actionlint::check(&refs);
    assert_eq!((code, text.as_str()), (0, ""), "actionlint found problems");
    // It does find problems: a job needing one that does not exist.
    let broken = dir.path().join("broken.yml");
    let text = std::fs::read_to_string(&files[3]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &broken,
        text.replacen("needs: [plan-team-network", "needs: [plan-team-nowhere", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, text) = oxiform_tests::actionlint::check(&[&broken]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("plan-team-nowhere"), "{text}");
}

/// The team app's binary in its own folder against one emulator.
struct Team<'a> {
    dir: &'a Path,
    emulator: &'a Emulator,
}

impl Team<'_> {
    fn env(&self) -> Vec<(String, String)> {
        let mut env = self.emulator.provider_env();
        env.push(("OXIFORM_EMULATOR_URL".to_owned(), self.emulator.url()));
        env
    }

    fn run(&self, args: &[&str]) -> Output {
        run(TEAM, self.dir, &self.env(), args)
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn drift_reports_a_parameter_changed_outside_terraform() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let team = Team {
        dir: dir.path(),
        emulator: &emulator,
    };
    let applied = team.run(&["apply", "--all", "--auto-approve"]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    let clean = team.run(&["drift", "--all"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    assert!(
        text(&clean)
            .contains("team-network: no drift\nteam-service: no drift\n\n0 of 2 stacks drifted\n"),
        "{}",
        text(&clean)
    );
    // Someone changes the owner by hand.
    let answer = emulator.json(
        "ssm",
        "AmazonSSM.PutParameter",
        r#"{"Name": "/team/owner", "Value": "someone-else", "Type": "String", "Overwrite": true}"#,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let drifted = team.run(&["drift", "--all"]);
    let report = String::from_utf8_lossy(&drifted.stdout).into_owned();
    assert_eq!(drifted.status.code(), Some(2), "{}", text(&drifted));
    assert!(
        report.contains(
            "team-network: 1 resource changed outside terraform\n  ~ aws_ssm_parameter.owner\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("      insecure_value: \"platform\" → \"someone-else\"\n"),
        "{report}"
    );
    assert!(report.contains("team-service: no drift\n"), "{report}");
    assert!(report.ends_with("\n1 of 2 stacks drifted\n"), "{report}");
    let markdown = team.run(&["drift", "team", "--format", "markdown"]);
    let report = String::from_utf8_lossy(&markdown.stdout).into_owned();
    assert_eq!(markdown.status.code(), Some(2), "{}", text(&markdown));
    assert!(
        report.starts_with("## Drift: 1 of 2 stacks changed outside terraform\n\nNo drift in `team-service`.\n\n### `team-network`\n\n**`~` `aws_ssm_parameter.owner`**\n"),
        "{report}"
    );
    assert!(
        report.contains("| `insecure_value` | `\"platform\"` | `\"someone-else\"` |"),
        "{report}"
    );
    // `drift` changed nothing: the parameter still holds what was set by hand.
    let answer = emulator.json(
        "ssm",
        "AmazonSSM.GetParameter",
        r#"{"Name": "/team/owner"}"#,
    );
    assert!(answer.body.contains("someone-else"), "{}", answer.body);
}

/// `.github/scripts/drift-issue.sh` with a `gh` that records its arguments: drift opens the
/// issue, drift again updates it, no drift closes it.
#[test]
fn the_drift_issue_is_opened_updated_then_closed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap_or_else(|e| panic!("{e}"));
    let log = dir.path().join("gh.log");
    // Lists issue 17 as the open one with the label when EXISTING is set.
    let fake = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\ncase \"$*\" in *'issue list'*) [ -n \"$EXISTING\" ] && echo 17;; *'issue create'*) echo https://github.com/acme/infra/issues/17;; esac\nexit 0\n",
        log.display()
    );
    let gh = bin.join("gh");
    std::fs::write(&gh, fake).unwrap_or_else(|e| panic!("{e}"));
    Command::new("chmod")
        .args(["+x", &gh.to_string_lossy()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    let report = dir.path().join("drift.md");
    std::fs::write(
        &report,
        "## Drift: 1 of 2 stacks changed outside terraform\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let script = root().join(".github/scripts/drift-issue.sh");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let call = |code: &str, existing: &str| {
        let out = Command::new(&script)
            .args([report.to_string_lossy().as_ref(), code])
            .env("PATH", &path)
            .env("GITHUB_REPOSITORY", "acme/infra")
            .env("RUN_URL", "https://github.com/acme/infra/actions/runs/5")
            .env("EXISTING", existing)
            .env("TMPDIR", dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    assert_eq!(
        call("2", ""),
        (
            Some(0),
            "opened https://github.com/acme/infra/issues/17\n".to_owned()
        )
    );
    assert_eq!(
        call("2", "yes"),
        (Some(0), "updated issue #17\n".to_owned())
    );
    assert_eq!(call("0", "yes"), (Some(0), "closed issue #17\n".to_owned()));
    assert_eq!(
        call("0", ""),
        (Some(0), "no drift, no open drift issue\n".to_owned())
    );
    let (code, said) = call("1", "");
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("drift failed"), "{said}");
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    let list = "issue list --repo acme/infra --label oxiform-drift --state open --json number --jq .[0].number // empty";
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls[0], list);
    assert!(
        calls[1].starts_with("label create oxiform-drift --repo acme/infra --force"),
        "{calls:?}"
    );
    assert!(
        calls[2].starts_with("issue create --repo acme/infra --title Drift: infrastructure changed outside terraform --label oxiform-drift --body-file "),
        "{calls:?}"
    );
    assert_eq!(calls[3], list);
    assert!(
        calls[4].starts_with("issue edit 17 --repo acme/infra --body-file "),
        "{calls:?}"
    );
    assert_eq!(calls[5], list);
    assert!(
        calls[6].starts_with("issue close 17 --repo acme/infra --comment No drift any more"),
        "{calls:?}"
    );
    assert_eq!(calls[7], list);
    assert_eq!(calls.len(), 8, "{calls:?}");
}

/// The jobs of a workflow in an order that respects their `needs:` (each after every job
/// it needs), as the runners would start them.
fn in_needs_order(jobs: Vec<(String, Job)>) -> Vec<(String, Job)> {
    let mut pending = jobs;
    let mut done: Vec<(String, Job)> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, job)| job.needs.iter().all(|n| done.iter().any(|(id, _)| id == n)))
            .unwrap_or_else(|| {
                panic!(
                    "no job can start: {:?}",
                    pending.iter().map(|(id, _)| id).collect::<Vec<_>>()
                )
            });
        done.push(pending.remove(ready));
    }
    done
}

/// The deploy workflow of the team app as a push to the main branch runs it, on this
/// machine: each job's `run:` steps (the stacks binary's own commands, through `bash -e` as
/// a runner runs them) in the order of `needs:`, an apply job only when its plan job said
/// it has changes, the artifact a file both jobs see. Then `plan --all` has nothing to do.
#[test]
fn the_deploy_workflow_run_locally_in_order_deploys_the_app() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let team = Team {
        dir: dir.path(),
        emulator: &emulator,
    };
    let workflow = stdout_of(&team.run(&["workflow", "team"]), "workflow team");
    let mut ran = Vec::new();
    let mut changes: BTreeMap<String, bool> = BTreeMap::new();
    for (id, job) in in_needs_order(jobs(&workflow)) {
        if let Some(stack) = id.strip_prefix("apply-") {
            // `if: … needs.plan-<stack>.outputs.changes == 'true'`
            if !changes.get(stack).copied().unwrap_or(false) {
                continue;
            }
            let artifact = dir.path().join(format!("plans/{stack}.tfplan"));
            assert!(artifact.is_file(), "no saved plan for {stack}");
        }
        let output = dir.path().join(format!("{id}.output"));
        for script in &job.runs {
            let run = Command::new("bash")
                .args(["-e", "-c", script])
                .current_dir(dir.path())
                .envs(team.env())
                .env("OXIFORM", TEAM)
                .env("GITHUB_OUTPUT", &output)
                .env_remove("OXIFORM_PLUGIN_DIR")
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("bash: {e}"));
            assert!(run.status.success(), "{id}: {script}\n{}", text(&run));
        }
        if let Some(stack) = id.strip_prefix("plan-") {
            let said = std::fs::read_to_string(&output).unwrap_or_default();
            changes.insert(stack.to_owned(), said.contains("exit=2"));
        }
        ran.push(id);
    }
    assert_eq!(
        ran,
        [
            "plan-team-network",
            "apply-team-network",
            "plan-team-service",
            "apply-team-service"
        ]
    );
    let plan = team.run(&["plan", "--all"]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    // A saved plan applied to another stack than the one it was made for is refused
    // before anything is applied.
    let saved = team.run(&["plan", "team-network", "--save-plan", "network.tfplan"]);
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved));
    let wrong = team.run(&[
        "apply",
        "team-service",
        "--plan-file",
        "network.tfplan",
        "--auto-approve",
    ]);
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    oxiform_tests::snapshot!(
        "workflow_plan_file_of_another_stack",
        from_error(&String::from_utf8_lossy(&wrong.stderr))
            .replace(&*dir.path().to_string_lossy(), "DIR")
    );
    // Run again: every plan has nothing to do, so no apply job runs.
    for (id, job) in in_needs_order(jobs(&workflow)) {
        if id.starts_with("plan-") {
            let output = dir.path().join(format!("{id}.again"));
            for script in &job.runs {
                let run = Command::new("bash")
                    .args(["-e", "-c", script])
                    .current_dir(dir.path())
                    .envs(team.env())
                    .env("OXIFORM", TEAM)
                    .env("GITHUB_OUTPUT", &output)
                    .stdin(Stdio::null())
                    .output()
                    .unwrap_or_else(|e| panic!("bash: {e}"));
                assert!(run.status.success(), "{id}: {script}\n{}", text(&run));
            }
            let said = std::fs::read_to_string(&output).unwrap_or_default();
            assert!(said.contains("exit=0"), "{id}: {said}");
        }
    }
}

#[test]
fn a_saved_plan_is_the_plan_of_one_stack() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let many = run(
        TEAM,
        dir.path(),
        &[],
        &["plan", "team", "--save-plan", "team.tfplan"],
    );
    assert_eq!(many.status.code(), Some(2), "{}", text(&many));
    oxiform_tests::snapshot!(
        "workflow_save_plan_of_many_stacks",
        from_error(&String::from_utf8_lossy(&many.stderr))
    );
}

/// What a command printed on stderr from its `error:` line on (terraform's warnings about
/// this machine's CLI configuration come before it).
fn from_error(stderr: &str) -> String {
    stderr
        .find("error: ")
        .map_or(stderr, |i| &stderr[i..])
        .to_owned()
}
