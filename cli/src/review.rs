//! `diff --format markdown`: the review a pull request shows for one stack — resources added,
//! removed, replaced (and why) and changed (each attribute's old and new value), the monthly
//! cost before and after, and the policy findings the change brings or resolves.
//!
//! [`markdown`] is a pure function of the two documents, an optional plan (`terraform show
//! -json`), the price table and the stack's policy set and waivers; the `diff` command only
//! reads and writes files. Sensitive values are never printed ([`crate::diff::is_sensitive`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use oxiform::Waiver;
use oxiform_analysis::cost::estimate_json;
use oxiform_analysis::cost::prices::PriceTable;
use oxiform_analysis::cost::report::{money, Range};
use oxiform_analysis::cost::CostReport;
use oxiform_analysis::policy::{check_json, Finding, PolicySet};
use serde_json::Value as J;

use crate::diff::{diff, is_managed, moved_line, name_of, Change};

/// One stack to review: its documents before and after (`None`: the stack does not exist on
/// that side), and what the review reads besides.
pub struct StackReview<'a> {
    /// The stack's name.
    pub stack: &'a str,
    /// The Terraform JSON before the change (the base's synth).
    pub old: Option<&'a J>,
    /// The Terraform JSON after the change (a fresh synth).
    pub new: Option<&'a J>,
    /// `terraform show -json` of a plan of the new document: replacement reasons from
    /// terraform itself instead of the identity-attribute heuristic.
    pub plan: Option<&'a J>,
    /// The policy set the stack is checked with.
    pub policy: &'a PolicySet,
    /// The stack's waivers (code, not in the `.tf.json`: the head's, applied to both sides).
    pub waivers: &'a [Waiver],
}

/// What a plan says about one resource.
#[derive(Debug, Clone, PartialEq)]
struct Planned {
    actions: Vec<String>,
    replace_paths: Vec<String>,
    action_reason: Option<String>,
}

impl Planned {
    fn replaces(&self) -> bool {
        self.actions.iter().any(|a| a == "delete") && self.actions.iter().any(|a| a == "create")
    }
}

/// `resource_changes` of a `terraform show -json` plan, by address.
fn planned(plan: &J) -> BTreeMap<String, Planned> {
    let mut out = BTreeMap::new();
    for rc in plan
        .get("resource_changes")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        let Some(address) = rc.get("address").and_then(J::as_str) else {
            continue;
        };
        let change = rc.get("change");
        let strings = |v: Option<&J>| -> Vec<String> {
            v.and_then(J::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect()
        };
        let replace_paths = change
            .and_then(|c| c.get("replace_paths"))
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .map(|steps| {
                let mut path = String::new();
                for step in steps.as_array().into_iter().flatten() {
                    match step {
                        J::Number(n) => {
                            let _ = write!(path, "[{n}]");
                        }
                        J::String(s) if path.is_empty() => path.push_str(s),
                        J::String(s) => {
                            let _ = write!(path, ".{s}");
                        }
                        other => {
                            let _ = write!(path, "[{other}]");
                        }
                    }
                }
                path
            })
            .collect();
        out.insert(
            address.to_owned(),
            Planned {
                actions: strings(change.and_then(|c| c.get("actions"))),
                replace_paths,
                action_reason: rc
                    .get("action_reason")
                    .and_then(J::as_str)
                    .map(str::to_owned),
            },
        );
    }
    out
}

/// How a changed resource is applied.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// The plan replaces it, for this reason.
    PlanReplaces(String),
    /// The plan updates it in place.
    PlanUpdates,
    /// No plan (or not in it): an identity attribute changed, so it is likely replaced.
    LikelyReplaced(String),
    /// No plan (or not in it), and no identity attribute changed.
    Changed,
}

fn verdict(
    address: &str,
    heuristic: Option<&str>,
    plan: Option<&BTreeMap<String, Planned>>,
) -> Verdict {
    match plan.and_then(|p| p.get(address)) {
        Some(p) if p.replaces() => {
            let why = if !p.replace_paths.is_empty() {
                let paths: Vec<String> = p.replace_paths.iter().map(|x| format!("`{x}`")).collect();
                format!(
                    "{} {} replacement",
                    paths.join(", "),
                    if paths.len() == 1 { "forces" } else { "force" }
                )
            } else {
                match p.action_reason.as_deref() {
                    Some("replace_because_tainted") => "the resource is tainted".to_owned(),
                    Some("replace_by_request") => {
                        "replacement was requested (`-replace`)".to_owned()
                    }
                    Some(other) => format!("`{other}`"),
                    None => "terraform plans to replace it".to_owned(),
                }
            };
            Verdict::PlanReplaces(why)
        }
        Some(_) => Verdict::PlanUpdates,
        None => match heuristic {
            Some(why) => Verdict::LikelyReplaced(why.to_owned()),
            None => Verdict::Changed,
        },
    }
}

/// A money range: `$12.00`, or `$12.00 – $96.00` when the floor and ceiling differ.
pub(crate) fn range(r: Range) -> String {
    if r.floor == r.ceiling {
        format!("${}", money(r.floor))
    } else {
        format!("${} – ${}", money(r.floor), money(r.ceiling))
    }
}

