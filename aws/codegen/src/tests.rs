use std::collections::BTreeMap;
use std::fs;

use serde_json::json;

use super::*;

/// The checked-in `aws/src/generated/` is what the generator produces from the checked-in
/// inputs, byte for byte.
#[test]
fn generated_code_is_current() -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let files = generate(&inputs)?;
    let tmp = tempfile::tempdir()?;
    write_generated(tmp.path(), &files)?;

    let hint = "aws/src/generated is not what the generator produces: run `cargo run -p oxiform-codegen` and commit the result";
    let list = |dir: &Path| -> Result<BTreeMap<String, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_owned();
                out.insert(name, fs::read(&path)?);
            }
        }
        Ok(out)
    };
    let fresh = list(tmp.path())?;
    let checked_in = list(&default_out_dir())?;
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let checked_in_names: Vec<&String> = checked_in.keys().collect();
    assert_eq!(checked_in_names, fresh_names, "different files.\n{hint}");
    for (name, bytes) in &fresh {
        assert!(
            checked_in.get(name) == Some(bytes),
            "{name} differs.\n{hint}"
        );
    }
    Ok(())
}

/// The checked-in trimmed schema has exactly the curated types.
#[test]
fn trimmed_schema_matches_curated_list() -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let retrimmed = trim(&inputs.schema, &inputs.curated)?;
    let path = codegen_dir()
        .join("schema")
        .join(inputs.curated.schema_file_name());
    assert_eq!(
        fs::read_to_string(path)?,
        schema_to_string(&retrimmed)?,
        "the trimmed schema has types that are not curated: run `cargo run -p oxiform-codegen -- trim FULL.json`"
    );
    Ok(())
}

// ---- rules, on small inline schemas ----

fn attr(kind: &str, ty: serde_json::Value) -> serde_json::Value {
    let mut a = json!({ "type": ty, "description_kind": "plain" });
    for flag in kind.split('+') {
        a[flag] = json!(true);
    }
    a
}

fn block_type(
    mode: &str,
    min: Option<u64>,
    max: Option<u64>,
    attributes: serde_json::Value,
) -> serde_json::Value {
    let mut b = json!({
        "nesting_mode": mode,
        "block": { "attributes": attributes, "description_kind": "plain" }
    });
    if let Some(min) = min {
        b["min_items"] = json!(min);
    }
    if let Some(max) = max {
        b["max_items"] = json!(max);
    }
    b
}

/// Generates one service `svc` from resources `name → block` with the given overrides.
fn gen_with(resources: serde_json::Value, overrides: serde_json::Value) -> Result<String> {
    let mut schemas = serde_json::Map::new();
    let mut curated_resources = serde_json::Map::new();
    for (name, block) in resources.as_object().context("resources")? {
        schemas.insert(name.clone(), json!({ "version": 0, "block": block }));
        curated_resources.insert(name.clone(), json!("svc"));
    }
    let schema: SchemaFile = serde_json::from_value(json!({
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/hashicorp/aws": { "resource_schemas": schemas }
        }
    }))?;
    let curated: Curated = serde_json::from_value(json!({
        "provider": "registry.terraform.io/hashicorp/aws",
        "version": "5.100.0",
        "services": { "svc": "Test service" },
        "resources": curated_resources,
        "data_sources": {}
    }))?;
    let mut o = json!({
        "doc_url": { "resource": "https://example.com/r/{name}", "data_source": "https://example.com/d/{name}" },
        "rust_names": { "type": "type_" },
        "not_arguments": ["id", "tags_all"]
    });
    for (k, v) in overrides.as_object().context("overrides")? {
        o[k] = v.clone();
    }
    let overrides: Overrides = serde_json::from_value(o)?;
    let files = generate(&Inputs {
        schema,
        curated,
        overrides,
    })?;
    files.get("svc.rs").cloned().context("no svc.rs")
}

fn gen(resources: serde_json::Value) -> String {
    match gen_with(resources, json!({})) {
        Ok(text) => text,
        Err(e) => panic!("generation failed: {e:#}"),
    }
}

fn has(text: &str, needle: &str) -> bool {
    // Compare modulo whitespace, so assertions do not depend on rustfmt's line breaks.
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    squash(text).contains(&squash(needle))
}

