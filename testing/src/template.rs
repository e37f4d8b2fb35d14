//! [`Template`]: a synthesised stack (or any Terraform JSON), and the questions a test asks
//! about it through the generated types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display};

use oxiform_analysis::policy::{check_json, CheckReport, PolicySet};
use oxiform_core::diagnostic::CallSite;
use oxiform_core::{Address, Handle, NodeRef, Resource, ResourceKind, Stack, Waiver};
use serde_json::Value;

use crate::error::{AssertionError, AssertionKind};
use crate::expr::{addresses_in, interpolations};
use crate::matcher::{compact, Difference, Match};

/// The blocks that hold resources, by kind.
const KINDS: [ResourceKind; 3] = [
    ResourceKind::Managed,
    ResourceKind::Data,
    ResourceKind::Ephemeral,
];

/// A synthesised stack, read back as Terraform JSON, and the assertions a unit test makes
/// about it. Every assertion takes its resource type from the generated types
/// (`R::TYPE`, `R::KIND`), returns `Result<_, AssertionError>` and, when it fails, says
/// what it expected, where the assertion is, and what came nearest with a line per
/// difference.
///
/// ```
/// use oxiform_aws::iam::IamRole;
/// use oxiform_aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration, SagemakerModel};
/// use oxiform_aws::sagemaker::sagemaker_endpoint_configuration::ProductionVariants;
/// use oxiform_core::prelude::*;
/// use oxiform_testing::{Match, Template};
/// use serde_json::json;
///
/// # fn main() -> Result<(), oxiform_testing::AssertionError> {
/// let mut stack = Stack::new("demo");
/// let role = stack.add("sagemaker", IamRole::new(r#"{"Version":"2012-10-17","Statement":[]}"#));
/// let model = stack.add("llm", SagemakerModel::new(role.arn()));
/// for tier in ["small", "large"] {
///     let config = stack.add(tier, SagemakerEndpointConfiguration::new(vec![
///         ProductionVariants::new(model.name()).instance_type("ml.g5.xlarge"),
///     ]));
///     stack.add(tier, SagemakerEndpoint::new(config.name()).tag("ModelTier", tier));
/// }
///
/// let t = Template::synth(&stack)?;
/// t.resource_count_is::<SagemakerEndpoint>(2)?;
/// t.has_resource_properties::<SagemakerEndpoint>(json!({"tags": {"ModelTier": "large"}}))?;
/// t.all_resources_properties::<SagemakerEndpoint>(
///     Match::object_like(json!({})).key("tags", Match::object_like(json!({}))
///         .key("ModelTier", Match::any_value())),
/// )?;
/// t.references(&model, &role)?;
///
/// // A failing assertion names the nearest candidate and what differs.
/// let err = t
///     .has_resource_properties::<SagemakerEndpoint>(json!({"tags": {"ModelTier": "medium"}}))
///     .unwrap_err();
/// assert!(err.to_string().contains(r#"tags.ModelTier: expected "medium", found "large""#));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    text: String,
    doc: Value,
    waivers: Vec<Waiver>,
    addresses: BTreeSet<String>,
}

impl Template {
    /// Synthesises `stack` (every check `synth` runs) and reads the document back; the
    /// stack's waivers go with it to [`policy`](Template::policy).
    #[track_caller]
    pub fn synth(stack: &Stack) -> Result<Template, AssertionError> {
        let site = CallSite::caller();
        let failed = |text: String| {
            AssertionError::new(
                AssertionKind::Template,
                site,
                format!("stack `{}` does not synthesise", stack.name()),
            )
            .lines(text.lines().map(String::from))
        };
        let doc = stack.synth().map_err(|e| failed(e.to_string()))?;
        let text = doc.to_json().map_err(|e| failed(e.to_string()))?;
        let mut template = Template::parse(text, stack.name(), site)?;
        template.waivers = stack.waivers().to_vec();
        Ok(template)
    }

