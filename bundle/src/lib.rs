//! # oxiform-bundle
//!
//! Function assets with their dependencies. A Lambda's zip holds its own sources *and* the
//! libraries they import; this crate builds that zip for a Python function from a source
//! folder and a locked requirements file, the way AWS CDK's `PythonFunction` does:
//!
//! ```no_run
//! use oxiform_bundle::{Architecture, PythonFunction};
//! # let mut stack = oxiform_core::Stack::new("example");
//! let code = PythonFunction::new("functions/resize")
//!     .requirements("functions/resize/requirements.lock")
//!     .runtime("python3.12")
//!     .architecture(Architecture::Arm64)
//!     .add(&mut stack, "resize.zip")?;
//! // code.path and code.base64_sha256 go to the function's `filename` and `source_code_hash`.
//! # Ok::<(), oxiform_bundle::BundleError>(())
//! ```
//!
//! * **Locked.** The requirements file must pin every package with its hashes (`pip install
//!   --require-hashes`): the same lock installs the same wheels everywhere.
//! * **For the function, not the machine.** pip installs wheels only (`--only-binary
//!   :all:`) for the function's platform (`manylinux2014_x86_64` or `manylinux2014_aarch64`),
//!   Python version (`python3.12` → `--python-version 3.12`) and implementation (`cp`), into
//!   a folder that becomes the zip's root beside the sources, which is where the Lambda
//!   runtime looks (`/var/task` is on `sys.path`).
//! * **Deterministic.** The zip is the core's [`deterministic_zip`](oxiform_core::asset::deterministic_zip)
//!   (sorted entries, fixed timestamps and permissions) of the sources and the installed
//!   files, without what records the installation rather than the packages: `__pycache__`
//!   and `.pyc` files (pip runs with `--no-compile` anyway), the console scripts in `bin/`
//!   (their first line names the building machine's Python) and each `.dist-info`'s
//!   `RECORD`, `INSTALLER`, `REQUESTED` and `direct_url.json`. Two machines, or two target
//!   folders, build the same bytes.
//! * **Cached.** A bundle is built once per inputs: the hash of the sources, the lock, the
//!   runtime, the architecture, the pinned pip and this crate's [`FORMAT`] names a folder
//!   `target/bundles/<source folder>-<hash>/` holding `bundle.zip`. A later build with the
//!   same inputs reads that file and runs nothing; a changed input builds a new one.
//! * **Never without its dependencies.** When pip cannot install (offline with nothing
//!   cached, say), building fails with a [`BundleError`] saying what to run; no zip of the
//!   sources alone is ever returned.
//!
//! pip itself runs from a virtual environment of its own, `target/bundle-venv`, made on first
//! use with `python3 -m venv` and the pip pinned in [`PIP_LOCK`] (installed with
//! `--require-hashes`), through the same once-only installation, lock file and stamp as the
//! emulator's (`oxiform_emulator::install`). Nothing is installed system-wide.
//!
//! ## Why a crate of its own
//!
//! Building a bundle runs programs (python, pip) and may need the network; the core, the
//! generated provider, the patterns and the facade never do either: `synth` of a stack is a
//! function of its Rust code. So the bundler sits beside the emulator, above the facade,
//! and a stack that ships a function with dependencies depends on it explicitly (as CDK's
//! `PythonFunction` is a module of its own). It runs pip only when a bundle's inputs have no
//! cached zip; every other synth hashes the inputs and reads one file.

mod error;
mod python;

pub use error::BundleError;
pub use python::{Architecture, Bundle, PythonFunction, FORMAT, PIP_LOCK};
