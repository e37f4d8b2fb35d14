//! Golden tests of the generator on providers other than AWS: the crates under `providers/`
//! (random, null and local from real schemas in hashicorp/terraform-json's test data, edge
//! from a schema written to hold every name the rules must mangle) and the built-in provider
//! in the core are what the generator writes from the fixtures, byte for byte; each crate's
//! types build stacks that synthesise; errors say what, where and how to fix.

use std::path::{Path, PathBuf};

use oxiform_core::prelude::*;
use serde_json::{json, Value as J};
use std::fs;

use crate::krate::{check_crate, crate_files, schema_hash, CrateSpec};
use crate::schema::SchemaFile;
use crate::*;

/// The fixture folders: `aws/codegen/fixtures/<name>` (schema.json, codegen.json).
const FIXTURES: &[&str] = &["random", "null", "local", "edge"];

fn repo_root() -> PathBuf {
    codegen_dir().join("..").join("..")
}

/// The inputs of fixture `name`.
fn fixture_inputs(name: &str) -> Result<Inputs> {
    let dir = codegen_dir().join("fixtures").join(name);
    let pinned = load_pinned(&dir)?;
    let schema = read_schema(&dir.join("schema.json"))?;
    provider_inputs(schema, pinned, Some(&dir), Target::standalone())
}

/// What the generator writes for fixture `name`, as `providers/<name>` holds it.
fn fixture_crate(name: &str) -> Result<std::collections::BTreeMap<String, String>> {
    let inputs = fixture_inputs(name)?;
    let generated = generate(&inputs)?;
    crate_files(
        &inputs,
        &generated,
        &CrateSpec {
            package: format!("oxiform-{name}"),
            core_dependency: "{ path = \"../../core\" }".to_owned(),
        },
    )
}

#[test]
fn the_provider_crates_are_what_the_generator_writes() -> Result<()> {
    for name in FIXTURES {
        let files = fixture_crate(name)?;
        let dir = repo_root().join("providers").join(name);
        let stale = check_crate(&dir, &files)?;
        assert!(
            stale.is_empty(),
            "providers/{name} is not what the generator writes ({stale:?}): run `cargo run -p oxiform-codegen -- provider --schema aws/codegen/fixtures/{name}/schema.json --version {} --out providers/{name}` and commit the result",
            fixture_inputs(name)?.pinned.version
        );
    }
    Ok(())
}

