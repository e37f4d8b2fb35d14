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
fn every_type_constraint_keeps_its_type_and_default() {
    insta::assert_snapshot!("variable_types", transcript(&converted("variable_types")));
}

#[test]
fn functions_conditionals_operators_and_for_expressions_are_typed() {
    let c = converted("expressions");
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    insta::assert_snapshot!("expressions", transcript(&c));
}

#[test]
fn local_modules_become_functions_with_moved_blocks() {
    let c = converted("modules");
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert!(c.rust.contains("pub fn queue_module(stack: &mut Stack, module: &str, inputs: QueueInputs) -> QueueOutputs"), "{}", c.rust);
    insta::assert_snapshot!("modules", transcript(&c));
}

/// A module `terraform init` downloaded is read from `.terraform/modules`, as recorded in
/// its `modules.json`, and converted like a local one.
#[test]
fn downloaded_modules_are_read_from_dot_terraform() {
    let dir =
        std::env::temp_dir().join(format!("oxiform-convert-downloaded-{}", std::process::id()));
    let module = dir.join(".terraform/modules/events");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "module \"events\" {\n  source  = \"acme/queue/aws\"\n  version = \"1.2.0\"\n  name    = \"events\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"events","Source":"registry.terraform.io/acme/queue/aws","Version":"1.2.0","Dir":".terraform/modules/events"}]}"#,
    )
    .unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"name\" {\n  type = string\n}\n\nresource \"aws_sqs_queue\" \"this\" {\n  name = var.name\n}\n",
    )
    .unwrap();
    let sources = read_sources(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "main.tf",
            ".terraform/modules/modules.json",
            ".terraform/modules/events/main.tf"
        ]
    );
    let c = convert(&sources).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(c.rust.contains("pub fn events_module("), "{}", c.rust);
    assert!(
        c.rust.contains("module.{module}.aws_sqs_queue.this"),
        "{}",
        c.rust
    );
    assert!(c.rust.contains(r#"name: "events".into(),"#), "{}", c.rust);
}

/// Raw HCL in a module's function names the module's own variables, which the function
/// does not declare: the warning says so.
#[test]
fn raw_hcl_in_a_module_warns_that_its_names_are_not_the_functions() {
    let c = convert(&[
        Source::new(
            "main.tf",
            "module \"m\" {\n  source = \"./modules/m\"\n  values = { a = \"1\" }\n}\n",
        ),
        Source::new(
            "modules/m/main.tf",
            "variable \"values\" {\n  type = map(string)\n}\n\noutput \"by_value\" {\n  value = {for k, v in var.values : v => k...}\n}\n",
        ),
    ])
    .unwrap();
    let warnings: Vec<String> = c.warnings.iter().map(|w| w.render()).collect();
    insta::assert_snapshot!("module_raw_warning", warnings.join("\n"));
}

#[test]
fn module_errors_name_the_call_and_the_fix() {
    let sources = [
        Source::new(
            "main.tf",
            r#"module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

module "missing" {
  source = "./modules/nowhere"
}

module "queue" {
  source  = "./modules/queue"
  nmae    = "orders"
  count   = 2
}
"#,
        ),
        Source::new(
            "modules/queue/main.tf",
            "variable \"name\" {\n  type = string\n}\n",
        ),
    ];
    let rendered = match convert(&sources) {
        Ok(c) => panic!("converted:\n{}", c.rust),
        Err(errors) => errors
            .iter()
            .map(|e| e.render())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    insta::assert_snapshot!("module_errors", rendered);
}

#[test]
fn lifecycle_depends_on_and_a_data_source() {
    insta::assert_snapshot!("lifecycle", transcript(&converted("lifecycle")));
}

#[test]
fn jsonencode_of_policies_is_typed_and_other_json_exact() {
    insta::assert_snapshot!("iam_jsonencode", transcript(&converted("iam_jsonencode")));
}

#[test]
fn dynamic_blocks_over_known_collections_are_unrolled() {
    insta::assert_snapshot!("dynamic_blocks", transcript(&converted("dynamic_blocks")));
}

#[test]
fn terraform_json_syntax_next_to_hcl() {
    insta::assert_snapshot!("tf_json", transcript(&converted("tf_json")));
}

#[test]
fn invalid_tf_json_names_the_file_and_the_line() {
    let message = match convert(&[Source::new(
        "main.tf.json",
        "{\n  \"resource\": {\n    \"aws_sqs_queue\": {,\n}",
    )]) {
        Ok(c) => panic!("converted:\n{}", c.rust),
        Err(errors) => errors
            .iter()
            .map(|e| e.render())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    insta::assert_snapshot!("error_invalid_tf_json", message);
}

#[test]
fn tf_json_errors_name_the_json_files_lines() {
    // The unknown argument is on line 5 of the JSON: the HCL it is read as keeps the lines.
    let json = "{\n  \"resource\": {\n    \"aws_sqs_queue\": {\n      \"q\": {\n        \"nmae\": \"x\"\n      }\n    }\n  }\n}\n";
    let message = match convert(&[Source::new("main.tf.json", json)]) {
        Ok(c) => panic!("converted:\n{}", c.rust),
        Err(errors) => errors
            .iter()
            .map(|e| e.render())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    assert!(message.contains("main.tf.json:5"), "{message}");
    assert!(message.contains("`name`"), "{message}");
}

#[test]
fn a_tf_json_file_alone_is_read() {
    let sources = read_sources(&fixture("tf_json/main.tf.json")).unwrap();
    assert_eq!(sources.len(), 1);
    assert!(sources[0].name.ends_with("main.tf.json"));
    let dir = read_sources(&fixture("tf_json")).unwrap();
    let names: Vec<&str> = dir.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["main.tf.json", "variables.tf"]);
}

#[test]
fn tf_json_provider_aliases_variables_and_dynamic_blocks() {
    let json = r#"{
  "variable": {
    "names": { "type": "list(string)", "default": ["a", "${b}"] }
  },
  "provider": {
    "aws": [{ "region": "eu-west-1" }, { "alias": "us", "region": "us-east-1" }]
  },
  "resource": {
    "aws_dynamodb_table": {
      "t": {
        "provider": "aws.us",
        "name": "t",
        "hash_key": "id",
        "billing_mode": "PAY_PER_REQUEST",
        "dynamic": {
          "attribute": {
            "for_each": ["id", "sk"],
            "iterator": "a",
            "content": { "name": "${a.value}", "type": "S" }
          }
        }
      }
    }
  }
}"#;
    let c = convert(&[Source::new("main.tf.json", json)]).unwrap();
    let rust = &c.rust;
    // A variable's default is a literal: `${b}` stays text.
    assert!(rust.contains(r#""${b}".to_owned()"#), "{rust}");
    assert!(
        rust.contains(r#"AwsProvider::new("us-east-1").alias("us")"#),
        "{rust}"
    );
    assert!(rust.contains(r#"name: "id".into()"#), "{rust}");
    assert!(rust.contains(r#"name: "sk".into()"#), "{rust}");
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn nested_dynamic_blocks_over_an_outer_elements_list() {
    let hcl = r#"
locals {
  rules = {
    logs = { days = [30, 90] }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "l" {
  bucket = "b"
  dynamic "rule" {
    for_each = local.rules
    content {
      id     = rule.key
      status = "Enabled"
      filter {}
      dynamic "transition" {
        for_each = rule.value.days
        content {
          days          = transition.value
          storage_class = transition.key == 0 ? "STANDARD_IA" : "GLACIER"
        }
      }
    }
  }
}
"#;
    let c = convert(&[Source::new("main.tf", hcl)]).unwrap();
    let rust = &c.rust;
    assert!(rust.contains(r#"id: "logs".into()"#), "{rust}");
    assert!(rust.contains(".days(30)"), "{rust}");
    assert!(rust.contains(".days(90)"), "{rust}");
    // The conditional is typed, with the element's key in place of `transition.key`.
    assert!(
        rust.contains("func::compare(0, func::Cmp::Eq, 0)"),
        "{rust}"
    );
    assert!(
        rust.contains("func::compare(1, func::Cmp::Eq, 0)"),
        "{rust}"
    );
    let warnings: Vec<String> = c
        .warnings
        .iter()
        .map(|w| w.render())
        .filter(|w| w.contains("storage_class"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(
        warnings.iter().all(|w| w.contains("main.tf:20")),
        "{warnings:?}"
    );
}

#[test]
fn dynamic_blocks_using_the_iterator_otherwise_are_left_out_with_a_warning() {
    let hcl = r#"
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  dynamic "attribute" {
    for_each = ["id"]
    content {
      name = attribute
      type = "S"
    }
  }
}
"#;
    let c = convert(&[Source::new("main.tf", hcl)]).unwrap();
    let warnings: Vec<String> = c.warnings.iter().map(|w| w.render()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("main.tf:5"), "{warnings:?}");
    assert!(
        warnings[0].contains("is left out of the Rust: `attribute` is used other than"),
        "{warnings:?}"
    );
    assert!(c.rust.contains("// TODO(convert): main.tf:5"), "{}", c.rust);
}

#[test]
fn jsonencode_of_a_list_and_of_a_function_call_inside() {
    let hcl = r#"
resource "aws_sqs_queue" "q" {
  name           = "q"
  redrive_policy = jsonencode(["a", 1])
  tags = {
    T = jsonencode({ a = upper("x") })
  }
}
"#;
    let c = convert(&[Source::new("main.tf", hcl)]).unwrap();
    assert!(
        c.rust
            .contains("JsonTemplate::array([JsonTemplate::from(\"a\"), JsonTemplate::from(1)])"),
        "{}",
        c.rust
    );
    let warnings: Vec<String> = c.warnings.iter().map(|w| w.render()).collect();
    assert_eq!(
        warnings,
        [
            "warning: not converted: `tags` of `aws_sqs_queue.q` (at main.tf:6): `jsonencode(…)` \
          of a call of `upper(…)`, which has no typed form, is kept as raw HCL"
        ]
    );
}

#[test]
fn count_and_for_each_unrolled_when_known_and_native_otherwise() {
    insta::assert_snapshot!("count_for_each", transcript(&converted("count_for_each")));
}

#[test]
fn other_providers_become_untyped_resources_with_a_warning() {
    insta::assert_snapshot!("untyped", transcript(&converted("untyped")));
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
        "iam_jsonencode",
        "dynamic_blocks",
        "tf_json",
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
        "iam_jsonencode",
        "dynamic_blocks",
        "tf_json",
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
fn a_reference_without_an_instance_key_is_raw_with_every_instance_as_a_dependency() {
    let text = r#"
resource "aws_sqs_queue" "work" {
  count = 2
  name  = "work-${count.index}"
}

resource "aws_sqs_queue" "alerts" {
  name = aws_sqs_queue.work.name
}
"#;
    let c = convert(&[Source::new("main.tf", text)]).unwrap();
    let flat: String = c.rust.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            r#"Expr::<String>::raw_with_deps( "aws_sqs_queue.work.name", vec![work_0.node(), work_1.node()], )"#
        ),
        "{}",
        c.rust
    );
    let warnings: Vec<String> = c.warnings.iter().map(|w| w.render()).collect();
    assert_eq!(
        warnings,
        ["warning: not converted: `name` of `aws_sqs_queue.alerts` (at main.tf:8): a reference to a resource with `count`/`for_each` without an instance key is kept as raw HCL"]
    );
}

#[test]
fn an_unknown_aws_type_is_still_an_error_beside_other_providers_types() {
    let message = errors(
        "main.tf",
        "resource \"random_pet\" \"p\" {}\nresource \"aws_sqs_queu\" \"q\" {}\n",
    );
    assert!(message.contains("unknown resource type"), "{message}");
    assert!(message.contains("`aws_sqs_queue`"), "{message}");
    assert!(!message.contains("random_pet"), "{message}");
}

#[test]
fn another_providers_configuration_keeps_its_arguments_by_name() {
    let text = r#"
provider "vault" {
  address = "https://vault.example:8200"
}

resource "vault_generic_secret" "db" {
  path      = "secret/db"
  data_json = "{}"
}
"#;
    let c = convert(&[Source::new("main.tf", text)]).unwrap();
    let flat: String = c.rust.split_whitespace().collect();
    assert!(
        flat.contains(r#"stack.provider(ProviderConfig::new("vault",Body::new().with("address",Value::<String>::from("https://vault.example:8200")"#),
        "{}",
        c.rust
    );
    assert!(
        flat.contains(r#"UntypedResource::new("vault_generic_secret")"#),
        "{}",
        c.rust
    );
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
