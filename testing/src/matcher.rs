//! Patterns over JSON values, in the spirit of AWS CDK's `Match`: a plain JSON value is
//! matched like `Match.objectLike` (the keys it names, at any depth; other keys are allowed),
//! and [`Match`]'s constructors say the rest: [`exact`](Match::exact),
//! [`array`](Match::array), [`array_with`](Match::array_with), [`absent`](Match::absent),
//! [`any_value`](Match::any_value), [`not`](Match::not),
//! [`string_containing`](Match::string_containing) and
//! [`serialized_json`](Match::serialized_json).

use std::fmt;

use serde_json::Value;

use crate::expr::read_json_with_holes;

/// A pattern a JSON value matches or not; when it does not, the
/// [differences](Match::differences) say where and how.
///
/// Built from a JSON value (`json!({...}).into()`, [`Match::object_like`]) or with the
/// constructors; a matcher goes under a key of an object pattern with [`Match::key`]:
///
/// ```
/// use oxiform_testing::Match;
/// use serde_json::json;
///
/// let endpoint = json!({
///     "endpoint_config_name": "${aws_sagemaker_endpoint_configuration.large.name}",
///     "tags": { "ModelTier": "large", "CostPerRequest": "0.01" },
/// });
/// let pattern = Match::object_like(json!({ "tags": { "ModelTier": "large" } }))
///     .key("endpoint_config_name", Match::string_containing("large"))
///     .key("deployment_config", Match::absent());
/// assert!(pattern.matches(&endpoint));
///
/// let small = Match::object_like(json!({ "tags": { "ModelTier": "small" } }));
/// let diff: Vec<String> = small.differences(&endpoint).iter().map(|d| d.to_string()).collect();
/// assert_eq!(diff, [r#"tags.ModelTier: expected "small", found "large""#]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Match(Kind);

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A string, number, boolean or null, equal (numbers by value: `1` matches `1.0`).
    Scalar(Value),
    /// Deep equality: no key more, none less.
    Exact(Value),
    /// The keys named match; other keys are allowed.
    Object(Vec<(String, Match)>),
    /// As many elements, each matching its pattern.
    Array(Vec<Match>),
    /// Elements matching these patterns, in this order, among any others.
    ArrayWith(Vec<Match>),
    Absent,
    Any,
    Not(Box<Match>),
    Contains(String),
    Json(Box<Match>),
}

impl Match {
    /// Matches an object that has (at least) the keys of `pattern`, each value matching in
    /// turn: nested objects are partial too, arrays have exactly the elements given (each
    /// matched the same way), strings, numbers and booleans are equal. CDK's
    /// `Match.objectLike`; any JSON value converts to this matcher with `into()`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let action = json!({"schedule": "cron(0 22 * * ? *)",
    ///                     "scalable_target_action": {"max_capacity": 1, "min_capacity": 1}});
    /// assert!(Match::object_like(json!({"scalable_target_action": {"max_capacity": 1}})).matches(&action));
    /// assert!(!Match::object_like(json!({"scalable_target_action": {"max_capacity": 4}})).matches(&action));
    /// ```
    pub fn object_like(pattern: Value) -> Match {
        Match::from(pattern)
    }

    /// Matches a value equal to `value`: objects with exactly its keys, at every depth.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let tags = json!({"ModelTier": "large", "Team": "ml"});
    /// assert!(Match::exact(json!({"Team": "ml", "ModelTier": "large"})).matches(&tags));
    /// assert!(!Match::exact(json!({"ModelTier": "large"})).matches(&tags));
    /// ```
    pub fn exact(value: Value) -> Match {
        Match(Kind::Exact(value))
    }

    /// Matches an array holding elements that match `items`, in this order, among any
    /// others. CDK's `Match.arrayWith`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let subnets = json!(["subnet-a", "subnet-b", "subnet-c"]);
    /// assert!(Match::array_with(["subnet-a", "subnet-c"]).matches(&subnets));
    /// assert!(!Match::array_with(["subnet-c", "subnet-a"]).matches(&subnets));
    /// ```
    pub fn array_with<M: Into<Match>>(items: impl IntoIterator<Item = M>) -> Match {
        Match(Kind::ArrayWith(items.into_iter().map(Into::into).collect()))
    }

    /// Matches an array of exactly these elements, in order, each matching its pattern:
    /// what a JSON array in a pattern means, for elements that are matchers.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let statements = json!([{"Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}]);
    /// let pattern = Match::array([Match::object_like(json!({"Action": "s3:GetObject"}))
    ///     .key("Resource", Match::not("*"))]);
    /// assert!(pattern.matches(&statements));
    /// assert!(!pattern.matches(&json!([])));
    /// ```
    pub fn array<M: Into<Match>>(items: impl IntoIterator<Item = M>) -> Match {
        Match(Kind::Array(items.into_iter().map(Into::into).collect()))
    }

