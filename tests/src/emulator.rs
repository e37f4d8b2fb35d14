//! The AWS API emulator fixture: `oxiform-emulator` (moto, patched) on 127.0.0.1.
//!
//! [`Emulator::start`] installs the emulator on first use, through the same code as the
//! `emulator` command (`oxiform_emulator::install`: a virtual environment under
//! `target/moto-venv`, reused while the pinned requirements are unchanged), starts it on a
//! free loopback port and waits until it answers HTTP. Dropping the [`Emulator`] stops it.
//! Nothing listens on any address but 127.0.0.1. [`Api`] calls an emulator started any
//! other way (the `emulator` command) by its port.
//!
//! ```no_run
//! use oxiform_tests::emulator::Emulator;
//! let emulator = Emulator::start();
//! let answer = emulator.query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
//! assert!(answer.body.contains("123456789012"));
//! ```

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use oxiform_emulator::Installed;

/// The account every emulated call runs in.
pub const ACCOUNT_ID: &str = oxiform_emulator::ACCOUNT_ID;
/// The region the fixture's provider settings use.
pub const REGION: &str = oxiform_emulator::REGION;
/// The `endpoints` keys of the AWS provider that the fixture's provider block points at the
/// emulator: every service the AI-inference architecture uses.
pub const SERVICES: &[&str] = stacks::ai_inference::EMULATED_SERVICES;

/// How long the emulator gets to stop after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running emulator; stopped when dropped.
pub struct Emulator {
    child: Child,
    api: Api,
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

/// Calls to an emulator listening on `127.0.0.1:port`, however it was started.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    /// The port it listens on.
    pub port: u16,
}

impl Emulator {
    /// Installs the emulator if needed, starts it on a free port of 127.0.0.1 and waits until
    /// it answers. Panics with the emulator's output when it cannot start.
    pub fn start() -> Emulator {
        let installed = installed();
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = oxiform_emulator::free_port()
                .unwrap_or_else(|e| panic!("binding 127.0.0.1:0 to find a free port: {e}"));
            match Emulator::spawn(&installed, port) {
                Ok(emulator) => return emulator,
                // Another process took the port between our probe and the emulator's bind.
                Err(log) if log.contains("failed to listen") => last_log = log,
                Err(log) => panic!("the AWS API emulator did not start:\n{log}"),
            }
        }
        panic!("the AWS API emulator found no free port on 127.0.0.1:\n{last_log}")
    }

    fn spawn(installed: &Installed, port: u16) -> Result<Emulator, String> {
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
        let child = installed
            .command(port)
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", installed.python.display()));
        let mut emulator = Emulator {
            child,
            api: Api { port },
            log,
        };
        match oxiform_emulator::wait_until_ready(port, &mut emulator.child) {
            Ok(()) => Ok(emulator),
            // Dropping `emulator` stops the child.
            Err(e) => Err(format!("{e}\nits output:\n{}", emulator.log())),
        }
    }

    /// `http://127.0.0.1:PORT`, for provider `endpoints` and `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> String {
        self.api.url()
    }

    /// The port the emulator listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.api.port
    }

    /// Calls to this emulator.
    pub fn api(&self) -> Api {
        self.api
    }

    /// Environment for a process that talks to the emulator with the AWS SDKs or the
    /// provider: static test credentials, region `us-east-1`, and `AWS_ENDPOINT_URL`.
    pub fn provider_env(&self) -> Vec<(String, String)> {
        self.api.provider_env()
    }

    /// Everything the emulator printed so far: its ready line and one line per request,
    /// `HH:MM:SS METHOD service action -> status`, plus any Python traceback.
    pub fn log(&self) -> String {
        fs::read(self.log.path())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_else(|e| format!("(the emulator's log is unreadable: {e})"))
    }

    /// [`Api::http`], with the emulator's log in the panic message.
    pub fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> HttpAnswer {
        self.api
            .try_http(method, path, headers, body)
            .unwrap_or_else(|e| {
                panic!(
                    "{method} {}{path}: {e}\nemulator output:\n{}",
                    self.url(),
                    self.log()
                )
            })
    }

    /// [`Api::query`] on this emulator, with the emulator's log in the panic message.
    pub fn query(&self, service: &str, params: &str) -> HttpAnswer {
        self.answer_or_panic(self.api.try_query(service, params))
    }

    /// [`Api::json`] on this emulator, with the emulator's log in the panic message.
    pub fn json(&self, service: &str, target: &str, body: &str) -> HttpAnswer {
        self.answer_or_panic(self.api.try_json(service, target, body))
    }

    fn answer_or_panic(&self, answer: std::io::Result<HttpAnswer>) -> HttpAnswer {
        answer.unwrap_or_else(|e| {
            panic!(
                "POST {}/: {e}\nemulator output:\n{}",
                self.url(),
                self.log()
            )
        })
    }
}

