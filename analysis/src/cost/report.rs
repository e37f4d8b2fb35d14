//! The cost report: what `cost --format json` writes (schema: [`report_schema`]) and the
//! table `cost` prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::line::{money, rate, round_usd, CostLine, PriceUsed, Range, HOURS_PER_MONTH};
use super::simulate::Segment;
use super::traffic::TrafficReport;
use oxiform_aws::sagemaker::SagemakerEndpointConfiguration;
use oxiform_core::Resource;

/// The version of the JSON report's shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The monthly cost of a stack (or any Terraform JSON document) at list prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The stack's name or the file's path.
    pub source: String,
    /// Always `USD`.
    pub currency: String,
    /// Hours in a priced month: 730.
    pub hours_per_month: f64,
    /// The region priced (the AWS provider's).
    pub region: String,
    /// Sum of `lines`: floor and ceiling per month.
    pub monthly: Range,
    /// Whether `monthly` covers everything: false when anything is in `unpriced`, whose
    /// cost the total leaves out (`cost --fail-on-unpriced` then exits 1).
    #[serde(default = "complete_default")]
    pub complete: bool,
    /// Resources with a monthly price.
    pub lines: Vec<CostLine>,
    /// Scheduled scaling, simulated.
    pub schedules: Vec<ScheduleReport>,
    /// Resources billed by use, with their rates; not in `monthly`.
    pub usage_based: Vec<UsageLine>,
    /// What cannot be priced, and why.
    pub unpriced: Vec<Unpriced>,
    /// Resources without a charge of their own.
    pub no_charge: Vec<NoCharge>,
    /// Where the prices come from.
    pub prices: PriceSources,
    /// Per-request figures from `--traffic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<TrafficReport>,
    /// Caveats about the whole report.
    pub notes: Vec<String>,
}

fn complete_default() -> bool {
    true
}

/// A scheduled action of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActionReport {
    /// Its address.
    pub address: String,
    /// Its schedule expression.
    pub schedule: String,
    /// The time zone it is read in.
    pub timezone: String,
    /// The minimum capacity it sets.
    pub min_capacity: Option<u32>,
    /// The maximum capacity it sets.
    pub max_capacity: Option<u32>,
}

/// Capacity-weighted cost at one end of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CapacityCost {
    /// Average number of instances over the week.
    pub average_instances: f64,
    /// USD per month.
    pub monthly: f64,
}

/// Scheduled scaling of one target, simulated over a week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScheduleReport {
    /// The scalable target's address.
    pub target: String,
    /// What it scales (address and variant).
    pub scales: String,
    /// The instance type scaled.
    pub instance_type: String,
    /// USD per instance-hour.
    pub price_per_instance_hour: f64,
    /// The target's registered minimum.
    pub target_min: u32,
    /// The target's registered maximum.
    pub target_max: u32,
    /// The scheduled actions, by address.
    pub actions: Vec<ActionReport>,
    /// The first minute of the simulated week (UTC).
    pub week_start: String,
    /// How long each pair of bounds holds in the week, longest first.
    pub segments: Vec<Segment>,
    /// Minimum capacity all the time.
    pub floor: CapacityCost,
    /// Maximum capacity whenever the schedule allows.
    pub ceiling: CapacityCost,
    /// The largest maximum all the time, as without a schedule.
    pub always_on: CapacityCost,
    /// `always_on − ceiling`, USD per month.
    pub saving_monthly: f64,
    /// The saving as a percentage of always-on.
    pub saving_percent: f64,
    /// Whether the simulation is exact (known time zones, weekly schedules).
    pub exact: bool,
    /// What was approximated.
    pub notes: Vec<String>,
}

/// A resource billed by use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsageLine {
    /// Resource address.
    pub address: String,
    /// Resource type.
    pub resource_type: String,
    /// What is billed, e.g. `256 MB, x86_64`.
    pub what: String,
    /// The rates (empty when the table has none).
    pub rates: Vec<PriceUsed>,
    /// Why it is not in the monthly total.
    pub why: String,
}

/// A resource that cannot be priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unpriced {
    /// Resource address (with what part, when one resource has several).
    pub address: String,
    /// Resource type.
    pub resource_type: String,
    /// Why: unknown type, value known only after apply, duration known at run time, …
    pub reason: String,
}

