//! A Python function's bundle: its sources and its locked requirements, installed by pip for
//! the function's runtime and architecture, zipped deterministically, cached by the hash of
//! its inputs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use oxiform_core::asset::{base64_sha256, deterministic_zip, read_dir_files, AssetRef};
use oxiform_core::diagnostic::CallSite;
use oxiform_core::Stack;
use oxiform_emulator::install;
use sha2::{Digest, Sha256};

use crate::BundleError;

/// The version of the way bundles are built and normalised; part of every cache key, so a
/// change to it rebuilds every bundle.
pub const FORMAT: &str = "oxiform-bundle python 1";

/// The pinned pip that builds bundles (`bundle/pip.lock`), installed with `--require-hashes`
/// into `<target>/bundle-venv`.
pub const PIP_LOCK: &str = include_str!("../pip.lock");

/// What pip writes into a `.dist-info` folder about the installation rather than the
/// package (`RECORD` also lists the dropped files): left out of the zip.
const INSTALLATION_RECORDS: &[&str] = &["RECORD", "INSTALLER", "REQUESTED", "direct_url.json"];

/// The instruction set a function runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Architecture {
    /// `x86_64`, Lambda's default.
    #[default]
    X86_64,
    /// `arm64` (Graviton).
    Arm64,
}

impl Architecture {
    /// The name Lambda gives it (`architectures = ["arm64"]`).
    pub fn lambda_name(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }

    /// The wheel platform pip installs for (`--platform`).
    pub fn pip_platform(self) -> &'static str {
        match self {
            Architecture::X86_64 => "manylinux2014_x86_64",
            Architecture::Arm64 => "manylinux2014_aarch64",
        }
    }
}

/// A Python function's code: a source folder and, optionally, a locked requirements file
/// whose packages are installed beside the sources. See the [crate] documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonFunction {
    source: PathBuf,
    requirements: Option<PathBuf>,
    runtime: String,
    architecture: Architecture,
    home: Option<PathBuf>,
}

/// A built bundle: the zip's bytes, where they are cached, and the hash of the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    zip: Vec<u8>,
    path: Option<PathBuf>,
    key: String,
    base64_sha256: String,
}

impl Bundle {
    /// The zip.
    pub fn zip(&self) -> &[u8] {
        &self.zip
    }
    /// The zip, owned (for [`Stack::add_asset`]).
    pub fn into_zip(self) -> Vec<u8> {
        self.zip
    }
    /// The cached zip's file (`<target>/bundles/<name>-<hash>/bundle.zip`); `None` for a
    /// function without requirements, whose zip is its sources alone and is not cached.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
    /// The SHA-256 (hex) of the inputs: sources, lock, runtime, architecture, pinned pip and
    /// [`FORMAT`].
    pub fn key(&self) -> &str {
        &self.key
    }
    /// Base64 of the zip's SHA-256 (Lambda's `source_code_hash`); for a cached zip, kept
    /// beside it.
    pub fn base64_sha256(&self) -> &str {
        &self.base64_sha256
    }
}

/// The file beside a cached `bundle.zip` that keeps its hash, with the zip's size and
/// modification time it was computed for: synth does not hash megabytes of zip every run
/// (it was most of the start-up of a binary with bundled functions), and a zip changed in
/// place is hashed again.
const HASH_FILE: &str = "bundle.zip.sha256";

/// The inputs of a build, read once.
struct Inputs {
    sources: Vec<(String, Vec<u8>)>,
    lock: Option<Vec<u8>>,
    python_version: String,
    key: String,
}

impl PythonFunction {
    /// The function whose sources are the files of `source` (without dot-files and
    /// `__pycache__`), for `python3.12` on `x86_64`, without requirements.
    pub fn new(source: impl Into<PathBuf>) -> Self {
        PythonFunction {
            source: source.into(),
            requirements: None,
            runtime: "python3.12".to_owned(),
            architecture: Architecture::X86_64,
            home: None,
        }
    }

    /// The locked requirements (`pip install --require-hashes -r FILE`): every package
    /// pinned with `==` and its `--hash=sha256:…`. When the file lies inside the source
    /// folder it is not zipped.
    pub fn requirements(mut self, lock: impl Into<PathBuf>) -> Self {
        self.requirements = Some(lock.into());
        self
    }

    /// The Lambda runtime, `python3.N` (the default is `python3.12`): pip installs wheels
    /// for CPython 3.N.
    pub fn runtime(mut self, runtime: &str) -> Self {
        self.runtime = runtime.to_owned();
        self
    }

