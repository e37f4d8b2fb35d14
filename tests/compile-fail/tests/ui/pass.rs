// The resources of the four compile-fail cases, written correctly: every required argument
// and the required block given, an integer where the schema wants one, and sensitive values
// from a sensitive variable and from the explicit opt-in. It compiles, synthesizes and runs,
// so each failing case fails for its one mistake only.

use oxiform::aws::secretsmanager::secretsmanager_secret_rotation::RotationRules;
use oxiform::aws::secretsmanager::{
    SecretsmanagerSecret, SecretsmanagerSecretPolicy, SecretsmanagerSecretPolicyArgs,
    SecretsmanagerSecretRotation, SecretsmanagerSecretRotationArgs, SecretsmanagerSecretVersion,
};
use oxiform::prelude::*;
use oxiform::Secret;

fn main() {
    let mut stack = Stack::new("pass");
    stack.provider(AwsProvider::new("us-east-1"));
    let secret = stack.add("db", SecretsmanagerSecret::new().name("db-password"));

    // missing_required_argument.rs leaves out `policy`.
    stack.add(
        "db",
        SecretsmanagerSecretPolicy::new(SecretsmanagerSecretPolicyArgs {
            policy: r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
            secret_arn: secret.arn().into(),
        }),
    );

    // missing_required_block.rs leaves out `rotation_rules`; float_for_integer.rs passes
    // `2.5` to `automatically_after_days`.
    stack.add(
        "db",
        SecretsmanagerSecretRotation::new(SecretsmanagerSecretRotationArgs {
            rotation_rules: RotationRules::new().automatically_after_days(30),
            secret_id: secret.id().into(),
        })
        .rotation_lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:rotate"),
    );

    // literal_for_sensitive.rs passes "hunter2" to `secret_string`.
    let password = stack.variable("db_password", Variable::<String>::new().sensitive());
    stack.add(
        "db",
        SecretsmanagerSecretVersion::new(secret.id()).secret_string(password),
    );
    stack.add(
        "initial",
        SecretsmanagerSecretVersion::new(secret.id())
            .secret_string(Secret::plaintext_in_config("change-me")),
    );

    let json = match stack.synth() {
        Ok(doc) => doc.to_json().unwrap_or_default(),
        Err(errors) => panic!("{errors}"),
    };
    for written in [
        r#""policy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}""#,
        r#""automatically_after_days": 30"#,
        r#""secret_string": "${var.db_password}""#,
        r#""secret_string": "change-me""#,
    ] {
        assert!(json.contains(written), "{written} not in\n{json}");
    }
}