/// A resource without a charge of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoCharge {
    /// Resource address.
    pub address: String,
    /// Resource type.
    pub resource_type: String,
    /// Why there is no charge, or where its cost is counted.
    pub why: String,
}

/// Where the prices come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriceSources {
    /// The dates of the prices used.
    pub as_of: Vec<String>,
    /// The pricing pages used.
    pub sources: Vec<String>,
    /// User price files merged in.
    pub overrides: Vec<String>,
    /// The price table's notes.
    pub notes: Vec<String>,
    /// The caveats of the prices used: `service item: note`.
    pub price_notes: Vec<String>,
    /// The prices used that no page read confirms: `service item`.
    #[serde(default)]
    pub unverified: Vec<String>,
}

/// The JSON Schema of [`CostReport`], pretty-printed.
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(CostReport);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

fn range_text(r: &Range) -> (String, String) {
    (money(r.floor), money(r.ceiling))
}

pub(crate) fn price_text(p: &PriceUsed) -> String {
    match (p.usd, p.discount) {
        (Some(usd), _) => format!("{} per {}", rate(usd), p.unit),
        (None, Some(d)) => format!("{:.0}% off on-demand ({} {})", d * 100.0, p.service, p.item),
        _ => String::new(),
    }
}

impl CostReport {
    /// The report as the table `cost` prints.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let dates = if self.prices.as_of.is_empty() {
            "no prices used".to_owned()
        } else {
            format!("list prices as of {}", self.prices.as_of.join(", "))
        };
        let _ = writeln!(
            out,
            "cost of {}: {} per month ({} h), {} in {}",
            self.source, self.currency, self.hours_per_month, dates, self.region
        );
        let _ = writeln!(out);
        let has_document = !(self.lines.is_empty()
            && self.usage_based.is_empty()
            && self.unpriced.is_empty()
            && self.no_charge.is_empty());
        if has_document {
            self.resources_table(&mut out);
        }
        if let Some(t) = &self.traffic {
            if has_document {
                out.push('\n');
            }
            out.push_str(&t.to_table());
        }

        let _ = writeln!(out, "\nprices");
        for s in &self.prices.sources {
            let _ = writeln!(out, "  {s}");
        }
        if !self.prices.unverified.is_empty() {
            let _ = writeln!(
                out,
                "  unverified (no page read confirms the figure): {}",
                self.prices.unverified.join(", ")
            );
        }
        for o in &self.prices.overrides {
            let _ = writeln!(out, "  override: {o}");
        }
        for n in self
            .prices
            .notes
            .iter()
            .chain(&self.prices.price_notes)
            .chain(&self.notes)
        {
            let _ = writeln!(out, "  note: {n}");
        }
        out
    }

    fn resources_table(&self, out: &mut String) {
        let rows: Vec<[String; 4]> = self
            .lines
            .iter()
            .map(|l| {
                let (f, c) = range_text(&l.monthly);
                [l.address.clone(), l.what.clone(), f, c]
            })
            .collect();
        let (tf, tc) = range_text(&self.monthly);
        let header = [
            "resource".to_owned(),
            "what".to_owned(),
            "floor".to_owned(),
            "ceiling".to_owned(),
        ];
        let label = if self.complete {
            "total"
        } else {
            "total (partial)"
        };
        let total = [label.to_owned(), String::new(), tf, tc];
        let mut widths = [0usize; 4];
        for row in rows.iter().chain([&header, &total]) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |out: &mut String, row: &[String; 4]| {
            let _ = writeln!(
                out,
                "  {:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3]
            );
        };
        line(out, &header);
        for row in &rows {
            line(out, row);
        }
        line(out, &total);
        if !self.complete {
            let _ = writeln!(
                out,
                "  the total is partial: {} item{} cannot be priced and {} left out (see \"cannot price\"); --fail-on-unpriced makes this an error",
                self.unpriced.len(),
                if self.unpriced.len() == 1 { "" } else { "s" },
                if self.unpriced.len() == 1 { "is" } else { "are" },
            );
        }
        for l in &self.lines {
            for note in &l.notes {
                let _ = writeln!(out, "  note: {}: {note}", l.address);
            }
            for p in l.prices.iter().filter(|p| !p.verified) {
                let _ = writeln!(
                    out,
                    "  note: {}: uses an unverified price: {} {} ({}); no page read confirms it",
                    l.address,
                    p.service,
                    p.item,
                    price_text(p)
                );
            }
        }

        if !self.schedules.is_empty() {
            let _ = writeln!(out, "\nscheduled scaling");
            for s in &self.schedules {
                render_schedule(out, s);
            }
        }

        if !self.usage_based.is_empty() {
            let _ = writeln!(out, "\nbilled by use (not in the total)");
            for u in &self.usage_based {
                let rates: Vec<String> = u.rates.iter().map(price_text).collect();
                let rates = if rates.is_empty() {
                    "no rate in the price table".to_owned()
                } else {
                    rates.join(" + ")
                };
                let _ = writeln!(out, "  {} ({}): {rates}", u.address, u.what);
                let _ = writeln!(out, "      {}", u.why);
            }
        }

        if !self.unpriced.is_empty() {
            let _ = writeln!(out, "\ncannot price");
            for u in &self.unpriced {
                let _ = writeln!(out, "  {}: {}", u.address, u.reason);
            }
        }

        if !self.no_charge.is_empty() {
            let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
            for n in &self.no_charge {
                *by_type.entry(n.resource_type.as_str()).or_default() += 1;
            }
            let list: Vec<String> = by_type
                .iter()
                .map(|(t, n)| {
                    if *n == 1 {
                        (*t).to_owned()
                    } else {
                        format!("{t} ×{n}")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "\nno charge of their own ({}): {}",
                self.no_charge.len(),
                list.join(", ")
            );
            for n in &self.no_charge {
                if n.resource_type
                    .starts_with(SagemakerEndpointConfiguration::TYPE)
                    || n.why.contains("not used")
                {
                    let _ = writeln!(out, "  {}: {}", n.address, n.why);
                }
            }
        }
    }
}

fn render_schedule(out: &mut String, s: &ScheduleReport) {
    let _ = writeln!(
        out,
        "  {} scales {}: {} at {}/h, registered min {} max {}",
        s.target,
        s.scales,
        s.instance_type,
        rate(s.price_per_instance_hour),
        s.target_min,
        s.target_max
    );
    for a in &s.actions {
        let bound = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "    {} {} {} → min {}, max {}",
            a.address,
            a.schedule,
            a.timezone,
            bound(a.min_capacity),
            bound(a.max_capacity)
        );
    }
    let _ = writeln!(out, "    simulated week from {}:", s.week_start);
    for seg in &s.segments {
        let _ = writeln!(
            out,
            "      min {}, max {}: {:.1} h/week ({:.1} h/day)",
            seg.min_capacity, seg.max_capacity, seg.hours_per_week, seg.hours_per_day
        );
    }
    let _ = writeln!(
        out,
        "    floor    {:.2} instances on average: ${}/month",
        s.floor.average_instances,
        money(s.floor.monthly)
    );
    let _ = writeln!(
        out,
        "    ceiling  {:.2} instances on average: ${}/month",
        s.ceiling.average_instances,
        money(s.ceiling.monthly)
    );
    let _ = writeln!(
        out,
        "    always on at {} instances: ${}/month; the schedule saves ${} ({:.1}%) at the ceiling",
        s.always_on.average_instances,
        money(s.always_on.monthly),
        money(s.saving_monthly),
        s.saving_percent
    );
    for n in &s.notes {
        let _ = writeln!(out, "    note: {n}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_rates() {
        assert_eq!(money(5175.7), "5,175.70");
        assert_eq!(money(1_234_567.891), "1,234,567.89");
        assert_eq!(money(0.0), "0.00");
        assert_eq!(money(0.000_004), "<0.01");
        assert_eq!(money(-12.5), "-12.50");
        assert_eq!(rate(7.09), "$7.09");
        assert_eq!(rate(0.2), "$0.20");
        assert_eq!(rate(0.0000166667), "$0.0000166667");
        assert_eq!(rate(1.408), "$1.408");
    }
}
