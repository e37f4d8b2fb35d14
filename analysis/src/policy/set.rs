//! Which rules run, at what severity, with what parameters: a [`PolicySet`].

use super::catalogue::{Rule, Severity, RULES};

/// A rule, by name: [`RuleId::id`] is the id findings, waivers and `check` print.
///
/// A typed id, so a [`PolicySet`] cannot name a rule that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RuleId {
    /// `OXI-CACHE-001`: ElastiCache encrypts at rest.
    CacheEncryptionAtRest,
    /// `OXI-CACHE-002`: ElastiCache encrypts in transit.
    CacheEncryptionInTransit,
    /// `OXI-TAG-001`: every taggable resource carries the required tags
    /// ([`PolicySet::require_tags`]).
    RequiredTags,
    /// `OXI-SCALE-001`: a scalable target's min capacity is at most its max capacity.
    ScalingBounds,
    /// `OXI-SCALE-002`: a scheduled action's capacities lie inside its target's.
    ScheduledCapacity,
    /// `OXI-SCALE-003`: scale-in cooldown is at least the scale-out cooldown.
    ScaleInCooldown,
    /// `OXI-SECRET-001`: no secrets in Lambda environment variables.
    LambdaSecrets,
    /// `OXI-SECRET-002`: no secrets in outputs.
    OutputSecrets,
    /// `OXI-SECRET-003`: no sensitive argument (by the provider schema) holds a plain
    /// literal, which `Secret::plaintext_in_config` writes.
    SensitiveLiterals,
    /// `OXI-IAM-001`: no IAM policy allows `*` actions on `*` resources.
    IamWildcard,
    /// `OXI-IAM-002`: IAM policy documents are valid JSON.
    IamPolicyJson,
    /// `OXI-DASH-001`: dashboard bodies are valid JSON with a widgets list.
    DashboardJson,
    /// `OXI-DASH-002`: dashboard metrics exist in their namespace.
    DashboardMetrics,
    /// `OXI-WAIVER-001`: a waiver names a known rule and gives a reason.
    WaiverValid,
    /// `OXI-WAIVER-002`: a waiver matches a finding.
    WaiverUsed,
}

/// How many rules there are.
const COUNT: usize = 15;

impl RuleId {
    /// Every rule, in the order of [`RULES`].
    pub const ALL: [RuleId; COUNT] = [
        RuleId::CacheEncryptionAtRest,
        RuleId::CacheEncryptionInTransit,
        RuleId::RequiredTags,
        RuleId::ScalingBounds,
        RuleId::ScheduledCapacity,
        RuleId::ScaleInCooldown,
        RuleId::LambdaSecrets,
        RuleId::OutputSecrets,
        RuleId::SensitiveLiterals,
        RuleId::IamWildcard,
        RuleId::IamPolicyJson,
        RuleId::DashboardJson,
        RuleId::DashboardMetrics,
        RuleId::WaiverValid,
        RuleId::WaiverUsed,
    ];

    /// The id as findings and waivers spell it.
    ///
    /// ```
    /// use oxiform_analysis::policy::RuleId;
    /// assert_eq!(RuleId::RequiredTags.id(), "OXI-TAG-001");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            RuleId::CacheEncryptionAtRest => "OXI-CACHE-001",
            RuleId::CacheEncryptionInTransit => "OXI-CACHE-002",
            RuleId::RequiredTags => "OXI-TAG-001",
            RuleId::ScalingBounds => "OXI-SCALE-001",
            RuleId::ScheduledCapacity => "OXI-SCALE-002",
            RuleId::ScaleInCooldown => "OXI-SCALE-003",
            RuleId::LambdaSecrets => "OXI-SECRET-001",
            RuleId::OutputSecrets => "OXI-SECRET-002",
            RuleId::SensitiveLiterals => "OXI-SECRET-003",
            RuleId::IamWildcard => "OXI-IAM-001",
            RuleId::IamPolicyJson => "OXI-IAM-002",
            RuleId::DashboardJson => "OXI-DASH-001",
            RuleId::DashboardMetrics => "OXI-DASH-002",
            RuleId::WaiverValid => "OXI-WAIVER-001",
            RuleId::WaiverUsed => "OXI-WAIVER-002",
        }
    }

    /// The rule whose id is `id` (`OXI-TAG-001`), if there is one.
    ///
    /// ```
    /// use oxiform_analysis::policy::RuleId;
    /// assert_eq!(RuleId::from_id("OXI-TAG-001"), Some(RuleId::RequiredTags));
    /// assert_eq!(RuleId::from_id("OXI-TAGS-001"), None);
    /// ```
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The rule's entry in [`RULES`]: its default severity and what it requires.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}

