// A resource's required arguments are the fields of its `…Args` struct: leaving one out is
// E0063, naming the field (`policy`). pass.rs gives it.

use oxiform::aws::secretsmanager::{
    SecretsmanagerSecret, SecretsmanagerSecretPolicy, SecretsmanagerSecretPolicyArgs,
};
use oxiform::prelude::*;

fn main() {
    let mut stack = Stack::new("missing-required-argument");
    let secret = stack.add("db", SecretsmanagerSecret::new().name("db-password"));
    stack.add(
        "db",
        SecretsmanagerSecretPolicy::new(SecretsmanagerSecretPolicyArgs {
            secret_arn: secret.arn().into(),
        }),
    );
}
