//! `synth`: build stacks, check them all, and only then write `out/<stack>/main.tf.json`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use oxiform::tf::{stage, StagedFile};

use crate::{check_cmd, StackDef};

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
/// `<out>/<stack>/main.tf.json` (and its assets beside it). When any stack fails, nothing is
/// replaced at all, so the last good output stays in place, and every problem of every stack
/// is reported.
///
/// Every file of every stack is first written and flushed under a temporary name, and only
/// then renamed into place, so a full disk or a missing permission halfway through leaves no
/// stack half replaced.
pub fn synth_stacks(selected: &[StackDef], out: &Path) -> anyhow::Result<Vec<SynthOutcome>> {
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for def in selected {
        match check_stack(def) {
            Ok(c) => checked.push(c),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(anyhow!(
            "{}\nnothing was written: the previous output in {} is unchanged",
            problems.join("\n\n"),
            out.display()
        ));
    }
    for file in stage_all(&checked, out)? {
        let target = file.target().to_path_buf();
        file.commit()
            .with_context(|| format!("writing {}", target.display()))?;
    }
    Ok(checked
        .into_iter()
        .map(|c| SynthOutcome {
            stack: c.name.to_owned(),
            dir: out.join(c.name),
            resources: c.stack.len(),
            account_ids: c.stack.expected_account_ids().to_vec(),
            notes: c.notes,
        })
        .collect())
}

/// A stack that built, synthesised and passed the policy gate.
struct Checked {
    name: &'static str,
    stack: oxiform::Stack,
    json: String,
    /// Policy warnings and waived findings, to print.
    notes: Vec<String>,
}

/// Builds, synthesises and gates one stack; the error is the stack's problems as printed.
fn check_stack(def: &StackDef) -> Result<Checked, String> {
    let (stack, json) = build_json(def).map_err(|e| format!("{e:#}"))?;
    let notes = check_cmd::synth_gate(def.name, &json, stack.waivers())
        .map_err(|errors| format!("stack `{}`: {errors}", def.name))?;
    Ok(Checked {
        name: def.name,
        stack,
        json,
        notes,
    })
}

/// Writes and flushes every stack's assets and `main.tf.json` under temporary names, so
/// that nothing is replaced before everything is written. The document comes last in each
/// folder: committed in this order, it never refers to an asset that is not there yet.
fn stage_all(checked: &[Checked], out: &Path) -> anyhow::Result<Vec<StagedFile>> {
    let mut staged = Vec::new();
    for c in checked {
        let dir = out.join(c.name);
        let assets = c.stack.assets().iter().map(|a| (a.file_name(), a.bytes()));
        for (name, bytes) in assets.chain([("main.tf.json", c.json.as_bytes())]) {
            let path = dir.join(name);
            staged
                .push(stage(&path, bytes).with_context(|| format!("writing {}", path.display()))?);
        }
    }
    Ok(staged)
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
