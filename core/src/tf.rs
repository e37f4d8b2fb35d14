//! The serde model of a `.tf.json` document, and writing it to disk atomically.
//!
//! Blocks are keyed by `BTreeMap`, so the order of declarations in Rust code never changes
//! the output; users' own maps (tags, environment) keep their insertion order.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::backend::{Backend, LocalSettings};
use crate::provider::{ProviderConfig, AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION};
use crate::value::Value;

/// A body serialised through type erasure (resources of many types live in one map).
pub(crate) type Body<'a> = &'a dyn erased_serde::Serialize;

/// A whole Terraform JSON configuration, borrowed from the stack that synthesised it.
#[derive(Serialize)]
pub struct Document<'a> {
    #[serde(rename = "//")]
    pub(crate) comment: String,
    pub(crate) terraform: TerraformBlock<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) provider: BTreeMap<&'static str, Vec<&'a ProviderConfig>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) variable: BTreeMap<&'a str, Body<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) locals: BTreeMap<&'a str, Body<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) data: BTreeMap<&'static str, BTreeMap<&'static str, Body<'a>>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) ephemeral: BTreeMap<&'static str, BTreeMap<&'static str, Body<'a>>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) resource: BTreeMap<&'static str, BTreeMap<&'static str, Body<'a>>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) output: BTreeMap<&'a str, Body<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) moved: Vec<MovedBlock<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) import: Vec<ImportBlock<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) removed: Vec<RemovedBlock<'a>>,
}

/// A `moved` block: `{"from": "aws_s3_bucket.logs", "to": "aws_s3_bucket.archive"}`.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct MovedBlock<'a> {
    pub(crate) from: &'a str,
    pub(crate) to: String,
}

/// An `import` block: `{"to": "aws_s3_bucket.legacy", "id": "legacy-bucket"}`.
#[derive(Serialize)]
pub(crate) struct ImportBlock<'a> {
    pub(crate) to: String,
    pub(crate) id: &'a Value<String>,
}

/// A `removed` block that keeps the object:
/// `{"from": "aws_s3_bucket.logs", "lifecycle": {"destroy": false}}`.
#[derive(Serialize)]
pub(crate) struct RemovedBlock<'a> {
    pub(crate) from: &'a str,
    pub(crate) lifecycle: RemovedLifecycle,
}

/// The `lifecycle` of a `removed` block.
#[derive(Serialize)]
pub(crate) struct RemovedLifecycle {
    pub(crate) destroy: bool,
}

/// The `terraform` block: version constraints, pinned providers, backend.
#[derive(Serialize)]
pub(crate) struct TerraformBlock<'a> {
    pub(crate) required_version: &'static str,
    pub(crate) required_providers: RequiredProviders<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) backend: Option<BackendBlock<'a>>,
}

/// `required_providers`: the pinned AWS provider, and those the stack declared with
/// [`Stack::require_provider`](crate::Stack::require_provider), sorted by name.
#[derive(Serialize)]
#[serde(transparent)]
pub(crate) struct RequiredProviders<'a>(BTreeMap<&'a str, ProviderRequirement<'a>>);

#[derive(Serialize)]
struct ProviderRequirement<'a> {
    source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    version: &'a str,
}

impl<'a> RequiredProviders<'a> {
    /// The AWS provider and `extra` (name, source, version); an `aws` entry in `extra`
    /// replaces the pinned one.
    pub(crate) fn with(extra: &'a [(String, String, String)]) -> Self {
        let mut all = BTreeMap::new();
        all.insert(
            "aws",
            ProviderRequirement {
                source: AWS_PROVIDER_SOURCE,
                version: AWS_PROVIDER_VERSION,
            },
        );
        for (name, source, version) in extra {
            all.insert(
                name.as_str(),
                ProviderRequirement {
                    source: source.as_str(),
                    version: version.as_str(),
                },
            );
        }
        RequiredProviders(all)
    }
}

