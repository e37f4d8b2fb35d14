//! Policy rules over Terraform JSON: every finding has a rule id, a severity, the resource
//! address and a fix. Like [`cost`](crate::cost), this reads the JSON document, not Rust
//! types, so it checks any `.tf.json`.
//!
//! Errors fail `synth` unless the rule is waived in code for that resource with a reason
//! ([`Stack::waive`](crate::Stack::waive)); the reason appears in `check` output.
//!
//! Which rules run, at what severity, and which tags are required is a [`PolicySet`]: a
//! stacks binary gives one to its `App` and may override it per stack. The default set runs
//! every rule below at the severity shown except `OXI-TAG-001`, which runs only once
//! [`PolicySet::require_tags`] names the tags a team requires.
//!
//! | id | severity | rule |
//! |---|---|---|
//! | `OXI-CACHE-001` | error | ElastiCache encrypts at rest |
//! | `OXI-CACHE-002` | error | ElastiCache encrypts in transit |
//! | `OXI-TAG-001` | error | every taggable resource carries the required tags (provider `default_tags` count); off by default |
//! | `OXI-SCALE-001` | error | a scalable target's min capacity ≤ max capacity |
//! | `OXI-SCALE-002` | error | a scheduled action's capacities lie inside its target's |
//! | `OXI-SCALE-003` | warning | scale-in cooldown ≥ scale-out cooldown |
//! | `OXI-SECRET-001` | error | no secrets in Lambda environment variables |
//! | `OXI-SECRET-002` | error | no secrets in outputs |
//! | `OXI-SECRET-003` | error | no sensitive argument holds a plain literal |
//! | `OXI-IAM-001` | error | no `*` actions on `*` resources |
//! | `OXI-IAM-002` | error | IAM policy documents are valid JSON |
//! | `OXI-DASH-001` | error | dashboard bodies are valid JSON with a `widgets` list |
//! | `OXI-DASH-002` | error | dashboard metrics exist in their namespace |
//! | `OXI-WAIVER-001` | error | a waiver names a known rule and gives a reason |
//! | `OXI-WAIVER-002` | warning | a waiver matches a finding |
//!
//! ```
//! use oxiform_analysis::policy::{check_json, PolicySet};
//!
//! let doc = r#"{"resource": {"aws_elasticache_replication_group": {"cache": {
//!     "description": "x", "at_rest_encryption_enabled": true}}}}"#;
//! let report = check_json(doc, "demo", &PolicySet::default(), &[]).unwrap();
//! assert_eq!(report.findings.len(), 1);
//! assert_eq!(report.findings[0].rule, "OXI-CACHE-002");
//! assert!(report.has_errors());
//!
//! // A team that requires tags says which.
//! let team = PolicySet::default().require_tags(["Team"]);
//! let report = check_json(doc, "demo", &team, &[]).unwrap();
//! assert_eq!(report.findings.len(), 2);
//! assert_eq!(report.findings[1].rule, "OXI-TAG-001");
//! ```

mod catalogue;
mod rules;
mod set;

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cost::document::{DocumentError, TfDocument};
use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};
use oxiform_core::Waiver;

use catalogue::finding;
pub use catalogue::{rule, Finding, Rule, Severity, Waived, RULES};
pub use rules::TAGGABLE_TYPES;
pub use set::{PolicySet, RuleId};

/// The version of the JSON report's shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Whether `waiver` covers finding `f`: the same rule, and its address or `*`.
fn covers(waiver: &Waiver, f: &Finding) -> bool {
    waiver.rule == f.rule && (waiver.address == "*" || waiver.address == f.address)
}

/// Everything `check` found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckReport {
    /// The stack's name or the file's path.
    pub source: String,
    /// How many rules ran (those of the policy set).
    pub rules: usize,
    /// The ids of the rules that did not run: off in the policy set (`OXI-TAG-001` also when
    /// no tags are required).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<String>,
    /// How many resources were checked.
    pub resources: usize,
    /// Unwaived errors.
    pub errors: usize,
    /// Unwaived warnings.
    pub warnings: usize,
    /// Waived findings.
    pub waived: usize,
    /// Every finding: errors, then warnings, then waived ones; each by rule and address.
    pub findings: Vec<Finding>,
}

/// What `check --format json` writes: one report per stack or file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckOutput {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Unwaived errors in all reports.
    pub errors: usize,
    /// The reports.
    pub reports: Vec<CheckReport>,
}

