//! Output is byte-identical across runs, and a failed synth never touches the last good
//! output.

use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform::testing::{AssertionError, Match, Template};
use oxiform_cli::{synth_stacks, StackDef};
use serde_json::json;

fn good() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("good");
    stack.provider(AwsProvider::new("eu-west-1").default_tag("Team", "ml"));
    // Declared in an order different from the output order on purpose.
    let z = stack.add(
        "zeta",
        TerraformData::new().input(serde_json::json!({"b": 1, "a": 2})),
    );
    let a = stack.add("alpha", TerraformData::new().input(z.output()));
    stack.output("alpha", Output::new(a.id()));
    Ok(stack)
}

fn broken() -> anyhow::Result<Stack> {
    let mut stack = Stack::new("good");
    stack.add("dup", TerraformData::new());
    stack.add("dup", TerraformData::new());
    Ok(stack)
}

#[test]
fn two_syntheses_are_byte_identical() -> Result<(), AssertionError> {
    let first = good().unwrap_or_else(|e| panic!("{e}"));
    let second = good().unwrap_or_else(|e| panic!("{e}"));
    let json = |s: &Stack| {
        s.synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let text = json(&first);
    assert_eq!(text, json(&second));
    assert!(text.ends_with("}\n"), "trailing newline");
    let alpha = text.find("\"alpha\"").unwrap_or(usize::MAX);
    let zeta = text.find("\"zeta\"").unwrap_or(0);
    assert!(
        alpha < zeta,
        "resources are ordered by name, not by declaration"
    );
    // What was declared is what was written.
    let t = Template::from_json(&text)?;
    let (zeta, alpha) = (
        t.resource::<TerraformData>("zeta")?,
        t.resource::<TerraformData>("alpha")?,
    );
    zeta.has_properties(Match::exact(json!({ "input": { "a": 2, "b": 1 } })))?;
    t.references(&alpha, &zeta)?;
    assert_eq!(
        t.output("alpha")?.expression(),
        Some("terraform_data.alpha.id")
    );
    Ok(())
}

#[test]
fn failed_synth_leaves_previous_output_untouched() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    synth_stacks(&[StackDef::new("good", good)], out.path()).unwrap_or_else(|e| panic!("{e}"));
    let path = out.path().join("good/main.tf.json");
    let before = std::fs::read(&path).unwrap_or_default();
    assert!(!before.is_empty());

    let err = synth_stacks(&[StackDef::new("good", broken)], out.path())
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(
        err.contains("duplicate address `terraform_data.dup`"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    let leftovers: Vec<_> = std::fs::read_dir(out.path().join("good"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

fn good_with_more() -> anyhow::Result<Stack> {
    let mut stack = good()?;
    stack.add("omega", TerraformData::new());
    Ok(stack)
}

fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_stack_that_cannot_be_written_replaces_no_other_stack() -> Result<(), AssertionError> {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = |build| StackDef::new("first", build);
    synth_stacks(&[first(good)], out.path()).unwrap_or_else(|e| panic!("{e}"));
    let path = out.path().join("first/main.tf.json");
    let before = std::fs::read(&path).unwrap_or_default();
    // `second`'s folder cannot be created: a file is in the way.
    std::fs::write(out.path().join("second"), "not a folder").unwrap_or_else(|e| panic!("{e}"));

    let err = synth_stacks(
        &[
            first(good_with_more),
            // New: its folder is made while staging, and removed again.
            StackDef::new("third", good),
            StackDef::new("second", good),
        ],
        out.path(),
    )
    .err()
    .map(|e| format!("{e:#}"))
    .unwrap_or_default();
    assert!(err.contains("second/main.tf.json"), "names the file: {err}");
    assert!(err.contains("nothing was replaced"), "{err}");
    assert!(!out.path().join("third").exists(), "no folder left behind");
    assert_eq!(
        std::fs::read(&path).unwrap_or_default(),
        before,
        "`first` was written and flushed, but not put in place"
    );
    assert_eq!(file_names(&out.path().join("first")), ["main.tf.json"]);

    // With the way clear, both are written.
    std::fs::remove_file(out.path().join("second")).unwrap_or_else(|e| panic!("{e}"));
    synth_stacks(
        &[first(good_with_more), StackDef::new("second", good)],
        out.path(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let after = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    // The new `first` is in place.
    let t = Template::from_json(&after)?;
    t.resource::<TerraformData>("omega")?;
    t.resource_count_is::<TerraformData>(3)?;
    assert_eq!(file_names(&out.path().join("second")), ["main.tf.json"]);
    Ok(())
}
