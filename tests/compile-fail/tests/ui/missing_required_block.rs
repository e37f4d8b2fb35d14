// A required block (`min_items = 1` in the schema: `rotation_rules` of
// `aws_secretsmanager_secret_rotation`) is a field of the `…Args` struct too: leaving it out
// is E0063, naming the block. pass.rs gives it.

use oxiform::aws::secretsmanager::{
    SecretsmanagerSecret, SecretsmanagerSecretRotation, SecretsmanagerSecretRotationArgs,
};
use oxiform::prelude::*;

fn main() {
    let mut stack = Stack::new("missing-required-block");
    let secret = stack.add("db", SecretsmanagerSecret::new().name("db-password"));
    stack.add(
        "db",
        SecretsmanagerSecretRotation::new(SecretsmanagerSecretRotationArgs {
            secret_id: secret.id().into(),
        })
        .rotation_lambda_arn("arn:aws:lambda:us-east-1:123456789012:function:rotate"),
    );
}
