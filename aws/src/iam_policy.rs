//! Typed IAM policy documents.
//!
//! A [`PolicyDocument`] is a list of [`Statement`]s built with plain Rust calls; resources,
//! principals and condition values may be literals or expressions (an endpoint's ARN), and
//! [`PolicyDocument::to_value`] writes the JSON string Terraform expects (through
//! [`json_template`](oxiform_core::json_template), so references stay references and become graph
//! edges). [`PolicyDocument::is_least_privilege`] rejects `*` actions on `*` resources.
//!
//! Lists with one element are written as a plain string and longer lists as arrays, as the
//! AWS provider's `aws_iam_policy_document` does.
//!
//! ```
//! use oxiform_aws::iam_policy::{actions, PolicyDocument, Statement};
//! use oxiform_core::{Expr, Value};
//!
//! let endpoint_arn: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.arn");
//! let policy = PolicyDocument::new().statement(
//!     Statement::allow([actions::sagemaker::INVOKE_ENDPOINT]).resource(endpoint_arn),
//! );
//! assert!(policy.is_least_privilege().is_ok());
//! let Value::Expr(json) = policy.to_value() else { unreachable!() };
//! assert_eq!(
//!     json.to_json_string(),
//!     r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:InvokeEndpoint","Resource":${jsonencode(aws_sagemaker_endpoint.large.arn)}}]}"#
//! );
//!
//! let trust = PolicyDocument::assume_role("lambda.amazonaws.com");
//! assert_eq!(
//!     trust.to_value(),
//!     Value::Literal(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into())
//! );
//! ```

use indexmap::IndexMap;
use schemars::JsonSchema;

use oxiform_core::diagnostic::Diagnostic;
use oxiform_core::json_template::JsonTemplate;
use oxiform_core::value::Value;

/// The current (and only useful) policy language version.
pub const VERSION: &str = "2012-10-17";

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, JsonSchema)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

impl Effect {
    /// The policy-language spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Who a statement of a trust or resource policy applies to.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub enum Principal {
    /// Anyone (`"Principal": "*"`); allowed only with a condition by the least-privilege check.
    Any,
    /// An AWS service, e.g. `lambda.amazonaws.com`.
    Service(String),
    /// An AWS account, role or user ARN (or account id); literal or expression.
    Aws(#[schemars(with = "String")] Value<String>),
    /// A web-identity or SAML provider.
    Federated(String),
}

impl Principal {
    /// An AWS service principal, e.g. `Principal::service("states.amazonaws.com")`.
    pub fn service(name: impl Into<String>) -> Self {
        Principal::Service(name.into())
    }

    /// An AWS principal: an account, role or user ARN, literal or expression.
    pub fn aws(arn: impl Into<Value<String>>) -> Self {
        Principal::Aws(arn.into())
    }

    /// The key of the `Principal` object this principal goes under.
    fn key(&self) -> &'static str {
        match self {
            Principal::Any | Principal::Aws(_) => "AWS",
            Principal::Service(_) => "Service",
            Principal::Federated(_) => "Federated",
        }
    }

    fn json(&self) -> JsonTemplate {
        match self {
            Principal::Any => JsonTemplate::from("*"),
            Principal::Service(s) | Principal::Federated(s) => JsonTemplate::from(s.as_str()),
            Principal::Aws(v) => v.into(),
        }
    }
}

/// Condition values by condition key, by operator (`StringEquals` → `aws:SourceAccount` →
/// values), in insertion order.
pub type Conditions = IndexMap<String, IndexMap<String, Vec<Value<String>>>>;

/// One statement of a policy.
#[must_use]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct Statement {
    /// Optional statement id (letters and digits).
    #[schemars(rename = "Sid")]
    pub sid: Option<String>,
    /// Allow or deny.
    #[schemars(rename = "Effect")]
    pub effect: Effect,
    /// Actions, e.g. `sagemaker:InvokeEndpoint`.
    #[schemars(rename = "Action")]
    pub actions: Vec<String>,
    /// Every action except these (rarely what you want with `Allow`).
    #[schemars(rename = "NotAction")]
    pub not_actions: Vec<String>,
    /// Resource ARNs, literal or expression; `*` means every resource.
    #[schemars(rename = "Resource", with = "Vec<String>")]
    pub resources: Vec<Value<String>>,
    /// Every resource except these.
    #[schemars(rename = "NotResource", with = "Vec<String>")]
    pub not_resources: Vec<Value<String>>,
    /// Principals (trust and resource policies only).
    #[schemars(rename = "Principal")]
    pub principals: Vec<Principal>,
    /// Conditions: operator → key → values.
    #[schemars(
        rename = "Condition",
        with = "IndexMap<String, IndexMap<String, Vec<String>>>"
    )]
    pub conditions: Conditions,
}

