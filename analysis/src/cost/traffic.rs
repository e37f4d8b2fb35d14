//! Traffic profiles (`cost --traffic FILE`): requests per month, tokens per request, the
//! share of each routing tier and the cache hit rate → cost per tier, blended cost per
//! request and per 1M tokens, the saving of routing and caching against sending everything
//! to the largest model, and the "everything to one model" table the seed article prints
//! (corrected, with a verdict on each of its rows when the file quotes them).
//!
//! ```
//! use oxiform_analysis::cost::traffic::Traffic;
//!
//! let t = Traffic::from_json(r#"{
//!     "requests_per_month": 1000000, "input_tokens_per_request": 500, "output_tokens_per_request": 500,
//!     "compare": [{"label": "Claude 3 Haiku (Bedrock)", "bedrock_model": "anthropic.claude-3-haiku-20240307-v1:0"}]
//! }"#, "t.json").unwrap();
//! assert_eq!(t.compare.len(), 1);
//! ```

use std::fmt::Write as _;

use oxiform_core::diagnostic::{Diagnostic, Place, ToDiagnostic};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::line::{money, rate, round_usd, CostLine, Range, HOURS_PER_MONTH};
use super::prices::{Price, PriceTable};
use crate::types;

/// A traffic profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// What the profile describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Requests per month (all of them, cache hits included).
    pub requests_per_month: f64,
    /// Input tokens per request.
    pub input_tokens_per_request: f64,
    /// Output tokens per request.
    pub output_tokens_per_request: f64,
    /// Share of requests answered from the response cache, 0–1.
    #[serde(default)]
    pub cache_hit_rate: f64,
    /// Routing tiers; their shares of the requests that miss the cache add up to 1.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// The Bedrock model "everything" would go to without routing and caching (default: the
    /// only Bedrock tier's model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_model: Option<String>,
    /// The router function every request passes through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<RouterUsage>,
    /// Rows of the "everything to one model" table.
    #[serde(default)]
    pub compare: Vec<Compare>,
    /// Where the assumptions come from.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A routing tier: one of `sagemaker_endpoint`, `bedrock_model`, `sagemaker_instances`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier's name, e.g. `small`.
    pub name: String,
    /// Its share of the requests that miss the cache, 0–1.
    pub share: f64,
    /// A SageMaker endpoint of the document, by address (`aws_sagemaker_endpoint.small`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sagemaker_endpoint: Option<String>,
    /// A Bedrock model id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bedrock_model: Option<String>,
    /// Always-on SageMaker instances, when there is no document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sagemaker_instances: Option<Instances>,
}

/// SageMaker real-time instances running all month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instances {
    /// Instance type, e.g. `ml.g5.12xlarge`.
    pub instance_type: String,
    /// How many.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// The router function's usage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouterUsage {
    /// The function's address, e.g. `aws_lambda_function.model_router`.
    pub function: String,
    /// Average billed duration per request, milliseconds.
    pub duration_ms: f64,
}

/// A row of the "everything to one model" table: one of `bedrock_model`,
/// `sagemaker_instances`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compare {
    /// The row's label, e.g. `Claude 3.5 Sonnet (Bedrock)`.
    pub label: String,
    /// A Bedrock model id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bedrock_model: Option<String>,
    /// Always-on SageMaker instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sagemaker_instances: Option<Instances>,
    /// What a source (the article) claims for this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<Claim>,
    /// A remark printed with the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A monthly figure someone published: its text and the range it means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// As printed, e.g. `~$18,000`.
    pub text: String,
    /// Lowest USD per month it means.
    pub low: f64,
    /// Highest USD per month it means (equal to `low` for a single figure).
    pub high: f64,
}

/// A traffic file that cannot be used.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TrafficError {
    /// Not a traffic file.
    Json {
        /// The file.
        source_name: String,
        /// serde_json's message, with line and column.
        message: String,
    },
    /// A value that is wrong.
    Invalid {
        /// The file.
        source_name: String,
        /// JSON path of the value.
        path: String,
        /// What is wrong, quoting the value.
        problem: String,
        /// How to fix it.
        hint: String,
    },
}

impl ToDiagnostic for TrafficError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            TrafficError::Json {
                source_name,
                message,
            } => Diagnostic::error(message)
                .lead(format!("traffic file {source_name} cannot be read"))
                .hint("see the fields of `Traffic` (oxiform::cost::traffic) or analysis/data/article-traffic.json"),
            TrafficError::Invalid {
                source_name,
                path,
                problem,
                hint,
            } => Diagnostic::error(problem)
                .lead(format!("traffic file {source_name}:"))
                .place(Place::new().field(path))
                .run_on()
                .hint(hint),
        }
    }
}

