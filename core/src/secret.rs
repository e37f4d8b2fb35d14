//! Sensitive arguments take no plain literal.
//!
//! An argument the provider marks `sensitive` (a database password, an auth token) is
//! generated to take `impl IntoSensitive<T>`: an expression — a sensitive
//! [`Variable`](crate::Variable), an attribute of a data source or ephemeral resource (a
//! Secrets Manager secret read at apply time), another resource's output — or an explicit,
//! greppable [`Secret::plaintext_in_config`]. A string typed into the code does not compile,
//! so a secret cannot land in `main.tf.json` unnoticed; the opt-in writes it and the policy
//! reports it (rule `inline-secret`).
//!
//! ```
//! use oxiform_core::secret::{IntoSensitive, Secret, Sensitive};
//! use oxiform_core::value::{Expr, Value};
//!
//! fn password(v: impl IntoSensitive<String>) -> Value<String> {
//!     v.into_sensitive().into_value()
//! }
//! let from_variable = password(Expr::raw("var.db_password"));
//! let inline = password(Secret::plaintext_in_config("hunter2"));
//! assert_eq!(inline, Value::Literal("hunter2".to_owned()));
//! # let _ = from_variable;
//! ```
//!
//! ```compile_fail
//! # use oxiform_core::secret::IntoSensitive;
//! # fn password(v: impl IntoSensitive<String>) {}
//! password("hunter2"); // a sensitive argument takes no plain literal
//! ```

use crate::value::{Expr, Value};

/// The value of a sensitive argument: an expression, or a literal opted in through
/// [`Secret`].
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitive<T>(Value<T>);

impl<T> Sensitive<T> {
    /// The value to write.
    pub fn into_value(self) -> Value<T> {
        self.0
    }
}

/// A literal secret written into the configuration on purpose. Its constructor's name is
/// meant to be found by `grep` and in review; the policy reports every literal written to a
/// sensitive argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Secret<T>(T);

impl Secret<String> {
    /// Writes `text` into `main.tf.json` (and so into version control and the state).
    /// Prefer a sensitive variable or a Secrets Manager / SSM data source.
    pub fn plaintext_in_config(text: impl Into<String>) -> Self {
        Secret(text.into())
    }
}

/// What a sensitive argument accepts. Not implemented for plain literals (`&str`,
/// `String`, numbers), on purpose.
#[diagnostic::on_unimplemented(
    message = "a sensitive argument takes no plain value, and `{Self}` is one",
    label = "this would write a secret into main.tf.json",
    note = "pass an expression instead: a sensitive variable, or an attribute of a data source or ephemeral resource (Secrets Manager, SSM)",
    note = "or opt in where reviewers see it: `Secret::plaintext_in_config(..)` (the policy reports it)"
)]
pub trait IntoSensitive<T> {
    /// The sensitive value.
    fn into_sensitive(self) -> Sensitive<T>;
}

impl<T> IntoSensitive<T> for Expr<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        Sensitive(Value::Expr(self))
    }
}
impl<T> IntoSensitive<T> for &Expr<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        Sensitive(Value::Expr(self.clone()))
    }
}
impl<T> IntoSensitive<T> for Secret<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        Sensitive(Value::Literal(self.0))
    }
}
impl<T> IntoSensitive<T> for Sensitive<T> {
    fn into_sensitive(self) -> Sensitive<T> {
        self
    }
}
