// A sensitive argument (`secret_string`) takes `impl IntoSensitive<String>`, which no plain
// literal implements: a string typed into the code does not compile, and the message says
// what to pass instead (the `#[diagnostic::on_unimplemented]` on `IntoSensitive`). pass.rs
// passes a sensitive variable and `Secret::plaintext_in_config(..)`.

use oxiform::aws::secretsmanager::{SecretsmanagerSecret, SecretsmanagerSecretVersion};
use oxiform::prelude::*;

fn main() {
    let mut stack = Stack::new("literal-for-sensitive");
    let secret = stack.add("db", SecretsmanagerSecret::new().name("db-password"));
    stack.add(
        "db",
        SecretsmanagerSecretVersion::new(secret.id()).secret_string("hunter2"),
    );
}