/// The JSON Schema of [`CheckOutput`], pretty-printed.
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(CheckOutput);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Runs the rules of `set` over `doc` at the set's severities, applies `waivers`, and
/// reports.
pub fn check(doc: &TfDocument, source: &str, set: &PolicySet, waivers: &[Waiver]) -> CheckReport {
    let mut findings: Vec<Finding> = rules::run(doc, set)
        .into_iter()
        .filter_map(|f| in_set(set, f))
        .collect();
    let mut used = vec![false; waivers.len()];
    for f in &mut findings {
        if let Some((i, w)) = waivers
            .iter()
            .enumerate()
            .find(|(_, w)| !w.reason.trim().is_empty() && rule(&w.rule).is_some() && covers(w, f))
        {
            used[i] = true;
            f.waived = Some(Waived {
                reason: w.reason.clone(),
                site: w.site.clone(),
            });
        }
    }
    for (w, used) in waivers.iter().zip(used) {
        let address = format!("waiver {} for {}", w.rule, w.address);
        let problem = match RuleId::from_id(&w.rule) {
            None => finding(
                "OXI-WAIVER-001",
                &address,
                format!("waives {:?}, which is not a rule (at {})", w.rule, w.site),
                format!(
                    "use one of the rule ids `check` prints: {}",
                    RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(_) if w.reason.trim().is_empty() => finding(
                "OXI-WAIVER-001",
                &address,
                format!("gives no reason (at {})", w.site),
                "say why the rule does not apply to this resource: the reason is printed with every check".to_owned(),
            ),
            Some(_) if used => continue,
            Some(r) if !set.runs(r) => finding(
                "OXI-WAIVER-002",
                &address,
                format!(
                    "matches no finding (at {}): the policy set does not run {}",
                    w.site, w.rule
                ),
                "remove the waiver, or turn the rule on in the policy set (`PolicySet`) the stack is checked with"
                    .to_owned(),
            ),
            Some(_) => finding(
                "OXI-WAIVER-002",
                &address,
                format!(
                    "matches no finding (at {}): the resource is fine or the address is wrong",
                    w.site
                ),
                "remove the waiver, or correct its rule id or address (as `check` prints it)"
                    .to_owned(),
            ),
        };
        findings.extend(in_set(set, problem));
    }
    findings.sort_by(|a, b| {
        (a.waived.is_some(), a.severity, &a.rule, &a.address).cmp(&(
            b.waived.is_some(),
            b.severity,
            &b.rule,
            &b.address,
        ))
    });
    let count = |sev: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == sev && f.waived.is_none())
            .count()
    };
    CheckReport {
        source: source.to_owned(),
        rules: set.running().count(),
        off: set.off().map(|r| r.id().to_owned()).collect(),
        resources: doc.resources().len() + doc.data_sources().len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        waived: findings.iter().filter(|f| f.waived.is_some()).count(),
        findings,
    }
}

/// The finding at the severity `set` gives its rule, or `None` when the set does not run it.
fn in_set(set: &PolicySet, mut f: Finding) -> Option<Finding> {
    let rule = RuleId::from_id(&f.rule).filter(|r| set.runs(*r))?;
    f.severity = set.severity_of(rule)?;
    Some(f)
}

/// Parses the Terraform JSON `text` and checks it with the rules of `set`; `source` names it.
pub fn check_json(
    text: &str,
    source: &str,
    set: &PolicySet,
    waivers: &[Waiver],
) -> Result<CheckReport, DocumentError> {
    Ok(check(
        &TfDocument::parse(text, source)?,
        source,
        set,
        waivers,
    ))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl CheckReport {
    /// Whether any error is not waived.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// The summary line.
    ///
    /// `check demo: 1 error, 0 warnings, 0 waived (13 rules, 4 resources; off: OXI-TAG-001)`:
    /// the rules the policy set does not run are named.
    pub fn summary(&self) -> String {
        let off = if self.off.is_empty() {
            String::new()
        } else {
            format!("; off: {}", self.off.join(", "))
        };
        format!(
            "check {}: {}, {}, {} waived ({}, {}{off})",
            self.source,
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            self.waived,
            plural(self.rules, "rule"),
            plural(self.resources, "resource")
        )
    }

    /// The report as `check` prints it: every finding, then the summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let _ = writeln!(out, "{}", f.to_text());
        }
        let _ = writeln!(out, "{}", self.summary());
        out
    }

    /// The unwaived errors as one message (for `synth`), with a hint on waiving.
    pub fn errors_text(&self) -> String {
        self.errors_diagnostic().to_string()
    }

    /// The unwaived errors as one diagnostic, each a numbered child, with a hint on waiving.
    pub fn errors_diagnostic(&self) -> Diagnostic {
        let unwaived: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.waived.is_none())
            .collect();
        let (rule, address) = unwaived
            .iter()
            .find(|f| !f.rule.starts_with("OXI-WAIVER"))
            .map(|f| (f.rule.as_str(), f.address.as_str()))
            .unwrap_or(("OXI-TAG-001", "aws_s3_bucket.logs"));
        Diagnostic::error(format!(
            "policy check found {}:",
            plural(unwaived.len(), "error")
        ))
        .children(unwaived.iter().map(|f| f.to_diagnostic()))
        .hint(format!(
            "fix each one, or waive a rule for one resource in code with a reason: `stack.waive(\"{rule}\", \"{address}\", \"why it does not apply\")`; `check` lists every finding"
        ))
    }

    /// Warnings and waived findings, one per line, for `synth` to print.
    pub fn notes(&self) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| f.waived.is_some() || f.severity == Severity::Warning)
            .map(Finding::to_text)
            .collect()
    }
}