impl std::fmt::Display for RuleId {
    /// The id, e.g. `OXI-TAG-001`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Which rules `check` runs and `synth` gates on, at what severity, and the required tag
/// keys.
///
/// [`PolicySet::default`] is the set a user's stack gets: every rule that guards against a
/// real mistake (encryption, IAM wildcards, secrets, scaling bounds, dashboards, waivers) at
/// its [default severity](Rule::severity), and no required tags — tags are a team's
/// convention, so `OXI-TAG-001` runs only once [`require_tags`](PolicySet::require_tags)
/// names some. Builder methods change one rule each; a stacks binary sets one on its `App`
/// and may override it per stack.
///
/// ```
/// use oxiform_analysis::policy::{PolicySet, RuleId, Severity};
///
/// let team = PolicySet::default()
///     .require_tags(["Team", "CostCenter"])
///     .severity(RuleId::ScaleInCooldown, Severity::Error)
///     .disable(RuleId::DashboardMetrics);
/// assert!(team.runs(RuleId::RequiredTags));
/// assert_eq!(team.required_tags(), ["Team", "CostCenter"]);
/// assert_eq!(team.severity_of(RuleId::ScaleInCooldown), Some(Severity::Error));
/// assert!(!team.runs(RuleId::DashboardMetrics));
///
/// assert!(!PolicySet::default().runs(RuleId::RequiredTags));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySet {
    /// Per rule, in [`RuleId::ALL`] order: its severity, or `None` when it is off.
    severities: [Option<Severity>; COUNT],
    /// The tag keys `OXI-TAG-001` requires.
    required_tags: Vec<String>,
}

impl Default for PolicySet {
    /// Every rule at its default severity, no required tags (so `OXI-TAG-001` is off).
    fn default() -> Self {
        let mut severities = RuleId::ALL.map(|r| Some(r.rule().severity));
        severities[RuleId::RequiredTags as usize] = None;
        PolicySet {
            severities,
            required_tags: Vec::new(),
        }
    }
}

impl PolicySet {
    /// No rule at all; turn rules on with [`enable`](Self::enable).
    ///
    /// ```
    /// use oxiform_analysis::policy::{PolicySet, RuleId};
    /// let only_iam = PolicySet::none().enable(RuleId::IamWildcard);
    /// assert_eq!(only_iam.running().count(), 1);
    /// ```
    pub fn none() -> Self {
        PolicySet {
            severities: [None; COUNT],
            required_tags: Vec::new(),
        }
    }

    /// Turns `rule` on at its default severity (a rule already on keeps its severity).
    /// `OXI-TAG-001` finds nothing until [`require_tags`](Self::require_tags) names keys.
    #[must_use]
    pub fn enable(mut self, rule: RuleId) -> Self {
        let slot = &mut self.severities[rule as usize];
        if slot.is_none() {
            *slot = Some(rule.rule().severity);
        }
        self
    }

    /// Turns `rule` off: it does not run, and a waiver of it is reported as matching nothing.
    #[must_use]
    pub fn disable(mut self, rule: RuleId) -> Self {
        self.severities[rule as usize] = None;
        self
    }

    /// Runs `rule` at `severity` (turning it on if it was off).
    #[must_use]
    pub fn severity(mut self, rule: RuleId, severity: Severity) -> Self {
        self.severities[rule as usize] = Some(severity);
        self
    }

    /// The tag keys every taggable resource must carry (`OXI-TAG-001`), replacing any set
    /// before; turns the rule on (at its default severity, unless set otherwise). An empty
    /// list turns it off.
    #[must_use]
    pub fn require_tags<I>(mut self, keys: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.required_tags = keys.into_iter().map(Into::into).collect();
        if self.required_tags.is_empty() {
            self.disable(RuleId::RequiredTags)
        } else {
            self.enable(RuleId::RequiredTags)
        }
    }

    /// The tag keys `OXI-TAG-001` requires.
    pub fn required_tags(&self) -> &[String] {
        &self.required_tags
    }

    /// The severity `rule` runs at, or `None` when it is off.
    pub fn severity_of(&self, rule: RuleId) -> Option<Severity> {
        self.severities[rule as usize]
    }

    /// Whether `rule` runs: it is on, and for `OXI-TAG-001`, some tags are required.
    pub fn runs(&self, rule: RuleId) -> bool {
        self.severity_of(rule).is_some()
            && (rule != RuleId::RequiredTags || !self.required_tags.is_empty())
    }

    /// The rules that run, with their severities, in [`RuleId::ALL`] order.
    pub fn running(&self) -> impl Iterator<Item = (RuleId, Severity)> + '_ {
        RuleId::ALL
            .into_iter()
            .filter(|r| self.runs(*r))
            .filter_map(|r| Some((r, self.severity_of(r)?)))
    }

    /// The rules that do not run, in [`RuleId::ALL`] order.
    pub fn off(&self) -> impl Iterator<Item = RuleId> + '_ {
        RuleId::ALL.into_iter().filter(|r| !self.runs(*r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_follow_the_rules_table() {
        assert_eq!(RULES.len(), COUNT);
        for (r, rule) in RuleId::ALL.into_iter().zip(RULES) {
            assert_eq!(r.id(), rule.id);
            assert_eq!(RuleId::from_id(rule.id), Some(r));
        }
    }
}