#[test]
fn one_required_argument_is_positional() {
    let text = gen(json!({
        "aws_thing": { "attributes": {
            "name": attr("required", json!("string")),
            "description": attr("optional", json!("string")),
            "id": attr("optional+computed", json!("string")),
        }}
    }));
    assert!(
        has(&text, "pub fn new(name: impl Into<Value<String>>) -> Self"),
        "{text}"
    );
    assert!(!text.contains("ThingArgs"), "{text}");
    assert!(has(
        &text,
        "pub fn description(mut self, v: impl Into<Value<String>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn set_description(mut self, v: Option<Value<String>>) -> Self"
    ));
    // `id` is never an argument, but always an accessor.
    assert!(!has(&text, "pub fn id(mut self"), "{text}");
    assert!(has(&text, "pub fn id(&self) -> Expr<String>"));
    assert!(has(&text, "/// `aws_thing` — required: `name`."));
    assert!(has(
        &text,
        "#[must_use = \"a resource is emitted only after `stack.add(..)`\"]"
    ));
    assert!(text.starts_with(
        "// @generated by oxiform-codegen from the AWS provider 5.100.0 schema. Do not edit.\n"
    ));
}

#[test]
fn two_required_arguments_make_an_args_struct() {
    let text = gen(json!({
        "aws_pair": { "attributes": {
            "left": attr("required", json!("string")),
            "right": attr("required", json!("string")),
        }}
    }));
    assert!(has(&text, "pub struct PairArgs {"), "{text}");
    assert!(has(&text, "pub left: Value<String>,"));
    assert!(has(&text, "pub right: Value<String>,"));
    assert!(has(&text, "pub fn new(args: PairArgs) -> Self"));
}

#[test]
fn no_required_arguments_means_default() {
    let text = gen(json!({
        "aws_free": { "attributes": {
            "tags": attr("optional", json!(["map", "string"])),
            "subnet_ids": attr("optional", json!(["set", "string"])),
        }}
    }));
    assert!(
        has(
            &text,
            "#[derive(Debug, Clone, Default, Serialize)] pub struct Free"
        ),
        "{text}"
    );
    assert!(has(&text, "pub fn new() -> Self { Self::default() }"));
    assert!(has(
        &text,
        "pub fn tag(mut self, key: &str, v: impl Into<Value<String>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn subnet_id(mut self, v: impl Into<Value<String>>) -> Self"
    ));
    assert!(has(&text, "tags: Option<Value<Map<String>>>"));
    assert!(has(&text, "subnet_ids: Option<Value<List<String>>>"));
}

#[test]
fn blocks_with_min_items_are_required() {
    let text = gen(json!({
        "aws_holder": {
            "attributes": { "name": attr("required", json!("string")) },
            "block_types": {
                "rule": block_type("list", Some(1), Some(1), json!({
                    "kind": attr("required", json!("string"))
                })),
                "variants": block_type("list", Some(1), Some(10), json!({
                    "label": attr("optional", json!("string"))
                })),
            }
        },
        "aws_single": {
            "block_types": {
                "rule": block_type("list", Some(1), Some(1), json!({
                    "kind": attr("required", json!("string"))
                })),
            }
        }
    }));
    assert!(has(&text, "pub rule: holder::Rule,"), "{text}");
    assert!(has(&text, "pub variants: Vec<holder::Variants>,"));
    assert!(has(&text, "pub fn new(args: HolderArgs) -> Self"));
    // The only required member: positional, the block type itself.
    assert!(
        has(&text, "pub fn new(rule: single::Rule) -> Self"),
        "{text}"
    );
    // Blocks get constructors by the same rules.
    assert!(has(
        &text,
        "pub fn new(kind: impl Into<Value<String>>) -> Self"
    ));
    // A required list of blocks can still be appended to.
    assert!(has(
        &text,
        "pub fn variants(mut self, b: holder::Variants) -> Self"
    ));
}

fn gen_ok(resources: serde_json::Value, overrides: serde_json::Value) -> String {
    match gen_with(resources, overrides) {
        Ok(text) => text,
        Err(e) => panic!("generation failed: {e:#}"),
    }
}

#[test]
fn max_items_one_blocks_are_options_and_others_vecs() {
    let text = gen_ok(
        json!({ "aws_config": { "block_types": {
            "settings": block_type("list", None, Some(1), json!({ "size": attr("optional", json!("number")) })),
            "entry": block_type("set", None, None, json!({ "key": attr("optional", json!("string")) })),
        }}}),
        json!({ "integers": ["aws_config.settings.size"] }),
    );
    assert!(
        has(&text, "#[serde(skip_serializing_if = \"Option::is_none\")] settings: Option<config::Settings>,"),
        "{text}"
    );
    assert!(has(
        &text,
        "pub fn settings(mut self, b: config::Settings) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn set_settings(mut self, b: Option<config::Settings>) -> Self"
    ));
    assert!(has(
        &text,
        "#[serde(skip_serializing_if = \"Vec::is_empty\")] entry: Vec<config::Entry>,"
    ));
    assert!(has(
        &text,
        "pub fn entry(mut self, b: config::Entry) -> Self { self.entry.push(b); self }"
    ));
    assert!(has(
        &text,
        "pub fn size(mut self, v: impl Into<Value<i64>>) -> Self"
    ));
    // Blocks have no accessors and no meta-arguments.
    assert!(!has(&text, "SettingsAttrs"));
    assert_eq!(text.matches("meta: Meta,").count(), 1, "{text}");
}

