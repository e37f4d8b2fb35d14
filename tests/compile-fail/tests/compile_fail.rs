//! The mistakes the generated AWS types refuse at compile time, each with rustc's message
//! pinned in `tests/ui/<case>.stderr`.
//!
//! All cases run in one trybuild project (one build of the dependencies). To accept a
//! changed message, run `TRYBUILD=overwrite cargo test -p oxiform-compile-fail` and read the
//! diff of the `.stderr` files: each must still name its argument and say its mistake. The
//! messages are rustc's, so a new compiler may reword them.

use trybuild::TestCases;

/// Required arguments and required blocks. A resource with required arguments takes them as
/// the fields of its `…Args` struct, required blocks (`min_items >= 1`) included, so leaving
/// one out is E0063 `missing field` naming it: `policy` of
/// `aws_secretsmanager_secret_policy` (an argument), `rotation_rules` of
/// `aws_secretsmanager_secret_rotation` (a block).
fn required(cases: &TestCases) {
    cases.compile_fail("tests/ui/missing_required_argument.rs");
    cases.compile_fail("tests/ui/missing_required_block.rs");
}

/// Argument types. An integer argument takes `impl Into<Value<i64>>`, so a float literal
/// (`automatically_after_days(2.5)`) is E0277 `Value<i64>: From<{float}>`, pointing at the
/// setter that wants the integer.
fn types(cases: &TestCases) {
    cases.compile_fail("tests/ui/float_for_integer.rs");
}

/// Sensitive arguments. A setter of a sensitive argument takes `impl IntoSensitive<String>`,
/// which plain literals do not implement: `secret_string("hunter2")` fails with the custom
/// message of `#[diagnostic::on_unimplemented]` on `IntoSensitive` (core/src/secret.rs),
/// which says what to pass instead.
fn sensitive(cases: &TestCases) {
    cases.compile_fail("tests/ui/literal_for_sensitive.rs");
}

/// The control: the same resources written correctly (the required argument and block
/// given, an integer, a sensitive variable and `Secret::plaintext_in_config`) compile and
/// synthesize, so each failure above comes from its one mistake.
fn correct(cases: &TestCases) {
    cases.pass("tests/ui/pass.rs");
}

#[test]
fn generated_types_refuse_mistakes_at_compile_time() {
    let cases = TestCases::new();
    required(&cases);
    types(&cases);
    sensitive(&cases);
    correct(&cases);
}
