//! Cost estimates from Terraform JSON, before apply: monthly list prices of every resource
//! that has one (730 h), scheduled scaling simulated over a week, spot capacity priced as
//! spot, and what cannot be priced with the reason. A traffic profile adds cost per request
//! and per 1M tokens for model routing and caching.
//!
//! Like plan-based tools, this reads the JSON document, not Rust types, so it prices any
//! `.tf.json` — one `synth` wrote or one written by hand.
//!
//! Prices come from a data file, `analysis/data/prices.json` ([`prices`]): each has its region,
//! unit, source (the AWS pricing page) and the date it was recorded; they are list prices as
//! of that date. A user file replaces or adds prices.
//!
//! ```
//! use oxiform_analysis::cost::{estimate_json, prices::PriceTable};
//!
//! let doc = r#"{
//!   "provider": {"aws": [{"region": "us-east-1"}]},
//!   "resource": {"aws_elasticache_replication_group": {"cache": {
//!     "node_type": "cache.r6g.large", "num_cache_clusters": 2, "description": "x"}}}
//! }"#;
//! let report = estimate_json(doc, "demo", &PriceTable::builtin().unwrap(), None).unwrap();
//! assert!((report.monthly.floor - 0.206 * 2.0 * 730.0).abs() < 1e-6);
//! assert!(report.to_table().contains("cache.r6g.large × 2"));
//! ```

mod ctx;
pub mod document;
mod estimate;
mod line;
pub mod prices;
mod referrers;
pub mod report;
pub mod rules;
pub mod simulate;
pub mod traffic;
pub mod usage;

pub use estimate::{estimate, DEFAULT_REGION, EMF_METRICS_VARIABLE};
pub use report::{report_schema, CostReport, Range};

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};

use document::{DocumentError, TfDocument};
use prices::PriceTable;
use traffic::{Traffic, TrafficError};
use usage::UsageFile;

/// The built-in traffic profile of the seed article: 1M requests a month, 500 input and 500
/// output tokens each, and the four rows of its "Cost Problem" table with the figures it
/// prints.
pub const ARTICLE_TRAFFIC: &str = include_str!("../../data/article-traffic.json");

/// Anything that stops an estimate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CostError {
    /// The document cannot be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The traffic profile is wrong.
    #[error(transparent)]
    Traffic(#[from] TrafficError),
    /// A price file is wrong.
    #[error(transparent)]
    Prices(#[from] prices::PriceError),
    /// A usage file is wrong, or names a key a resource does not have.
    #[error(transparent)]
    Usage(#[from] usage::UsageError),
}

impl ToDiagnostic for CostError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            CostError::Document(e) => e.to_diagnostic(),
            CostError::Traffic(e) => e.to_diagnostic(),
            CostError::Prices(e) => e.to_diagnostic(),
            CostError::Usage(e) => e.to_diagnostic(),
        }
    }
}

/// Prices the Terraform JSON `text`; `source` names it in the report.
pub fn estimate_json(
    text: &str,
    source: &str,
    prices: &PriceTable,
    traffic: Option<(&Traffic, &str)>,
) -> Result<CostReport, CostError> {
    estimate_json_with_usage(text, source, prices, traffic, None)
}

/// [`estimate_json`] with a usage file (`cost --usage FILE`): the resources billed by use
/// that it gives quantities for are priced from them.
pub fn estimate_json_with_usage(
    text: &str,
    source: &str,
    prices: &PriceTable,
    traffic: Option<(&Traffic, &str)>,
    usage: Option<&UsageFile>,
) -> Result<CostReport, CostError> {
    let doc = TfDocument::parse(text, source)?;
    not_terraform(&doc, source)?;
    let notes = match usage {
        Some(u) => u.check(&doc)?,
        None => Vec::new(),
    };
    let mut report = estimate(&doc, source, prices, traffic, usage)?;
    report.notes.extend(notes);
    Ok(report)
}

/// The top-level keys of a Terraform JSON document.
const TERRAFORM_BLOCKS: &[&str] = &[
    "//",
    "check",
    "data",
    "ephemeral",
    "import",
    "locals",
    "module",
    "moved",
    "output",
    "provider",
    "removed",
    "resource",
    "terraform",
    "variable",
];

/// A document without resources whose top-level keys are not Terraform's: JSON of another
/// kind, which would otherwise price to 0 without a word.
fn not_terraform(doc: &TfDocument, source: &str) -> Result<(), DocumentError> {
    if !doc.resources().is_empty() {
        return Ok(());
    }
    let foreign: Vec<String> = doc
        .root()
        .as_object()
        .map(|m| {
            m.keys()
                .filter(|k| !TERRAFORM_BLOCKS.contains(&k.as_str()))
                .map(|k| format!("{k:?}"))
                .collect()
        })
        .unwrap_or_default();
    if foreign.is_empty() {
        return Ok(());
    }
    Err(DocumentError::Shape {
        source_name: source.to_owned(),
        problem: format!(
            "no resources found, and {} {} {}",
            if foreign.len() == 1 {
                "its top-level key"
            } else {
                "its top-level keys"
            },
            foreign.join(", "),
            if foreign.len() == 1 {
                "is not a Terraform block"
            } else {
                "are not Terraform blocks"
            }
        ),
    })
}