impl std::fmt::Display for TrafficError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for TrafficError {}

impl Traffic {
    /// Reads and checks a traffic file; `source_name` names it in errors.
    pub fn from_json(text: &str, source_name: &str) -> Result<Traffic, TrafficError> {
        let t: Traffic = serde_json::from_str(text).map_err(|e| TrafficError::Json {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        t.validate(source_name)?;
        Ok(t)
    }

    fn validate(&self, source_name: &str) -> Result<(), TrafficError> {
        let fail = |path: String, problem: String, hint: &str| {
            Err(TrafficError::Invalid {
                source_name: source_name.to_owned(),
                path,
                problem,
                hint: hint.to_owned(),
            })
        };
        if !(self.requests_per_month.is_finite() && self.requests_per_month > 0.0) {
            return fail(
                "requests_per_month".into(),
                format!("is {}, not a positive number", self.requests_per_month),
                "give the requests per month, e.g. 1000000",
            );
        }
        for (path, v) in [
            ("input_tokens_per_request", self.input_tokens_per_request),
            ("output_tokens_per_request", self.output_tokens_per_request),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return fail(
                    path.into(),
                    format!("is {v}, not a token count"),
                    "give the average tokens per request, e.g. 500",
                );
            }
        }
        if !(0.0..=1.0).contains(&self.cache_hit_rate) {
            return fail(
                "cache_hit_rate".into(),
                format!("is {}, outside 0–1", self.cache_hit_rate),
                "a hit rate is a fraction: 0.3 for 30%",
            );
        }
        for (i, tier) in self.tiers.iter().enumerate() {
            if !(0.0..=1.0).contains(&tier.share) {
                return fail(
                    format!("tiers[{i}].share"),
                    format!("is {}, outside 0–1", tier.share),
                    "a share is a fraction of the requests that miss the cache: 0.6 for 60%",
                );
            }
            let targets = [
                tier.sagemaker_endpoint.is_some(),
                tier.bedrock_model.is_some(),
                tier.sagemaker_instances.is_some(),
            ];
            if targets.iter().filter(|b| **b).count() != 1 {
                return fail(
                    format!("tiers[{i}]"),
                    format!("({:?}) names {} targets", tier.name, targets.iter().filter(|b| **b).count()),
                    "give exactly one of \"sagemaker_endpoint\", \"bedrock_model\", \"sagemaker_instances\"",
                );
            }
            if self.tiers[..i].iter().any(|t| t.name == tier.name) {
                return fail(
                    format!("tiers[{i}].name"),
                    format!("{:?} is used twice", tier.name),
                    "give every tier its own name",
                );
            }
        }
        if !self.tiers.is_empty() {
            let sum: f64 = self.tiers.iter().map(|t| t.share).sum();
            if (sum - 1.0).abs() > 1e-6 {
                return fail(
                    "tiers[*].share".into(),
                    format!("adds up to {sum}, not 1"),
                    "the shares divide the requests that miss the cache among the tiers",
                );
            }
        }
        if let Some(r) = &self.router {
            if !(r.duration_ms.is_finite() && r.duration_ms > 0.0) {
                return fail(
                    "router.duration_ms".into(),
                    format!("is {}, not a positive duration", r.duration_ms),
                    "give the router's average billed duration in milliseconds",
                );
            }
        }
        for (i, c) in self.compare.iter().enumerate() {
            if c.bedrock_model.is_some() == c.sagemaker_instances.is_some() {
                return fail(
                    format!("compare[{i}]"),
                    format!("({:?}) needs exactly one target", c.label),
                    "give one of \"bedrock_model\" and \"sagemaker_instances\"",
                );
            }
            if let Some(a) = &c.article {
                if !(a.low <= a.high && a.low >= 0.0) {
                    return fail(
                        format!("compare[{i}].article"),
                        format!("has low {} above high {}", a.low, a.high),
                        "a single figure has low = high",
                    );
                }
            }
        }
        Ok(())
    }

    /// Tokens per month, input and output, every request.
    pub fn tokens_per_month(&self) -> f64 {
        self.requests_per_month * (self.input_tokens_per_request + self.output_tokens_per_request)
    }
}

/// The traffic part of a cost report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrafficReport {
    /// The profile's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Requests per month.
    pub requests_per_month: f64,
    /// Input tokens per request.
    pub input_tokens_per_request: f64,
    /// Output tokens per request.
    pub output_tokens_per_request: f64,
    /// Share answered from the cache.
    pub cache_hit_rate: f64,
    /// Input and output tokens per month, every request (the base of "per 1M tokens").
    pub tokens_per_month: f64,
    /// Cost per tier.
    pub tiers: Vec<TierReport>,
    /// The response cache (every ElastiCache resource of the document), USD per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<Range>,
    /// The router function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<RouterReport>,
    /// Tiers, cache and router together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blended: Option<Blended>,
    /// Everything to the largest model, and what routing and caching save against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// "Everything to one model", per row of the profile's `compare`.
    pub comparison: Vec<ComparisonRow>,
    /// The profile's notes and the report's caveats.
    pub notes: Vec<String>,
}

