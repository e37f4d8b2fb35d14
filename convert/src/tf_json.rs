//! Terraform's JSON syntax (`.tf.json`) read as HCL: the JSON is translated into the HCL text
//! Terraform would read the same way, which the lowering then parses like any `.tf` file.
//!
//! The translation follows Terraform's rules for JSON: a block type's key holds its labels
//! as nested object keys (`"resource": {"aws_s3_bucket": {"a": {…}}}`); inside a block, a
//! key is a nested block when the provider schema (the [`Catalog`]) says so (an object, or an
//! array of objects for a repeated block), an argument otherwise; every string of an
//! argument is a template (`"${aws_s3_bucket.a.arn}"`), except where Terraform reads a bare
//! expression (`depends_on`, `provider`, `ignore_changes`, `replace_triggered_by`, a
//! variable's `type`, a `dynamic` block's `iterator`, `moved`/`import`/`removed` addresses)
//! and a variable's `default`, which is a literal.
//!
//! `serde_json` keeps no positions, so the JSON is checked by `serde_json` (its message and
//! line for a syntax error) and then read a second time by a small reader that keeps each
//! key's line and the keys' order. The HCL text is padded with blank lines so that every
//! argument and block starts on the line its key has in the JSON: the lowering's messages
//! name the JSON file's lines. (A nested block written on one line of JSON takes three
//! lines of HCL; the lines after it in the same block then run late by two.)

use oxiform_codegen::model::{BlockModel, Kind};
use oxiform_core::diagnostic::{Diagnostic, Place};

use crate::catalog::Catalog;
use crate::source::Source;

/// A JSON value in document order, each object key with its line.
#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<J>),
    Object(Vec<(String, u32, J)>),
}

/// `source` (a `.tf.json` file) as a source of HCL text with the same name.
pub(crate) fn to_hcl(cat: &Catalog, source: &Source) -> Result<Source, Diagnostic> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&source.text) {
        return Err(Diagnostic::error(e.to_string())
            .lead("invalid JSON")
            .place(Place::new().file(source.name.clone(), u32::try_from(e.line()).unwrap_or(0))));
    }
    let mut reader = Reader {
        text: source.text.as_bytes(),
        at: 0,
        line: 1,
    };
    let root = reader.value();
    let J::Object(blocks) = root else {
        return Err(
            Diagnostic::error("a Terraform JSON file is one object of block types")
                .lead("unexpected JSON")
                .place(Place::new().file(source.name.clone(), 1)),
        );
    };
    let mut w = Writer {
        cat,
        out: String::new(),
        line: 1,
        file: &source.name,
        errors: Vec::new(),
    };
    for (kind, line, value) in &blocks {
        w.top(kind, *line, value);
    }
    if let Some(e) = w.errors.into_iter().next() {
        return Err(e);
    }
    Ok(Source::new(source.name.clone(), w.out))
}

/// Reads JSON already checked by `serde_json`, keeping order and lines.
struct Reader<'t> {
    text: &'t [u8],
    at: usize,
    line: u32,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.text.get(self.at) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn value(&mut self) -> J {
        self.skip_ws();
        match self.text.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    match self.text.get(self.at) {
                        Some(b'}') | None => {
                            self.at += 1;
                            return J::Object(entries);
                        }
                        Some(b',') => self.at += 1,
                        _ => {
                            let line = self.line;
                            let key = self.string();
                            self.skip_ws();
                            self.at += 1; // `:`
                            let value = self.value();
                            entries.push((key, line, value));
                        }
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.text.get(self.at) {
                        Some(b']') | None => {
                            self.at += 1;
                            return J::Array(items);
                        }
                        Some(b',') => self.at += 1,
                        _ => items.push(self.value()),
                    }
                }
            }
            Some(b'"') => J::String(self.string()),
            Some(b't') => {
                self.at += 4;
                J::Bool(true)
            }
            Some(b'f') => {
                self.at += 5;
                J::Bool(false)
            }
            Some(b'n') => {
                self.at += 4;
                J::Null
            }
            _ => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    self.at += 1;
                }
                J::Number(String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
            }
        }
    }

    /// A string token, unescaped by `serde_json`.
    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while let Some(&b) = self.text.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => break,
                _ => {}
            }
        }
        let token = String::from_utf8_lossy(&self.text[start..self.at.min(self.text.len())]);
        serde_json::from_str(&token).unwrap_or_default()
    }
}

