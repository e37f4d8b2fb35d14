//! Runs many stacks' terraform over their dependency graph (`plan --all`, `apply --all`,
//! `destroy --all`): each stack starts as soon as the stacks it waits on have succeeded, at most
//! `concurrency` at a time; a failure skips only what is downstream of it; Ctrl-C starts nothing
//! new but waits for what is running, so that each terraform can release its state lock.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::{Id, JoinError, JoinSet, LocalSet};

/// The code a `plan` job returns when it made no plan because a stack it reads has not
/// applied the values it reads yet: counted as changes, said as such.
pub(crate) const WAITS_ON_UPSTREAM: i32 = 3;

/// One stack to run and the stacks it needs first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    /// The stack's name, unique among the jobs.
    pub(crate) name: String,
    /// The stacks it needs; a name that is not among the jobs counts as already there, so that
    /// a selection of stacks runs without its dependencies.
    pub(crate) needs: Vec<String>,
}

/// What happened to one stack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// The job ran, returned this exit code (plan: 0 no changes, 2 changes) and took `elapsed`.
    Done { code: i32, elapsed: Duration },
    /// The job failed (its error rendered with `{:#}`) after `elapsed`, or waited on a cycle.
    Failed { error: String, elapsed: Duration },
    /// Not run because `because`, a stack it waits on directly or transitively, failed.
    Skipped { because: String },
    /// Not started because the run was interrupted (Ctrl-C).
    Cancelled,
}

/// Which way the dependencies point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// A stack runs after every stack it needs (plan, apply).
    Forward,
    /// A stack runs only after every stack that needs it (destroy).
    Reverse,
}

/// Runs every job as soon as what it waits on has succeeded, at most `concurrency` at a time
/// (0 counts as 1); a failure skips only the jobs downstream of it and the others go on. `run`
/// returns `Err` for a failure; any `Ok` code is a success. On Ctrl-C no new job starts; the
/// running ones are awaited (each forwards the interrupt to its own terraform) and the rest are
/// `Cancelled`. Returns every job's outcome in the order of `jobs`.
pub(crate) async fn run_jobs<F, Fut>(
    jobs: &[Job],
    concurrency: usize,
    direction: Direction,
    run: F,
) -> Vec<(String, Outcome)>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = anyhow::Result<i32>> + 'static,
{
    run_jobs_until(jobs, concurrency, direction, run, ctrl_c_pressed()).await
}

/// Completes at the first Ctrl-C; never if the handler cannot be installed, in which case Ctrl-C
/// keeps its default effect (it ends the process) rather than cancelling.
async fn ctrl_c_pressed() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// [`run_jobs`] with the interruption as a parameter, so that tests can interrupt.
async fn run_jobs_until<F, Fut>(
    jobs: &[Job],
    concurrency: usize,
    direction: Direction,
    run: F,
    interrupt: impl Future<Output = ()>,
) -> Vec<(String, Outcome)>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = anyhow::Result<i32>> + 'static,
{
    let waits_on = prerequisites(jobs, direction);
    let slots = jobs.iter().map(|_| Slot::Waiting).collect();
    let mut scheduler = Scheduler {
        jobs,
        waits_on,
        slots,
    };
    // The jobs' futures need not be Send: they run as local tasks on the caller's thread.
    let drive = scheduler.drive(concurrency.max(1), &run, interrupt);
    let interrupted = LocalSet::new().run_until(drive).await;
    let outcomes = scheduler
        .slots
        .into_iter()
        .map(|slot| slot.into_outcome(interrupted));
    jobs.iter()
        .map(|job| job.name.clone())
        .zip(outcomes)
        .collect()
}

/// Where one job is.
enum Slot {
    Waiting,
    Running,
    Over(Outcome),
}

impl Slot {
    /// The outcome of a job once nothing runs any more.
    fn into_outcome(self, interrupted: bool) -> Outcome {
        match self {
            Slot::Over(outcome) => outcome,
            // Nothing is Running here: `drive` returns only when no task is left.
            Slot::Waiting | Slot::Running if interrupted => Outcome::Cancelled,
            // Neither interrupted nor ever ready: it waits on a cycle.
            Slot::Waiting | Slot::Running => {
                let (error, elapsed) = ("waits on a dependency cycle".to_string(), Duration::ZERO);
                Outcome::Failed { error, elapsed }
            }
        }
    }
}