/// One tier's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierReport {
    /// Tier name.
    pub name: String,
    /// Share of the requests that miss the cache.
    pub share: f64,
    /// What serves it: an address, a model id or `<count> × <instance type>`.
    pub target: String,
    /// Requests per month it serves.
    pub requests: f64,
    /// USD per month (absent when it cannot be priced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<Range>,
    /// USD per request it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request: Option<Range>,
    /// USD per 1M tokens it serves (input and output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_million_tokens: Option<Range>,
    /// How it is priced, or why it is not.
    pub note: String,
}

/// The router's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RouterReport {
    /// The function's address.
    pub function: String,
    /// Memory, MB.
    pub memory_mb: f64,
    /// Requests per month.
    pub requests: f64,
    /// GB-seconds per month.
    pub gb_seconds: f64,
    /// USD per month.
    pub monthly: f64,
}

/// Everything together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Blended {
    /// USD per month.
    pub monthly: Range,
    /// USD per request.
    pub per_request: Range,
    /// USD per 1M tokens (input and output, every request).
    pub per_million_tokens: Range,
}

/// Sending every request to the largest model, and the saving against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Baseline {
    /// The model.
    pub model: String,
    /// USD per month.
    pub monthly: f64,
    /// USD per request.
    pub per_request: f64,
    /// Saving of routing and caching, USD per month, with the endpoints at their floor.
    pub saving_at_floor: f64,
    /// The same with the endpoints at their ceiling (negative: routing costs more).
    pub saving_at_ceiling: f64,
    /// `saving_at_floor` as a percentage of `monthly`.
    pub saving_percent_at_floor: f64,
    /// `saving_at_ceiling` as a percentage of `monthly`.
    pub saving_percent_at_ceiling: f64,
}

/// One row of the "everything to one model" table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ComparisonRow {
    /// Label.
    pub label: String,
    /// Model id or `<count> × <instance type>`.
    pub target: String,
    /// USD per 1M input tokens (Bedrock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_per_million: Option<f64>,
    /// USD per 1M output tokens (Bedrock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_per_million: Option<f64>,
    /// USD per instance-hour (SageMaker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_hour: Option<f64>,
    /// USD per month for the profile's requests (absent when it cannot be priced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<f64>,
    /// USD per request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_request: Option<f64>,
    /// USD per 1M tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_million_tokens: Option<f64>,
    /// What the article claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<Claim>,
    /// Whether the claim holds, and by how much it is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// How the row is priced, or why it is not, and the profile's remark.
    pub note: String,
}

/// A claim checked against the corrected figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verdict {
    /// True when the corrected figure lies within the claim's range.
    pub right: bool,
    /// Corrected figure minus the nearest end of the claim (0 when right), USD per month.
    pub off_by: f64,
    /// The claim's nearest end divided by the corrected figure (1 when right).
    pub factor: f64,
    /// In words.
    pub text: String,
}

/// Checks `claim` against the corrected monthly figure `v`.
pub fn verdict(claim: &Claim, v: f64) -> Verdict {
    let v = round_usd(v);
    if v >= claim.low - 0.005 && v <= claim.high + 0.005 {
        return Verdict {
            right: true,
            off_by: 0.0,
            factor: 1.0,
            text: format!("right: ${} is within {}", money(v), claim.text),
        };
    }
    let nearest = if v < claim.low { claim.low } else { claim.high };
    let off_by = round_usd(v - nearest);
    let factor = if v > 0.0 { nearest / v } else { f64::INFINITY };
    let text = if v < claim.low {
        format!(
            "wrong: {} is {:.2}× the corrected ${} (${} too high)",
            claim.text,
            factor,
            money(v),
            money(-off_by)
        )
    } else {
        format!(
            "wrong: the corrected ${} is ${} ({:.1}%) above {}",
            money(v),
            money(off_by),
            off_by / nearest * 100.0,
            claim.text
        )
    };
    Verdict {
        right: false,
        off_by,
        factor: (factor * 1e6).round() / 1e6,
        text,
    }
}