/// How a JSON string is read.
#[derive(Clone, Copy, PartialEq)]
enum Str {
    /// A template: `${…}` interpolates.
    Template,
    /// A bare expression.
    Expr,
    /// A literal: `${` is text.
    Literal,
}

struct Writer<'c> {
    cat: &'c Catalog,
    out: String,
    /// The line the next text goes on.
    line: u32,
    file: &'c str,
    errors: Vec<Diagnostic>,
}

impl Writer<'_> {
    /// Blank lines until `line` (a key's line in the JSON), then the indentation.
    fn at(&mut self, line: u32, depth: usize) {
        while self.line < line {
            self.out.push('\n');
            self.line += 1;
        }
        self.out.push_str(&"  ".repeat(depth));
    }

    fn push(&mut self, text: &str) {
        self.line += u32::try_from(text.matches('\n').count()).unwrap_or(0);
        self.out.push_str(text);
    }

    fn error(&mut self, line: u32, address: &str, message: &str) {
        self.errors.push(
            Diagnostic::error(message.to_owned())
                .lead("unexpected JSON")
                .place(
                    Place::new()
                        .address(address.to_owned())
                        .file(self.file.to_owned(), line),
                ),
        );
    }

    /// One top-level block type: its labels, then the bodies.
    fn top(&mut self, kind: &str, line: u32, value: &J) {
        let labels = match kind {
            "resource" | "data" => 2,
            "variable" | "output" | "provider" | "module" | "check" => 1,
            "//" => return,
            _ => 0,
        };
        self.labelled(kind, line, value, labels, &mut Vec::new());
    }

    fn labelled(&mut self, kind: &str, line: u32, value: &J, labels: usize, got: &mut Vec<String>) {
        if got.len() < labels {
            let J::Object(entries) = value else {
                let address = [kind.to_owned()].into_iter().chain(got.iter().cloned());
                self.error(
                    line,
                    &address.collect::<Vec<_>>().join("."),
                    "expected an object keyed by the block's labels",
                );
                return;
            };
            for (label, line, v) in entries {
                got.push(label.clone());
                self.labelled(kind, *line, v, labels, got);
                got.pop();
            }
            return;
        }
        // Several bodies under the same labels (`"provider": {"aws": [{…}, {…}]}`).
        if let J::Array(items) = value {
            for item in items {
                self.labelled(kind, line, item, labels, got);
            }
            return;
        }
        let schema = match (kind, got.as_slice()) {
            ("resource", [t, _]) => self.cat.get(Kind::Managed, t).map(|m| &m.body),
            ("data", [t, _]) => self.cat.get(Kind::Data, t).map(|m| &m.body),
            ("provider", [p]) if p == "aws" => Some(&self.cat.provider.body),
            _ => None,
        };
        let address = match kind {
            "resource" => got.join("."),
            _ => [kind.to_owned()]
                .into_iter()
                .chain(got.iter().cloned())
                .collect::<Vec<_>>()
                .join("."),
        };
        let quoted: Vec<String> = got.iter().map(|l| hcl_string(l, Str::Literal)).collect();
        let head = if quoted.is_empty() {
            kind.to_owned()
        } else {
            format!("{kind} {}", quoted.join(" "))
        };
        self.block(&head, kind, line, value, schema, 0, &address);
    }

    /// `head { … }` from a JSON object.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        head: &str,
        kind: &str,
        line: u32,
        value: &J,
        schema: Option<&BlockModel>,
        depth: usize,
        address: &str,
    ) {
        let J::Object(entries) = value else {
            self.error(line, address, &format!("`{head}` must be an object"));
            return;
        };
        self.at(line, depth);
        self.push(&format!("{head} {{\n"));
        for (key, line, v) in entries {
            self.member(kind, key, *line, v, schema, depth + 1, address);
        }
        self.out.push_str(&"  ".repeat(depth));
        self.push("}\n");
    }

    /// One key of a block's body: a nested block or an argument.
    #[allow(clippy::too_many_arguments)]
    fn member(
        &mut self,
        kind: &str,
        key: &str,
        line: u32,
        v: &J,
        schema: Option<&BlockModel>,
        depth: usize,
        address: &str,
    ) {
        if key == "//" {
            return;
        }
        let top_resource = depth == 1 && matches!(kind, "resource" | "data");
        let nested = schema.and_then(|s| s.blocks.iter().find(|b| b.tf == key));
        // Blocks whatever the schema: meta blocks and the blocks of Terraform's own blocks.
        let meta_block = match (kind, depth, key) {
            (_, _, "lifecycle" | "connection") if top_resource => true,
            ("variable", 1, "validation") => true,
            ("terraform", 1, "required_providers" | "backend" | "cloud") => true,
            ("resource" | "data" | "output", _, "precondition" | "postcondition") => true,
            ("removed", 1, "lifecycle") => true,
            ("provisioner", 2, "connection") => true,
            _ => false,
        };
        if key == "dynamic" && schema.is_some() {
            return self.dynamic(line, v, schema, depth, address);
        }
        if key == "provisioner" && top_resource {
            // `"provisioner": [{"local-exec": {…}}]`: the type is a label.
            let items: Vec<&J> = match v {
                J::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for item in items {
                if let J::Object(types) = item {
                    for (t, line, body) in types {
                        let head = format!("provisioner {}", hcl_string(t, Str::Literal));
                        self.block(&head, "provisioner", *line, body, None, depth, address);
                    }
                }
            }
            return;
        }
        if key == "backend" && kind == "terraform" {
            // `"backend": {"s3": {…}}`: the type is a label.
            if let J::Object(types) = v {
                for (t, line, body) in types {
                    let head = format!("backend {}", hcl_string(t, Str::Literal));
                    self.literal_block(&head, *line, body, depth, address);
                }
            }
            return;
        }
        if key == "required_providers" && kind == "terraform" {
            return self.literal_block(key, line, v, depth, address);
        }
        if nested.is_some() || meta_block {
            let inner = nested.map(|b| &b.model);
            let items: Vec<&J> = match v {
                J::Array(items) => items.iter().collect(),
                one => vec![one],
            };
            for item in items {
                self.block(key, kind, line, item, inner, depth, address);
            }
            return;
        }
        let how = match (kind, key) {
            (_, "depends_on" | "provider" | "ignore_changes" | "replace_triggered_by") => Str::Expr,
            ("variable", "type") | ("moved", "from" | "to") | ("import", "to") => Str::Expr,
            ("removed", "from") => Str::Expr,
            ("variable", "default") => Str::Literal,
            _ => Str::Template,
        };
        self.at(line, depth);
        let text = format!("{key} = {}\n", hcl_value(v, how));
        self.push(&text);
    }

    /// `dynamic "label" { for_each = …, iterator = …, content { … } }`, the content with the
    /// schema of the block it makes.
    fn dynamic(
        &mut self,
        line: u32,
        v: &J,
        schema: Option<&BlockModel>,
        depth: usize,
        address: &str,
    ) {
        let J::Object(labels) = v else {
            return self.error(
                line,
                address,
                "`dynamic` must be an object keyed by block type",
            );
        };
        for (label, line, body) in labels {
            let inner = schema
                .and_then(|s| s.blocks.iter().find(|b| b.tf == *label))
                .map(|b| &b.model);
            let J::Object(entries) = body else {
                self.error(*line, address, "a `dynamic` block must be an object");
                continue;
            };
            self.at(*line, depth);
            self.push(&format!("dynamic {} {{\n", hcl_string(label, Str::Literal)));
            for (key, line, v) in entries {
                match key.as_str() {
                    "content" => {
                        self.block("content", "dynamic", *line, v, inner, depth + 1, address)
                    }
                    "iterator" => {
                        self.at(*line, depth + 1);
                        self.push(&format!("iterator = {}\n", hcl_value(v, Str::Expr)));
                    }
                    _ => self.member("dynamic", key, *line, v, None, depth + 1, address),
                }
            }
            self.out.push_str(&"  ".repeat(depth));
            self.push("}\n");
        }
    }

    /// A block whose members are all arguments with literal values.
    fn literal_block(&mut self, head: &str, line: u32, v: &J, depth: usize, address: &str) {
        let J::Object(entries) = v else {
            return self.error(line, address, &format!("`{head}` must be an object"));
        };
        self.at(line, depth);
        self.push(&format!("{head} {{\n"));
        for (key, line, v) in entries {
            self.at(*line, depth + 1);
            let text = format!("{} = {}\n", hcl_key(key), hcl_value(v, Str::Literal));
            self.push(&text);
        }
        self.out.push_str(&"  ".repeat(depth));
        self.push("}\n");
    }
}

