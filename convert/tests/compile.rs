//! The Rust `convert` writes compiles against the facade, with only the features it printed,
//! and synthesises: the fixture modules, each a module of one throwaway crate under
//! `target/convert-check/` (its own target folder there, kept between runs), built with
//! warnings denied and run.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use oxiform_convert::{convert, read_sources};

const MODULES: &[&str] = &[
    "s3_policy",
    "dynamodb_sqs",
    "variables_outputs",
    "lifecycle",
    "refactor_blocks",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn converted_modules_compile_against_the_facade_and_synthesise() {
    let root = root();
    let dir = root.join("target").join("convert-check");
    let krate = dir.join("crate");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let mut features = BTreeSet::new();
    let mut main = String::from(
        "#![deny(warnings)]\n//! Each converted module on a stack of its own, synthesised.\n\n",
    );
    for m in MODULES {
        main.push_str(&format!("mod {m};\n"));
    }
    main.push_str("\nfn main() {\n");
    for m in MODULES {
        let sources = read_sources(&root.join("convert/tests/fixtures").join(m)).unwrap();
        let c = convert(&sources).unwrap_or_else(|e| panic!("{m}: {e:?}"));
        features.extend(c.features.iter().cloned());
        std::fs::write(krate.join("src").join(format!("{m}.rs")), &c.rust).unwrap();
        main.push_str(&format!(
            "    let mut stack = oxiform::Stack::new(\"{m}\");\n    {m}::build(&mut stack);\n    \
             let json = stack.synth().expect(\"{m}\").to_json().expect(\"{m}\");\n    \
             println!(\"=== {m}\\n{{json}}\");\n"
        ));
    }
    main.push_str("}\n");
    std::fs::write(krate.join("src").join("main.rs"), main).unwrap();
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"converted-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\noxiform = {{ path = \"{}\", default-features = false, features = [{}] }}\n\n\
             [workspace]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
            root.join("sdk").display(),
            quoted.join(", ")
        ),
    )
    .unwrap();
    // The workspace's versions of every dependency.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    eprintln!(
        "built and ran the converted modules in {:?}",
        started.elapsed()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The template and the reference survived: Terraform JSON as the HCL meant it.
    assert!(
        stdout.contains(r#""name": "${aws_dynamodb_table.orders.name}-events""#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#""bucket": "${aws_s3_bucket.archive.id}""#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""provider": "aws.us""#), "{stdout}");
    assert!(stdout.contains(r#""prevent_destroy": true"#), "{stdout}");
}