/// What the traffic report needs from the rest of the estimate.
pub struct TrafficInputs<'a> {
    /// The priced lines of the document.
    pub lines: &'a [CostLine],
    /// The endpoints of the document, by address (to tell "missing" from "unpriced").
    pub endpoints: Vec<String>,
    /// Why an endpoint could not be priced, by address.
    pub unpriced: Vec<(String, String)>,
    /// Router functions: address, memory MB, arm64.
    pub functions: Vec<(String, f64, bool)>,
    /// The price table.
    pub prices: &'a PriceTable,
    /// The region.
    pub region: &'a str,
    /// Names the traffic file in errors.
    pub source_name: &'a str,
}

/// The price table in one region, and every price the traffic report took from it (for
/// the report's sources and price notes: exactly those, not every price that might apply).
struct Lookup<'a> {
    table: &'a PriceTable,
    region: &'a str,
    used: Vec<&'a Price>,
}

impl<'a> Lookup<'a> {
    /// USD per unit of each `(service, item, unit)`, recorded as used only when the table
    /// has every one of them (a figure that cannot be computed used no price).
    fn all<const N: usize>(&mut self, wanted: [(&str, &str, &str); N]) -> Option<[f64; N]> {
        let mut found = Vec::with_capacity(N);
        let mut usd = [0.0; N];
        for (slot, (service, item, unit)) in usd.iter_mut().zip(wanted) {
            let price = self
                .table
                .get(service, item, self.region)
                .filter(|p| p.unit == unit)?;
            *slot = price.usd?;
            found.push(price);
        }
        self.used.extend(found);
        Some(usd)
    }

    /// USD per `unit` of `item` of `service`, recorded as used.
    fn usd(&mut self, service: &str, item: &str, unit: &str) -> Option<f64> {
        self.all([(service, item, unit)]).map(|[usd]| usd)
    }

    /// Bedrock prices per 1M input and output tokens for `model`; a cross-region inference
    /// profile (`us.`, `eu.`, `apac.`, `us-gov.`) is priced as the model it names.
    fn bedrock(&mut self, model: &str) -> Result<(f64, f64, Option<String>), String> {
        let mut note = None;
        let mut id = model;
        for prefix in ["us.", "eu.", "apac.", "us-gov."] {
            if let Some(rest) = model.strip_prefix(prefix) {
                id = rest;
                note = Some(format!(
                    "{model} is a cross-region inference profile: priced as {rest}"
                ));
            }
        }
        let (input, output) = (format!("{id}/input"), format!("{id}/output"));
        match self.all([
            ("bedrock", &input, "1M input tokens"),
            ("bedrock", &output, "1M output tokens"),
        ]) {
            Some([i, o]) => Ok((i, o, note)),
            None => Err(format!(
                "no Bedrock price for model {model:?} in {} (add \"{input}\" and \"{output}\" with --prices)",
                self.region
            )),
        }
    }

    /// The hourly price of `i`'s instance type and the month of `i` always on.
    fn sagemaker_instances(&mut self, i: &Instances) -> Result<(f64, f64), String> {
        self.usd("sagemaker-realtime", &i.instance_type, "instance-hour")
            .map(|hourly| (hourly, hourly * f64::from(i.count) * HOURS_PER_MONTH))
            .ok_or_else(|| {
                format!(
                    "unknown instance type {:?}: no sagemaker-realtime price in {} (add one with --prices)",
                    i.instance_type, self.region
                )
            })
    }
}

