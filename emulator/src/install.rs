//! Installs a tool once into a folder of its own under `target/` (a Python virtual
//! environment, an unpacked Debian package), safely when several processes want it first.
//!
//! The folder holds a stamp file naming what it was installed from. [`ensure`] reuses the
//! folder while the stamp matches; otherwise it takes a lock file beside the folder
//! (`<folder>.lock`, created with `create_new`, so exactly one process installs), checks the
//! stamp again (another process may have finished meanwhile), installs into an empty folder
//! and writes the stamp last, so a folder whose install was interrupted is never reused.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::Error;

/// How long a first installation waits for another process that is installing; a lock file
/// older than this was left by a process that died, and is removed.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The stamp file inside an installed folder.
pub const STAMP_FILE: &str = "oxiform-stamp.txt";

/// Makes sure `dir` holds an installation stamped `stamp`: returns at once when it does,
/// otherwise runs `install` on an empty `dir` under the lock and then writes the stamp.
/// `what` names the tool in messages ("the AWS API emulator", "Redis").
pub fn ensure(
    dir: &Path,
    stamp: &str,
    what: &str,
    install: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    if is_installed(dir, stamp) {
        return Ok(());
    }
    let _lock = Lock::acquire(&lock_path(dir), what)?;
    if is_installed(dir, stamp) {
        return Ok(());
    }
    if dir.exists() {
        fs::remove_dir_all(dir)
            .map_err(|e| Error::io(format!("removing the outdated {}", dir.display()), e))?;
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    install(dir)?;
    fs::write(dir.join(STAMP_FILE), stamp)
        .map_err(|e| Error::io(format!("writing the stamp of {}", dir.display()), e))
}

/// One step of an installation: runs `command` and returns its stdout. `step` names it in
/// messages (`installing Redis: \`apt-get download\` failed …`); `cannot_run` is the hint
/// when the program is missing, `failed` the hint when it fails.
pub fn run_step(
    command: &mut Command,
    step: &str,
    cannot_run: &str,
    failed: &str,
) -> Result<String, Error> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(format!("{step} could not run: {e}"), cannot_run))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    Err(Error::new(
        format!(
            "{step} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        failed,
    ))
}

/// Whether `dir` was fully installed from `stamp`.
pub fn is_installed(dir: &Path, stamp: &str) -> bool {
    fs::read_to_string(dir.join(STAMP_FILE)).is_ok_and(|s| s == stamp)
}

fn lock_path(dir: &Path) -> PathBuf {
    dir.with_extension("lock")
}

/// A lock file held while one process installs.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn acquire(path: &Path, what: &str) -> Result<Lock, Error> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        }
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            match File::create_new(path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock {
                        path: path.to_owned(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if is_stale(path) {
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    if Instant::now() > deadline {
                        return Err(Error::new(
                            format!(
                                "waited {}s for {} (another process installing {what})",
                                LOCK_TIMEOUT.as_secs(),
                                path.display()
                            ),
                            "delete the lock file if no other process is installing",
                        ));
                    }
                    thread::sleep(Duration::from_millis(500));
                }
                Err(e) => {
                    return Err(Error::io(
                        format!("creating the lock file {}", path.display()),
                        e,
                    ))
                }
            }
        }
    }
}

fn is_stale(path: &Path) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > LOCK_TIMEOUT)
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_and_reinstalls_when_the_stamp_changes() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = root.path().join("tool");
        let mut runs = 0;
        for stamp in ["v1", "v1", "v2"] {
            ensure(&dir, stamp, "a tool", |d| {
                runs += 1;
                fs::write(d.join("bin"), stamp).map_err(|e| Error::io("writing", e))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(runs, 2, "v1 installed once, then v2");
        assert_eq!(
            fs::read_to_string(dir.join("bin")).ok().as_deref(),
            Some("v2")
        );
        assert!(!lock_path(&dir).exists(), "the lock is released");
    }

    #[test]
    fn a_failed_install_is_not_reused() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = root.path().join("tool");
        let failed = ensure(&dir, "v1", "a tool", |_| Err(Error::new("boom", "none")));
        assert!(failed.is_err());
        assert!(!is_installed(&dir, "v1"));
        let mut ran = false;
        ensure(&dir, "v1", "a tool", |_| {
            ran = true;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(ran, "the second call installs again");
    }
}
