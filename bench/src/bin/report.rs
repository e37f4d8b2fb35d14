//! `report DIR`: reads what `benches/synth.sh` measured into DIR and prints the Markdown
//! tables of `bench/README.md` (summarised in the guide's "Performance", `docs/src/this-repository.md`),
//! with the goal checks (PASS/FAIL).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oxiform_bench::{BoxError, RESOURCES_PER_COPY};
use serde_json::Value;

const COPIES: [usize; 4] = [1, 10, 100, 1000];

/// Seed ×1 (and `ai-inference-prod`) as a process, against the floor.
const GOAL_SEED: f64 = 1.5;
/// Seed ×1,000 as a process, against the floor.
const GOAL_LARGE: f64 = 3.0;
/// Largest allowed growth of a per-resource figure (peak memory ×100 → ×1,000, instructions
/// ×10 → ×1,000) before it counts as not linear. Time per resource is reported, not judged:
/// it also grows when the working set leaves the caches, which no algorithm causes.
const FLAT: f64 = 1.25;
/// The edit loop, in seconds.
const GOAL_EDIT: f64 = 10.0;
/// An app of 100 stacks against one stack of the same resources, as a process (issue #21).
const GOAL_APP: f64 = 1.2;
/// Issue 26: `synth_copies 1000` against `floor 1000`, time.
const GOAL_COPIES_26: f64 = 2.35;
/// Issue 26: `synth_copies 1000`'s peak memory against the floor's.
const GOAL_COPIES_RSS_26: f64 = 2.0;
/// Issue 26: `stacks synth ai-inference-prod-inference` against `floor_prod`.
const GOAL_PROD_26: f64 = 2.0;
/// Issue 26: the debug build of `oxiform-aws --features full`, seconds and peak KiB.
const GOAL_FULL_S: f64 = 120.0;
const GOAL_FULL_KIB: f64 = 2.0 * 1024.0 * 1024.0;
/// Issue 26: a user's crate with 11 services, clean debug build and edit loop, seconds.
const GOAL_USER_S: f64 = 90.0;
const GOAL_USER_EDIT_S: f64 = 1.0;
/// The sizes of app measured for the graph check, in stacks.
const APP_STACKS: [usize; 4] = [10, 100, 1000, 10000];
/// Largest allowed growth of the app graph check's *time* per stack for ten times the
/// stacks, when no instruction counts were taken (`--quick`): time per stack also grows as
/// the working set leaves the caches (×1.2–1.3 measured with a linear check), a quadratic step
/// grows it about tenfold.
const FLAT_TIME: f64 = 1.5;

struct Dir(PathBuf);

impl Dir {
    fn text(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(name)).ok()
    }
    fn json(&self, name: &str) -> Option<Value> {
        serde_json::from_str(&self.text(name)?).ok()
    }
    /// Median of the numbers in a file (one a line).
    fn median(&self, name: &str) -> Option<f64> {
        median(
            self.text(name)?
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect(),
        )
    }
    /// Medians, in seconds, of the steps `synth --timings` printed, one run a line
    /// (`build 0.47 ms, synth 0.12 ms, …`), in the order printed.
    fn step_medians(&self, name: &str) -> Vec<(String, f64)> {
        let mut steps: Vec<(String, Vec<f64>)> = Vec::new();
        for line in self.text(name).unwrap_or_default().lines() {
            for part in line.split(", ") {
                let Some((step, value)) = part
                    .trim()
                    .strip_suffix(" ms")
                    .and_then(|p| p.rsplit_once(' '))
                else {
                    continue;
                };
                let Ok(ms) = value.parse::<f64>() else {
                    continue;
                };
                match steps.iter_mut().find(|(s, _)| s == step) {
                    Some((_, v)) => v.push(ms / 1e3),
                    None => steps.push((step.to_owned(), vec![ms / 1e3])),
                }
            }
        }
        steps
            .into_iter()
            .filter_map(|(step, v)| Some((step, median(v)?)))
            .collect()
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// One hyperfine result: median wall time and mean CPU time (user + system), seconds.
#[derive(Clone, Copy)]
struct Timing {
    median: f64,
    cpu: f64,
}

fn hyperfine(v: &Value, index: usize) -> Option<Timing> {
    let r = v.get("results")?.get(index)?;
    Some(Timing {
        median: r.get("median")?.as_f64()?,
        cpu: r.get("user")?.as_f64()? + r.get("system")?.as_f64()?,
    })
}

fn ms(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.1 {
        format!("{:.0} ms", s * 1e3)
    } else if s >= 0.01 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-4 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn us(s: f64) -> String {
    format!("{:.2} µs", s * 1e6)
}

fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

fn size(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", bytes / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KiB", bytes / 1024.0)
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "**PASS**"
    } else {
        "**FAIL**"
    }
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".to_owned())
}