    /// Matches when the key is missing (or `null`, which Terraform reads as unset). CDK's
    /// `Match.absent`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let pattern = Match::object_like(json!({})).key("lifecycle", Match::absent());
    /// assert!(pattern.matches(&json!({"name": "a"})));
    /// assert!(!pattern.matches(&json!({"lifecycle": {"prevent_destroy": true}})));
    /// ```
    pub fn absent() -> Match {
        Match(Kind::Absent)
    }

    /// Matches any value that is present and not `null`. CDK's `Match.anyValue`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let pattern = Match::object_like(json!({})).key("tags", Match::object_like(json!({}))
    ///     .key("ModelTier", Match::any_value()));
    /// assert!(pattern.matches(&json!({"tags": {"ModelTier": "small"}})));
    /// assert!(!pattern.matches(&json!({"tags": {"Team": "ml"}})));
    /// ```
    pub fn any_value() -> Match {
        Match(Kind::Any)
    }

    /// Matches what `pattern` does not. CDK's `Match.not`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// assert!(Match::not("*").matches(&json!("arn:aws:s3:::logs")));
    /// assert!(!Match::not("*").matches(&json!("*")));
    /// ```
    pub fn not(pattern: impl Into<Match>) -> Match {
        Match(Kind::Not(Box::new(pattern.into())))
    }

    /// Matches a string that contains `text`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// assert!(Match::string_containing("foundation-model/").matches(&json!("arn:aws:bedrock:us-east-1::foundation-model/x")));
    /// ```
    pub fn string_containing(text: impl Into<String>) -> Match {
        Match(Kind::Contains(text.into()))
    }

    /// Matches a string holding a JSON document (an IAM policy, a dashboard body) that matches
    /// `pattern`. CDK's `Match.serializedJson`. Terraform holes in place of values read as
    /// strings: `${jsonencode(x)}` as `"${x}"`, `${jsonencode("text")}` as `"text"`.
    ///
    /// ```
    /// use oxiform_testing::Match;
    /// use serde_json::json;
    ///
    /// let policy = json!(r#"{"Statement":[{"Action":"sagemaker:InvokeEndpoint","Resource":[${jsonencode(aws_sagemaker_endpoint.small.arn)}]}]}"#);
    /// let pattern = Match::serialized_json(json!({"Statement": [{
    ///     "Action": "sagemaker:InvokeEndpoint",
    ///     "Resource": ["${aws_sagemaker_endpoint.small.arn}"],
    /// }]}));
    /// assert!(pattern.matches(&policy));
    /// ```
    pub fn serialized_json(pattern: impl Into<Match>) -> Match {
        Match(Kind::Json(Box::new(pattern.into())))
    }

    /// This object pattern with `key` matched by `pattern` (replacing what it said about
    /// `key`). On a pattern that is not an object pattern, an object pattern with only `key`.
    pub fn key(self, key: impl Into<String>, pattern: impl Into<Match>) -> Match {
        let (key, pattern) = (key.into(), pattern.into());
        let mut entries = match self.0 {
            Kind::Object(entries) => entries,
            _ => Vec::new(),
        };
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = pattern,
            None => entries.push((key, pattern)),
        }
        Match(Kind::Object(entries))
    }

    /// Whether `value` matches.
    pub fn matches(&self, value: &Value) -> bool {
        self.differences(value).is_empty()
    }

    /// Where and how `value` differs from this pattern: one [`Difference`] per place, empty
    /// when it matches.
    pub fn differences(&self, value: &Value) -> Vec<Difference> {
        let mut out = Vec::new();
        self.check(Some(value), &mut Vec::new(), &mut out);
        out
    }

    /// The differences of what may be absent (`None`: the key is missing).
    fn differences_of(&self, value: Option<&Value>) -> Vec<Difference> {
        let mut out = Vec::new();
        self.check(value, &mut Vec::new(), &mut out);
        out
    }

    fn check(&self, actual: Option<&Value>, path: &mut Vec<Segment>, out: &mut Vec<Difference>) {
        let actual = actual.filter(|v| !v.is_null());
        let mut differ = |expected: String| out.push(Difference::new(path, expected, actual));
        match &self.0 {
            Kind::Absent if actual.is_some() => differ("absent".into()),
            Kind::Any if actual.is_none() => differ("any value".into()),
            Kind::Absent | Kind::Any => {}
            Kind::Scalar(v) => {
                let same = match actual {
                    Some(a) => same_scalar(v, a),
                    None => v.is_null(),
                };
                if !same {
                    differ(compact(v));
                }
            }
            Kind::Contains(text) => match actual {
                Some(Value::String(s)) if s.contains(text.as_str()) => {}
                _ => differ(self.to_string()),
            },
            Kind::Not(inner) => {
                if inner.differences_of(actual).is_empty() {
                    differ(self.to_string());
                }
            }
            Kind::Exact(v) => exact(v, actual, path, out),
            Kind::Object(entries) => match actual {
                Some(Value::Object(map)) => {
                    for (key, pattern) in entries {
                        path.push(Segment::Key(key.clone()));
                        pattern.check(map.get(key), path, out);
                        path.pop();
                    }
                }
                _ => differ(self.to_string()),
            },
            Kind::Array(items) => match actual {
                Some(Value::Array(elements)) => {
                    for (i, pattern) in items.iter().enumerate() {
                        path.push(Segment::Index(i));
                        pattern.check(elements.get(i), path, out);
                        path.pop();
                    }
                    for (i, extra) in elements.iter().enumerate().skip(items.len()) {
                        path.push(Segment::Index(i));
                        out.push(Difference::new(path, "no element".into(), Some(extra)));
                        path.pop();
                    }
                }
                _ => differ(self.to_string()),
            },
            Kind::ArrayWith(items) => match actual {
                Some(Value::Array(elements)) => array_with(items, elements, path, out),
                _ => differ(self.to_string()),
            },
            Kind::Json(inner) => match actual {
                Some(Value::String(text)) => match read_json_with_holes(text) {
                    Ok(doc) => {
                        path.push(Segment::Json);
                        inner.check(Some(&doc), path, out);
                        path.pop();
                    }
                    Err(e) => out.push(Difference {
                        path: render(path),
                        expected: self.to_string(),
                        found: Some(format!(
                            "{} (not JSON: {e})",
                            compact(&Value::from(text.as_str()))
                        )),
                    }),
                },
                _ => differ(self.to_string()),
            },
        }
    }
}