fn signed(x: f64) -> String {
    if (x * 100.0).round() == 0.0 {
        "$0.00".to_owned()
    } else if x > 0.0 {
        format!("+${}", money(x))
    } else {
        format!("-${}", money(-x))
    }
}

/// The change between two ranges: `+$150.38`, or `+$10.00 – +$80.00` per end.
fn delta(before: Range, after: Range) -> String {
    let (f, c) = (after.floor - before.floor, after.ceiling - before.ceiling);
    if (f - c).abs() < 0.005 {
        signed(f)
    } else {
        format!("{} – {}", signed(f), signed(c))
    }
}

/// Each resource's monthly cost (lines of the same address summed).
fn per_resource(report: &CostReport) -> BTreeMap<String, Range> {
    let mut out: BTreeMap<String, Range> = BTreeMap::new();
    for line in &report.lines {
        let e = out.entry(line.address.clone()).or_default();
        *e = e.plus(line.monthly);
    }
    out
}

/// What one side of the review says of a resource's monthly cost.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    /// Priced: its monthly cost.
    Priced(Range),
    /// In the document, but the price table cannot price it there (e.g. no price for its
    /// region): left out of that side's total, so its change is unknown.
    Unpriced,
    /// No monthly charge on that side: absent, or billed by use.
    Nothing,
}

impl Side {
    fn of(address: &str, priced: &BTreeMap<String, Range>, report: &CostReport) -> Side {
        match priced.get(address) {
            Some(r) => Side::Priced(*r),
            None if report.unpriced.iter().any(|u| u.address == address) => Side::Unpriced,
            None => Side::Nothing,
        }
    }

    fn cell(self) -> String {
        match self {
            Side::Priced(r) => range(r),
            Side::Unpriced => "unpriced".to_owned(),
            Side::Nothing => "–".to_owned(),
        }
    }

    /// What the side counts in its total (nothing when unpriced).
    fn counted(self) -> Range {
        match self {
            Side::Priced(r) => r,
            Side::Unpriced | Side::Nothing => Range::default(),
        }
    }
}

/// A value in a table cell: a code span, `|` escaped as GFM tables need.
fn cell(v: Option<&str>) -> String {
    match v {
        Some(v) => format!("`{}`", v.replace('|', "\\|")),
        None => "(absent)".to_owned(),
    }
}

/// Whether a value is shown in a diff block rather than a table cell.
fn long(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.chars().count() > 60 || v.contains('`'))
}

/// A policy message with any quoted part of a secret (`("hunt…")`) replaced by
/// `(sensitive)`: the secret rules quote the first characters of what they found.
fn scrub(finding: &Finding) -> String {
    if !finding.rule.starts_with("OXI-SECRET") {
        return finding.message.clone();
    }
    let mut out = String::new();
    let mut rest = finding.message.as_str();
    while let Some(start) = rest.find("(\"") {
        let Some(end) = rest[start..].find("…\")") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(crate::diff::SENSITIVE);
        rest = &rest[start + end + "…\")".len()..];
    }
    out.push_str(rest);
    out
}

