// An integer argument (`automatically_after_days`, a number of days) takes
// `impl Into<Value<i64>>`: a float literal does not convert, and the error names the setter.
// pass.rs passes `30`.

use oxiform::aws::secretsmanager::secretsmanager_secret_rotation::RotationRules;
use oxiform::aws::secretsmanager::{
    SecretsmanagerSecret, SecretsmanagerSecretRotation, SecretsmanagerSecretRotationArgs,
};
use oxiform::prelude::*;

fn main() {
    let mut stack = Stack::new("float-for-integer");
    let secret = stack.add("db", SecretsmanagerSecret::new().name("db-password"));
    stack.add(
        "db",
        SecretsmanagerSecretRotation::new(SecretsmanagerSecretRotationArgs {
            rotation_rules: RotationRules::new().automatically_after_days(2.5),
            secret_id: secret.id().into(),
        }),
    );
}