    /// The architecture the function runs on (the default is `x86_64`).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// Where pip's virtual environment and the cache of bundles live (`bundle-venv/`,
    /// `bundles/`); the default is the cargo target folder of the running program
    /// (`oxiform_emulator::default_home`, `$OXIFORM_HOME` when set).
    pub fn home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    fn home_dir(&self) -> PathBuf {
        self.home
            .clone()
            .unwrap_or_else(oxiform_emulator::default_home)
    }

    /// The SHA-256 (hex) of the inputs: what names the cached bundle.
    pub fn key(&self) -> Result<String, BundleError> {
        Ok(self.inputs()?.key)
    }

    /// The folder a bundle of these inputs is cached in.
    pub fn cache_dir(&self) -> Result<PathBuf, BundleError> {
        let inputs = self.inputs()?;
        Ok(self.cache_dir_of(&inputs))
    }

    fn cache_dir_of(&self, inputs: &Inputs) -> PathBuf {
        let label: String = self
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let short = inputs.key.get(..16).unwrap_or(&inputs.key);
        self.home_dir()
            .join("bundles")
            .join(format!("{label}-{short}"))
    }

    fn inputs(&self) -> Result<Inputs, BundleError> {
        let python_version = python_version(&self.runtime)?;
        let mut sources = read_dir_files(&self.source).map_err(|e| {
            BundleError::new(
                format!(
                    "cannot read the function's sources in {}: {e}",
                    self.source.display()
                ),
                "give PythonFunction::new the folder of the function's .py files",
            )
        })?;
        let lock = match &self.requirements {
            None => None,
            Some(path) => {
                let bytes = fs::read(path).map_err(|e| {
                    BundleError::new(
                        format!("cannot read the requirements {}: {e}", path.display()),
                        "write a lock with every package pinned and hashed, e.g. `pip-compile \
                         --generate-hashes`, or `pip download` then `pip hash` of each wheel",
                    )
                })?;
                // The lock is an input, not a source: not zipped when it lies in the folder.
                if let Ok(inside) = path.strip_prefix(&self.source) {
                    let inside = inside.to_string_lossy().replace('\\', "/");
                    sources.retain(|(name, _)| *name != inside);
                }
                Some(bytes)
            }
        };
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(FORMAT.as_bytes());
        field(self.runtime.as_bytes());
        field(self.architecture.lambda_name().as_bytes());
        field(PIP_LOCK.as_bytes());
        field(lock.as_deref().unwrap_or(b"no requirements"));
        for (name, bytes) in &sources {
            field(name.as_bytes());
            field(bytes);
        }
        let key = hex(&hash.finalize());
        Ok(Inputs {
            sources,
            lock,
            python_version,
            key,
        })
    }

    /// The cached bundle of the current inputs, if there is one; never runs pip.
    pub fn cached(&self) -> Result<Option<Bundle>, BundleError> {
        let inputs = self.inputs()?;
        if inputs.lock.is_none() {
            return Ok(Some(sources_only(inputs)));
        }
        let dir = self.cache_dir_of(&inputs);
        if !install::is_installed(&dir, &stamp(&inputs.key)) {
            return Ok(None);
        }
        read_cached(&dir, inputs.key).map(Some)
    }

    /// The bundle: from the cache when the inputs were built before, else built now (pip's
    /// virtual environment first, if missing) and cached. Fails, saying what to run, when
    /// pip cannot install the requirements; never returns a zip without them. Within one
    /// process, inputs whose build failed are not built again: the same error is returned.
    pub fn build(&self) -> Result<Bundle, BundleError> {
        let inputs = self.inputs()?;
        let Some(lock) = &inputs.lock else {
            return Ok(sources_only(inputs));
        };
        let dir = self.cache_dir_of(&inputs);
        let stamp = stamp(&inputs.key);
        if !install::is_installed(&dir, &stamp) {
            if let Some(failed) = failures().lock().ok().and_then(|f| f.get(&dir).cloned()) {
                return Err(failed);
            }
            let home = self.home_dir();
            let what = format!("the bundle of {}", self.source.display());
            let built = pip_venv(&home).and_then(|python| {
                install::ensure(&dir, &stamp, &what, |dir| {
                    self.build_into(dir, &inputs, lock, &python, &home)
                        .map_err(|e| oxiform_emulator::Error::new(e.message(), e.hint()))
                })
                .map_err(BundleError::from)
            });
            if let Err(e) = built {
                if let Ok(mut failures) = failures().lock() {
                    failures.insert(dir, e.clone());
                }
                return Err(e);
            }
        }
        read_cached(&dir, inputs.key)
    }