fn finding_line(f: &Finding) -> String {
    let waived = f
        .waived
        .as_ref()
        .map(|w| format!(" (waived: {})", w.reason))
        .unwrap_or_default();
    format!(
        "- {} `{}` `{}`: {}{waived}\n",
        f.severity.as_str(),
        f.rule,
        f.address,
        scrub(f).replace('\n', " ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a review of one stack is made of: its changes, its monthly cost on both sides, and
/// its policy findings after the change, with those it brings and those it resolves.
struct Figures {
    changes: Vec<Change>,
    cost_before: CostReport,
    cost_after: CostReport,
    findings_after: Vec<Finding>,
    new_findings: Vec<Finding>,
    resolved: Vec<Finding>,
}

fn figures(review: &StackReview<'_>, prices: &PriceTable) -> anyhow::Result<Figures> {
    let empty = J::Object(Default::default());
    let old = review.old.unwrap_or(&empty);
    let new = review.new.unwrap_or(&empty);
    let old_text = serde_json::to_string(old)?;
    let new_text = serde_json::to_string(new)?;
    let name = review.stack;
    let cost_before = estimate_json(&old_text, &format!("{name} (before)"), prices, None)?;
    let cost_after = estimate_json(&new_text, &format!("{name} (after)"), prices, None)?;
    let findings_before = check_json(&old_text, name, review.policy, review.waivers)?.findings;
    let findings_after = check_json(&new_text, name, review.policy, review.waivers)?.findings;
    let key = |f: &Finding| (f.rule.clone(), f.address.clone(), f.message.clone());
    let new_findings: Vec<Finding> = findings_after
        .iter()
        .filter(|f| !findings_before.iter().any(|b| key(b) == key(f)))
        .cloned()
        .collect();
    let resolved: Vec<Finding> = findings_before
        .iter()
        .filter(|f| !findings_after.iter().any(|a| key(a) == key(f)))
        .cloned()
        .collect();
    Ok(Figures {
        changes: diff(old, new),
        cost_before,
        cost_after,
        findings_after,
        new_findings,
        resolved,
    })
}

/// The markdown review of one stack.
pub fn markdown(review: &StackReview<'_>, prices: &PriceTable) -> anyhow::Result<String> {
    let plan = review.plan.map(planned);
    let name = review.stack;
    let Figures {
        changes,
        cost_before,
        cost_after,
        findings_after,
        new_findings,
        resolved,
    } = figures(review, prices)?;
    let new_findings: Vec<&Finding> = new_findings.iter().collect();
    let resolved: Vec<&Finding> = resolved.iter().collect();

    let mut out = String::new();
    let title = match (review.old, review.new) {
        (None, _) => format!("### `{name}` (new stack)\n\n"),
        (_, None) => format!(
            "### `{name}` (stack removed: its resources are destroyed only if its state is)\n\n"
        ),
        _ => format!("### `{name}`\n\n"),
    };
    out.push_str(&title);

    // Summary line.
    let verdicts: Vec<Option<Verdict>> = changes
        .iter()
        .map(|c| match c {
            Change::Changed {
                address,
                replaced_because,
                ..
            } => Some(verdict(address, replaced_because.as_deref(), plan.as_ref())),
            _ => None,
        })
        .collect();
    let replaced = changes
        .iter()
        .zip(&verdicts)
        .filter(|(c, v)| {
            matches!(c, Change::Renamed { .. })
                || matches!(
                    v,
                    Some(Verdict::PlanReplaces(_) | Verdict::LikelyReplaced(_))
                )
        })
        .count();
    let added = changes
        .iter()
        .filter(|c| matches!(c, Change::Added(_)))
        .count();
    let removed = changes
        .iter()
        .filter(|c| matches!(c, Change::Removed(_)))
        .count();
    let changed = changes.len() - added - removed - replaced;
    let total = delta(cost_before.monthly, cost_after.monthly);
    if changes.is_empty() {
        let _ = writeln!(
            out,
            "No changes: the synthesised Terraform JSON is identical. Monthly cost {}{}.\n",
            range(cost_after.monthly),
            if cost_after.complete {
                ""
            } else {
                " (partial)"
            }
        );
    } else {
        let _ = writeln!(
            out,
            "**{added} added · {removed} removed · {replaced} replaced · {changed} changed** · monthly cost {} → {} ({total}) · policy: {} new, {} resolved\n",
            range(cost_before.monthly),
            range(cost_after.monthly),
            new_findings.len(),
            resolved.len(),
        );
        resources(&mut out, &changes, &verdicts, plan.is_some());
        details(&mut out, &changes, &verdicts);
        cost(&mut out, &changes, &cost_before, &cost_after);
    }
    policy(&mut out, &new_findings, &resolved, findings_after.len());
    Ok(out)
}

fn resources(out: &mut String, changes: &[Change], verdicts: &[Option<Verdict>], with_plan: bool) {
    out.push_str("| | resource | what happens |\n|---|---|---|\n");
    for (c, v) in changes.iter().zip(verdicts) {
        let (sign, address, what) = match (c, v) {
            (Change::Added(a), _) => ("+", format!("`{a}`"), "added".to_owned()),
            (Change::Removed(a), _) => ("-", format!("`{a}`"), "removed (destroyed)".to_owned()),
            (Change::Renamed { from, to }, _) => (
                "-/+",
                format!("`{from}` → `{to}`"),
                if is_managed(to) {
                    "renamed: destroyed and created again unless a `moved` block keeps it (below)"
                        .to_owned()
                } else {
                    "renamed".to_owned()
                },
            ),
            (Change::Changed { address, .. }, Some(Verdict::PlanReplaces(why))) => (
                "-/+",
                format!("`{address}`"),
                format!("replaced: {why} (terraform plan)"),
            ),
            (Change::Changed { address, .. }, Some(Verdict::LikelyReplaced(why))) => (
                "-/+",
                format!("`{address}`"),
                format!(
                    "likely replaced: {why} (a heuristic on identity attributes{})",
                    if with_plan {
                        "; not in the plan"
                    } else {
                        "; `--plan` gives terraform's reason"
                    }
                ),
            ),
            (Change::Changed { address, .. }, Some(Verdict::PlanUpdates)) => (
                "~",
                format!("`{address}`"),
                "changed in place (terraform plan)".to_owned(),
            ),
            (Change::Changed { address, .. }, _) => {
                ("~", format!("`{address}`"), "changed in place".to_owned())
            }
        };
        let _ = writeln!(out, "| `{sign}` | {address} | {what} |");
    }
    out.push('\n');
}

fn details(out: &mut String, changes: &[Change], verdicts: &[Option<Verdict>]) {
    for (c, v) in changes.iter().zip(verdicts) {
        match c {
            Change::Renamed { from, to } if is_managed(to) => {
                let handle = name_of(to);
                let _ = writeln!(
                    out,
                    "**`{from}` → `{to}`**: the same resource under a new address. To keep it, add to the stack:\n\n```rust\n{}\n```\n\nwhere `{handle}` is the handle `stack.add` returned for `{to}` (`let {handle} = stack.add(\"{handle}\", …)`).\n",
                    moved_line(from, to)
                );
            }
            Change::Changed {
                address,
                attributes,
                ..
            } => {
                let sign = match v {
                    Some(Verdict::PlanReplaces(_) | Verdict::LikelyReplaced(_)) => "-/+",
                    _ => "~",
                };
                let _ = writeln!(out, "**`{sign}` `{address}`**\n");
                let (wide, short): (Vec<_>, Vec<_>) = attributes
                    .iter()
                    .partition(|(_, a, b)| long(a.as_deref()) || long(b.as_deref()));
                if !short.is_empty() {
                    out.push_str("| attribute | before | after |\n|---|---|---|\n");
                    for (path, a, b) in &short {
                        let _ = writeln!(
                            out,
                            "| `{path}` | {} | {} |",
                            cell(a.as_deref()),
                            cell(b.as_deref())
                        );
                    }
                    out.push('\n');
                }
                if !wide.is_empty() {
                    out.push_str("```diff\n");
                    for (path, a, b) in &wide {
                        if let Some(a) = a {
                            let _ = writeln!(out, "- {path}: {a}");
                        }
                        if let Some(b) = b {
                            let _ = writeln!(out, "+ {path}: {b}");
                        }
                    }
                    out.push_str("```\n\n");
                }
            }
            _ => {}
        }
    }
}

fn cost(out: &mut String, changes: &[Change], before: &CostReport, after: &CostReport) {
    let old = per_resource(before);
    let new = per_resource(after);
    // A renamed resource is one row, under its new address.
    let renamed: BTreeMap<&str, &str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Renamed { from, to } => Some((to.as_str(), from.as_str())),
            _ => None,
        })
        .collect();
    let renamed_from: Vec<&str> = renamed.values().copied().collect();
    let mut addresses: Vec<&String> = old
        .keys()
        .filter(|a| !renamed_from.contains(&a.as_str()))
        .chain(new.keys())
        .collect();
    // Unpriced resources are rows too: a resource that moves into a region without prices
    // is "unpriced" after, not free.
    addresses.extend(
        before
            .unpriced
            .iter()
            .filter(|u| !renamed_from.contains(&u.address.as_str()))
            .chain(&after.unpriced)
            .map(|u| &u.address),
    );
    addresses.sort();
    addresses.dedup();
    let mut rows = String::new();
    // The resources priced on one side and unpriced on the other: their change is unknown,
    // and the total change leaves them out on both sides.
    let mut unknown: Vec<&str> = Vec::new();
    let (mut left_out_before, mut left_out_after) = (Range::default(), Range::default());
    for address in addresses {
        let was_address = renamed.get(address.as_str()).copied().unwrap_or(address);
        let was = Side::of(was_address, &old, before);
        let is = Side::of(address, &new, after);
        if was == is {
            continue;
        }
        let change = if was == Side::Unpriced || is == Side::Unpriced {
            unknown.push(address);
            left_out_before = left_out_before.plus(was.counted());
            left_out_after = left_out_after.plus(is.counted());
            "unknown".to_owned()
        } else {
            delta(was.counted(), is.counted())
        };
        let _ = writeln!(
            rows,
            "| `{address}` | {} | {} | {change} |",
            was.cell(),
            is.cell(),
        );
    }
    out.push_str("#### Monthly cost\n\n");
    if rows.is_empty() {
        let _ = writeln!(out, "Unchanged: {} a month.\n", range(after.monthly));
    } else {
        out.push_str("| resource | before | after | change |\n|---|--:|--:|--:|\n");
        out.push_str(&rows);
        // A resource whose change is unknown counts on neither side of the total change.
        let less = |total: Range, out: Range| {
            Range::new(total.floor - out.floor, total.ceiling - out.ceiling)
        };
        let known = delta(
            less(before.monthly, left_out_before),
            less(after.monthly, left_out_after),
        );
        let _ = writeln!(
            out,
            "| **total** | **{}** | **{}** | **{known}**{} |\n",
            range(before.monthly),
            range(after.monthly),
            if unknown.is_empty() { "" } else { " + unknown" }
        );
    }
    let _ = writeln!(
        out,
        "List prices of `analysis/data/prices.json`, a month of 730 h; a range is floor – ceiling (minimum and maximum scaled capacity). Usage-based charges are not included."
    );
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|a| format!("`{a}`")).collect();
        let _ = writeln!(
            out,
            "Unpriced on one side, so its change is unknown and the total change leaves it out on both: {} (`cost STACK` says why, e.g. no price for its region).",
            list.join(", ")
        );
    }
    if !before.complete || !after.complete {
        let _ = writeln!(
            out,
            "Partial: {} before and {} after cannot be priced and are left out of the totals (`cost STACK` says why).",
            plural(before.unpriced.len(), "item", "items"),
            plural(after.unpriced.len(), "item", "items"),
        );
    }
    out.push('\n');
}

