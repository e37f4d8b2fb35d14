//! Files that a stack ships next to its `main.tf.json` (a Lambda deployment zip, say), and a
//! deterministic zip writer for them.
//!
//! Zips are built in memory with fixed timestamps, sorted entries and fixed permissions, so the
//! bytes — and the `source_code_hash` Terraform compares — change only when the content does.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::value::Expr;

/// A file written beside `main.tf.json` when the stack is synthesised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    file_name: String,
    bytes: Vec<u8>,
}

impl Asset {
    /// The file's name inside the stack's output folder.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
    /// The file's content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// What a resource needs to point at an asset.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetRef {
    /// `${path.module}/<file>`: the asset's path as Terraform resolves it.
    pub path: Expr<String>,
    /// Base64 of the SHA-256 of the content (Lambda's `source_code_hash`).
    pub base64_sha256: String,
}

impl Asset {
    /// The asset, with the base64 SHA-256 of `bytes` computed by the caller.
    pub(crate) fn with_sha256(
        file_name: &str,
        bytes: Vec<u8>,
        base64_sha256: String,
    ) -> (Self, AssetRef) {
        let reference = AssetRef {
            path: crate::template!("{}/{}", Expr::<String>::raw("path.module"), file_name),
            base64_sha256,
        };
        (
            Asset {
                file_name: file_name.to_owned(),
                bytes,
            },
            reference,
        )
    }
}

/// Base64 of the SHA-256 of `bytes`, as Terraform's `filebase64sha256` prints it (Lambda's
/// `source_code_hash`).
pub fn base64_sha256(bytes: &[u8]) -> String {
    base64(&Sha256::digest(bytes))
}

/// Standard base64 with padding (RFC 4648), as Terraform's `filebase64sha256` prints it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Builds a zip of `files` (path inside the zip, content) with no compression, entries sorted
/// by path, timestamps fixed at 1980-01-01 and permissions 0644: the same input always gives
/// the same bytes.
pub fn deterministic_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut entries: Vec<&(String, Vec<u8>)> = files.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    let mut central = Vec::new();
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        let offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by: unix
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attrs
        central.extend_from_slice(&((0o100644u32) << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(files.len()).unwrap_or(u16::MAX);
    let central_offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
    let central_size = u32::try_from(central.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Reads every file below `dir` (skipping `__pycache__` and dot-files), as zip entries with
/// `/`-separated relative paths.
pub fn read_dir_files(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "__pycache__" {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .map_err(std::io::Error::other)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((relative, std::fs::read(&path)?));
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn zip_is_byte_identical_and_order_independent() {
        let a = vec![
            ("b.py".to_owned(), b"x".to_vec()),
            ("a.py".to_owned(), b"y".to_vec()),
        ];
        let b = vec![
            ("a.py".to_owned(), b"y".to_vec()),
            ("b.py".to_owned(), b"x".to_vec()),
        ];
        assert_eq!(deterministic_zip(&a), deterministic_zip(&b));
        assert_ne!(
            deterministic_zip(&a),
            deterministic_zip(&[("a.py".to_owned(), b"z".to_vec())])
        );
    }
}