    /// Reads Terraform JSON text (a `main.tf.json`, a fixture); its source name is
    /// `template` until [`named`](Template::named).
    ///
    /// ```
    /// use oxiform_aws::s3::S3Bucket;
    /// use oxiform_testing::Template;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs"}}}}"#).unwrap();
    /// assert_eq!(t.resources::<S3Bucket>()[0].address(), "aws_s3_bucket.logs");
    /// assert!(Template::from_json("not json").is_err());
    /// ```
    #[track_caller]
    pub fn from_json(text: &str) -> Result<Template, AssertionError> {
        Template::parse(text.to_owned(), "template", CallSite::caller())
    }

    fn parse(text: String, source: &str, site: CallSite) -> Result<Template, AssertionError> {
        let doc: Value = serde_json::from_str(&text).map_err(|e| {
            AssertionError::new(
                AssertionKind::Template,
                site,
                format!("`{source}` is not JSON: {e}"),
            )
        })?;
        let mut addresses = BTreeSet::new();
        for kind in KINDS {
            for (type_name, names) in doc[kind.block_key()].as_object().into_iter().flatten() {
                for name in names.as_object().into_iter().flatten().map(|(n, _)| n) {
                    addresses.insert(format!("{}{type_name}.{name}", kind.address_prefix()));
                }
            }
        }
        Ok(Template {
            source: source.to_owned(),
            text,
            doc,
            waivers: Vec::new(),
            addresses,
        })
    }

    /// This template under another source name (what policy reports call it).
    pub fn named(mut self, source: impl Into<String>) -> Template {
        self.source = source.into();
        self
    }

    /// This template with the waivers [`policy`](Template::policy) applies (those of the
    /// stack, for a template read from text).
    pub fn with_waivers(mut self, waivers: &[Waiver]) -> Template {
        self.waivers = waivers.to_vec();
        self
    }

    /// The whole document.
    pub fn json(&self) -> &Value {
        &self.doc
    }

