//! The price table: a data file (`analysis/data/prices.json`), each price with its region, unit,
//! source and date; a user file can replace or add prices.
//!
//! ```
//! use oxiform_analysis::cost::prices::PriceTable;
//!
//! let table = PriceTable::builtin().unwrap();
//! let g5 = table.get("sagemaker-realtime", "ml.g5.xlarge", "us-east-1").unwrap();
//! assert_eq!(g5.unit, "instance-hour");
//! assert!(g5.source.starts_with("https://aws.amazon.com/"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The built-in price file.
pub const BUILTIN_PRICES: &str = include_str!("../../data/prices.json");

/// A price file: notes and prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// Free text: what the prices are and are not (free tiers, taxes, …).
    #[serde(default)]
    pub notes: Vec<String>,
    /// The prices.
    pub prices: Vec<Price>,
}

/// One price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// The service, e.g. `sagemaker-realtime`, `ec2`, `ec2-spot`, `elasticache`, `lambda`,
    /// `cloudwatch`, `stepfunctions`, `scheduler`, `vpc`, `s3`, `bedrock`.
    pub service: String,
    /// What is priced: an instance or node type, a model id with `/input` or `/output`, or
    /// a named dimension such as `requests`.
    pub item: String,
    /// The AWS region, e.g. `us-east-1`, or `*` for a price that holds in every region (a
    /// global service, or a page that gives one price for all regions).
    pub region: String,
    /// The unit the price is per, e.g. `instance-hour`, `1M input tokens`.
    pub unit: String,
    /// The price in USD per unit (absent for a discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd: Option<f64>,
    /// A fraction off the on-demand price (spot), 0 ≤ discount < 1 (absent for a price).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    /// Where the price comes from (the AWS pricing page).
    pub source: String,
    /// The date the price was recorded, `YYYY-MM-DD`.
    pub as_of: String,
    /// vCPUs of an instance type (EC2), for per-vCPU capacity such as AWS Batch's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<u32>,
    /// GPUs of an instance type (EC2), to find the types an AWS Batch job fits on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpus: Option<u32>,
    /// Whether the figure was checked against a page that was read (named in `read`).
    /// Reports say "unverified" next to a price without it.
    #[serde(default)]
    pub verified: bool,
    /// The page actually read to check the figure, with what it says, e.g.
    /// `https://… (lists $0.30 per metric-month for the first 10,000 metrics)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A price file that cannot be used.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PriceError {
    /// Not a price file.
    Json {
        /// The file.
        source_name: String,
        /// serde_json's message, with line and column.
        message: String,
    },
    /// A price that is wrong.
    Invalid {
        /// The file.
        source_name: String,
        /// Position in `prices`.
        index: usize,
        /// Its service and item, e.g. `ec2 "g5.xlarge"`.
        what: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        hint: String,
    },
}

impl ToDiagnostic for PriceError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            PriceError::Json {
                source_name,
                message,
            } => Diagnostic::error(message)
                .lead(format!("price file {source_name} cannot be read"))
                .hint(r#"the format is that of analysis/data/prices.json: {"prices": [{"service", "item", "region", "unit", "usd", "source", "as_of"}]}"#),
            PriceError::Invalid {
                source_name,
                index,
                what,
                problem,
                hint,
            } => Diagnostic::error(problem)
                .lead(format!("price file {source_name}: prices[{index}] ({what})"))
                .hint(hint),
        }
    }
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for PriceError {}

/// Prices by service, item and region, with where each came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceTable {
    entries: BTreeMap<(String, String, String), Price>,
    notes: Vec<String>,
    overrides: Vec<String>,
}

impl PriceTable {
    /// The built-in table.
    pub fn builtin() -> Result<PriceTable, PriceError> {
        PriceTable::from_json(BUILTIN_PRICES, "analysis/data/prices.json")
    }

