//! Synth benchmarks (being written).