/// The jobs, what each waits on (by index), and where each is.
struct Scheduler<'a> {
    jobs: &'a [Job],
    waits_on: Vec<Vec<usize>>,
    slots: Vec<Slot>,
}

impl Scheduler<'_> {
    /// Starts what is ready and records what finishes until nothing runs; returns whether the
    /// run was interrupted.
    async fn drive<F, Fut>(
        &mut self,
        most: usize,
        run: &F,
        interrupt: impl Future<Output = ()>,
    ) -> bool
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = anyhow::Result<i32>> + 'static,
    {
        let mut running = JoinSet::new();
        let mut job_of_task: HashMap<Id, usize> = HashMap::new();
        let mut interrupt = std::pin::pin!(interrupt);
        let mut interrupted = false;
        loop {
            while !interrupted && running.len() < most {
                let Some(index) = self.next_ready() else {
                    break;
                };
                self.slots[index] = Slot::Running;
                let job = run(self.jobs[index].name.clone());
                let task = running.spawn_local(async move {
                    let started = Instant::now();
                    (job.await, started.elapsed())
                });
                job_of_task.insert(task.id(), index);
            }
            if running.is_empty() {
                return interrupted;
            }
            // `running` is not empty, so this branch yields Some and is never disabled.
            tokio::select! {
                Some(joined) = running.join_next_with_id() => {
                    let (task, outcome) = task_outcome(joined);
                    if let Some(index) = job_of_task.remove(&task) {
                        self.slots[index] = Slot::Over(outcome);
                    }
                    // After Ctrl-C jobs fail because they were interrupted: what waits on them
                    // is Cancelled, not Skipped.
                    if !interrupted {
                        self.skip_downstream();
                    }
                }
                () = &mut interrupt, if !interrupted => interrupted = true,
            }
        }
    }

    /// The first waiting job, in input order, whose prerequisites have all succeeded.
    fn next_ready(&self) -> Option<usize> {
        let succeeded =
            |index: &usize| matches!(self.slots[*index], Slot::Over(Outcome::Done { .. }));
        let ready = |index: &usize| self.waits_on[*index].iter().all(succeeded);
        let mut waiting =
            (0..self.jobs.len()).filter(|&index| matches!(self.slots[index], Slot::Waiting));
        waiting.find(ready)
    }

    /// Marks Skipped every waiting job downstream of a failure, naming the stack that failed;
    /// repeats until nothing changes, to reach the transitive ones.
    fn skip_downstream(&mut self) {
        let mut changed = true;
        while changed {
            changed = false;
            for index in 0..self.jobs.len() {
                let blamed = self.waits_on[index]
                    .iter()
                    .find_map(|&before| self.failure_behind(before));
                if let (Slot::Waiting, Some(because)) = (&self.slots[index], blamed) {
                    self.slots[index] = Slot::Over(Outcome::Skipped { because });
                    changed = true;
                }
            }
        }
    }

    /// The stack whose failure stops what waits on this job, if any.
    fn failure_behind(&self, index: usize) -> Option<String> {
        match &self.slots[index] {
            Slot::Over(Outcome::Failed { .. }) => Some(self.jobs[index].name.clone()),
            Slot::Over(Outcome::Skipped { because }) => Some(because.clone()),
            _ => None,
        }
    }
}

/// A finished task's id and its job's outcome. A panic fails the job rather than the run, so
/// that the other terraforms finish and release their locks (the panic hook printed it).
fn task_outcome(joined: Result<(Id, (anyhow::Result<i32>, Duration)), JoinError>) -> (Id, Outcome) {
    let (task, result, elapsed) = match joined {
        Ok((task, (result, elapsed))) => (task, result, elapsed),
        Err(error) => (error.id(), Err(anyhow::anyhow!("{error}")), Duration::ZERO),
    };
    let outcome = match result {
        Ok(code) => Outcome::Done { code, elapsed },
        Err(error) => {
            let error = format!("{error:#}");
            Outcome::Failed { error, elapsed }
        }
    };
    (task, outcome)
}