    /// A table from the text of a price file; `source_name` names it in errors.
    pub fn from_json(text: &str, source_name: &str) -> Result<PriceTable, PriceError> {
        let file: PriceFile = serde_json::from_str(text).map_err(|e| PriceError::Json {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        let mut table = PriceTable {
            notes: file.notes,
            ..PriceTable::default()
        };
        for (index, price) in file.prices.into_iter().enumerate() {
            validate(&price).map_err(|(problem, hint)| PriceError::Invalid {
                source_name: source_name.to_owned(),
                index,
                what: format!("{} {:?}", price.service, price.item),
                problem,
                hint,
            })?;
            table.entries.insert(
                (
                    price.service.clone(),
                    price.item.clone(),
                    price.region.clone(),
                ),
                price,
            );
        }
        Ok(table)
    }

    /// Replaces or adds every price of `other`; returns how many were replaced and added.
    pub fn merge(&mut self, other: PriceTable, source_name: &str) -> (usize, usize) {
        let (mut replaced, mut added) = (0, 0);
        for (key, price) in other.entries {
            if self.entries.insert(key, price).is_some() {
                replaced += 1;
            } else {
                added += 1;
            }
        }
        self.overrides.push(format!(
            "{source_name}: {replaced} price(s) replaced, {added} added"
        ));
        (replaced, added)
    }

    /// The price of `item` of `service` in `region`: the region's own entry, else an entry
    /// for every region (`"region": "*"`, a price the pricing page gives for all regions).
    pub fn get(&self, service: &str, item: &str, region: &str) -> Option<&Price> {
        self.entries
            .get(&(service.to_owned(), item.to_owned(), region.to_owned()))
            .or_else(|| {
                self.entries
                    .get(&(service.to_owned(), item.to_owned(), "*".to_owned()))
            })
    }

    /// The regions the table has a price of `item` of `service` for.
    pub fn regions_of(&self, service: &str, item: &str) -> Vec<&str> {
        self.entries
            .values()
            .filter(|p| p.service == service && p.item == item)
            .map(|p| p.region.as_str())
            .collect()
    }

    /// Every price of `service` in `region`, by item.
    pub fn service(&self, service: &str, region: &str) -> Vec<&Price> {
        self.entries
            .values()
            .filter(|p| p.service == service && p.region == region)
            .collect()
    }

    /// The built-in notes.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// One line per user file merged in.
    pub fn overrides(&self) -> &[String] {
        &self.overrides
    }

    /// Every price.
    pub fn prices(&self) -> impl Iterator<Item = &Price> {
        self.entries.values()
    }
}

fn validate(p: &Price) -> Result<(), (String, String)> {
    let fail = |problem: String, hint: &str| Err((problem, hint.to_owned()));
    for (field, value) in [
        ("service", &p.service),
        ("item", &p.item),
        ("region", &p.region),
        ("unit", &p.unit),
        ("source", &p.source),
    ] {
        if value.trim().is_empty() {
            return fail(
                format!("`{field}` is empty"),
                "every price names its service, item, region, unit and source",
            );
        }
    }
    match (p.usd, p.discount) {
        (Some(usd), None) if usd.is_finite() && usd >= 0.0 => {}
        (Some(usd), None) => {
            return fail(
                format!("`usd` is {usd}, not a price"),
                "give a non-negative number of US dollars per unit",
            )
        }
        (None, Some(d)) if (0.0..1.0).contains(&d) => {}
        (None, Some(d)) => {
            return fail(
                format!("`discount` is {d}, outside 0 ≤ discount < 1"),
                "a discount is the fraction saved, e.g. 0.6 for 60% off on-demand",
            )
        }
        (Some(_), Some(_)) => {
            return fail(
                "both `usd` and `discount` are set".to_owned(),
                "a price has `usd`, a spot discount has `discount`; keep one",
            )
        }
        (None, None) => {
            return fail(
                "neither `usd` nor `discount` is set".to_owned(),
                "add \"usd\": <price per unit>",
            )
        }
    }
    if p.verified && p.read.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return fail(
            "`verified` is true but `read` names no page".to_owned(),
            "name the page read to check the figure in `read`, or set `verified` to false",
        );
    }
    let date_ok = p.as_of.len() == 10
        && p.as_of.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if !date_ok {
        return fail(
            format!("`as_of` is {:?}, not a date", p.as_of),
            "write the date the price was recorded as YYYY-MM-DD",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file, the problem and the hint are separate parts of the diagnostic, and the text
    /// is the one printed before diagnostics were data.
    #[test]
    fn a_price_file_error_is_a_diagnostic() {
        let Err(err) = PriceTable::from_json("[", "p.json") else {
            panic!("`[` is not a price file");
        };
        let d = err.to_diagnostic();
        assert_eq!(d.get_lead(), Some("price file p.json cannot be read"));
        assert!(d
            .get_hint()
            .is_some_and(|h| h.starts_with("the format is that of")));
        assert_eq!(
            err.to_string(),
            format!(
                "price file p.json cannot be read: {}\n  hint: {}",
                d.get_message(),
                d.get_hint().unwrap_or_default()
            )
        );
        let Err(err) = PriceTable::from_json(
            r#"{"prices": [{"service": "ec2", "item": "g5.xlarge", "region": "us-east-1", "unit": "hour", "usd": -1, "source": "s", "as_of": "2025-06-01"}]}"#,
            "p.json",
        ) else {
            panic!("a negative price is refused");
        };
        assert_eq!(
            err.to_string(),
            "price file p.json: prices[0] (ec2 \"g5.xlarge\"): `usd` is -1, not a price\n  hint: give a non-negative number of US dollars per unit"
        );
        assert_eq!(
            err.to_diagnostic().get_message(),
            "`usd` is -1, not a price"
        );
    }

    #[test]
    fn builtin_table_is_valid_and_sourced() {
        let table = PriceTable::builtin().unwrap_or_default();
        assert!(table.prices().count() > 50);
        assert!(table
            .prices()
            .all(|p| p.source.starts_with("https://aws.amazon.com/")));
    }

    /// Every built-in price either names the page read to check it or is marked unverified,
    /// and the prices the stacks use most are verified.
    #[test]
    fn builtin_prices_say_whether_they_were_checked() {
        let table = PriceTable::builtin().unwrap_or_default();
        for p in table.prices() {
            assert_eq!(p.verified, p.read.is_some(), "{} {}", p.service, p.item);
        }
        for (service, item) in [
            ("sagemaker-realtime", "ml.t3.medium"),
            ("ec2", "g5.xlarge"),
            ("cloudwatch", "custom-metric"),
        ] {
            let p = table.get(service, item, "us-east-1");
            assert!(p.is_some_and(|p| p.verified), "{service} {item}");
        }
    }

    #[test]
    fn verified_needs_the_page_read() {
        let err = PriceTable::from_json(
            r#"{"prices":[{"service":"ec2","item":"g5.xlarge","region":"us-east-1","unit":"instance-hour","usd":1,"source":"x","as_of":"2025-01-01","verified":true}]}"#,
            "mine.json",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.contains("`verified` is true but `read` names no page"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_price_names_its_index_and_a_fix() {
        let err = PriceTable::from_json(
            r#"{"prices":[{"service":"ec2","item":"g5.xlarge","region":"us-east-1","unit":"instance-hour","usd":-1,"source":"x","as_of":"2025-01-01"}]}"#,
            "mine.json",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.starts_with("price file mine.json: prices[0] (ec2 \"g5.xlarge\"): `usd` is -1"),
            "{err}"
        );
        assert!(
            err.ends_with("\n  hint: give a non-negative number of US dollars per unit"),
            "{err}"
        );
    }
}
