//! `app_phases N REPS`: times, in one process and alternating, the in-process phases of an
//! app of N seed stacks (chain of N − 1 reads) and of one stack of the same resources
//! (`seed_copies N`), REPS times each, and prints the medians (seconds) as one JSON object.
//!
//! App: building it (`app_build`), `app.check()` alone (`app_check`), `app.graph()` alone
//! (`app_graph`), `app.synth()` + every document's `to_json()` (`app_synth_json`). One stack:
//! building it (`build`), `synth()` + `to_json()` (`synth_json`). Plus the bytes each writes.

use std::time::{Duration, Instant};

use oxiform_bench::{seed_app, seed_copies, synth_app_json, BoxError, Shape, RESOURCES_PER_COPY};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(f64::NAN, Duration::as_secs_f64)
}

fn main() -> Result<(), BoxError> {
    let usage = "usage: app_phases N REPS";
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or(usage)?.parse()?;
    let reps: usize = args.next().ok_or(usage)?.parse()?;
    let mut t_build = vec![];
    let mut t_synth = vec![];
    let mut t_app_build = vec![];
    let mut t_app_check = vec![];
    let mut t_app_graph = vec![];
    let mut t_app_synth = vec![];
    let (mut bytes, mut app_bytes) = (0, 0);
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let stack = seed_copies(n);
        t_build.push(t.elapsed());
        let t = Instant::now();
        let json = stack.synth().map_err(|e| e.to_string())?.to_json()?;
        t_synth.push(t.elapsed());
        bytes = json.len();
        drop(json);
        drop(stack);

        let t = Instant::now();
        let app = seed_app(n, Shape::Chain);
        t_app_build.push(t.elapsed());
        let t = Instant::now();
        app.check().map_err(|e| e.to_string())?;
        t_app_check.push(t.elapsed());
        let t = Instant::now();
        let graph = app.graph();
        t_app_graph.push(t.elapsed());
        drop(graph);
        let t = Instant::now();
        let docs = synth_app_json(&app)?;
        t_app_synth.push(t.elapsed());
        app_bytes = docs.iter().map(|(_, json)| json.len()).sum();
        drop(docs);
        drop(app);
    }
    println!(
        "{}",
        serde_json::json!({
            "n": n,
            "resources": n * RESOURCES_PER_COPY,
            "reps": reps,
            "bytes": bytes,
            "app_bytes": app_bytes,
            "build": median(t_build),
            "synth_json": median(t_synth),
            "app_build": median(t_app_build),
            "app_check": median(t_app_check),
            "app_graph": median(t_app_graph),
            "app_synth_json": median(t_app_synth),
        })
    );
    Ok(())
}
