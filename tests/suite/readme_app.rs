//! The guide's "Apps of many stacks" example (`docs/src/apps.md`): the registered app
//! `readme-app` word for word, synthesised through the command line into three stacks that
//! each pass `terraform validate`, wired by remote state in the app's order.

use oxiform_tests::terraform::Workdir;

/// The first ```rust block of the guide's chapter `docs/src/apps.md`.
fn readme_app_block() -> String {
    let chapter = std::fs::read_to_string(oxiform_tests::workspace_root().join("docs/src/apps.md"))
        .unwrap_or_else(|e| panic!("docs/src/apps.md: {e}"));
    let section = chapter
        .split_once("# Apps of many stacks\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("docs/src/apps.md has no `# Apps of many stacks` title"));
    section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("\n```\n"))
        .map(|(code, _)| format!("{code}\n"))
        .unwrap_or_else(|| panic!("docs/src/apps.md has no ```rust block"))
}

#[test]
fn the_readme_app_is_the_registered_app_word_for_word() {
    let path = oxiform_tests::workspace_root().join("stacks/src/readme_app.rs");
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let (comment, code) = file
        .split_once("\n\n")
        .unwrap_or_else(|| panic!("{}: no module comment", path.display()));
    assert!(comment.lines().all(|l| l.starts_with("//!")));
    assert_eq!(
        code,
        readme_app_block(),
        "docs/src/apps.md's block and {} differ: change both together",
        path.display()
    );
    let app = stacks::app();
    let def = app
        .apps
        .iter()
        .find(|a| a.name == "readme-app")
        .unwrap_or_else(|| panic!("no app `readme-app` registered"));
    // Registered with the guide's function: the same stacks, the same documents.
    let registered = (def.build)().unwrap_or_else(|e| panic!("{e:#}"));
    let readme = stacks::readme_app::platform().unwrap_or_else(|e| panic!("{e:#}"));
    let json = |app: &oxiform::App| -> Vec<String> {
        let docs = app.synth().unwrap_or_else(|e| panic!("{e}"));
        docs.iter()
            .map(|(_, doc)| doc.to_json().unwrap_or_else(|e| panic!("{e}")))
            .collect()
    };
    assert_eq!(json(&registered), json(&readme));
}

#[test]
fn the_readme_app_synthesises_into_three_valid_stacks_in_order() {
    let app = stacks::readme_app::platform().unwrap_or_else(|e| panic!("{e:#}"));
    let graph = app.graph();
    assert_eq!(
        graph.order().unwrap_or_default(),
        ["readme-data", "readme-api", "readme-alerts"]
    );
    assert_eq!(graph.needs("readme-alerts"), ["readme-data", "readme-api"]);
    let docs = app.synth().unwrap_or_else(|e| panic!("{e}"));
    for (stack, doc) in docs.iter() {
        let json = doc.to_json().unwrap_or_else(|e| panic!("{e}"));
        let work = Workdir::new();
        work.write_document(stack, &json);
        let report = work.validate();
        assert_eq!(report["valid"], true, "{}: {report:#}", stack.name());
        assert_eq!(report["warning_count"], 0, "{}: {report:#}", stack.name());
    }
    let api: serde_json::Value = serde_json::from_str(
        &docs
            .to_json("readme-api")
            .unwrap_or_else(|| panic!("no readme-api")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let env = &api["resource"]["aws_lambda_function"]["api"]["environment"]["variables"];
    assert_eq!(
        env["EVENTS_BUCKET"],
        "${data.terraform_remote_state.readme-data.outputs.bucket}"
    );
    assert_eq!(
        api["data"]["terraform_remote_state"]["readme-data"]["config"]["key"],
        "platform/readme-data.tfstate"
    );
}

#[test]
fn the_command_line_writes_every_stack_of_the_app_by_its_name() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = oxiform_cli::execute(
        ["stacks", "synth", "readme-app", "--out"]
            .into_iter()
            .map(String::from)
            .chain([out.path().display().to_string()]),
        &stacks::app(),
        &mut stdout,
        &mut stderr,
    );
    let stdout = String::from_utf8_lossy(&stdout);
    assert_eq!(code, 0, "{stdout}{}", String::from_utf8_lossy(&stderr));
    for stack in ["readme-data", "readme-api", "readme-alerts"] {
        assert!(
            out.path().join(stack).join("main.tf.json").is_file(),
            "{stdout}"
        );
    }
    assert!(out.path().join("readme-api/api.zip").is_file());
}
