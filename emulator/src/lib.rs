//! # oxiform-emulator
//!
//! The AWS API emulator that `stacks emulator` serves and the end-to-end tests apply stacks
//! against: [moto](https://github.com/getmoto/moto)'s server, pinned
//! (`moto/requirements.txt`) and patched where it is missing an action or answers
//! differently from AWS (`moto/patches/`), on 127.0.0.1 only.
//!
//! One implementation for both users: the command line and the test fixture call
//! [`install()`](install()) (a Python virtual environment under `target/moto-venv`, made on first use and
//! reused while the pinned requirements are unchanged) and [`Installed::command`] (the
//! server process, configured; the caller chooses where its output goes).
//!
//! ```no_run
//! let installed = oxiform_emulator::install(&oxiform_emulator::default_home())?;
//! let mut server = installed.command(oxiform_emulator::DEFAULT_PORT).spawn()?;
//! oxiform_emulator::wait_until_ready(oxiform_emulator::DEFAULT_PORT, &mut server)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub mod install;
pub mod redis;

// In a module of its own so that `install` and `redis` need not import the crate root,
// which calls them.
pub use error::Error;

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The account every emulated call runs in.
pub const ACCOUNT_ID: &str = "123456789012";
/// The region clients of the emulator use.
pub const REGION: &str = "us-east-1";
/// The port `stacks emulator` listens on unless told otherwise: the one the local stacks
/// expect when `OXIFORM_EMULATOR_URL` is not set.
pub const DEFAULT_PORT: u16 = 5000;
/// How long the emulator may take to answer after it was spawned.
pub const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The pinned requirements the virtual environment is installed from.
const REQUIREMENTS: &str = include_str!("../moto/requirements.txt");

/// The server script and the patches, written next to the virtual environment on start so
/// that a stacks binary built anywhere carries the emulator it was built with.
const SCRIPTS: &[(&str, &str)] = &[
    ("start.py", include_str!("../moto/start.py")),
    (
        "patches/__init__.py",
        include_str!("../moto/patches/__init__.py"),
    ),
    (
        "patches/applicationautoscaling.py",
        include_str!("../moto/patches/applicationautoscaling.py"),
    ),
    ("patches/batch.py", include_str!("../moto/patches/batch.py")),
    ("patches/ec2.py", include_str!("../moto/patches/ec2.py")),
    (
        "patches/elasticache.py",
        include_str!("../moto/patches/elasticache.py"),
    ),
    (
        "patches/sagemaker.py",
        include_str!("../moto/patches/sagemaker.py"),
    ),
    (
        "patches/stepfunctions.py",
        include_str!("../moto/patches/stepfunctions.py"),
    ),
];