fn policy(out: &mut String, new: &[&Finding], resolved: &[&Finding], now: usize) {
    out.push_str("#### Policy\n\n");
    if new.is_empty() && resolved.is_empty() {
        let _ = writeln!(
            out,
            "No new or resolved findings ({} in all).\n",
            plural(now, "finding", "findings")
        );
        return;
    }
    if !new.is_empty() {
        let _ = writeln!(out, "New ({}):\n", new.len());
        for f in new {
            out.push_str(&finding_line(f));
        }
        out.push('\n');
    }
    if !resolved.is_empty() {
        let _ = writeln!(out, "Resolved ({}):\n", resolved.len());
        for f in resolved {
            out.push_str(&finding_line(f));
        }
        out.push('\n');
    }
}

/// One read of an export across the stacks of an app: `consumer` reads the output `export`
/// of `producer` from its state.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrossRead {
    /// The reading stack.
    pub consumer: String,
    /// The exporting stack.
    pub producer: String,
    /// The export (an output of `producer`).
    pub export: String,
}

/// Every read of another stack's export in a stack's document: each
/// `data.terraform_remote_state.<producer>.outputs.<export>` in it, the producer named by
/// the stack among `stacks` whose Terraform identifier the remote state is called by.
pub fn reads_in(consumer: &str, document: &J, stacks: &[&str]) -> Vec<CrossRead> {
    let text = document.to_string();
    let mut reads = Vec::new();
    let needle = "data.terraform_remote_state.";
    let mut rest = text.as_str();
    while let Some(start) = rest.find(needle) {
        rest = &rest[start + needle.len()..];
        let word = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        };
        let id = word(rest);
        let Some(after) = rest[id.len()..].strip_prefix(".outputs.") else {
            continue;
        };
        let export = word(after);
        let producer = stacks
            .iter()
            .find(|s| oxiform::graph::identifier_from(s) == id)
            .map_or(id.clone(), |s| (*s).to_owned());
        let read = CrossRead {
            consumer: consumer.to_owned(),
            producer,
            export,
        };
        if !reads.contains(&read) {
            reads.push(read);
        }
    }
    reads.sort();
    reads
}

