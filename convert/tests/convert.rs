//! Snapshots of the Rust `convert` writes for small realistic modules, of its error
//! messages, and its determinism.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use oxiform_convert::{convert, read_sources, Converted, Source};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn converted(name: &str) -> Converted {
    let sources = read_sources(&fixture(name)).unwrap();
    match convert(&sources) {
        Ok(c) => c,
        Err(errors) => panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.render())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// The Rust, then the features and the warnings, as one snapshot.
fn transcript(c: &Converted) -> String {
    let mut out = c.rust.clone();
    out.push_str(&format!("\n----- features: {:?}\n", c.features));
    for w in &c.warnings {
        out.push_str(&format!("----- {}\n", w.render()));
    }
    out
}

fn errors(name: &str, text: &str) -> String {
    match convert(&[Source::new(name, text)]) {
        Ok(c) => panic!("converted:\n{}", c.rust),
        Err(errors) => errors
            .iter()
            .map(|e| e.render())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn s3_bucket_and_a_policy_referencing_it() {
    insta::assert_snapshot!("s3_policy", transcript(&converted("s3_policy")));
}

#[test]
fn dynamodb_table_and_a_queue_named_by_a_template() {
    insta::assert_snapshot!("dynamodb_sqs", transcript(&converted("dynamodb_sqs")));
}

#[test]
fn variables_locals_outputs_backend_and_a_provider_alias() {
    insta::assert_snapshot!(
        "variables_outputs",
        transcript(&converted("variables_outputs"))
    );
}

#[test]
fn lifecycle_depends_on_and_a_data_source() {
    insta::assert_snapshot!("lifecycle", transcript(&converted("lifecycle")));
}

#[test]
fn invalid_hcl_names_the_file_and_the_line() {
    let text = std::fs::read_to_string(fixture("errors/invalid.tf")).unwrap();
    insta::assert_snapshot!("error_invalid_hcl", errors("invalid.tf", &text));
}

#[test]
fn unknown_types_and_arguments_suggest_the_closest_names() {
    let text = std::fs::read_to_string(fixture("errors/unknown_type.tf")).unwrap();
    insta::assert_snapshot!("error_unknown_type", errors("unknown_type.tf", &text));
}

#[test]
fn the_seed_articles_transform_job_is_refused_with_suggestions() {
    let text = std::fs::read_to_string(fixture("errors/seed_transform_job.tf")).unwrap();
    let message = errors("seed.tf", &text);
    assert!(message.contains("aws_sagemaker_transform_job"), "{message}");
    insta::assert_snapshot!("error_seed_transform_job", message);
}

#[test]
fn converting_twice_writes_the_same_bytes() {
    for name in [
        "s3_policy",
        "dynamodb_sqs",
        "variables_outputs",
        "lifecycle",
        "refactor_blocks",
    ] {
        let a = converted(name);
        let b = converted(name);
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn the_output_is_rustfmt_clean() {
    for name in [
        "s3_policy",
        "dynamodb_sqs",
        "variables_outputs",
        "lifecycle",
        "refactor_blocks",
    ] {
        let c = converted(name);
        let dir = std::env::temp_dir().join(format!("oxiform-convert-fmt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.rs"));
        std::fs::write(&file, &c.rust).unwrap();
        let status = std::process::Command::new("rustfmt")
            .args(["--edition", "2021", "--check"])
            .arg(&file)
            .status()
            .unwrap();
        assert!(status.success(), "{name} is not rustfmt-clean");
    }
}

#[test]
fn the_model_loads_once_and_says_how_long_it_took() {
    let catalog = oxiform_convert::catalog().unwrap();
    eprintln!("provider model loaded in {:?}", catalog.load_time);
    assert!(catalog
        .get(oxiform_codegen_kind_managed(), "aws_s3_bucket")
        .is_some());
}

fn oxiform_codegen_kind_managed() -> oxiform_convert::Kind {
    oxiform_convert::Kind::Managed
}

#[test]
fn import_moved_and_removed_blocks_become_the_refactoring_calls() {
    let c = converted("refactor_blocks");
    assert!(
        c.rust
            .contains(r#"stack.moved("aws_s3_bucket.logs", &archive)"#),
        "{}",
        c.rust
    );
    assert!(
        c.rust
            .contains(r#"stack.removed("aws_dynamodb_table.sessions")"#),
        "{}",
        c.rust
    );
    insta::assert_snapshot!("refactor_blocks", transcript(&c));
}
