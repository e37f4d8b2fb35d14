//! Fixtures shared by the test suite: a terraform working directory wired to the provider
//! mirror, and insta settings that put snapshots in the repository's `snapshots/`.

pub mod actionlint;
pub mod emulator;
#[rustfmt::skip]
pub mod every_type;
pub mod review;
pub mod terraform;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding the virtual `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// insta settings of this project: snapshots in `snapshots/`, no module prefix, no
/// expression, no redactions.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace_root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Asserts a snapshot under this project's settings.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        $crate::snapshot_settings().bind(|| insta::assert_snapshot!($name, $value))
    };
}

/// Runs a stacks binary's command line in process (`args` without the program name):
/// exit code, stdout, stderr.
pub fn run_cli(app: &oxiform_cli::App, args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("stacks").chain(args.iter().copied());
    let code = oxiform_cli::execute(argv, app, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// [`run_cli`] as one transcript: the command line, the exit code, stdout and stderr.
pub fn transcript(app: &oxiform_cli::App, args: &[&str]) -> String {
    let (code, out, err) = run_cli(app, args);
    format!(
        "$ stacks {}\nexit code: {code}\n--- stdout\n{out}--- stderr\n{err}",
        args.join(" ")
    )
}
