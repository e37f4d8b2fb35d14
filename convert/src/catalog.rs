//! The provider's types as the generator names them, loaded once per process.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use oxiform_codegen::model::{self, Kind, TypeModel};
use oxiform_codegen::schema::CtyType;
use oxiform_core::diagnostic::Diagnostic;

/// Every resource and data source type of the pinned provider, and the provider
/// configuration, as `oxiform_codegen::model` builds them for generation: Rust names,
/// service modules, arguments, blocks and their Rust type names.
#[derive(Debug)]
pub struct Catalog {
    /// `(kind, tf_type)` → its model.
    types: BTreeMap<(Kind, String), TypeModel>,
    /// `provider "aws"`.
    pub provider: TypeModel,
    /// The provider version, e.g. `5.100.0`.
    pub version: String,
    /// How long reading the schema and building the model took.
    pub load_time: Duration,
    /// `(tf_type, argument)` → the attribute names of the objects of a top-level argument
    /// typed a list or set of objects (`aws_security_group.ingress`): Terraform lets such
    /// arguments be written as blocks ("attributes as blocks"), which `convert` reads.
    object_lists: BTreeMap<(String, String), Vec<String>>,
}

impl Catalog {
    /// Reads the schema compiled into the binary (the checked-in one) and builds the model
    /// (about a second; see [`Catalog::load_time`]).
    pub fn load() -> Result<Catalog, Diagnostic> {
        let started = Instant::now();
        let fail = |e: anyhow::Error| {
            Diagnostic::error(format!("{e:#}")).lead("cannot load the provider model")
        };
        // Compiled into the binary: `convert` works away from the source tree.
        let inputs = oxiform_codegen::embedded_inputs().map_err(fail)?;
        let (models, _) = model::build(
            &inputs.schema,
            &inputs.pinned,
            &inputs.services,
            &inputs.overrides,
        )
        .map_err(fail)?;
        let provider = model::build_provider(&inputs.schema, &inputs.pinned, &inputs.overrides)
            .map_err(fail)?;
        let mut object_lists = BTreeMap::new();
        for provider in inputs.schema.provider_schemas.values() {
            for (tf_type, ts) in provider
                .resource_schemas
                .iter()
                .chain(&provider.data_source_schemas)
            {
                for (name, a) in &ts.block.attributes {
                    if let Some(CtyType::List(inner) | CtyType::Set(inner)) = &a.type_ {
                        if let CtyType::Object(fields, _) = inner.as_ref() {
                            object_lists.insert(
                                (tf_type.clone(), name.clone()),
                                fields.keys().cloned().collect(),
                            );
                        }
                    }
                }
            }
        }
        let types = models
            .into_iter()
            .map(|m| ((m.kind, m.tf_type.clone()), m))
            .collect();
        Ok(Catalog {
            types,
            provider,
            version: inputs.pinned.version,
            load_time: started.elapsed(),
            object_lists,
        })
    }

    /// The model of `tf_type` of `kind` (managed, data, ephemeral).
    pub fn get(&self, kind: Kind, tf_type: &str) -> Option<&TypeModel> {
        self.types.get(&(kind, tf_type.to_owned()))
    }

    /// The attribute names of the objects of `tf_type`'s argument `name`, when it is a list or
    /// set of objects (and so may be written as blocks).
    pub fn object_list(&self, tf_type: &str, name: &str) -> Option<&[String]> {
        self.object_lists
            .get(&(tf_type.to_owned(), name.to_owned()))
            .map(Vec::as_slice)
    }

    /// Up to three type names of `kind` closest to `tf_type`, closest first.
    pub fn closest(&self, kind: Kind, tf_type: &str) -> Vec<String> {
        closest(
            tf_type,
            self.types
                .keys()
                .filter(|(k, _)| *k == kind)
                .map(|(_, n)| n.as_str()),
        )
    }
}

/// Up to three of `candidates` closest to `name` (Jaro-Winkler, at least 0.8), closest
/// first; ties in name order.
pub(crate) fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

/// The catalog, loaded on first use and kept for the process.
pub fn catalog() -> Result<&'static Catalog, Diagnostic> {
    static CATALOG: OnceLock<Result<Catalog, Diagnostic>> = OnceLock::new();
    CATALOG
        .get_or_init(Catalog::load)
        .as_ref()
        .map_err(Clone::clone)
}
