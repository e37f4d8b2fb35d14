use std::collections::BTreeMap;
use std::fs;

use serde_json::json;

use super::*;

/// The checked-in `aws/src/generated/` is what the generator produces from the checked-in
/// inputs, byte for byte; and so are the generated features of `aws/Cargo.toml` and the
/// facade's `Cargo.toml`.
#[test]
fn generated_code_is_current() -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let (generated, parts) = parts::generate_aws(&inputs)?;
    let tmp = tempfile::tempdir()?;
    write_generated(tmp.path(), &generated.files)?;

    let hint = "aws/src/generated or aws/parts is not what the generator produces: run `cargo run -p oxiform-codegen` and commit the result";
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
    let parts_tmp = tempfile::tempdir()?;
    parts::write_parts(parts_tmp.path(), &parts)?;
    let mut folders = vec![(tmp.path().to_owned(), default_out_dir())];
    for part in &parts {
        let (fresh, checked_in) = (
            parts_tmp.path().join(&part.dir),
            parts::aws_parts_dir().join(&part.dir),
        );
        assert_eq!(
            fs::read_to_string(checked_in.join("Cargo.toml")).ok(),
            Some(part.cargo_toml.clone()),
            "aws/parts/{}/Cargo.toml differs.\n{hint}",
            part.dir
        );
        folders.push((fresh.join("src"), checked_in.join("src")));
    }
    for (fresh, checked_in) in folders {
        let fresh = list(&fresh)?;
        let checked_in = list(&checked_in)?;
        let fresh_names: Vec<&String> = fresh.keys().collect();
        let checked_in_names: Vec<&String> = checked_in.keys().collect();
        assert_eq!(checked_in_names, fresh_names, "different files.\n{hint}");
        for (name, bytes) in &fresh {
            assert!(
                checked_in.get(name) == Some(bytes),
                "{name} differs.\n{hint}"
            );
        }
    }
    assert!(
        fs::read_to_string(every_type_path())? == generated.every_type,
        "tests/src/every_type.rs is not current.\n{hint}"
    );
    let root = codegen_dir().join("..").join("..");
    for (manifest, forward) in [("aws", None), ("sdk", Some("oxiform-aws"))] {
        let path = root.join(manifest).join("Cargo.toml");
        let text = fs::read_to_string(&path)?;
        let tail = match forward {
            None => parts::provider_features_toml(&parts, FEATURES_MARKER),
            Some(_) => features_toml(&generated.services, forward),
        };
        assert_eq!(
            text,
            with_features(&text, &tail),
            "the features of {manifest}/Cargo.toml are not current.\n{hint}"
        );
    }
    Ok(())
}

/// The checked-in schema is what `terraform providers schema -json` prints for the pinned
/// provider, from the provider mirror every machine of this project has.
#[test]
fn checked_in_schema_is_what_terraform_prints() -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let plugins =
        std::env::var_os("OXIFORM_PLUGIN_DIR").unwrap_or_else(|| "/opt/tf-plugins".into());
    let printed = schema_from_terraform(&inputs.pinned, Path::new(&plugins))?;
    let printed: serde_json::Value = serde_json::from_slice(&printed)?;
    let path = codegen_dir()
        .join("schema")
        .join(inputs.pinned.schema_file_name());
    let file = fs::File::open(&path)?;
    let checked_in: serde_json::Value =
        serde_json::from_reader(flate2::read::GzDecoder::new(file))?;
    assert!(
        printed == checked_in,
        "{} is not what terraform prints: run `cargo run -p oxiform-codegen -- schema`",
        path.display()
    );
    Ok(())
}

