//! The seed architecture as an app: one stack per copy, reading each other's exports.
//!
//! [`seed_app`]`(n, shape)` holds the same `17 · n` resources as
//! [`seed_copies`](crate::seed_copies)`(n)`, with the same names, but one copy per stack
//! (`seed-0` … `seed-{n-1}`, each with its own provider block) and `n − 1` reads of an export
//! across stacks. A read is one more environment variable of the reading copy's router Lambda
//! (`UPSTREAM_ENDPOINT`), whose value is the producer's large endpoint name read through
//! `terraform_remote_state`; the producer writes it as an output. So against one stack of the
//! same resources an app writes a document header per stack, `n − 1` outputs, `n − 1` remote
//! states and `n − 1` environment variables more: the comparison is strict for the app.

use oxiform::prelude::*;

use crate::seed::add_copy_reading;
use crate::REGION;

/// Which stacks read which in a [`seed_app`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Stack `i` reads the export of stack `i − 1`: a chain as deep as the app (the benchmark's
    /// choice: the longest path through the app graph, `n − 1` producers).
    Chain,
    /// Every stack reads the one export of stack `seed-0`, like a shared network stack that
    /// all services read: one producer, `n − 1` readers.
    Star,
}

impl Shape {
    /// The shape's name on the command line: `chain` or `star`.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Chain => "chain",
            Shape::Star => "star",
        }
    }

    /// Reads `chain` or `star`.
    pub fn parse(text: &str) -> Option<Shape> {
        match text {
            "chain" => Some(Shape::Chain),
            "star" => Some(Shape::Star),
            _ => None,
        }
    }
}

/// The name of export each producer writes (its large endpoint's name).
pub const EXPORT: &str = "large_endpoint";

/// An app of `n` stacks, stack `seed-i` holding copy `i` of the seed architecture, with
/// local state (no backend block, like [`seed_copies`](crate::seed_copies)'s stack) and
/// `n − 1` reads across stacks in `shape`.
pub fn seed_app(n: usize, shape: Shape) -> App {
    let mut app = App::new(format!("seed-app-x{n}"));
    app.backend(AppBackend::local());
    // The export the next stack reads, as returned by the producer's `Stack::export`.
    let mut upstream: Option<Export<String>> = None;
    for i in 0..n {
        let mut stack = Stack::new(format!("seed-{i}"));
        stack.provider(AwsProvider::new(REGION));
        let large = add_copy_reading(&mut stack, i, upstream.map(|e| e.value()));
        let exports = match shape {
            Shape::Chain => i + 1 < n,
            Shape::Star => i == 0 && n > 1,
        };
        if exports {
            upstream = Some(stack.export(EXPORT, Output::new(large.name())));
        }
        app.add(stack);
    }
    app
}

/// Synthesises `app` and serialises every stack's document: (stack name, JSON text), in the
/// order the stacks were added.
pub fn synth_app_json(app: &App) -> Result<Vec<(String, String)>, crate::BoxError> {
    let docs = app.synth().map_err(|e| e.to_string())?;
    docs.iter()
        .map(|(stack, doc)| Ok((stack.name().to_owned(), doc.to_json()?)))
        .collect()
}