/// Where tools are installed: `$OXIFORM_HOME` when set, else the cargo target folder the
/// running executable was built into (`target/` of `target/debug/stacks` and of
/// `target/debug/deps/<test>`), else `./target`.
pub fn default_home() -> PathBuf {
    if let Some(home) = std::env::var_os("OXIFORM_HOME") {
        return PathBuf::from(home);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .take(3)
                .find(|dir| dir.join("CACHEDIR.TAG").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// An installed emulator: the virtual environment's Python and the folder of its scripts.
#[derive(Debug, Clone)]
pub struct Installed {
    /// `<home>/moto-venv/bin/python`.
    pub python: PathBuf,
    /// `<home>/moto-venv/oxiform-emulator`: `start.py` and `patches/`.
    pub scripts: PathBuf,
}

/// The virtual environment's folder under `home`.
pub fn venv_dir(home: &Path) -> PathBuf {
    home.join("moto-venv")
}

/// Installs the emulator under `home` when it is missing or its requirements changed
/// (`python3 -m venv`, then `pip install` of the pinned requirements: about 25 s with a
/// warm pip cache), and writes the current scripts next to it.
pub fn install(home: &Path) -> Result<Installed, Error> {
    let venv = venv_dir(home);
    let python = venv.join("bin").join("python");
    let stamp = format!("# installed from emulator/moto/requirements.txt\n{REQUIREMENTS}");
    install::ensure(&venv, &stamp, "the AWS API emulator", |venv| {
        run(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            "python3 -m venv",
        )?;
        let requirements = venv.join("requirements.txt");
        fs::write(&requirements, REQUIREMENTS)
            .map_err(|e| Error::io(format!("writing {}", requirements.display()), e))?;
        run(
            Command::new(venv.join("bin").join("python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                    "-q",
                    "-r",
                ])
                .arg(&requirements)
                .env("PIP_NO_INPUT", "1"),
            "pip install -r requirements.txt",
        )
    })?;
    let scripts = venv.join("oxiform-emulator");
    for (name, text) in SCRIPTS {
        write_if_changed(&scripts.join(name), text)?;
    }
    Ok(Installed { python, scripts })
}

impl Installed {
    /// The server on `127.0.0.1:port`, ready to spawn: `python -u start.py PORT` in the
    /// scripts' folder, without inherited `PYTHONPATH`/`PYTHONHOME`. stdin is closed; the
    /// caller decides where stdout (the ready line) and stderr (one line per request) go.
    pub fn command(&self, port: u16) -> Command {
        let mut command = Command::new(&self.python);
        command
            .arg("-u")
            .arg(self.scripts.join("start.py"))
            .arg(port.to_string())
            .current_dir(&self.scripts)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .stdin(Stdio::null());
        command
    }
}

/// A port of 127.0.0.1 that nothing listened on a moment ago (the operating system's
/// choice for port 0). Another process may still take it before the emulator binds it.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// `http://127.0.0.1:PORT`.
pub fn url(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The environment of a process that talks to the emulator at `url` with an AWS SDK or the
/// AWS provider: static test credentials, the region, and `AWS_ENDPOINT_URL`.
pub fn client_env(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_DEFAULT_REGION", REGION.to_owned()),
        ("AWS_ENDPOINT_URL", url.to_owned()),
    ]
}

/// Waits until the emulator spawned as `child` answers HTTP on `port`. Fails when it exits
/// first (a port already taken, a broken installation) or after [`START_TIMEOUT`].
pub fn wait_until_ready(port: u16, child: &mut Child) -> Result<(), Error> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Err(Error::new(
                    format!(
                        "the AWS API emulator exited ({status}) before answering on {}",
                        url(port)
                    ),
                    "its output above says why; a port in use: choose another with --port",
                ))
            }
            Ok(None) => {}
            Err(e) => return Err(Error::io("waiting for the AWS API emulator", e)),
        }
        if answers(port) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(Error::new(
                format!(
                    "the AWS API emulator did not answer on {} within {}s",
                    url(port),
                    START_TIMEOUT.as_secs()
                ),
                "its output above says why",
            ));
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// Whether something answers `GET /moto-api/` on `127.0.0.1:port`.
pub fn answers(port: u16) -> bool {
    matches!(get_status(port, "/moto-api/"), Ok(status) if status > 0)
}

fn get_status(port: u16, path: &str) -> std::io::Result<u16> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    let text = String::from_utf8_lossy(&head);
    text.strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {text:?}")))
}

fn run(command: &mut Command, what: &str) -> Result<(), Error> {
    install::run_step(
        command,
        &format!("installing the AWS API emulator: `{what}`"),
        "install python3 with its venv module (Debian: python3-venv)",
        "pip needs the Python package index (or a configured mirror) on first use",
    )
    .map(drop)
}

/// Writes `text` to `path` unless it already holds it, through a temporary file and a
/// rename so that a server starting at the same moment reads the old or the new file whole.
fn write_if_changed(path: &Path, text: &str) -> Result<(), Error> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("script"),
        std::process::id()
    ));
    fs::write(&temp, text).map_err(|e| Error::io(format!("writing {}", temp.display()), e))?;
    fs::rename(&temp, path).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_patch_module_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("moto/patches");
        let mut on_disk: Vec<String> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".py"))
            .map(|name| format!("patches/{name}"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SCRIPTS
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .filter(|name| name.starts_with("patches/"))
            .collect();
        embedded.sort();
        assert_eq!(embedded, on_disk, "add new patch files to SCRIPTS");
    }

    #[test]
    fn home_is_the_target_folder_of_the_running_binary() {
        // This test binary runs from target/<profile>/deps/.
        let home = default_home();
        assert!(
            home.join("CACHEDIR.TAG").is_file() || std::env::var_os("OXIFORM_HOME").is_some(),
            "{}",
            home.display()
        );
    }
}
