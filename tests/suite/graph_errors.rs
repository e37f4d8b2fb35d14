//! Graph checks: every problem of a stack is reported at once, with stable text.

use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform::testing::{AssertionError, Template};
use oxiform_tests::snapshot;

fn errors(stack: &Stack) -> String {
    match stack.synth() {
        Ok(_) => panic!("synth of `{}` should have failed", stack.name()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn duplicate_address() {
    let mut stack = Stack::new("dup");
    stack.add("same", TerraformData::new());
    stack.add("same", TerraformData::new());
    snapshot!("error_duplicate_address", errors(&stack));
}

#[test]
fn invalid_identifier() {
    let mut stack = Stack::new("names");
    stack.add("1st-resource", TerraformData::new());
    stack.output("has space", Output::new("x"));
    snapshot!("error_invalid_identifier", errors(&stack));
}

#[test]
fn handle_from_another_stack() {
    let mut other = Stack::new("other");
    let foreign = other.add("elsewhere", TerraformData::new());
    let mut stack = Stack::new("mine");
    stack.add("uses_foreign", TerraformData::new().input(foreign.output()));
    stack.add(
        "waits_for_foreign",
        TerraformData::new().depends_on(&foreign),
    );
    snapshot!("error_foreign_handle", errors(&stack));
}

#[test]
fn two_resource_cycle() {
    let mut stack = Stack::new("cycle2");
    let a = stack.add("a", TerraformData::new());
    let b = stack.add("b", TerraformData::new().depends_on(&a));
    stack.add_dependency(&a, &b);
    snapshot!("error_cycle_two", errors(&stack));
}

#[test]
fn three_resource_cycle_names_every_member_in_order() {
    let mut stack = Stack::new("cycle3");
    let z = stack.add("z", TerraformData::new());
    let y = stack.add("y", TerraformData::new().input(z.output()));
    let x = stack.add("x", TerraformData::new().depends_on(&y));
    stack.add_dependency(&z, &x);
    stack.add("bystander", TerraformData::new().depends_on(&x));
    snapshot!("error_cycle_three", errors(&stack));
}

#[test]
fn all_problems_are_reported_together() {
    let mut stack = Stack::new("many");
    let a = stack.add("a", TerraformData::new());
    let b = stack.add("b", TerraformData::new().depends_on(&a));
    stack.add_dependency(&a, &b);
    stack.add("a", TerraformData::new());
    stack.add("bad name", TerraformData::new());
    let text = errors(&stack);
    assert!(text.starts_with("synth found 3 problems:"), "{text}");
    for part in [
        "invalid resource name",
        "duplicate address",
        "dependency cycle",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
}

#[test]
fn graph_exposes_references_and_depends_on() -> Result<(), AssertionError> {
    let mut stack = Stack::new("graph");
    let a = stack.add("a", TerraformData::new());
    let b = stack.add("b", TerraformData::new().input(a.output()));
    let c = stack.add("c", TerraformData::new().input(b.output()).depends_on(&a));
    let graph = stack.graph();
    let edges: Vec<String> = graph
        .edges()
        .into_iter()
        .map(|(from, to, kind)| format!("{from} -> {to} ({kind:?})"))
        .collect();
    assert_eq!(graph.nodes().count(), 3);
    assert_eq!(
        edges,
        [
            "terraform_data.b -> terraform_data.a (Reference)",
            "terraform_data.c -> terraform_data.a (DependsOn)",
            "terraform_data.c -> terraform_data.b (Reference)",
        ]
    );
    // The synthesised document holds the same edges.
    let t = Template::synth(&stack)?;
    t.resource_count_is::<TerraformData>(3)?;
    assert_eq!(t.references(&b, &a)?.paths(), ["input"]);
    assert!(t.references(&c, &a)?.is_explicit());
    assert_eq!(t.references(&c, &b)?.paths(), ["input"]);
    assert!(t.references(&a, &b).is_err());
    assert!(t.dependencies(&a)?.is_empty());
    Ok(())
}
