//! `emulator`: serves the AWS API emulator on 127.0.0.1 until Ctrl-C, for trying stacks
//! locally (`apply <local stack>`, `plan`, `destroy`) without an AWS account.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;
use tokio::process::Command;
use tokio::signal::unix::{signal, SignalKind};

/// `emulator [--port N]`.
#[derive(Debug, clap::Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1; 0 picks a free one. The default is the URL local stacks use when
    /// OXIFORM_EMULATOR_URL is not set.
    #[arg(long, default_value_t = oxiform_emulator::DEFAULT_PORT)]
    port: u16,
}

/// How long the server gets to stop after it was asked to before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Installs the emulator when needed, serves it until SIGINT or SIGTERM, then stops it.
pub fn run(args: &EmulatorArgs, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let home = oxiform_emulator::default_home();
    let venv = oxiform_emulator::venv_dir(&home);
    if !venv.join(oxiform_emulator::install::STAMP_FILE).exists() {
        writeln!(
            stdout,
            "installing the AWS API emulator into {} (first use only; about 30 s)",
            venv.display()
        )?;
        stdout.flush()?;
    }
    let installed = oxiform_emulator::install(&home)?;
    let port = match args.port {
        0 => oxiform_emulator::free_port().context("binding 127.0.0.1:0 to find a free port")?,
        port => port,
    };
    let mut command = installed.command(port);
    // Its own process group: Ctrl-C at the terminal reaches only us, and we stop it once.
    command.process_group(0).stdout(Stdio::null());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(Command::from(command), port, stdout))
}

async fn serve(mut command: Command, port: u16, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    // Handlers first, so that an interrupt while it starts still stops it.
    let mut interrupt = signal(SignalKind::interrupt()).context("listening for Ctrl-C")?;
    let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    let mut child = command
        .kill_on_drop(true)
        .spawn()
        .context("starting the AWS API emulator")?;
    let pid = child.id().unwrap_or_default();
    let url = oxiform_emulator::url(port);
    let deadline = Instant::now() + oxiform_emulator::START_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait()? {
            return Err(Diagnostic::error(format!(
                "the AWS API emulator exited ({status}) before answering on {url}"
            ))
            .hint("its output above says why; when the port is taken, choose another with --port (0 picks a free one)")
            .into());
        }
        if oxiform_emulator::answers(port) {
            break;
        }
        if Instant::now() > deadline {
            stop(&mut child, pid).await;
            return Err(Diagnostic::error(format!(
                "the AWS API emulator did not answer on {url} within {}s",
                oxiform_emulator::START_TIMEOUT.as_secs()
            ))
            .hint("its output above says why")
            .into());
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = interrupt.recv() => { stop(&mut child, pid).await; return Ok(130); }
            _ = terminate.recv() => { stop(&mut child, pid).await; return Ok(143); }
        }
    }
    let exports = oxiform_emulator::client_env(&url)
        .into_iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(" ");
    writeln!(
        stdout,
        "AWS API emulator on {url} (account {}, region {})\n\
         To point other shells and tools at it:\n  \
         export OXIFORM_EMULATOR_URL={url}\n  \
         export {exports}\n\
         Ctrl-C stops it. Requests are logged below.",
        oxiform_emulator::ACCOUNT_ID,
        oxiform_emulator::REGION,
    )?;
    stdout.flush()?;
    tokio::select! {
        status = child.wait() => {
            return Err(Diagnostic::error(format!(
                "the AWS API emulator stopped by itself ({})",
                status?
            ))
            .hint("its output above says why")
            .into());
        }
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    stop(&mut child, pid).await;
    writeln!(stdout, "AWS API emulator stopped")?;
    Ok(0)
}

/// Asks the server to stop (SIGTERM), waits for it, and kills it after [`STOP_TIMEOUT`].
async fn stop(child: &mut tokio::process::Child, pid: u32) {
    if pid != 0 {
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .await;
    }
    if tokio::time::timeout(STOP_TIMEOUT, child.wait())
        .await
        .is_err()
    {
        let _ = child.kill().await;
    }
}