impl Statement {
    /// A statement with `effect` and nothing else yet.
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            actions: Vec::new(),
            not_actions: Vec::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            principals: Vec::new(),
            conditions: IndexMap::new(),
        }
    }

    /// Allows `actions` (add resources with [`Statement::resource`]).
    pub fn allow<A: Into<String>>(actions: impl IntoIterator<Item = A>) -> Self {
        Statement::new(Effect::Allow).actions(actions)
    }

    /// Denies `actions`.
    pub fn deny<A: Into<String>>(actions: impl IntoIterator<Item = A>) -> Self {
        Statement::new(Effect::Deny).actions(actions)
    }

    /// Sets the statement id.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds one action.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        self.actions.push(action.into());
        self
    }

    /// Adds actions.
    pub fn actions<A: Into<String>>(mut self, actions: impl IntoIterator<Item = A>) -> Self {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }

    /// Adds one `NotAction` entry.
    pub fn not_action(mut self, action: impl Into<String>) -> Self {
        self.not_actions.push(action.into());
        self
    }

    /// Adds one resource: a literal ARN or an expression such as `endpoint.arn()`.
    pub fn resource(mut self, resource: impl Into<Value<String>>) -> Self {
        self.resources.push(resource.into());
        self
    }

    /// Adds resources.
    pub fn resources<R: Into<Value<String>>>(
        mut self,
        resources: impl IntoIterator<Item = R>,
    ) -> Self {
        self.resources.extend(resources.into_iter().map(Into::into));
        self
    }

    /// Adds one `NotResource` entry.
    pub fn not_resource(mut self, resource: impl Into<Value<String>>) -> Self {
        self.not_resources.push(resource.into());
        self
    }

    /// Adds a principal (trust and resource policies).
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principals.push(principal);
        self
    }

    /// Adds a condition, e.g. `.condition("ArnLike", "aws:SourceArn", [schedule.arn()])`;
    /// values for the same operator and key accumulate.
    pub fn condition<V: Into<Value<String>>>(
        mut self,
        operator: &str,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.conditions
            .entry(operator.to_owned())
            .or_default()
            .entry(key.to_owned())
            .or_default()
            .extend(values.into_iter().map(Into::into));
        self
    }

    /// The statement as JSON: `Sid`, `Effect`, `Principal`, `Action`, `NotAction`,
    /// `Resource`, `NotResource`, `Condition`, each only when present.
    pub fn to_json_template(&self) -> JsonTemplate {
        let mut entries: Vec<(String, JsonTemplate)> = Vec::new();
        if let Some(sid) = &self.sid {
            entries.push(("Sid".into(), sid.into()));
        }
        entries.push(("Effect".into(), self.effect.as_str().into()));
        if !self.principals.is_empty() {
            entries.push(("Principal".into(), principals_json(&self.principals)));
        }
        if !self.actions.is_empty() {
            entries.push(("Action".into(), one_or_many(&self.actions)));
        }
        if !self.not_actions.is_empty() {
            entries.push(("NotAction".into(), one_or_many(&self.not_actions)));
        }
        if !self.resources.is_empty() {
            entries.push(("Resource".into(), one_or_many(&self.resources)));
        }
        if !self.not_resources.is_empty() {
            entries.push(("NotResource".into(), one_or_many(&self.not_resources)));
        }
        if !self.conditions.is_empty() {
            let operators = self
                .conditions
                .iter()
                .map(|(op, keys)| {
                    let keys = keys
                        .iter()
                        .map(|(key, values)| (key.clone(), one_or_many(values)))
                        .collect::<Vec<_>>();
                    (op.clone(), JsonTemplate::Object(keys))
                })
                .collect();
            entries.push(("Condition".into(), JsonTemplate::Object(operators)));
        }
        JsonTemplate::Object(entries)
    }

    /// How this statement is named in messages: `statement 2 (`Sid`)`.
    fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (`{sid}`)", index + 1),
            None => format!("statement {}", index + 1),
        }
    }

    fn has_literal_star_resource(&self) -> bool {
        self.resources
            .iter()
            .any(|r| matches!(r, Value::Literal(s) if s == "*"))
    }
}