    /// The document as text, as `synth` writes it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every resource, data source and ephemeral resource address, sorted.
    pub fn addresses(&self) -> impl Iterator<Item = &str> + '_ {
        self.addresses.iter().map(String::as_str)
    }

    /// The resources of type `R`, by name.
    pub fn resources<R: Resource>(&self) -> Vec<ResourceBlock<'_>> {
        self.blocks(R::KIND, R::TYPE)
    }

    fn blocks(&self, kind: ResourceKind, type_name: &str) -> Vec<ResourceBlock<'_>> {
        let mut blocks: Vec<ResourceBlock<'_>> = self.doc[kind.block_key()][type_name]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, body)| ResourceBlock {
                address: format!("{}{type_name}.{name}", kind.address_prefix()),
                name,
                body,
            })
            .collect();
        blocks.sort_by(|a, b| a.name.cmp(b.name));
        blocks
    }

    /// The resource of type `R` named `name`.
    ///
    /// ```
    /// use oxiform_aws::s3::S3Bucket;
    /// use oxiform_testing::Template;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs"}}}}"#).unwrap();
    /// assert_eq!(t.resource::<S3Bucket>("logs").unwrap().body()["bucket"], "logs");
    /// let err = t.resource::<S3Bucket>("log").unwrap_err().to_string();
    /// assert!(err.contains("no `aws_s3_bucket.log` in the template"), "{err}");
    /// assert!(err.contains("nearest: aws_s3_bucket.logs"), "{err}");
    /// ```
    #[track_caller]
    pub fn resource<R: Resource>(&self, name: &str) -> Result<ResourceBlock<'_>, AssertionError> {
        let address = Address::new(R::KIND, R::TYPE, name).to_string();
        self.block(&address, CallSite::caller())
    }

    /// The resource a handle (or any [`Addressed`]) names.
    #[track_caller]
    pub fn get(&self, node: &impl Addressed) -> Result<ResourceBlock<'_>, AssertionError> {
        self.block(&node.address(), CallSite::caller())
    }

    fn block(&self, address: &str, site: CallSite) -> Result<ResourceBlock<'_>, AssertionError> {
        let (kind, rest) = match address.split_once('.') {
            Some(("data", rest)) => (ResourceKind::Data, rest),
            Some(("ephemeral", rest)) => (ResourceKind::Ephemeral, rest),
            _ => (ResourceKind::Managed, address),
        };
        let (type_name, name) = rest.split_once('.').unwrap_or((rest, ""));
        self.blocks(kind, type_name)
            .into_iter()
            .find(|b| b.name == name)
            .ok_or_else(|| {
                missing(
                    site,
                    format!("no `{address}` in the template"),
                    address,
                    self.addresses(),
                )
            })
    }

    /// Asserts that the template has exactly `count` resources of type `R`.
    ///
    /// ```
    /// use oxiform_aws::s3::S3Bucket;
    /// use oxiform_testing::Template;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_s3_bucket": {"logs": {}}}}"#).unwrap();
    /// assert!(t.resource_count_is::<S3Bucket>(1).is_ok());
    /// let err = t.resource_count_is::<S3Bucket>(2).unwrap_err().to_string();
    /// assert!(err.contains("expected 2 `aws_s3_bucket`, found 1"), "{err}");
    /// ```
    #[track_caller]
    pub fn resource_count_is<R: Resource>(&self, count: usize) -> Result<(), AssertionError> {
        let found = self.resources::<R>();
        if found.len() == count {
            return Ok(());
        }
        let what = type_label::<R>();
        Err(AssertionError::new(
            AssertionKind::Count,
            CallSite::caller(),
            format!("expected {count} {what}, found {}", found.len()),
        )
        .line(if found.is_empty() {
            self.types_line()
        } else {
            format!("found: {}", names(&found))
        }))
    }

    /// The resources of type `R` that match `pattern`, by name.
    pub fn find_resources<R: Resource>(&self, pattern: impl Into<Match>) -> Vec<ResourceBlock<'_>> {
        let pattern = pattern.into();
        self.resources::<R>()
            .into_iter()
            .filter(|b| pattern.matches(b.body))
            .collect()
    }

    /// Asserts that a resource of type `R` matches `pattern` (a JSON value is matched like
    /// CDK's `Match.objectLike`), and returns the first that does. When none does, the
    /// message shows the nearest one and what differs.
    ///
    /// ```
    /// use oxiform_aws::appautoscaling::AppautoscalingScheduledAction;
    /// use oxiform_testing::Template;
    /// use serde_json::json;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_appautoscaling_scheduled_action": {
    ///     "night": {"schedule": "cron(0 22 * * ? *)", "scalable_target_action": {"max_capacity": 1, "min_capacity": 1}}}}}"#).unwrap();
    /// let night = t.has_resource_properties::<AppautoscalingScheduledAction>(
    ///     json!({"scalable_target_action": {"max_capacity": 1}}),
    /// ).unwrap();
    /// assert_eq!(night.name(), "night");
    /// let err = t.has_resource_properties::<AppautoscalingScheduledAction>(
    ///     json!({"scalable_target_action": {"max_capacity": 2}}),
    /// ).unwrap_err().to_string();
    /// assert!(err.contains("nearest: aws_appautoscaling_scheduled_action.night, 1 difference"), "{err}");
    /// assert!(err.contains("scalable_target_action.max_capacity: expected 2, found 1"), "{err}");
    /// ```
    #[track_caller]
    pub fn has_resource_properties<R: Resource>(
        &self,
        pattern: impl Into<Match>,
    ) -> Result<ResourceBlock<'_>, AssertionError> {
        let site = CallSite::caller();
        let pattern = pattern.into();
        let mut checked: Vec<(ResourceBlock<'_>, Vec<Difference>)> = self
            .resources::<R>()
            .into_iter()
            .map(|b| {
                let d = pattern.differences(b.body);
                (b, d)
            })
            .collect();
        if let Some(i) = checked.iter().position(|(_, d)| d.is_empty()) {
            return Ok(checked.swap_remove(i).0);
        }
        let what = type_label::<R>();
        if checked.is_empty() {
            return Err(AssertionError::new(
                AssertionKind::NoMatch,
                site,
                format!("no {what} in the template"),
            )
            .line(self.types_line()));
        }
        checked.sort_by_key(|(_, d)| d.len());
        let mut err = AssertionError::new(
            AssertionKind::NoMatch,
            site,
            format!("no {what} matches the pattern ({} checked)", checked.len()),
        )
        .line(format!("pattern: {pattern}"));
        let (nearest, differences) = &checked[0];
        err = err.line(format!(
            "nearest: {}, {}:",
            nearest.address,
            count_of(differences.len(), "difference")
        ));
        err = err.lines(differences.iter().map(|d| format!("  {d}")));
        if checked.len() > 1 {
            let others: Vec<String> = checked[1..]
                .iter()
                .map(|(b, d)| format!("{} ({})", b.address, count_of(d.len(), "difference")))
                .collect();
            err = err.line(format!("also checked: {}", others.join(", ")));
        }
        Err(err)
    }

    /// Asserts that every resource of type `R` matches `pattern` (and that there is at least
    /// one); returns them. When some do not, the message shows each with what differs.
    #[track_caller]
    pub fn all_resources_properties<R: Resource>(
        &self,
        pattern: impl Into<Match>,
    ) -> Result<Vec<ResourceBlock<'_>>, AssertionError> {
        let site = CallSite::caller();
        let pattern = pattern.into();
        let all = self.resources::<R>();
        let what = type_label::<R>();
        if all.is_empty() {
            return Err(AssertionError::new(
                AssertionKind::NotAll,
                site,
                format!("no {what} in the template"),
            )
            .line(self.types_line()));
        }
        let failing: Vec<(&ResourceBlock<'_>, Vec<Difference>)> = all
            .iter()
            .map(|b| (b, pattern.differences(b.body)))
            .filter(|(_, d)| !d.is_empty())
            .collect();
        if failing.is_empty() {
            return Ok(all);
        }
        let mut err = AssertionError::new(
            AssertionKind::NotAll,
            site,
            format!(
                "{} of {} {what} do not match the pattern",
                failing.len(),
                all.len()
            ),
        )
        .line(format!("pattern: {pattern}"));
        for (block, differences) in &failing {
            err = err.line(format!(
                "{}, {}:",
                block.address,
                count_of(differences.len(), "difference")
            ));
            err = err.lines(differences.iter().map(|d| format!("  {d}")));
        }
        Err(err)
    }

    /// What `from` depends on: each address its arguments refer to (`${type.name.attr}`
    /// anywhere in a string) or its `depends_on` names, with where.
    #[track_caller]
    pub fn dependencies(&self, from: &impl Addressed) -> Result<Vec<Reference>, AssertionError> {
        let block = self.block(&from.address(), CallSite::caller())?;
        Ok(self.references_in(&block))
    }

    fn references_in(&self, block: &ResourceBlock<'_>) -> Vec<Reference> {
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut path = String::new();
        self.walk(block.body, &mut path, &mut found);
        found.remove(&block.address);
        found
            .into_iter()
            .map(|(to, paths)| Reference { to, paths })
            .collect()
    }

    fn walk(&self, value: &Value, path: &mut String, found: &mut BTreeMap<String, Vec<String>>) {
        match value {
            Value::String(s) => {
                let depends = path.starts_with("depends_on[");
                let mut hits: Vec<String> = if depends {
                    addresses_in(s, &self.addresses)
                } else {
                    interpolations(s)
                        .into_iter()
                        .flat_map(|e| addresses_in(e, &self.addresses))
                        .collect()
                };
                hits.dedup();
                for to in hits {
                    let at = if depends { "depends_on" } else { path.as_str() };
                    let paths = found.entry(to).or_default();
                    if !paths.iter().any(|p| p == at) {
                        paths.push(at.to_owned());
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    self.walk(item, path, found);
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    self.walk(item, path, found);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// Asserts that `from` references `to` (an argument refers to it, or `depends_on` names
    /// it): an edge of the dependency graph, read from the document. Returns where.
    ///
    /// ```
    /// use oxiform_aws::iam::IamRole;
    /// use oxiform_aws::sagemaker::SagemakerModel;
    /// use oxiform_core::prelude::*;
    /// use oxiform_testing::Template;
    ///
    /// let mut stack = Stack::new("demo");
    /// let role = stack.add("exec", IamRole::new("{}"));
    /// let model = stack.add("llm", SagemakerModel::new(role.arn()));
    /// let t = Template::synth(&stack).unwrap();
    /// assert_eq!(t.references(&model, &role).unwrap().paths(), ["execution_role_arn"]);
    /// let err = t.references(&role, &model).unwrap_err().to_string();
    /// assert!(err.contains("`aws_iam_role.exec` does not reference `aws_sagemaker_model.llm`"), "{err}");
    /// assert!(err.contains("hint: `aws_sagemaker_model.llm` references `aws_iam_role.exec`"), "{err}");
    /// ```
    #[track_caller]
    pub fn references(
        &self,
        from: &impl Addressed,
        to: &impl Addressed,
    ) -> Result<Reference, AssertionError> {
        let site = CallSite::caller();
        let (from, to) = (from.address(), to.address());
        let block = self.block(&from, site)?;
        let target = self.block(&to, site)?;
        let references = self.references_in(&block);
        if let Some(r) = references.iter().find(|r| r.to == to) {
            return Ok(r.clone());
        }
        let mut err = AssertionError::new(
            AssertionKind::NoReference,
            site,
            format!("`{from}` does not reference `{to}`"),
        )
        .line(if references.is_empty() {
            "it references nothing".to_owned()
        } else {
            format!(
                "it references: {}",
                references
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        if self.references_in(&target).iter().any(|r| r.to == from) {
            err = err.hint(format!("`{to}` references `{from}`: the other way round"));
        }
        Err(err)
    }

    /// The output `name`.
    ///
    /// ```
    /// use oxiform_aws::s3::S3Bucket;
    /// use oxiform_core::prelude::*;
    /// use oxiform_testing::Template;
    ///
    /// let mut stack = Stack::new("demo");
    /// let bucket = stack.add("logs", S3Bucket::new());
    /// stack.output("bucket_arn", Output::new(bucket.arn()));
    /// let t = Template::synth(&stack).unwrap();
    /// assert_eq!(t.output("bucket_arn").unwrap().expression(), Some("aws_s3_bucket.logs.arn"));
    /// let err = t.output("bucket").unwrap_err().to_string();
    /// assert!(err.contains("no output `bucket`"), "{err}");
    /// assert!(err.contains("nearest: bucket_arn"), "{err}");
    /// ```
    #[track_caller]
    pub fn output(&self, name: &str) -> Result<OutputBlock<'_>, AssertionError> {
        match self.doc["output"].get(name) {
            Some(body) => Ok(OutputBlock {
                name: name.to_owned(),
                body,
                addresses: &self.addresses,
            }),
            None => {
                let names = self.doc["output"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(n, _)| n.as_str());
                Err(missing(
                    CallSite::caller(),
                    format!("no output `{name}` in the template"),
                    name,
                    names,
                ))
            }
        }
    }

    /// What the policy gate says: the rules of `set` over this template, with its waivers.
    #[track_caller]
    pub fn policy(&self, set: &PolicySet) -> Result<CheckReport, AssertionError> {
        let site = CallSite::caller();
        check_json(&self.text, &self.source, set, &self.waivers).map_err(|e| {
            AssertionError::new(
                AssertionKind::Template,
                site,
                format!("the policy gate cannot read `{}`", self.source),
            )
            .line(e.to_string())
        })
    }

    /// Asserts that the policy gate finds nothing under `set`: no error and no warning
    /// that is not waived. Returns the report (waived findings included).
    ///
    /// ```
    /// use oxiform_analysis::policy::PolicySet;
    /// use oxiform_testing::Template;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_s3_bucket": {"logs": {}}}}"#).unwrap();
    /// assert!(t.policy_is_clean(&PolicySet::default()).is_ok());
    /// let strict = PolicySet::default().require_tags(["Team"]);
    /// let err = t.policy_is_clean(&strict).unwrap_err().to_string();
    /// assert!(err.contains("error[OXI-TAG-001] aws_s3_bucket.logs"), "{err}");
    /// ```
    #[track_caller]
    pub fn policy_is_clean(&self, set: &PolicySet) -> Result<CheckReport, AssertionError> {
        let site = CallSite::caller();
        let report = self.policy(set)?;
        if report.errors == 0 && report.warnings == 0 {
            return Ok(report);
        }
        Err(AssertionError::new(
            AssertionKind::Policy,
            site,
            format!("the policy gate is not clean for `{}`", self.source),
        )
        .lines(report.to_text().lines().map(String::from))
        .hint("fix each finding, or waive a rule for one resource in code with a reason: `stack.waive(rule, address, reason)`"))
    }

    /// `types in the template: …`, the types by name with their counts.
    fn types_line(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for address in &self.addresses {
            let type_name = address
                .rsplit_once('.')
                .map_or(address.as_str(), |(t, _)| t);
            *counts.entry(type_name).or_default() += 1;
        }
        if counts.is_empty() {
            return "the template has no resources".to_owned();
        }
        let types: Vec<String> = counts.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        format!("types in the template: {}", types.join(", "))
    }
}

/// `` `aws_sagemaker_endpoint` `` (`` `data.aws_region` `` for a data source).
fn type_label<R: Resource>() -> String {
    format!("`{}{}`", R::KIND.address_prefix(), R::TYPE)
}

fn names(blocks: &[ResourceBlock<'_>]) -> String {
    blocks
        .iter()
        .map(|b| b.address.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn count_of(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// An error for something missing, with the nearest of `candidates` by edit distance.
fn missing<'a>(
    site: CallSite,
    message: String,
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> AssertionError {
    let err = AssertionError::new(AssertionKind::Missing, site, message);
    match candidates.min_by_key(|c| (strsim::levenshtein(wanted, c), *c)) {
        Some(nearest) => err.line(format!("nearest: {nearest}")),
        None => err.line("there is none to compare with"),
    }
}

/// One resource block of the template: its address and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceBlock<'a> {
    address: String,
    name: &'a str,
    body: &'a Value,
}

impl<'a> ResourceBlock<'a> {
    /// `type.name` (`data.type.name` for a data source).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The name within its type.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The arguments and meta-arguments as synthesised.
    pub fn body(&self) -> &'a Value {
        self.body
    }
}

impl ResourceBlock<'_> {
    /// Asserts that this resource's body matches `pattern`.
    ///
    /// ```
    /// use oxiform_aws::s3::S3Bucket;
    /// use oxiform_testing::Template;
    /// use serde_json::json;
    ///
    /// let t = Template::from_json(r#"{"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs"}}}}"#).unwrap();
    /// let logs = t.resource::<S3Bucket>("logs").unwrap();
    /// assert!(logs.has_properties(json!({"bucket": "logs"})).is_ok());
    /// let err = logs.has_properties(json!({"bucket": "audit"})).unwrap_err().to_string();
    /// assert!(err.contains(r#"bucket: expected "audit", found "logs""#), "{err}");
    /// ```
    #[track_caller]
    pub fn has_properties(&self, pattern: impl Into<Match>) -> Result<(), AssertionError> {
        let pattern = pattern.into();
        let differences = pattern.differences(self.body);
        if differences.is_empty() {
            return Ok(());
        }
        Err(AssertionError::new(
            AssertionKind::Mismatch,
            CallSite::caller(),
            format!(
                "`{}` does not match the pattern: {}",
                self.address,
                count_of(differences.len(), "difference")
            ),
        )
        .line(format!("pattern: {pattern}"))
        .lines(differences.iter().map(|d| format!("  {d}"))))
    }
}

/// An edge of the dependency graph as the document writes it: what is referenced, and
/// where (`production_variants[0].model_name`, `depends_on`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    to: String,
    paths: Vec<String>,
}

impl Reference {
    /// The address referenced.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// The arguments that refer to it (`depends_on` for an explicit dependency).
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether `depends_on` names it.
    pub fn is_explicit(&self) -> bool {
        self.paths.iter().any(|p| p == "depends_on")
    }
}

impl Display for Reference {
    /// `aws_iam_role.router (at role)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {})", self.to, self.paths.join(", "))
    }
}

/// One output of the template.
#[derive(Debug, Clone)]
pub struct OutputBlock<'a> {
    name: String,
    body: &'a Value,
    addresses: &'a BTreeSet<String>,
}

impl<'a> OutputBlock<'a> {
    /// The value as synthesised: a `${…}` string for an expression.
    pub fn value(&self) -> &'a Value {
        &self.body["value"]
    }

    /// The expression, when the value is one whole interpolation: `aws_s3_bucket.logs.arn`
    /// for `"${aws_s3_bucket.logs.arn}"`.
    pub fn expression(&self) -> Option<&'a str> {
        let text = self.value().as_str()?;
        let inner = text.strip_prefix("${")?.strip_suffix('}')?;
        (interpolations(text) == [inner]).then_some(inner)
    }

    /// The addresses the value refers to.
    pub fn references(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect_strings(self.value(), &mut |s| {
            for e in interpolations(s) {
                for a in addresses_in(e, self.addresses) {
                    if !found.contains(&a) {
                        found.push(a);
                    }
                }
            }
        });
        found
    }

    /// Whether the output is marked sensitive.
    pub fn is_sensitive(&self) -> bool {
        self.body["sensitive"].as_bool() == Some(true)
    }

    /// Its description, if any.
    pub fn description(&self) -> Option<&'a str> {
        self.body["description"].as_str()
    }

    /// Asserts that the value matches `pattern`.
    ///
    /// ```
    /// use oxiform_testing::{Match, Template};
    ///
    /// let t = Template::from_json(r#"{"output": {"url": {"value": "https://${aws_lb.web.dns_name}/"}}}"#).unwrap();
    /// assert!(t.output("url").unwrap().value_matches(Match::string_containing("aws_lb.web")).is_ok());
    /// let err = t.output("url").unwrap().value_matches("https://example.com/").unwrap_err();
    /// assert!(err.to_string().contains(r#"(root): expected "https://example.com/", found "https://${aws_lb.web.dns_name}/""#));
    /// ```
    #[track_caller]
    pub fn value_matches(&self, pattern: impl Into<Match>) -> Result<(), AssertionError> {
        let pattern = pattern.into();
        let differences = pattern.differences(self.value());
        if differences.is_empty() {
            return Ok(());
        }
        Err(AssertionError::new(
            AssertionKind::Mismatch,
            CallSite::caller(),
            format!("output `{}` does not match the pattern", self.name),
        )
        .line(format!("value: {}", compact(self.value())))
        .lines(differences.iter().map(|d| format!("  {d}"))))
    }
}

fn collect_strings(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, f)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, f)),
        _ => {}
    }
}

