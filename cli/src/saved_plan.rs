//! A saved plan carried from `plan STACK --save-plan FILE` to `apply STACK --plan-file FILE`
//! (in CI: from the plan job to the apply job, as an artifact). Before it is applied it is
//! checked again: it must have been made from the same code as the stack synthesised now
//! (the same resources, data sources and outputs), and it goes through the same checks as a
//! fresh plan (the rename guard, values not applied yet); terraform itself refuses a plan
//! whose state has moved on since.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;
use serde_json::Value as J;

use crate::terraform::capture;

/// Where `plan` keeps its saved plan and which saved plan `apply` applies.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlanFiles {
    /// `plan --save-plan FILE`: keep the saved plan there.
    pub(crate) save: Option<std::path::PathBuf>,
    /// `apply --plan-file FILE`: apply this plan instead of making one.
    pub(crate) apply: Option<std::path::PathBuf>,
}

/// `plan --save-plan FILE`: copies the plan saved in the stack's folder as `name` to FILE.
pub(crate) fn keep(dir: &Path, name: &str, file: &Path) -> anyhow::Result<()> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(dir.join(name), file)
        .with_context(|| format!("keeping the saved plan as {}", file.display()))?;
    println!("saved the plan as {}", file.display());
    Ok(())
}

/// `apply --plan-file FILE`: puts FILE in the stack's folder as `name`, reads it back and
/// checks it was made from the code synthesised there; returns `plan`'s exit code for it
/// (2: it changes something, 0: nothing).
pub(crate) async fn adopt(stack: &str, dir: &Path, name: &str, file: &Path) -> anyhow::Result<i32> {
    std::fs::copy(file, dir.join(name)).with_context(|| {
        Diagnostic::error(format!("cannot read the saved plan {}", file.display())).hint(format!(
            "make one with `plan {stack} --save-plan {}`",
            file.display()
        ))
    })?;
    let shown = capture(dir, &["show", "-json", name]).await?;
    let plan: J =
        serde_json::from_str(&shown).context("reading `terraform show -json` of the saved plan")?;
    let path = dir.join("main.tf.json");
    let document: J = serde_json::from_str(
        &std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", path.display()))?;
    check_matches(stack, file, &plan, &document)?;
    Ok(exit_code_of(&plan))
}

/// The declarations of a `terraform show -json` plan's configuration: resources and data
/// sources by address, outputs as `output.<name>`.
fn planned_declarations(plan: &J) -> BTreeSet<String> {
    let root = &plan["configuration"]["root_module"];
    let mut out: BTreeSet<String> = root["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["address"].as_str().map(str::to_owned))
        .collect();
    if let Some(outputs) = root["outputs"].as_object() {
        out.extend(outputs.keys().map(|k| format!("output.{k}")));
    }
    out
}

/// The same declarations of a synthesised `main.tf.json`.
fn document_declarations(document: &J) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (block, prefix) in [("resource", ""), ("data", "data.")] {
        for (kind, names) in document[block].as_object().into_iter().flatten() {
            for name in names.as_object().into_iter().flatten().map(|(n, _)| n) {
                out.insert(format!("{prefix}{kind}.{name}"));
            }
        }
    }
    if let Some(outputs) = document["output"].as_object() {
        out.extend(outputs.keys().map(|k| format!("output.{k}")));
    }
    out
}

/// Refuses a saved plan made from other code than the stack synthesised now.
pub(crate) fn check_matches(
    stack: &str,
    file: &Path,
    plan: &J,
    document: &J,
) -> Result<(), Diagnostic> {
    let planned = planned_declarations(plan);
    let now = document_declarations(document);
    if planned == now {
        return Ok(());
    }
    let only_plan: Vec<&String> = planned.difference(&now).collect();
    let only_now: Vec<&String> = now.difference(&planned).collect();
    let list = |v: &[&String]| {
        let shown: Vec<String> = v.iter().take(5).map(|a| format!("`{a}`")).collect();
        let more = v.len().saturating_sub(5);
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let mut what = Vec::new();
    if !only_plan.is_empty() {
        what.push(format!(
            "the plan has {} that the code no longer declares",
            list(&only_plan)
        ));
    }
    if !only_now.is_empty() {
        what.push(format!(
            "the code declares {} that the plan has not",
            list(&only_now)
        ));
    }
    Err(Diagnostic::error(format!(
        "the saved plan {} was not made from this code of `{stack}`: {}",
        file.display(),
        what.join("; ")
    ))
    .hint(format!(
        "plan again from this commit (`plan {stack} --save-plan {}`) and apply that plan",
        file.display()
    )))
}

/// Whether a `terraform show -json` plan changes anything (a resource or an output):
/// `plan`'s exit code 2 when it does, 0 when not.
pub(crate) fn exit_code_of(plan: &J) -> i32 {
    let acts = |change: &J| {
        change["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a != "no-op" && a != "read")
    };
    let resources = plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|rc| acts(&rc["change"]));
    let outputs = plan["output_changes"]
        .as_object()
        .into_iter()
        .flatten()
        .any(|(_, c)| acts(c));
    if resources || outputs {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan() -> J {
        json!({
            "configuration": {"root_module": {
                "resources": [{"address": "aws_s3_bucket.logs"}, {"address": "data.terraform_remote_state.net"}],
                "outputs": {"bucket": {}}
            }},
            "resource_changes": [{"address": "aws_s3_bucket.logs", "change": {"actions": ["no-op"]}}],
            "output_changes": {"bucket": {"actions": ["no-op"]}}
        })
    }

    #[test]
    fn a_plan_of_the_same_code_passes_and_of_other_code_is_refused() {
        let same = json!({
            "resource": {"aws_s3_bucket": {"logs": {}}},
            "data": {"terraform_remote_state": {"net": {}}},
            "output": {"bucket": {"value": "x"}}
        });
        let file = Path::new("plans/svc.tfplan");
        assert!(check_matches("svc", file, &plan(), &same).is_ok());
        let other = json!({
            "resource": {"aws_s3_bucket": {"archive": {}}},
            "data": {"terraform_remote_state": {"net": {}}},
            "output": {"bucket": {"value": "x"}}
        });
        let refusal = check_matches("svc", file, &plan(), &other)
            .err()
            .map(|d| d.to_string())
            .unwrap_or_default();
        assert_eq!(
            refusal,
            "the saved plan plans/svc.tfplan was not made from this code of `svc`: the plan has `aws_s3_bucket.logs` that the code no longer declares; the code declares `aws_s3_bucket.archive` that the plan has not\n  hint: plan again from this commit (`plan svc --save-plan plans/svc.tfplan`) and apply that plan"
        );
    }

    #[test]
    fn a_plan_changes_something_when_a_resource_or_an_output_does() {
        assert_eq!(exit_code_of(&plan()), 0);
        let mut changed = plan();
        changed["output_changes"]["bucket"]["actions"] = json!(["update"]);
        assert_eq!(exit_code_of(&changed), 2);
    }
}
