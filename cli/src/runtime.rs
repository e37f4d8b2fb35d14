//! The single-threaded async runtime the commands that talk to STS or run terraform block on.

use anyhow::Context;

/// A current-thread tokio runtime with I/O and timers: one command runs one task at a time.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}
