//! Terraform names and values as Rust tokens: identifiers, string and number literals.
//! Apart from the lowering so that what only spells values (type constraints) need not
//! name it.

use oxiform_codegen::names::is_keyword;

/// A Rust identifier from a Terraform name: lowercase, `-` as `_`, keywords suffixed.
pub(super) fn rust_ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        s.insert(0, '_');
    }
    if is_keyword(&s) || s == "stack" || s == "self" {
        s.push('_');
    }
    s
}

/// `text` as a raw Rust string literal, `r#"…"#` (as many `#` as it takes).
pub(super) fn raw_str(text: &str) -> String {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// `"text"` as a Rust string literal.
pub(super) fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// An integer literal: `i64` suffixed when it does not fit the `i32` Rust infers.
pub(super) fn int_literal(n: i64) -> String {
    if i32::try_from(n).is_ok() {
        n.to_string()
    } else {
        format!("{n}_i64")
    }
}

/// A float literal, with a `.` even when whole (`1.0`).
pub(super) fn float_literal(f: f64) -> String {
    format!("{f:?}")
}