/// Every type of the provider is generated, each in one service.
#[test]
fn every_type_of_the_provider_is_generated() -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let generated = generate(&inputs)?;
    assert_eq!(generated.kinds, [1526, 608, 7]);
    let placed: usize = generated.services.values().map(Vec::len).sum();
    assert_eq!(placed, 1526 + 608 + 7);
    assert!(generated.services["dynamodb"].contains(&"aws_dynamodb_table".to_owned()));
    assert!(generated.services["sqs"].contains(&"aws_sqs_queue".to_owned()));
    assert!(generated.services["vpc"].contains(&"aws_subnet".to_owned()));
    assert!(generated.services["elbv2"].contains(&"aws_lb".to_owned()));
    assert!(generated.services["elbv2"].contains(&"aws_alb".to_owned()));
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
    for (name, block) in resources.as_object().context("resources")? {
        schemas.insert(name.clone(), json!({ "version": 0, "block": block }));
    }
    let schema: SchemaFile = serde_json::from_value(json!({
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/hashicorp/aws": { "resource_schemas": schemas }
        }
    }))?;
    let pinned: Pinned = serde_json::from_value(json!({
        "provider": "registry.terraform.io/hashicorp/aws",
        "version": "5.100.0",
        "title": "AWS"
    }))?;
    let services: Services = serde_json::from_value(json!({
        "services": { "svc": "Test service" },
        "prefixes": { "aws_": "svc" }
    }))?;
    let mut o = json!({
        "doc_url": { "resource": "https://example.com/r/{name}", "data_source": "https://example.com/d/{name}", "ephemeral": "https://example.com/e/{name}" },
        "rust_names": { "type": "type_" },
        "not_arguments": ["id", "tags_all"]
    });
    for (k, v) in overrides.as_object().context("overrides")? {
        o[k] = v.clone();
    }
    let overrides: Overrides = serde_json::from_value(o)?;
    let generated = generate(&Inputs {
        schema,
        pinned,
        services,
        overrides,
        target: Target::aws(),
    })?;
    generated.files.get("svc.rs").cloned().context("no svc.rs")
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
        "pub fn description(self, v: impl Into<Value<String>>) -> Self { Self(self.0.with(\"description\", v.into()), self.1) }"
    ));
    // `id` is never an argument, but always an accessor.
    assert!(!has(&text, "pub fn id(self"), "{text}");
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
    assert!(has(&text, "pub struct Free(Body, Meta);"), "{text}");
    assert!(has(
        &text,
        "pub fn new() -> Self { Self(Body::new(), Meta::default()) }"
    ));
    assert!(has(
        &text,
        "pub fn tag(self, key: &str, v: impl Into<Value<String>>) -> Self { Self(self.0.with_entry::<String>(\"tags\", key, v.into()), self.1) }"
    ));
    assert!(has(
        &text,
        "pub fn subnet_id(self, v: impl Into<Value<String>>) -> Self { Self(self.0.with_item::<String>(\"subnet_ids\", v.into()), self.1) }"
    ));
    assert!(has(
        &text,
        "pub fn tags(self, v: impl Into<Value<Map<String>>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn subnet_ids(self, v: impl Into<Value<List<String>>>) -> Self"
    ));
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
    // Required blocks are stored as their bodies.
    assert!(has(
        &text,
        ".with(\"rule\", args.rule.0).with_blocks(\"variants\", args.variants.into_iter().map(|b| b.0).collect(), false)"
    ), "{text}");
}

fn gen_ok(resources: serde_json::Value, overrides: serde_json::Value) -> String {
    match gen_with(resources, overrides) {
        Ok(text) => text,
        Err(e) => panic!("generation failed: {e:#}"),
    }
}

