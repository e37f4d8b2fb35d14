//! Where `terraform init` installs providers from: the registry, or a local mirror.
//!
//! `--plugin-dir DIR` (or `OXIFORM_PLUGIN_DIR`) always wins. Without it, a stack whose AWS
//! provider talks only to an emulator on loopback (every `endpoints` URL on 127.0.0.1 or
//! localhost: nothing of it can reach AWS) uses the mirror at [`DEFAULT_MIRROR`] when that
//! folder exists, so trying a stack locally needs no registry access. Every other stack
//! installs from the registry, as terraform does by default.

use std::path::{Path, PathBuf};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;

/// The documented location of the provider mirror on this project's machines.
pub const DEFAULT_MIRROR: &str = "/opt/tf-plugins";

/// A mirror to install providers from, and the line that tells the user why (when it was
/// not asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginDir {
    /// The folder passed as `terraform init -plugin-dir`.
    pub dir: PathBuf,
    /// Printed before terraform runs when the folder was chosen by default.
    pub note: Option<String>,
}

/// The mirror for the stack synthesised into `stack_dir`: `asked` (from the flag or the
/// environment), else [`DEFAULT_MIRROR`] for a stack on a local emulator, else none.
pub fn plugin_dir(asked: Option<&Path>, stack_dir: &Path) -> anyhow::Result<Option<PluginDir>> {
    if let Some(dir) = asked {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "the provider mirror {} is not a folder",
                dir.display()
            ))
            .hint(format!("pass --plugin-dir (or set OXIFORM_PLUGIN_DIR) to a folder in terraform's filesystem-mirror layout, e.g. {DEFAULT_MIRROR}"))
            .into());
        }
        return Ok(Some(PluginDir {
            dir: dir.to_owned(),
            note: None,
        }));
    }
    let mirror = Path::new(DEFAULT_MIRROR);
    if !mirror.is_dir() {
        return Ok(None);
    }
    let path = stack_dir.join("main.tf.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    if !targets_local_emulator(&document) {
        return Ok(None);
    }
    Ok(Some(PluginDir {
        dir: mirror.to_owned(),
        note: Some(format!(
            "providers from the local mirror {DEFAULT_MIRROR} (the stack talks to an emulator on 127.0.0.1; --plugin-dir chooses another)"
        )),
    }))
}

/// Whether every AWS provider block of a Terraform JSON document sends every call to
/// loopback: at least one block, each with `endpoints`, every URL on 127.0.0.1 or localhost.
pub fn targets_local_emulator(document: &serde_json::Value) -> bool {
    let blocks = match document.pointer("/provider/aws") {
        Some(serde_json::Value::Array(blocks)) => blocks.iter().collect::<Vec<_>>(),
        Some(block @ serde_json::Value::Object(_)) => vec![block],
        _ => return false,
    };
    !blocks.is_empty()
        && blocks.iter().all(|block| {
            let endpoints = block
                .get("endpoints")
                .into_iter()
                .flat_map(|e| match e {
                    serde_json::Value::Array(list) => list.iter().collect::<Vec<_>>(),
                    other => vec![other],
                })
                .filter_map(|e| e.as_object())
                .flat_map(|map| map.values())
                .collect::<Vec<_>>();
            !endpoints.is_empty()
                && endpoints
                    .iter()
                    .all(|url| url.as_str().is_some_and(is_loopback))
        })
}

fn is_loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    if rest.starts_with("[::1]") {
        return true;
    }
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "localhost"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_provider_with_every_endpoint_on_loopback_is_local() {
        let local = json!({"provider": {"aws": [{"region": "us-east-1",
            "endpoints": [{"s3": "http://127.0.0.1:5000", "sts": "http://localhost:5000"}]}]}});
        assert!(targets_local_emulator(&local));
        let mixed = json!({"provider": {"aws": [{"endpoints": [{"s3": "http://127.0.0.1:5000"}]},
            {"alias": "real", "region": "eu-west-1"}]}});
        assert!(!targets_local_emulator(&mixed));
        let remote =
            json!({"provider": {"aws": [{"endpoints": [{"s3": "https://s3.example.com"}]}]}});
        assert!(!targets_local_emulator(&remote));
        let trick =
            json!({"provider": {"aws": [{"endpoints": [{"s3": "http://127.0.0.1.example.com"}]}]}});
        assert!(!targets_local_emulator(&trick));
        assert!(!targets_local_emulator(&json!({"resource": {}})));
    }

    #[test]
    fn an_asked_mirror_that_is_not_a_folder_is_refused_with_the_option() {
        let err = plugin_dir(Some(Path::new("/no/such/mirror")), Path::new("."))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("/no/such/mirror is not a folder"), "{err}");
        assert!(err.contains("--plugin-dir"), "{err}");
    }
}
