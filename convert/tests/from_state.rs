//! `convert --from-state`: the HCL written from a checked-in state (format version 4) and
//! from `terraform show -json`, the Rust it converts to, and the errors of what is not a state.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use oxiform_convert::{catalog, convert_state, state_to_hcl, Converted};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

fn converted(name: &str) -> Converted {
    convert_state(name, &read(name)).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.render())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// The HCL, the Rust, the features and the warnings, as one snapshot.
fn transcript(name: &str) -> String {
    let hcl = state_to_hcl(catalog().unwrap(), name, &read(name)).unwrap();
    let c = converted(name);
    let mut out = format!("----- HCL ({} to import)\n", hcl.resources);
    out.push_str(&hcl.source.text);
    out.push_str("----- Rust\n");
    out.push_str(&c.rust);
    out.push_str(&format!("----- features: {:?}\n", c.features));
    for w in &c.warnings {
        out.push_str(&format!("----- {}\n", w.render()));
    }
    out
}

#[test]
fn a_state_file_becomes_typed_builders_each_imported() {
    let text = transcript("terraform.tfstate");
    // The secret is never written; a sensitive variable stands for it.
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("sensitive()"), "{text}");
    // Policy variables stay literal through HCL and Rust.
    assert!(text.contains("home/${aws:username}/*"), "{text}");
    insta::assert_snapshot!("from_state_tfstate", text);
}

#[test]
fn terraform_show_json_is_read_too() {
    insta::assert_snapshot!("from_state_show_json", transcript("show.json"));
}

#[test]
fn converting_a_state_twice_writes_the_same_bytes() {
    assert_eq!(
        converted("terraform.tfstate"),
        converted("terraform.tfstate")
    );
}

#[test]
fn what_is_not_a_state_is_refused_with_a_hint() {
    let mut out = Vec::new();
    for (name, text) in [
        ("broken.json", "{\n  \"version\": 4,\n  \"resources\": [\n"),
        ("old.tfstate", r#"{"version": 3, "modules": []}"#),
        (
            "plan.json",
            r#"{"format_version": "1.2", "planned_values": {}}"#,
        ),
        ("outputs.json", r#"{"resources": []}"#),
    ] {
        let errors = convert_state(name, text).expect_err(name);
        out.extend(errors.iter().map(|e| e.render()));
    }
    insta::assert_snapshot!("from_state_errors", out.join("\n"));
}

#[test]
fn an_empty_state_converts_to_an_empty_build() {
    let c = convert_state("empty.tfstate", r#"{"version": 4, "resources": []}"#).unwrap();
    assert!(
        c.rust.contains("pub fn build(stack: &mut Stack) {}"),
        "{}",
        c.rust
    );
    assert!(c.warnings.is_empty());
}