/// Computes the traffic report, and returns it with the prices it used (each once per use).
pub fn report<'a>(
    t: &Traffic,
    inputs: &TrafficInputs<'a>,
) -> Result<(TrafficReport, Vec<&'a Price>), TrafficError> {
    let mut prices = Lookup {
        table: inputs.prices,
        region: inputs.region,
        used: Vec::new(),
    };
    let invalid = |path: String, problem: String, hint: String| TrafficError::Invalid {
        source_name: inputs.source_name.to_owned(),
        path,
        problem,
        hint,
    };
    let r = t.requests_per_month;
    let tokens = t.input_tokens_per_request + t.output_tokens_per_request;
    let misses = r * (1.0 - t.cache_hit_rate);
    let mut notes = t.notes.clone();
    let mut tiers = Vec::new();
    for (i, tier) in t.tiers.iter().enumerate() {
        let requests = misses * tier.share;
        let (target, priced): (String, Result<(Range, String), String>) =
            if let Some(address) = &tier.sagemaker_endpoint {
                if !inputs.endpoints.contains(address) {
                    let known = if inputs.endpoints.is_empty() {
                        "the document has none".to_owned()
                    } else {
                        format!("the document has {}", inputs.endpoints.join(", "))
                    };
                    return Err(invalid(
                        format!("tiers[{i}].sagemaker_endpoint"),
                        format!("names {address:?}, which is not in the document"),
                        format!("use an aws_sagemaker_endpoint address: {known}"),
                    ));
                }
                let priced = match inputs.lines.iter().find(|l| &l.address == address) {
                Some(line) => Ok((
                    line.monthly,
                    "instance hours of the endpoint, whatever the requests (capacity not modelled)"
                        .to_owned(),
                )),
                None => Err(inputs
                    .unpriced
                    .iter()
                    .find(|(a, _)| a == address)
                    .map(|(_, why)| why.clone())
                    .unwrap_or_else(|| "the endpoint could not be priced".to_owned())),
            };
                (address.clone(), priced)
            } else if let Some(model) = &tier.bedrock_model {
                let priced = prices.bedrock(model).map(|(pi, po, note)| {
                    let usd = requests
                        * (t.input_tokens_per_request * pi + t.output_tokens_per_request * po)
                        / 1e6;
                    let mut text = format!(
                        "{} per 1M input + {} per 1M output tokens",
                        rate(pi),
                        rate(po)
                    );
                    if let Some(n) = note {
                        text.push_str("; ");
                        text.push_str(&n);
                    }
                    (Range::fixed(usd), text)
                });
                (model.clone(), priced)
            } else if let Some(inst) = &tier.sagemaker_instances {
                let priced = prices.sagemaker_instances(inst).map(|(hourly, monthly)| {
                    (
                        Range::fixed(monthly),
                        format!("always on at {}/h, whatever the requests", rate(hourly)),
                    )
                });
                (format!("{} × {}", inst.count, inst.instance_type), priced)
            } else {
                (String::new(), Err("no target".to_owned()))
            };
        let report = match priced {
            Ok((monthly, note)) => {
                let per = |k: f64| (k > 0.0).then(|| monthly.times(1.0 / k));
                TierReport {
                    name: tier.name.clone(),
                    share: tier.share,
                    target,
                    requests,
                    monthly: Some(monthly),
                    per_request: per(requests),
                    per_million_tokens: per(requests * tokens / 1e6),
                    note,
                }
            }
            Err(why) => TierReport {
                name: tier.name.clone(),
                share: tier.share,
                target,
                requests,
                monthly: None,
                per_request: None,
                per_million_tokens: None,
                note: why,
            },
        };
        tiers.push(report);
    }

    let cache_lines: Vec<&CostLine> = inputs
        .lines
        .iter()
        .filter(|l| l.resource_type.starts_with(types::ELASTICACHE_PREFIX))
        .collect();
    let cache = (!cache_lines.is_empty()).then(|| {
        cache_lines
            .iter()
            .fold(Range::default(), |acc, l| acc.plus(l.monthly))
    });
    if cache.is_none() && t.cache_hit_rate > 0.0 && !inputs.lines.is_empty() {
        notes.push(format!(
            "the profile assumes a cache hit rate of {:.0}% but the document has no ElastiCache resource",
            t.cache_hit_rate * 100.0
        ));
    }

    let router = match &t.router {
        None => None,
        Some(usage) => {
            let Some((_, memory_mb, arm)) = inputs
                .functions
                .iter()
                .find(|(a, _, _)| *a == usage.function)
            else {
                let known: Vec<&str> = inputs
                    .functions
                    .iter()
                    .map(|(a, _, _)| a.as_str())
                    .collect();
                return Err(invalid(
                    "router.function".into(),
                    format!("names {:?}, which is not in the document", usage.function),
                    if known.is_empty() {
                        "the document has no aws_lambda_function; remove \"router\"".to_owned()
                    } else {
                        format!("use one of {}", known.join(", "))
                    },
                ));
            };
            let arch = if *arm {
                "gb-second-arm64"
            } else {
                "gb-second-x86_64"
            };
            match prices.all([
                ("lambda", "requests", "1M requests"),
                ("lambda", arch, "GB-second"),
            ]) {
                Some([req, gbs_price]) => {
                    let gb_seconds = r * usage.duration_ms / 1000.0 * memory_mb / 1024.0;
                    Some(RouterReport {
                        function: usage.function.clone(),
                        memory_mb: *memory_mb,
                        requests: r,
                        gb_seconds: round_usd(gb_seconds),
                        monthly: round_usd(r / 1e6 * req + gb_seconds * gbs_price),
                    })
                }
                None => {
                    notes.push(format!(
                        "the router {} is not priced: no Lambda prices for {} in the table",
                        usage.function, inputs.region
                    ));
                    None
                }
            }
        }
    };

    let blended = if tiers.is_empty() {
        None
    } else if tiers.iter().any(|t| t.monthly.is_none()) {
        notes.push("no blended figure: a tier cannot be priced (see its note)".to_owned());
        None
    } else {
        let mut monthly = tiers
            .iter()
            .filter_map(|t| t.monthly)
            .fold(Range::default(), Range::plus);
        if let Some(c) = cache {
            monthly = monthly.plus(c);
        }
        if let Some(rt) = &router {
            monthly = monthly.plus(Range::fixed(rt.monthly));
        }
        Some(Blended {
            monthly,
            per_request: monthly.times(1.0 / r),
            per_million_tokens: if tokens > 0.0 {
                monthly.times(1e6 / (r * tokens))
            } else {
                Range::default()
            },
        })
    };

    let largest = t.largest_model.clone().or_else(|| {
        let models: Vec<&String> = t
            .tiers
            .iter()
            .filter_map(|t| t.bedrock_model.as_ref())
            .collect();
        (models.len() == 1).then(|| models[0].clone())
    });
    let baseline = match (&largest, &blended) {
        (Some(model), Some(b)) => match prices.bedrock(model) {
            Ok((pi, po, _)) => {
                let monthly =
                    r * (t.input_tokens_per_request * pi + t.output_tokens_per_request * po) / 1e6;
                let pct = |s: f64| {
                    if monthly > 0.0 {
                        round_usd(s / monthly * 100.0)
                    } else {
                        0.0
                    }
                };
                Some(Baseline {
                    model: model.clone(),
                    monthly: round_usd(monthly),
                    per_request: round_usd(monthly / r),
                    saving_at_floor: round_usd(monthly - b.monthly.floor),
                    saving_at_ceiling: round_usd(monthly - b.monthly.ceiling),
                    saving_percent_at_floor: pct(monthly - b.monthly.floor),
                    saving_percent_at_ceiling: pct(monthly - b.monthly.ceiling),
                })
            }
            Err(why) => {
                notes.push(format!("no saving computed: {why}"));
                None
            }
        },
        (None, Some(_)) => {
            notes.push(
                "no saving computed: name the model everything would otherwise go to in \"largest_model\""
                    .to_owned(),
            );
            None
        }
        _ => None,
    };

    let comparison = t
        .compare
        .iter()
        .map(|c| compare_row(t, c, &mut prices))
        .collect();

    let report = TrafficReport {
        description: t.description.clone(),
        requests_per_month: r,
        input_tokens_per_request: t.input_tokens_per_request,
        output_tokens_per_request: t.output_tokens_per_request,
        cache_hit_rate: t.cache_hit_rate,
        tokens_per_month: t.tokens_per_month(),
        tiers,
        cache,
        router,
        blended,
        baseline,
        comparison,
        notes,
    };
    Ok((report, prices.used))
}

