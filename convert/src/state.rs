//! `convert --from-state`: the managed AWS resources of a Terraform state (format version 4,
//! `terraform.tfstate`) or of `terraform show -json`, written as HCL — one `resource` block
//! with its settable arguments and an `import` block per resource — and converted by the
//! same lowering as any HCL, so the Rust has a typed builder and a `stack.import(&h, id)`
//! for each.
//!
//! What is written is what keeps the plan after the import free of changes, and no more:
//!
//! - only arguments and blocks of the schema (`oxiform_codegen::model`): computed-only
//!   attributes (`arn`, `id`, `tags_all`) and write-only ones are left out;
//! - `null`, `""`, `[]` and `{}` are left out, and so are `0` and `false` where the attribute
//!   is optional and computed (the provider fills it in);
//! - `name_prefix` (any `X_prefix`) is left out when `X` is written: the provider derives it;
//! - deprecated attributes the provider computes, and deprecated blocks (the S3 bucket's
//!   `versioning`, `grant`, …, read back from the APIs their own resources manage), are left
//!   out, named in one warning per resource;
//! - a block whose every value is empty, `0` or `false` is left out (the provider's defaults,
//!   e.g. a DynamoDB table's `ttl { enabled = false }`);
//! - a sensitive argument is never written: it becomes a sensitive `variable` without a
//!   default, which the plan asks for, and a warning;
//! - `count` and `for_each` instances and resources in modules each become a resource of
//!   their own (`work["orders"]` → `work_orders`, `module.db.aws_x.y` → `db_y`), imported
//!   from the same object.
//!
//! Resources of other providers, data sources, deposed objects and types the pinned provider
//! does not have are left out with a warning each.

use std::collections::BTreeSet;

use oxiform_codegen::model::{Attr, BlockModel, Kind, Prim, Ty};
use oxiform_core::diagnostic::{Diagnostic, Place};
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::{convert_with, Converted, Source};

/// Import IDs that are not the `id` attribute: the attributes joined, in order, by `/` (the
/// provider's import documentation of each type).
const IMPORT_IDS: &[(&str, &[&str])] = &[
    ("aws_iam_role_policy_attachment", &["role", "policy_arn"]),
    ("aws_iam_user_policy_attachment", &["user", "policy_arn"]),
    ("aws_iam_group_policy_attachment", &["group", "policy_arn"]),
    ("aws_lambda_permission", &["function_name", "statement_id"]),
];

/// The HCL written from a state, and what was left out of it.
#[derive(Debug, Clone)]
pub struct StateHcl {
    /// The HCL: `variable` blocks for sensitive arguments, then a `resource` and an
    /// `import` block per resource; named `<state> as HCL` (the lines of a warning about a
    /// value are its lines).
    pub source: Source,
    /// One per resource or value left out.
    pub warnings: Vec<Diagnostic>,
    /// How many resources it imports.
    pub resources: usize,
}

/// One resource instance of the state.
struct Instance {
    /// Its address in the state (`module.db.aws_sqs_queue.work["a"]`).
    address: String,
    mode: String,
    tf_type: String,
    /// The HCL name it gets.
    name: String,
    provider: String,
    values: Map<String, Value>,
    /// Top-level attributes the state marks sensitive.
    sensitive: BTreeSet<String>,
    /// `deposed` or `tainted`, when so.
    status: Option<String>,
}

/// Converts the state in `text` (named `name` in messages) into a Rust module: a typed
/// builder and a `stack.import` for each managed AWS resource.
pub fn convert_state(name: &str, text: &str) -> Result<Converted, Vec<Diagnostic>> {
    let catalog = crate::catalog().map_err(|e| vec![e])?;
    let hcl = state_to_hcl(catalog, name, text).map_err(|e| vec![e])?;
    convert_state_hcl(catalog, hcl)
}

/// Converts the HCL [`state_to_hcl`] wrote; its warnings first, then the conversion's.
pub fn convert_state_hcl(cat: &Catalog, hcl: StateHcl) -> Result<Converted, Vec<Diagnostic>> {
    let mut converted = convert_with(cat, std::slice::from_ref(&hcl.source))?;
    let mut warnings = hcl.warnings;
    warnings.append(&mut converted.warnings);
    converted.warnings = warnings;
    Ok(converted)
}

