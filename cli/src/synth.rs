//! `synth`: build stacks, check them all, and only then write `out/<stack>/main.tf.json`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use oxiform::tf::{stage, StagedFile};
use oxiform_analysis::policy::{check_json, PolicySet};

use crate::app::Member;
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
    /// How long each step took (`synth --timings` prints them).
    pub timings: Timings,
}

/// How long each step of one stack's synth took, measured in the process (`synth --timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// The stack's build function: reading its configuration and assets, adding resources.
    pub build: Duration,
    /// `Stack::synth` (the graph checks) and serialising the JSON.
    pub synth: Duration,
    /// The policy gate (the rules of `check`).
    pub policy_gate: Duration,
    /// Writing the stack's files, flushing them to disk and renaming them into place.
    pub write: Duration,
}

impl std::fmt::Display for Timings {
    /// `build 0.47 ms, synth 0.12 ms, policy gate 0.25 ms, write 0.73 ms`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "build {:.2} ms, synth {:.2} ms, policy gate {:.2} ms, write {:.2} ms",
            ms(self.build),
            ms(self.synth),
            ms(self.policy_gate),
            ms(self.write)
        )
    }
}

/// Builds and checks every stack in `selected` (the policy gate with each stack's
/// [`policy`](StackDef::policy) set, or [`PolicySet::default`] when it has none); when all
/// are valid, writes each to
/// `<out>/<stack>/main.tf.json` (and its assets beside it). When any stack fails, nothing is
/// replaced at all, so the last good output stays in place, and every problem of every stack
/// is reported.
///
/// Every file of every stack is first written and flushed under a temporary name, and only
/// when all are is each renamed into place (a stack's assets before its `main.tf.json`). So a
/// full disk or a missing permission while writing replaces nothing, and folders this run
/// created are removed again. A rename that fails after that (rare: the target turned into a
/// folder, say) is reported, and the files renamed before it stay replaced.
pub fn synth_stacks(selected: &[StackDef], out: &Path) -> anyhow::Result<Vec<SynthOutcome>> {
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for (def, built) in selected.iter().zip(build_many(selected)) {
        match check_stack(def, built) {
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
    // Every file of every stack is written and flushed before the first is renamed.
    let new_dirs: Vec<PathBuf> = std::iter::once(out.to_path_buf())
        .chain(checked.iter().map(|c| out.join(c.name)))
        .filter(|dir| !dir.exists())
        .collect();
    let mut staged = Vec::new();
    for c in &mut checked {
        let started = Instant::now();
        match stage_stack(c, out) {
            Ok(files) => staged.push(files),
            Err(e) => {
                // Dropping the staged files removes them; then the folders this run made,
                // deepest first (`remove_dir` keeps any that are not empty).
                drop(staged);
                for dir in new_dirs.iter().rev() {
                    let _ = std::fs::remove_dir(dir);
                }
                return Err(anyhow!(
                    "{e:#}\nnothing was replaced: the previous output in {} is unchanged",
                    out.display()
                ));
            }
        }
        c.timings.write = started.elapsed();
    }
    for (c, files) in checked.iter_mut().zip(staged) {
        let started = Instant::now();
        for file in files {
            let target = file.target().to_path_buf();
            file.commit()
                .with_context(|| format!("writing {}", target.display()))?;
        }
        c.timings.write += started.elapsed();
    }
    Ok(checked
        .into_iter()
        .map(|c| SynthOutcome {
            stack: c.name.to_owned(),
            dir: out.join(c.name),
            resources: c.stack.len(),
            account_ids: c.stack.expected_account_ids().to_vec(),
            notes: c.notes,
            timings: c.timings,
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
    timings: Timings,
}

/// Gates one built stack; the error is the stack's problems as printed.
fn check_stack(def: &StackDef, built: anyhow::Result<Built>) -> Result<Checked, String> {
    let Built {
        stack,
        json,
        build,
        synth,
    } = built.map_err(|e| format!("{e:#}"))?;
    let started = Instant::now();
    let default;
    let policy = match &def.policy {
        Some(set) => set,
        None => {
            default = PolicySet::default();
            &default
        }
    };
    let notes = synth_gate(def.name, &json, stack.waivers(), policy)
        .map_err(|errors| format!("stack `{}`: {errors}", def.name))?;
    let timings = Timings {
        build,
        synth,
        policy_gate: started.elapsed(),
        write: Duration::ZERO,
    };
    Ok(Checked {
        name: def.name,
        stack,
        json,
        notes,
        timings,
    })
}

/// The policy gate, with the rules of `policy` (those of `check`): `Ok` with the lines to print
/// (warnings, waived findings) or `Err` with every unwaived error.
fn synth_gate(
    stack: &str,
    json: &str,
    waivers: &[oxiform::Waiver],
    policy: &PolicySet,
) -> Result<Vec<String>, String> {
    let report = check_json(json, stack, policy, waivers).map_err(|e| e.to_string())?;
    if report.has_errors() {
        Err(report.errors_text())
    } else {
        Ok(report.notes())
    }
}

/// Writes and flushes one stack's assets and `main.tf.json` under temporary names. The
/// document comes last: committed in this order, it never refers to an asset not yet there.
fn stage_stack(c: &Checked, out: &Path) -> anyhow::Result<Vec<StagedFile>> {
    let dir = out.join(c.name);
    let assets = c.stack.assets().iter().map(|a| (a.file_name(), a.bytes()));
    assets
        .chain([("main.tf.json", c.json.as_bytes())])
        .map(|(name, bytes)| {
            let path = dir.join(name);
            stage(&path, bytes).with_context(|| format!("writing {}", path.display()))
        })
        .collect()
}

/// One stack built and synthesised, with how long each took (for a stack of an app: the
/// whole app's build and synth).
pub(crate) struct Built {
    pub(crate) stack: oxiform::Stack,
    pub(crate) json: String,
    build: Duration,
    synth: Duration,
}

/// Builds and synthesises every stack of `defs`, in order, each app once however many of its
/// stacks are among them; an error names the stack or app.
pub(crate) fn build_many(defs: &[StackDef]) -> Vec<anyhow::Result<Built>> {
    let mut apps: HashMap<&str, Result<HashMap<String, Built>, String>> = HashMap::new();
    defs.iter()
        .map(|def| match &def.member {
            None => build_one(def),
            Some(member) => {
                let stacks = apps
                    .entry(member.app)
                    .or_insert_with(|| build_app(member).map_err(|e| format!("{e:#}")));
                match stacks {
                    Ok(stacks) => stacks.remove(def.name).ok_or_else(|| {
                        anyhow!(
                            "stack `{}` is not in app `{}` any more, or was named twice",
                            def.name,
                            member.app
                        )
                    }),
                    Err(e) => Err(anyhow!("{e}")),
                }
            }
        })
        .collect()
}

fn build_one(def: &StackDef) -> anyhow::Result<Built> {
    let started = Instant::now();
    let stack = build_stack(def)?;
    let built = Instant::now();
    let json = synthesise(def, &stack)?;
    Ok(Built {
        stack,
        json,
        build: built - started,
        synth: built.elapsed(),
    })
}

/// Builds and synthesises a whole app: every stack by name.
fn build_app(member: &Member) -> anyhow::Result<HashMap<String, Built>> {
    // Resolving the command's stacks built the app already: take it rather than build again.
    let (app, build) = match member.built.take() {
        Some(kept) => kept,
        None => {
            let started = Instant::now();
            let app = (member.build)().with_context(|| format!("building app `{}`", member.app))?;
            (app, started.elapsed())
        }
    };
    let built = Instant::now();
    let docs = app
        .synth()
        .map_err(|errors| anyhow!("app `{}`: {errors}", member.app))?;
    let mut json = HashMap::new();
    for (stack, doc) in docs.iter() {
        let text = doc
            .to_json()
            .with_context(|| format!("serialising stack `{}`", stack.name()))?;
        json.insert(stack.name().to_owned(), text);
    }
    drop(docs);
    let synth = built.elapsed();
    Ok(app
        .into_stacks()
        .into_iter()
        .filter_map(|stack| {
            let json = json.remove(stack.name())?;
            Some((
                stack.name().to_owned(),
                Built {
                    stack,
                    json,
                    build,
                    synth,
                },
            ))
        })
        .collect())
}

/// Builds one stack and synthesises its Terraform JSON, naming the stack in any error.
pub(crate) fn build_json(def: &StackDef) -> anyhow::Result<(oxiform::Stack, String)> {
    let built = build_many(std::slice::from_ref(def))
        .pop()
        .context("nothing was built")??;
    Ok((built.stack, built.json))
}

/// Runs a stack's build function, naming the stack in any error; a stack of an app is built
/// with its app (and checked with it).
pub(crate) fn build_stack(def: &StackDef) -> anyhow::Result<oxiform::Stack> {
    match &def.member {
        None => (def.build)().with_context(|| format!("building stack `{}`", def.name)),
        Some(_) => build_json(def).map(|(stack, _)| stack),
    }
}

fn synthesise(def: &StackDef, stack: &oxiform::Stack) -> anyhow::Result<String> {
    stack
        .synth()
        .map_err(|errors| anyhow!("stack `{}`: {errors}", def.name))?
        .to_json()
        .with_context(|| format!("serialising stack `{}`", def.name))
}

#[cfg(test)]
mod app_resolution_tests {
    //! Resolving a command's stacks (`App::stacks_for`) and synth taking the app it built:
    //! here, beside synth, so that the app module does not name this one.
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::app::{App, AppDef, StackDef};

    static BLUE_BUILDS: AtomicUsize = AtomicUsize::new(0);
    static GREEN_BUILDS: AtomicUsize = AtomicUsize::new(0);

    fn app_of(name: &str, builds: &AtomicUsize) -> anyhow::Result<oxiform::App> {
        builds.fetch_add(1, Ordering::SeqCst);
        let mut app = oxiform::App::new(name);
        app.add(oxiform::Stack::new(format!("{name}-network")));
        app.add(oxiform::Stack::new(format!("{name}-api")));
        Ok(app)
    }

    fn binary() -> App {
        App::new(vec![StackDef::new("alone", || {
            Ok(oxiform::Stack::new("alone"))
        })])
        .apps(vec![
            AppDef::new("blue", || app_of("blue", &BLUE_BUILDS)),
            AppDef::new("green", || app_of("green", &GREEN_BUILDS)),
        ])
    }

    fn names(stacks: &[StackDef]) -> Vec<&str> {
        stacks.iter().map(|d| d.name).collect()
    }

    // One test, so that the build counters are not shared with another running beside it.
    #[test]
    fn only_the_apps_a_command_names_are_built_and_each_once() {
        let app = binary();
        let builds = || {
            (
                BLUE_BUILDS.load(Ordering::SeqCst),
                GREEN_BUILDS.load(Ordering::SeqCst),
            )
        };

        assert_eq!(names(&app.stacks_for(&["alone".into()])), ["alone"]);
        assert_eq!(
            builds(),
            (0, 0),
            "a stack of the binary's own builds no app"
        );

        let blue = app.stacks_for(&["blue-api".into()]);
        assert_eq!(names(&blue), ["alone", "blue-network", "blue-api"]);
        assert_eq!(
            builds(),
            (1, 0),
            "the first app holds it: the second is not built"
        );

        // Synth takes the app built while resolving instead of building it again.
        let built = super::build_many(&blue[1..]);
        assert!(built.iter().all(Result::is_ok));
        assert_eq!(builds(), (1, 0));

        app.stacks_for(&["green".into()]);
        assert_eq!(builds(), (2, 1), "an app named by its name is built");

        let all = app.stacks_for(&["no-such-stack".into()]);
        assert_eq!(
            all.len(),
            5,
            "an unknown name builds every app, to list every stack"
        );
        assert_eq!(builds(), (3, 2));
        assert_eq!(app.stacks_for(&[]).len(), 5);
    }
}
