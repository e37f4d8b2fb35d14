//! Environment configuration files: the JSON Schema, and bad files refused with the JSON path
//! and a fix.

use oxiform_tests::snapshot;
use stacks::config::{self, ConfigError};

fn prod_text() -> String {
    std::fs::read_to_string(config::config_dir().join("prod.json"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The prod file with one edit applied to its JSON.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&prod_text()).unwrap_or_default();
    edit(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn problems(text: &str) -> String {
    match config::parse(text) {
        Ok(_) => panic!("the configuration should have been refused"),
        Err(problems) => ConfigError {
            file: "stacks/config/bad.json".into(),
            problems,
        }
        .to_string(),
    }
}

#[test]
fn every_environment_file_is_valid() {
    for env in ["prod", "dev", "local"] {
        config::load(env).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn schema_snapshot() {
    snapshot!("config_schema", config::schema_json());
}

#[test]
fn unknown_field() {
    let text = edited(|v| v["autoscaling"]["max_capacityy"] = 4.into());
    snapshot!("config_error_unknown_field", problems(&text));
}

#[test]
fn wrong_type() {
    let text = edited(|v| v["autoscaling"]["max_capacity"] = "four".into());
    snapshot!("config_error_wrong_type", problems(&text));
}

#[test]
fn semantic_problems_are_reported_together() {
    let text = edited(|v| {
        v["autoscaling"]["min_capacity"] = 5.into();
        v["schedule"]["night"]["cron"] = "cron(0 25 * * ? *)".into();
        v["schedule"]["morning"]["cron"] = "cron(0 7 * * * *)".into();
        v["models"]["large"]["instance_type"] = "g5.12xlarge".into();
        v["spot_batch"]["instance_types"][0] = "ml.g5.xlarge".into();
    });
    snapshot!("config_error_semantic", problems(&text));
}

#[test]
fn a_bad_time_zone_is_refused_with_its_path() {
    let text = edited(|v| v["schedule"]["timezone"] = "Berlin".into());
    snapshot!("config_error_time_zone", problems(&text));
}

#[test]
fn names_aws_would_refuse_are_reported_with_their_paths() {
    let text = edited(|v| {
        v["region"] = "us-east1".into();
        v["name_prefix"] = "AI_Prod".into();
        v["models"]["large"]["endpoint_name"] = "llama_70b".into();
        v["models"]["small"]["endpoint_name"] = "llama_70b".into();
    });
    snapshot!("config_error_names", problems(&text));
    let long = edited(|v| v["name_prefix"] = "ai-inference-production".into());
    assert!(
        problems(&long).contains("is 23 characters; batch transform job names leave room for 20"),
        "{}",
        problems(&long)
    );
}

#[test]
fn a_missing_file_names_the_file() {
    let err = config::load("staging")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("staging.json"), "{err}");
    assert!(err.contains("cannot read the file"), "{err}");
}