/// The HCL [`convert_state`] converts: what the state's managed AWS resources are, with an
/// `import` block each.
pub fn state_to_hcl(cat: &Catalog, name: &str, text: &str) -> Result<StateHcl, Diagnostic> {
    let json: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(e.to_string())
            .lead("not JSON")
            .place(Place::new().file(name, u32::try_from(e.line()).unwrap_or(0)))
            .hint("give a Terraform state (`terraform.tfstate`) or `terraform show -json` output")
    })?;
    let instances = read_state(name, &json)?;
    let mut w = Writer {
        cat,
        out: String::new(),
        vars: String::new(),
        warnings: Vec::new(),
        names: BTreeSet::new(),
        var_names: BTreeSet::new(),
        resources: 0,
    };
    for i in &instances {
        w.instance(i);
    }
    let text = format!(
        "# The managed AWS resources of {name}, each imported.\n{}{}",
        w.vars, w.out
    );
    Ok(StateHcl {
        source: Source::new(format!("{name} as HCL"), text),
        warnings: w.warnings,
        resources: w.resources,
    })
}

/// The instances of a state file or of `terraform show -json`.
fn read_state(name: &str, json: &Value) -> Result<Vec<Instance>, Diagnostic> {
    let place = || Place::new().address(name.to_owned());
    let mut out = Vec::new();
    if json.get("planned_values").is_some() || json.get("resource_changes").is_some() {
        return Err(Diagnostic::error(
            "it is the JSON of a plan, which holds what would change, not what exists",
        )
        .lead("cannot read the state")
        .place(place())
        .hint("give `terraform show -json` without a plan file, or the state file itself"));
    }
    if json.get("format_version").is_some() {
        // `terraform show -json`: values.root_module.{resources, child_modules}.
        if let Some(root) = json.pointer("/values/root_module") {
            show_module(root, &mut out);
        }
        return Ok(out);
    }
    match json.get("version").and_then(Value::as_u64) {
        Some(4) => {}
        Some(v) => {
            return Err(Diagnostic::error(format!(
                "it is a state of format version {v}; only version 4 (Terraform 0.12 and later) \
                 is read"
            ))
            .lead("cannot read the state")
            .place(place())
            .hint("run `terraform state pull` with a current Terraform to upgrade it"))
        }
        None => {
            return Err(Diagnostic::error(
                "it is neither a Terraform state (`\"version\": 4`) nor the JSON of `terraform \
                 show -json` (`\"format_version\"`)",
            )
            .lead("cannot read the state")
            .place(place())
            .hint("give `terraform.tfstate`, the output of `terraform state pull`, or of `terraform show -json`"))
        }
    }
    for r in json
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
        let module = text("module");
        for inst in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = inst.get("index_key");
            let mut address = String::new();
            if !module.is_empty() {
                address.push_str(module);
                address.push('.');
            }
            if text("mode") == "data" {
                address.push_str("data.");
            }
            address.push_str(&format!("{}.{}", text("type"), text("name")));
            address.push_str(&key_suffix(key));
            let sensitive = inst
                .get("sensitive_attributes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|path| {
                    // `[{"type": "get_attr", "value": "password"}, …]`
                    path.get(0)
                        .filter(|step| step.get("type").and_then(Value::as_str) == Some("get_attr"))
                        .and_then(|step| step.get("value"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect();
            let status = if inst.get("deposed").is_some() {
                Some("deposed".to_owned())
            } else {
                inst.get("status")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            out.push(Instance {
                address,
                mode: text("mode").to_owned(),
                tf_type: text("type").to_owned(),
                name: hcl_name(module, text("name"), key),
                provider: text("provider").to_owned(),
                values: inst
                    .get("attributes")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
                sensitive,
                status,
            });
        }
    }
    Ok(out)
}

/// The resources of one module of `terraform show -json`, then its child modules'.
fn show_module(module: &Value, out: &mut Vec<Instance>) {
    let path = module
        .get("address")
        .and_then(Value::as_str)
        .unwrap_or_default();
    for r in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
        let sensitive = r
            .get("sensitive_values")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| **v == Value::Bool(true))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        out.push(Instance {
            address: text("address").to_owned(),
            mode: text("mode").to_owned(),
            tf_type: text("type").to_owned(),
            name: hcl_name(path, text("name"), r.get("index")),
            provider: text("provider_name").to_owned(),
            values: r
                .get("values")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            sensitive,
            status: None,
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        show_module(child, out);
    }
}

/// `hashicorp/random` of `provider["registry.terraform.io/hashicorp/random"].alias` or of
/// `registry.terraform.io/hashicorp/random`.
fn provider_source(provider: &str) -> &str {
    let inner = provider
        .split_once("provider[\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or(provider, |(inner, _)| inner);
    inner
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(inner)
}

/// `[0]`, `["a"]` or nothing.
fn key_suffix(key: Option<&Value>) -> String {
    match key {
        Some(Value::String(s)) => format!("[{s:?}]"),
        Some(Value::Number(n)) => format!("[{n}]"),
        _ => String::new(),
    }
}

/// The HCL name of a resource instance: its module names, its name and its key, joined by
/// `_`, as an identifier (`module.db[0]`, `work`, `"orders"` → `db_0_work_orders`).
fn hcl_name(module: &str, name: &str, key: Option<&Value>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = module;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        parts.push(after[..end].to_owned());
        let mut after = &after[end..];
        if let Some(k) = after.strip_prefix('[') {
            let close = if let Some(quoted) = k.strip_prefix('"') {
                quoted.find('"').map(|i| i + 2)
            } else {
                k.find(']')
            };
            let close = close.unwrap_or(k.len());
            parts.push(k[..close].trim_matches('"').to_owned());
            after = k[close..].strip_prefix(']').unwrap_or_default();
        }
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    parts.push(name.to_owned());
    match key {
        Some(Value::String(s)) => parts.push(s.clone()),
        Some(Value::Number(n)) => parts.push(n.to_string()),
        _ => {}
    }
    let joined = parts.join("_");
    oxiform_core::graph::identifier_from(&joined)
}

/// `s` as an HCL quoted string: escapes, and `${`/`%{` doubled so they stay literal.
pub(crate) fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Any JSON value as an HCL literal.
fn hcl_value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => hcl_string(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(hcl_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(m) => {
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{} = {}", hcl_string(k), hcl_value(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// `null`, `""`, `[]` or `{}`.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// Empty, `0` or `false`: what the provider writes when nobody set it.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Array(a) => a.iter().all(is_zero),
        Value::Object(m) => m.values().all(is_zero),
        other => is_empty(other),
    }
}

struct Writer<'a> {
    cat: &'a Catalog,
    out: String,
    vars: String,
    warnings: Vec<Diagnostic>,
    names: BTreeSet<String>,
    var_names: BTreeSet<String>,
    resources: usize,
}

impl Writer<'_> {
    fn warn(&mut self, address: &str, field: &str, what: String) {
        let mut place = Place::new().address(address.to_owned());
        if !field.is_empty() {
            place = place.field(field);
        }
        self.warnings.push(
            Diagnostic::warning(what)
                .lead("not converted:")
                .place(place),
        );
    }

    fn instance(&mut self, i: &Instance) {
        if i.mode != "managed" {
            self.warn(
                &i.address,
                "",
                "a data source holds nothing to import; left out (declare it in the code if \
                 the resources need it)"
                    .to_owned(),
            );
            return;
        }
        if !i.provider.contains("hashicorp/aws\"]") && !i.provider.ends_with("hashicorp/aws") {
            self.warn(
                &i.address,
                "",
                format!(
                    "only resources of the `hashicorp/aws` provider are converted (this one is \
                     of `{}`); left out",
                    provider_source(&i.provider)
                ),
            );
            return;
        }
        if i.status.as_deref() == Some("deposed") {
            self.warn(
                &i.address,
                "",
                "a deposed object (left by a failed create-before-destroy) is not adopted; left \
                 out"
                .to_owned(),
            );
            return;
        }
        let Some(model) = self.cat.get(Kind::Managed, &i.tf_type) else {
            self.warn(
                &i.address,
                "",
                format!(
                    "the AWS provider {} oxiform is generated from has no resource type `{}`; \
                     left out",
                    self.cat.version, i.tf_type
                ),
            );
            return;
        };
        let Some(id) = import_id(&i.tf_type, &i.values) else {
            self.warn(
                &i.address,
                "",
                "the state holds no import ID (`id`) for it; left out".to_owned(),
            );
            return;
        };
        if i.status.as_deref() == Some("tainted") {
            self.warn(
                &i.address,
                "",
                "it is tainted in the state: adopted as it is, but check it".to_owned(),
            );
        }
        let mut name = i.name.clone();
        let mut n = 2;
        while !self.names.insert(format!("{}.{name}", i.tf_type)) {
            name = format!("{}_{n}", i.name);
            n += 1;
        }
        let mut body = String::new();
        let mut left_out = Vec::new();
        let mut res = Res {
            i,
            name: &name,
            left_out: &mut left_out,
        };
        self.body(&mut res, &model.body, &i.values, "", 1, &mut body, true);
        if !left_out.is_empty() {
            self.warn(
                &i.address,
                "",
                format!(
                    "deprecated, and read back by the provider from what other resources \
                     manage: {}; left out (declare those resources to manage them)",
                    left_out.join(", ")
                ),
            );
        }
        self.out.push_str(&format!(
            "\nresource {} {} {{\n{body}}}\n\nimport {{\n  to = {}.{name}\n  id = {}\n}}\n",
            hcl_string(&i.tf_type),
            hcl_string(&name),
            i.tf_type,
            hcl_string(&id)
        ));
        self.resources += 1;
    }

    /// The arguments and blocks of `model` set in `values`, indented.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &mut self,
        res: &mut Res<'_>,
        model: &BlockModel,
        values: &Map<String, Value>,
        path: &str,
        depth: usize,
        out: &mut String,
        top: bool,
    ) {
        let pad = "  ".repeat(depth);
        let field = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        let written = |a: &Attr| {
            values
                .get(&a.tf)
                .is_some_and(|v| !(is_empty(v) || (a.computed && !a.required && is_zero(v))))
        };
        for a in &model.attrs {
            let Some(v) = values.get(&a.tf) else { continue };
            if !a.argument || a.write_only {
                continue;
            }
            if a.required {
                if v.is_null() {
                    continue;
                }
            } else if !written(a) {
                continue;
            }
            if a.deprecated && a.computed && !a.required {
                res.left_out.push(format!("`{}`", field(&a.tf)));
                continue;
            }
            if let Some(stem) = a.tf.strip_suffix("_prefix") {
                if model.attrs.iter().any(|b| b.tf == stem && written(b)) {
                    continue;
                }
            }
            let sensitive = a.sensitive || (top && res.i.sensitive.contains(&a.tf));
            if sensitive {
                match self.variable(res, a, &field(&a.tf)) {
                    Some(var) => out.push_str(&format!("{pad}{} = var.{var}\n", a.tf)),
                    None => continue,
                }
            } else {
                out.push_str(&format!("{pad}{} = {}\n", a.tf, hcl_value(v)));
            }
        }
        for bf in &model.blocks {
            if bf.tf == "timeouts" {
                continue;
            }
            let instances: Vec<&Map<String, Value>> = match values.get(&bf.tf) {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
                Some(Value::Object(m)) => vec![m],
                _ => Vec::new(),
            };
            if instances.is_empty() {
                continue;
            }
            if bf.deprecated {
                if instances.iter().any(|m| m.values().any(|v| !is_zero(v))) {
                    res.left_out.push(format!("`{}`", field(&bf.tf)));
                }
                continue;
            }
            for m in instances {
                if !bf.required && m.values().all(is_zero) {
                    continue;
                }
                let mut inner = String::new();
                self.body(
                    res,
                    &bf.model,
                    m,
                    &field(&bf.tf),
                    depth + 1,
                    &mut inner,
                    false,
                );
                out.push_str(&format!("{pad}{} {{\n{inner}{pad}}}\n", bf.tf));
            }
        }
        // What the state holds that the pinned schema does not know.
        if top {
            let known: BTreeSet<&str> = model
                .attrs
                .iter()
                .map(|a| a.tf.as_str())
                .chain(model.blocks.iter().map(|b| b.tf.as_str()))
                .collect();
            let unknown: Vec<String> = values
                .iter()
                .filter(|(k, v)| !known.contains(k.as_str()) && !is_zero(v))
                .map(|(k, _)| format!("`{k}`"))
                .collect();
            if !unknown.is_empty() {
                let address = res.i.address.clone();
                self.warn(
                    &address,
                    "",
                    format!(
                        "{} {} not in the AWS provider {} schema oxiform is generated from; left \
                         out",
                        unknown.join(", "),
                        if unknown.len() == 1 { "is" } else { "are" },
                        self.cat.version
                    ),
                );
            }
        }
    }

    /// A sensitive `variable` for the argument `a` of the resource, named after both; `None`
    /// (and a warning) when its type has no variable form the conversion reads.
    fn variable(&mut self, res: &mut Res<'_>, a: &Attr, field: &str) -> Option<String> {
        let ty = match a.ty {
            Ty::Prim(Prim::String) => "string",
            Ty::Prim(Prim::Bool) => "bool",
            Ty::Prim(Prim::Int) => "number",
            Ty::List(Prim::String) => "list(string)",
            _ => {
                let address = res.i.address.clone();
                self.warn(
                    &address,
                    field,
                    "a sensitive value of a type written as no variable yet; left out: set it \
                     in the code yourself (never as a literal)"
                        .to_owned(),
                );
                return None;
            }
        };
        let wanted = format!("{}_{}", res.name, field.replace('.', "_"));
        let mut var = wanted.clone();
        let mut n = 2;
        while !self.var_names.insert(var.clone()) {
            var = format!("{wanted}_{n}");
            n += 1;
        }
        let address = res.i.address.clone();
        self.warn(
            &address,
            field,
            format!(
                "sensitive: not written from the state; the variable `{var}` stands for it (give \
                 it a value at plan, e.g. `TF_VAR_{var}`)"
            ),
        );
        self.vars.push_str(&format!(
            "\nvariable {} {{\n  type      = {ty}\n  sensitive = true\n}}\n",
            hcl_string(&var)
        ));
        Some(var)
    }
}

/// The resource being written.
struct Res<'r> {
    i: &'r Instance,
    name: &'r str,
    left_out: &'r mut Vec<String>,
}

