//! The files of the modules a root module calls, read beside its own: a local module
//! (`source = "./modules/db"`) from its folder, any other from where `terraform init` put
//! it (`.terraform/modules/modules.json`). Each file is named by its folder relative to the
//! root (`modules/db/main.tf`), which is how `lower` tells the modules apart.

use std::path::{Component, Path, PathBuf};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{BlockLabel, Structure};
use oxiform_core::diagnostic::{Diagnostic, Place};

use crate::source::Source;

/// The name of `terraform init`'s record of downloaded modules, as a source.
pub(crate) const MODULES_JSON: &str = ".terraform/modules/modules.json";

/// Whether `source` is a local path, which Terraform reads in place.
pub(crate) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// `dir/source` with `.` and `..` resolved, `/`-separated (`""` is the root).
pub(crate) fn join(dir: &str, source: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(dir).join(source).components() {
        match c {
            Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            Component::ParentDir => parts.push("..".to_owned()),
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The folder of a source's name (`""` for the root's files).
pub(crate) fn dir_of(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The `source` of every `module` block of `sources`, with the call's name.
fn calls(sources: &[Source]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in sources {
        let Ok(body) = hcl_edit::parser::parse_body(&s.text) else {
            continue; // reported when converted
        };
        for st in body.iter() {
            let Structure::Block(b) = st else { continue };
            if b.ident.as_str() != "module" {
                continue;
            }
            let name = match b.labels.first() {
                Some(BlockLabel::String(l)) => l.as_str().to_owned(),
                Some(BlockLabel::Ident(l)) => l.as_str().to_owned(),
                None => continue,
            };
            if let Some(Expression::String(src)) = b.body.get_attribute("source").map(|a| &a.value)
            {
                out.push((name, src.as_str().to_owned()));
            }
        }
    }
    out
}

/// The `.tf` and `.tf.json` files of `dir` (not its subfolders), sorted, named
/// `prefix/file` (`file` for an empty prefix).
pub(crate) fn read_dir(dir: &Path, prefix: &str) -> Result<Vec<Source>, Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(e.to_string())
            .lead("cannot read")
            .place(Place::new().address(dir.display().to_string()))
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if (name.ends_with(".tf") || name.ends_with(".tf.json")) && p.is_file() {
            files.push((name, p));
        }
    }
    files.sort();
    let mut out = Vec::new();
    for (name, p) in files {
        let text = std::fs::read_to_string(&p).map_err(io)?;
        let name = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        out.push(Source::new(name, text));
    }
    Ok(out)
}

/// The sources of the modules the root's `sources` call (folder `root`): local modules and,
/// with `.terraform/modules/modules.json` itself, downloaded ones. A folder that does not
/// exist is left out here; converting reports it at the call.
pub(crate) fn module_sources(root: &Path, sources: &[Source]) -> Result<Vec<Source>, Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let record = root.join(MODULES_JSON);
    let downloaded: Vec<(String, String)> = std::fs::read_to_string(&record)
        .ok()
        .map(|text| {
            out.push(Source::new(MODULES_JSON, text.clone()));
            downloaded_dirs(&text)
        })
        .unwrap_or_default();
    for (name, source) in calls(sources) {
        let dir = if is_local(&source) {
            join("", &source)
        } else {
            match downloaded.iter().find(|(key, _)| *key == name) {
                Some((_, dir)) => dir.clone(),
                None => continue,
            }
        };
        if seen.contains(&dir) || dir.starts_with("..") {
            continue;
        }
        seen.push(dir.clone());
        let path: PathBuf = root.join(&dir);
        if path.is_dir() {
            out.extend(read_dir(&path, &dir)?);
        }
    }
    Ok(out)
}

/// `(key, folder)` of each module `terraform init` recorded (the root's own entry left out).
pub(crate) fn downloaded_dirs(modules_json: &str) -> Vec<(String, String)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(modules_json) else {
        return Vec::new();
    };
    json["Modules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let key = m["Key"].as_str()?;
            let dir = m["Dir"].as_str()?;
            (!key.is_empty()).then(|| (key.to_owned(), join("", dir)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_and_normalised() {
        assert_eq!(join("", "./modules/db"), "modules/db");
        assert_eq!(join("modules/a", "../b"), "modules/b");
        assert_eq!(join("", "../shared"), "../shared");
        assert_eq!(dir_of("modules/db/main.tf"), "modules/db");
        assert_eq!(dir_of("main.tf"), "");
    }
}