/// The markdown review of the stacks of an app (or of several stacks) as one comment: a
/// table of every stack's changes, monthly cost before and after and policy findings with
/// the app's total; the values that cross stacks, each said as changed or not and, when it
/// changes, that its readers see it only once its stack applies; then each stack's own
/// review ([`markdown`]), its exports and remote-state reads marked as crossing stacks.
/// `reads` are the reads before and after the change ([`reads_in`] of both documents).
pub fn app_markdown(
    title: &str,
    stacks: &[StackReview<'_>],
    reads: &[CrossRead],
    prices: &PriceTable,
) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rows = String::new();
    let (mut before, mut after) = (Range::default(), Range::default());
    let (mut new_total, mut resolved_total, mut changing) = (0, 0, 0);
    let mut complete = true;
    for review in stacks {
        let f = figures(review, prices)?;
        let what = match (review.old, review.new) {
            (None, _) => "new stack".to_owned(),
            (_, None) => "stack removed".to_owned(),
            _ if f.changes.is_empty() => "no changes".to_owned(),
            _ => plural(f.changes.len(), "change", "changes"),
        };
        if what != "no changes" {
            changing += 1;
        }
        before = before.plus(f.cost_before.monthly);
        after = after.plus(f.cost_after.monthly);
        complete &= f.cost_before.complete && f.cost_after.complete;
        new_total += f.new_findings.len();
        resolved_total += f.resolved.len();
        let _ = writeln!(
            rows,
            "| `{}` | {what} | {} | {} | {} | {} new, {} resolved |",
            review.stack,
            range(f.cost_before.monthly),
            range(f.cost_after.monthly),
            delta(f.cost_before.monthly, f.cost_after.monthly),
            f.new_findings.len(),
            f.resolved.len(),
        );
    }
    let _ = writeln!(
        out,
        "## {title}: {} of {} change\n",
        changing,
        plural(stacks.len(), "stack", "stacks")
    );
    out.push_str("| stack | changes | monthly cost before | after | change | policy |\n|---|---|--:|--:|--:|---|\n");
    out.push_str(&rows);
    let _ = writeln!(
        out,
        "| **all stacks** | | **{}** | **{}** | **{}** | {new_total} new, {resolved_total} resolved |\n",
        range(before),
        range(after),
        delta(before, after)
    );
    if !complete {
        out.push_str("Some resources cannot be priced and are left out of these totals (each stack's section says how many).\n\n");
    }
    let unknown = crossing(&mut out, stacks, reads);
    for review in stacks {
        let text = markdown(review, prices)?;
        out.push_str(&mark_crossing(&text, review, reads, &unknown));
    }
    Ok(out)
}

/// What a change does to one export.
#[derive(Debug, Clone, PartialEq)]
enum ExportChange {
    New,
    Removed,
    Changed,
    /// Its expression is the same, but a resource it is made from changes.
    ChangesWith(Vec<String>),
    Unchanged,
}

impl ExportChange {
    /// Whether the readers see a value their state does not hold yet.
    fn unknown(&self) -> bool {
        matches!(
            self,
            ExportChange::New | ExportChange::Changed | ExportChange::ChangesWith(_)
        )
    }

