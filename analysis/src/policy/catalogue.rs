//! The policy's vocabulary: the catalogue of rules ([`RULES`]: ids, default severities,
//! titles), severities, and what a finding is. Below everything else in `policy`: the rules,
//! the policy sets and the check all use it, and it uses none of them.

use oxiform_core::diagnostic::{self, Diagnostic, Place, ToDiagnostic};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` and `synth` unless waived.
    Error,
    /// Reported; fails nothing.
    Warning,
}

impl From<Severity> for diagnostic::Severity {
    fn from(s: Severity) -> diagnostic::Severity {
        match s {
            Severity::Error => diagnostic::Severity::Error,
            Severity::Warning => diagnostic::Severity::Warning,
        }
    }
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Rule {
    /// Its id, e.g. `OXI-TAG-001`.
    pub id: &'static str,
    /// Its default severity; a [`PolicySet`](super::PolicySet) may run it at another.
    pub severity: Severity,
    /// What it requires.
    pub title: &'static str,
}

/// Every rule, in [`RuleId::ALL`](super::RuleId::ALL) order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "OXI-CACHE-001",
        severity: Severity::Error,
        title: "ElastiCache encrypts at rest",
    },
    Rule {
        id: "OXI-CACHE-002",
        severity: Severity::Error,
        title: "ElastiCache encrypts in transit",
    },
    Rule {
        id: "OXI-TAG-001",
        severity: Severity::Error,
        title: "every taggable resource carries the required tags (provider default_tags count)",
    },
    Rule {
        id: "OXI-SCALE-001",
        severity: Severity::Error,
        title: "a scalable target's min capacity is at most its max capacity",
    },
    Rule {
        id: "OXI-SCALE-002",
        severity: Severity::Error,
        title: "a scheduled action's capacities lie inside its scalable target's",
    },
    Rule {
        id: "OXI-SCALE-003",
        severity: Severity::Warning,
        title: "scale-in cooldown is at least the scale-out cooldown",
    },
    Rule {
        id: "OXI-SECRET-001",
        severity: Severity::Error,
        title: "no secrets in Lambda environment variables",
    },
    Rule {
        id: "OXI-SECRET-002",
        severity: Severity::Error,
        title: "no secrets in outputs",
    },
    Rule {
        id: "OXI-SECRET-003",
        severity: Severity::Error,
        title: "no sensitive argument holds a plain literal",
    },
    Rule {
        id: "OXI-IAM-001",
        severity: Severity::Error,
        title: "no IAM policy allows `*` actions on `*` resources",
    },
    Rule {
        id: "OXI-IAM-002",
        severity: Severity::Error,
        title: "IAM policy documents are valid JSON",
    },
    Rule {
        id: "OXI-DASH-001",
        severity: Severity::Error,
        title: "dashboard bodies are valid JSON with a widgets list",
    },
    Rule {
        id: "OXI-DASH-002",
        severity: Severity::Error,
        title: "dashboard metrics exist in their namespace",
    },
    Rule {
        id: "OXI-WAIVER-001",
        severity: Severity::Error,
        title: "a waiver names a known rule and gives a reason",
    },
    Rule {
        id: "OXI-WAIVER-002",
        severity: Severity::Warning,
        title: "a waiver matches a finding",
    },
];

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The rule id.
    pub rule: String,
    /// Its severity in the policy set it was checked with.
    pub severity: Severity,
    /// The resource (or output, `output.<name>`) address.
    pub address: String,
    /// What is wrong, quoting the value (secrets shortened).
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// The waiver that covers it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<Waived>,
}

/// How a finding was waived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Waived {
    /// The reason given.
    pub reason: String,
    /// Where the waiver is declared.
    pub site: String,
}

pub(crate) fn finding(rule_id: &str, address: &str, message: String, fix: String) -> Finding {
    Finding {
        rule: rule_id.to_owned(),
        severity: rule(rule_id).map(|r| r.severity).unwrap_or(Severity::Error),
        address: address.to_owned(),
        message,
        fix,
        waived: None,
    }
}

impl Finding {
    /// The finding as `check` prints it: a headline and the fix (or the waiver's reason).
    pub fn to_text(&self) -> String {
        self.to_diagnostic().to_string()
    }
}

impl ToDiagnostic for Finding {
    /// `severity[rule] address: message` and the fix; a waived finding says `waived` and
    /// gives the waiver's reason and place instead of the fix.
    fn to_diagnostic(&self) -> Diagnostic {
        let (severity, label, text) = match &self.waived {
            Some(w) => (
                diagnostic::Severity::Waived,
                "reason",
                format!("{} (waived at {})", w.reason, w.site),
            ),
            None => (self.severity.into(), "fix", self.fix.clone()),
        };
        Diagnostic::new(severity, &self.message)
            .code(&self.rule)
            .place(Place::new().address(&self.address))
            .note(label, text)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// A finding is a coded diagnostic: its rule, severity and address are data, the fix (or
    /// the waiver's reason) a labelled note.
    #[test]
    fn a_finding_is_a_coded_diagnostic() {
        let mut f = finding(
            "OXI-SCALE-003",
            "aws_appautoscaling_policy.p",
            "scale-in cooldown 60 is shorter than scale-out cooldown 300".into(),
            "raise scale_in_cooldown to at least 300".into(),
        );
        let d = f.to_diagnostic();
        assert_eq!(d.get_code(), Some("OXI-SCALE-003"));
        assert_eq!(d.get_severity(), diagnostic::Severity::Warning);
        assert_eq!(
            d.get_place().get_address(),
            Some("aws_appautoscaling_policy.p")
        );
        assert_eq!(
            f.to_text(),
            "warning[OXI-SCALE-003] aws_appautoscaling_policy.p: scale-in cooldown 60 is shorter than scale-out cooldown 300\n  fix: raise scale_in_cooldown to at least 300"
        );
        f.waived = Some(Waived {
            reason: "batch jobs".into(),
            site: "src/lib.rs:9".into(),
        });
        assert_eq!(
            f.to_diagnostic().get_severity(),
            diagnostic::Severity::Waived
        );
        assert_eq!(
            f.to_text(),
            "waived[OXI-SCALE-003] aws_appautoscaling_policy.p: scale-in cooldown 60 is shorter than scale-out cooldown 300\n  reason: batch jobs (waived at src/lib.rs:9)"
        );
    }
}
