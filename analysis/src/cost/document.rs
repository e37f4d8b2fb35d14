//! Reading a Terraform JSON document (`.tf.json`) the way plan-based tools do: resources by
//! type and name, provider configurations, outputs, and the values inside — telling literal
//! values (known before apply) from expressions (known only after apply).
//!
//! [`cost`](crate::cost) and [`policy`](crate::policy) read documents through this module, so
//! both work on any `.tf.json`, written by oxiform or by hand.
//!
//! ```
//! use oxiform_analysis::cost::document::{Text, TfDocument};
//!
//! let doc = TfDocument::parse(r#"{"resource": {"aws_sagemaker_endpoint": {"large": {
//!     "name": "llama", "endpoint_config_name": "${aws_sagemaker_endpoint_configuration.large.name}"}}}}"#,
//!     "main.tf.json").unwrap();
//! let ep = doc.get("aws_sagemaker_endpoint", "large").unwrap();
//! assert_eq!(ep.address(), "aws_sagemaker_endpoint.large");
//! assert_eq!(ep.text("name"), Text::Literal("llama".into()));
//! assert!(matches!(ep.text("endpoint_config_name"), Text::Expr(_)));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};
use oxiform_core::{Address, ResourceKind};
use serde_json::{Map, Value};

/// A document that cannot be read.
///
/// Its [`Diagnostic`] says which source, what is wrong and, as a separate hint, what to pass
/// instead; it displays through it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DocumentError {
    /// Not JSON at all.
    Json {
        /// Where the text came from.
        source_name: String,
        /// serde_json's message, with line and column.
        message: String,
    },
    /// JSON, but not shaped like a Terraform document.
    Shape {
        /// Where the text came from.
        source_name: String,
        /// What is wrong.
        problem: String,
    },
}

impl ToDiagnostic for DocumentError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            DocumentError::Json {
                source_name,
                message,
            } => Diagnostic::error(message)
                .lead(format!("{source_name} is not valid JSON"))
                .hint("pass the main.tf.json that `synth` writes, or Terraform JSON written by hand"),
            DocumentError::Shape {
                source_name,
                problem,
            } => Diagnostic::error(problem)
                .lead(format!("{source_name} is not a Terraform JSON document"))
                .hint("a .tf.json document is an object with blocks such as \"resource\", \"provider\" and \"output\""),
        }
    }
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for DocumentError {}

/// One resource or data source of a document.
#[derive(Debug, Clone, Copy)]
pub struct ResourceRef<'a> {
    /// Managed resource or data source.
    pub kind: ResourceKind,
    /// The type, e.g. `aws_sagemaker_endpoint`.
    pub type_name: &'a str,
    /// The name, e.g. `large`.
    pub name: &'a str,
    /// The body: arguments, nested blocks and meta-arguments.
    pub body: &'a Value,
}

impl<'a> ResourceRef<'a> {
    /// The address: `type.name`, or `data.type.name` for a data source.
    pub fn address(&self) -> String {
        Address::new(self.kind, self.type_name, self.name).to_string()
    }

    /// An argument or block of the body.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.body.get(key)
    }

    /// A string argument, classified.
    pub fn text(&self, key: &str) -> Text<'a> {
        text(self.body.get(key))
    }

    /// A number argument, classified.
    pub fn number(&self, key: &str) -> Known<f64> {
        number(self.body.get(key))
    }

    /// A bool argument, classified.
    pub fn boolean(&self, key: &str) -> Known<bool> {
        boolean(self.body.get(key))
    }

    /// The nested blocks called `key` (an object or an array of objects in JSON).
    pub fn blocks(&self, key: &str) -> Vec<&'a Value> {
        blocks(self.body.get(key))
    }

    /// The `provider` meta-argument (`aws.alias`), if any.
    pub fn provider(&self) -> Option<&'a str> {
        self.body.get("provider").and_then(Value::as_str)
    }

    /// The configuration this resource uses among `providers` (from
    /// [`TfDocument::aws_providers`], read once for all resources): the one its
    /// `provider = "aws.<alias>"` names, or the default (unaliased) one.
    pub fn provider_in<'p>(&self, providers: &'p [ProviderConfig]) -> Option<&'p ProviderConfig> {
        let alias = self.provider().and_then(|p| p.strip_prefix("aws."));
        providers.iter().find(|p| p.alias.as_deref() == alias)
    }
}

/// A provider configuration (`provider "aws"`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderConfig {
    /// `alias`, if any.
    pub alias: Option<String>,
    /// `region`.
    pub region: Known<String>,
    /// `default_tags { tags = … }`: `Known` map, `Expr` when the map is an expression,
    /// `Absent` when not set.
    pub default_tags: Known<BTreeMap<String, Known<String>>>,
}