/// One item as a string, several as an array (empty lists are never written).
fn one_or_many<T>(items: &[T]) -> JsonTemplate
where
    for<'a> &'a T: Into<JsonTemplate>,
{
    match items {
        [one] => one.into(),
        many => JsonTemplate::Array(many.iter().map(Into::into).collect()),
    }
}

/// `"*"` for a lone [`Principal::Any`]; otherwise an object grouping principals by kind.
fn principals_json(principals: &[Principal]) -> JsonTemplate {
    if let [Principal::Any] = principals {
        return JsonTemplate::from("*");
    }
    let mut groups: Vec<(&'static str, Vec<JsonTemplate>)> = Vec::new();
    for p in principals {
        let key = p.key();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(p.json()),
            None => groups.push((key, vec![p.json()])),
        }
    }
    JsonTemplate::Object(
        groups
            .into_iter()
            .map(|(key, mut values)| {
                let value = if values.len() == 1 {
                    values.remove(0)
                } else {
                    JsonTemplate::Array(values)
                };
                (key.to_owned(), value)
            })
            .collect(),
    )
}

/// Whether `action` grants every action (`*`) or every action of a service (`s3:*`): the
/// one test of a wildcard action, for typed documents here and for any JSON policy in
/// the policy gate's OXI-IAM-001 (`oxiform-analysis`).
pub fn is_wildcard_action(action: &str) -> bool {
    action == "*" || action.ends_with(":*")
}

/// Whether `action` has the form `service:Action` (wildcards `*` and `?` allowed in the name)
/// or is `*`.
fn is_well_formed_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?' || c == '-' || c == '_')
}

/// A policy document: version and statements.
#[must_use]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct PolicyDocument {
    /// Policy language version, [`VERSION`].
    #[schemars(rename = "Version")]
    pub version: String,
    /// The statements, in order.
    #[schemars(rename = "Statement")]
    pub statements: Vec<Statement>,
}

impl Default for PolicyDocument {
    fn default() -> Self {
        PolicyDocument {
            version: VERSION.to_owned(),
            statements: Vec::new(),
        }
    }
}

impl PolicyDocument {
    /// An empty document of version [`VERSION`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// The trust policy that lets an AWS service (e.g. `lambda.amazonaws.com`) assume a role.
    pub fn assume_role(service: impl Into<String>) -> Self {
        PolicyDocument::new().statement(
            Statement::allow([actions::sts::ASSUME_ROLE]).principal(Principal::service(service)),
        )
    }

    /// The document as a JSON tree.
    pub fn to_json_template(&self) -> JsonTemplate {
        JsonTemplate::object([
            ("Version", JsonTemplate::from(self.version.as_str())),
            (
                "Statement",
                JsonTemplate::Array(
                    self.statements
                        .iter()
                        .map(Statement::to_json_template)
                        .collect(),
                ),
            ),
        ])
    }

    /// The document as the JSON string argument Terraform takes (`policy`,
    /// `assume_role_policy`), with references kept as references.
    pub fn to_value(&self) -> Value<String> {
        self.to_json_template().to_value()
    }

