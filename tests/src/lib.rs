//! Fixtures shared by the test suite: a terraform working directory wired to the provider
//! mirror, and insta settings that put snapshots in the repository's `snapshots/`.

pub mod emulator;
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