/// A value classified by when it is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    /// A literal: known before apply.
    Value(T),
    /// An expression (`${…}`): known only after apply. Holds the text.
    Expr(String),
    /// Not set.
    Absent,
    /// Set, but of a type that cannot hold this kind of value (quoted in the string).
    Invalid(String),
}

impl<T> Known<T> {
    /// The literal value, if known.
    pub fn value(&self) -> Option<&T> {
        match self {
            Known::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// A string value, classified.
#[derive(Debug, Clone, PartialEq)]
pub enum Text<'a> {
    /// A literal string, with the template escapes `$${` and `%%{` undone.
    Literal(Cow<'a, str>),
    /// A string that interpolates expressions (`${…}` or `%{…}`), known only after apply.
    Expr(&'a str),
    /// Not set.
    Absent,
    /// Set, but not a string (numbers and bools are given as their JSON text).
    Other(&'a Value),
}

impl Text<'_> {
    /// The literal, if this is one.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Text::Literal(s) => Some(s),
            _ => None,
        }
    }
}

/// Whether `s` interpolates an expression (`${` or `%{` that is not escaped as `$${`/`%%{`).
pub fn has_interpolation(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if (b[i] == b'$' || b[i] == b'%') && b[i + 1] == b'{' {
            return true;
        }
        if (b[i] == b'$' || b[i] == b'%') && b[i + 1] == b[i] && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        i += 1;
    }
    false
}

/// The literal text of a template without interpolation: `$${` → `${`, `%%{` → `%{`.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if s.contains("$${") || s.contains("%%{") {
        Cow::Owned(s.replace("$${", "${").replace("%%{", "%{"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Classifies a string value.
pub fn text(v: Option<&Value>) -> Text<'_> {
    match v {
        None | Some(Value::Null) => Text::Absent,
        Some(Value::String(s)) if has_interpolation(s) => Text::Expr(s),
        Some(Value::String(s)) => Text::Literal(unescape(s)),
        Some(other) => Text::Other(other),
    }
}

/// Classifies a number value: a JSON number or a string holding one.
pub fn number(v: Option<&Value>) -> Known<f64> {
    match v {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::Number(n)) => n
            .as_f64()
            .map(Known::Value)
            .unwrap_or_else(|| Known::Invalid(n.to_string())),
        Some(Value::String(s)) if has_interpolation(s) => Known::Expr(s.clone()),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Known::Value)
            .unwrap_or_else(|_| Known::Invalid(format!("{s:?}"))),
        Some(other) => Known::Invalid(other.to_string()),
    }
}

/// Classifies a bool value: `true`/`false` or the strings `"true"`/`"false"` (some
/// provider arguments, such as ElastiCache's `at_rest_encryption_enabled`, are strings).
pub fn boolean(v: Option<&Value>) -> Known<bool> {
    match v {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::Bool(b)) => Known::Value(*b),
        Some(Value::String(s)) if has_interpolation(s) => Known::Expr(s.clone()),
        Some(Value::String(s)) => match s.as_str() {
            "true" => Known::Value(true),
            "false" => Known::Value(false),
            other => Known::Invalid(format!("{other:?}")),
        },
        Some(other) => Known::Invalid(other.to_string()),
    }
}

/// The nested blocks in `v`: an object is one block, an array holds several.
pub fn blocks(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Object(_)) => v.into_iter().collect(),
        Some(Value::Array(items)) => items.iter().filter(|i| i.is_object()).collect(),
        _ => Vec::new(),
    }
}

/// Every object in `v` (an object, or an array of objects: both are valid Terraform JSON).
fn objects(v: Option<&Value>) -> Vec<&Map<String, Value>> {
    match v {
        Some(Value::Object(m)) => vec![m],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// The names of the resources of type `type_name` that `text` refers to (`type.name…`),
/// in order of appearance, without duplicates.
///
/// ```
/// use oxiform_analysis::cost::document::references;
/// let t = "endpoint/${aws_sagemaker_endpoint.large.name}/variant/primary";
/// assert_eq!(references(t, "aws_sagemaker_endpoint"), vec!["large"]);
/// ```
pub fn references<'t>(text: &'t str, type_name: &str) -> Vec<&'t str> {
    let mut found = Vec::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut rest = text;
    let mut offset = 0;
    while let Some(pos) = rest.find(type_name) {
        let start = offset + pos;
        let before_ok = text[..start]
            .chars()
            .next_back()
            .map(|c| !(ident(c) || c == '.'))
            .unwrap_or(true);
        let after = &text[start + type_name.len()..];
        if before_ok {
            if let Some(tail) = after.strip_prefix('.') {
                let end = tail.find(|c: char| !ident(c)).unwrap_or(tail.len());
                let name = &tail[..end];
                if !name.is_empty() && !found.contains(&name) {
                    found.push(name);
                }
            }
        }
        offset = start + type_name.len();
        rest = &text[offset..];
    }
    found
}

