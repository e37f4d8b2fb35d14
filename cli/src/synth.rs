//! `synth`: build stacks, check them all, and only then write `out/<stack>/main.tf.json`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use oxiform::tf::write_atomic;

use crate::StackDef;

/// What a successful synth wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOutcome {
    /// The stack's name.
    pub stack: String,
    /// The folder holding `main.tf.json`.
    pub dir: PathBuf,
    /// Resources and data sources in the document.
    pub resources: usize,
    /// The AWS accounts the stack may be deployed to (empty: any).
    pub account_ids: Vec<String>,
    /// Policy warnings and waived findings (`check`), one line each, to print.
    pub notes: Vec<String>,
}

/// Builds and checks every stack in `selected`; when all are valid, writes each to
/// `<out>/<stack>/main.tf.json`. When any stack fails, nothing is written at all, so the
/// last good output stays in place, and every problem of every stack is reported.
pub fn synth_stacks(selected: &[StackDef], out: &Path) -> anyhow::Result<Vec<SynthOutcome>> {
    let mut rendered = Vec::new();
    let mut problems = Vec::new();
    for def in selected {
        match render(def) {
            Ok(r) => match &r.policy {
                Ok(_) => rendered.push(r),
                Err(errors) => problems.push(format!("stack `{}`: {errors}", r.stack)),
            },
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    if !problems.is_empty() {
        return Err(anyhow!(
            "{}\nnothing was written: the previous output in {} is unchanged",
            problems.join("\n\n"),
            out.display()
        ));
    }
    let mut outcomes = Vec::new();
    for r in rendered {
        let dir = out.join(&r.stack);
        for (name, bytes) in &r.assets {
            write_atomic(&dir.join(name), bytes)
                .with_context(|| format!("writing {}", dir.join(name).display()))?;
        }
        let path = dir.join("main.tf.json");
        write_atomic(&path, r.json.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        outcomes.push(SynthOutcome {
            stack: r.stack,
            dir,
            resources: r.resources,
            account_ids: r.account_ids,
            notes: r.policy.unwrap_or_default(),
        });
    }
    Ok(outcomes)
}

/// A stack synthesised in memory.
pub(crate) struct Rendered {
    pub(crate) stack: String,
    pub(crate) json: String,
    assets: Vec<(String, Vec<u8>)>,
    resources: usize,
    account_ids: Vec<String>,
    pub(crate) graph: oxiform::graph::StackGraph,
    /// The policy gate: lines to print, or every unwaived error.
    policy: Result<Vec<String>, String>,
}

/// Builds one stack and synthesises its Terraform JSON, naming the stack in any error.
pub(crate) fn build_json(def: &StackDef) -> anyhow::Result<(oxiform::Stack, String)> {
    let stack = (def.build)().with_context(|| format!("building stack `{}`", def.name))?;
    let json = stack
        .synth()
        .map_err(|errors| anyhow!("stack `{}`: {errors}", def.name))?
        .to_json()
        .with_context(|| format!("serialising stack `{}`", def.name))?;
    Ok((stack, json))
}

/// Builds and synthesises one stack without writing anything.
pub(crate) fn render(def: &StackDef) -> anyhow::Result<Rendered> {
    let (stack, json) = build_json(def)?;
    let policy = crate::check_cmd::synth_gate(&stack, &json);
    Ok(Rendered {
        stack: def.name.to_owned(),
        resources: stack.len(),
        json,
        account_ids: stack.expected_account_ids().to_vec(),
        policy,
        graph: stack.graph(),
        assets: stack
            .assets()
            .iter()
            .map(|a| (a.file_name().to_owned(), a.bytes().to_vec()))
            .collect(),
    })
}
