//! `phases N REPS`: times the in-process phases of a synth of N copies of the seed
//! architecture, REPS times each, and prints the medians (seconds) as one JSON object:
//! building the stack, the graph checks alone, the graph alone, `synth()` + `to_json()`,
//! and the floor building and serialising the same document.

use std::time::{Duration, Instant};

use oxiform_bench::{floor_document, seed_copies, BoxError, RESOURCES_PER_COPY};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(f64::NAN, Duration::as_secs_f64)
}

fn main() -> Result<(), BoxError> {
    let usage = "usage: phases N REPS";
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or(usage)?.parse()?;
    let reps: usize = args.next().ok_or(usage)?.parse()?;
    let (mut build, mut check, mut graph, mut synth, mut floor_build, mut floor_json) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut bytes = 0;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let stack = seed_copies(n);
        build.push(t.elapsed());

        let t = Instant::now();
        stack.check().map_err(|e| e.to_string())?;
        check.push(t.elapsed());

        let t = Instant::now();
        let g = stack.graph();
        graph.push(t.elapsed());
        drop(g);

        let t = Instant::now();
        let json = stack.synth().map_err(|e| e.to_string())?.to_json()?;
        synth.push(t.elapsed());
        bytes = json.len();
        drop(json);
        drop(stack);

        let t = Instant::now();
        let doc = floor_document(n);
        floor_build.push(t.elapsed());
        let t = Instant::now();
        let json = doc.to_json()?;
        floor_json.push(t.elapsed());
        if json.len() != bytes {
            return Err("the floor wrote a different document".into());
        }
    }
    println!(
        "{}",
        serde_json::json!({
            "n": n,
            "resources": n * RESOURCES_PER_COPY,
            "bytes": bytes,
            "reps": reps,
            "build": median(build),
            "check": median(check),
            "graph": median(graph),
            "synth_json": median(synth),
            "floor_build": median(floor_build),
            "floor_json": median(floor_json),
        })
    );
    Ok(())
}
