//! Terraform's built-in resources (provider `terraform.io/builtin/terraform`), which need
//! no provider download: `terraform_data` and the `terraform_remote_state` data source, and
//! the provider's functions.
//!
//! Generated from the provider's schema by the same generator as every other provider
//! (`cargo run -p oxiform-codegen -- builtin`, into `generated/`, every file `@generated`).
//! They live in the core rather than in a crate of their own because the core's apps read
//! other stacks' outputs through [`DataTerraformRemoteState`], and the core can depend on no
//! crate that depends on it; the generator is a tool that writes source, not a dependency.
//!
//! ```
//! use oxiform_core::builtin::{DataTerraformRemoteState, TerraformData};
//! use oxiform_core::prelude::*;
//!
//! let mut stack = Stack::new("demo");
//! let network = stack.add(
//!     "network",
//!     DataTerraformRemoteState::new("local")
//!         .config(serde_json::json!({ "path": "../network/terraform.tfstate" })),
//! );
//! let marker = stack.add("marker", TerraformData::new().input(network.outputs()));
//! stack.output("copied", Output::new(marker.output()));
//! let json = stack.synth().unwrap().to_json().unwrap();
//! assert!(json.contains("${data.terraform_remote_state.network.outputs}"), "{json}");
//! assert!(json.contains("${terraform_data.marker.output}"), "{json}");
//! ```

#[rustfmt::skip]
mod generated;

pub use generated::terraform::{
    DataTerraformRemoteState, DataTerraformRemoteStateAttrs, DataTerraformRemoteStateField,
    TerraformData, TerraformDataAttrs, TerraformDataField,
};
pub use generated::{facts, functions};
