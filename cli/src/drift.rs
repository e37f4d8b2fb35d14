//! `drift`: what changed outside terraform. Each stack is synthesised and planned against
//! its state with `-refresh-only` semantics (`terraform plan -refresh-only
//! -detailed-exitcode -out FILE`, then `terraform show -json FILE`); the plan's
//! `resource_drift` lists every resource whose real object no longer matches the state, and
//! each attribute's value in state and now (sensitive ones as "(sensitive)"). Nothing is
//! changed: a refresh-only plan is never applied here.
//!
//! Exit code: 0 no drift, 2 drift in any stack, 1 failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;
use serde_json::Value as J;

use crate::deploy::Providers;
use crate::diff::SENSITIVE;
use crate::plugins::plugin_dir;
use crate::runtime::runtime;
use crate::select::select;
use crate::synth::synth_stacks;
use crate::terraform::terraform_binary;
use crate::{state_bucket, sts, App};

/// Output format of `drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DriftFormat {
    /// One line per resource, attributes indented.
    Text,
    /// A report for an issue: a section per stack, a table per drifted resource.
    Markdown,
}

/// Arguments of `drift`.
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// Stacks or apps to check; every stack when omitted.
    pub stacks: Vec<String>,
    /// Every stack of the binary (the same as naming none).
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DriftFormat,
    /// Where `terraform init` installs providers from.
    #[command(flatten)]
    pub providers: Providers,
}

/// The refresh-only plan, in the stack's folder while `drift` runs; removed after.
const DRIFT_PLAN: &str = "oxiform-drift.tfplan";

/// One resource changed outside terraform.
#[derive(Debug, Clone, PartialEq)]
pub struct Drifted {
    /// Its address.
    pub address: String,
    /// `update` (changed) or `delete` (gone).
    pub action: String,
    /// (attribute path, value in state, value now); `None` where absent.
    pub attributes: Vec<(String, Option<String>, Option<String>)>,
}

/// Runs `drift`: exit 0 when no stack drifted, 2 when any did.
pub(crate) fn run(args: DriftArgs, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let stacks = app.stacks_for(&args.stacks);
    let selected = select(&stacks, &args.stacks)?;
    let outcomes = synth_stacks(&selected, &args.out)?;
    let runtime = runtime()?;
    let mut reports = Vec::new();
    for (def, outcome) in selected.iter().zip(&outcomes) {
        runtime.block_on(sts::guard_account(def.name, &outcome.account_ids))?;
        let drifted = drift_of(&outcome.dir, args.providers.plugin_dir.as_deref())
            .map_err(|e| e.context(format!("checking `{}` for drift", def.name)))?;
        reports.push((def.name.to_owned(), drifted));
    }
    let text = match args.format {
        DriftFormat::Text => text(&reports),
        DriftFormat::Markdown => markdown(&reports),
    };
    write!(stdout, "{text}")?;
    Ok(if reports.iter().any(|(_, d)| !d.is_empty()) {
        2
    } else {
        0
    })
}

/// `init`, then the refresh-only plan of the stack synthesised in `dir`, read back.
fn drift_of(dir: &Path, plugins: Option<&Path>) -> anyhow::Result<Vec<Drifted>> {
    let path = dir.join("main.tf.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let document: J =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    if let Some((bucket, region, host)) = state_bucket::emulator_bucket(&document) {
        state_bucket::ensure(&bucket, &region, &host)?;
    }
    let mut init = vec!["init".to_owned(), "-input=false".to_owned()];
    if let Some(choice) = plugin_dir(plugins, dir)? {
        init.push(format!("-plugin-dir={}", choice.dir.display()));
    }
    terraform(dir, &init, &[0])?;
    let plan = [
        "plan",
        "-refresh-only",
        "-input=false",
        "-detailed-exitcode",
        "-out",
        DRIFT_PLAN,
    ]
    .map(str::to_owned);
    let result = terraform(dir, &plan, &[0, 2]).and_then(|(code, _)| {
        if code == 0 {
            return Ok(Vec::new());
        }
        let show = ["show", "-json", DRIFT_PLAN].map(str::to_owned);
        let (_, json) = terraform(dir, &show, &[0])?;
        let plan: J = serde_json::from_str(&json)
            .context("reading `terraform show -json` of the refresh-only plan")?;
        Ok(drifted(&plan))
    });
    let _ = std::fs::remove_file(dir.join(DRIFT_PLAN));
    result
}