/// The import ID of a resource of `tf_type` with `values`: the `id` attribute, or for the
/// types of [`IMPORT_IDS`] their attributes joined by `/`.
fn import_id(tf_type: &str, values: &Map<String, Value>) -> Option<String> {
    let text = |k: &str| {
        values
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match IMPORT_IDS.iter().find(|(t, _)| *t == tf_type) {
        Some((_, parts)) => {
            let parts: Option<Vec<String>> = parts.iter().map(|p| text(p)).collect();
            parts.map(|p| p.join("/"))
        }
        None => text("id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_survive_hcl_escaping() {
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "line\nbreak\ttab\r",
            "${aws:username}",
            "$${a}",
            "$$${a}",
            "%{ if x }y%{ endif }",
            "%%{",
            "$",
            "%",
            "{\"Version\":\"2012-10-17\"}",
            "bell\u{7}",
            "ünïcødé ✓",
        ] {
            let text = format!("a = {}\n", hcl_string(s));
            let body = hcl_edit::parser::parse_body(&text).unwrap_or_else(|e| panic!("{s:?}: {e}"));
            let attr = body.get_attribute("a").unwrap_or_else(|| panic!("{s:?}"));
            let value = match &attr.value {
                hcl_edit::expr::Expression::String(v) => v.as_str().to_owned(),
                hcl_edit::expr::Expression::StringTemplate(t) => t
                    .iter()
                    .map(|e| match e {
                        hcl_edit::template::Element::Literal(l) => l.as_str().to_owned(),
                        other => panic!("{s:?}: not a literal: {other:?}"),
                    })
                    .collect(),
                other => panic!("{s:?}: {other:?}"),
            };
            assert_eq!(value, s, "{text}");
        }
    }

    #[test]
    fn instance_names_join_modules_names_and_keys() {
        assert_eq!(hcl_name("", "work", None), "work");
        assert_eq!(
            hcl_name("", "work", Some(&Value::String("orders.v2".into()))),
            "work_orders_v2"
        );
        assert_eq!(hcl_name("", "work", Some(&serde_json::json!(0))), "work_0");
        assert_eq!(
            hcl_name("module.db[\"eu\"].module.x", "t", None),
            "db_eu_x_t"
        );
        assert_eq!(hcl_name("", "1st", None), "_1st");
    }
}