#[test]
fn the_builtin_provider_in_the_core_is_what_the_generator_writes() -> Result<()> {
    let generated = generate(&builtin_inputs()?)?;
    let files: std::collections::BTreeMap<String, String> = generated
        .files
        .iter()
        .map(|(name, text)| (format!("src/generated/{name}"), text.clone()))
        .collect();
    let core_builtin = builtin_out_dir();
    let root = core_builtin
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .context("core folder")?
        .join("src")
        .join("builtin");
    // `check_crate` reads `<dir>/src/generated`; the core's are `core/src/builtin/generated`.
    let stale: Vec<String> = files
        .iter()
        .filter(|(path, text)| {
            let name = path.trim_start_matches("src/generated/");
            fs::read_to_string(root.join("generated").join(name))
                .ok()
                .as_deref()
                != Some(text.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert!(
        stale.is_empty(),
        "core/src/builtin/generated is not what the generator writes ({stale:?}): run `cargo run -p oxiform-codegen -- builtin` and commit the result"
    );
    Ok(())
}

/// The checked-in schema of the built-in provider is what this terraform prints (it needs no
/// provider download), so the core's types follow terraform.
#[test]
fn the_builtin_schema_is_what_terraform_prints() -> Result<()> {
    let printed = schema_via_terraform("terraform", BUILTIN_PROVIDER, "", None)?;
    let printed: SchemaFile = serde_json::from_slice(&printed)?;
    let checked_in = read_schema(&builtin_dir().join("schema.json"))?;
    assert_eq!(
        schema_hash(&printed, BUILTIN_PROVIDER)?,
        schema_hash(&checked_in, BUILTIN_PROVIDER)?,
        "aws/codegen/builtin/schema.json is not what terraform prints: run `cargo run -p oxiform-codegen -- builtin schema`, then `… -- builtin`"
    );
    Ok(())
}

/// The hash a crate records is the fixture's: what a staleness test compares with a freshly
/// printed schema.
#[test]
fn a_crate_records_its_source_version_and_schema_hash() -> Result<()> {
    let inputs = fixture_inputs("random")?;
    let hash = schema_hash(&inputs.schema, &inputs.pinned.provider)?;
    assert_eq!(oxiform_random::SCHEMA_SHA256, hash);
    assert_eq!(
        oxiform_random::SOURCE,
        "registry.terraform.io/hashicorp/random"
    );
    assert_eq!(oxiform_random::VERSION, "unknown");
    // The hash does not depend on the file's layout: re-indented, it is the same.
    let pretty = serde_json::to_string_pretty(&serde_json::to_value(&inputs.schema)?)?;
    let reparsed: SchemaFile = serde_json::from_str(&pretty)?;
    assert_eq!(schema_hash(&reparsed, &inputs.pinned.provider)?, hash);
    Ok(())
}

fn synth(stack: &Stack) -> J {
    let json = match stack.synth().map(|d| d.to_json()) {
        Ok(Ok(json)) => json,
        Ok(Err(e)) => panic!("{e}"),
        Err(e) => panic!("{e}"),
    };
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_random_password_stack_synthesises() {
    use oxiform_random::id::Id;
    use oxiform_random::password::{Password, PasswordField};
    use oxiform_random::string::RandomString;

    let mut stack = Stack::new("random");
    oxiform_random::require(&mut stack);
    stack.provider(oxiform_random::provider::RandomProvider::new());
    let password = stack.add(
        "db",
        Password::new(24)
            .special(false)
            .keeper("rotation", "2026-q4")
            .ignore_changes([PasswordField::Keepers]),
    );
    let id = stack.add("suffix", Id::new(4));
    stack.add(
        "name",
        RandomString::new(8).keeper("password_id", password.id()),
    );
    stack.output("name", Output::new(template!("db-{}", id.hex())));
    let json = synth(&stack);
    assert_eq!(
        json["terraform"]["required_providers"]["random"],
        json!({ "source": "hashicorp/random" })
    );
    assert_eq!(
        json["resource"]["random_password"]["db"],
        json!({
            "keepers": { "rotation": "2026-q4" },
            "length": 24,
            "special": false,
            "lifecycle": { "ignore_changes": ["keepers"] }
        })
    );
    assert_eq!(
        json["resource"]["random_string"]["name"]["keepers"]["password_id"],
        "${random_password.db.id}"
    );
    assert_eq!(
        json["output"]["name"]["value"],
        "db-${random_id.suffix.hex}"
    );
}

#[test]
fn null_and_local_stacks_synthesise() {
    use oxiform_local::file::{DataFile, File};
    use oxiform_local::sensitive::SensitiveFile;
    use oxiform_null::data::DataDataSource;
    use oxiform_null::resource::NullResource;

    let mut stack = Stack::new("files");
    oxiform_null::require(&mut stack);
    oxiform_local::require(&mut stack);
    let inputs = stack.add("inputs", DataDataSource::new().input("key", "value"));
    let trigger = stack.add(
        "trigger",
        NullResource::new().trigger("key", inputs.random()),
    );
    let file = stack.add(
        "hello",
        File::new("out/hello.txt")
            .content("Hello, ${not an interpolation}")
            .file_permission("0644")
            .depends_on(&trigger),
    );
    stack.add(
        "secret",
        SensitiveFile::new("out/secret.txt")
            .content(oxiform_core::Secret::plaintext_in_config("s3cr3t")),
    );
    let read = stack.add("read", DataFile::new(file.filename()));
    stack.output("sha", Output::new(read.content_sha256()));
    let json = synth(&stack);
    assert_eq!(
        json["resource"]["local_file"]["hello"]["content"],
        "Hello, $${not an interpolation}"
    );
    assert_eq!(
        json["resource"]["null_resource"]["trigger"]["triggers"]["key"],
        "${data.null_data_source.inputs.random}"
    );
    assert_eq!(
        json["resource"]["local_file"]["hello"]["depends_on"],
        json!(["null_resource.trigger"])
    );
    assert_eq!(
        json["data"]["local_file"]["read"]["filename"],
        "${local_file.hello.filename}"
    );
    assert_eq!(
        json["terraform"]["required_providers"]["local"]["source"],
        "hashicorp/local"
    );
}

/// Every mangled name of the edge-case provider, used: it compiles (keywords, names like
/// Rust types, modules, `Handle` and resource methods), and synthesises to the Terraform
/// names.
#[test]
fn the_edge_case_provider_synthesises_under_its_terraform_names() {
    use oxiform_edge::clash::clash::{OptionBlock, Type, ValueBlock};
    use oxiform_edge::clash::Clash;
    use oxiform_edge::collections::Collections;
    use oxiform_edge::core_::Core;
    use oxiform_edge::edge::Edge;
    use oxiform_edge::match_::Match;
    use oxiform_edge::provider::{edge_provider::Retry, EdgeProvider};
    use oxiform_edge::provider_::Provider;
    use oxiform_edge::result::EdgeResult;
    use oxiform_edge::rules::rules::{
        Labels, Rule, RuleAction, RuleArgs, RuleStatement, RuleStatementAnd,
        RuleStatementAndStatement, Settings,
    };
    use oxiform_edge::rules::{Rules, RulesArgs};
    use oxiform_edge::secret::{EphemeralSecret, Secret as EdgeSecret};
    use oxiform_edge::self_::EdgeSelf;
    use oxiform_edge::string::{DataString, EdgeString};
    use oxiform_edge::type_::{DataType, Type as TypeResource};
    use oxiform_edge::value::EdgeValue;

    let mut stack = Stack::new("edge");
    oxiform_edge::require(&mut stack);
    let token: Expr<String> = stack.variable("token", Variable::new().sensitive());
    stack.provider(
        EdgeProvider::new(token.clone())
            .retry(Retry::new().attempts(3))
            .alias("second"),
    );
    let clash = stack.add(
        "clash",
        Clash::new(Type::new("t"))
            .new_("n")
            .self_("s")
            .crate_("c")
            .count_(2)
            .provider_("p")
            .depends_on_(vec!["x".to_owned()])
            .for_each_([("k", "v")])
            .meta_("m")
            .with_hyphen("h")
            .camelcase("C")
            .id("one")
            .option(OptionBlock::new().value("o"))
            .value(ValueBlock::new("b"))
            .value(ValueBlock::new("a")),
    );
    let string = stack.add("s", EdgeString::new().value(clash.address_()));
    let typed = stack.add("t", TypeResource::new(clash.node_()));
    let data = stack.add("d", DataString::new().filter([("k", typed.id())]));
    stack.add("dt", DataType::new(data.value()));
    stack.add("e", Edge::new().x(string.value()));
    stack.add("self", EdgeSelf::new());
    stack.add(
        "m",
        Match::new("t")
            .fn_("f")
            .async_(oxiform_edge::functions::match_("y")),
    );
    stack.add("r", EdgeResult::new().ok(true));
    stack.add("v", EdgeValue::new().body("b"));
    stack.add("p", Provider::new().region("eu-west-1"));
    stack.add("c", Core::new().x("core"));
    stack.add(
        "cl",
        Collections::new()
            .map_of_maps(json!({ "a": { "b": "c" } }))
            .ports(vec![443, 80])
            .ratios([("half", 0.5)]),
    );
    stack.add(
        "rules",
        Rules::new(RulesArgs {
            name: "r".into(),
            priority: 1.into(),
            rule: vec![Rule::new(RuleArgs {
                action: RuleAction::new().block(true),
                name: "first".into(),
                priority: 2.into(),
            })
            .statement(RuleStatement::new().field("uri").and(
                RuleStatementAnd::new().statement(RuleStatementAndStatement::new().value("x")),
            ))],
        })
        .settings(Settings::new().enabled(true))
        .labels(Labels::new("b"))
        .labels(Labels::new("a").value("1")),
    );
    stack.add("secret", EdgeSecret::new(token).token_wo_version(1));
    let eph = stack.add("eph", EphemeralSecret::new("n"));
    let _ = eph.value();
    let json = synth(&stack);
    let clash = &json["resource"]["edge_clash"]["clash"];
    for (name, value) in [
        ("new", json!("n")),
        ("self", json!("s")),
        ("count", json!(2)),
        ("provider", json!("p")),
        ("depends_on", json!(["x"])),
        ("meta", json!("m")),
        ("with-hyphen", json!("h")),
        ("CamelCase", json!("C")),
        ("ids", json!(["one"])),
        ("type", json!({ "name": "t" })),
        // A set block is written in a canonical order, whatever the call order.
        ("value", json!([{ "key": "a" }, { "key": "b" }])),
    ] {
        assert_eq!(clash[name], value, "edge_clash.{name}: {clash}");
    }
    assert_eq!(
        json["resource"]["edge_string"]["s"]["value"],
        "${edge_clash.clash.address}"
    );
    assert_eq!(
        json["resource"]["edge_match"]["m"]["async"],
        "${provider::edge::match(\"y\")}"
    );
    assert_eq!(json["provider"]["edge"][0]["alias"], "second");
    assert_eq!(
        json["resource"]["edge_rules"]["rules"]["rule"][0]["statement"]["and"]["statement"]
            ["value"],
        "x"
    );
    insta::assert_json_snapshot!("edge_stack", json);
}

/// Errors, pinned: what went wrong, where, and how to fix it.
#[test]
fn generation_errors_say_what_where_and_how_to_fix() -> Result<()> {
    let base = |schema: J| -> Result<Inputs> {
        let schema: SchemaFile = serde_json::from_value(schema)?;
        provider_inputs(
            schema,
            Pinned::new("registry.terraform.io/acme/demo", "1.0.0"),
            None,
            Target::standalone(),
        )
    };
    let err = |r: Result<Generated>| match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    };
    let mut out = String::new();

    // A schema of another provider.
    let wrong = base(json!({ "format_version": "1.0", "provider_schemas": {
        "registry.terraform.io/hashicorp/other": {}
    }}));
    out.push_str(&format!(
        "--- no such provider\n{}\n",
        match wrong {
            Ok(_) => panic!("expected an error"),
            Err(e) => format!("{e:#}"),
        }
    ));

    // Two types one Rust name: `demo_thing_args` and the `…Args` of `demo_thing`.
    let two_required = json!({ "version": 0, "block": { "attributes": {
        "a": { "type": "string", "required": true },
        "b": { "type": "string", "required": true }
    }}});
    let clash = base(json!({ "format_version": "1.0", "provider_schemas": {
        "registry.terraform.io/acme/demo": { "resource_schemas": {
            "demo_thing": two_required,
            "demo_thing_args": { "version": 0, "block": {} }
        }}
    }}))?;
    out.push_str(&format!(
        "--- two types, one name\n{}\n",
        err(generate(&clash))
    ));

    // A nesting mode the generator does not write.
    let map_block = base(json!({ "format_version": "1.0", "provider_schemas": {
        "registry.terraform.io/acme/demo": { "resource_schemas": {
            "demo_thing": { "version": 0, "block": { "block_types": {
                "rule": { "nesting_mode": "map", "block": {} }
            }}}
        }}
    }}))?;
    out.push_str(&format!("--- map nesting\n{}\n", err(generate(&map_block))));

    // A stale `type_names` entry.
    let mut stale = base(json!({ "format_version": "1.0", "provider_schemas": {
        "registry.terraform.io/acme/demo": { "resource_schemas": {
            "demo_thing": { "version": 0, "block": {} }
        }}
    }}))?;
    stale
        .overrides
        .type_names
        .insert("demo_gone".to_owned(), "Gone".to_owned());
    out.push_str(&format!(
        "--- stale type_names\n{}\n",
        err(generate(&stale))
    ));
    insta::assert_snapshot!("generation_errors", out);
    Ok(())
}

/// Runs terraform in `dir`. The built-in provider is part of terraform; the AWS provider,
/// which every document requires, comes from the mirror every machine of this project has.
fn terraform(dir: &Path, args: &[&str]) -> String {
    let plugins =
        std::env::var_os("OXIFORM_PLUGIN_DIR").unwrap_or_else(|| "/opt/tf-plugins".into());
    let rc = dir.join("cli.tfrc");
    fs::write(
        &rc,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
            Path::new(&plugins).display()
        ),
    )
    .unwrap_or_else(|e| panic!("cannot write {}: {e}", rc.display()));
    let out = std::process::Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", &rc)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run terraform: {e}"));
    assert!(
        out.status.success(),
        "terraform {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The built-in provider's generated types, applied by terraform: an app whose second stack
/// reads the first's output through the generated `terraform_remote_state` (the app's own
/// reads), and a stack that reads it through the type directly.
#[test]
fn the_builtin_provider_applies_with_terraform() -> Result<()> {
    use oxiform_core::builtin::{DataTerraformRemoteState, TerraformData};

    let mut producer = Stack::new("producer");
    let value = producer.add(
        "value",
        TerraformData::new().input(json!({ "db": "orders", "port": 5432 })),
    );
    let exported: Export<oxiform_core::Json> =
        producer.export("value", Output::new(value.output()));
    let mut consumer = Stack::new("consumer");
    let copy = consumer.add("copy", TerraformData::new().input(exported));
    consumer.output("copied", Output::new(copy.output()));
    let mut app = App::new("builtin");
    app.backend(AppBackend::local());
    app.add(producer);
    app.add(consumer);
    let docs = app.synth().unwrap_or_else(|e| panic!("{e}"));

    // A third stack, not in the app, reads the producer's state with the type itself.
    let mut reader = Stack::new("reader");
    let state = reader.add(
        "producer",
        DataTerraformRemoteState::new("local")
            .config(json!({ "path": "../producer/terraform.tfstate" }))
            .defaults(json!({ "value": {} })),
    );
    reader.output("outputs", Output::new(state.outputs()));

    let tmp = tempfile::tempdir()?;
    for (name, json) in [
        ("producer", docs.to_json("producer")),
        ("consumer", docs.to_json("consumer")),
        (
            "reader",
            Some(reader.synth().unwrap_or_else(|e| panic!("{e}")).to_json()?),
        ),
    ] {
        let dir = tmp.path().join(name);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("main.tf.json"), json.context("no document")?)?;
        terraform(&dir, &["init", "-input=false", "-no-color"]);
        terraform(
            &dir,
            &["apply", "-auto-approve", "-input=false", "-no-color"],
        );
    }
    let copied: J = serde_json::from_str(&terraform(
        &tmp.path().join("consumer"),
        &["output", "-json", "copied"],
    ))?;
    assert_eq!(copied, json!({ "db": "orders", "port": 5432 }));
    let read: J = serde_json::from_str(&terraform(
        &tmp.path().join("reader"),
        &["output", "-json", "outputs"],
    ))?;
    assert_eq!(read["value"], json!({ "db": "orders", "port": 5432 }));
    Ok(())
}

/// The crates the generator writes from the fixtures build with warnings denied (rustc's
/// lints, `missing_docs` among them) and document with rustdoc's warnings denied (broken
/// links, HTML in descriptions, doctests from descriptions), and a stack of each synthesises:
/// written fresh under `target/provider-check/` (a workspace of its own, its own target
/// folder kept between runs, so that `RUSTFLAGS` does not rebuild the main one), one `cargo
/// run` and one `cargo doc`.
#[test]
fn the_generated_crates_build_and_document_with_warnings_denied() -> Result<()> {
    let dir = repo_root().join("target").join("provider-check");
    let core = fs::canonicalize(repo_root().join("core"))?;
    let mut members = Vec::new();
    for name in FIXTURES {
        let inputs = fixture_inputs(name)?;
        let generated = generate(&inputs)?;
        let files = crate_files(
            &inputs,
            &generated,
            &CrateSpec {
                package: format!("oxiform-{name}"),
                core_dependency: format!("{{ path = \"{}\" }}", core.display()),
            },
        )?;
        crate::krate::write_crate(&dir.join(name), &files)?;
        members.push(format!("\"{name}\""));
    }
    let check = dir.join("check");
    fs::create_dir_all(check.join("src"))?;
    let mut deps = format!("oxiform-core = {{ path = \"{}\" }}\n", core.display());
    let mut main = String::from(
        "#![deny(warnings)]\n//! A stack of every generated crate, synthesised.\n\nfn main() {\n    let mut stack = oxiform_core::Stack::new(\"check\");\n",
    );
    for name in FIXTURES {
        deps.push_str(&format!("oxiform-{name} = {{ path = \"../{name}\" }}\n"));
        main.push_str(&format!("    oxiform_{name}::require(&mut stack);\n"));
    }
    main.push_str(
        "    stack.add(\"pw\", oxiform_random::password::Password::new(16));\n    \
         stack.add(\"n\", oxiform_null::resource::NullResource::new());\n    \
         stack.add(\"f\", oxiform_local::file::File::new(\"f.txt\").content(\"x\"));\n    \
         stack.add(\"e\", oxiform_edge::edge::Edge::new());\n    \
         let json = stack.synth().expect(\"synth\").to_json().expect(\"json\");\n    \
         println!(\"{json}\");\n}\n",
    );
    fs::write(check.join("src").join("main.rs"), main)?;
    fs::write(
        check.join("Cargo.toml"),
        format!(
            "[package]\nname = \"check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}"
        ),
    )?;
    members.push("\"check\"".to_owned());
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
            members.join(", ")
        ),
    )?;
    // The workspace's versions of every dependency.
    fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let cargo = |args: &[&str], env: (&str, &str)| -> Result<String> {
        let out = std::process::Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env(env.0, env.1)
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "`cargo {}` in {} failed:\n{stderr}",
            args.join(" "),
            dir.display()
        );
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let json = cargo(
        &["run", "--quiet", "--offline", "-p", "check"],
        ("RUSTFLAGS", "-D warnings"),
    )?;
    let json: J = serde_json::from_str(&json)?;
    assert_eq!(json["resource"]["random_password"]["pw"]["length"], 16);
    assert_eq!(
        json["terraform"]["required_providers"]["edge"]["source"],
        "oxiform/edge"
    );
    let mut doc = vec!["doc", "--quiet", "--offline", "--no-deps"];
    let packages: Vec<String> = FIXTURES.iter().map(|n| format!("oxiform-{n}")).collect();
    for p in &packages {
        doc.extend(["-p", p.as_str()]);
    }
    cargo(&doc, ("RUSTDOCFLAGS", "-D warnings"))?;
    Ok(())
}
