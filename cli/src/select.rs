//! Choosing stacks by the names given on the command line, with a suggestion for a typo.

use oxiform::diagnostic::Diagnostic;

use crate::report::usage_error;
use crate::StackDef;

/// The stacks named on the command line, or all of them; an unknown name is an error that
/// lists the known ones.
pub(crate) fn select(stacks: &[StackDef], names: &[String]) -> anyhow::Result<Vec<StackDef>> {
    if names.is_empty() {
        return Ok(stacks.to_vec());
    }
    let mut selected: Vec<StackDef> = Vec::new();
    for name in names {
        let def = select_one(stacks, name)?;
        // Named twice: built and written once.
        if !selected.iter().any(|s| s.name == def.name) {
            selected.push(def);
        }
    }
    Ok(selected)
}

/// The stack called `name`; an unknown name is an error that lists the known ones, and
/// suggests the closest when it looks like a typo.
pub(crate) fn select_one(stacks: &[StackDef], name: &str) -> anyhow::Result<StackDef> {
    match stacks.iter().find(|d| d.name == name) {
        Some(def) => Ok(def.clone()),
        None => {
            let suggestion = closest(name, stacks.iter().map(|d| d.name))
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            Err(usage_error(
                Diagnostic::error(format!("unknown stack {name:?}")).hint(format!(
                    "{suggestion}known stacks are {}; `list` prints them",
                    stacks.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
                )),
            ))
        }
    }
}

/// The known name nearest `name` when it is near enough to be a typo: at most two edits,
/// and fewer than a third of its length.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::levenshtein(name, k), k))
        .filter(|(edits, k)| *edits <= 2 && *edits * 3 < k.len())
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, k)| k)
}
