//! What the bundler's tests share: the router's sources (a real function with a real
//! dependency) and a reader of the zips the core writes.

#![allow(dead_code)]

use std::path::PathBuf;

/// `stacks/router`: the router Lambda's sources and its `requirements.lock` (redis-py).
pub fn router_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("stacks")
        .join("router")
}

/// The entries of a zip written by `oxiform_core::asset::deterministic_zip` (stored, no
/// compression): name and content, in the zip's order.
pub fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
    let u32_at =
        |at: usize| u32::from_le_bytes([zip[at], zip[at + 1], zip[at + 2], zip[at + 3]]) as usize;
    let mut out = Vec::new();
    let mut at = 0;
    while at + 30 <= zip.len() && u32_at(at) == 0x0403_4b50 {
        let size = u32_at(at + 18);
        let name_len = u16_at(at + 26);
        let extra = u16_at(at + 28);
        let name = String::from_utf8_lossy(&zip[at + 30..at + 30 + name_len]).into_owned();
        let data = at + 30 + name_len + extra;
        out.push((name, zip[data..data + size].to_vec()));
        at = data + size;
    }
    out
}