fn main() -> Result<(), BoxError> {
    let dir = Dir(PathBuf::from(
        std::env::args_os().nth(1).ok_or("usage: report DIR")?,
    ));
    if !Path::new(&dir.0).is_dir() {
        return Err(format!("{} is not a folder", dir.0.display()).into());
    }
    let mut out = String::new();
    let mut goals: Vec<(String, String, &'static str)> = Vec::new();

    // The machine.
    let machine: BTreeMap<String, String> = dir
        .text("machine.env")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let m = |k: &str| machine.get(k).cloned().unwrap_or_else(|| "?".to_owned());
    let _ = writeln!(
        out,
        "Measured {} on {} ({} cores, {} GiB), {}, commit `{}`; load average {} before and {} after the run.\n",
        m("date"),
        m("cpu"),
        m("cores"),
        m("mem_gib"),
        m("rustc"),
        m("commit"),
        m("load_before"),
        m("load_after"),
    );

    // Whole processes. A table without rows (`synth.sh --apps-only`) is left out.
    let section = out.len();
    let _ = writeln!(
        out,
        "**Whole process** (release build, hyperfine: median wall time of {} runs after warm-up; CPU = user + system; peak RSS = median of `/usr/bin/time -f %M`). Synth and floor write byte-identical files (checked by the script before timing).\n",
        m("runs")
    );
    out.push_str("| workload | resources | output | synth | floor | synth / floor | CPU synth / floor | synth per resource | peak RSS synth | peak RSS floor |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let rows = out.len();
    let mut prod_steps = String::new();
    let prod = dir.json("hf_prod.json");
    let prod_pair = prod
        .as_ref()
        .and_then(|v| Some((hyperfine(v, 0)?, hyperfine(v, 1)?)));
    if let Some((s, f)) = prod_pair {
        let resources = dir.median("resources_prod.txt").unwrap_or(f64::NAN);
        let _ = writeln!(
            out,
            "| `stacks synth ai-inference-prod-inference` (CLI, writes `main.tf.json` + `router.zip`) | {resources:.0} | {} | {} | {} | {:.2}× | {:.2}× | {} | {} | {} |",
            opt(dir.median("bytes_prod.txt").map(size)),
            ms(s.median),
            ms(f.median),
            s.median / f.median,
            s.cpu / f.cpu,
            us(s.median / resources),
            opt(dir.median("rss_prod.txt").map(mib)),
            opt(dir.median("rss_floor_prod.txt").map(mib)),
        );
        let ratio = s.median / f.median;
        let baseline = dir.json("hf_baseline.json").and_then(|v| hyperfine(&v, 0));
        let steps = dir.step_medians("timings_prod.txt");
        if !steps.is_empty() {
            let inside: f64 = steps.iter().map(|(_, t)| t).sum();
            prod_steps = format!(
                "Inside `stacks synth ai-inference-prod-inference` (`--timings`, medians of {} runs): {}; the rest of its {}, {}, is starting and ending the process (`stacks --version` alone: {}). The floor's whole run is {}.\n\n",
                dir.text("timings_prod.txt").map_or(0, |t| t.lines().count()),
                steps
                    .iter()
                    .map(|(step, t)| format!("{step} {}", ms(*t)))
                    .collect::<Vec<_>>()
                    .join(", "),
                ms(s.median),
                ms(s.median - inside),
                baseline.map_or("?".to_owned(), |b| ms(b.median)),
                ms(f.median),
            );
        }
        goals.push((
            format!("stricter than the issue's goal: `ai-inference-prod-inference` (47 resources, plus its configuration, router zip and policy gate) as a process ≤ {GOAL_SEED}× its floor"),
            format!(
                "{ratio:.2}×{}",
                baseline.map_or(String::new(), |b| format!(
                    " (the `stacks` binary alone, `stacks --version`: {})",
                    ms(b.median)
                ))
            ),
            verdict(ratio <= GOAL_SEED),
        ));
    }
    let mut per_resource: BTreeMap<usize, f64> = BTreeMap::new();
    let mut rss: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for n in COPIES {
        let Some(v) = dir.json(&format!("hf_copies_{n}.json")) else {
            continue;
        };
        let (Some(s), Some(f)) = (hyperfine(&v, 0), hyperfine(&v, 1)) else {
            continue;
        };
        let resources = (n * RESOURCES_PER_COPY) as f64;
        let rs = dir.median(&format!("rss_synth_{n}.txt"));
        let rf = dir.median(&format!("rss_floor_{n}.txt"));
        if let (Some(a), Some(b)) = (rs, rf) {
            rss.insert(n, (a, b));
        }
        per_resource.insert(n, s.median / resources);
        let _ = writeln!(
            out,
            "| seed ×{n} (`synth_copies {n}`) | {resources:.0} | {} | {} | {} | {:.2}× | {:.2}× | {} | {} | {} |",
            opt(dir.median(&format!("bytes_{n}.txt")).map(size)),
            ms(s.median),
            ms(f.median),
            s.median / f.median,
            s.cpu / f.cpu,
            us(s.median / resources),
            opt(rs.map(mib)),
            opt(rf.map(mib)),
        );
        let ratio = s.median / f.median;
        if n == 1 {
            goals.push((
                format!("the seed stack (×1, 17 resources) as a process ≤ {GOAL_SEED}× the floor"),
                format!("{ratio:.2}×"),
                verdict(ratio <= GOAL_SEED),
            ));
        }
        if n == 1000 {
            goals.push((
                format!("seed ×1,000 (17,000 resources) as a process ≤ {GOAL_LARGE}× the floor"),
                format!("{ratio:.2}× (CPU time {:.2}×)", s.cpu / f.cpu),
                verdict(ratio <= GOAL_LARGE),
            ));
        }
    }
    if out.len() == rows {
        out.truncate(section);
    } else {
        out.push('\n');
        out.push_str(&prod_steps);
    }

    // Memory: bytes per resource beyond the empty process.
    if let (Some(one), Some(hundred), Some(thousand)) = (rss.get(&1), rss.get(&100), rss.get(&1000))
    {
        let per =
            |kib: f64, n: usize| (kib - one.0) * 1024.0 / ((n - 1) * RESOURCES_PER_COPY) as f64;
        let (a, b) = (per(hundred.0, 100), per(thousand.0, 1000));
        goals.push((
            "memory grows linearly: peak RSS per resource ×100 → ×1,000".to_owned(),
            format!("{a:.0} B → {b:.0} B per resource (×{:.2})", b / a),
            verdict(b / a <= FLAT),
        ));
    }

    // In process.
    let section = out.len();
    out.push_str("**In process** (`phases N`: medians of the runs; `synth()` runs the graph checks first; per resource: build + `synth()` + `to_json()`):\n\n");
    out.push_str("| copies | resources | build stack | graph checks alone | graph alone | `synth()` + `to_json()` | floor build + JSON | oxiform per resource | floor per resource |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let rows = out.len();
    let mut inproc: BTreeMap<usize, f64> = BTreeMap::new();
    let mut floor_inproc: BTreeMap<usize, f64> = BTreeMap::new();
    for n in COPIES {
        let Some(p) = dir.json(&format!("phases_{n}.json")) else {
            continue;
        };
        let g = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        let resources = (n * RESOURCES_PER_COPY) as f64;
        let total = g("build") + g("synth_json");
        let floor = g("floor_build") + g("floor_json");
        inproc.insert(n, total / resources);
        floor_inproc.insert(n, floor / resources);
        let _ = writeln!(
            out,
            "| {n} | {resources:.0} | {} | {} | {} | {} | {} | {} | {} |",
            ms(g("build")),
            ms(g("check")),
            ms(g("graph")),
            ms(g("synth_json")),
            ms(floor),
            us(total / resources),
            us(floor / resources),
        );
        if n == 1000 {
            goals.push((
                "graph checks alone (names, duplicates, foreign references, cycles) at ×1,000"
                    .to_owned(),
                format!(
                    "{} ({} per resource)",
                    ms(g("check")),
                    us(g("check") / resources)
                ),
                "info",
            ));
        }
    }
    if out.len() == rows {
        out.truncate(section);
    } else {
        out.push('\n');
    }

    // Instructions (valgrind), the noise-free view.
    let mut ir: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for n in COPIES {
        if let (Some(s), Some(f)) = (
            dir.median(&format!("ir_synth_{n}.txt")),
            dir.median(&format!("ir_floor_{n}.txt")),
        ) {
            ir.insert(n, (s, f));
        }
    }
    if !ir.is_empty() {
        out.push_str("**Instructions per resource** (whole process, user space, `valgrind --tool=cachegrind`: exact counts, no noise):\n\n");
        out.push_str("| workload | synth | floor | synth / floor |\n|---|---:|---:|---:|\n");
        for (n, (s, f)) in &ir {
            let r = (n * RESOURCES_PER_COPY) as f64;
            let _ = writeln!(
                out,
                "| seed ×{n} | {:.0} | {:.0} | {:.2}× |",
                s / r,
                f / r,
                s / f
            );
        }
        out.push('\n');
        if let (Some(a), Some(b)) = (ir.get(&10), ir.get(&1000)) {
            let (a, b) = (a.0 / 170.0, b.0 / 17_000.0);
            goals.push((
                "no quadratic step: instructions per resource ×10 → ×1,000".to_owned(),
                format!("{a:.0} → {b:.0} (×{:.2})", b / a),
                verdict(b / a <= FLAT),
            ));
        }
    }
    if let (Some(a), Some(b), Some(fa), Some(fb)) = (
        inproc.get(&100),
        inproc.get(&1000),
        floor_inproc.get(&100),
        floor_inproc.get(&1000),
    ) {
        goals.push((
            "time per resource ×100 → ×1,000, in process".to_owned(),
            format!(
                "{} → {} (×{:.2}); floor {} → {} (×{:.2})",
                us(*a),
                us(*b),
                b / a,
                us(*fa),
                us(*fb),
                fb / fa
            ),
            "info",
        ));
    }
    if let (Some(a), Some(b)) = (per_resource.get(&100), per_resource.get(&1000)) {
        let floor = |n: usize| {
            dir.json(&format!("hf_copies_{n}.json"))
                .and_then(|v| hyperfine(&v, 1))
                .map(|t| t.median / (n * RESOURCES_PER_COPY) as f64)
        };
        let floor = match (floor(100), floor(1000)) {
            (Some(fa), Some(fb)) => {
                format!("; floor {} → {} (×{:.2})", us(fa), us(fb), fb / fa)
            }
            _ => String::new(),
        };
        goals.push((
            "time per resource ×100 → ×1,000, whole process".to_owned(),
            format!("{} → {} (×{:.2}){floor}", us(*a), us(*b), b / a),
            "info",
        ));
    }

    apps(&dir, &mut out, &mut goals);

    // Edit loop and builds.
    let edit = dir.median("edit_loop.txt");
    let clean = dir.median("clean_build.txt");
    let rebuilt = dir.text("rebuilt.txt").unwrap_or_default();
    let rebuilt: Vec<&str> = rebuilt.split_whitespace().collect();
    let section = out.len();
    out.push_str("**Edit loop and builds** (debug profile):\n\n| step | time |\n|---|---:|\n");
    let rows = out.len();
    if let Some(e) = edit {
        let _ = writeln!(
            out,
            "| `touch stacks/src/ai_inference.rs && cargo run -q -p stacks -- synth --out DIR` (incremental; median of {}) | {} |",
            m("edit_runs"),
            ms(e)
        );
        goals.push((
            format!("edit loop (touch a stack, `cargo run -p stacks -- synth`) < {GOAL_EDIT} s"),
            ms(e),
            verdict(e < GOAL_EDIT),
        ));
    }
    if let Some(c) = clean {
        let _ = writeln!(
            out,
            "| clean `cargo build -p stacks` (empty target directory) | {} |",
            ms(c)
        );
    }
    if !rebuilt.is_empty() {
        let _ = writeln!(
            out,
            "| crates compiled after the touch (`cargo build --timings`) | {} |",
            rebuilt
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let heavy: Vec<&&str> = rebuilt
            .iter()
            .filter(|c| ["tokio", "aws-config", "aws-sdk-sts"].contains(c))
            .collect();
        goals.push((
            "a stack edit recompiles no `tokio`, `aws-config`, `aws-sdk-sts`".to_owned(),
            format!("recompiled: {}", rebuilt.join(", ")),
            verdict(heavy.is_empty()),
        ));
    }
    if out.len() == rows {
        out.truncate(section);
    } else {
        out.push('\n');
    }

    issue_26(&dir, &mut out, &mut goals);

    out.push_str("**Goals**, checked from the numbers above:\n\n| goal | measured | result |\n|---|---|---|\n");
    for (goal, measured, result) in &goals {
        let _ = writeln!(out, "| {goal} | {measured} | {result} |");
    }
    print!("{out}");
    Ok(())
}

/// The apps of issue #21: `synth_app 100` against `synth_copies 100`, and the app graph
/// check at 10 to 10,000 stacks.
fn apps(dir: &Dir, out: &mut String, goals: &mut Vec<(String, String, &'static str)>) {
    // The hyperfine rounds (`hf_app_100_r1.json` …), each timing both programs.
    let rounds: Vec<Value> = (1..)
        .map_while(|r| dir.json(&format!("hf_app_100_r{r}.json")))
        .collect();
    let times = |index: usize| -> Vec<f64> {
        rounds
            .iter()
            .filter_map(|v| v["results"][index]["times"].as_array())
            .flatten()
            .filter_map(Value::as_f64)
            .collect()
    };
    let cpu = |index: usize| -> Vec<f64> {
        rounds
            .iter()
            .filter_map(|v| hyperfine(v, index))
            .map(|t| t.cpu)
            .collect()
    };
    let round_ratios: Vec<f64> = rounds
        .iter()
        .filter_map(|v| Some(hyperfine(v, 0)?.median / hyperfine(v, 1)?.median))
        .collect();
    let pair = median(times(0))
        .zip(median(times(1)))
        .zip(median(cpu(0)).zip(median(cpu(1))))
        .zip(median(round_ratios.clone()))
        .map(|(((a, o), (ca, co)), ratio)| {
            (
                Timing { median: a, cpu: ca },
                Timing { median: o, cpu: co },
                ratio,
            )
        });
    let phases = dir.json("app_phases_100.json");
    if pair.is_none() && phases.is_none() {
        return;
    }
    let resources = 100 * RESOURCES_PER_COPY;
    let (bytes_app, bytes_one) = (dir.median("bytes_app_100.txt"), dir.median("bytes_100.txt"));
    let ir = dir
        .median("ir_app_100.txt")
        .zip(dir.median("ir_synth_100.txt"));
    let _ = writeln!(
        out,
        "**An app of 100 stacks** (issue #21): `synth_app 100`, 100 stacks (`seed-0` … `seed-99`) of one seed copy each, 99 reads across stacks (a chain: stack i reads the export `large_endpoint` of stack i − 1, as the `UPSTREAM_ENDPOINT` variable of its router Lambda), against `synth_copies 100`, the same {resources} resources in one stack. Both serialise every document to a `String` and write the bytes to one flushed file (the app's documents one after the other); the app also writes a document header (`terraform`, `provider`) per stack, 99 outputs, 99 remote states and 99 variables more.\n"
    );
    out.push_str("| workload | output | app | one stack | app / one stack | CPU app / one | instructions app / one | peak RSS app | peak RSS one |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    if let Some((a, o, ratio)) = pair {
        let _ = writeln!(
            out,
            "| whole process (hyperfine, {} rounds of {} runs of each; median of every run; ratio: median of the rounds' ratios, {}) | {} vs {} | {} | {} | {ratio:.2}× | {:.2}× | {} | {} | {} |",
            rounds.len(),
            times(0).len() / rounds.len().max(1),
            round_ratios
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            opt(bytes_app.map(size)),
            opt(bytes_one.map(size)),
            ms(a.median),
            ms(o.median),
            a.cpu / o.cpu,
            opt(ir.map(|(a, o)| format!("{:.2}× ({:.1} M / {:.1} M)", a / o, a / 1e6, o / 1e6))),
            opt(dir.median("rss_app_100.txt").map(mib)),
            opt(dir.median("rss_synth_100.txt").map(mib)),
        );
    }
    let files = dir
        .json("hf_app_files_100.json")
        .and_then(|v| hyperfine(&v, 0));
    if let Some(f) = files {
        let _ = writeln!(
            out,
            "| info: `synth_app 100 --files`, a flushed `main.tf.json` per stack as the command line writes an app | | {} | | | | | | |",
            ms(f.median)
        );
    }
    out.push('\n');
    let mut in_process = None;
    if let Some(p) = &phases {
        let g = |k: &str| p.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        let (app, one) = (
            g("app_build") + g("app_synth_json"),
            g("build") + g("synth_json"),
        );
        in_process = Some(app / one);
        let _ = writeln!(
            out,
            "In process (`app_phases 100 {}`: app and one stack built and synthesised alternately in one process, medians): build {} against {}; `app.synth()` + every `to_json()` {} against `synth()` + `to_json()` {}; in all {} against {} ({:.2}×). Within the app's synth: `app.check()` alone {}, `app.graph()` alone {}.\n",
            p.get("reps").and_then(Value::as_u64).unwrap_or(0),
            ms(g("app_build")),
            ms(g("build")),
            ms(g("app_synth_json")),
            ms(g("synth_json")),
            ms(app),
            ms(one),
            app / one,
            ms(g("app_check")),
            ms(g("app_graph")),
        );
    }
    if let Some((a, o, ratio)) = pair {
        let mut measured = format!("{ratio:.2}× as a process (CPU {:.2}×)", a.cpu / o.cpu);
        if let Some(r) = in_process {
            let _ = write!(measured, "; {r:.2}× in process");
        }
        if let Some((a, o)) = ir {
            let _ = write!(measured, "; {:.2}× the instructions", a / o);
        }
        goals.push((
            format!("an app of 100 stacks × 17 resources with 99 reads across stacks (chain) ≤ {GOAL_APP}× one stack of the same resources (`synth_copies 100`), as a process"),
            measured,
            verdict(ratio <= GOAL_APP),
        ));
    }

    // The app graph check.
    let rows: Vec<(usize, Value)> = APP_STACKS
        .iter()
        .filter_map(|&n| Some((n, dir.json(&format!("app_graph_{n}.json"))?)))
        .collect();
    if rows.is_empty() {
        return;
    }
    out.push_str("**The app graph check** (`app_graph N`: an app of N seed stacks, N − 1 reads in a chain, built once; medians of the runs; instructions inside `App::check` alone, `valgrind --tool=callgrind --toggle-collect`). `app.check()` is every stack's own checks (names, duplicates, foreign references, cycles) and the app's (stack names, backends, reads, cycles between stacks); `app.graph()` is the reads and the edges alone:\n\n");
    out.push_str("| stacks | resources | edges | `app.check()` | per stack | instructions per stack | `app.graph()` | per stack | `order()` |\n");
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut per_stack: BTreeMap<usize, (f64, Option<f64>)> = BTreeMap::new();
    for (n, v) in &rows {
        let g = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        let ir = dir
            .median(&format!("ir_app_check_{n}.txt"))
            .map(|i| i / *n as f64);
        per_stack.insert(*n, (g("check_per_stack"), ir));
        let _ = writeln!(
            out,
            "| {n} | {} | {} | {} | {} | {} | {} | {} | {} |",
            n * RESOURCES_PER_COPY,
            v.get("edges").and_then(Value::as_u64).unwrap_or(0),
            ms(g("check")),
            us(g("check_per_stack")),
            opt(ir.map(|i| format!("{i:.0}"))),
            ms(g("graph")),
            us(g("graph_per_stack")),
            ms(g("order")),
        );
    }
    out.push('\n');
    // Linear: per-stack figures from 100 stacks to the largest size measured.
    let (Some(&(t100, ir100)), Some((&last, &(tn, irn)))) =
        (per_stack.get(&100), per_stack.iter().next_back())
    else {
        return;
    };
    if last <= 100 {
        return;
    }
    let times = per_stack
        .iter()
        .map(|(n, (t, _))| format!("{n}: {}", us(*t)))
        .collect::<Vec<_>>()
        .join(", ");
    let decades = (last as f64 / 100.0).log10();
    let (ok, basis) = match (ir100, irn) {
        (Some(a), Some(b)) => (
            b / a <= FLAT,
            format!(
                "instructions per stack 100 → {last}: {a:.0} → {b:.0} (×{:.2}, ≤ {FLAT})",
                b / a
            ),
        ),
        _ => (
            (tn / t100).powf(1.0 / decades) <= FLAT_TIME,
            format!(
                "time per stack 100 → {last}: ×{:.2} (no instruction counts; ≤ {FLAT_TIME}× per tenfold)",
                tn / t100
            ),
        ),
    };
    goals.push((
        "the app graph check (`app.check()`) grows linearly with the number of stacks".to_owned(),
        format!("time per stack {times}; {basis}"),
        verdict(ok),
    ));
}

/// Issue 26's table: synth at scale against its floor, and the builds, each with its goal.
fn issue_26(dir: &Dir, out: &mut String, goals: &mut Vec<(String, String, &'static str)>) {
    let mut rows: Vec<(String, String, String, bool)> = Vec::new();
    let pair = |name: &str| {
        let v = dir.json(name)?;
        Some((hyperfine(&v, 0)?, hyperfine(&v, 1)?))
    };
    if let Some((s, f)) = pair("hf_copies_1000.json") {
        let ratio = s.median / f.median;
        rows.push((
            "`synth_copies 1000` vs `floor 1000`, time".to_owned(),
            format!("{ratio:.2}× ({} vs {})", ms(s.median), ms(f.median)),
            format!("≤ {GOAL_COPIES_26}×"),
            ratio <= GOAL_COPIES_26,
        ));
    }
    if let (Some(s), Some(f)) = (
        dir.median("rss_synth_1000.txt"),
        dir.median("rss_floor_1000.txt"),
    ) {
        let ratio = s / f;
        rows.push((
            "`synth_copies 1000` vs `floor 1000`, peak memory".to_owned(),
            format!("{ratio:.2}× ({} vs {})", mib(s), mib(f)),
            format!("≤ {GOAL_COPIES_RSS_26}×"),
            ratio <= GOAL_COPIES_RSS_26,
        ));
    }
    if let Some((s, f)) = pair("hf_prod.json") {
        let ratio = s.median / f.median;
        rows.push((
            "`stacks synth ai-inference-prod-inference` vs `floor_prod`".to_owned(),
            format!("{ratio:.2}× ({} vs {})", ms(s.median), ms(f.median)),
            format!("≤ {GOAL_PROD_26}×"),
            ratio <= GOAL_PROD_26,
        ));
    }
    // `/usr/bin/time -f "%e %M"`: wall seconds, peak KiB of the largest process (a rustc).
    let wall_and_peak = |name: &str| -> Option<(f64, f64)> {
        let text = dir.text(name)?;
        let mut numbers = text
            .split_whitespace()
            .filter_map(|w| w.parse::<f64>().ok());
        Some((numbers.next()?, numbers.next()?))
    };
    let gib = |kib: f64| format!("{:.2} GiB", kib / 1024.0 / 1024.0);
    if let Some((wall, peak)) = wall_and_peak("build_full.txt") {
        rows.push((
            "`cargo build -p oxiform-aws --features full`, debug, empty target folder: wall"
                .to_owned(),
            ms(wall),
            format!("≤ {GOAL_FULL_S:.0} s"),
            wall <= GOAL_FULL_S,
        ));
        rows.push((
            "the same: peak memory of one rustc".to_owned(),
            gib(peak),
            "≤ 2 GiB".to_owned(),
            peak <= GOAL_FULL_KIB,
        ));
    }
    if let Some((wall, _)) = wall_and_peak("build_user.txt") {
        rows.push((
            "a user's crate with 11 services, clean debug build".to_owned(),
            ms(wall),
            format!("≤ {GOAL_USER_S:.0} s"),
            wall <= GOAL_USER_S,
        ));
    }
    if let Some(edit) = dir.median("edit_user.txt") {
        rows.push((
            "the same crate's edit loop (touch `main.rs`, build; median)".to_owned(),
            ms(edit),
            format!("< {GOAL_USER_EDIT_S:.0} s"),
            edit < GOAL_USER_EDIT_S,
        ));
    }
    if rows.is_empty() {
        return;
    }
    out.push_str("**Issue 26** (synth at scale and the builds):\n\n| measure | now | goal |\n|---|---|---|\n");
    for (measure, now, goal, ok) in rows {
        let _ = writeln!(out, "| {measure} | {now} | {goal} |");
        goals.push((format!("issue 26: {measure} {goal}"), now, verdict(ok)));
    }
    out.push('\n');
}
