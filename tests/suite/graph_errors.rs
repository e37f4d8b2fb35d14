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

/// The errors of an app's synth.
fn app_errors(app: &App) -> String {
    match app.synth() {
        Ok(_) => panic!("synth of app `{}` should have failed", app.name()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn stacks_reading_each_other_in_a_circle_are_refused_with_the_whole_path() {
    let mut network = Stack::new("network");
    let mut data = Stack::new("data");
    let mut api = Stack::new("api");
    let vpc = network.add("vpc", TerraformData::new());
    let table = data.add("table", TerraformData::new());
    let url = api.add("url", TerraformData::new());
    let vpc_id = network.export("vpc_id", Output::new(vpc.id()));
    let table_id = data.export("table_id", Output::new(table.id()));
    let api_url = api.export("url", Output::new(url.id()));
    data.add(
        "in_vpc",
        TerraformData::new().input(Expr::<String>::from(vpc_id).cast()),
    );
    api.add(
        "reads_table",
        TerraformData::new().input(Expr::<String>::from(table_id).cast()),
    );
    network.output("api", Output::new(api_url));
    let mut app = App::new("prod");
    app.backend(AppBackend::local());
    app.add(network);
    app.add(data);
    app.add(api);
    assert!(app.graph().order().is_none());
    snapshot!("error_app_cycle", app_errors(&app));
}

#[test]
fn a_read_of_a_stack_outside_the_app_is_refused() {
    let mut network = Stack::new("network");
    let vpc = network.add("vpc", TerraformData::new());
    let vpc_id = network.export("vpc_id", Output::new(vpc.id()));
    let mut api = Stack::new("api");
    api.output("vpc", Output::new(vpc_id));
    let mut app = App::new("prod");
    app.backend(AppBackend::local());
    app.add(api); // `network` is never added
    snapshot!("error_app_unknown_stack", app_errors(&app));
}

#[test]
fn an_app_without_a_backend_cannot_share_outputs() {
    let mut network = Stack::new("network");
    let vpc = network.add("vpc", TerraformData::new());
    let vpc_id = network.export("vpc_id", Output::new(vpc.id()));
    let mut api = Stack::new("api");
    api.output("vpc", Output::new(vpc_id));
    let mut app = App::new("prod");
    app.add(network);
    app.add(api);
    snapshot!("error_app_no_backend", app_errors(&app));
    // A stack that reads another's export cannot be synthesised alone either.
    let mut alone = Stack::new("alone");
    alone.output("vpc", Output::new(vpc_id));
    let text = errors(&alone);
    assert!(
        text.contains(
            "reads export `vpc_id` of stack `network`, but the stack is synthesised alone"
        ),
        "{text}"
    );
}
