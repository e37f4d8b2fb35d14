//! Redis for the router's cache tests (the stand-in for ElastiCache), installed under
//! `target/redis` on first use, never system-wide.
//!
//! Debian's own `redis-server` package (built with TLS, which the router's `rediss://` needs),
//! downloaded with Debian's ordinary client into a private package list
//! (`apt-get update`/`download` with `Dir::State::Lists` and `Dir::Cache` under
//! `target/redis/apt`: the machine's own lists and packages are not touched, and no root is
//! needed to unpack) and unpacked with `dpkg-deb -x`. Its two libraries that a Debian machine
//! may lack (jemalloc, lzf) are unpacked beside it; `bin/redis-server` is a wrapper that puts
//! them on `LD_LIBRARY_PATH`.
//!
//! Why a Debian package rather than a build from source: it is the build Debian ships and
//! patches (TLS against the system OpenSSL included), it takes seconds instead of a C build
//! of minutes, and it needs no compiler or OpenSSL headers. The one thing it needs is what
//! every Debian machine has: `apt-get` with the distribution's package sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;

/// The Debian packages unpacked: the server (a link to `redis-check-rdb` in `redis-tools`)
/// and the libraries it links that are not part of a base system.
pub const PACKAGES: &[&str] = &["redis-server", "redis-tools", "libjemalloc2", "liblzf1"];

/// The folder Redis is installed in under `home`.
pub fn dir(home: &Path) -> PathBuf {
    home.join("redis")
}

/// Installs Redis under `home` when it is not there yet, and returns the path of a
/// `redis-server` to run (a wrapper script that sets the library path).
pub fn install(home: &Path) -> Result<PathBuf, Error> {
    let dir = dir(home);
    let stamp = format!("Debian packages {}\n", PACKAGES.join(" "));
    crate::install::ensure(&dir, &stamp, "Redis", unpack)?;
    Ok(server(&dir))
}

fn server(dir: &Path) -> PathBuf {
    dir.join("bin").join("redis-server")
}

fn unpack(dir: &Path) -> Result<(), Error> {
    let lists = dir.join("apt").join("lists");
    let cache = dir.join("apt").join("cache");
    let debs = dir.join("apt").join("debs");
    for folder in [
        lists.join("partial"),
        cache.join("archives/partial"),
        debs.clone(),
    ] {
        fs::create_dir_all(&folder)
            .map_err(|e| Error::io(format!("creating {}", folder.display()), e))?;
    }
    let apt = |verb: &str| {
        let mut command = Command::new("apt-get");
        command
            .arg("-q")
            .arg("-o")
            .arg(format!("Dir::State::Lists={}", lists.display()))
            .arg("-o")
            .arg(format!("Dir::Cache={}", cache.display()))
            // The private folders belong to us: apt must not drop to its `_apt` user to
            // write them, and must not lock the machine's own lists.
            .args(["-o", "APT::Sandbox::User=root", "-o", "Debug::NoLocking=1"])
            .arg(verb)
            .env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt("update"), "apt-get update (private package lists)")?;
    run(
        apt("download").args(PACKAGES).current_dir(&debs),
        "apt-get download",
    )?;
    let root = dir.join("root");
    let mut found = fs::read_dir(&debs)
        .map_err(|e| Error::io(format!("reading {}", debs.display()), e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "deb"))
        .collect::<Vec<_>>();
    found.sort();
    if found.len() != PACKAGES.len() {
        return Err(Error::new(
            format!(
                "apt-get download brought {} packages into {}, expected {} ({})",
                found.len(),
                debs.display(),
                PACKAGES.len(),
                PACKAGES.join(", ")
            ),
            "check the machine's Debian package sources (/etc/apt/sources.list*)",
        ));
    }
    for deb in &found {
        run(
            Command::new("dpkg-deb").arg("-x").arg(deb).arg(&root),
            "dpkg-deb -x",
        )?;
    }
    let binary = root.join("usr/bin/redis-server");
    let libs = library_dir(&root)?;
    let wrapper = server(dir);
    let parent = wrapper.parent().unwrap_or(dir);
    fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n# Debian's redis-server, unpacked here by oxiform-emulator; its libraries are beside it.\nLD_LIBRARY_PATH='{}'\"${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}\" exec '{}' \"$@\"\n",
            libs.display(),
            binary.display()
        ),
    )
    .map_err(|e| Error::io(format!("writing {}", wrapper.display()), e))?;
    make_executable(&wrapper)?;
    fs::remove_dir_all(dir.join("apt"))
        .map_err(|e| Error::io("removing the downloaded package lists", e))?;
    let version = run(
        Command::new(&wrapper).arg("--version"),
        "redis-server --version",
    )?;
    if !version.contains("Redis server") {
        return Err(Error::new(
            format!("{} --version printed {version:?}", wrapper.display()),
            "delete target/redis and run the tests again",
        ));
    }
    Ok(())
}

/// The folder of the unpacked shared libraries (`usr/lib/<multiarch triple>`).
fn library_dir(root: &Path) -> Result<PathBuf, Error> {
    let lib = root.join("usr/lib");
    fs::read_dir(&lib)
        .map_err(|e| Error::io(format!("reading {}", lib.display()), e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|dir| dir.join("libjemalloc.so.2").exists())
        .ok_or_else(|| {
            Error::new(
                format!("libjemalloc.so.2 is not under {}", lib.display()),
                "delete target/redis and run the tests again",
            )
        })
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io(format!("making {} executable", path.display()), e))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), Error> {
    Ok(())
}

/// Runs one step of the installation and returns its stdout.
fn run(command: &mut Command, what: &str) -> Result<String, Error> {
    crate::install::run_step(
        command,
        &format!("installing Redis: `{what}`"),
        "Redis is installed from Debian's packages: this needs apt-get and dpkg-deb (a Debian or Ubuntu machine)",
        "apt-get needs the machine's Debian package sources to be reachable",
    )
}
