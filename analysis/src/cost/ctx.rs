//! What pricing one resource works with: the document, the price table, the region its
//! provider names, the prices used so far, and how an outcome is written (a line, a usage
//! line, a reason it cannot be priced, or why it has no charge).

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::document::{
    has_interpolation, number, references, unescape, Known, ResourceRef, Text, TfDocument,
};
use super::prices::{Price, PriceTable};
use super::referrers::Referrers;
use super::report::{CostLine, PriceUsed, Range, ScheduleReport, Unpriced, UsageLine};
use crate::types;
use oxiform_aws::appautoscaling::{AppautoscalingScheduledAction, AppautoscalingTarget};
use oxiform_aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration};
use oxiform_aws::scheduler::SchedulerSchedule;
use oxiform_aws::sfn::SfnStateMachine;
use oxiform_core::Resource;

/// The types other resources may name by their literal `name` (see `Ctx::resolve`).
pub(super) const NAMED_BY_LITERAL: [&str; 3] = [
    SagemakerEndpoint::TYPE,
    SagemakerEndpointConfiguration::TYPE,
    types::CLOUDWATCH_EVENT_RULE,
];

/// What pricing one resource gives.
pub(super) enum Outcome {
    Line(CostLine),
    Usage(UsageLine),
    Unpriced(String),
    NoCharge(String),
}

pub(super) struct Ctx<'a> {
    pub(super) doc: &'a TfDocument,
    pub(super) prices: &'a PriceTable,
    pub(super) region: String,
    pub(super) used: Vec<PriceUsed>,
    pub(super) schedules: Vec<ScheduleReport>,
    pub(super) extra_unpriced: Vec<Unpriced>,
    /// Lines for a part of a resource priced apart from it (a function's custom metrics).
    pub(super) extra_lines: Vec<CostLine>,
    /// Endpoints by the endpoint configuration they run.
    pub(super) endpoints_by_config: Referrers<'a>,
    /// Application Auto Scaling targets by the endpoint they scale.
    pub(super) targets_by_endpoint: Referrers<'a>,
    /// Scheduled actions by the scalable target they act on.
    pub(super) actions_by_target: Referrers<'a>,
    /// EventBridge Scheduler schedules by the state machine they start.
    pub(super) schedules_by_state_machine: Referrers<'a>,
    /// EventBridge rule targets by the state machine they start.
    pub(super) event_targets_by_state_machine: Referrers<'a>,
    /// The types of [`NAMED_BY_LITERAL`], each by literal `name` (the first resource of a
    /// name), for arguments that name a resource instead of referencing it.
    pub(super) by_literal_name: HashMap<&'static str, HashMap<Cow<'a, str>, ResourceRef<'a>>>,
}