/// Runs `terraform ARGS` in `dir`, its output captured; an exit code outside `ok` is an
/// error carrying what terraform printed on stderr.
fn terraform(dir: &Path, args: &[String], ok: &[i32]) -> anyhow::Result<(i32, String)> {
    let binary = terraform_binary();
    let output = Command::new(&binary)
        .args(args)
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .stdin(Stdio::null())
        .output()
        .with_context(|| {
            Diagnostic::error(format!("starting {} {}", binary.display(), args.join(" ")))
                .hint("install terraform >= 1.6 on PATH, or set OXIFORM_TERRAFORM to its path")
        })?;
    let code = output.status.code().unwrap_or(1);
    if !ok.contains(&code) {
        return Err(Diagnostic::error(format!(
            "terraform {} failed in {} (exit code {code}): {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
        .hint("terraform's message says why; `plan` of the same stack shows it in full")
        .into());
    }
    Ok((code, String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// The `resource_drift` of a `terraform show -json` plan: each resource, and each attribute
/// whose value differs between the state and the real object.
pub fn drifted(plan: &J) -> Vec<Drifted> {
    let mut out = Vec::new();
    for entry in plan["resource_drift"].as_array().into_iter().flatten() {
        let Some(address) = entry["address"].as_str() else {
            continue;
        };
        let change = &entry["change"];
        let action = change["actions"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(J::as_str)
            .unwrap_or("update")
            .to_owned();
        let mut before = BTreeMap::new();
        let mut after = BTreeMap::new();
        flatten("", &change["before"], &mut before);
        flatten("", &change["after"], &mut after);
        let mut hidden = BTreeSet::new();
        marked("", &change["before_sensitive"], &mut hidden);
        marked("", &change["after_sensitive"], &mut hidden);
        let is_hidden = |path: &str| {
            hidden.iter().any(|h: &String| {
                path == h
                    || path.starts_with(&format!("{h}."))
                    || path.starts_with(&format!("{h}["))
            })
        };
        let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
        paths.sort();
        paths.dedup();
        let attributes: Vec<_> = paths
            .into_iter()
            .filter(|p| before.get(*p) != after.get(*p))
            .map(|p| {
                let show = |v: Option<&String>| {
                    v.map(|v| {
                        if is_hidden(p) {
                            SENSITIVE.to_owned()
                        } else {
                            v.clone()
                        }
                    })
                };
                (p.clone(), show(before.get(p)), show(after.get(p)))
            })
            .collect();
        // A refresh that only normalised a value (null → {}) changed nothing real.
        if action == "update" && attributes.is_empty() {
            continue;
        }
        out.push(Drifted {
            address: address.to_owned(),
            action,
            attributes,
        });
    }
    out
}

/// Every leaf of `value` by path (`tags.Team`, `rule[0].id`), as JSON text.
fn flatten(prefix: &str, value: &J, out: &mut BTreeMap<String, String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        J::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        J::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        // Absent, null and empty are the same to terraform's refresh (`tags`: null → {}).
        J::Null => {}
        J::Object(_) | J::Array(_) if value_is_empty(value) => {}
        J::String(s) if s.is_empty() => {}
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

fn value_is_empty(value: &J) -> bool {
    match value {
        J::Object(map) => map.is_empty(),
        J::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The paths a `*_sensitive` structure marks `true` (terraform mirrors the value's shape).
fn marked(prefix: &str, value: &J, out: &mut BTreeSet<String>) {
    match value {
        J::Bool(true) => {
            out.insert(prefix.to_owned());
        }
        J::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                marked(&path, v, out);
            }
        }
        J::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                marked(&format!("{prefix}[{i}]"), v, out);
            }
        }
        _ => {}
    }
}

fn shown(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(absent)")
}

/// The text report: each stack, then each drifted resource and attribute.
pub fn text(reports: &[(String, Vec<Drifted>)]) -> String {
    let mut out = String::new();
    for (stack, drifted) in reports {
        if drifted.is_empty() {
            let _ = writeln!(out, "{stack}: no drift");
            continue;
        }
        let _ = writeln!(
            out,
            "{stack}: {} changed outside terraform",
            count(drifted.len())
        );
        for d in drifted {
            if d.action == "delete" {
                let _ = writeln!(out, "  - {} (deleted outside terraform)", d.address);
                continue;
            }
            let _ = writeln!(out, "  ~ {}", d.address);
            for (path, was, is) in &d.attributes {
                let _ = writeln!(out, "      {path}: {} → {}", shown(was), shown(is));
            }
        }
    }
    let drifted = reports.iter().filter(|(_, d)| !d.is_empty()).count();
    let _ = writeln!(
        out,
        "\n{drifted} of {} drifted",
        if reports.len() == 1 {
            "1 stack".to_owned()
        } else {
            format!("{} stacks", reports.len())
        }
    );
    out
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 resource".to_owned()
    } else {
        format!("{n} resources")
    }
}

/// A table cell: a code span with `|` escaped.
fn cell(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("`{}`", v.replace('|', "\\|")),
        None => "(absent)".to_owned(),
    }
}

/// The Markdown report, for an issue: a summary, then a section per drifted stack.
pub fn markdown(reports: &[(String, Vec<Drifted>)]) -> String {
    let mut out = String::new();
    let drifted: Vec<&(String, Vec<Drifted>)> =
        reports.iter().filter(|(_, d)| !d.is_empty()).collect();
    let _ = writeln!(
        out,
        "## Drift: {} of {} changed outside terraform\n",
        drifted.len(),
        if reports.len() == 1 {
            "1 stack".to_owned()
        } else {
            format!("{} stacks", reports.len())
        }
    );
    let clean: Vec<String> = reports
        .iter()
        .filter(|(_, d)| d.is_empty())
        .map(|(s, _)| format!("`{s}`"))
        .collect();
    if !clean.is_empty() {
        let _ = writeln!(out, "No drift in {}.\n", clean.join(", "));
    }
    for (stack, resources) in drifted {
        let _ = writeln!(out, "### `{stack}`\n");
        for d in resources {
            if d.action == "delete" {
                let _ = writeln!(out, "- `{}`: **deleted outside terraform**\n", d.address);
                continue;
            }
            let _ = writeln!(out, "**`~` `{}`**\n", d.address);
            out.push_str("| attribute | in state | now |\n|---|---|---|\n");
            for (path, was, is) in &d.attributes {
                let _ = writeln!(out, "| `{path}` | {} | {} |", cell(was), cell(is));
            }
            out.push('\n');
        }
    }
    out.push_str(
        "Each stack planned with `terraform plan -refresh-only` against its state (`drift`). To keep a change made outside terraform, write it into the stack's code; to undo it, `apply` the stack.\n",
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_drift_of_a_plan_names_each_attribute_and_hides_sensitive_ones() {
        let plan = json!({"resource_drift": [
            {"address": "aws_ssm_parameter.owner", "change": {
                "actions": ["update"],
                "before": {"name": "/o", "insecure_value": "platform", "value": "s1", "tags": {"Team": "a"}},
                "after": {"name": "/o", "insecure_value": "someone", "value": "s2", "tags": {"Team": "b"}},
                "before_sensitive": {"value": true, "tags": {}},
                "after_sensitive": {"value": true, "tags": {}}
            }},
            {"address": "aws_s3_bucket.gone", "change": {
                "actions": ["delete"], "before": {"bucket": "b"}, "after": null
            }}
        ]});
        let found = drifted(&plan);
        assert_eq!(
            text(&[("net".to_owned(), found), ("svc".to_owned(), vec![])]),
            "net: 2 resources changed outside terraform\n\
             \x20 ~ aws_ssm_parameter.owner\n\
             \x20     insecure_value: \"platform\" → \"someone\"\n\
             \x20     tags.Team: \"a\" → \"b\"\n\
             \x20     value: (sensitive) → (sensitive)\n\
             \x20 - aws_s3_bucket.gone (deleted outside terraform)\n\
             svc: no drift\n\n1 of 2 stacks drifted\n"
        );
    }
}
