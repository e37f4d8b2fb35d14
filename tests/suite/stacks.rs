//! This repository's stacks: one snapshot each, `terraform validate` against the provider
//! mirror, and the configuration files' schema and error messages.

use oxiform_tests::snapshot;
use oxiform_tests::terraform::Workdir;

fn synth(def: &oxiform_cli::StackDef) -> String {
    let stack = (def.build)().unwrap_or_else(|e| panic!("building {}: {e:#}", def.name));
    let doc = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    doc.to_json().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_stack_matches_its_snapshot() {
    let app = stacks::app();
    assert!(!app.stacks.is_empty());
    for def in &app.stacks {
        snapshot!(format!("stack_{}", def.name), synth(def));
    }
}

#[test]
fn every_stack_passes_terraform_validate() {
    for def in &stacks::app().stacks {
        let stack = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
        let json = stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_default();
        let work = Workdir::new();
        work.write_main(&json);
        for asset in stack.assets() {
            std::fs::write(work.path().join(asset.file_name()), asset.bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let report = work.validate();
        assert_eq!(
            report["valid"],
            serde_json::Value::Bool(true),
            "terraform validate rejected stack `{}`:\n{report:#}",
            def.name
        );
        assert_eq!(report["error_count"], 0, "{report:#}");
        assert_eq!(
            report["warning_count"], 0,
            "stack `{}` has warnings:\n{report:#}",
            def.name
        );
    }
}

#[test]
fn synth_is_byte_identical_across_runs() {
    for def in &stacks::app().stacks {
        assert_eq!(synth(def), synth(def), "stack `{}`", def.name);
    }
}