    /// Builds the bundle (or takes it from the cache) and adds it to `stack` as the asset
    /// `file_name`; the returned reference's `base64_sha256` is the zip's, for the function's
    /// `source_code_hash`. An error names the stack and this call's site.
    #[track_caller]
    pub fn add(&self, stack: &mut Stack, file_name: &str) -> Result<AssetRef, BundleError> {
        let site = CallSite::caller();
        let bundle = self.build().map_err(|e| e.at(stack.name(), site))?;
        let hash = bundle.base64_sha256.clone();
        Ok(stack.add_asset_with_sha256(file_name, bundle.into_zip(), hash))
    }

    /// pip install into `dir/site`, then the zip of the sources and the installed files as
    /// `dir/bundle.zip`.
    fn build_into(
        &self,
        dir: &Path,
        inputs: &Inputs,
        lock: &[u8],
        python: &Path,
        home: &Path,
    ) -> Result<(), BundleError> {
        let lock_file = dir.join("requirements.lock");
        fs::write(&lock_file, lock)
            .map_err(|e| BundleError::io(format!("writing {}", lock_file.display()), e))?;
        let site = dir.join("site");
        let mut pip = Command::new(python);
        pip.args(["-m", "pip", "install", "--require-hashes"])
            .args(["--only-binary", ":all:"])
            .args(["--platform", self.architecture.pip_platform()])
            .args(["--python-version", &inputs.python_version])
            .args(["--implementation", "cp"])
            .arg("--target")
            .arg(&site)
            .args([
                "--no-compile",
                "--no-input",
                "--disable-pip-version-check",
                "-q",
            ])
            .arg("-r")
            .arg(&lock_file)
            .env("PIP_NO_INPUT", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // Settings that would send the packages elsewhere than --target.
            .env_remove("PIP_USER")
            .env_remove("PIP_TARGET")
            .env_remove("PIP_PREFIX")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME");
        let requirements = self
            .requirements
            .as_deref()
            .unwrap_or(Path::new("requirements"));
        install::run_step(
            &mut pip,
            &format!(
                "installing {} for {} on {} (pip install --require-hashes)",
                requirements.display(),
                self.runtime,
                self.architecture.lambda_name()
            ),
            "pip did not run: delete the bundle-venv folder of the target folder and build again",
            &offline_hint(home),
        )?;
        let dependencies = dependency_files(&site)
            .map_err(|e| BundleError::io(format!("reading {}", site.display()), e))?;
        let mut files = inputs.sources.clone();
        let sources: std::collections::BTreeSet<&str> =
            inputs.sources.iter().map(|(n, _)| n.as_str()).collect();
        if let Some((clash, _)) = dependencies
            .iter()
            .find(|(name, _)| sources.contains(name.as_str()))
        {
            return Err(BundleError::new(
                format!(
                    "{} holds `{clash}`, and so does a package of {}: both would be `{clash}` \
                     at the zip's root",
                    self.source.display(),
                    requirements.display()
                ),
                "rename the source file (or folder) that has the package's name",
            ));
        }
        files.extend(dependencies);
        let zip = dir.join("bundle.zip");
        fs::write(&zip, deterministic_zip(&files))
            .map_err(|e| BundleError::io(format!("writing {}", zip.display()), e))?;
        fs::remove_dir_all(&site)
            .map_err(|e| BundleError::io(format!("removing {}", site.display()), e))
    }
}

/// The builds that failed in this process, by cache folder: a program that builds a stack
/// several times (the command line builds every app to find one) runs a failing pip once,
/// not once per build, and reports the same error each time.
fn failures() -> &'static Mutex<BTreeMap<PathBuf, BundleError>> {
    static FAILURES: OnceLock<Mutex<BTreeMap<PathBuf, BundleError>>> = OnceLock::new();
    FAILURES.get_or_init(Mutex::default)
}

/// The stamp of a cached bundle: it holds the full key (the folder name has 16 digits).
fn stamp(key: &str) -> String {
    format!("{FORMAT}\n{key}\n")
}

fn read_cached(dir: &Path, key: String) -> Result<Bundle, BundleError> {
    let path = dir.join("bundle.zip");
    let zip = fs::read(&path).map_err(|e| {
        BundleError::new(
            format!("cannot read the cached bundle {}: {e}", path.display()),
            format!("delete {} and build again", dir.display()),
        )
    })?;
    let base64_sha256 = kept_hash(dir, &path, &zip);
    Ok(Bundle {
        zip,
        path: Some(path),
        key,
        base64_sha256,
    })
}