fn compare_row(t: &Traffic, c: &Compare, prices: &mut Lookup<'_>) -> ComparisonRow {
    let r = t.requests_per_month;
    let tokens = t.tokens_per_month();
    let mut row = ComparisonRow {
        label: c.label.clone(),
        target: String::new(),
        input_per_million: None,
        output_per_million: None,
        instance_hour: None,
        monthly: None,
        per_request: None,
        per_million_tokens: None,
        article: c.article.clone(),
        verdict: None,
        note: String::new(),
    };
    let mut note = Vec::new();
    let monthly = if let Some(model) = &c.bedrock_model {
        row.target = model.clone();
        match prices.bedrock(model) {
            Ok((pi, po, n)) => {
                row.input_per_million = Some(pi);
                row.output_per_million = Some(po);
                note.push(format!(
                    "{} requests × ({} input × {} + {} output × {}) / 1M",
                    money(r).trim_end_matches(".00"),
                    t.input_tokens_per_request,
                    rate(pi),
                    t.output_tokens_per_request,
                    rate(po)
                ));
                note.extend(n);
                Some(r * (t.input_tokens_per_request * pi + t.output_tokens_per_request * po) / 1e6)
            }
            Err(why) => {
                note.push(why);
                None
            }
        }
    } else if let Some(inst) = &c.sagemaker_instances {
        row.target = format!("{} × {}", inst.count, inst.instance_type);
        match prices.sagemaker_instances(inst) {
            Ok((hourly, monthly)) => {
                row.instance_hour = Some(hourly);
                note.push(format!(
                    "{} × {} always on: {} × 730 h; requests served depend on capacity (not modelled)",
                    inst.count,
                    inst.instance_type,
                    rate(hourly)
                ));
                Some(monthly)
            }
            Err(why) => {
                note.push(why);
                None
            }
        }
    } else {
        None
    };
    if let Some(m) = monthly {
        row.monthly = Some(round_usd(m));
        row.per_request = Some(round_usd(m / r));
        if tokens > 0.0 {
            row.per_million_tokens = Some(round_usd(m * 1e6 / tokens));
        }
        if let Some(claim) = &c.article {
            row.verdict = Some(verdict(claim, m));
        }
    }
    note.extend(c.note.clone());
    row.note = note.join("; ");
    row
}

