//! The AWS API emulator fixture: moto, patched by `tests/emulator/`, on 127.0.0.1.
//!
//! [`Emulator::start`] installs the emulator on first use into a Python virtual environment
//! under `target/moto-venv` (reused while `tests/emulator/requirements.txt` is unchanged),
//! starts it on a free loopback port and waits until it answers HTTP. Dropping the
//! [`Emulator`] stops it. Nothing listens on any address but 127.0.0.1.
//!
//! ```no_run
//! use oxiform_tests::emulator::Emulator;
//! let emulator = Emulator::start();
//! let answer = emulator.query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
//! assert!(answer.body.contains("123456789012"));
//! ```

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::workspace_root;

/// The account every emulated call runs in.
pub const ACCOUNT_ID: &str = "123456789012";
/// The region the fixture's provider settings use.
pub const REGION: &str = "us-east-1";
/// The `endpoints` keys of the AWS provider that the fixture's provider block points at the
/// emulator: every service the AI-inference architecture uses.
pub const SERVICES: &[&str] = stacks::ai_inference::EMULATED_SERVICES;

/// How long the emulator may take to answer after it was spawned.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a first installation may wait for another process that is installing.
const INSTALL_LOCK_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How long the emulator gets to stop after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running emulator; stopped when dropped.
pub struct Emulator {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

/// The status and body of an HTTP answer of the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status code.
    pub status: u16,
    /// The body, decoded as UTF-8 (lossily).
    pub body: String,
}

