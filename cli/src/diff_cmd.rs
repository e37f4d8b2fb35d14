//! `diff`: a fresh synth of stacks against their last synthesised output, or against another
//! tree's (`--against`, the base of a pull request), as text or as a markdown review.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;
use oxiform_analysis::cost::prices::PriceTable;

use crate::diff::{diff, render};
use crate::report::{read_input, usage_error};
use crate::review::{app_markdown, markdown, reads_in, StackReview};
use crate::select::select;
use crate::synth::build_json;
use crate::{App, StackDef};

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// One line per resource, attributes indented.
    Text,
    /// A pull-request review: changes, replacement reasons, monthly cost before and after,
    /// new and resolved policy findings.
    Markdown,
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Stacks or apps to compare; all when omitted. More than one stack (an app, `--all`)
    /// makes one review: every stack's changes, the values that cross stacks, the cost and
    /// policy of each stack and of them all.
    pub stacks: Vec<String>,
    /// Every stack of the binary (the same as naming none).
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,
    /// Folder holding the old output: <DIR>/<stack>/main.tf.json (or <DIR>/main.tf.json for
    /// one stack), e.g. the base branch's `synth --out DIR`; a stack missing there is new.
    /// Default: the last synth in <out>/<stack>.
    #[arg(long)]
    pub against: Option<PathBuf>,
    /// Output folder of the last synth.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// `terraform show -json` of a plan of the one stack named: with `--format markdown`,
    /// replacement reasons from terraform (which attribute forces it) instead of the
    /// identity-attribute heuristic.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
}

/// One stack's old and new documents.
struct Pair {
    name: String,
    old: Option<serde_json::Value>,
    new: Option<serde_json::Value>,
    stack: Option<oxiform::Stack>,
}

/// Runs `diff`: exit 0 when every stack is equal, 1 when any differs.
pub(crate) fn run(args: DiffArgs, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let stacks = app.stacks_for(&args.stacks);
    let selected = select(&stacks, &args.stacks)?;
    if args.plan.is_some() && selected.len() != 1 {
        return Err(usage_error(
            Diagnostic::error("--plan is the plan of one stack: name exactly one")
                .hint("e.g. `diff STACK --plan plan.json --format markdown`"),
        ));
    }
    let plan = match &args.plan {
        Some(path) => {
            let text = read_input(
                path,
                "--plan",
                "pass the output of `terraform show -json PLANFILE`",
            )?;
            Some(
                serde_json::from_str::<serde_json::Value>(&text)
                    .with_context(|| format!("{} is not valid JSON", path.display()))?,
            )
        }
        None => None,
    };
    let mut pairs = Vec::new();
    for def in &selected {
        let (stack, fresh) = build_json(def)?;
        let old = match old_document(args.against.as_deref(), &args.out, def.name, selected.len())?
        {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                Some(
                    serde_json::from_str(&text)
                        .with_context(|| format!("{} is not valid JSON", path.display()))?,
                )
            }
            None => None,
        };
        pairs.push(Pair {
            name: def.name.to_owned(),
            old,
            new: Some(serde_json::from_str(&fresh)?),
            stack: Some(stack),
        });
    }
    // Every stack of the base that this binary no longer has.
    if let (Some(dir), true) = (&args.against, args.stacks.is_empty()) {
        for gone in removed_stacks(dir, &stacks)? {
            let path = dir.join(&gone).join("main.tf.json");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            pairs.push(Pair {
                name: gone,
                old: Some(
                    serde_json::from_str(&text)
                        .with_context(|| format!("{} is not valid JSON", path.display()))?,
                ),
                new: None,
                stack: None,
            });
        }
    }
    let empty = serde_json::json!({});
    let differs = pairs.iter().any(|p| {
        p.old.is_none()
            || p.new.is_none()
            || !diff(
                p.old.as_ref().unwrap_or(&empty),
                p.new.as_ref().unwrap_or(&empty),
            )
            .is_empty()
    });
    match args.format {
        DiffFormat::Text => {
            for p in &pairs {
                if pairs.len() > 1 {
                    let note = match (&p.old, &p.new) {
                        (None, _) => " (new)",
                        (_, None) => " (removed)",
                        _ => "",
                    };
                    writeln!(stdout, "stack {}{note}:", p.name)?;
                }
                let changes = diff(
                    p.old.as_ref().unwrap_or(&empty),
                    p.new.as_ref().unwrap_or(&empty),
                );
                write!(stdout, "{}", render(&changes))?;
            }
        }
        DiffFormat::Markdown => {
            let prices = PriceTable::builtin()?;
            let reviews: Vec<StackReview<'_>> = pairs
                .iter()
                .map(|p| {
                    let def = selected.iter().find(|d| d.name == p.name);
                    StackReview {
                        stack: &p.name,
                        old: p.old.as_ref(),
                        new: p.new.as_ref(),
                        plan: plan.as_ref(),
                        policy: def.map(|d| app.policy_for(d)).unwrap_or(&app.policy),
                        waivers: p.stack.as_ref().map(|s| s.waivers()).unwrap_or(&[]),
                    }
                })
                .collect();
            match reviews.as_slice() {
                [one] => write!(stdout, "{}", markdown(one, &prices)?)?,
                _ => {
                    let names: Vec<&str> = pairs.iter().map(|p| p.name.as_str()).collect();
                    let mut reads = Vec::new();
                    for p in &pairs {
                        for document in [&p.old, &p.new].into_iter().flatten() {
                            reads.extend(reads_in(&p.name, document, &names));
                        }
                    }
                    reads.sort();
                    reads.dedup();
                    let title = app_title(&selected);
                    write!(
                        stdout,
                        "{}",
                        app_markdown(&title, &reviews, &reads, &prices)?
                    )?;
                }
            }
        }
    }
    Ok(if differs { 1 } else { 0 })
}