#[test]
fn max_items_one_blocks_are_single_and_sets_are_sorted() {
    let text = gen_ok(
        json!({ "aws_config": { "block_types": {
            "settings": block_type("list", None, Some(1), json!({ "size": attr("optional", json!("number")) })),
            "entry": block_type("set", None, None, json!({ "key": attr("optional", json!("string")) })),
            "step": block_type("list", None, None, json!({ "key": attr("optional", json!("string")) })),
        }}}),
        json!({ "integers": ["aws_config.settings.size"] }),
    );
    // At most one: the setter replaces.
    assert!(
        has(&text, "pub fn settings(self, b: config::Settings) -> Self { Self(self.0.with(\"settings\", b.0), self.1) }"),
        "{text}"
    );
    // A set: appended, written in a canonical order; a list: appended in order.
    assert!(has(
        &text,
        "pub fn entry(self, b: config::Entry) -> Self { Self(self.0.with_set_block(\"entry\", b.0), self.1) }"
    ));
    assert!(has(
        &text,
        "pub fn step(self, b: config::Step) -> Self { Self(self.0.with_block(\"step\", b.0), self.1) }"
    ));
    assert!(has(
        &text,
        "pub fn size(self, v: impl Into<Value<i64>>) -> Self { Self(self.0.with(\"size\", v.into())) }"
    ));
    // Blocks have no accessors, no meta-arguments and no trait impls.
    assert!(!has(&text, "SettingsAttrs"));
    assert!(has(&text, "pub struct Settings(pub(crate) Body);"));
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
    assert!(!text.contains("fn arn(self"));
    assert!(!text.contains("fn tags_all(self"));
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
        "pub fn target_value(self, v: impl Into<Value<f64>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn weird(self, v: impl Into<Value<i64>>) -> Self"
    ));

    // Without overrides, the name rules decide, and what they cannot decide takes either.
    let text = gen_ok(
        json!({ "aws_scaler": { "attributes": {
            "max_size": attr("optional", json!("number")),
            "threshold": attr("optional", json!("number")),
            "value": attr("optional", json!("number")),
        }}}),
        json!({}),
    );
    assert!(
        has(
            &text,
            "pub fn max_size(self, v: impl Into<Value<i64>>) -> Self"
        ),
        "{text}"
    );
    assert!(has(
        &text,
        "pub fn threshold(self, v: impl Into<Value<f64>>) -> Self"
    ));
    assert!(has(
        &text,
        "pub fn value(self, v: impl Into<Value<Number>>) -> Self"
    ));

    // An override naming nothing is an error that says what to do.
    let err = match gen_with(
        resources,
        json!({ "integers": ["aws_scaler.min_capacity", "aws_scaler.nope"] }),
    ) {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains(
            "`integers` lists `aws_scaler.nope`, which is no number attribute of the provider"
        ),
        "{err}"
    );
}

#[test]
fn sensitive_arguments_take_no_plain_literal() {
    let text = gen(json!({
        "aws_db": { "attributes": {
            "password": attr("optional+sensitive", json!("string")),
            "token": attr("required+sensitive", json!("string")),
            "secret_wo": attr("optional+sensitive+write_only", json!("string")),
            "old": attr("optional+deprecated", json!("string")),
        }}
    }));
    assert!(has(
        &text,
        "pub fn password(self, v: impl IntoSensitive<String>) -> Self { Self(self.0.with(\"password\", v.into_sensitive().into_value()), self.1) }"
    ), "{text}");
    assert!(has(
        &text,
        "pub fn new(token: impl IntoSensitive<String>) -> Self"
    ));
    assert!(has(
        &text,
        "Write-only: sent to the provider, never stored in the state."
    ));
    assert!(has(&text, "#[inline] #[deprecated(note = "));
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
            "pub fn type_(self, v: impl Into<Value<String>>) -> Self { Self(self.0.with(\"type\", v.into()), self.1) }"
        ),
        "{text}"
    );
    assert!(has(
        &text,
        "pub fn type_(&self) -> Expr<String> { Expr::reference(self.0, \"type\") }"
    ));
    assert!(has(
        &text,
        "oxiform_core::field_names!(MachineField: \"definition\", \"type\");"
    ));
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
    assert_eq!(text.matches("pub struct Config(").count(), 1, "{text}");
    assert!(has(&text, "pub struct FirstRule("), "{text}");
    assert!(has(&text, "pub struct SecondRule("));
}

/// The inputs compiled into the crate are the checked-in files, and the schema it embeds is
/// the one `codegen.json` pins (a new pin without moving the `include_bytes!` path fails
/// here, naming the file to embed).
#[test]
fn embedded_schema_is_the_pinned_one() -> Result<()> {
    let disk = load_inputs(&codegen_dir())?;
    let embedded = embedded_inputs()?;
    let path = fs::read_to_string(codegen_dir().join("src").join("lib.rs"))?;
    let name = disk.pinned.schema_file_name();
    assert!(
        path.contains(&format!("include_bytes!(\"../schema/{name}\")")),
        "embedded_inputs must embed schema/{name}, the schema codegen.json pins"
    );
    assert_eq!(embedded.pinned.version, disk.pinned.version);
    assert_eq!(
        serde_json::to_value(&embedded.schema)?,
        serde_json::to_value(&disk.schema)?
    );
    Ok(())
}
