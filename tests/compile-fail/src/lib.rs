//! Compile-fail tests for the generated AWS types (`tests/compile_fail.rs`).
//!
//! The generated types turn four mistakes into compile errors: a missing required
//! argument, a missing required block, a float where the schema wants an integer, and a
//! plain literal passed to a sensitive argument. Each case in `tests/ui/` makes one of them
//! and pins rustc's message in its `.stderr` file (with [trybuild]), so a change to the
//! generator or the core that lets a mistake compile, or makes its message worse, shows up
//! as a failing test and a diff; `tests/ui/pass.rs` writes the same resources correctly, so
//! each failure comes from its mistake alone.
//!
//! The library is empty: the crate exists for its tests and for the small set of AWS
//! services (features of `oxiform`) that they are built with.
//!
//! [trybuild]: https://docs.rs/trybuild