/// The heading of a review of many stacks: the app's name when they are all of one app.
fn app_title(selected: &[StackDef]) -> String {
    let mut apps: Vec<Option<&str>> = selected
        .iter()
        .map(|d| d.member.as_ref().map(|m| m.app))
        .collect();
    apps.dedup();
    match apps.as_slice() {
        [Some(app)] => format!("App `{app}`"),
        _ => "Every stack".to_owned(),
    }
}

/// The old `main.tf.json`: in `against` (or, for one stack, `against` itself) when given —
/// `None` when the stack is not there, a new stack — else the last synth in `<out>/<stack>`.
fn old_document(
    against: Option<&Path>,
    out: &Path,
    stack: &str,
    stacks: usize,
) -> anyhow::Result<Option<PathBuf>> {
    let candidates = match against {
        Some(dir) if stacks == 1 => vec![
            dir.join(stack).join("main.tf.json"),
            dir.join("main.tf.json"),
        ],
        Some(dir) => vec![dir.join(stack).join("main.tf.json")],
        None => vec![out.join(stack).join("main.tf.json")],
    };
    match candidates.iter().find(|p| p.is_file()) {
        Some(p) => Ok(Some(p.clone())),
        None if against.is_some_and(Path::is_dir) => Ok(None),
        None => Err(Diagnostic::error(format!(
            "no earlier output to compare with: {} does not exist",
            candidates[0].display()
        ))
        .hint(format!("run `synth {stack}` first, or pass --against DIR"))
        .into()),
    }
}

/// Folders of `dir` holding a `main.tf.json` whose name is not one of the binary's stacks.
fn removed_stacks(dir: &Path, stacks: &[StackDef]) -> anyhow::Result<Vec<String>> {
    let mut gone = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(gone);
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("main.tf.json").is_file() && !stacks.iter().any(|d| d.name == name) {
            gone.push(name);
        }
    }
    gone.sort();
    Ok(gone)
}
