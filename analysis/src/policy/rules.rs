//! The rules.

use serde_json::Value;

use super::catalogue::{finding, Finding};
use super::set::{PolicySet, RuleId};
use crate::cost::document::{
    blocks, boolean, has_interpolation, is_placeholder, json_with_holes, number, references,
    tag_map, text, Known, ProviderConfig, ResourceRef, Text, TfDocument,
};
use crate::types;
use oxiform_aws::appautoscaling::{
    AppautoscalingPolicy, AppautoscalingScheduledAction, AppautoscalingTarget,
};
use oxiform_aws::cloudwatch::CloudwatchDashboard;
use oxiform_aws::dashboard::known_metric;
use oxiform_aws::elasticache::ElasticacheReplicationGroup;
use oxiform_aws::facts::SENSITIVE_ARGUMENTS;
use oxiform_aws::iam::{IamRole, IamRolePolicy};
use oxiform_aws::iam_policy::is_wildcard_action;
use oxiform_aws::lambda::LambdaFunction;
use oxiform_core::{Resource, ResourceKind};
use std::borrow::Cow;

/// AWS resource types that take `tags` (and so the provider's `default_tags`): every managed
/// resource type whose schema has a `tags` argument, generated from the pinned schema. A
/// resource of another type is checked when its body sets `tags`.
pub use oxiform_aws::facts::TAGGABLE_TYPES;