#[test]
fn computed_only_attributes_have_an_accessor_and_no_setter() {
    let text = gen_ok(
        json!({ "aws_thing": { "attributes": {
            "arn": attr("computed", json!("string")),
            "revision": attr("computed", json!("number")),
            "tags_all": attr("optional+computed", json!(["map", "string"])),
        }}}),
        json!({ "integers": ["aws_thing.revision"] }),
    );
    assert!(
        has(
            &text,
            "pub fn arn(&self) -> Expr<String> { Expr::reference(self.0, \"arn\") }"
        ),
        "{text}"
    );
    assert!(has(&text, "pub fn revision(&self) -> Expr<i64>"));
    assert!(has(&text, "pub fn tags_all(&self) -> Expr<Map<String>>"));
    assert!(!text.contains("fn arn(mut self"));
    assert!(!text.contains("fn tags_all(mut self"));
    assert!(!has(&text, "arn: Option"));
}

#[test]
fn numbers_follow_the_overrides() {
    let resources = json!({ "aws_scaler": { "attributes": {
        "min_capacity": attr("required", json!("number")),
        "target_value": attr("optional", json!("number")),
        "weird": attr("optional", json!("string")),
    }}});
    let text = match gen_with(
        resources.clone(),
        json!({
            "integers": ["aws_scaler.min_capacity"],
            "floats": ["aws_scaler.target_value"],
            "integer_strings": ["aws_scaler.weird"],
        }),
    ) {
        Ok(t) => t,
        Err(e) => panic!("{e:#}"),
    };
    assert!(
        has(
            &text,
            "pub fn new(min_capacity: impl Into<Value<i64>>) -> Self"
        ),
        "{text}"
    );
    assert!(has(
        &text,
        "pub fn target_value(mut self, v: impl Into<Value<f64>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn weird(mut self, v: impl Into<Value<i64>>) -> Self"
    ));

    // An unclassified number, and an override naming nothing, are errors that say what to do.
    let err = match gen_with(
        resources,
        json!({ "integers": ["aws_scaler.min_capacity", "aws_scaler.nope"] }),
    ) {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains(
            "number attribute `aws_scaler.target_value` is neither in `integers` nor in `floats`"
        ),
        "{err}"
    );
    assert!(
        err.contains("`integers` lists `aws_scaler.nope`, which is no such attribute"),
        "{err}"
    );
}

#[test]
fn keywords_are_renamed() {
    let text = gen(json!({
        "aws_machine": { "attributes": {
            "type": attr("optional", json!("string")),
            "definition": attr("required", json!("string")),
        }}
    }));
    assert!(
        has(
            &text,
            "#[serde(rename = \"type\")] type_: Option<Value<String>>,"
        ),
        "{text}"
    );
    assert!(has(
        &text,
        "pub fn type_(mut self, v: impl Into<Value<String>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn type_(&self) -> Expr<String> { Expr::reference(self.0, \"type\") }"
    ));
    assert!(has(&text, "MachineField::Type => \"type\","));
}

#[test]
fn same_named_blocks_share_a_type_or_are_qualified() {
    let inner = json!({ "key": attr("optional", json!("string")) });
    let other = json!({ "count": attr("optional", json!("string")) });
    let text = gen(json!({
        "aws_nest": { "block_types": {
            "first": { "nesting_mode": "list", "max_items": 1, "block": {
                "block_types": {
                    "config": block_type("list", None, Some(1), inner.clone()),
                    "rule": block_type("list", None, Some(1), inner.clone()),
                }
            }},
            "second": { "nesting_mode": "list", "max_items": 1, "block": {
                "block_types": {
                    "config": block_type("list", None, Some(1), inner),
                    "rule": block_type("list", None, Some(1), other),
                }
            }},
        }}
    }));
    // Identical `config` blocks: one type; different `rule` blocks: qualified by parent.
    assert_eq!(text.matches("pub struct Config {").count(), 1, "{text}");
    assert!(has(&text, "pub struct FirstRule {"), "{text}");
    assert!(has(&text, "pub struct SecondRule {"));
}