#[derive(Serialize)]
pub(crate) enum BackendBlock<'a> {
    #[serde(rename = "local")]
    Local(LocalSettings<'a>),
    #[serde(rename = "s3")]
    S3(&'a crate::backend::S3Backend),
}

impl<'a> BackendBlock<'a> {
    pub(crate) fn of(backend: &'a Backend) -> Option<Self> {
        match backend {
            Backend::Local => None,
            Backend::LocalPath(path) => Some(BackendBlock::Local(LocalSettings { path })),
            Backend::S3(s3) => Some(BackendBlock::S3(s3)),
        }
    }
}

impl Document<'_> {
    /// The document as pretty JSON with a trailing newline: the exact bytes written to disk.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// Number of resources and data sources in the document.
    pub fn resource_count(&self) -> usize {
        self.resource.values().map(BTreeMap::len).sum::<usize>()
            + self.data.values().map(BTreeMap::len).sum::<usize>()
            + self.ephemeral.values().map(BTreeMap::len).sum::<usize>()
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
/// renamed over the target. A crash or error never leaves a half-written file behind.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("out/main.tf.json");
/// oxiform_core::tf::write_atomic(&path, b"{}\n")?;
/// assert_eq!(std::fs::read(&path)?, b"{}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.commit()
}

/// Writes `bytes` to a temporary file beside `path` (creating the folder) and flushes it to
/// disk, without touching `path` itself: [`StagedFile::commit`] renames it into place. Staging
/// every file first lets a caller replace several files only when all of them were written.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("main.tf.json");
/// let staged = oxiform_core::tf::stage(&path, b"{}\n")?;
/// assert!(!path.exists(), "nothing replaced before commit");
/// staged.commit()?;
/// assert_eq!(std::fs::read(&path)?, b"{}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<StagedFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Unique within the process too, so staging the same path twice never shares a file.
    static STAGED: AtomicU64 = AtomicU64::new(0);
    let n = STAGED.fetch_add(1, Ordering::Relaxed);
    let staged = StagedFile {
        tmp: dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id())),
        target: path.to_path_buf(),
    };
    let mut file = std::fs::File::create(&staged.tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(staged)
}

/// A file written and flushed under a temporary name beside its target, by [`stage`].
/// Dropping it without [`commit`](StagedFile::commit) removes the temporary file, leaving the
/// target as it was.
#[derive(Debug)]
#[must_use = "a staged file is removed again unless it is committed"]
pub struct StagedFile {
    tmp: PathBuf,
    target: PathBuf,
}

impl StagedFile {
    /// The file this one replaces when committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the staged file over its target (atomic on POSIX file systems).
    /// When the rename fails, the temporary file is removed and the target left as it was.
    pub fn commit(mut self) -> std::io::Result<()> {
        std::fs::rename(&self.tmp, &self.target)?;
        // Renamed: nothing left for `drop` to remove.
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> std::io::Result<usize> {
        Ok(std::fs::read_dir(dir)?.count())
    }

    #[test]
    fn a_staged_file_dropped_uncommitted_leaves_the_target_as_it_was() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("main.tf.json");
        std::fs::write(&path, "old")?;
        let staged = stage(&path, b"new")?;
        assert_eq!(entries(dir.path())?, 2, "the staged file is on disk");
        drop(staged);
        assert_eq!(std::fs::read(&path)?, b"old");
        assert_eq!(entries(dir.path())?, 1, "temporary file removed");
        Ok(())
    }

    #[test]
    fn a_commit_that_cannot_rename_removes_the_staged_file() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("main.tf.json");
        let staged = stage(&path, b"new")?;
        // A non-empty folder where the file should go: rename fails.
        std::fs::create_dir_all(path.join("inside"))?;
        assert!(staged.commit().is_err());
        assert_eq!(entries(dir.path())?, 1, "temporary file removed");
        assert!(path.is_dir());
        Ok(())
    }
}
