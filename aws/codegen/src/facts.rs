//! Rust source of the facts about the provider that analysis reads from `.tf.json` without
//! any builder (`facts.rs`): which arguments are sensitive (the policy's `inline-secret`
//! rule) and which resource types take `tags` (the required-tags rule).

use std::fmt::Write as _;

use anyhow::Result;

use crate::model::{BlockModel, Kind, TypeModel};

fn sensitive_paths(model: &BlockModel, path: &str, out: &mut Vec<String>) {
    for a in &model.attrs {
        if a.sensitive && a.argument {
            out.push(format!("{path}{}", a.tf));
        }
    }
    for b in &model.blocks {
        sensitive_paths(&b.model, &format!("{path}{}.", b.tf), out);
    }
}

/// The source of `facts.rs` (without the header line).
pub fn facts_module(types: &[&TypeModel]) -> Result<String> {
    let mut sensitive = Vec::new();
    for t in types {
        let mut paths = Vec::new();
        sensitive_paths(&t.body, "", &mut paths);
        sensitive.extend(paths.into_iter().map(|p| (t.path_prefix(), p)));
    }
    sensitive.sort();
    let mut taggable: Vec<&str> = types
        .iter()
        .filter(|t| t.kind == Kind::Managed)
        .filter(|t| t.body.attrs.iter().any(|a| a.tf == "tags" && a.argument))
        .map(|t| t.tf_type.as_str())
        .collect();
    taggable.sort_unstable();
    let mut out = String::new();
    writeln!(
        out,
        "//! Facts of the provider schema that analysis reads from `.tf.json` without any \
         builder: sensitive arguments and taggable types.\n\n\
         /// Every sensitive argument ({} of them), for the policy's `inline-secret` rule: a \
         plain literal at one of these paths is a secret written into the `.tf.json`. Rows are \
         (type — `aws_x`, `data.aws_x` or `ephemeral.aws_x` —, argument path through nested \
         blocks joined by `.`), sorted.\n\
         pub static SENSITIVE_ARGUMENTS: &[(&str, &str)] = &[",
        sensitive.len()
    )?;
    for (t, p) in &sensitive {
        writeln!(out, "    (\"{t}\", \"{p}\"),")?;
    }
    writeln!(out, "];\n")?;
    writeln!(
        out,
        "/// Every managed resource type that takes `tags`, and so the provider's \
         `default_tags` ({} of them), sorted (search it with `binary_search`).\n\
         pub static TAGGABLE_TYPES: &[&str] = &[",
        taggable.len()
    )?;
    for t in &taggable {
        writeln!(out, "    \"{t}\",")?;
    }
    writeln!(out, "];")?;
    Ok(out)
}