    /// Structural problems IAM would reject or that are certainly mistakes: no statements, a
    /// statement with neither (or both) `Action` and `NotAction`, a malformed action, both
    /// `Resource` and `NotResource`, a non-alphanumeric or repeated `Sid`, a condition
    /// without values.
    ///
    /// Each problem is an error [`Diagnostic`]: the statement it is about as its lead
    /// (`` statement 2 (`A`) ``), what is wrong as its message and how to fix it as its hint.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if self.statements.is_empty() {
            problems.push(
                Diagnostic::error("policy has no statements")
                    .hint("add one with `.statement(Statement::allow([..]))`"),
            );
        }
        let mut sids: Vec<&str> = Vec::new();
        for (i, s) in self.statements.iter().enumerate() {
            let label = s.label(i);
            // `<label>: <message>`, or `<label> <message>` when the message goes on from it.
            let about = |message: String| Diagnostic::error(message).lead(&label);
            let goes_on = |message: &str| about(message.to_owned()).run_on();
            match (s.actions.is_empty(), s.not_actions.is_empty()) {
                (true, true) => problems.push(goes_on("has no action").hint(
                    "name the actions it allows or denies, e.g. `Statement::allow([\"sagemaker:InvokeEndpoint\"])`",
                )),
                (false, false) => {
                    problems.push(goes_on("has both Action and NotAction").hint("keep one of them"))
                }
                _ => {}
            }
            for action in s.actions.iter().chain(&s.not_actions) {
                if !is_well_formed_action(action) {
                    problems.push(
                        about(format!(
                            "action \"{action}\" is not of the form `service:Action`"
                        ))
                        .hint("write e.g. \"sagemaker:InvokeEndpoint\""),
                    );
                }
            }
            if !s.resources.is_empty() && !s.not_resources.is_empty() {
                problems
                    .push(goes_on("has both Resource and NotResource").hint("keep one of them"));
            }
            if let Some(sid) = &s.sid {
                if sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                    problems.push(
                        about(format!("sid \"{sid}\" may contain only letters and digits"))
                            .hint("e.g. \"InvokeEndpoints\""),
                    );
                } else if sids.contains(&sid.as_str()) {
                    problems.push(
                        about(format!("sid \"{sid}\" is used by an earlier statement"))
                            .hint("give each statement its own sid"),
                    );
                } else {
                    sids.push(sid);
                }
            }
            for (op, keys) in &s.conditions {
                for (key, values) in keys {
                    if values.is_empty() {
                        problems.push(
                            about(format!("condition {op} on \"{key}\" has no values"))
                                .hint("give at least one value"),
                        );
                    }
                }
            }
        }
        problems
    }

    /// Every way this document grants more than it should: an `Allow` of all actions (`*`)
    /// or all of a service's actions (`s3:*`) on every resource (`*`), an `Allow` with
    /// `NotAction` on `*`, and an `Allow` to any principal (`*`) without a condition.
    pub fn least_privilege_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, s) in self.statements.iter().enumerate() {
            if s.effect != Effect::Allow {
                continue;
            }
            let label = s.label(i);
            let star = s.has_literal_star_resource();
            if star {
                for action in s.actions.iter().filter(|a| is_wildcard_action(a)) {
                    problems.push(format!("{label} allows \"{action}\" on resource \"*\""));
                }
                if !s.not_actions.is_empty() {
                    problems.push(format!(
                        "{label} allows every action except {} on resource \"*\"",
                        quoted_list(&s.not_actions)
                    ));
                }
            }
            if s.principals.contains(&Principal::Any) && s.conditions.is_empty() {
                problems.push(format!(
                    "{label} allows any principal (\"*\") without a condition"
                ));
            }
        }
        problems
    }

    /// `Ok` when [`least_privilege_problems`](Self::least_privilege_problems) finds nothing;
    /// otherwise one error [`Diagnostic`] whose message names every offending statement,
    /// led by `policy is not least-privilege`, with a hint.
    pub fn is_least_privilege(&self) -> Result<(), Diagnostic> {
        let problems = self.least_privilege_problems();
        if problems.is_empty() {
            return Ok(());
        }
        Err(Diagnostic::error(problems.join("; "))
            .lead("policy is not least-privilege")
            .hint("list the actions the role calls (e.g. \"sagemaker:InvokeEndpoint\") and the ARNs it calls them on, or restrict the principal with a condition"))
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Action names of the services the inference stacks use, so that a typo is a compile
/// error. Plain `&str` actions work everywhere too.
pub mod actions {
    /// Amazon SageMaker AI.
    pub mod sagemaker {
        /// Invoke a real-time endpoint.
        pub const INVOKE_ENDPOINT: &str = "sagemaker:InvokeEndpoint";
        /// Invoke a real-time endpoint with a streamed response.
        pub const INVOKE_ENDPOINT_WITH_RESPONSE_STREAM: &str =
            "sagemaker:InvokeEndpointWithResponseStream";
        /// Invoke an asynchronous endpoint.
        pub const INVOKE_ENDPOINT_ASYNC: &str = "sagemaker:InvokeEndpointAsync";
        /// Start a batch transform job.
        pub const CREATE_TRANSFORM_JOB: &str = "sagemaker:CreateTransformJob";
        /// Read a batch transform job's status.
        pub const DESCRIBE_TRANSFORM_JOB: &str = "sagemaker:DescribeTransformJob";
        /// Stop a batch transform job.
        pub const STOP_TRANSFORM_JOB: &str = "sagemaker:StopTransformJob";
        /// Tag SageMaker resources (needed when a job is created with tags).
        pub const ADD_TAGS: &str = "sagemaker:AddTags";
        /// Read an endpoint's description.
        pub const DESCRIBE_ENDPOINT: &str = "sagemaker:DescribeEndpoint";
        /// Change an endpoint's weights and capacities (Application Auto Scaling).
        pub const UPDATE_ENDPOINT_WEIGHTS_AND_CAPACITIES: &str =
            "sagemaker:UpdateEndpointWeightsAndCapacities";
    }

    /// Amazon Bedrock.
    pub mod bedrock {
        /// Invoke a foundation model (`InvokeModel`, `Converse`).
        pub const INVOKE_MODEL: &str = "bedrock:InvokeModel";
        /// Invoke a foundation model with a streamed response (`InvokeModelWithResponseStream`,
        /// `ConverseStream`).
        pub const INVOKE_MODEL_WITH_RESPONSE_STREAM: &str = "bedrock:InvokeModelWithResponseStream";
    }

    /// Amazon ECR (pulling a container image).
    pub mod ecr {
        /// Get a registry login token (no resource-level permissions: `*`).
        pub const GET_AUTHORIZATION_TOKEN: &str = "ecr:GetAuthorizationToken";
        /// Check which image layers a repository holds.
        pub const BATCH_CHECK_LAYER_AVAILABILITY: &str = "ecr:BatchCheckLayerAvailability";
        /// Read image manifests.
        pub const BATCH_GET_IMAGE: &str = "ecr:BatchGetImage";
        /// Get the download URL of an image layer.
        pub const GET_DOWNLOAD_URL_FOR_LAYER: &str = "ecr:GetDownloadUrlForLayer";
    }

    /// AWS Security Token Service.
    pub mod sts {
        /// Assume a role (trust policies).
        pub const ASSUME_ROLE: &str = "sts:AssumeRole";
    }

    /// AWS Identity and Access Management.
    pub mod iam {
        /// Pass a role to a service (e.g. a transform job's execution role).
        pub const PASS_ROLE: &str = "iam:PassRole";
    }

    /// Amazon CloudWatch Logs.
    pub mod logs {
        /// Create a log group.
        pub const CREATE_LOG_GROUP: &str = "logs:CreateLogGroup";
        /// Create a log stream.
        pub const CREATE_LOG_STREAM: &str = "logs:CreateLogStream";
        /// Write log events.
        pub const PUT_LOG_EVENTS: &str = "logs:PutLogEvents";
    }

    /// Amazon CloudWatch.
    pub mod cloudwatch {
        /// Publish custom metrics (EMF does this through logs instead).
        pub const PUT_METRIC_DATA: &str = "cloudwatch:PutMetricData";
    }

    /// AWS Step Functions.
    pub mod states {
        /// Start a state machine execution (e.g. from EventBridge Scheduler).
        pub const START_EXECUTION: &str = "states:StartExecution";
    }

    /// Amazon EventBridge (rules managed by Step Functions `.sync` integrations).
    pub mod events {
        /// Create or update a rule.
        pub const PUT_RULE: &str = "events:PutRule";
        /// Attach targets to a rule.
        pub const PUT_TARGETS: &str = "events:PutTargets";
        /// Read a rule.
        pub const DESCRIBE_RULE: &str = "events:DescribeRule";
    }

    /// AWS Batch.
    pub mod batch {
        /// Submit a job.
        pub const SUBMIT_JOB: &str = "batch:SubmitJob";
        /// Read jobs' status.
        pub const DESCRIBE_JOBS: &str = "batch:DescribeJobs";
        /// Cancel or terminate a job.
        pub const TERMINATE_JOB: &str = "batch:TerminateJob";
    }

    /// Amazon S3.
    pub mod s3 {
        /// Read an object.
        pub const GET_OBJECT: &str = "s3:GetObject";
        /// Write an object.
        pub const PUT_OBJECT: &str = "s3:PutObject";
        /// List a bucket (resource: the bucket ARN, not `bucket/*`).
        pub const LIST_BUCKET: &str = "s3:ListBucket";
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use oxiform_core::value::Expr;

    fn text(v: &Value<String>) -> String {
        match v {
            Value::Literal(l) => l.clone(),
            Value::Expr(e) => e.to_json_string(),
        }
    }

    #[test]
    fn assume_role_is_a_literal() {
        assert_eq!(
            PolicyDocument::assume_role("states.amazonaws.com").to_value(),
            Value::Literal(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
                    .into()
            )
        );
    }

    #[test]
    fn full_statement_in_canonical_order() {
        let large: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.arn");
        let small: Expr<String> = Expr::raw("aws_sagemaker_endpoint.small.arn");
        let doc = PolicyDocument::new()
            .statement(
                Statement::allow([
                    actions::sagemaker::INVOKE_ENDPOINT,
                    actions::sagemaker::INVOKE_ENDPOINT_WITH_RESPONSE_STREAM,
                ])
                .sid("InvokeEndpoints")
                .resources([large, small]),
            )
            .statement(
                Statement::allow(["bedrock:InvokeModel"])
                    .resource("arn:aws:bedrock:*::foundation-model/anthropic.*")
                    .condition("StringEquals", "aws:RequestedRegion", ["eu-west-1"]),
            );
        assert_eq!(
            text(&doc.to_value()),
            concat!(
                r#"{"Version":"2012-10-17","Statement":["#,
                r#"{"Sid":"InvokeEndpoints","Effect":"Allow","Action":["sagemaker:InvokeEndpoint","sagemaker:InvokeEndpointWithResponseStream"],"#,
                r#""Resource":[${jsonencode(aws_sagemaker_endpoint.large.arn)},${jsonencode(aws_sagemaker_endpoint.small.arn)}]},"#,
                r#"{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"arn:aws:bedrock:*::foundation-model/anthropic.*","#,
                r#""Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}"#
            )
        );
        assert!(doc.validate().is_empty());
        assert!(doc.is_least_privilege().is_ok());
    }

    #[test]
    fn principals_group_by_kind() {
        let role: Expr<String> = Expr::raw("aws_iam_role.router.arn");
        let s = Statement::allow(["sts:AssumeRole"])
            .principal(Principal::service("lambda.amazonaws.com"))
            .principal(Principal::aws(role))
            .principal(Principal::service("scheduler.amazonaws.com"));
        let v = JsonTemplate::Array(vec![s.to_json_template()]).to_value();
        assert_eq!(
            text(&v),
            r#"[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","scheduler.amazonaws.com"],"AWS":${jsonencode(aws_iam_role.router.arn)}},"Action":"sts:AssumeRole"}]"#
        );
        let any = Statement::allow(["s3:GetObject"])
            .principal(Principal::Any)
            .resource("arn:aws:s3:::b/*")
            .not_action("s3:DeleteObject");
        assert_eq!(
            any.to_json_template().literal_text().unwrap(),
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}"#
        );
    }

    #[test]
    fn least_privilege_flags_wildcards_on_star() {
        let doc = PolicyDocument::new()
            .statement(Statement::allow(["*"]).sid("Admin").resource("*"))
            .statement(Statement::allow(["s3:*", "s3:GetObject"]).resource("*"))
            // Not flagged: a service wildcard on a named resource, a deny, a narrow action.
            .statement(Statement::allow(["s3:*"]).resource("arn:aws:s3:::bucket/*"))
            .statement(Statement::deny(["*"]).resource("*"))
            .statement(Statement::allow(["logs:PutLogEvents"]).resource("*"));
        let Err(err) = doc.is_least_privilege() else {
            panic!("`*` on `*` is not least-privilege");
        };
        assert_eq!(err.get_lead(), Some("policy is not least-privilege"));
        assert_eq!(
            err.get_message(),
            "statement 1 (`Admin`) allows \"*\" on resource \"*\"; statement 2 allows \"s3:*\" on resource \"*\""
        );
        assert!(err
            .get_hint()
            .is_some_and(|h| h.starts_with("list the actions the role calls")));
        assert_eq!(
            err.to_string(),
            "policy is not least-privilege: statement 1 (`Admin`) allows \"*\" on resource \"*\"; statement 2 allows \"s3:*\" on resource \"*\"\n  hint: list the actions the role calls (e.g. \"sagemaker:InvokeEndpoint\") and the ARNs it calls them on, or restrict the principal with a condition"
        );
    }

    #[test]
    fn least_privilege_flags_not_action_and_open_principal() {
        let doc = PolicyDocument::new()
            .statement(
                Statement::new(Effect::Allow)
                    .not_action("iam:*")
                    .resource("*"),
            )
            .statement(Statement::allow(["sts:AssumeRole"]).principal(Principal::Any))
            .statement(
                Statement::allow(["sts:AssumeRole"])
                    .principal(Principal::Any)
                    .condition("StringEquals", "aws:PrincipalOrgID", ["o-123"]),
            );
        assert_eq!(
            doc.least_privilege_problems(),
            vec![
                "statement 1 allows every action except \"iam:*\" on resource \"*\"".to_owned(),
                "statement 2 allows any principal (\"*\") without a condition".to_owned(),
            ]
        );
        assert!(PolicyDocument::assume_role("lambda.amazonaws.com")
            .is_least_privilege()
            .is_ok());
    }

    #[test]
    fn validate_reports_structural_problems() {
        let doc = PolicyDocument::new()
            .statement(Statement::new(Effect::Allow).sid("bad-sid").resource("*"))
            .statement(
                Statement::allow(["InvokeEndpoint"])
                    .not_action("s3:*")
                    .sid("A"),
            )
            .statement(
                Statement::allow(["s3:GetObject"])
                    .sid("A")
                    .resource("arn:aws:s3:::b/*")
                    .not_resource("arn:aws:s3:::b/secret")
                    .condition::<&str>("StringEquals", "aws:SourceAccount", []),
            );
        let problems = doc.validate();
        // The parts are data: the statement, what is wrong, the fix.
        assert_eq!(problems[1].get_lead(), Some("statement 1 (`bad-sid`)"));
        assert_eq!(
            problems[1].get_message(),
            "sid \"bad-sid\" may contain only letters and digits"
        );
        assert_eq!(problems[1].get_hint(), Some("e.g. \"InvokeEndpoints\""));
        assert_eq!(problems[2].get_message(), "has both Action and NotAction");
        assert_eq!(problems[2].get_hint(), Some("keep one of them"));
        assert!(problems
            .iter()
            .all(|p| p.get_severity() == oxiform_core::diagnostic::Severity::Error));
        // The text each renders is the one written before diagnostics were data.
        assert_eq!(
            problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            vec![
                "statement 1 (`bad-sid`) has no action\n  hint: name the actions it allows or denies, e.g. `Statement::allow([\"sagemaker:InvokeEndpoint\"])`",
                "statement 1 (`bad-sid`): sid \"bad-sid\" may contain only letters and digits\n  hint: e.g. \"InvokeEndpoints\"",
                "statement 2 (`A`) has both Action and NotAction\n  hint: keep one of them",
                "statement 2 (`A`): action \"InvokeEndpoint\" is not of the form `service:Action`\n  hint: write e.g. \"sagemaker:InvokeEndpoint\"",
                "statement 3 (`A`) has both Resource and NotResource\n  hint: keep one of them",
                "statement 3 (`A`): sid \"A\" is used by an earlier statement\n  hint: give each statement its own sid",
                "statement 3 (`A`): condition StringEquals on \"aws:SourceAccount\" has no values\n  hint: give at least one value",
            ]
        );
        let empty = PolicyDocument::new().validate();
        assert_eq!(empty[0].get_message(), "policy has no statements");
        assert_eq!(
            empty
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>(),
            vec!["policy has no statements\n  hint: add one with `.statement(Statement::allow([..]))`"]
        );
    }

    #[test]
    fn literal_template_syntax_in_resources_is_escaped() {
        let doc = PolicyDocument::new().statement(
            Statement::allow(["s3:GetObject"]).resource("arn:aws:s3:::b/${aws:username}/*"),
        );
        let json = serde_json::to_string(&doc.to_value()).unwrap();
        assert!(json.contains(r#"b/$${aws:username}/*"#), "{json}");
    }

    #[test]
    fn schema_is_derivable() {
        let schema = schemars::schema_for!(PolicyDocument);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains("\"Statement\""), "{text}");
        assert!(text.contains("\"Resource\""), "{text}");
    }
}
