//! `count`, `for_each`, instance references and untyped resources, as the writer writes them,
//! pass `terraform validate` (terraform at `/usr/local/bin/terraform` or `$TERRAFORM`, the
//! AWS provider from the mirror `/opt/tf-plugins` or `$OXIFORM_PLUGIN_DIR`; no network).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

use oxiform_core::builtin::TerraformData;
use oxiform_core::meta::{count_index, each_key, each_value, ForEach};
use oxiform_core::prelude::*;
use oxiform_core::untyped::{UntypedBlock, UntypedResource};

fn stack() -> Stack {
    let mut stack = Stack::new("meta");
    let names: Expr<Vec<String>> = stack.variable(
        "names",
        Variable::new().default_value(vec!["a".to_owned(), "b".to_owned()]),
    );
    let workers = stack.add(
        "workers",
        TerraformData::new()
            .count(2)
            .input(template!("worker-{}", count_index()).cast()),
    );
    let queues = stack.add(
        "queues",
        TerraformData::new()
            .for_each(ForEach::map::<String>([
                ("orders", "fifo"),
                ("events", "std"),
            ]))
            .input(template!("{}={}", each_key(), each_value::<String>()).cast())
            .triggers_replace(workers.at(1).id().cast()),
    );
    let by_name = stack.add_untyped(
        "by_name",
        UntypedResource::new("terraform_data")
            .for_each(names)
            .arg("input", each_key())
            .arg("triggers_replace", queues.at_key("orders").output()),
    );
    stack.add_untyped(
        "all",
        UntypedResource::new("terraform_data")
            .count(1)
            .arg("input", workers.all().id())
            .depends_on(&by_name)
            .ignore_changes(["input"]),
    );
    stack.output(
        "orders",
        Output::new(by_name.at_key("a").attr::<String>("output")),
    );
    let _ = UntypedBlock::new();
    stack
}

#[test]
fn instance_references_are_graph_edges() {
    let stack = stack();
    let edges: Vec<String> = stack
        .graph()
        .edges()
        .iter()
        .map(|(a, b, _)| format!("{a} -> {b}"))
        .collect();
    assert_eq!(
        edges,
        [
            "terraform_data.all -> terraform_data.by_name",
            "terraform_data.all -> terraform_data.workers",
            "terraform_data.by_name -> terraform_data.queues",
            "terraform_data.queues -> terraform_data.workers",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&stack.synth().unwrap().to_json().unwrap()).unwrap();
    let r = &json["resource"]["terraform_data"];
    assert_eq!(r["workers"]["count"], 2);
    assert_eq!(
        r["queues"]["triggers_replace"],
        "${terraform_data.workers[1].id}"
    );
    assert_eq!(r["by_name"]["for_each"], "${toset(var.names)}");
    assert_eq!(
        r["by_name"]["triggers_replace"],
        "${terraform_data.queues[\"orders\"].output}"
    );
    assert_eq!(r["all"]["input"], "${terraform_data.workers[*].id}");
    assert_eq!(
        r["all"]["depends_on"],
        serde_json::json!(["terraform_data.by_name"])
    );
}

#[test]
fn the_document_passes_terraform_validate_and_applies() {
    let terraform = PathBuf::from(
        std::env::var_os("TERRAFORM").unwrap_or_else(|| "/usr/local/bin/terraform".into()),
    );
    let plugins = PathBuf::from(
        std::env::var_os("OXIFORM_PLUGIN_DIR").unwrap_or_else(|| "/opt/tf-plugins".into()),
    );
    if !terraform.exists() || !plugins.exists() {
        eprintln!("skipped: no terraform or provider mirror");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let json = stack().synth().unwrap().to_json().unwrap();
    std::fs::write(dir.path().join("main.tf.json"), json).unwrap();
    let run = |args: &[&str]| -> String {
        let out = Command::new(&terraform)
            .args(args)
            .current_dir(dir.path())
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plugin_dir = format!("-plugin-dir={}", plugins.display());
    run(&["init", "-backend=false", "-input=false", &plugin_dir]);
    run(&["validate"]);
    // Only `terraform_data` (built in): applies offline, no provider configured.
    run(&["apply", "-auto-approve", "-input=false"]);
    let outputs: serde_json::Value = serde_json::from_str(&run(&["output", "-json"])).unwrap();
    // `by_name["a"]`'s input is its key.
    assert_eq!(outputs["orders"]["value"], "a");
    let state = run(&["state", "list"]);
    for address in [
        "terraform_data.all[0]",
        "terraform_data.by_name[\"a\"]",
        "terraform_data.by_name[\"b\"]",
        "terraform_data.queues[\"events\"]",
        "terraform_data.queues[\"orders\"]",
        "terraform_data.workers[0]",
        "terraform_data.workers[1]",
    ] {
        assert!(state.lines().any(|l| l == address), "{address} in\n{state}");
    }
}