/// `items` in order among `elements`; for the first that no element (after the previous
/// match) matches, the difference says so and the nearest element's differences follow.
fn array_with(
    items: &[Match],
    elements: &[Value],
    path: &mut Vec<Segment>,
    out: &mut Vec<Difference>,
) {
    let mut from = 0;
    for pattern in items {
        if let Some(i) = elements[from..].iter().position(|e| pattern.matches(e)) {
            from += i + 1;
            continue;
        }
        let nearest = elements
            .iter()
            .enumerate()
            .skip(from)
            .map(|(i, e)| (i, pattern.differences(e)))
            .min_by_key(|(_, d)| d.len());
        out.push(Difference {
            path: render(path),
            expected: format!("an element {pattern}"),
            found: Some(match &nearest {
                Some((i, _)) => format!(
                    "none among {} element{} from [{from}] (nearest: [{i}])",
                    elements.len() - from,
                    if elements.len() - from == 1 { "" } else { "s" }
                ),
                None => format!("no element from [{from}]"),
            }),
        });
        if let Some((i, differences)) = nearest {
            let prefix = render(&[path.as_slice(), &[Segment::Index(i)]].concat());
            out.extend(differences.into_iter().map(|d| d.under(&prefix)));
        }
        return;
    }
}

fn exact(
    expected: &Value,
    actual: Option<&Value>,
    path: &mut Vec<Segment>,
    out: &mut Vec<Difference>,
) {
    match (expected, actual) {
        (Value::Object(want), Some(Value::Object(have))) => {
            for (key, w) in want {
                path.push(Segment::Key(key.clone()));
                exact(w, have.get(key), path, out);
                path.pop();
            }
            for (key, h) in have.iter().filter(|(k, _)| !want.contains_key(*k)) {
                path.push(Segment::Key(key.clone()));
                out.push(Difference::new(path, "absent".into(), Some(h)));
                path.pop();
            }
        }
        (Value::Array(want), Some(Value::Array(have))) => {
            for i in 0..want.len().max(have.len()) {
                path.push(Segment::Index(i));
                match want.get(i) {
                    Some(w) => exact(w, have.get(i), path, out),
                    None => out.push(Difference::new(path, "no element".into(), have.get(i))),
                }
                path.pop();
            }
        }
        (Value::Null, None) => {}
        (want, Some(have)) if same_scalar(want, have) => {}
        (want, have) => out.push(Difference::new(path, compact(want), have)),
    }
}

/// Equal, numbers by value (`1` and `1.0` are one number to Terraform).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

impl From<Value> for Match {
    fn from(value: Value) -> Match {
        match value {
            Value::Object(map) => Match(Kind::Object(
                map.into_iter().map(|(k, v)| (k, Match::from(v))).collect(),
            )),
            Value::Array(items) => Match(Kind::Array(items.into_iter().map(Match::from).collect())),
            scalar => Match(Kind::Scalar(scalar)),
        }
    }
}

macro_rules! from_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for Match {
            fn from(value: $t) -> Match {
                Match(Kind::Scalar(Value::from(value)))
            }
        }
    )*};
}
from_scalar!(&str, String, bool, i32, i64, u32, u64, f64);