/// For each job (by index), the indices of the jobs that must succeed before it starts.
fn prerequisites(jobs: &[Job], direction: Direction) -> Vec<Vec<usize>> {
    let index_of: HashMap<&str, usize> = (0..jobs.len())
        .map(|i| (jobs[i].name.as_str(), i))
        .collect();
    let mut waits_on = vec![Vec::new(); jobs.len()];
    for (index, job) in jobs.iter().enumerate() {
        for &needed in job
            .needs
            .iter()
            .filter_map(|need| index_of.get(need.as_str()))
        {
            match direction {
                Direction::Forward => waits_on[index].push(needed),
                Direction::Reverse => waits_on[needed].push(index),
            }
        }
    }
    waits_on
}

/// The jobs' names with every stack after the stacks it needs, ties broken by the input order;
/// or the names of a cycle, each needing the next and the last the first.
pub(crate) fn topological_order(jobs: &[Job]) -> Result<Vec<String>, Vec<String>> {
    let waits_on = prerequisites(jobs, Direction::Forward);
    let mut placed = vec![false; jobs.len()];
    let mut order = Vec::with_capacity(jobs.len());
    let ready =
        |placed: &[bool], index: usize| waits_on[index].iter().all(|&before| placed[before]);
    while let Some(next) = (0..jobs.len()).find(|&index| !placed[index] && ready(&placed, index)) {
        placed[next] = true;
        order.push(jobs[next].name.clone());
    }
    if order.len() == jobs.len() {
        Ok(order)
    } else {
        Err(find_cycle(jobs, &waits_on, &placed))
    }
}

/// Follows unplaced needs from the first unplaced job until one repeats: every unplaced job
/// needs an unplaced one, or it would have been placed.
fn find_cycle(jobs: &[Job], waits_on: &[Vec<usize>], placed: &[bool]) -> Vec<String> {
    let mut path: Vec<usize> = Vec::new();
    let mut current = placed.iter().position(|&done| !done);
    while let Some(index) = current {
        if let Some(start) = path.iter().position(|&seen| seen == index) {
            path.drain(..start);
            break;
        }
        path.push(index);
        current = waits_on[index]
            .iter()
            .copied()
            .find(|&before| !placed[before]);
    }
    path.iter().map(|&index| jobs[index].name.clone()).collect()
}

/// The table people read after a run: one line per stack, then the totals; and whether every
/// stack succeeded. `verb` is "plan", "apply" or "destroy"; `timings` adds the durations, which
/// tests leave out to pin the text.
pub(crate) fn summary(outcomes: &[(String, Outcome)], verb: &str, timings: bool) -> (String, bool) {
    let width = outcomes
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (name, outcome) in outcomes {
        lines.push(format!(
            "{name:<width$}  {}",
            describe(outcome, verb, timings)
        ));
    }
    lines.push(totals(outcomes, verb));
    let succeeded = outcomes.iter().all(|(_, outcome)| kind(outcome) == "done");
    (lines.join("\n"), succeeded)
}

/// One stack's line in the summary, after its name.
fn describe(outcome: &Outcome, verb: &str, timings: bool) -> String {
    let took = |elapsed: &Duration| match timings {
        true => format!(" ({:.1} s)", elapsed.as_secs_f64()),
        false => String::new(),
    };
    match outcome {
        Outcome::Done { code, elapsed } => format!("{}{}", finished(verb, *code), took(elapsed)),
        Outcome::Failed { error, elapsed } => {
            let first_line = error.lines().next().unwrap_or("");
            format!("FAILED{}: {first_line}", took(elapsed))
        }
        Outcome::Skipped { because } => format!("skipped: needs `{because}`, which failed"),
        Outcome::Cancelled => "cancelled: interrupted before it started".to_string(),
    }
}

/// What a job that returned `code` did: plan tells changes from none (terraform's
/// `-detailed-exitcode`).
fn finished(verb: &str, code: i32) -> String {
    match (verb, code) {
        ("plan", 0) => "no changes".to_string(),
        ("plan", 2) => "changes".to_string(),
        ("plan", WAITS_ON_UPSTREAM) => {
            "not planned: reads values the stacks before it have not applied yet".to_string()
        }
        (_, 0) => past_tense(verb).to_string(),
        (_, code) => format!("{} with exit code {code}", past_tense(verb)),
    }
}

/// The word for a stack the verb has run on.
fn past_tense(verb: &str) -> &'static str {
    match verb {
        "plan" => "planned",
        "apply" => "applied",
        "destroy" => "destroyed",
        _ => "done",
    }
}