impl TrafficReport {
    /// The traffic part of the `cost` table.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "traffic: {} requests/month, {} input + {} output tokens each, cache hit rate {:.0}%",
            money(self.requests_per_month).trim_end_matches(".00"),
            self.input_tokens_per_request,
            self.output_tokens_per_request,
            self.cache_hit_rate * 100.0
        );
        if let Some(d) = &self.description {
            let _ = writeln!(out, "  {d}");
        }
        let both = |r: &Range| {
            if (r.floor - r.ceiling).abs() < 1e-9 {
                money(r.floor)
            } else {
                format!("{}–{}", money(r.floor), money(r.ceiling))
            }
        };
        let small = |r: &Range| {
            let f = |x: f64| format!("{x:.6}");
            if (r.floor - r.ceiling).abs() < 1e-12 {
                f(r.floor)
            } else {
                format!("{}–{}", f(r.floor), f(r.ceiling))
            }
        };
        for t in &self.tiers {
            let _ = writeln!(
                out,
                "  tier {} ({:.0}% of misses, {} requests) → {}",
                t.name,
                t.share * 100.0,
                money(t.requests).trim_end_matches(".00"),
                t.target
            );
            match (&t.monthly, &t.per_request, &t.per_million_tokens) {
                (Some(m), pr, pt) => {
                    let _ = writeln!(
                        out,
                        "      ${}/month, ${} per request, ${} per 1M tokens; {}",
                        both(m),
                        pr.as_ref().map(small).unwrap_or_else(|| "-".into()),
                        pt.as_ref().map(both).unwrap_or_else(|| "-".into()),
                        t.note
                    );
                }
                _ => {
                    let _ = writeln!(out, "      cannot price: {}", t.note);
                }
            }
        }
        if let Some(c) = &self.cache {
            let _ = writeln!(out, "  response cache: ${}/month", both(c));
        }
        if let Some(rt) = &self.router {
            let _ = writeln!(
                out,
                "  router {}: {} requests, {} GB-s at {} MB: ${}/month",
                rt.function,
                money(rt.requests).trim_end_matches(".00"),
                money(rt.gb_seconds).trim_end_matches(".00"),
                rt.memory_mb,
                money(rt.monthly)
            );
        }
        if let Some(b) = &self.blended {
            let _ = writeln!(
                out,
                "  blended: ${}/month, ${} per request, ${} per 1M tokens",
                both(&b.monthly),
                small(&b.per_request),
                both(&b.per_million_tokens)
            );
        }
        if let Some(b) = &self.baseline {
            let _ = writeln!(
                out,
                "  everything to {}: ${}/month (${:.6} per request); routing + caching saves ${} ({:.1}%) with the endpoints at their floor, ${} ({:.1}%) at their ceiling",
                b.model,
                money(b.monthly),
                b.per_request,
                money(b.saving_at_floor),
                b.saving_percent_at_floor,
                money(b.saving_at_ceiling),
                b.saving_percent_at_ceiling
            );
        }
        if !self.comparison.is_empty() {
            out.push('\n');
            out.push_str(&self.comparison_table());
        }
        for n in &self.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        out
    }

    /// "Everything to one model" as a Markdown table, in the article's layout plus the
    /// article's figure and the verdict.
    pub fn comparison_table(&self) -> String {
        let mut out = String::new();
        let requests = money(self.requests_per_month)
            .trim_end_matches(".00")
            .to_owned();
        let _ = writeln!(
            out,
            "every request to one model ({} requests/month, {} input + {} output tokens each, no cache):",
            requests, self.input_tokens_per_request, self.output_tokens_per_request
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "| Model | Input $/1M tokens | Output $/1M tokens | {requests} requests/month | per request | per 1M tokens | article | verdict |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
        for row in &self.comparison {
            let (input, output) = match (
                row.input_per_million,
                row.output_per_million,
                row.instance_hour,
            ) {
                (Some(i), Some(o), _) => (format!("${i:.2}"), format!("${o:.2}")),
                (_, _, Some(h)) => (
                    format!("self-hosted ({}/h)", rate(h)),
                    "self-hosted".to_owned(),
                ),
                _ => ("?".to_owned(), "?".to_owned()),
            };
            let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| {
                v.map(f).unwrap_or_else(|| "cannot price".into())
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                row.label,
                input,
                output,
                opt(row.monthly, &|m| format!("${}", money(m))),
                opt(row.per_request, &|m| format!("${m:.6}")),
                opt(row.per_million_tokens, &|m| format!("${}", money(m))),
                row.article
                    .as_ref()
                    .map(|a| a.text.clone())
                    .unwrap_or_else(|| "-".into()),
                row.verdict
                    .as_ref()
                    .map(|v| v.text.clone())
                    .unwrap_or_else(|| "-".into()),
            );
        }
        let _ = writeln!(out);
        for row in &self.comparison {
            let _ = writeln!(out, "  {}: {}", row.label, row.note);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The traffic file's errors: the JSON path is the diagnostic's field, the hint its own
    /// part, and the text the one printed before diagnostics were data.
    #[test]
    fn a_traffic_file_error_is_a_diagnostic() {
        let Err(err) = Traffic::from_json("{", "t.json") else {
            panic!("an unclosed object is not a traffic file");
        };
        let d = err.to_diagnostic();
        assert_eq!(
            err.to_string(),
            format!(
                "traffic file t.json cannot be read: {}\n  hint: see the fields of `Traffic` (oxiform::cost::traffic) or analysis/data/article-traffic.json",
                d.get_message()
            )
        );
        let err = TrafficError::Invalid {
            source_name: "t.json".into(),
            path: "cache_hit_rate".into(),
            problem: "is 1.5, outside 0–1".into(),
            hint: "a hit rate is a fraction: 0.3 for 30%".into(),
        };
        let d = err.to_diagnostic();
        assert_eq!(d.get_place().get_field(), Some("cache_hit_rate"));
        assert_eq!(d.get_hint(), Some("a hit rate is a fraction: 0.3 for 30%"));
        assert_eq!(
            err.to_string(),
            "traffic file t.json: `cache_hit_rate` is 1.5, outside 0–1\n  hint: a hit rate is a fraction: 0.3 for 30%"
        );
    }

    /// A figure that cannot be computed uses no price: with a requests price but no x86_64
    /// GB-second price, the router is not priced and neither price is reported as used.
    #[test]
    fn an_unpriced_router_uses_no_price() {
        let price = |item: &str, unit: &str| {
            format!(
                r#"{{"service": "lambda", "item": "{item}", "region": "us-east-1", "unit": "{unit}", "usd": 0.2, "source": "s", "as_of": "2025-06-01"}}"#
            )
        };
        let table = PriceTable::from_json(
            &format!(
                r#"{{"prices": [{}, {}]}}"#,
                price("requests", "1M requests"),
                price("gb-second-arm64", "GB-second")
            ),
            "t.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let traffic = Traffic::from_json(
            r#"{"requests_per_month": 1000, "input_tokens_per_request": 1, "output_tokens_per_request": 1,
                "router": {"function": "aws_lambda_function.r", "duration_ms": 100}}"#,
            "t.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let inputs = |arm64: bool| TrafficInputs {
            lines: &[],
            endpoints: Vec::new(),
            unpriced: Vec::new(),
            functions: vec![("aws_lambda_function.r".to_owned(), 128.0, arm64)],
            prices: &table,
            region: "us-east-1",
            source_name: "t.json",
        };
        let (x86, used) = report(&traffic, &inputs(false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(x86.router.is_none());
        assert!(used.is_empty(), "{used:?}");
        let (arm, used) = report(&traffic, &inputs(true)).unwrap_or_else(|e| panic!("{e}"));
        assert!(arm.router.is_some());
        let items: Vec<&str> = used.iter().map(|p| p.item.as_str()).collect();
        assert_eq!(items, ["requests", "gb-second-arm64"]);
    }

    fn claim(text: &str, low: f64, high: f64) -> Claim {
        Claim {
            text: text.into(),
            low,
            high,
        }
    }

    #[test]
    fn verdicts() {
        let v = verdict(&claim("~$18,000", 18000.0, 18000.0), 9000.0);
        assert!(!v.right);
        assert_eq!(v.factor, 2.0);
        assert_eq!(v.off_by, -9000.0);
        assert_eq!(
            v.text,
            "wrong: ~$18,000 is 2.00× the corrected $9,000.00 ($9,000.00 too high)"
        );
        let v = verdict(&claim("~$800-1,500", 800.0, 1500.0), 1027.84);
        assert!(v.right);
        let v = verdict(&claim("~$3,000-5,000", 3000.0, 5000.0), 5175.7);
        assert!(!v.right);
        assert!((v.off_by - 175.7).abs() < 1e-9);
    }

    #[test]
    fn shares_must_add_up() {
        let err = Traffic::from_json(
            r#"{"requests_per_month":1,"input_tokens_per_request":1,"output_tokens_per_request":1,
                "tiers":[{"name":"a","share":0.5,"bedrock_model":"m"},{"name":"b","share":0.4,"bedrock_model":"m"}]}"#,
            "t.json",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.starts_with("traffic file t.json: `tiers[*].share` adds up to 0.9"),
            "{err}"
        );
    }
}