/// The hash of the cached `zip` read from `path`: the one kept in `HASH_FILE` when it was
/// computed for a file of the same size and modification time, else computed and kept (a
/// cache that cannot be written is hashed every time, nothing worse).
fn kept_hash(dir: &Path, path: &Path, zip: &[u8]) -> String {
    let stamp = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|t| format!("{} {}", zip.len(), t.as_nanos()));
    let file = dir.join(HASH_FILE);
    if let (Some(stamp), Ok(kept)) = (&stamp, fs::read_to_string(&file)) {
        if let Some(hash) = kept
            .strip_prefix(stamp.as_str())
            .and_then(|h| h.strip_prefix(' '))
        {
            return hash.trim_end().to_owned();
        }
    }
    let hash = base64_sha256(zip);
    if let Some(stamp) = stamp {
        let partial = dir.join(format!("{HASH_FILE}.{}", std::process::id()));
        if fs::write(&partial, format!("{stamp} {hash}\n")).is_ok() {
            // Renamed into place: a reader never sees half a line.
            let _ = fs::rename(&partial, &file);
        }
    }
    hash
}

fn sources_only(inputs: Inputs) -> Bundle {
    let zip = deterministic_zip(&inputs.sources);
    Bundle {
        base64_sha256: base64_sha256(&zip),
        zip,
        path: None,
        key: inputs.key,
    }
}

/// The hint when pip fails: what to run.
fn offline_hint(home: &Path) -> String {
    format!(
        "pip downloads the locked packages from PyPI (or PIP_INDEX_URL) the first time these \
         inputs are built: run the same command again where it is reachable; the zip is then \
         cached in {} and later runs reuse it, offline too. If PyPI was reachable, pip's \
         output above says which package or hash it refused",
        home.join("bundles").display()
    )
}

