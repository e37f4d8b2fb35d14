//! JSON payloads that contain Terraform expressions.
//!
//! IAM policies and dashboard bodies are JSON *strings* to Terraform, yet they must refer to
//! other resources (an endpoint's ARN, a cache cluster's id). A [`JsonTemplate`] is a small
//! JSON tree whose leaves may be expressions. [`JsonTemplate::to_value`] turns it into one
//! string argument:
//!
//! - without expressions, a literal holding compact JSON text (escaped by the core on output,
//!   so a `${` inside a string is never evaluated);
//! - with expressions, a string template: the JSON structure and literal strings are literal
//!   text (escaped), and each expression is spliced as `${jsonencode(<expression>)}`, so
//!   Terraform writes a correctly quoted and escaped JSON value whatever the referenced value
//!   contains. The dependencies of every expression are kept.
//!
//! Output is deterministic and compact (no spaces); object keys keep insertion order.
//!
//! ```
//! use oxiform_core::json_template::JsonTemplate;
//! use oxiform_core::{Expr, Value};
//!
//! let arn: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.arn");
//! let doc = JsonTemplate::object([("Effect", JsonTemplate::from("Allow")), ("Resource", arn.into())]);
//! let Value::Expr(e) = doc.to_value() else { unreachable!() };
//! assert_eq!(
//!     e.to_json_string(),
//!     r#"{"Effect":"Allow","Resource":${jsonencode(aws_sagemaker_endpoint.large.arn)}}"#
//! );
//! ```

use crate::value::{join_template, Expr, Json, TemplatePart, Value};

/// A JSON value whose leaves may be Terraform expressions.
///
/// Object entries keep insertion order; duplicate keys are written as given.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonTemplate {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, written as `serde_json` writes it.
    Number(serde_json::Number),
    /// A literal string (JSON-escaped; never evaluated by Terraform).
    String(String),
    /// An expression; Terraform writes its value as JSON (`jsonencode`).
    Expr(Expr<Json>),
    /// An array.
    Array(Vec<JsonTemplate>),
    /// An object, entries in insertion order.
    Object(Vec<(String, JsonTemplate)>),
}

impl JsonTemplate {
    /// An object from `(key, value)` entries, in the order given.
    pub fn object<K: Into<String>, V: Into<JsonTemplate>>(
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        JsonTemplate::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// An array from its items.
    pub fn array<V: Into<JsonTemplate>>(items: impl IntoIterator<Item = V>) -> Self {
        JsonTemplate::Array(items.into_iter().map(Into::into).collect())
    }

    /// Whether any leaf is an expression.
    pub fn has_expr(&self) -> bool {
        match self {
            JsonTemplate::Expr(_) => true,
            JsonTemplate::Array(items) => items.iter().any(JsonTemplate::has_expr),
            JsonTemplate::Object(entries) => entries.iter().any(|(_, v)| v.has_expr()),
            _ => false,
        }
    }

    /// The compact JSON text when the tree holds no expression; `None` otherwise.
    pub fn literal_text(&self) -> Option<String> {
        if self.has_expr() {
            return None;
        }
        let mut w = Writer::default();
        w.write(self);
        Some(w.text)
    }

    /// The JSON as one Terraform string argument: a literal when there is no expression,
    /// otherwise a template splicing each expression as `${jsonencode(…)}`.
    pub fn to_value(&self) -> Value<String> {
        let mut w = Writer::default();
        w.write(self);
        if w.parts.is_empty() {
            return Value::Literal(w.text);
        }
        w.flush();
        Value::Expr(join_template(w.parts))
    }
}

/// Serialises a tree to compact JSON, cutting it into template parts at expressions.
#[derive(Default)]
struct Writer {
    /// Literal JSON text not yet emitted as a part.
    text: String,
    parts: Vec<TemplatePart>,
}

impl Writer {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.parts
                .push(TemplatePart::Text(std::mem::take(&mut self.text)));
        }
    }

    fn write(&mut self, json: &JsonTemplate) {
        match json {
            JsonTemplate::Null => self.text.push_str("null"),
            JsonTemplate::Bool(b) => self.text.push_str(if *b { "true" } else { "false" }),
            JsonTemplate::Number(n) => self.text.push_str(&n.to_string()),
            JsonTemplate::String(s) => write_json_string(&mut self.text, s),
            JsonTemplate::Expr(e) => {
                // The text before an expression always ends in `:`, `[` or `,`, so no `$` or
                // `%` of literal text can pair with the interpolation's `{`.
                self.flush();
                self.parts.push(e.call::<Json>("jsonencode", &[]).into());
            }
            JsonTemplate::Array(items) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    self.write(item);
                }
                self.text.push(']');
            }
            JsonTemplate::Object(entries) => {
                self.text.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    write_json_string(&mut self.text, key);
                    self.text.push(':');
                    self.write(value);
                }
                self.text.push('}');
            }
        }
    }
}