impl fmt::Display for Match {
    /// The pattern as the failure messages write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Scalar(v) => f.write_str(&compact(v)),
            Kind::Exact(v) => write!(f, "exactly {}", compact(v)),
            Kind::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, m)) in entries.iter().enumerate() {
                    write!(
                        f,
                        "{}{}: {m}",
                        if i == 0 { "" } else { ", " },
                        Value::from(k.as_str())
                    )?;
                }
                f.write_str("}")
            }
            Kind::Array(items) => write_items(f, items),
            Kind::ArrayWith(items) => {
                f.write_str("an array with ")?;
                write_items(f, items)
            }
            Kind::Absent => f.write_str("absent"),
            Kind::Any => f.write_str("any value"),
            Kind::Not(m) => write!(f, "not {m}"),
            Kind::Contains(text) => write!(f, "a string containing {}", Value::from(text.as_str())),
            Kind::Json(m) => write!(f, "JSON text matching {m}"),
        }
    }
}

fn write_items(f: &mut fmt::Formatter<'_>, items: &[Match]) -> fmt::Result {
    f.write_str("[")?;
    for (i, m) in items.iter().enumerate() {
        write!(f, "{}{m}", if i == 0 { "" } else { ", " })?;
    }
    f.write_str("]")
}

/// One place where a value differs from its pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    path: String,
    expected: String,
    found: Option<String>,
}

impl Difference {
    fn new(path: &[Segment], expected: String, found: Option<&Value>) -> Difference {
        Difference {
            path: render(path),
            expected,
            found: found.map(compact),
        }
    }

    /// This difference, its path under `prefix`.
    fn under(self, prefix: &str) -> Difference {
        let path = if self.path == ROOT {
            prefix.to_owned()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        Difference { path, ..self }
    }

    /// Where: `tags.ModelTier`, `production_variants[0].instance_type`,
    /// `policy(JSON).Statement[1]`; `(root)` for the value itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the pattern asked for there.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// What is there, as compact JSON; `None` when nothing is.
    pub fn found(&self) -> Option<&str> {
        self.found.as_deref()
    }
}

impl fmt::Display for Difference {
    /// `path: expected …, found …` (`found nothing` when the key is missing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            self.path,
            self.expected,
            self.found.as_deref().unwrap_or("nothing")
        )
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
    Json,
}

const ROOT: &str = "(root)";

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) if is_plain(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Key(k) => out.push_str(&format!("[{}]", Value::from(k.as_str()))),
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Json => out.push_str("(JSON)"),
        }
    }
    if out.is_empty() {
        ROOT.to_owned()
    } else {
        out
    }
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `value` as compact JSON, cut at 120 characters.
pub(crate) fn compact(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(pattern: impl Into<Match>, value: Value) -> Vec<String> {
        pattern
            .into()
            .differences(&value)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn object_like_is_partial_at_every_depth_and_arrays_are_whole() {
        let v = json!({"a": {"b": 1, "c": 2}, "l": [{"x": 1, "y": 2}], "n": 1.0});
        assert!(diff(json!({"a": {"b": 1}, "l": [{"x": 1}], "n": 1}), v.clone()).is_empty());
        assert_eq!(
            diff(json!({"a": {"b": 2, "d": 3}, "l": []}), v),
            [
                "a.b: expected 2, found 1",
                "a.d: expected 3, found nothing",
                r#"l[0]: expected no element, found {"x":1,"y":2}"#
            ]
        );
    }

    #[test]
    fn exact_names_extra_and_missing_keys() {
        assert_eq!(
            diff(
                Match::exact(json!({"a": 1, "b": [1]})),
                json!({"a": 1, "c": true, "b": [1, 2]})
            ),
            [
                "b[1]: expected no element, found 2",
                "c: expected absent, found true"
            ]
        );
    }

    #[test]
    fn array_with_reports_the_nearest_element() {
        let v = json!([{"Action": "s3:GetObject", "Resource": "*"}, {"Action": "sqs:Send", "Resource": "q"}]);
        assert!(Match::array_with([json!({"Action": "sqs:Send"})]).matches(&v));
        assert_eq!(
            diff(
                Match::array_with([json!({"Action": "sqs:Send", "Resource": "r"})]),
                v
            ),
            [
                r#"(root): expected an element {"Action": "sqs:Send", "Resource": "r"}, found none among 2 elements from [0] (nearest: [1])"#,
                r#"[1].Resource: expected "r", found "q""#
            ]
        );
    }

    #[test]
    fn keys_that_are_not_identifiers_are_quoted() {
        assert_eq!(
            diff(json!({"tags": {"aws:team": "ml"}}), json!({"tags": {}})),
            [r#"tags["aws:team"]: expected "ml", found nothing"#]
        );
    }
}