/// Parses JSON text that may hold Terraform interpolations, as an IAM policy or dashboard
/// body written with `${jsonencode(…)}` holes does. Each hole becomes a placeholder string
/// `"<expr:…>"` (or, inside a JSON string, that text), so the document's shape can be read
/// before apply. `$${` and `%%{` are read as the literal `${` and `%{`.
///
/// ```
/// use oxiform_analysis::cost::document::json_with_holes;
/// let v = json_with_holes(r#"{"Resource":${jsonencode(aws_s3_bucket.b.arn)},"Sid":"x-${var.env}"}"#).unwrap();
/// assert_eq!(v["Resource"], "<expr:jsonencode(aws_s3_bucket.b.arn)>");
/// assert_eq!(v["Sid"], "x-<expr:var.env>");
/// ```
pub fn json_with_holes(text: &str) -> Result<Value, serde_json::Error> {
    // Most bodies (everything `PolicyDocument` and `Dashboard` write without references) have
    // no holes at all: parse them as they are.
    if !text.contains("${") && !text.contains("%{") {
        return serde_json::from_str(text);
    }
    // Every character that matters here is ASCII, and no byte of a multi-byte UTF-8 character
    // is, so scanning bytes is exact and every index below is a character boundary.
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0; // text[copied..i] is still to be copied to `out`
    let mut i = 0;
    let mut in_string = false;
    let mut escaped = false;
    while i < b.len() {
        let c = b[i];
        if in_string && escaped {
            escaped = false;
            i += 1;
            continue;
        }
        let sigil = matches!(c, b'$' | b'%');
        if sigil && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            // `$${` / `%%{`: the literal `${` / `%{`.
            out.push_str(&text[copied..i]);
            out.push(char::from(c));
            out.push('{');
            i += 3;
            copied = i;
            continue;
        }
        if sigil && b.get(i + 1) == Some(&b'{') {
            // Find the matching close brace.
            let mut depth = 0usize;
            let mut end = b.len();
            for (j, &x) in b.iter().enumerate().skip(i + 1) {
                match x {
                    b'{' => depth += 1,
                    b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push_str(&text[copied..i]);
            let inner = text[(i + 2).min(end)..end]
                .chars()
                .filter(|c| !matches!(c, '"' | '\\') && !c.is_control());
            if !in_string {
                out.push('"');
            }
            out.push_str("<expr:");
            out.extend(inner);
            out.push('>');
            if !in_string {
                out.push('"');
            }
            i = end + 1;
            copied = i.min(b.len());
            continue;
        }
        match c {
            b'"' => in_string = !in_string,
            b'\\' if in_string => escaped = true,
            _ => {}
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    serde_json::from_str(&out)
}

/// Whether a value read by [`json_with_holes`] is (or contains) a placeholder.
pub fn is_placeholder(s: &str) -> bool {
    s.contains("<expr:")
}

/// A Terraform JSON document.
#[derive(Debug, Clone, PartialEq)]
pub struct TfDocument {
    root: Value,
}

impl TfDocument {
    /// Parses the text of a `.tf.json`; `source_name` names it in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<TfDocument, DocumentError> {
        let root: Value = serde_json::from_str(text).map_err(|e| DocumentError::Json {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        TfDocument::from_value(root, source_name)
    }

    /// A document from parsed JSON; `source_name` names it in errors.
    pub fn from_value(root: Value, source_name: &str) -> Result<TfDocument, DocumentError> {
        let Some(map) = root.as_object() else {
            return Err(DocumentError::Shape {
                source_name: source_name.to_owned(),
                problem: format!("the top level is {}, not an object", kind(&root)),
            });
        };
        for key in ["resource", "data"] {
            if let Some(v) = map.get(key) {
                if !(v.is_object() || v.is_array()) {
                    return Err(DocumentError::Shape {
                        source_name: source_name.to_owned(),
                        problem: format!("\"{key}\" is {}, not an object", kind(v)),
                    });
                }
            }
        }
        Ok(TfDocument { root })
    }

    /// The JSON.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The blocks of `kind` (under `resource` or `data`) of the types `only` admits, sorted
    /// by address; a stable sort, so duplicates keep document order.
    fn collect(&self, kind: ResourceKind, only: impl Fn(&str) -> bool) -> Vec<ResourceRef<'_>> {
        let key = kind.block_key();
        let mut found = Vec::new();
        for types in objects(self.root.get(key)) {
            for (type_name, named) in types.iter().filter(|(t, _)| only(t)) {
                for names in objects(Some(named)) {
                    for (name, body) in names {
                        found.push(ResourceRef {
                            kind,
                            type_name,
                            name,
                            body,
                        });
                    }
                }
            }
        }
        found.sort_by(|a, b| (a.type_name, a.name).cmp(&(b.type_name, b.name)));
        found
    }

    /// Every managed resource, sorted by address.
    pub fn resources(&self) -> Vec<ResourceRef<'_>> {
        self.collect(ResourceKind::Managed, |_| true)
    }

    /// Every data source, sorted by address.
    pub fn data_sources(&self) -> Vec<ResourceRef<'_>> {
        self.collect(ResourceKind::Data, |_| true)
    }

    /// Every ephemeral resource, sorted by address.
    pub fn ephemeral_resources(&self) -> Vec<ResourceRef<'_>> {
        self.collect(ResourceKind::Ephemeral, |_| true)
    }

    /// The managed resources of one type, sorted by name. Reads only that type's blocks, so
    /// rules and estimates that look up one type per resource stay linear.
    pub fn of_type(&self, type_name: &str) -> Vec<ResourceRef<'_>> {
        self.collect(ResourceKind::Managed, |t| t == type_name)
    }

    /// The managed resource `type_name.name` (the first, if the document repeats it).
    pub fn get(&self, type_name: &str, name: &str) -> Option<ResourceRef<'_>> {
        objects(self.root.get("resource"))
            .into_iter()
            .filter_map(|types| types.get_key_value(type_name))
            .flat_map(|(type_name, named)| {
                objects(Some(named))
                    .into_iter()
                    .filter_map(|names| names.get_key_value(name))
                    .map(move |(name, body)| ResourceRef {
                        kind: ResourceKind::Managed,
                        type_name,
                        name,
                        body,
                    })
            })
            .next()
    }

    /// The AWS provider configurations, in document order.
    pub fn aws_providers(&self) -> Vec<ProviderConfig> {
        let mut found = Vec::new();
        for providers in objects(self.root.get("provider")) {
            let Some(aws) = providers.get("aws") else {
                continue;
            };
            for config in blocks(Some(aws)) {
                let alias = config
                    .get("alias")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let region = match text(config.get("region")) {
                    Text::Literal(s) => Known::Value(s.into_owned()),
                    Text::Expr(e) => Known::Expr(e.to_owned()),
                    Text::Absent => Known::Absent,
                    Text::Other(v) => Known::Invalid(v.to_string()),
                };
                let default_tags = match blocks(config.get("default_tags")).first() {
                    None => Known::Absent,
                    Some(block) => tag_map(block.get("tags")),
                };
                found.push(ProviderConfig {
                    alias,
                    region,
                    default_tags,
                });
            }
        }
        found
    }

    /// The outputs, sorted by name.
    pub fn outputs(&self) -> Vec<(&str, &Value)> {
        let mut found: Vec<(&str, &Value)> = objects(self.root.get("output"))
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
            .collect();
        found.sort_by_key(|(k, _)| *k);
        found
    }

    /// The default of variable `name`, if it has one.
    pub fn variable_default(&self, name: &str) -> Option<&Value> {
        objects(self.root.get("variable"))
            .into_iter()
            .find_map(|m| m.get(name))
            .and_then(|v| v.get("default"))
    }
}

