//! Rust source of the provider's functions (`provider::aws::arn_parse(…)`, Terraform ≥ 1.8)
//! from the `functions` of the schema: one Rust function per provider function, whose
//! arguments are values (literals or expressions) and whose result is an expression.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::names::{doc_sentence, pascal};

/// One function of `functions` in the schema.
#[derive(Debug, Deserialize)]
struct Function {
    description: Option<String>,
    return_type: serde_json::Value,
    #[serde(default)]
    parameters: Vec<Parameter>,
    variadic_parameter: Option<Parameter>,
}

#[derive(Debug, Deserialize)]
struct Parameter {
    name: String,
    description: Option<String>,
    #[serde(rename = "type")]
    type_: serde_json::Value,
}

/// The Rust type of a primitive cty type, as `Value<T>`/`Expr<T>` takes it (`dynamic`, any
/// value, as free-form JSON).
fn primitive(t: &serde_json::Value) -> Option<&'static str> {
    match t.as_str()? {
        "string" => Some("String"),
        "number" => Some("Number"),
        "bool" => Some("bool"),
        "dynamic" => Some("Json"),
        _ => None,
    }
}

/// A function or parameter name as a Rust identifier: a keyword takes a trailing `_`.
fn ident(name: &str) -> String {
    let mut out = crate::model::snake_ident(name);
    if crate::names::is_keyword(&out) {
        out.push('_');
    }
    out
}

/// The source of `functions.rs` (without the header line) for provider `provider` (`aws`),
/// whose documentation is at `docs` (the registry's, when it has one), generated code naming
/// the core `core`.
pub fn functions_module(
    provider: &str,
    functions: &BTreeMap<String, serde_json::Value>,
    docs: Option<&str>,
    core: &str,
) -> Result<String> {
    let mut out = String::new();
    writeln!(
        out,
        "//! The `{provider}` provider's functions, called as `provider::{provider}::<name>(…)` \
         (Terraform ≥ 1.8 reads them; the provider needs no configuration to run them).\n\
         #[allow(unused_imports)]\n\
         use {core}::value::{{Expr, Json, Number, Value}};\n"
    )?;
    for (name, raw) in functions {
        let f: Function = serde_json::from_value(raw.clone())
            .with_context(|| format!("provider function `{name}`"))?;
        if f.variadic_parameter.is_some() {
            bail!("provider function `{name}` is variadic, which the generator does not support");
        }
        let mut params = Vec::new();
        let mut param_docs = Vec::new();
        for p in &f.parameters {
            let Some(ty) = primitive(&p.type_) else {
                bail!(
                    "provider function `{name}`: parameter `{}` has type {}, which the generator does not support",
                    p.name,
                    p.type_
                );
            };
            params.push(format!("{}: impl Into<Value<{ty}>>", ident(&p.name)));
            if let Some(d) = &p.description {
                param_docs.push(format!("/// - `{}`: {}", p.name, doc_sentence(d)));
            }
        }
        let call = format!(
            "let mut deps = Vec::new();\n    let args: [String; {n}] = [{args}];\n    \
             Expr::raw_with_deps(format!(\"provider::{provider}::{name}({{}})\", args.join(\", \")), deps)",
            n = f.parameters.len(),
            args = f
                .parameters
                .iter()
                .map(|p| format!("{}.into().to_hcl(&mut deps)", ident(&p.name)))
                .collect::<Vec<_>>()
                .join(", "),
        );
        if let Some(d) = &f.description {
            writeln!(out, "/// {}", doc_sentence(d))?;
        }
        if docs.is_some() || !param_docs.is_empty() {
            writeln!(out, "///")?;
        }
        for line in &param_docs {
            writeln!(out, "{line}")?;
        }
        if !param_docs.is_empty() && docs.is_some() {
            writeln!(out, "///")?;
        }
        if let Some(docs) = docs {
            writeln!(
                out,
                "/// [Registry documentation]({docs}/functions/{name})."
            )?;
        }
        let rust = ident(name);
        match (primitive(&f.return_type), &f.return_type) {
            (Some(ty), _) => {
                writeln!(
                    out,
                    "pub fn {rust}({}) -> Expr<{ty}> {{\n    {call}\n}}\n",
                    params.join(", ")
                )?;
            }
            (None, serde_json::Value::Array(parts))
                if parts.first().and_then(|k| k.as_str()) == Some("object") =>
            {
                let attrs = parts.get(1).and_then(|a| a.as_object()).with_context(|| {
                    format!("provider function `{name}`: object without attributes")
                })?;
                let result = format!("{}Result", pascal(name));
                writeln!(
                    out,
                    "pub fn {rust}({}) -> {result} {{\n    {result}({{\n    {call}\n    }})\n}}\n",
                    params.join(", ")
                )?;
                writeln!(
                    out,
                    "/// The object [`{rust}`] returns; each accessor reads one of its attributes."
                )?;
                writeln!(
                    out,
                    "#[derive(Debug, Clone)]\npub struct {result}(Expr<Json>);"
                )?;
                writeln!(out, "impl {result} {{")?;
                writeln!(out, "    /// The whole object.\n    pub fn expr(&self) -> &Expr<Json> {{ &self.0 }}")?;
                for (attr, ty) in attrs {
                    let ty = primitive(ty).unwrap_or("Json");
                    writeln!(
                        out,
                        "    /// `.{attr}` of the result.\n    pub fn {attr}(&self) -> Expr<{ty}> {{ Expr::raw_with_deps(format!(\"{{}}.{attr}\", self.0.hcl()), self.0.deps().to_vec()) }}"
                    )?;
                }
                writeln!(out, "}}\n")?;
            }
            (None, other) => bail!(
                "provider function `{name}` returns {other}, which the generator does not support"
            ),
        }
    }
    Ok(out)
}