pub(super) fn used(p: &Price) -> PriceUsed {
    PriceUsed {
        service: p.service.clone(),
        item: p.item.clone(),
        region: p.region.clone(),
        unit: p.unit.clone(),
        usd: p.usd,
        discount: p.discount,
        source: p.source.clone(),
        as_of: p.as_of.clone(),
        note: p.note.clone(),
        verified: p.verified,
        read: p.read.clone(),
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn new(doc: &'a TfDocument, prices: &'a PriceTable, region: String) -> Ctx<'a> {
        let no_literal = |_: &str| None;
        let mut by_literal_name: HashMap<_, HashMap<_, _>> = HashMap::new();
        for type_name in NAMED_BY_LITERAL {
            let named = by_literal_name.entry(type_name).or_default();
            for r in doc.of_type(type_name) {
                if let Text::Literal(name) = r.text("name") {
                    named.entry(name).or_insert(r);
                }
            }
        }
        // A name compared with a literal `name` argument: only text without interpolation,
        // unescaped (`$${` is a literal `${`).
        let literal_text = |raw: &'a str| (!has_interpolation(raw)).then(|| unescape(raw));
        Ctx {
            doc,
            prices,
            region,
            used: Vec::new(),
            schedules: Vec::new(),
            extra_unpriced: Vec::new(),
            extra_lines: Vec::new(),
            endpoints_by_config: Referrers::new(
                doc.of_type(SagemakerEndpoint::TYPE),
                SagemakerEndpointConfiguration::TYPE,
                |e| e.get("endpoint_config_name").and_then(Value::as_str),
                literal_text,
            ),
            // `endpoint/<name>/variant/<variant>`; endpoint names hold no `/`.
            targets_by_endpoint: Referrers::new(
                doc.of_type(AppautoscalingTarget::TYPE),
                SagemakerEndpoint::TYPE,
                |t| t.get("resource_id").and_then(Value::as_str),
                |id| {
                    let rest = id.strip_prefix("endpoint/")?;
                    literal_text(id)?;
                    Some(unescape(&rest[..rest.find('/')?]))
                },
            ),
            // An action names its target by reference, or by the same resource id text.
            actions_by_target: Referrers::new(
                doc.of_type(AppautoscalingScheduledAction::TYPE),
                AppautoscalingTarget::TYPE,
                |a| a.get("resource_id").and_then(Value::as_str),
                |id| Some(Cow::Borrowed(id)),
            ),
            schedules_by_state_machine: Referrers::new(
                doc.of_type(SchedulerSchedule::TYPE),
                SfnStateMachine::TYPE,
                |s| {
                    s.blocks("target")
                        .first()
                        .and_then(|t| t.get("arn"))
                        .and_then(Value::as_str)
                },
                no_literal,
            ),
            event_targets_by_state_machine: Referrers::new(
                doc.of_type(types::CLOUDWATCH_EVENT_TARGET),
                SfnStateMachine::TYPE,
                |t| t.get("arn").and_then(Value::as_str),
                no_literal,
            ),
            by_literal_name,
        }
    }

    /// The resource of `type_name` (one of [`NAMED_BY_LITERAL`]) that `text` references, or
    /// else the first whose literal `name` is `text` (text without interpolation).
    pub(super) fn resolve(&self, text: &str, type_name: &'static str) -> Option<ResourceRef<'a>> {
        debug_assert!(NAMED_BY_LITERAL.contains(&type_name), "{type_name}");
        if let Some(name) = references(text, type_name).first() {
            return self.doc.get(type_name, name);
        }
        if has_interpolation(text) {
            return None;
        }
        self.by_literal_name
            .get(type_name)?
            .get(unescape(text).as_ref())
            .copied()
    }

    /// `r`'s literal `name`, if other resources naming it literally mean `r`: it is the
    /// first of its type with that name (what [`resolve`](Self::resolve) finds).
    pub(super) fn own_literal_name(&self, r: &ResourceRef<'a>) -> Option<Cow<'a, str>> {
        let Text::Literal(name) = r.text("name") else {
            return None;
        };
        let first = self.by_literal_name.get(r.type_name)?.get(name.as_ref())?;
        (first.name == r.name).then_some(name)
    }

    /// A price in USD per `unit`, or why there is none.
    pub(super) fn price(
        &mut self,
        service: &str,
        item: &str,
        unit: &str,
    ) -> Result<(f64, PriceUsed), String> {
        self.price_of(service, item, unit, None)
    }

    /// [`price`](Self::price) of an `item` that is a `kind` (e.g. "instance type"): an item
    /// the table has no price for in any region is said to be an unknown `kind`; one priced
    /// only in other regions is known, its price for this region missing.
    pub(super) fn price_of(
        &mut self,
        service: &str,
        item: &str,
        unit: &str,
        kind: Option<&str>,
    ) -> Result<(f64, PriceUsed), String> {
        let Some(p) = self.prices.get(service, item, &self.region) else {
            return Err(self.missing(service, item, kind));
        };
        if p.unit != unit {
            return Err(format!(
                "the {service} price for {item:?} in {} is per {:?}, but this estimate needs it per {unit:?} (fix the entry's \"unit\" and \"usd\" in the price file that gives it, source {})",
                self.region, p.unit, p.source
            ));
        }
        let Some(usd) = p.usd else {
            return Err(format!(
                "the {service} entry for {item:?} is a discount, not a price"
            ));
        };
        let u = used(p);
        self.used.push(u.clone());
        Ok((usd, u))
    }

    /// Why the table has no `service` price for `item` in this region.
    pub(super) fn missing(&self, service: &str, item: &str, kind: Option<&str>) -> String {
        let regions = self.prices.regions_of(service, item);
        if regions.is_empty() {
            match kind {
                Some(kind) => format!(
                    "unknown {kind} {item:?}: the price table has no {service} price for it in any region (add one with --prices)"
                ),
                None => format!(
                    "no {service} price for {item:?} in the price table (add one with --prices)"
                ),
            }
        } else {
            format!(
                "no {service} price for {item:?} in {}: the price table has it only for {} (add a price for {} with --prices)",
                self.region,
                regions.join(", "),
                self.region
            )
        }
    }

    pub(super) fn discount(&mut self, service: &str, item: &str) -> Option<(f64, PriceUsed)> {
        let p = self.prices.get(service, item, &self.region)?;
        let d = p.discount?;
        let u = used(p);
        self.used.push(u.clone());
        Some((d, u))
    }

    /// A string argument whose value must be known before apply; a `${var.x}` with a
    /// default resolves to the default (with a note).
    pub(super) fn literal(
        &self,
        v: Option<&Value>,
        what: &str,
    ) -> Result<(String, Option<String>), String> {
        match super::document::text(v) {
            Text::Literal(s) => Ok((s.into_owned(), None)),
            Text::Expr(e) => {
                if let Some(name) = e
                    .strip_prefix("${var.")
                    .and_then(|r| r.strip_suffix('}'))
                    .filter(|n| {
                        n.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    })
                {
                    if let Some(Value::String(d)) = self.doc.variable_default(name) {
                        return Ok((
                            d.clone(),
                            Some(format!("{what} assumes variable {name}'s default {d:?}")),
                        ));
                    }
                }
                Err(format!("{what} is {e:?}: a value known only after apply"))
            }
            Text::Absent => Err(format!("{what} is not set")),
            Text::Other(o) => Err(format!("{what} is {o}, not a string")),
        }
    }

    /// A count argument (default when absent).
    pub(super) fn count(
        &self,
        v: Option<&Value>,
        what: &str,
        default: Option<f64>,
    ) -> Result<f64, String> {
        match number(v) {
            Known::Value(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n),
            Known::Value(n) => Err(format!("{what} is {n}, not a whole number")),
            Known::Absent => default.ok_or_else(|| format!("{what} is not set")),
            Known::Expr(e) => Err(format!("{what} is {e:?}: a value known only after apply")),
            Known::Invalid(s) => Err(format!("{what} is {s}, not a number")),
        }
    }
}

pub(super) fn line(
    r: &ResourceRef<'_>,
    what: String,
    monthly: Range,
    prices: Vec<PriceUsed>,
    notes: Vec<String>,
) -> Outcome {
    Outcome::Line(CostLine {
        address: r.address(),
        resource_type: r.type_name.to_owned(),
        what,
        monthly,
        prices,
        notes,
    })
}

pub(super) fn usage(
    r: &ResourceRef<'_>,
    what: String,
    rates: Vec<PriceUsed>,
    why: &str,
) -> Outcome {
    Outcome::Usage(UsageLine {
        address: r.address(),
        resource_type: r.type_name.to_owned(),
        what,
        rates,
        why: why.to_owned(),
    })
}
