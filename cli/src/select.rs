//! Choosing stacks by the names given on the command line, with a suggestion for a typo.

use oxiform::diagnostic::Diagnostic;

use crate::report::usage_error;
use crate::StackDef;

/// The stacks named on the command line (a stack, or an app: all of its stacks), or all of
/// them; an unknown name is an error that lists the known ones.
pub(crate) fn select(stacks: &[StackDef], names: &[String]) -> anyhow::Result<Vec<StackDef>> {
    if names.is_empty() {
        return Ok(stacks.to_vec());
    }
    let mut selected: Vec<StackDef> = Vec::new();
    for name in names {
        for def in select_stack_or_app(stacks, name)? {
            // Named twice: built and written once.
            if !selected.iter().any(|s| s.name == def.name) {
                selected.push(def);
            }
        }
    }
    Ok(selected)
}

/// The stack called `name`, or every stack of the app called `name`.
pub(crate) fn select_stack_or_app(
    stacks: &[StackDef],
    name: &str,
) -> anyhow::Result<Vec<StackDef>> {
    if let Some(def) = stacks.iter().find(|d| d.name == name) {
        return Ok(vec![def.clone()]);
    }
    let of_app: Vec<StackDef> = stacks
        .iter()
        .filter(|d| d.member.as_ref().is_some_and(|m| m.app == name))
        .cloned()
        .collect();
    if of_app.is_empty() {
        select_one(stacks, name).map(|def| vec![def])
    } else {
        Ok(of_app)
    }
}

/// `selected` and, transitively, every stack of the same app they read, each after the stacks
/// it reads.
pub(crate) fn with_dependencies(stacks: &[StackDef], selected: &[StackDef]) -> Vec<StackDef> {
    let mut wanted: Vec<&str> = selected.iter().map(|d| d.name).collect();
    let mut i = 0;
    while let Some(name) = wanted.get(i).copied() {
        let needs = stacks
            .iter()
            .find(|d| d.name == name)
            .and_then(|d| d.member.as_ref())
            .map(|m| m.needs.as_slice())
            .unwrap_or_default();
        for need in needs {
            if let Some(def) = stacks.iter().find(|d| d.name == need) {
                if !wanted.contains(&def.name) {
                    wanted.push(def.name);
                }
            }
        }
        i += 1;
    }
    stacks
        .iter()
        .filter(|d| wanted.contains(&d.name))
        .cloned()
        .collect()
}

/// The stack called `name`; an unknown name is an error that lists the known ones, and
/// suggests the closest when it looks like a typo.
pub(crate) fn select_one(stacks: &[StackDef], name: &str) -> anyhow::Result<StackDef> {
    match stacks.iter().find(|d| d.name == name) {
        Some(def) => Ok(def.clone()),
        None => {
            let mut apps: Vec<&str> = Vec::new();
            for app in stacks
                .iter()
                .filter_map(|d| d.member.as_ref().map(|m| m.app))
            {
                if !apps.contains(&app) {
                    apps.push(app);
                }
            }
            let suggestion = closest(name, stacks.iter().map(|d| d.name).chain(apps.clone()))
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            let apps = if apps.is_empty() {
                String::new()
            } else {
                format!(" and apps {}", apps.join(", "))
            };
            // An app that did not build may hold the stack: its error is the real answer.
            if let Some((app, error)) = stacks.iter().find_map(|d| {
                let m = d.member.as_ref()?;
                Some((m.app, m.error.as_deref()?))
            }) {
                return Err(Diagnostic::error(format!(
                    "unknown stack {name:?}: app `{app}`, which may hold it, did not build: {error}"
                ))
                .hint("fix what the app's build reports and run the command again; `list` prints the stacks")
                .into());
            }
            Err(usage_error(
                Diagnostic::error(format!("unknown stack {name:?}")).hint(format!(
                    "{suggestion}known stacks are {}{apps}; `list` prints them",
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::app::Member;

    fn broken() -> anyhow::Result<oxiform::App> {
        Err(anyhow::anyhow!("the lock file has no hashes"))
    }

    #[test]
    fn a_stack_of_an_app_that_did_not_build_is_answered_with_the_apps_error() {
        let mut app = StackDef::new("broken-app", || Ok(oxiform::Stack::new("x")));
        app.member = Some(Member {
            app: "broken-app",
            build: broken,
            needs: Vec::new(),
            reads: Vec::new(),
            error: Some("building app `broken-app`: the lock file has no hashes".to_owned()),
            built: Default::default(),
        });
        let stacks = [
            StackDef::new("alone", || Ok(oxiform::Stack::new("alone"))),
            app,
        ];
        let error = match select_one(&stacks, "broken-app-network") {
            Ok(def) => panic!("selected {}", def.name),
            Err(e) => crate::report::render_error(&e),
        };
        assert!(
            error.contains("app `broken-app`, which may hold it, did not build: building app `broken-app`: the lock file has no hashes"),
            "{error}"
        );
        assert!(select_one(&stacks, "alone").is_ok());
    }
}