/// A key as an HCL argument name, quoted when it is not an identifier.
fn hcl_key(key: &str) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        key.to_owned()
    } else {
        hcl_string(key, Str::Literal)
    }
}

/// A JSON value as an HCL expression, on one line.
fn hcl_value(v: &J, how: Str) -> String {
    match v {
        J::Null => "null".to_owned(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.clone(),
        J::String(s) if how == Str::Expr => s.clone(),
        J::String(s) => hcl_string(s, how),
        J::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| hcl_value(i, how)).collect();
            format!("[{}]", items.join(", "))
        }
        J::Object(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, _, v)| format!("{} = {}", hcl_key(k), hcl_value(v, how)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// A string as an HCL quoted string: a template keeps `${…}` and `%{…}`, a literal doubles
/// them.
fn hcl_string(s: &str, how: Str) -> String {
    let mut out = String::from("\"");
    let mut prev = None;
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '{' if how == Str::Literal && matches!(prev, Some('$' | '%')) => {
                if let Some(p) = prev {
                    out.push(p);
                }
                out.push('{');
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_templates_or_literals() {
        assert_eq!(
            hcl_string("a ${x} \"q\"\n", Str::Template),
            r#""a ${x} \"q\"\n""#
        );
        assert_eq!(
            hcl_string("a ${x} %{y}", Str::Literal),
            r#""a $${x} %%{y}""#
        );
    }

    #[test]
    fn meta_arguments_provisioners_and_lines() {
        let json = r#"{
  "resource": {
    "aws_sqs_queue": {
      "q": {
        "count": "${var.n}",
        "provisioner": [{ "local-exec": { "command": "echo ${self.arn}" } }],
        "lifecycle": { "ignore_changes": ["tags"] },
        "depends_on": ["aws_sqs_queue.r"]
      }
    }
  }
}"#;
        let cat = crate::catalog()
            .map_err(|e| e.render())
            .unwrap_or_else(|e| panic!("{e}"));
        let hcl = to_hcl(cat, &Source::new("main.tf.json", json))
            .map_err(|e| e.render())
            .unwrap_or_else(|e| panic!("{e}"))
            .text;
        let lines: Vec<&str> = hcl.lines().map(str::trim).collect();
        assert_eq!(lines[3], r#"resource "aws_sqs_queue" "q" {"#, "{hcl}");
        assert_eq!(lines[4], r#"count = "${var.n}""#, "{hcl}");
        assert_eq!(lines[5], r#"provisioner "local-exec" {"#, "{hcl}");
        assert!(hcl.contains(r#"command = "echo ${self.arn}""#), "{hcl}");
        // A block written on one line of JSON takes three of HCL: what follows runs late.
        assert_eq!(lines[8], "lifecycle {", "{hcl}");
        assert!(hcl.contains("ignore_changes = [tags]"), "{hcl}");
        assert!(hcl.contains("depends_on = [aws_sqs_queue.r]"), "{hcl}");
        assert!(hcl_edit::parser::parse_body(&hcl).is_ok(), "{hcl}");
    }

    #[test]
    fn the_reader_keeps_order_and_lines() {
        let text = "{\n  \"b\": 1,\n  \"a\": [true, null, \"x\\\"y\"]\n}";
        let mut r = Reader {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        };
        let J::Object(entries) = r.value() else {
            panic!("not an object")
        };
        let keys: Vec<(&str, u32)> = entries.iter().map(|(k, l, _)| (k.as_str(), *l)).collect();
        assert_eq!(keys, [("b", 2), ("a", 3)]);
        assert_eq!(
            hcl_value(&entries[1].2, Str::Template),
            r#"[true, null, "x\"y"]"#
        );
    }
}
