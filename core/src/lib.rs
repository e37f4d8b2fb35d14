//! # oxiform-core
//!
//! The bottom layer of oxiform: what every stack is made of, and nothing generated or
//! interpreted on top. Values and expressions ([`value`]), templates ([`template!`]),
//! addresses and handles ([`address`], [`handle`]), the [`Resource`] trait and its
//! meta-arguments ([`resource`]), stacks ([`stack`]) with their dependency graph ([`graph`])
//! and checks, the Terraform JSON writer ([`tf`]), escaping ([`escape`]), assets
//! ([`asset`]), backends ([`backend`]), diagnostics ([`diagnostic`]: message, place, hint
//! and severity as data, one renderer), errors ([`error`]) and policy waivers as plain data
//! ([`waiver`]). Many stacks form an [`App`](app::App) ([`app`]), reading each other's
//! values through typed [`Export`](export::Export)s ([`export`]). Resources may have `count` and `for_each` ([`meta`]); types oxiform does not
//! generate are added through the untyped escape hatch ([`untyped`]).
//!
//! Users depend on the facade crate `oxiform`, which re-exports this crate at its root
//! together with the generated AWS provider, the patterns and the analysis. Modules depend
//! on each other in one direction only: `address` at the bottom, then `escape`, `value`,
//! `meta`, `provider`, `resource`, `handle`, `untyped`, `node`, `graph`, `refactor`, `export`,
//! `stack`, `synth`, `app` (see
//! `ARCHITECTURE.md`).
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_core::builtin::TerraformData;
//!
//! let mut stack = Stack::new("demo");
//! let data = stack.add("data", TerraformData::new().input(serde_json::json!("hello")));
//! stack.output("id", Output::new(data.id()));
//! let json = stack.synth().unwrap().to_json().unwrap();
//! assert!(json.contains("\"${terraform_data.data.id}\""));
//! ```

pub mod address;
pub mod app;
pub mod asset;
pub mod backend;
pub mod body;
pub mod builtin;
pub mod diagnostic;
pub mod error;
pub mod escape;
pub mod export;
pub mod func;
pub mod graph;
pub mod handle;
pub mod json_encode;
pub mod json_template;
pub mod meta;
mod node;
pub mod provider;
mod refactor;
pub mod resource;
pub mod secret;
pub mod stack;
mod synth;
pub mod tf;
pub mod untyped;
pub mod value;
pub mod waiver;

pub use address::{Address, AsNode, NodeRef, ResourceKind};
pub use app::{App, AppBackend};
pub use backend::Backend;
pub use diagnostic::{Diagnostic, ToDiagnostic};
pub use error::{SynthError, SynthErrors};
pub use export::Export;
pub use handle::Handle;
pub use provider::ProviderConfig;
pub use resource::{Resource, ResourceExt};
pub use secret::{IntoSensitive, Secret, Sensitive};
pub use stack::{Output, Stack, Variable};
pub use untyped::{UntypedBlock, UntypedHandle, UntypedResource};
pub use value::{Expr, Json, List, Map, Value};
pub use waiver::Waiver;

#[doc(hidden)]
pub use serde;
/// For the `any` defaults `convert` writes (`Json(serde_json::json!(…))`).
#[doc(hidden)]
pub use serde_json;

/// Everything a stack author needs in one import.
pub mod prelude {
    pub use crate::app::{App, AppBackend};
    pub use crate::backend::Backend;
    pub use crate::export::Export;
    pub use crate::handle::Handle;
    pub use crate::meta::{count_index, each_key, each_value, ForEach};
    pub use crate::resource::ResourceExt;
    pub use crate::stack::{Output, Stack, Variable};
    pub use crate::template;
    pub use crate::value::{Expr, List, Map, Value};
}
