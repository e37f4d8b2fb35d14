//! `app_graph N REPS [chain|star]`: builds an app of N seed stacks (17 resources each,
//! N − 1 reads across stacks in the given shape, `chain` by default) once, then times
//! `app.check()` (every stack's checks and the app's: names, backends, reads, cycles),
//! `app.graph()` alone and `graph.order()` alone, REPS times each, and prints the medians
//! (seconds) as one JSON object with the time per stack.

use std::time::{Duration, Instant};

use oxiform_bench::{seed_app, BoxError, Shape};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(f64::NAN, Duration::as_secs_f64)
}

fn main() -> Result<(), BoxError> {
    let usage = "usage: app_graph N REPS [chain|star]";
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or(usage)?.parse()?;
    let reps: usize = args.next().ok_or(usage)?.parse()?;
    let shape = match args.next() {
        None => Shape::Chain,
        Some(s) => Shape::parse(&s).ok_or(usage)?,
    };
    let t = Instant::now();
    let app = seed_app(n, shape);
    let build = t.elapsed().as_secs_f64();
    let (mut check, mut graph, mut order) = (vec![], vec![], vec![]);
    let mut edges = 0;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        app.check().map_err(|e| e.to_string())?;
        check.push(t.elapsed());
        let t = Instant::now();
        let g = app.graph();
        graph.push(t.elapsed());
        let t = Instant::now();
        let stacks = g.order().map_or(0, |o| o.len());
        order.push(t.elapsed());
        if stacks != n {
            return Err(format!("the app graph orders {stacks} of {n} stacks").into());
        }
        edges = g.edges().len();
    }
    let (check, graph, order) = (median(check), median(graph), median(order));
    let per = |s: f64| s / n.max(1) as f64;
    println!(
        "{}",
        serde_json::json!({
            "n": n,
            "shape": shape.name(),
            "edges": edges,
            "reps": reps,
            "build": build,
            "check": check,
            "graph": graph,
            "order": order,
            "check_per_stack": per(check),
            "graph_per_stack": per(graph),
            "order_per_stack": per(order),
        })
    );
    Ok(())
}
