//! The checked-in inputs besides the schema and the service table: the pinned provider
//! (`codegen.json`) and the overrides (`overrides.json`). See `README.md` for their format.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// `codegen.json`: the pinned provider whose schema is checked in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pinned {
    /// Free-form explanation, ignored.
    #[serde(default, rename = "_comment", skip_serializing_if = "Vec::is_empty")]
    pub comment: Vec<String>,
    /// Provider source address in the schema, e.g. `registry.terraform.io/hashicorp/aws`.
    pub provider: String,
    /// Provider version the schema was taken from, e.g. `5.100.0`.
    pub version: String,
    /// The provider's local name (`aws`), the prefix of its type names (`aws_…`); by
    /// default the last segment of `provider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How docs and headers name the provider (`AWS`); by default its local name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Pinned {
    /// A pin of `provider` (source address) at `version`, named by its last segment.
    pub fn new(provider: &str, version: &str) -> Pinned {
        Pinned {
            comment: Vec::new(),
            provider: provider.to_owned(),
            version: version.to_owned(),
            name: None,
            title: None,
        }
    }

    /// The provider's local name: `aws` for `registry.terraform.io/hashicorp/aws`.
    pub fn name(&self) -> &str {
        match &self.name {
            Some(name) => name,
            None => self.provider.rsplit('/').next().unwrap_or(&self.provider),
        }
    }

    /// How docs and headers name the provider.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or_else(|| self.name())
    }

    /// The prefix of the provider's type names: `aws_`.
    pub fn type_prefix(&self) -> String {
        format!("{}_", self.name())
    }

    /// The registry's documentation of the provider (`…/providers/hashicorp/aws/latest/docs`)
    /// when its source is a registry address, `None` otherwise (the built-in provider).
    pub fn registry_docs(&self) -> Option<String> {
        let rest = self.provider.strip_prefix("registry.terraform.io/")?;
        let (namespace, name) = rest.split_once('/')?;
        Some(format!(
            "https://registry.terraform.io/providers/{namespace}/{name}/latest/docs"
        ))
    }

    /// The source as `required_providers` takes it: `hashicorp/aws` for the public registry,
    /// the full address otherwise.
    pub fn short_source(&self) -> &str {
        self.provider
            .strip_prefix("registry.terraform.io/")
            .unwrap_or(&self.provider)
    }

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
    #[serde(default)]
    pub doc_url: DocUrl,
    /// Terraform type (`aws_x`, `data.aws_x`, `ephemeral.aws_x`) → Rust type name, where the
    /// automatic rules give two types one name.
    #[serde(default)]
    pub type_names: BTreeMap<String, String>,
    /// Types (`aws_x`, `data.aws_x`) not generated, for a shape the generator cannot write
    /// (blocks nested as a map): a stack writes them with `UntypedResource`.
    #[serde(default)]
    pub skip_types: BTreeSet<String>,
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

/// Registry documentation link templates; an empty template gives no link.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocUrl {
    /// For managed resources.
    #[serde(default)]
    pub resource: String,
    /// For data sources.
    #[serde(default)]
    pub data_source: String,
    /// For ephemeral resources.
    #[serde(default)]
    pub ephemeral: String,
    /// For one type (`aws_x`, `data.aws_x`), instead of its kind's template.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

impl Overrides {
    /// What a provider without an `overrides.json` gets: links to its registry pages (when
    /// it has some) and `id` read only (SDKv2 providers mark it optional, yet it is the
    /// provider's to set).
    pub fn defaults(pinned: &Pinned) -> Overrides {
        let link = |kind: &str| match pinned.registry_docs() {
            Some(docs) => format!("{docs}/{kind}/{{name}}"),
            None => String::new(),
        };
        Overrides {
            doc_url: DocUrl {
                resource: link("resources"),
                data_source: link("data-sources"),
                ephemeral: link("ephemeral-resources"),
                types: BTreeMap::new(),
            },
            not_arguments: ["id".to_owned()].into_iter().collect(),
            ..Overrides::default()
        }
    }
}