/// Runs every rule; the caller keeps the findings of the rules `set` runs. Only the tag rule,
/// which needs the set's keys, is skipped here when off.
pub(super) fn run(doc: &TfDocument, set: &PolicySet) -> Vec<Finding> {
    let mut out = Vec::new();
    // Read once: every taggable resource needs its provider's default tags.
    let providers = doc.aws_providers();
    let tags = set.runs(RuleId::RequiredTags);
    for r in doc.resources() {
        cache_encryption(&r, &mut out);
        if tags {
            required_tags(&providers, &r, set.required_tags(), &mut out);
        }
        scaling(doc, &r, &mut out);
        lambda_secrets(&r, &mut out);
        iam(&r, &mut out);
        dashboard(&r, &mut out);
    }
    for d in doc.data_sources() {
        if d.type_name == types::DATA_IAM_POLICY_DOCUMENT {
            policy_document_data(&d, &mut out);
        }
    }
    for r in doc
        .resources()
        .into_iter()
        .chain(doc.data_sources())
        .chain(doc.ephemeral_resources())
    {
        sensitive_literals(&r, &mut out);
    }
    output_secrets(doc, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// OXI-CACHE-001, OXI-CACHE-002

fn cache_encryption(r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    match r.type_name {
        ElasticacheReplicationGroup::TYPE => {
            let address = r.address();
            for (rule, key, what, fix) in [
                (
                    "OXI-CACHE-001",
                    "at_rest_encryption_enabled",
                    "at-rest encryption",
                    "set `at_rest_encryption_enabled = true` (AWS applies it only when the group is created: terraform replaces the group)",
                ),
                (
                    "OXI-CACHE-002",
                    "transit_encryption_enabled",
                    "in-transit encryption",
                    "set `transit_encryption_enabled = true` and have clients connect with TLS (rediss://)",
                ),
            ] {
                if let Some(problem) = off(r.boolean(key), key) {
                    out.push(finding(rule, &address, format!("{what} is off: {problem}"), fix.to_owned()));
                }
            }
        }
        types::ELASTICACHE_CLUSTER if r.get("replication_group_id").is_none() => {
            let address = r.address();
            let engine = r.text("engine").literal().unwrap_or("redis").to_owned();
            if engine != "memcached" {
                out.push(finding(
                    "OXI-CACHE-001",
                    &address,
                    format!("a standalone {engine} cluster cannot encrypt at rest"),
                    "use an aws_elasticache_replication_group (one node is fine) with `at_rest_encryption_enabled = true`".to_owned(),
                ));
            }
            if let Some(problem) = off(
                r.boolean("transit_encryption_enabled"),
                "transit_encryption_enabled",
            ) {
                out.push(finding(
                    "OXI-CACHE-002",
                    &address,
                    format!("in-transit encryption is off: {problem}"),
                    "set `transit_encryption_enabled = true` and have clients connect with TLS"
                        .to_owned(),
                ));
            }
        }
        _ => {}
    }
}

/// Why an encryption flag is off, if it is (an expression is not judged).
fn off(v: Known<bool>, key: &str) -> Option<String> {
    match v {
        Known::Value(true) | Known::Expr(_) => None,
        Known::Value(false) => Some(format!("`{key}` is false")),
        Known::Absent => Some(format!("`{key}` is not set (the default is false)")),
        Known::Invalid(s) => Some(format!("`{key}` is {s}, not true")),
    }
}

// ---------------------------------------------------------------------------------------------
// OXI-TAG-001

fn required_tags(
    providers: &[ProviderConfig],
    r: &ResourceRef<'_>,
    required: &[String],
    out: &mut Vec<Finding>,
) {
    if required.is_empty() {
        return;
    }
    let taggable = TAGGABLE_TYPES.binary_search(&r.type_name).is_ok()
        || (r.type_name.starts_with(types::AWS_PREFIX) && r.get("tags").is_some());
    if !taggable {
        return;
    }
    let defaults = match r.provider_in(providers).map(|p| &p.default_tags) {
        Some(Known::Value(defaults)) => Some(defaults),
        Some(Known::Expr(_)) | Some(Known::Invalid(_)) => return,
        _ => None,
    };
    let own = match tag_map(r.get("tags")) {
        Known::Value(own) => Some(own),
        Known::Absent => None,
        // Known only after apply: cannot judge.
        Known::Expr(_) | Known::Invalid(_) => return,
    };
    // The resource's own tags win over the provider's defaults, as in AWS.
    let tag = |k: &str| {
        own.as_ref()
            .and_then(|m| m.get(k))
            .or_else(|| defaults.and_then(|m| m.get(k)))
    };
    let missing: Vec<&str> = required
        .iter()
        .filter(|k| match tag(k.as_str()) {
            None | Some(Known::Absent) => true,
            Some(Known::Value(v)) => v.trim().is_empty(),
            Some(_) => false,
        })
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let provider = match r.provider() {
        Some(p) => format!("provider {p}"),
        None => "the AWS provider".to_owned(),
    };
    out.push(finding(
        "OXI-TAG-001",
        &r.address(),
        format!(
            "missing required tag{} {list}: not on the resource and not in the default_tags of {provider}",
            if missing.len() == 1 { "" } else { "s" }
        ),
        format!(
            "add {list} to the provider's default_tags (`AwsProvider::default_tag`) so every resource gets {them}, or to this resource's tags; the policy set this is checked with requires {them} (`PolicySet::require_tags`)",
            them = if missing.len() == 1 { "it" } else { "them" }
        ),
    ));
}

// ---------------------------------------------------------------------------------------------
// OXI-SCALE-001, OXI-SCALE-002, OXI-SCALE-003

fn capacity(v: Option<&Value>) -> Option<f64> {
    number(v).value().copied()
}

fn scaling(doc: &TfDocument, r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    if !r.type_name.starts_with(types::APPAUTOSCALING_PREFIX) {
        return;
    }
    let address = r.address();
    match r.type_name {
        AppautoscalingTarget::TYPE => {
            if let (Some(min), Some(max)) = (
                capacity(r.get("min_capacity")),
                capacity(r.get("max_capacity")),
            ) {
                if min > max {
                    out.push(finding(
                        "OXI-SCALE-001",
                        &address,
                        format!("min_capacity {min} is above max_capacity {max}"),
                        "set min_capacity ≤ max_capacity; Application Auto Scaling rejects the target otherwise".to_owned(),
                    ));
                }
            }
        }
        AppautoscalingScheduledAction::TYPE => {
            let Some(action) = blocks(r.get("scalable_target_action")).first().copied() else {
                return;
            };
            let (amin, amax) = (
                capacity(action.get("min_capacity")),
                capacity(action.get("max_capacity")),
            );
            if let (Some(min), Some(max)) = (amin, amax) {
                if min > max {
                    out.push(finding(
                        "OXI-SCALE-002",
                        &address,
                        format!("scalable_target_action sets min_capacity {min} above max_capacity {max}"),
                        "set min_capacity ≤ max_capacity in scalable_target_action".to_owned(),
                    ));
                    return;
                }
            }
            let id = r.get("resource_id").and_then(Value::as_str).unwrap_or("");
            let target = references(id, AppautoscalingTarget::TYPE)
                .first()
                .and_then(|name| doc.get(AppautoscalingTarget::TYPE, name))
                .or_else(|| {
                    doc.of_type(AppautoscalingTarget::TYPE)
                        .into_iter()
                        .find(|t| {
                            !id.is_empty()
                                && t.get("resource_id").and_then(Value::as_str) == Some(id)
                        })
                });
            let Some(target) = target else {
                return;
            };
            let (tmin, tmax) = (
                capacity(target.get("min_capacity")),
                capacity(target.get("max_capacity")),
            );
            let sagemaker = text(target.get("service_namespace")).literal() == Some("sagemaker");
            let mut problems = Vec::new();
            if let (Some(a), Some(t)) = (amin, tmin) {
                if a < t {
                    problems.push(format!(
                        "min_capacity {a} is below the target's min_capacity {t}"
                    ));
                }
            }
            if let (Some(a), Some(t)) = (amax, tmax) {
                if a > t {
                    problems.push(format!(
                        "max_capacity {a} is above the target's max_capacity {t}"
                    ));
                }
            }
            if problems.is_empty() {
                return;
            }
            let mut fix = format!(
                "keep scheduled capacities within {}'s min_capacity..max_capacity ({}..{}), or widen the target",
                target.address(),
                tmin.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
                tmax.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
            );
            if sagemaker && amin == Some(0.0) {
                fix.push_str("; a SageMaker production variant cannot scale below 1 instance (only inference components scale to zero)");
            }
            out.push(finding(
                "OXI-SCALE-002",
                &address,
                format!(
                    "scalable_target_action is outside {}: {}",
                    target.address(),
                    problems.join("; ")
                ),
                fix,
            ));
        }
        AppautoscalingPolicy::TYPE => {
            let Some(config) = blocks(r.get("target_tracking_scaling_policy_configuration"))
                .first()
                .copied()
            else {
                return;
            };
            let (scale_in, scale_out) = (
                capacity(config.get("scale_in_cooldown")),
                capacity(config.get("scale_out_cooldown")),
            );
            if let (Some(i), Some(o)) = (scale_in, scale_out) {
                if i < o {
                    out.push(finding(
                        "OXI-SCALE-003",
                        &address,
                        format!("scale_in_cooldown {i} s is shorter than scale_out_cooldown {o} s: capacity is removed faster than it is added, so it flaps under bursty load"),
                        format!("set scale_in_cooldown ≥ {o} (e.g. 600 s in, 120 s out)"),
                    ));
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// OXI-SECRET-001, OXI-SECRET-002

/// Splits a name into upper-case words: `dbPassword` and `DB_PASSWORD` → `DB`, `PASSWORD`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a name says it holds a secret (`DB_PASSWORD`, `apiKey`, `AUTH_TOKEN`; not
/// `MAX_TOKENS`).
pub(crate) fn secret_name(name: &str) -> bool {
    let w = words(name);
    let single = [
        "PASSWORD",
        "PASSWD",
        "PWD",
        "SECRET",
        "TOKEN",
        "APIKEY",
        "PASSPHRASE",
        "CREDENTIAL",
        "CREDENTIALS",
        "PRIVATEKEY",
        "ACCESSKEY",
        "SECRETKEY",
        "AUTHTOKEN",
    ];
    let pairs = [
        ("API", "KEY"),
        ("ACCESS", "KEY"),
        ("PRIVATE", "KEY"),
        ("SECRET", "KEY"),
    ];
    // `DB_PASSWORD_SECRET_ARN`, `TOKEN_URL`, `SECRET_NAME`: a reference to a secret, or a
    // setting about one, not the secret.
    let about = [
        "ARN",
        "ID",
        "NAME",
        "PATH",
        "URL",
        "URI",
        "ENDPOINT",
        "TTL",
        "SECONDS",
        "LENGTH",
        "LIMIT",
        "COUNT",
        "HEADER",
        "FILE",
        "PARAM",
        "PARAMETER",
        "VERSION",
    ];
    if w.last().is_some_and(|last| about.contains(&last.as_str())) {
        return false;
    }
    w.iter().any(|x| single.contains(&x.as_str()))
        || w.windows(2)
            .any(|p| pairs.contains(&(p[0].as_str(), p[1].as_str())))
}

/// What kind of credential `value` looks like, if any.
pub(crate) fn secret_pattern(value: &str) -> Option<&'static str> {
    let b = value.as_bytes();
    let key_id = (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && !matches!(b.get(i + 20), Some(c) if c.is_ascii_alphanumeric())
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
    });
    if key_id {
        return Some("an AWS access key id");
    }
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    let token_after = |prefix: &str, min: usize| {
        value.match_indices(prefix).any(|(i, _)| {
            (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && value[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .count()
                    >= min
        })
    };
    for (prefix, what) in [
        ("ghp_", "a GitHub token"),
        ("gho_", "a GitHub token"),
        ("ghs_", "a GitHub token"),
        ("github_pat_", "a GitHub token"),
        ("xoxb-", "a Slack token"),
        ("xoxp-", "a Slack token"),
        ("sk-", "an API secret key"),
    ] {
        if token_after(prefix, 20) {
            return Some(what);
        }
    }
    if let Some(scheme_end) = value.find("://") {
        let rest = &value[scheme_end + 3..];
        let authority = rest.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if let Some((_, password)) = userinfo.split_once(':') {
                if !password.is_empty() && !has_interpolation(password) {
                    return Some("a URL with a password");
                }
            }
        }
    }
    let jwt = value.split('.').collect::<Vec<_>>();
    if jwt.len() == 3
        && jwt[0].starts_with("eyJ")
        && jwt[1].starts_with("eyJ")
        && jwt[2].len() >= 10
    {
        return Some("a JSON Web Token");
    }
    None
}

/// Whether a literal value under a secret-like name is a real value (not a reference to a
/// secret store, a number, a flag or empty).
fn substantive(value: &str) -> bool {
    let v = value.trim();
    !(v.is_empty()
        || v.starts_with("arn:")
        || v.starts_with('/')
        || v.starts_with("{{resolve:")
        || v.parse::<f64>().is_ok()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "none" | "null" | "enabled" | "disabled"
        ))
}

/// Whether an expression is a reference to something rather than a value: `….arn`,
/// `….id`, `….name`.
fn reference_attribute(expr: &str) -> bool {
    let inner = expr.trim().trim_start_matches("${").trim_end_matches('}');
    [".arn", ".id", ".name", ".key_id", ".version_id"]
        .iter()
        .any(|suffix| inner.ends_with(suffix))
}

/// Whether an expression reads a secret's value.
fn secret_expression(expr: &str) -> Option<&'static str> {
    if reference_attribute(expr) {
        return None;
    }
    if expr.contains(".secret_string") || expr.contains(".secret_binary") {
        Some("a Secrets Manager secret's value")
    } else if expr.contains("random_password.") {
        Some("a generated password")
    } else if references(expr, types::IAM_ACCESS_KEY)
        .iter()
        .any(|_| expr.contains(".secret"))
    {
        Some("an IAM access key's secret")
    } else if expr.contains(&format!("{}.", types::SSM_PARAMETER)) && expr.contains(".value") {
        Some("an SSM parameter's value")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// OXI-SECRET-003

/// The sensitive argument paths of a type (`password`, `auth.token`), from the table
/// generated from the provider schema. The table is sorted by type.
fn sensitive_paths(kind: ResourceKind, type_name: &str) -> &'static [(&'static str, &'static str)] {
    let key = match kind {
        ResourceKind::Managed => Cow::Borrowed(type_name),
        other => Cow::Owned(format!("{}{type_name}", other.address_prefix())),
    };
    let rows = SENSITIVE_ARGUMENTS;
    let start = rows.partition_point(|(t, _)| *t < key.as_ref());
    let end = start + rows[start..].partition_point(|(t, _)| *t == key.as_ref());
    &rows[start..end]
}

/// Every value at `path` (dotted, through nested blocks, each an object or a list of them)
/// below `body`, with the path to it as the message names it (`auth[0].token`).
fn values_at<'a>(body: &'a Value, path: &str, shown: String, out: &mut Vec<(String, &'a Value)>) {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let Some(value) = body.get(head) else {
        return;
    };
    let here = if shown.is_empty() {
        head.to_owned()
    } else {
        format!("{shown}.{head}")
    };
    match rest {
        None => out.push((here, value)),
        Some(rest) => match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    values_at(item, rest, format!("{here}[{i}]"), out);
                }
            }
            block => values_at(block, rest, here, out),
        },
    }
}

fn sensitive_literals(r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    let paths = sensitive_paths(r.kind, r.type_name);
    if paths.is_empty() {
        return;
    }
    let address = r.address();
    for (_, path) in paths {
        let mut found = Vec::new();
        values_at(r.body, path, String::new(), &mut found);
        for (shown, value) in found {
            let literal = match text(Some(value)) {
                Text::Literal(v) => v.into_owned(),
                Text::Other(Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            out.push(finding(
                "OXI-SECRET-003",
                &address,
                format!(
                    "sensitive argument `{shown}` is a plain literal ({:?}): the secret is written into the .tf.json, and so into git and every plan",
                    redact(&literal)
                ),
                "pass it from a sensitive variable (`Variable::sensitive`), an ephemeral resource or a data source (Secrets Manager, SSM Parameter Store); if the literal is meant (a test value), waive this finding with a reason".to_owned(),
            ));
        }
    }
}

/// Shortens a secret for messages: its first four characters.
fn redact(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}…")
}

fn lambda_secrets(r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    if r.type_name != LambdaFunction::TYPE {
        return;
    }
    let Some(env) = r.blocks("environment").first().copied() else {
        return;
    };
    let Some(vars) = env.get("variables").and_then(Value::as_object) else {
        return;
    };
    let fix = "keep the secret in Secrets Manager or SSM Parameter Store, pass its ARN or name in the variable, and read it at run time (the function's role needs secretsmanager:GetSecretValue on it)";
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    for name in names {
        let problem = match text(vars.get(name)) {
            Text::Literal(v) => match secret_pattern(&v) {
                Some(kind) => Some(format!("environment variable `{name}` holds {kind} ({:?})", redact(&v))),
                None if secret_name(name) && substantive(&v) => Some(format!(
                    "environment variable `{name}` holds a literal secret ({:?}): it is stored in plain text in the function's configuration and in state",
                    redact(&v)
                )),
                None => None,
            },
            Text::Expr(e) => match secret_expression(e) {
                Some(kind) => Some(format!(
                    "environment variable `{name}` is set to {kind} ({e}): the value is stored in plain text in the function's configuration"
                )),
                None if secret_name(name) && e.contains("var.") && !reference_attribute(e) => Some(format!(
                    "environment variable `{name}` is set from {e}: a secret passed in a variable is stored in plain text in the function's configuration"
                )),
                None => None,
            },
            _ => None,
        };
        if let Some(message) = problem {
            out.push(finding(
                "OXI-SECRET-001",
                &r.address(),
                message,
                fix.to_owned(),
            ));
        }
    }
}

fn output_secrets(doc: &TfDocument, out: &mut Vec<Finding>) {
    for (name, body) in doc.outputs() {
        let address = format!("output.{name}");
        let sensitive = boolean(body.get("sensitive"))
            .value()
            .copied()
            .unwrap_or(false);
        let problem = match text(body.get("value")) {
            Text::Literal(v) => match secret_pattern(&v) {
                Some(kind) => Some((
                    format!("output `{name}` holds {kind} ({:?}) in the configuration", redact(&v)),
                    "remove the secret from the configuration: rotate it, keep it in Secrets Manager, and output the secret's ARN instead",
                )),
                None if secret_name(name) && substantive(&v) => Some((
                    format!("output `{name}` holds a literal secret ({:?}) in the configuration", redact(&v)),
                    "remove the secret from the configuration: rotate it, keep it in Secrets Manager, and output the secret's ARN instead",
                )),
                None => None,
            },
            Text::Expr(e) if !sensitive => match secret_expression(e) {
                Some(kind) => Some((
                    format!("output `{name}` shows {kind} ({e}) and is not marked sensitive: terraform prints it after every apply"),
                    "output the secret's ARN instead, or mark the output sensitive (`Output::sensitive`)",
                )),
                None if secret_name(name) && !reference_attribute(e) => Some((
                    format!("output `{name}` looks like a secret ({e}) and is not marked sensitive: terraform prints it after every apply"),
                    "mark the output sensitive (`Output::sensitive`), or output a reference to the secret instead",
                )),
                None => None,
            },
            _ => None,
        };
        if let Some((message, fix)) = problem {
            out.push(finding("OXI-SECRET-002", &address, message, fix.to_owned()));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// OXI-IAM-001, OXI-IAM-002

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The wildcard grant of one statement, if it is one: Allow of `*` (or a whole service, or
/// everything but NotAction) on `*` (or NotResource).
fn wildcard(
    effect: Option<&str>,
    actions: &[String],
    not_actions: bool,
    resources: &[String],
    not_resources: bool,
) -> Option<String> {
    if effect.unwrap_or("Allow") != "Allow" {
        return None;
    }
    let on_everything = not_resources || resources.iter().any(|r| r == "*");
    if !on_everything {
        return None;
    }
    if not_actions {
        return Some("Allow with NotAction (every action but a few) on `*`".to_owned());
    }
    let wide: Vec<&String> = actions
        .iter()
        .filter(|a| is_wildcard_action(a) && !is_placeholder(a))
        .collect();
    (!wide.is_empty()).then(|| {
        format!(
            "allows {} on resource `*`",
            wide.iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

const IAM_FIX: &str = "name the actions the principal needs and the ARNs it needs them on (e.g. `sagemaker:InvokeEndpoint` on the endpoint's ARN)";

/// Whether a JSON body is a single `${…}` expression (a `jsonencode` or a data source's
/// `.json`): its content is known only at apply, or checked where it is built.
fn one_expression(trimmed: &str) -> bool {
    trimmed.starts_with("${") && trimmed.ends_with('}') && trimmed.matches("${").count() == 1
}

fn check_policy_text(address: &str, field: &str, policy: &str, out: &mut Vec<Finding>) {
    let trimmed = policy.trim();
    // A policy that is one expression (e.g. a data source's `.json`) is checked at its source.
    if one_expression(trimmed) {
        return;
    }
    let doc = match json_with_holes(trimmed) {
        Ok(doc) => doc,
        Err(e) => {
            out.push(finding(
                "OXI-IAM-002",
                address,
                format!("`{field}` is not valid JSON: {e}"),
                "build the document with `PolicyDocument` (oxiform::aws::iam_policy) or `jsonencode`, so it is valid JSON whatever it refers to".to_owned(),
            ));
            return;
        }
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(s)) => s.iter().collect::<Vec<_>>(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    for (i, s) in statements.iter().enumerate() {
        let sid = s
            .get("Sid")
            .and_then(Value::as_str)
            .map(|x| format!(" ({x:?})"))
            .unwrap_or_default();
        if let Some(what) = wildcard(
            s.get("Effect").and_then(Value::as_str),
            &strings(s.get("Action")),
            s.get("NotAction").is_some(),
            &strings(s.get("Resource")),
            s.get("NotResource").is_some(),
        ) {
            out.push(finding(
                "OXI-IAM-001",
                address,
                format!("`{field}` statement {}{sid} {what}", i + 1),
                IAM_FIX.to_owned(),
            ));
        }
    }
}

fn iam(r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    match r.type_name {
        types::IAM_POLICY
        | IamRolePolicy::TYPE
        | types::IAM_USER_POLICY
        | types::IAM_GROUP_POLICY => {
            if let Some(p) = r.get("policy").and_then(Value::as_str) {
                check_policy_text(&r.address(), "policy", p, out);
            }
        }
        IamRole::TYPE => {
            for (i, inline) in r.blocks("inline_policy").iter().enumerate() {
                if let Some(p) = inline.get("policy").and_then(Value::as_str) {
                    check_policy_text(&r.address(), &format!("inline_policy[{i}].policy"), p, out);
                }
            }
        }
        _ => {}
    }
}

fn policy_document_data(d: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    for (i, s) in d.blocks("statement").iter().enumerate() {
        let sid = s
            .get("sid")
            .and_then(Value::as_str)
            .map(|x| format!(" ({x:?})"))
            .unwrap_or_default();
        if let Some(what) = wildcard(
            s.get("effect").and_then(Value::as_str),
            &strings(s.get("actions")),
            s.get("not_actions").is_some(),
            &strings(s.get("resources")),
            s.get("not_resources").is_some(),
        ) {
            out.push(finding(
                "OXI-IAM-001",
                &d.address(),
                format!("statement {}{sid} {what}", i + 1),
                IAM_FIX.to_owned(),
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// OXI-DASH-001, OXI-DASH-002

fn dashboard(r: &ResourceRef<'_>, out: &mut Vec<Finding>) {
    if r.type_name != CloudwatchDashboard::TYPE {
        return;
    }
    let address = r.address();
    let Some(body) = r.get("dashboard_body").and_then(Value::as_str) else {
        return;
    };
    let trimmed = body.trim();
    if one_expression(trimmed) {
        return;
    }
    let fix_json = "build the body with `Dashboard` (oxiform::aws::dashboard) or `jsonencode`, so it is valid JSON with a `widgets` list";
    let doc = match json_with_holes(trimmed) {
        Ok(doc) => doc,
        Err(e) => {
            out.push(finding(
                "OXI-DASH-001",
                &address,
                format!("dashboard_body is not valid JSON: {e}"),
                fix_json.to_owned(),
            ));
            return;
        }
    };
    let Some(widgets) = doc.get("widgets").and_then(Value::as_array) else {
        out.push(finding(
            "OXI-DASH-001",
            &address,
            "dashboard_body has no `widgets` list".to_owned(),
            fix_json.to_owned(),
        ));
        return;
    };
    for (i, w) in widgets.iter().enumerate() {
        let Some(metrics) = w.pointer("/properties/metrics").and_then(Value::as_array) else {
            continue;
        };
        let title = w
            .pointer("/properties/title")
            .and_then(Value::as_str)
            .map(|t| format!(" ({t:?})"))
            .unwrap_or_default();
        let mut prev: Vec<Value> = Vec::new();
        for row in metrics {
            let Some(items) = row.as_array() else {
                continue;
            };
            let at = |k: usize| -> Option<String> {
                match items.get(k).and_then(Value::as_str) {
                    Some(".") => prev.get(k).and_then(Value::as_str).map(str::to_owned),
                    Some(s) => Some(s.to_owned()),
                    None => None,
                }
            };
            if items.first().and_then(Value::as_str) == Some("...") {
                continue;
            }
            let (Some(namespace), Some(metric)) = (at(0), at(1)) else {
                continue;
            };
            let resolved: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    if v == "." {
                        prev.get(k).cloned().unwrap_or(Value::Null)
                    } else {
                        v.clone()
                    }
                })
                .collect();
            prev = resolved;
            if is_placeholder(&namespace) || is_placeholder(&metric) {
                continue;
            }
            if known_metric(&namespace, &metric) == Some(false) {
                let fix = if namespace == "AWS/SageMaker"
                    && known_metric("/aws/sagemaker/Endpoints", &metric) == Some(true)
                {
                    format!("`{metric}` is an instance metric: SageMaker publishes it in `/aws/sagemaker/Endpoints`, per EndpointName and VariantName")
                } else if namespace == "/aws/sagemaker/Endpoints"
                    && known_metric("AWS/SageMaker", &metric) == Some(true)
                {
                    format!("`{metric}` is an invocation metric: SageMaker publishes it in `AWS/SageMaker`")
                } else {
                    format!("check the name against the metrics `{namespace}` publishes in the CloudWatch documentation (names are case-sensitive)")
                };
                out.push(finding(
                    "OXI-DASH-002",
                    &address,
                    format!("widget {}{title} graphs `{metric}` from `{namespace}`, which does not publish it: the graph stays empty", i + 1),
                    fix,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for yes in [
            "DB_PASSWORD",
            "apiKey",
            "API_KEY",
            "AUTH_TOKEN",
            "client-secret",
            "AWS_SECRET_ACCESS_KEY",
            "private_key",
        ] {
            assert!(secret_name(yes), "{yes}");
        }
        for no in [
            "MAX_TOKENS",
            "DB_PASSWORD_SECRET_ARN",
            "TOKEN_TTL",
            "CACHE_URL",
            "BEDROCK_MODEL",
            "LARGE_THRESHOLD",
            "KEYSPACE",
            "TOKENIZER",
        ] {
            assert!(!secret_name(no), "{no}");
        }
    }

    #[test]
    fn secret_values() {
        assert_eq!(
            secret_pattern("AKIAIOSFODNN7EXAMPLE"),
            Some("an AWS access key id")
        );
        assert_eq!(secret_pattern("xAKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(
            secret_pattern("postgres://app:hunter2@db:5432/x"),
            Some("a URL with a password")
        );
        assert_eq!(
            secret_pattern(
                "rediss://${aws_elasticache_replication_group.ai.primary_endpoint_address}:6379"
            ),
            None
        );
        assert_eq!(
            secret_pattern("sk-ant-api03-abcdefghijklmnopqrstuvwxyz"),
            Some("an API secret key")
        );
        assert_eq!(
            secret_pattern("anthropic.claude-3-5-sonnet-20240620-v1:0"),
            None
        );
        assert_eq!(secret_pattern("task-abcdefghijklmnopqrstuvwxyz"), None);
    }
}