/// A `tags` map, classified: each value literal or expression.
pub fn tag_map(v: Option<&Value>) -> Known<BTreeMap<String, Known<String>>> {
    match v {
        None | Some(Value::Null) => Known::Absent,
        Some(Value::String(s)) if has_interpolation(s) => Known::Expr(s.clone()),
        Some(Value::Object(m)) => Known::Value(
            m.iter()
                .map(|(k, v)| {
                    let value = match text(Some(v)) {
                        Text::Literal(s) => Known::Value(s.into_owned()),
                        Text::Expr(e) => Known::Expr(e.to_owned()),
                        Text::Absent => Known::Absent,
                        Text::Other(o) => Known::Value(o.to_string()),
                    };
                    (k.clone(), value)
                })
                .collect(),
        ),
        Some(other) => Known::Invalid(other.to_string()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source, the problem and the hint are separate parts of the diagnostic; the text is
    /// the one printed before diagnostics were data.
    #[test]
    fn a_document_error_is_a_diagnostic() {
        let Err(err) = TfDocument::parse("[", "main.tf.json") else {
            panic!("`[` is not a document");
        };
        let d = err.to_diagnostic();
        assert_eq!(d.get_lead(), Some("main.tf.json is not valid JSON"));
        assert_eq!(
            d.get_hint(),
            Some("pass the main.tf.json that `synth` writes, or Terraform JSON written by hand")
        );
        assert_eq!(
            err.to_string(),
            format!(
                "main.tf.json is not valid JSON: {}\n  hint: pass the main.tf.json that `synth` writes, or Terraform JSON written by hand",
                d.get_message()
            )
        );
        let Err(err) = TfDocument::parse("[]", "main.tf.json") else {
            panic!("`[]` is not a Terraform document");
        };
        let d = err.to_diagnostic();
        assert_eq!(
            d.get_lead(),
            Some("main.tf.json is not a Terraform JSON document")
        );
        assert_eq!(
            err.to_string(),
            format!(
                "main.tf.json is not a Terraform JSON document: {}\n  hint: a .tf.json document is an object with blocks such as \"resource\", \"provider\" and \"output\"",
                d.get_message()
            )
        );
    }

    #[test]
    fn interpolation_and_escapes() {
        assert!(has_interpolation("a${b}"));
        assert!(has_interpolation("%{ if x }"));
        assert!(!has_interpolation("a$${b}"));
        assert!(!has_interpolation("100%"));
        assert!(has_interpolation("$${a}${b}"));
        assert_eq!(unescape("a$${b}"), "a${b}");
    }

    #[test]
    fn holes_nested_and_escaped() {
        let v = json_with_holes(
            r#"["CacheClusterId",${jsonencode("${aws_elasticache_replication_group.ai.id}-001")},"lit$${x}"]"#,
        )
        .unwrap_or_default();
        assert_eq!(
            v[1],
            "<expr:jsonencode(${aws_elasticache_replication_group.ai.id}-001)>"
        );
        assert_eq!(v[2], "lit${x}");
    }

    #[test]
    fn holes_after_escapes_and_wide_characters() {
        // An escaped quote does not end the string; `é` and `→` (multi-byte) before a hole do
        // not shift it; `%{` is a hole too; text after the last hole is kept.
        let v = json_with_holes(
            r#"{"a\"${var.x}":"é→${var.y}\\","b":"%{ if true }1%{ endif }","c":"end"}"#,
        )
        .unwrap_or_default();
        assert_eq!(v["a\"<expr:var.x>"], "é→<expr:var.y>\\");
        assert_eq!(v["b"], "<expr: if true >1<expr: endif >");
        assert_eq!(v["c"], "end");
        // Without holes the text is parsed as it is.
        assert_eq!(
            json_with_holes(r#"{"k":"$x"}"#).unwrap_or_default()["k"],
            "$x"
        );
        assert!(json_with_holes("{").is_err());
    }

    #[test]
    fn lookups_by_type_and_name_read_blocks_in_document_order() {
        // `resource` as an array of objects, a name repeated: the first one wins.
        let doc = TfDocument::parse(
            r#"{"resource":[{"aws_s3_bucket":{"b":{"n":1},"a":{"n":2}}},
                            {"aws_s3_bucket":{"b":{"n":3}},"aws_sns_topic":{"t":{}}}]}"#,
            "t",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<(&str, i64)> = doc
            .of_type("aws_s3_bucket")
            .iter()
            .map(|r| (r.name, r.number("n").value().copied().unwrap_or(0.0) as i64))
            .collect();
        assert_eq!(names, [("a", 2), ("b", 1), ("b", 3)]);
        assert_eq!(
            doc.get("aws_s3_bucket", "b")
                .map(|r| r.number("n").value().copied()),
            Some(Some(1.0))
        );
        assert!(doc.get("aws_s3_bucket", "t").is_none());
        assert_eq!(
            doc.get("aws_sns_topic", "t").map(|r| r.address()),
            Some("aws_sns_topic.t".to_owned())
        );
        assert_eq!(doc.resources().len(), 4);
    }

    #[test]
    fn references_respect_boundaries() {
        let t = "${aws_sagemaker_endpoint_configuration.a.name} ${aws_sagemaker_endpoint.b.name} ${aws_sagemaker_endpoint.b.arn}";
        assert_eq!(references(t, "aws_sagemaker_endpoint"), vec!["b"]);
        assert_eq!(
            references(t, "aws_sagemaker_endpoint_configuration"),
            vec!["a"]
        );
    }
}