impl Emulator {
    /// Installs the emulator if needed, starts it on a free port of 127.0.0.1 and waits until
    /// it answers. Panics with the emulator's output when it cannot start.
    pub fn start() -> Emulator {
        let python = venv_python();
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port();
            match Emulator::spawn(&python, port) {
                Ok(emulator) => return emulator,
                // Another process took the port between our probe and the emulator's bind.
                Err(log) if log.contains("failed to listen") => last_log = log,
                Err(log) => panic!("the AWS API emulator did not start:\n{log}"),
            }
        }
        panic!("the AWS API emulator found no free port on 127.0.0.1:\n{last_log}")
    }

    fn spawn(python: &Path, port: u16) -> Result<Emulator, String> {
        let log = tempfile::Builder::new()
            .prefix("moto-")
            .suffix(".log")
            .tempfile()
            .unwrap_or_else(|e| panic!("creating the emulator's log file: {e}"));
        let stdout = log
            .reopen()
            .unwrap_or_else(|e| panic!("opening the emulator's log: {e}"));
        let stderr = stdout
            .try_clone()
            .unwrap_or_else(|e| panic!("opening the emulator's log: {e}"));
        let script = emulator_dir().join("start.py");
        let child = Command::new(python)
            .arg("-u")
            .arg(&script)
            .arg(port.to_string())
            .current_dir(emulator_dir())
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {} {}: {e}", python.display(), script.display()));
        let mut emulator = Emulator { child, port, log };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match emulator.child.try_wait() {
                Ok(Some(status)) => {
                    return Err(format!(
                        "it exited ({status}) before answering on {}; its output:\n{}",
                        emulator.url(),
                        emulator.log()
                    ));
                }
                Ok(None) => {}
                Err(e) => panic!("waiting for the emulator: {e}"),
            }
            if emulator.answers() {
                return Ok(emulator);
            }
            if Instant::now() > deadline {
                // Dropping `emulator` stops the child.
                return Err(format!(
                    "it did not answer on {} within {}s; its output:\n{}",
                    emulator.url(),
                    START_TIMEOUT.as_secs(),
                    emulator.log()
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:PORT`, for provider `endpoints` and `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port the emulator listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Environment for a process that talks to the emulator with the AWS SDKs or the
    /// provider: static test credentials, region `us-east-1`, and `AWS_ENDPOINT_URL`.
    pub fn provider_env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
            ("AWS_REGION", REGION.to_owned()),
            ("AWS_DEFAULT_REGION", REGION.to_owned()),
            ("AWS_ENDPOINT_URL", self.url()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Everything the emulator printed so far: its ready line and one line per request,
    /// `HH:MM:SS METHOD service action -> status`, plus any Python traceback.
    pub fn log(&self) -> String {
        fs::read(self.log.path())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_else(|e| format!("(the emulator's log is unreadable: {e})"))
    }

    /// Sends one raw HTTP/1.0 request and returns the answer. `headers` come in addition to
    /// `Host`, `Content-Length` and `Connection: close`.
    pub fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> HttpAnswer {
        http(self.port, method, path, headers, body).unwrap_or_else(|e| {
            panic!(
                "{method} {}{path}: {e}\nemulator output:\n{}",
                self.url(),
                self.log()
            )
        })
    }

    /// Calls a query-protocol API (STS, IAM, EC2, ElastiCache, SNS, CloudWatch…):
    /// `params` is the form body, e.g. `Action=GetCallerIdentity&Version=2011-06-15`.
    /// `service` is the signing name that routes the call (`sts`, `elasticache`, …).
    pub fn query(&self, service: &str, params: &str) -> HttpAnswer {
        let auth = authorization(service);
        self.http(
            "POST",
            "/",
            &[
                ("Authorization", &auth),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
            ],
            params,
        )
    }

    /// Calls a JSON-protocol API (SageMaker, Step Functions, CloudWatch Logs, Application
    /// Auto Scaling…): `target` is the `X-Amz-Target` header, e.g.
    /// `SageMaker.ListEndpoints`, and `body` the JSON request.
    pub fn json(&self, service: &str, target: &str, body: &str) -> HttpAnswer {
        let auth = authorization(service);
        self.http(
            "POST",
            "/",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/x-amz-json-1.1"),
                ("X-Amz-Target", target),
            ],
            body,
        )
    }

    fn answers(&self) -> bool {
        matches!(http(self.port, "GET", "/moto-api/", &[], ""), Ok(answer) if answer.status > 0)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = self.child.id().to_string();
        let asked = Command::new("kill")
            .args(["-TERM", &pid])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if asked {
            let deadline = Instant::now() + STOP_TIMEOUT;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The folder of the emulator's scripts: `tests/emulator/`.
pub fn emulator_dir() -> PathBuf {
    workspace_root().join("tests").join("emulator")
}

/// The virtual environment the emulator runs in: `target/moto-venv`.
pub fn venv_dir() -> PathBuf {
    workspace_root().join("target").join("moto-venv")
}

/// The Python interpreter of the emulator's virtual environment, installed (once per
/// process, and safely across processes) when missing or when `requirements.txt` changed.
pub fn venv_python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(install) {
        Ok(python) => python.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn python_of(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// What the stamp file must hold for an installed venv to be reused.
fn wanted_stamp() -> Result<String, String> {
    let requirements = emulator_dir().join("requirements.txt");
    let text = fs::read_to_string(&requirements)
        .map_err(|e| format!("reading {}: {e}", requirements.display()))?;
    Ok(format!(
        "# installed from tests/emulator/requirements.txt\n{text}"
    ))
}

fn installed(venv: &Path, stamp: &str) -> bool {
    python_of(venv).exists()
        && fs::read_to_string(venv.join("oxiform-stamp.txt")).is_ok_and(|s| s == stamp)
}

fn install() -> Result<PathBuf, String> {
    let venv = venv_dir();
    let stamp = wanted_stamp()?;
    if installed(&venv, &stamp) {
        return Ok(python_of(&venv));
    }
    let _lock = InstallLock::acquire(&venv.with_extension("lock"))?;
    // Another process may have installed it while we waited for the lock.
    if installed(&venv, &stamp) {
        return Ok(python_of(&venv));
    }
    if venv.exists() {
        fs::remove_dir_all(&venv)
            .map_err(|e| format!("removing the outdated {}: {e}", venv.display()))?;
    }
    if let Some(parent) = venv.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    run(
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
        "python3 -m venv",
    )?;
    let requirements = emulator_dir().join("requirements.txt");
    run(
        Command::new(python_of(&venv))
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
        "pip install -r tests/emulator/requirements.txt",
    )?;
    fs::write(venv.join("oxiform-stamp.txt"), stamp)
        .map_err(|e| format!("writing the stamp of {}: {e}", venv.display()))?;
    Ok(python_of(&venv))
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("installing the AWS API emulator: `{what}` could not run: {e}\nhint: install python3 (with the venv module) to run the emulator tests"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "installing the AWS API emulator: `{what}` failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// A lock file held while one process installs the virtual environment.
struct InstallLock {
    path: PathBuf,
}

impl InstallLock {
    fn acquire(path: &Path) -> Result<InstallLock, String> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("creating {}: {e}", parent.display()))?;
        }
        let deadline = Instant::now() + INSTALL_LOCK_TIMEOUT;
        loop {
            match File::create_new(path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(InstallLock {
                        path: path.to_owned(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    // A lock older than the timeout was left by a process that died.
                    let stale = fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > INSTALL_LOCK_TIMEOUT);
                    if stale {
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    if Instant::now() > deadline {
                        return Err(format!(
                            "waited {}s for {} (another test process installing the emulator)\nhint: delete the lock file if no test is running",
                            INSTALL_LOCK_TIMEOUT.as_secs(),
                            path.display()
                        ));
                    }
                    thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(format!("creating the lock file {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// A port of 127.0.0.1 that nothing listened on a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("binding 127.0.0.1:0 to find a free port: {e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("reading the probe listener's port: {e}"))
        .port()
}

/// An `Authorization` header whose credential scope names `service`: moto routes a request
/// by it (the signature itself is not checked).
fn authorization(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=test/20250101/{REGION}/{service}/aws4_request, \
         SignedHeaders=host, Signature=0"
    )
}

fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<HttpAnswer> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {head:?}")))?;
    Ok(HttpAnswer {
        status,
        body: body.to_owned(),
    })
}
