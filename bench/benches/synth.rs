//! In-process benchmarks (divan): building, checking and synthesising N copies of the seed
//! architecture (17 resources each) against the serialisation floor writing the same JSON,
//! and the graph checks alone at N = 1,000; apps (issue #21): the same N copies as N stacks
//! reading each other's exports (a chain), and the app graph check at 10 to 1,000 stacks.
//!
//! `cargo bench -p oxiform-bench`; the whole-process numbers of the README come from
//! `benches/synth.sh`.

use divan::Bencher;
use oxiform_bench::{floor_document, seed_app, seed_copies, synth_app_json, Shape};

fn main() {
    divan::main();
}

const COPIES: &[usize] = &[1, 10, 100, 1000];

/// Builds the stack: typed resources, handles, references (no checks, no JSON).
#[divan::bench(args = COPIES, max_time = 3)]
fn build(n: usize) -> oxiform::Stack {
    seed_copies(n)
}

/// Checks and serialises an already built stack: `synth()` then `to_json()`.
#[divan::bench(args = COPIES, max_time = 3)]
fn synth_json(bencher: Bencher, n: usize) {
    bencher
        .with_inputs(|| seed_copies(n))
        .bench_local_refs(|stack| match stack.synth() {
            Ok(doc) => doc.to_json().map(|json| json.len()).unwrap_or(0),
            Err(e) => panic!("{e}"),
        });
}

/// Everything a synth does in memory: build, check, serialise.
#[divan::bench(args = COPIES, max_time = 3)]
fn synth_total(n: usize) -> usize {
    let stack = seed_copies(n);
    match stack.synth() {
        Ok(doc) => doc.to_json().map(|json| json.len()).unwrap_or(0),
        Err(e) => panic!("{e}"),
    }
}

/// The floor: the same document from plain structs, serialised.
#[divan::bench(args = COPIES, max_time = 3)]
fn floor_total(n: usize) -> usize {
    floor_document(n)
        .to_json()
        .map(|json| json.len())
        .unwrap_or(0)
}

/// The graph checks alone (names, duplicates, foreign references, cycles) at N = 1,000.
#[divan::bench(max_time = 3)]
fn check_1000(bencher: Bencher) {
    bencher
        .with_inputs(|| seed_copies(1000))
        .bench_local_refs(|stack| stack.check().is_ok());
}

/// Building the petgraph graph alone at N = 1,000.
#[divan::bench(max_time = 3)]
fn graph_1000(bencher: Bencher) {
    bencher
        .with_inputs(|| seed_copies(1000))
        .bench_local_refs(|stack| stack.graph().edge_count());
}

/// Checks and serialises an already built app of N stacks, one seed copy each, N − 1 reading
/// another's export: `app.synth()` then every document's `to_json()` (compare with
/// `synth_json` at the same N: the same resources in one stack).
#[divan::bench(args = COPIES, max_time = 3)]
fn app_synth_json(bencher: Bencher, n: usize) {
    bencher
        .with_inputs(|| seed_app(n, Shape::Chain))
        .bench_local_refs(|app| match synth_app_json(app) {
            Ok(docs) => docs.iter().map(|(_, json)| json.len()).sum::<usize>(),
            Err(e) => panic!("{e}"),
        });
}

/// Everything an app synth does in memory: build, check, serialise (compare with
/// `synth_total`).
#[divan::bench(args = COPIES, max_time = 3)]
fn app_synth_total(n: usize) -> usize {
    match synth_app_json(&seed_app(n, Shape::Chain)) {
        Ok(docs) => docs.iter().map(|(_, json)| json.len()).sum(),
        Err(e) => panic!("{e}"),
    }
}

/// The app graph check (every stack's checks and the app's) at 10, 100 and 1,000 stacks.
#[divan::bench(args = [10, 100, 1000], max_time = 3)]
fn app_check(bencher: Bencher, n: usize) {
    bencher
        .with_inputs(|| seed_app(n, Shape::Chain))
        .bench_local_refs(|app| app.check().is_ok());
}