/// The kind of an outcome, as the totals name it (but "done" for the verb's past tense).
fn kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Done { .. } => "done",
        Outcome::Failed { .. } => "failed",
        Outcome::Skipped { .. } => "skipped",
        Outcome::Cancelled => "cancelled",
    }
}

/// The last line of the summary: how many stacks, and how many of each outcome.
fn totals(outcomes: &[(String, Outcome)], verb: &str) -> String {
    let count = |wanted: &str| {
        outcomes
            .iter()
            .filter(|(_, outcome)| kind(outcome) == wanted)
            .count()
    };
    let mut parts = vec![format!("{} {}", count("done"), past_tense(verb))];
    if verb == "plan" {
        let changes = outcomes.iter().filter(|(_, o)| {
            matches!(
                o,
                Outcome::Done {
                    code: 2 | WAITS_ON_UPSTREAM,
                    ..
                }
            )
        });
        parts[0].push_str(&format!(" ({} with changes)", changes.count()));
    }
    for kind in ["failed", "skipped", "cancelled"] {
        match count(kind) {
            0 => {}
            n => parts.push(format!("{n} {kind}")),
        }
    }
    let stacks = if outcomes.len() == 1 {
        "stack"
    } else {
        "stacks"
    };
    format!("{} {stacks}: {}", outcomes.len(), parts.join(", "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Jobs from "network; app: network; web: app network": each stack, then what it needs.
    fn jobs(spec: &str) -> Vec<Job> {
        let job = |part: &str| {
            let (name, needs) = part.split_once(':').unwrap_or((part, ""));
            let needs = needs.split_whitespace().map(str::to_string).collect();
            Job {
                name: name.trim().to_string(),
                needs,
            }
        };
        spec.split(';').map(job).collect()
    }

    /// Runs the jobs of `spec`, each logging "start NAME" and "end NAME" around 100 ms of sleep
    /// and failing if named `failing`; through Ctrl-C's `run_jobs`, or interrupted after
    /// `interrupt_after` milliseconds if given.
    fn run_logged(
        spec: &str,
        concurrency: usize,
        direction: Direction,
        failing: &'static str,
        interrupt_after: Option<u64>,
    ) -> (Vec<(String, Outcome)>, Vec<String>) {
        let log = Rc::new(RefCell::new(Vec::new()));
        let run = |name: String| {
            let log = Rc::clone(&log);
            async move {
                log.borrow_mut().push(format!("start {name}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                log.borrow_mut().push(format!("end {name}"));
                anyhow::ensure!(name != failing, "boom\nsecond line");
                Ok(0)
            }
        };
        let jobs = jobs(spec);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let outcomes = runtime.unwrap().block_on(async {
            let Some(after) = interrupt_after else {
                return run_jobs(&jobs, concurrency, direction, run).await;
            };
            let interrupt = tokio::time::sleep(Duration::from_millis(after));
            run_jobs_until(&jobs, concurrency, direction, run, interrupt).await
        });
        let log = log.take();
        (outcomes, log)
    }

    /// The most jobs the log shows running at once.
    fn most_at_once(log: &[String]) -> usize {
        let mut running = 0_usize;
        let starts = log.iter().map(|event| event.starts_with("start"));
        starts.fold(0, |most, started| {
            running = if started { running + 1 } else { running - 1 };
            most.max(running)
        })
    }

    #[test]
    fn independent_jobs_overlap_only_when_concurrency_allows() {
        // Overlap: `b` starts while `a` sleeps. (Timers due in the same tick may end either.)
        let (_, mut log) = run_logged("a; b", 2, Direction::Forward, "", None);
        log[2..].sort();
        assert_eq!(log, ["start a", "start b", "end a", "end b"]);
        let (_, log) = run_logged("a; b", 1, Direction::Forward, "", None);
        assert_eq!(log, ["start a", "end a", "start b", "end b"]);
    }

    #[test]
    fn a_chain_runs_in_order_forward_and_backward() {
        let (outcomes, log) = run_logged("a; b: a; c: b", 3, Direction::Forward, "", None);
        assert_eq!(
            log,
            ["start a", "end a", "start b", "end b", "start c", "end c"]
        );
        assert!(summary(&outcomes, "apply", false).1);
        let (_, log) = run_logged("a; b: a; c: b", 3, Direction::Reverse, "", None);
        assert_eq!(
            log,
            ["start c", "end c", "start b", "end b", "start a", "end a"]
        );
    }

    #[test]
    fn a_failure_skips_only_what_is_downstream() {
        let graph = "network; app: network; web: app; dns; monitoring: dns";
        let (outcomes, log) = run_logged(graph, 2, Direction::Forward, "network", None);
        assert!(!log
            .iter()
            .any(|event| event.ends_with("app") || event.ends_with("web")));
        let expected = "\
network     FAILED: boom
app         skipped: needs `network`, which failed
web         skipped: needs `network`, which failed
dns         applied
monitoring  applied
5 stacks: 2 applied, 1 failed, 2 skipped";
        assert_eq!(
            summary(&outcomes, "apply", false),
            (expected.to_string(), false)
        );
    }

    #[test]
    fn never_more_than_concurrency_jobs_run_at_once() {
        for (concurrency, most) in [(0, 1), (2, 2), (9, 6)] {
            let (_, log) = run_logged(
                "a; b; c; d; e; f",
                concurrency,
                Direction::Forward,
                "",
                None,
            );
            assert_eq!(
                most_at_once(&log),
                most,
                "concurrency {concurrency}: {log:?}"
            );
        }
    }

    #[test]
    fn ctrl_c_lets_running_jobs_finish_and_cancels_the_rest() {
        // `a` fails after the interruption, as an interrupted terraform does: what waits on it
        // is Cancelled, not Skipped.
        let (outcomes, log) = run_logged("a; b: a; c", 1, Direction::Forward, "a", Some(20));
        assert_eq!(log, ["start a", "end a"]);
        let expected = "\
a  FAILED: boom
b  cancelled: interrupted before it started
c  cancelled: interrupted before it started
3 stacks: 0 destroyed, 1 failed, 2 cancelled";
        assert_eq!(summary(&outcomes, "destroy", false).0, expected);
    }

    #[test]
    fn cycles_are_named_and_stacks_ordered() {
        let graph = jobs("web: app; app: network; network; dns");
        assert_eq!(
            topological_order(&graph).unwrap(),
            ["network", "app", "web", "dns"]
        );
        let cyclic = "a: c; b: a; c: b; d: a; e";
        assert_eq!(
            topological_order(&jobs(cyclic)).unwrap_err(),
            ["a", "c", "b"]
        );
        assert_eq!(topological_order(&jobs("x: x")).unwrap_err(), ["x"]);
        // The scheduler does not hang on a cycle: it fails what waits on it, runs the rest.
        let (outcomes, log) = run_logged(cyclic, 2, Direction::Forward, "", None);
        assert_eq!(log, ["start e", "end e"]);
        let (text, _) = summary(&outcomes, "plan", false);
        assert!(
            text.starts_with("a  FAILED: waits on a dependency cycle\n"),
            "{text}"
        );
        assert!(
            text.ends_with("\n5 stacks: 1 planned (0 with changes), 4 failed"),
            "{text}"
        );
    }

    #[test]
    fn the_summary_reads_a_mix_of_outcomes() {
        let elapsed = Duration::from_millis(12_345);
        let (error, because) = ("locked\nby someone".to_string(), "database".to_string());
        let outcomes = [
            ("network", Outcome::Done { code: 0, elapsed }),
            ("app", Outcome::Done { code: 2, elapsed }),
            ("database", Outcome::Failed { error, elapsed }),
            ("web", Outcome::Skipped { because }),
            ("dns", Outcome::Cancelled),
        ];
        let outcomes = outcomes.map(|(name, outcome)| (name.to_string(), outcome));
        let expected = "\
network   no changes
app       changes
database  FAILED: locked
web       skipped: needs `database`, which failed
dns       cancelled: interrupted before it started
5 stacks: 2 planned (1 with changes), 1 failed, 1 skipped, 1 cancelled";
        assert_eq!(
            summary(&outcomes, "plan", false),
            (expected.to_string(), false)
        );
        let timed = summary(&outcomes[..3], "plan", true).0;
        assert_eq!(
            timed.lines().nth(2),
            Some("database  FAILED (12.3 s): locked")
        );
        let applied = summary(&outcomes[..1], "apply", true);
        assert_eq!(
            applied,
            (
                "network  applied (12.3 s)\n1 stack: 1 applied".to_string(),
                true
            )
        );
    }
}