/// What names one resource of a template: a [`Handle`], a [`NodeRef`], an [`Address`] (see
/// [`address`]), or a [`ResourceBlock`] read from it.
pub trait Addressed {
    /// The Terraform address, `type.name` or `data.type.name`.
    fn address(&self) -> String;
}

impl<R: Resource> Addressed for Handle<R> {
    fn address(&self) -> String {
        Handle::address(self).to_string()
    }
}

impl Addressed for NodeRef {
    fn address(&self) -> String {
        NodeRef::address(self).to_string()
    }
}

impl<S: Display> Addressed for Address<S> {
    fn address(&self) -> String {
        self.to_string()
    }
}

impl Addressed for ResourceBlock<'_> {
    fn address(&self) -> String {
        self.address.clone()
    }
}

/// The address of the resource of type `R` named `name`, for a stack whose handles the test
/// does not hold (one built by a function that returns only the `Stack`).
///
/// ```
/// use oxiform_aws::sagemaker::SagemakerEndpoint;
/// use oxiform_testing::address;
///
/// assert_eq!(address::<SagemakerEndpoint>("large").to_string(), "aws_sagemaker_endpoint.large");
/// ```
pub fn address<R: Resource>(name: &str) -> Address<&str> {
    Address::new(R::KIND, R::TYPE, name)
}