/// Writes `s` as a JSON string literal, escaping exactly as `serde_json` does (`\"`, `\\`,
/// the short escapes of `\b \f \n \r \t`, `\u00xx` for other control characters), without a
/// temporary string per value.
fn write_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Only ASCII bytes are escaped, so `i` is a character boundary.
        out.push_str(&s[copied..i]);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(short);
        }
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

impl From<&str> for JsonTemplate {
    fn from(s: &str) -> Self {
        JsonTemplate::String(s.to_owned())
    }
}
impl From<String> for JsonTemplate {
    fn from(s: String) -> Self {
        JsonTemplate::String(s)
    }
}
impl From<&String> for JsonTemplate {
    fn from(s: &String) -> Self {
        JsonTemplate::String(s.clone())
    }
}
impl From<bool> for JsonTemplate {
    fn from(b: bool) -> Self {
        JsonTemplate::Bool(b)
    }
}
macro_rules! integer_from {
    ($($t:ty),*) => {$(
        impl From<$t> for JsonTemplate {
            fn from(n: $t) -> Self {
                JsonTemplate::Number(serde_json::Number::from(n))
            }
        }
    )*};
}
integer_from!(i64, i32, u64, u32, u16, u8);

impl From<f64> for JsonTemplate {
    /// A finite number; NaN and infinities (which JSON cannot hold) become `null`.
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n).map_or(JsonTemplate::Null, JsonTemplate::Number)
    }
}
impl From<serde_json::Number> for JsonTemplate {
    fn from(n: serde_json::Number) -> Self {
        JsonTemplate::Number(n)
    }
}
impl<T> From<Expr<T>> for JsonTemplate {
    fn from(e: Expr<T>) -> Self {
        JsonTemplate::Expr(e.cast())
    }
}
impl<T> From<&Expr<T>> for JsonTemplate {
    fn from(e: &Expr<T>) -> Self {
        JsonTemplate::Expr(e.clone().cast())
    }
}
impl From<Value<String>> for JsonTemplate {
    fn from(v: Value<String>) -> Self {
        match v {
            Value::Literal(s) => JsonTemplate::String(s),
            Value::Expr(e) => e.into(),
        }
    }
}
impl From<&Value<String>> for JsonTemplate {
    fn from(v: &Value<String>) -> Self {
        v.clone().into()
    }
}
impl<V: Into<JsonTemplate>> From<Vec<V>> for JsonTemplate {
    fn from(items: Vec<V>) -> Self {
        JsonTemplate::array(items)
    }
}
impl<V: Into<JsonTemplate>> From<Option<V>> for JsonTemplate {
    /// `None` is `null`.
    fn from(v: Option<V>) -> Self {
        v.map_or(JsonTemplate::Null, Into::into)
    }
}
impl From<serde_json::Value> for JsonTemplate {
    /// Converts free-form JSON. Object keys are sorted, so the result does not depend on
    /// whether `serde_json`'s `preserve_order` feature is enabled somewhere in the build.
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => JsonTemplate::Null,
            J::Bool(b) => JsonTemplate::Bool(b),
            J::Number(n) => JsonTemplate::Number(n),
            J::String(s) => JsonTemplate::String(s),
            J::Array(items) => JsonTemplate::array(items),
            J::Object(map) => {
                let mut entries: Vec<(String, JsonTemplate)> =
                    map.into_iter().map(|(k, v)| (k, v.into())).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                JsonTemplate::Object(entries)
            }
        }
    }
}
impl From<Json> for JsonTemplate {
    fn from(j: Json) -> Self {
        j.0.into()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::builtin::TerraformData;
    use crate::Stack;

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_escapes_them() {
        let mut every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        every_ascii.push_str("é→😀\u{85}\u{2028}${x}");
        for s in [
            every_ascii.as_str(),
            "",
            "plain",
            "\"",
            "a\\b",
            "\u{1}\u{1f}",
        ] {
            let mut ours = String::new();
            write_json_string(&mut ours, s);
            assert_eq!(ours, serde_json::to_string(s).unwrap_or_default(), "{s:?}");
        }
    }

    fn template_text(v: &Value<String>) -> String {
        match v {
            Value::Expr(e) => e.to_json_string(),
            Value::Literal(l) => panic!("expected a template, got literal {l:?}"),
        }
    }

    #[test]
    fn literal_only_is_literal_compact_json() {
        let doc = JsonTemplate::object([
            ("a", JsonTemplate::from(1)),
            ("b", JsonTemplate::array([true, false])),
            ("c", JsonTemplate::Null),
            ("d", JsonTemplate::from(1.5)),
            ("e", JsonTemplate::from("x\"y\\z\n")),
        ]);
        assert_eq!(
            doc.to_value(),
            Value::Literal(r#"{"a":1,"b":[true,false],"c":null,"d":1.5,"e":"x\"y\\z\n"}"#.into())
        );
    }

    #[test]
    fn free_form_json_is_sorted_and_escaped_like_serde_json() {
        let j = serde_json::json!({"z": [1, "\u{1}\u{7f}é", null], "a": {"k": -2.25}});
        assert_eq!(
            JsonTemplate::from(j).literal_text().as_deref(),
            Some("{\"a\":{\"k\":-2.25},\"z\":[1,\"\\u0001\u{7f}é\",null]}")
        );
    }

    #[test]
    fn expression_is_jsonencoded() {
        let arn: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.arn");
        let doc = JsonTemplate::object([("Resource", arn)]);
        assert_eq!(
            template_text(&doc.to_value()),
            r#"{"Resource":${jsonencode(aws_sagemaker_endpoint.large.arn)}}"#
        );
    }

    #[test]
    fn template_expression_is_quoted_inside_jsonencode() {
        let name: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.name");
        let id = crate::template!("endpoint/{}/variant/primary", name);
        let doc = JsonTemplate::array([id]);
        assert_eq!(
            template_text(&doc.to_value()),
            r#"[${jsonencode("endpoint/${aws_sagemaker_endpoint.large.name}/variant/primary")}]"#
        );
    }

    #[test]
    fn literal_interpolation_syntax_stays_literal() {
        let literal = JsonTemplate::object([("s", "cost ${x} %{ if y }")]);
        let v = literal.to_value();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#""{\"s\":\"cost $${x} %%{ if y }\"}""#
        );
        // Next to an expression, the literal parts are escaped the same way.
        let mixed = JsonTemplate::object([
            ("s", JsonTemplate::from("${x}")),
            ("e", Expr::<String>::raw("var.region").into()),
        ]);
        let v = mixed.to_value();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#""{\"s\":\"$${x}\",\"e\":${jsonencode(var.region)}}""#
        );
    }

    #[test]
    fn dependencies_are_merged() {
        let mut stack = Stack::new("t");
        let a = stack.add("a", TerraformData::new());
        let b = stack.add("b", TerraformData::new());
        let doc = JsonTemplate::object([
            ("a", JsonTemplate::from(a.output())),
            ("b", JsonTemplate::array([b.output(), a.output()])),
        ]);
        let Value::Expr(e) = doc.to_value() else {
            panic!("expected an expression")
        };
        assert_eq!(e.deps(), &[a.node(), b.node()]);
        assert_eq!(
            e.to_json_string(),
            r#"{"a":${jsonencode(terraform_data.a.output)},"b":[${jsonencode(terraform_data.b.output)},${jsonencode(terraform_data.a.output)}]}"#
        );
    }

    #[test]
    fn value_string_converts_by_kind() {
        assert_eq!(
            JsonTemplate::from(Value::from("x")),
            JsonTemplate::String("x".into())
        );
        assert!(JsonTemplate::from(Value::<String>::Expr(Expr::raw("var.x"))).has_expr());
        assert_eq!(JsonTemplate::from(f64::NAN), JsonTemplate::Null);
    }
}