/// `python3.12` → `3.12`.
fn python_version(runtime: &str) -> Result<String, BundleError> {
    let version = runtime.strip_prefix("python").unwrap_or("");
    let valid = version
        .split_once('.')
        .is_some_and(|(major, minor)| major == "3" && is_number(minor));
    if valid {
        Ok(version.to_owned())
    } else {
        Err(BundleError::new(
            format!("`{runtime}` is not a Python Lambda runtime"),
            "use a runtime of the form python3.N, e.g. python3.12",
        ))
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Installs pip's virtual environment under `home` when missing (`python3 -m venv`, then the
/// pinned pip) and returns its Python.
fn pip_venv(home: &Path) -> Result<PathBuf, BundleError> {
    let venv = home.join("bundle-venv");
    let python = venv.join("bin").join("python");
    let stamp = format!("# installed from bundle/pip.lock\n{PIP_LOCK}");
    let failed = offline_hint(home);
    install::ensure(&venv, &stamp, "the pip that builds bundles", |venv| {
        install::run_step(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            "creating the bundler's virtual environment (python3 -m venv)",
            "python3 is needed to build Python function bundles: apt-get install python3 python3-venv",
            "python3 -m venv failed: on Debian, apt-get install python3-venv",
        )?;
        let lock = venv.join("pip.lock");
        fs::write(&lock, PIP_LOCK)
            .map_err(|e| oxiform_emulator::Error::io(format!("writing {}", lock.display()), e))?;
        install::run_step(
            Command::new(venv.join("bin").join("python"))
                .args(["-m", "pip", "install", "--require-hashes", "--no-input"])
                .args(["--disable-pip-version-check", "-q", "-r"])
                .arg(&lock)
                .env("PIP_NO_INPUT", "1")
                .env_remove("PIP_USER")
                .env_remove("PIP_TARGET")
                .env_remove("PIP_PREFIX"),
            "installing the pinned pip into the bundler's virtual environment",
            "the virtual environment has no pip: on Debian, apt-get install python3-venv",
            &failed,
        )
        .map(drop)
    })?;
    Ok(python)
}

/// The files pip installed under `site`, as zip entries, without what records the
/// installation rather than the packages (see the crate's documentation).
fn dependency_files(site: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    if !site.exists() {
        return Ok(files); // a lock that installs nothing
    }
    let mut pending = vec![site.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let relative = path
                .strip_prefix(site)
                .map_err(std::io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let is_dir = fs::metadata(&path)?.is_dir();
            if !keep(&relative, is_dir) {
                continue;
            }
            if is_dir {
                pending.push(path);
            } else {
                files.push((relative, fs::read(&path)?));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Whether an installed file (or folder), by its `/`-separated path under the target folder,
/// belongs in the zip.
fn keep(relative: &str, is_dir: bool) -> bool {
    let (parent, name) = relative.rsplit_once('/').unwrap_or(("", relative));
    if is_dir {
        return name != "__pycache__" && relative != "bin";
    }
    let installation_record = !parent.contains('/')
        && parent.ends_with(".dist-info")
        && INSTALLATION_RECORDS.contains(&name);
    !(name.ends_with(".pyc") || installation_record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_name_their_python_version() {
        assert_eq!(python_version("python3.12").ok().as_deref(), Some("3.12"));
        assert_eq!(python_version("python3.9").ok().as_deref(), Some("3.9"));
        for bad in ["nodejs20.x", "python3", "python3.x", "python2.7", "3.12"] {
            let err = python_version(bad).err();
            assert!(err.is_some(), "{bad}");
        }
    }

    #[test]
    fn what_records_the_installation_is_left_out() {
        assert!(keep("redis/client.py", false));
        assert!(keep("redis-8.2.0.dist-info/METADATA", false));
        assert!(keep("redis-8.2.0.dist-info/licenses/LICENSE", false));
        assert!(keep("pkg/.libs/libfoo.so", false));
        assert!(keep("pkg/.libs", true));
        assert!(keep("pkg/bin", true), "only the top-level scripts folder");
        for dropped in [
            "redis-8.2.0.dist-info/RECORD",
            "redis-8.2.0.dist-info/INSTALLER",
            "redis-8.2.0.dist-info/REQUESTED",
            "redis-8.2.0.dist-info/direct_url.json",
            "redis/client.cpython-312.pyc",
        ] {
            assert!(!keep(dropped, false), "{dropped}");
        }
        assert!(!keep("bin", true));
        assert!(!keep("redis/__pycache__", true));
    }

    #[test]
    fn the_key_changes_with_each_input() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let source = dir.path().join("fn");
        fs::create_dir(&source)?;
        fs::write(source.join("app.py"), "def handler(e, c): pass\n")?;
        fs::write(source.join("requirements.lock"), "a==1 --hash=sha256:00\n")?;
        let function = PythonFunction::new(&source)
            .requirements(source.join("requirements.lock"))
            .home(dir.path());
        let base = function.key()?;
        assert_eq!(base, function.key()?, "stable");
        let mut keys = vec![base.clone()];
        keys.push(function.clone().runtime("python3.13").key()?);
        keys.push(function.clone().architecture(Architecture::Arm64).key()?);
        fs::write(source.join("requirements.lock"), "a==2 --hash=sha256:01\n")?;
        keys.push(function.key()?);
        fs::write(source.join("app.py"), "def handler(e, c): return 1\n")?;
        keys.push(function.key()?);
        let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert!(
            function.cached()?.is_none(),
            "nothing is cached without a build"
        );
        let cache = function.cache_dir()?;
        assert_eq!(cache.parent(), Some(dir.path().join("bundles").as_path()));
        let name = cache.file_name().map(|n| n.to_string_lossy().into_owned());
        assert!(
            name.as_ref().is_some_and(|n| n.starts_with("fn-")),
            "{name:?}"
        );
        Ok(())
    }

    #[test]
    fn a_cached_zips_hash_is_kept_and_recomputed_when_the_zip_changes(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("bundle.zip");
        fs::write(&path, b"first zip")?;
        let first = read_cached(dir.path(), "key".to_owned())?;
        assert_eq!(first.base64_sha256(), base64_sha256(b"first zip"));
        let kept = fs::read_to_string(dir.path().join(HASH_FILE))?;
        assert!(kept.starts_with("9 "), "size then time: {kept}");
        assert!(kept.trim_end().ends_with(first.base64_sha256()), "{kept}");

        // A kept hash is used as it is: proof that the zip is not hashed again.
        let planted = kept.replace(first.base64_sha256(), "kept-hash");
        fs::write(dir.path().join(HASH_FILE), planted)?;
        assert_eq!(
            read_cached(dir.path(), "key".to_owned())?.base64_sha256(),
            "kept-hash"
        );

        // A zip rewritten in place (another size) is hashed again.
        fs::write(&path, b"second, longer zip")?;
        let second = read_cached(dir.path(), "key".to_owned())?;
        assert_eq!(second.base64_sha256(), base64_sha256(b"second, longer zip"));
        Ok(())
    }

    #[test]
    fn without_requirements_the_zip_is_the_sources() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("app.py"), "x = 1\n")?;
        let bundle = PythonFunction::new(dir.path()).build()?;
        assert_eq!(
            bundle.zip(),
            deterministic_zip(&[("app.py".to_owned(), b"x = 1\n".to_vec())])
        );
        assert!(bundle.path().is_none());
        Ok(())
    }
}