    fn said(&self) -> String {
        match self {
            ExportChange::New => "**new in this change**".to_owned(),
            ExportChange::Removed => "**removed in this change**".to_owned(),
            ExportChange::Changed => "**changed in this change**".to_owned(),
            ExportChange::ChangesWith(from) => format!(
                "**changes with {}**, which it is made from",
                from.iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExportChange::Unchanged => "unchanged".to_owned(),
        }
    }
}

/// The resources (`type.name`) an output's value refers to.
fn referenced(output: &J) -> Vec<String> {
    let text = output.to_string();
    let mut found = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let expr: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        let parts: Vec<&str> = expr.split('.').collect();
        let address = match parts.as_slice() {
            ["data", kind, name, ..] => format!("data.{kind}.{name}"),
            [kind, name, ..] if kind.contains('_') => format!("{kind}.{name}"),
            _ => continue,
        };
        if !found.contains(&address) {
            found.push(address);
        }
    }
    found
}

/// What the change does to the export `export` of the stack reviewed by `review`.
fn export_change(review: Option<&StackReview<'_>>, export: &str) -> ExportChange {
    fn output<'a>(d: Option<&'a J>, export: &str) -> Option<&'a J> {
        d.and_then(|d| d.get("output")).and_then(|o| o.get(export))
    }
    let (old, new) = (
        output(review.and_then(|r| r.old), export),
        output(review.and_then(|r| r.new), export),
    );
    match (old, new) {
        (None, Some(_)) => ExportChange::New,
        (Some(_), None) => ExportChange::Removed,
        (Some(a), Some(b)) if a != b => ExportChange::Changed,
        (Some(_), Some(b)) => {
            let empty = J::Object(Default::default());
            let changes = review
                .map(|r| diff(r.old.unwrap_or(&empty), r.new.unwrap_or(&empty)))
                .unwrap_or_default();
            let changed: Vec<String> = referenced(b)
                .into_iter()
                .filter(|a| {
                    changes.iter().any(|c| match c {
                        Change::Changed { address, .. } => address == a,
                        Change::Added(x) | Change::Removed(x) => x == a,
                        Change::Renamed { to, .. } => to == a,
                    })
                })
                .collect();
            if changed.is_empty() {
                ExportChange::Unchanged
            } else {
                ExportChange::ChangesWith(changed)
            }
        }
        (None, None) => ExportChange::Unchanged,
    }
}

/// The section "Values that cross stacks": each export read by another stack, whether this
/// change adds, changes, removes or keeps it, and what that means for the stacks reading it.
/// Returns the exports whose readers see a value their state does not hold yet.
fn crossing(
    out: &mut String,
    stacks: &[StackReview<'_>],
    reads: &[CrossRead],
) -> Vec<(String, String)> {
    out.push_str("### Values that cross stacks\n\n");
    // One line per export: its readers together.
    let mut exports: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for read in reads {
        let readers = exports
            .entry((read.producer.as_str(), read.export.as_str()))
            .or_default();
        if !readers.contains(&read.consumer.as_str()) {
            readers.push(&read.consumer);
        }
    }
    if exports.is_empty() {
        out.push_str("None: no stack reads another's exports.\n\n");
        return Vec::new();
    }
    let mut unknown = Vec::new();
    for ((producer, export), readers) in &exports {
        let review = stacks.iter().find(|r| r.stack == *producer);
        let change = export_change(review, export);
        let sensitive = [review.and_then(|r| r.new), review.and_then(|r| r.old)]
            .into_iter()
            .flatten()
            .any(|d| d["output"][export]["sensitive"] == J::Bool(true));
        let readers_text = readers
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "- `{producer}.{export}`{}: output `{export}` of `{producer}`, read by {readers_text} through `data.terraform_remote_state.{}` — {}",
            if sensitive { " (sensitive)" } else { "" },
            oxiform::graph::identifier_from(producer),
            change.said(),
        );
        if change.unknown() {
            let verb = if readers.len() == 1 { "reads" } else { "read" };
            unknown.push((producer, export, format!("{readers_text} {verb}")));
        }
    }
    out.push('\n');
    for (producer, export, readers_read) in &unknown {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> `{producer}.{export}` is unknown until `{producer}` applies: {readers_read} it from `{producer}`'s state, which holds the new value only after that apply. `plan --all` does not plan a stack on the value in state today, and `apply --all` (and the deploy workflow) applies `{producer}` first.\n"
        );
    }
    unknown
        .into_iter()
        .map(|(p, e, _)| ((*p).to_owned(), (*e).to_owned()))
        .collect()
}

