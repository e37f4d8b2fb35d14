//! The checked-in inputs besides the schema and the service table: the pinned provider
//! (`codegen.json`) and the overrides (`overrides.json`). See `README.md` for their format.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// `codegen.json`: the pinned provider whose schema is checked in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pinned {
    /// Free-form explanation, ignored.
    #[serde(default, rename = "_comment")]
    pub comment: Vec<String>,
    /// Provider source address in the schema, e.g. `registry.terraform.io/hashicorp/aws`.
    pub provider: String,
    /// Provider version the schema was taken from, e.g. `5.100.0`.
    pub version: String,
}

impl Pinned {
    /// File name of the checked-in schema: `aws-5.100.0.json.gz`.
    pub fn schema_file_name(&self) -> String {
        let short = self.provider.rsplit('/').next().unwrap_or("provider");
        format!("{short}-{}.json.gz", self.version)
    }
}

/// `overrides.json`: what the schema does not say.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Free-form explanation, ignored.
    #[serde(default, rename = "_comment")]
    pub comment: Vec<String>,
    /// Registry documentation links; `{name}` is the type without the `aws_` prefix.
    pub doc_url: DocUrl,
    /// Terraform name → Rust identifier, for names that are Rust keywords (`type` → `type_`).
    #[serde(default)]
    pub rust_names: BTreeMap<String, String>,
    /// Top-level attributes that are never arguments although the schema marks them optional
    /// (`id` and `tags_all` of SDKv2 resources): accessor only.
    #[serde(default)]
    pub not_arguments: BTreeSet<String>,
    /// `number` attributes that are integers (`i64`), as `type.block.attribute` paths
    /// (data sources: `data.type.attribute`).
    #[serde(default)]
    pub integers: BTreeSet<String>,
    /// `number` attributes that are fractional (`f64`). Every `number` attribute must be in
    /// `integers` or `floats`.
    #[serde(default)]
    pub floats: BTreeSet<String>,
    /// `string` attributes the API reads as integers (the provider keeps a string to tell
    /// "unset" from 0); generated as `i64`, which Terraform converts to the string.
    #[serde(default)]
    pub integer_strings: BTreeSet<String>,
    /// Extra documentation (Markdown lines, doctests allowed) appended to generated types:
    /// `type` → the resource type's doc, `type.Args` → its `…Args` struct's doc.
    #[serde(default)]
    pub extra_docs: BTreeMap<String, Vec<String>>,
}

/// Registry documentation link templates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocUrl {
    /// For managed resources.
    pub resource: String,
    /// For data sources.
    pub data_source: String,
    /// For ephemeral resources.
    pub ephemeral: String,
}
