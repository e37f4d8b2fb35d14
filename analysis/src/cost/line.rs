//! A priced line and its money: the vocabulary the report and the traffic figures share
//! (a month's hours, USD ranges, the prices used, how amounts are written).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A month, as AWS prices it: 730 hours.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Rounds US dollars to a millionth, so that JSON output does not carry float noise.
pub fn round_usd(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A cost per month between a floor (minimum capacity, no usage beyond it) and a ceiling
/// (maximum capacity whenever allowed). Equal for fixed prices.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Range {
    /// USD at the floor.
    pub floor: f64,
    /// USD at the ceiling.
    pub ceiling: f64,
}

impl Range {
    /// A fixed amount.
    pub fn fixed(usd: f64) -> Range {
        Range::new(usd, usd)
    }

    /// A range, rounded.
    pub fn new(floor: f64, ceiling: f64) -> Range {
        Range {
            floor: round_usd(floor),
            ceiling: round_usd(ceiling),
        }
    }

    /// Both ends added.
    pub fn plus(self, other: Range) -> Range {
        Range::new(self.floor + other.floor, self.ceiling + other.ceiling)
    }

    /// Both ends scaled.
    pub fn times(self, k: f64) -> Range {
        Range::new(self.floor * k, self.ceiling * k)
    }
}

/// One price as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriceUsed {
    /// Service of the price table.
    pub service: String,
    /// Item of the price table.
    pub item: String,
    /// Region.
    pub region: String,
    /// Unit.
    pub unit: String,
    /// USD per unit (absent for a discount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd: Option<f64>,
    /// Fraction off on-demand (spot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    /// The pricing page.
    pub source: String,
    /// When the price was recorded.
    pub as_of: String,
    /// The price table's caveat, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the figure was checked against a page that was read (`read`).
    #[serde(default)]
    pub verified: bool,
    /// The page read to check the figure, with what it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
}

/// A resource with a monthly price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostLine {
    /// Resource address.
    pub address: String,
    /// Resource type.
    pub resource_type: String,
    /// What is priced, e.g. `ml.g5.xlarge × 1`.
    pub what: String,
    /// USD per month.
    pub monthly: Range,
    /// The prices used.
    pub prices: Vec<PriceUsed>,
    /// Assumptions and caveats.
    pub notes: Vec<String>,
}

/// US dollars with thousands separators and cents; amounts under a cent as `<0.01`.
pub fn money(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        return "<0.01".to_owned();
    }
    let cents = (x * 100.0).round() as i64;
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// A unit price, with as many decimals as it needs.
pub fn rate(x: f64) -> String {
    if x >= 0.01 {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0');
        let s = if s.ends_with('.') {
            format!("{s}00")
        } else if s.split('.').nth(1).map(str::len) == Some(1) {
            format!("{s}0")
        } else {
            s.to_owned()
        };
        format!("${s}")
    } else {
        let s = format!("{x:.10}");
        format!("${}", s.trim_end_matches('0'))
    }
}