impl Api {
    /// `http://127.0.0.1:PORT`, for provider `endpoints` and `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> String {
        oxiform_emulator::url(self.port)
    }

    /// Environment for a process that talks to the emulator with the AWS SDKs or the
    /// provider: static test credentials, region `us-east-1`, and `AWS_ENDPOINT_URL`.
    pub fn provider_env(&self) -> Vec<(String, String)> {
        oxiform_emulator::client_env(&self.url())
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    }

    /// Sends one raw HTTP/1.0 request and returns the answer. `headers` come in addition to
    /// `Host`, `Content-Length` and `Connection: close`.
    pub fn try_http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> std::io::Result<HttpAnswer> {
        http(self.port, method, path, headers, body)
    }

    /// Calls a query-protocol API (STS, IAM, EC2, ElastiCache, SNS, CloudWatch…):
    /// `params` is the form body, e.g. `Action=GetCallerIdentity&Version=2011-06-15`.
    /// `service` is the signing name that routes the call (`sts`, `elasticache`, …).
    pub fn query(&self, service: &str, params: &str) -> HttpAnswer {
        self.try_query(service, params)
            .unwrap_or_else(|e| panic!("POST {}/: {e}", self.url()))
    }

    /// [`Api::query`], returning the I/O error instead of panicking.
    pub fn try_query(&self, service: &str, params: &str) -> std::io::Result<HttpAnswer> {
        let auth = authorization(service);
        let headers = [
            ("Authorization", auth.as_str()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
        ];
        self.try_http("POST", "/", &headers, params)
    }

    /// Calls a JSON-protocol API (SageMaker, Step Functions, CloudWatch Logs, Application
    /// Auto Scaling…): `target` is the `X-Amz-Target` header, e.g.
    /// `SageMaker.ListEndpoints`, and `body` the JSON request.
    pub fn json(&self, service: &str, target: &str, body: &str) -> HttpAnswer {
        self.try_json(service, target, body)
            .unwrap_or_else(|e| panic!("POST {}/: {e}", self.url()))
    }

    /// [`Api::json`], returning the I/O error instead of panicking.
    pub fn try_json(&self, service: &str, target: &str, body: &str) -> std::io::Result<HttpAnswer> {
        let auth = authorization(service);
        let headers = [
            ("Authorization", auth.as_str()),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target),
        ];
        self.try_http("POST", "/", &headers, body)
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

/// The emulator, installed once per test process (and safely across processes) by
/// `oxiform_emulator::install` into the target folder.
pub fn installed() -> Installed {
    static INSTALLED: OnceLock<Result<Installed, String>> = OnceLock::new();
    match INSTALLED.get_or_init(|| {
        oxiform_emulator::install(&oxiform_emulator::default_home()).map_err(|e| e.to_string())
    }) {
        Ok(installed) => installed.clone(),
        Err(message) => panic!("{message}"),
    }
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