/// A stack's review with its exports read by other stacks, the resources they are made
/// from, and its own reads of other stacks' exports marked where the resource table and
/// the details name them; a stack reading a value not known yet says so under its heading.
fn mark_crossing(
    text: &str,
    review: &StackReview<'_>,
    reads: &[CrossRead],
    unknown: &[(String, String)],
) -> String {
    let stack = review.stack;
    let mut text = text.to_owned();
    let mut exports: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut producers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for read in reads {
        if read.producer == stack {
            exports
                .entry(&read.export)
                .or_default()
                .push(&read.consumer);
        }
        if read.consumer == stack {
            producers
                .entry(&read.producer)
                .or_default()
                .push(&read.export);
        }
    }
    let list = |names: &[&str]| {
        let mut names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        names.dedup();
        names.join(", ")
    };
    let mark = |text: &mut String, address: &str, note: &str| {
        let address = format!("`{address}`");
        let marked = format!("{address} ({note})");
        *text = text.replace(&format!("| {address} |"), &format!("| {marked} |"));
        *text = text.replace(&format!("` {address}**"), &format!("` {marked}**"));
    };
    for (export, readers) in &exports {
        let note = format!("crosses stacks: export read by {}", list(readers));
        mark(&mut text, &format!("output.{export}"), &note);
        let output = review
            .new
            .or(review.old)
            .and_then(|d| d.get("output"))
            .and_then(|o| o.get(*export));
        for address in output.map(referenced).unwrap_or_default() {
            let note = format!(
                "crosses stacks: export `{export}` is made from it, read by {}",
                list(readers)
            );
            mark(&mut text, &address, &note);
        }
    }
    let mut waits = Vec::new();
    for (producer, exports) in &producers {
        let address = format!(
            "data.terraform_remote_state.{}",
            oxiform::graph::identifier_from(producer)
        );
        let note = format!("crosses stacks: reads {} of `{producer}`", list(exports));
        mark(&mut text, &address, &note);
        for export in exports {
            if unknown.contains(&((*producer).to_owned(), (*export).to_owned())) {
                waits.push(format!("`{producer}.{export}`"));
            }
        }
    }
    if !waits.is_empty() {
        waits.dedup();
        let heading_end = text.find("\n\n").map_or(0, |i| i + 2);
        text.insert_str(
            heading_end,
            &format!(
                "Reads {}, which this change changes: unknown until {} applies, so this stack is planned with the new value only after that.\n\n",
                waits.join(", "),
                list(&producers.keys().copied().filter(|p| waits.iter().any(|w| w.starts_with(&format!("`{p}.")))).collect::<Vec<_>>())
            ),
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn review(old: &J, new: &J, plan: Option<&J>) -> String {
        let set = PolicySet::default();
        let prices = PriceTable::builtin().unwrap_or_else(|e| panic!("{e}"));
        markdown(
            &StackReview {
                stack: "demo",
                old: Some(old),
                new: Some(new),
                plan,
                policy: &set,
                waivers: &[],
            },
            &prices,
        )
        .unwrap_or_else(|e| panic!("{e:#}"))
    }

    fn instance(ty: &str) -> J {
        json!({
            "provider": {"aws": [{"region": "us-east-1"}]},
            "resource": {"aws_instance": {"gpu": {"ami": "ami-123", "instance_type": ty}}}
        })
    }

    #[test]
    fn an_identical_stack_says_so_with_its_cost() {
        let doc = instance("g5.xlarge");
        // ec2 g5.xlarge: $1.006 an hour (prices.json) × 730 h = $734.38.
        assert_eq!(
            review(&doc, &doc, None),
            "### `demo`\n\nNo changes: the synthesised Terraform JSON is identical. Monthly cost $734.38.\n\n\
             #### Policy\n\nNo new or resolved findings (0 findings in all).\n\n"
        );
    }

    #[test]
    fn an_instance_type_change_shows_the_attribute_and_the_cost_delta() {
        let text = review(&instance("g5.xlarge"), &instance("g5.2xlarge"), None);
        // (1.212 − 1.006) $/h × 730 h = $150.38.
        assert!(
            text.contains("| `~` | `aws_instance.gpu` | changed in place |"),
            "{text}"
        );
        assert!(
            text.contains("| `instance_type` | `\"g5.xlarge\"` | `\"g5.2xlarge\"` |"),
            "{text}"
        );
        assert!(
            text.contains("| `aws_instance.gpu` | $734.38 | $884.76 | +$150.38 |"),
            "{text}"
        );
        assert!(
            text.contains("| **total** | **$734.38** | **$884.76** | **+$150.38** |"),
            "{text}"
        );
    }

    #[test]
    fn a_resource_moved_into_a_region_without_prices_is_unpriced_not_free() {
        let doc = |region: &str, ty: &str| {
            json!({
                "provider": {"aws": [{"region": "us-east-1"}, {"alias": "edge", "region": region}]},
                "resource": {
                    "aws_instance": {"gpu": {"ami": "ami-123", "instance_type": ty}},
                    "aws_nat_gateway": {"edge": {"provider": "aws.edge", "connectivity_type": "private", "subnet_id": "s"}}
                }
            })
        };
        let text = review(
            &doc("us-east-1", "g5.xlarge"),
            &doc("eu-north-1", "g5.2xlarge"),
            None,
        );
        // vpc nat-gateway us-east-1: $0.045 an hour × 730 h = $32.85; the table has no
        // price for eu-north-1, so the gateway is unpriced after, its change unknown.
        assert!(
            text.contains("| `aws_nat_gateway.edge` | $32.85 | unpriced | unknown |"),
            "{text}"
        );
        // The total change is the instance's alone, (1.212 − 1.006) $/h × 730 h = $150.38;
        // the gateway's $32.85 is not counted as saved.
        assert!(
            text.contains("| **total** | **$767.23** | **$884.76** | **+$150.38** + unknown |"),
            "{text}"
        );
        assert!(
            text.contains("Unpriced on one side, so its change is unknown and the total change leaves it out on both: `aws_nat_gateway.edge`"),
            "{text}"
        );
        assert!(
            text.contains("Partial: 0 items before and 1 item after cannot be priced"),
            "{text}"
        );
        // Back: priced again, its change unknown the other way.
        let text = review(
            &doc("eu-north-1", "g5.2xlarge"),
            &doc("us-east-1", "g5.2xlarge"),
            None,
        );
        assert!(
            text.contains("| `aws_nat_gateway.edge` | unpriced | $32.85 | unknown |"),
            "{text}"
        );
        assert!(
            text.contains("| **total** | **$884.76** | **$917.61** | **$0.00** + unknown |"),
            "{text}"
        );
    }

    #[test]
    fn a_rename_prints_the_moved_line() {
        let old = json!({"resource": {"aws_s3_bucket": {"logs": {"bucket": "b"}}}});
        let new = json!({"resource": {"aws_s3_bucket": {"archive": {"bucket": "b"}}}});
        let text = review(&old, &new, None);
        assert!(
            text.contains("```rust\nstack.moved(\"aws_s3_bucket.logs\", &archive);\n```"),
            "{text}"
        );
        assert!(
            text.contains("**0 added · 0 removed · 1 replaced · 0 changed**"),
            "{text}"
        );
    }

    #[test]
    fn a_plan_gives_the_replacement_reason_and_otherwise_the_heuristic_says_it_is_one() {
        let old = json!({"resource": {"aws_s3_bucket": {"a": {"bucket": "x"}}}});
        let new = json!({"resource": {"aws_s3_bucket": {"a": {"bucket": "y"}}}});
        let text = review(&old, &new, None);
        assert!(text.contains("likely replaced: `bucket` changed"), "{text}");
        assert!(
            text.contains("a heuristic on identity attributes"),
            "{text}"
        );
        let plan = json!({"resource_changes": [{
            "address": "aws_s3_bucket.a",
            "change": {"actions": ["delete", "create"], "replace_paths": [["bucket"], ["tags", "k"]]},
            "action_reason": "replace_because_cannot_update"
        }]});
        let text = review(&old, &new, Some(&plan));
        assert!(
            text.contains("| `-/+` | `aws_s3_bucket.a` | replaced: `bucket`, `tags.k` force replacement (terraform plan) |"),
            "{text}"
        );
        let plan = json!({"resource_changes": [{
            "address": "aws_s3_bucket.a", "change": {"actions": ["update"]}
        }]});
        let text = review(&old, &new, Some(&plan));
        assert!(text.contains("changed in place (terraform plan)"), "{text}");
    }

    /// `terraform show -json` of a real plan (terraform 1.11.4): `terraform_data.a` replaced
    /// because `triggers_replace` changed, `terraform_data.b` updated in place.
    #[test]
    fn reads_a_real_plan() {
        let plan: J = serde_json::from_str(include_str!(
            "../../tests/fixtures/review/terraform-data.plan.json"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let p = planned(&plan);
        assert_eq!(
            verdict("terraform_data.a", None, Some(&p)),
            Verdict::PlanReplaces("`triggers_replace` forces replacement".into())
        );
        assert_eq!(
            verdict("terraform_data.b", None, Some(&p)),
            Verdict::PlanUpdates
        );
        let guess = "`name` changed".to_owned();
        assert_eq!(
            verdict("terraform_data.c", Some(guess.as_str()), Some(&p)),
            Verdict::LikelyReplaced(guess.clone())
        );
    }

    #[test]
    fn sensitive_values_are_never_printed() {
        let old = json!({
            "variable": {"pw": {"type": "string", "sensitive": true, "default": "hunter2"}},
            "output": {"o": {"value": "s3cr3t-out", "sensitive": true}},
            "resource": {"aws_db_instance": {"db": {"instance_class": "db.t3.micro", "password": "correct-horse"}}}
        });
        let new = json!({
            "variable": {"pw": {"type": "string", "sensitive": true, "default": "hunter3"}},
            "output": {"o": {"value": "s3cr3t-out2", "sensitive": true}},
            "resource": {"aws_db_instance": {"db": {"instance_class": "db.t3.micro", "password": "battery-staple"}}}
        });
        let text = review(&old, &new, None);
        for secret in ["hunter", "s3cr3t", "correct", "batt", "corr"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(
            text.contains("| `password` | `(sensitive)` | `(sensitive)` |"),
            "{text}"
        );
        assert!(
            text.contains("| `default` | `(sensitive)` | `(sensitive)` |"),
            "{text}"
        );
        // The new OXI-SECRET-003 finding is listed without the characters it quotes.
        assert!(
            text.contains("`OXI-SECRET-003` `aws_db_instance.db`"),
            "{text}"
        );
    }

    #[test]
    fn a_policy_regression_is_a_new_finding_and_its_fix_a_resolved_one() {
        let group = |encrypted: bool| {
            json!({"resource": {"aws_elasticache_replication_group": {"cache": {
                "description": "c", "node_type": "cache.t4g.micro", "num_cache_clusters": 1,
                "at_rest_encryption_enabled": encrypted, "transit_encryption_enabled": encrypted
            }}}})
        };
        let text = review(&group(true), &group(false), None);
        assert!(text.contains("policy: 2 new, 0 resolved"), "{text}");
        assert!(text.contains("New (2):\n\n- error `OXI-CACHE-00"), "{text}");
        let text = review(&group(false), &group(true), None);
        assert!(text.contains("Resolved (2):"), "{text}");
    }
}
