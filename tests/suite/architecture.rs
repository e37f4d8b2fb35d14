//! Architecture: layers point down. No module of any crate of the workspace imports one that
//! imports it back, directly or through others, and no crate depends on a crate in its own
//! layer or above it; and in the stacks binary's build, no stack code depends on the cost and
//! policy rules.
//!
//! The checks read files only (the sources, `cargo metadata --no-deps` and `cargo tree`), so
//! they take milliseconds and compile nothing.
//!
//! # How module dependencies are counted
//!
//! Every target of every workspace member (lib, bins, tests, benches, build script) is read
//! from its root file, following `mod name;` declarations (`name.rs` or `name/mod.rs`) and
//! inline `mod name { … }` blocks; generated files are included like any other.
//!
//! A module depends on another when its code names it: a `use` of a path starting with
//! `crate::`, `self::`, `super::` or a child module's name (grouped `use a::{b::C, d}` and
//! `self` inside groups included), or such a path in code (`crate::x::f()`, also
//! `$crate::` in macros). Comments, doc comments and string literals are not read. A path is
//! followed through modules and through `pub use` re-exports (glob ones too) to the module
//! whose file defines the item: `use crate::App` is a dependency on `app` when the root only
//! re-exports `App` from there.
//!
//! Structure is not dependency: a parent declaring its children (`mod foo;`) and re-exporting
//! their items (`pub use foo::Foo;`) depends on none of them. A parent that *uses* a child's
//! item in its own code (a call, or a re-exported name it also uses) depends on the child, and
//! a child that uses an item defined in its parent's file (`super::X`, `crate::cost::X`)
//! depends on the parent; both at once is a cycle.
//!
//! A dependency is counted at the level where the two module paths part: for
//! `cost::estimate` naming `crate::policy::rules::X` that is `cost → policy`, and for
//! `cost::estimate` naming `crate::cost::prices::Y` it is `estimate → prices` among the
//! children of `cost`. So each module's children, together with the module's own file
//! (shown by the module's name), form one graph, and each graph must be acyclic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use oxiform_tests::workspace_root;

/// The workspace's crates, lowest layer first. A crate may depend (normal, build or dev
/// dependency) only on crates of lower layers. Crates that do not exist yet are fine.
const LAYERS: &[&[&str]] = &[
    // The graph, values, Terraform JSON and diagnostics.
    &["oxiform-core"],
    // Providers generated as crates of their own (`providers/`, `oxiform-codegen provider`):
    // the core only.
    &[
        "oxiform-random",
        "oxiform-null",
        "oxiform-local",
        "oxiform-edge",
    ],
    // Time zones and schedules, which report through the core's diagnostics.
    &["oxiform-schedules"],
    // The generated AWS provider's service modules, split over four crates so that no one
    // rustc holds them all (`aws/codegen/src/parts.rs`): the core only.
    &[
        "oxiform-aws-part1",
        "oxiform-aws-part2",
        "oxiform-aws-part3",
        "oxiform-aws-part4",
    ],
    // The generated AWS provider (re-exporting the parts) and its typed payloads.
    &["oxiform-aws"],
    &["oxiform-patterns"],
    // Cost and policy.
    &["oxiform-analysis"],
    // Typed assertions for stack unit tests, over synthesised stacks and the policy gate.
    &["oxiform-testing"],
    // The facade a stacks crate depends on.
    &["oxiform"],
    // The AWS API emulator, independent of the SDK; the code generator, whose model
    // `convert` reads (its tests use the facade).
    &["oxiform-emulator", "oxiform-codegen"],
    // Function assets with their dependencies (pip under target/, like the emulator's moto):
    // above the facade, which never runs a program.
    &["oxiform-bundle"],
    // HCL to typed Rust, through the generator's model.
    &["oxiform-convert"],
    // The command line; this repository's stacks, which depend on the facade only.
    &["oxiform-cli", "stack-definitions"],
    // The stacks binary: the stacks behind the command line.
    &["stacks"],
    // Tests and benchmarks: nothing depends on them.
    &["oxiform-tests", "oxiform-compile-fail", "oxiform-bench"],
];

/// Module cycles that exist and are accepted for now, each as the failure message names it
/// (`<target>: <module>, <module>, …`), with the reason. A listed cycle that no longer exists
/// fails the test too, so that this list only shrinks.
const KNOWN_CYCLES: &[(&str, &str)] = &[];

#[test]
fn no_module_cycle_in_any_crate() -> anyhow::Result<()> {
    let mut found = Vec::new();
    for target in workspace_targets()? {
        let krate = Crate::load(&target.root, &read_file)?;
        for cycle in krate.cycles() {
            found.push((format!("{}: {}", target.name, cycle.members), cycle.explain));
        }
    }
    let known: BTreeSet<&str> = KNOWN_CYCLES.iter().map(|(name, _)| *name).collect();
    let mut problems = Vec::new();
    for (name, explain) in &found {
        if !known.contains(name.as_str()) {
            problems.push(format!(
                "module cycle in {name}\n{explain}\n  hint: make the lower module not name the \
                 higher one: move what they share down, or into a module of its own"
            ));
        }
    }
    let found_names: BTreeSet<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    for name in known.difference(&found_names) {
        problems.push(format!(
            "KNOWN_CYCLES lists {name:?}, which is no longer a cycle: remove it from the list"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    Ok(())
}

/// Dev-dependencies allowed to point up, none of them used to build a library: an AWS
/// part's doc examples are written as a user reads them (`use oxiform_aws::…`, the crate that
/// re-exports the part), so its doctests link that crate.
const UPWARD_DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("oxiform-aws-part1", "oxiform-aws"),
    ("oxiform-aws-part2", "oxiform-aws"),
    ("oxiform-aws-part3", "oxiform-aws"),
    ("oxiform-aws-part4", "oxiform-aws"),
];

#[test]
fn crates_depend_only_on_lower_layers() -> anyhow::Result<()> {
    let mut crates = workspace_crates()?;
    for krate in &mut crates {
        krate.deps.retain(|(dep, kind)| {
            !(kind == "dev"
                && UPWARD_DEV_DEPENDENCIES.contains(&(krate.name.as_str(), dep.as_str())))
        });
    }
    let problems = layer_violations(&crates, LAYERS);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

/// A change to a cost or policy rule recompiles no stack: in the stacks binary's build
/// (`cargo build -p stacks`, features resolved as cargo resolves them), only the command line
/// and the binary's own small crate depend on `oxiform-analysis`. Not the facade, whose
/// `analysis` feature nothing there may turn on, and so not `stack-definitions`, the stacks'
/// code. Reads `cargo tree`, which compiles nothing.
#[test]
fn no_stack_code_depends_on_the_cost_and_policy_rules() -> anyhow::Result<()> {
    let stdout = cargo(&[
        "tree",
        "-p",
        "stacks",
        "-e",
        "normal,build",
        "-i",
        "oxiform-analysis",
        "--prefix",
        "none",
    ])?;
    let dependents: BTreeSet<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "oxiform-analysis")
        .collect();
    assert_eq!(
        dependents,
        BTreeSet::from(["oxiform-cli", "stacks"]),
        "in the stacks binary's build, these crates depend on oxiform-analysis\n  hint: depend \
         on oxiform-analysis directly, not through the facade's `analysis` feature (a \
         dev-dependency may use it), so that a cost or policy rule recompiles no stack"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The workspace, from `cargo metadata --no-deps` (and `cargo tree`).

/// One compilation target: its name for messages and its root file.
struct Target {
    name: String,
    root: PathBuf,
}

/// One workspace member and the workspace members it depends on, each with its kind
/// (`normal`, `build`, `dev`).
struct CrateDeps {
    name: String,
    deps: Vec<(String, String)>,
}

fn metadata() -> anyhow::Result<serde_json::Value> {
    let stdout = cargo(&["metadata", "--no-deps", "--format-version", "1"])?;
    Ok(serde_json::from_str(&stdout)?)
}

/// Runs `cargo <args> --offline` at the workspace root; its standard output.
fn cargo(args: &[&str]) -> anyhow::Result<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(workspace_root())
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "cargo {} failed: {}",
        args.first().unwrap_or(&""),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

fn packages(meta: &serde_json::Value) -> Vec<&serde_json::Value> {
    meta["packages"]
        .as_array()
        .map(|p| p.iter().collect())
        .unwrap_or_default()
}

fn workspace_targets() -> anyhow::Result<Vec<Target>> {
    let meta = metadata()?;
    let mut targets = Vec::new();
    for package in packages(&meta) {
        let package_name = package["name"].as_str().unwrap_or("?");
        for target in package["targets"].as_array().into_iter().flatten() {
            let kind = target["kind"][0].as_str().unwrap_or("?");
            let name = target["name"].as_str().unwrap_or("?");
            let root = target["src_path"].as_str().unwrap_or("");
            targets.push(Target {
                name: format!("{package_name} ({kind} {name})"),
                root: PathBuf::from(root),
            });
        }
    }
    anyhow::ensure!(
        targets.len() >= 9,
        "cargo metadata listed only {} targets",
        targets.len()
    );
    Ok(targets)
}

fn workspace_crates() -> anyhow::Result<Vec<CrateDeps>> {
    let meta = metadata()?;
    let members: BTreeSet<&str> = packages(&meta)
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let mut crates = Vec::new();
    for package in packages(&meta) {
        let deps = package["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let name = d["name"].as_str()?;
                members.contains(name).then(|| {
                    let kind = d["kind"].as_str().unwrap_or("normal");
                    (name.to_owned(), kind.to_owned())
                })
            })
            .collect();
        crates.push(CrateDeps {
            name: package["name"].as_str().unwrap_or("?").to_owned(),
            deps,
        });
    }
    anyhow::ensure!(
        crates.len() >= 9,
        "cargo metadata listed only {} crates",
        crates.len()
    );
    Ok(crates)
}

/// Every dependency of a crate on one in its own layer or above, and every crate missing from
/// `layers`.
fn layer_violations(crates: &[CrateDeps], layers: &[&[&str]]) -> Vec<String> {
    let layer_of = |name: &str| layers.iter().position(|layer| layer.contains(&name));
    let mut problems = Vec::new();
    for krate in crates {
        let Some(own) = layer_of(&krate.name) else {
            problems.push(format!(
                "crate `{}` is not in the layer table: add it to the layer table (LAYERS in \
                 tests/suite/architecture.rs) in the layer above everything it depends on",
                krate.name
            ));
            continue;
        };
        for (dep, kind) in &krate.deps {
            match layer_of(dep) {
                Some(layer) if layer < own => {}
                Some(layer) => problems.push(format!(
                    "crate `{}` (layer {own}) depends on `{dep}` (layer {layer}, {kind} \
                     dependency): a crate may depend only on crates of lower layers",
                    krate.name
                )),
                // Reported once as a crate of its own.
                None => {}
            }
        }
    }
    problems
}

fn read_file(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

// ---------------------------------------------------------------------------------------
// Tokens: Rust source without comments, strings and character literals.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// A token and the line it starts on.
#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

/// Splits `src` into identifiers, `::` and single punctuation characters, skipping comments
/// (doc comments too), string, byte-string, raw-string and character literals, numbers and
/// lifetimes. `$crate` is read as `crate`, `r#name` as `name`.
fn lex(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1, &mut line);
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                // '\n', '\'', '\u{..}'
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or label: its name is not a path.
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let raw = matches!(word.as_str(), "r" | "br" | "cr");
            if raw && (at(i) == '"' || (at(i) == '#' && matches!(at(i + 1), '"' | '#'))) {
                let mut hashes = 0;
                while at(i) == '#' {
                    hashes += 1;
                    i += 1;
                }
                i += 1;
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                        i += 1 + hashes;
                        break;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            } else if matches!(word.as_str(), "b" | "c") && at(i) == '"' {
                i = skip_string(&chars, i + 1, &mut line);
            } else if word == "b" && at(i) == '\'' {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            } else if word == "r" && at(i) == '#' {
                // r#type: a raw identifier; the next word is read on its own.
                i += 1;
            } else {
                tokens.push(Token {
                    tok: Tok::Ident(word),
                    line,
                });
            }
        } else if c == ':' && at(i + 1) == ':' {
            tokens.push(Token {
                tok: Tok::PathSep,
                line,
            });
            i += 2;
        } else if c == '$' && chars[i + 1..].starts_with(&['c', 'r', 'a', 't', 'e']) {
            // `$crate` in a macro: the path is in this crate.
            i += 1;
        } else {
            tokens.push(Token {
                tok: Tok::Punct(c),
                line,
            });
            i += 1;
        }
    }
    tokens
}

/// The index after the string literal whose body starts at `i`.
fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if chars.get(i + 1) == Some(&'\n') {
                    *line += 1;
                }
                i += 2;
            }
            '"' => return i + 1,
            '\n' => {
                *line += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

// ---------------------------------------------------------------------------------------
// One file: its module declarations, `use` trees and paths.

/// A path one module names, and where.
#[derive(Debug, Clone)]
struct Reference {
    /// The inline modules (`mod tests { … }`) around it, inside the file's own module.
    inline: Vec<String>,
    segments: Vec<String>,
    line: usize,
    how: Naming,
}

/// How a path is named.
#[derive(Debug, Clone, PartialEq)]
enum Naming {
    /// In code: a call, a type, a pattern.
    Code,
    /// By a `use` declaration, public (`pub`, `pub(crate)`: a re-export) or not, binding a
    /// name (`None` for a glob).
    Use {
        public: bool,
        binding: Option<String>,
    },
}

/// What one file says about modules.
#[derive(Debug, Default)]
struct FileFacts {
    /// `mod name;` declarations, each under the inline modules around it.
    children: Vec<(Vec<String>, String)>,
    /// Inline `mod name { … }` blocks, by path inside the file.
    inline_modules: Vec<Vec<String>>,
    /// Items defined here (fn, struct, enum, …), by the inline module they are in.
    items: BTreeSet<(Vec<String>, String)>,
    references: Vec<Reference>,
    /// Every identifier outside `use` declarations, by the inline module it is in: a
    /// re-exported name found here is also used by the module's own code.
    code_idents: BTreeSet<(Vec<String>, String)>,
}

fn ident(tokens: &[Token], i: usize) -> Option<&str> {
    match tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn is(tokens: &[Token], i: usize, tok: &Tok) -> bool {
    tokens.get(i).map(|t| &t.tok) == Some(tok)
}

fn parse_file(src: &str) -> FileFacts {
    let tokens = lex(src);
    let mut facts = FileFacts::default();
    // Inline modules open around the current token, with the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut public = false;
    let mut i = 0;
    let path_of = |inline: &[(String, usize)]| -> Vec<String> {
        inline.iter().map(|(name, _)| name.clone()).collect()
    };
    while i < tokens.len() {
        let here = path_of(&inline);
        match &tokens[i].tok {
            Tok::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Tok::Ident(word) if word == "pub" => {
                public = true;
                i += 1;
                if is(&tokens, i, &Tok::Punct('(')) {
                    while i < tokens.len() && !is(&tokens, i, &Tok::Punct(')')) {
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            Tok::Ident(word) if word == "mod" => {
                if let Some(name) = ident(&tokens, i + 1) {
                    if is(&tokens, i + 2, &Tok::Punct(';')) {
                        facts.children.push((here, name.to_owned()));
                        i += 3;
                    } else if is(&tokens, i + 2, &Tok::Punct('{')) {
                        depth += 1;
                        inline.push((name.to_owned(), depth));
                        facts.inline_modules.push(path_of(&inline));
                        i += 3;
                    } else {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            Tok::Ident(word) if word == "use" => {
                let end = (i..tokens.len())
                    .find(|&j| is(&tokens, j, &Tok::Punct(';')))
                    .unwrap_or(tokens.len());
                let mut uses = Vec::new();
                parse_use_tree(&tokens[i + 1..end], Vec::new(), &mut uses);
                for (segments, binding) in uses {
                    facts.references.push(Reference {
                        inline: here.clone(),
                        segments,
                        line: tokens[i].line,
                        how: Naming::Use { public, binding },
                    });
                }
                i = end + 1;
            }
            Tok::Ident(word)
                if matches!(
                    word.as_str(),
                    "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static" | "union"
                ) =>
            {
                if let Some(name) = ident(&tokens, i + 1) {
                    facts.items.insert((here, name.to_owned()));
                }
                i += 1;
            }
            Tok::Ident(word) if word == "macro_rules" => {
                if let Some(name) = ident(&tokens, i + 2) {
                    facts.items.insert((here, name.to_owned()));
                }
                i += 1;
            }
            Tok::Ident(word) => {
                facts.code_idents.insert((here.clone(), word.clone()));
                let starts_path = i == 0 || !is(&tokens, i - 1, &Tok::PathSep);
                if starts_path && is(&tokens, i + 1, &Tok::PathSep) {
                    let mut segments = vec![word.clone()];
                    let mut j = i + 1;
                    while is(&tokens, j, &Tok::PathSep) {
                        match ident(&tokens, j + 1) {
                            Some(next) => {
                                segments.push(next.to_owned());
                                j += 2;
                            }
                            None => break,
                        }
                    }
                    facts.references.push(Reference {
                        inline: here,
                        segments,
                        line: tokens[i].line,
                        how: Naming::Code,
                    });
                }
                i += 1;
            }
            _ => i += 1,
        }
        public = false;
    }
    facts
}

/// Expands a `use` tree (the tokens between `use` and `;`) into full paths, each with the
/// name it binds (`None` for a glob).
fn parse_use_tree(
    tokens: &[Token],
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    // The empty tail of a group with a trailing comma: `{ a, b, }`.
    if tokens.is_empty() {
        return;
    }
    let mut path = prefix;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i].tok {
            Tok::PathSep => i += 1,
            Tok::Punct('*') => {
                out.push((path.clone(), None));
                return;
            }
            Tok::Punct('{') => {
                // Split the group at its top-level commas.
                let mut level = 0;
                let mut start = i + 1;
                for j in i + 1..tokens.len() {
                    match tokens[j].tok {
                        Tok::Punct('{') => level += 1,
                        Tok::Punct('}') if level == 0 => {
                            parse_use_tree(&tokens[start..j], path.clone(), out);
                            return;
                        }
                        Tok::Punct('}') => level -= 1,
                        Tok::Punct(',') if level == 0 => {
                            parse_use_tree(&tokens[start..j], path.clone(), out);
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            Tok::Ident(word) if word == "as" => {
                let alias = ident(tokens, i + 1).map(str::to_owned);
                if !path.is_empty() {
                    out.push((path, alias));
                }
                return;
            }
            // `use a::{self, b}`: `self` is the group's prefix, bound by its last name.
            Tok::Ident(word) if word == "self" && !path.is_empty() => i += 1,
            Tok::Ident(word) => {
                path.push(word.clone());
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !path.is_empty() {
        let binding = path.last().cloned();
        out.push((path, binding));
    }
}

// ---------------------------------------------------------------------------------------
// One crate: its module tree, the dependencies between modules, and their cycles.

type ModPath = Vec<String>;

/// One module: where it is written, and what its code names.
#[derive(Debug, Default)]
struct Module {
    file: PathBuf,
    children: BTreeSet<String>,
    items: BTreeSet<String>,
    /// `pub use` re-exports by the name they bind, and glob re-exports.
    reexports: BTreeMap<String, Vec<String>>,
    glob_reexports: Vec<Vec<String>>,
    references: Vec<Reference>,
    code_idents: BTreeSet<String>,
}

/// One dependency between two modules, and where it is named.
#[derive(Debug, Clone)]
struct Edge {
    from: ModPath,
    to: ModPath,
    at: String,
}

/// A strongly connected set of modules: its members, and one cycle through them with the
/// line naming each step.
#[derive(Debug)]
struct Cycle {
    members: String,
    explain: String,
}

/// A crate's module tree.
struct Crate {
    modules: BTreeMap<ModPath, Module>,
    /// Shown instead of absolute paths.
    base: PathBuf,
}

impl Crate {
    /// Reads the crate whose root file is `root`, following its `mod` declarations.
    fn load(root: &Path, read: &dyn Fn(&Path) -> Option<String>) -> anyhow::Result<Crate> {
        let mut krate = Crate {
            modules: BTreeMap::new(),
            base: workspace_root(),
        };
        krate.load_file(root, Vec::new(), true, read)?;
        Ok(krate)
    }

    fn load_file(
        &mut self,
        file: &Path,
        path: ModPath,
        owns_dir: bool,
        read: &dyn Fn(&Path) -> Option<String>,
    ) -> anyhow::Result<()> {
        let src = read(file).ok_or_else(|| anyhow::anyhow!("cannot read {}", file.display()))?;
        let facts = parse_file(&src);
        // Children of `foo.rs` live in `foo/`; of `lib.rs`, `main.rs` and `mod.rs` beside it.
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = if owns_dir {
            dir
        } else {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            dir.join(stem)
        };
        let module_of =
            |inline: &[String]| -> ModPath { path.iter().chain(inline).cloned().collect() };
        self.module(&path).file = file.to_path_buf();
        for inline in &facts.inline_modules {
            let full = module_of(inline);
            if let Some((last, parent)) = full.split_last() {
                self.module(parent).children.insert(last.clone());
            }
            self.module(&full).file = file.to_path_buf();
        }
        for (inline, name) in &facts.items {
            self.module(&module_of(inline)).items.insert(name.clone());
        }
        for (inline, name) in &facts.code_idents {
            self.module(&module_of(inline))
                .code_idents
                .insert(name.clone());
        }
        for reference in &facts.references {
            let module = self.module(&module_of(&reference.inline));
            if let Naming::Use {
                public: true,
                binding,
            } = &reference.how
            {
                match binding {
                    Some(name) => {
                        module
                            .reexports
                            .insert(name.clone(), reference.segments.clone());
                    }
                    None => module.glob_reexports.push(reference.segments.clone()),
                }
            }
            module.references.push(reference.clone());
        }
        for (inline, name) in &facts.children {
            let parent = module_of(inline);
            let child_dir = inline.iter().fold(dir.clone(), |d, m| d.join(m));
            let flat = child_dir.join(format!("{name}.rs"));
            let nested = child_dir.join(name).join("mod.rs");
            let mut child = parent.clone();
            child.push(name.clone());
            self.module(&parent).children.insert(name.clone());
            if read(&flat).is_some() {
                self.load_file(&flat, child, false, read)?;
            } else if read(&nested).is_some() {
                self.load_file(&nested, child, true, read)?;
            } else {
                anyhow::bail!(
                    "{}: `mod {name};` but neither {} nor {} exists",
                    file.display(),
                    flat.display(),
                    nested.display()
                );
            }
        }
        Ok(())
    }

    fn module(&mut self, path: &[String]) -> &mut Module {
        self.modules.entry(path.to_vec()).or_default()
    }

    /// The module defining what `segments` names, seen from module `from`; `None` for paths
    /// outside the crate (other crates, the standard library) and names bound by a `use`.
    fn resolve(&self, from: &[String], segments: &[String], depth: usize) -> Option<ModPath> {
        let (first, rest) = segments.split_first()?;
        let mut base: ModPath = match first.as_str() {
            "crate" => Vec::new(),
            "self" => from.to_vec(),
            "super" => from.split_last().map(|(_, p)| p.to_vec())?,
            _ if self.has_child(from, first) => {
                let mut b = from.to_vec();
                b.push(first.clone());
                b
            }
            _ => return None,
        };
        let mut rest = rest;
        // `super::super::x`
        while let Some((next, tail)) = rest.split_first() {
            if next != "super" {
                break;
            }
            base.pop();
            rest = tail;
        }
        self.walk(base, rest, depth)
    }

    /// Follows `rest` from module `cur` through child modules and re-exports.
    fn walk(&self, mut cur: ModPath, rest: &[String], depth: usize) -> Option<ModPath> {
        for (k, seg) in rest.iter().enumerate() {
            if self.has_child(&cur, seg) {
                cur.push(seg.clone());
                continue;
            }
            let module = self.modules.get(&cur)?;
            if module.items.contains(seg) || depth > 8 {
                return Some(cur);
            }
            if let Some(target) = module.reexports.get(seg) {
                let mut through = target.clone();
                through.extend(rest[k + 1..].iter().cloned());
                // `None`: a re-export of another crate's item.
                return self.resolve(&cur, &through, depth + 1);
            }
            for glob in &module.glob_reexports {
                if let Some(target) = self.resolve(&cur, glob, depth + 1) {
                    let found = self.modules.get(&target).is_some_and(|m| {
                        m.children.contains(seg)
                            || m.items.contains(seg)
                            || m.reexports.contains_key(seg)
                    });
                    if found {
                        return self.walk(target, &rest[k..], depth + 1);
                    }
                }
            }
            return Some(cur);
        }
        Some(cur)
    }

    fn has_child(&self, module: &[String], name: &str) -> bool {
        self.modules
            .get(module)
            .is_some_and(|m| m.children.contains(name))
    }

    /// Every dependency between two different modules.
    fn edges(&self) -> Vec<Edge> {
        let mut edges = Vec::new();
        for (path, module) in &self.modules {
            for reference in &module.references {
                let from: ModPath = path.clone();
                // A re-export is structure, unless the file's own code uses the name too.
                if let Naming::Use {
                    public: true,
                    binding,
                } = &reference.how
                {
                    let used = binding
                        .as_ref()
                        .is_some_and(|name| module.code_idents.contains(name));
                    if !used {
                        continue;
                    }
                }
                let Some(to) = self.resolve(&from, &reference.segments, 0) else {
                    continue;
                };
                if to == from {
                    continue;
                }
                let file = module.file.strip_prefix(&self.base).unwrap_or(&module.file);
                edges.push(Edge {
                    from,
                    to,
                    at: format!(
                        "{}:{} names {}",
                        file.display(),
                        reference.line,
                        reference.segments.join("::")
                    ),
                });
            }
        }
        edges
    }

    /// The dependency graphs among each module's children and its own file, as
    /// `parent → (node → node → first edge)`; a node is a child's name, or `""` for the
    /// parent's own file.
    fn sibling_graphs(&self) -> BTreeMap<ModPath, BTreeMap<String, BTreeMap<String, Edge>>> {
        let mut graphs: BTreeMap<ModPath, BTreeMap<String, BTreeMap<String, Edge>>> =
            BTreeMap::new();
        for edge in self.edges() {
            let common = edge
                .from
                .iter()
                .zip(&edge.to)
                .take_while(|(a, b)| a == b)
                .count();
            let node = |p: &ModPath| p.get(common).cloned().unwrap_or_default();
            let (from, to) = (node(&edge.from), node(&edge.to));
            if from == to {
                continue;
            }
            let graph = graphs.entry(edge.from[..common].to_vec()).or_default();
            graph.entry(to.clone()).or_default();
            graph.entry(from).or_default().entry(to).or_insert(edge);
        }
        graphs
    }

    /// Every cycle: each set of modules that depend on one another, with one path around it.
    fn cycles(&self) -> Vec<Cycle> {
        let mut cycles = Vec::new();
        for (parent, graph) in self.sibling_graphs() {
            let show = |node: &str| -> String {
                let mut p = parent.clone();
                if !node.is_empty() {
                    p.push(node.to_owned());
                }
                if p.is_empty() {
                    "crate".to_owned()
                } else {
                    p.join("::")
                }
            };
            for component in strongly_connected(&graph) {
                if component.len() < 2 {
                    continue;
                }
                let members: Vec<String> = component.iter().map(|n| show(n)).collect();
                let ring = ring_through(&graph, &component);
                let explain = ring
                    .windows(2)
                    .map(|w| {
                        let edge = &graph[&w[0]][&w[1]];
                        format!("  {} → {}   ({})", show(&w[0]), show(&w[1]), edge.at)
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                cycles.push(Cycle {
                    members: members.join(", "),
                    explain,
                });
            }
        }
        cycles
    }
}

/// The strongly connected components of `graph` (Tarjan), each sorted.
fn strongly_connected<E>(graph: &BTreeMap<String, BTreeMap<String, E>>) -> Vec<Vec<String>> {
    struct State<'g> {
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        components: Vec<Vec<String>>,
    }
    fn visit<'g, E>(
        node: &'g str,
        graph: &'g BTreeMap<String, BTreeMap<String, E>>,
        s: &mut State<'g>,
    ) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        s.on_stack.insert(node);
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            let next = next.as_str();
            if !s.index.contains_key(next) {
                visit(next, graph, s);
                let low = s.low[next].min(s.low[node]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.index[next].min(s.low[node]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top.to_owned());
                if top == node {
                    break;
                }
            }
            component.sort();
            s.components.push(component);
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(node, graph, &mut state);
        }
    }
    state.components.sort();
    state.components
}

/// A shortest cycle from the first member of `component` back to it, staying inside it:
/// `[a, b, …, a]`.
fn ring_through<E>(
    graph: &BTreeMap<String, BTreeMap<String, E>>,
    component: &[String],
) -> Vec<String> {
    let inside: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let start = component[0].as_str();
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            let next = next.as_str();
            if next == start {
                let mut ring = vec![start.to_owned(), node.to_owned()];
                let mut at = node;
                while let Some(prev) = parent.get(at) {
                    ring.push((*prev).to_owned());
                    at = prev;
                }
                ring.reverse();
                return ring;
            }
            if inside.contains(next) && !parent.contains_key(next) {
                parent.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    component.to_vec()
}

// ---------------------------------------------------------------------------------------
// The checks themselves, on small examples and on known real edges.

#[cfg(test)]
mod parser {
    use super::*;

    /// A crate made of `files` (path → source), rooted at `lib.rs`.
    fn krate(files: &[(&str, &str)]) -> anyhow::Result<Crate> {
        let files: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(p, s)| (PathBuf::from(p), (*s).to_owned()))
            .collect();
        Crate::load(Path::new("lib.rs"), &|p: &Path| files.get(p).cloned())
    }

    fn edge_names(krate: &Crate) -> BTreeSet<String> {
        krate
            .edges()
            .iter()
            .map(|e| format!("{} -> {}", e.from.join("::"), e.to.join("::")))
            .collect()
    }

    #[test]
    fn grouped_multi_line_uses_and_self_are_expanded() {
        let tokens = lex("crate::{\n    a::X,\n    b::{self, c::Y as Z},\n    d::*,\n}");
        let mut uses = Vec::new();
        parse_use_tree(&tokens, Vec::new(), &mut uses);
        let shown: Vec<String> = uses
            .iter()
            .map(|(p, b)| format!("{} = {}", p.join("::"), b.as_deref().unwrap_or("*")))
            .collect();
        assert_eq!(
            shown,
            [
                "crate::a::X = X",
                "crate::b = b",
                "crate::b::c::Y = Z",
                "crate::d = *"
            ]
        );
    }

    #[test]
    fn comments_strings_and_doc_comments_name_nothing() {
        let facts = parse_file(
            r##"
            //! `crate::a::X` in a module doc
            /// [`crate::b::Y`]
            // crate::c::Z
            /* crate::d /* nested crate::e */ */
            fn f() -> &'static str {
                let _ = 'x';
                let _ = '\'';
                let _ = b"crate::f";
                r#"crate::g "quoted" "#
            }
            "##,
        );
        assert!(facts.references.is_empty(), "{:?}", facts.references);
    }

    #[test]
    fn crate_paths_in_code_count() {
        let facts = parse_file("fn f() { crate::a::b::run(); let x: $crate::c::T; }");
        let paths: Vec<String> = facts
            .references
            .iter()
            .map(|r| r.segments.join("::"))
            .collect();
        assert_eq!(paths, ["crate::a::b::run", "crate::c::T"]);
    }

    #[test]
    fn a_synthetic_cycle_is_reported_with_the_lines_naming_it() -> anyhow::Result<()> {
        let krate = krate(&[
            ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
            ("a.rs", "use crate::b::B;\npub struct A;\n"),
            ("b.rs", "pub struct B;\nfn f() { crate::c::g(); }\n"),
            ("c.rs", "pub fn g() {}\nuse crate::a::{A};\n"),
        ])?;
        let cycles = krate.cycles();
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        assert_eq!(cycles[0].members, "a, b, c");
        assert_eq!(
            cycles[0].explain,
            "  a → b   (a.rs:1 names crate::b::B)\n  b → c   (b.rs:2 names crate::c::g)\n  c → a   (c.rs:2 names crate::a::A)"
        );
        Ok(())
    }

    #[test]
    fn a_cycle_inside_a_module_is_reported_at_the_level_where_the_paths_part() -> anyhow::Result<()>
    {
        let krate = krate(&[
            ("lib.rs", "mod cost;\nmod policy;\n"),
            ("policy.rs", "use crate::cost::prices::P;\n"),
            ("cost/mod.rs", "mod estimate;\nmod prices;\n"),
            ("cost/estimate.rs", "use super::prices::P;\npub fn e() {}\n"),
            (
                "cost/prices.rs",
                "pub struct P;\nfn f() { super::estimate::e(); }\n",
            ),
        ])?;
        let members: Vec<String> = krate.cycles().into_iter().map(|c| c.members).collect();
        assert_eq!(members, ["cost::estimate, cost::prices"]);
        assert!(edge_names(&krate).contains("policy -> cost::prices"));
        Ok(())
    }

    #[test]
    fn parents_declaring_and_reexporting_children_are_not_cycles() -> anyhow::Result<()> {
        let krate = krate(&[
            (
                "lib.rs",
                "mod app;\nmod commands;\npub use app::App;\npub use commands::Cli;\n\
                 #[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
            ),
            ("app.rs", "pub struct App;\n"),
            ("commands.rs", "use crate::App;\npub struct Cli;\n"),
        ])?;
        assert!(krate.cycles().is_empty());
        // `crate::App` is followed through the re-export to `app`.
        let edges = edge_names(&krate);
        assert!(edges.contains("commands -> app"), "{edges:?}");
        assert!(edges.contains("tests -> "), "{edges:?}");
        Ok(())
    }

    #[test]
    fn a_parent_using_a_child_that_uses_the_parent_is_a_cycle() -> anyhow::Result<()> {
        let krate = krate(&[
            (
                "lib.rs",
                "mod commands;\npub use commands::Cli;\npub struct App;\n\
                 pub fn execute() { Cli::parse(); }\n",
            ),
            ("commands.rs", "use crate::App;\npub struct Cli;\n"),
        ])?;
        let members: Vec<String> = krate.cycles().into_iter().map(|c| c.members).collect();
        assert_eq!(members, ["crate, commands"]);
        Ok(())
    }

    #[test]
    fn glob_reexports_are_followed() -> anyhow::Result<()> {
        let krate = krate(&[
            ("lib.rs", "mod aws;\nmod patterns;\n"),
            ("aws/mod.rs", "mod generated;\npub use generated::*;\n"),
            ("aws/generated/mod.rs", "pub mod s3;\n"),
            ("aws/generated/s3.rs", "pub struct Bucket;\n"),
            ("patterns.rs", "use crate::aws::s3::Bucket;\n"),
        ])?;
        let edges = edge_names(&krate);
        assert!(
            edges.contains("patterns -> aws::generated::s3"),
            "{edges:?}"
        );
        Ok(())
    }

    #[test]
    fn the_real_cli_has_the_edges_it_is_known_to_have() -> anyhow::Result<()> {
        let krate = Crate::load(&workspace_root().join("cli/src/lib.rs"), &read_file)?;
        let edges = edge_names(&krate);
        for known in [
            "commands -> deploy",
            "deploy -> terraform",
            "deploy -> select",
            "check_cmd -> select",
            // `crate::StackDef`, re-exported by the root from `app`.
            "synth -> app",
            " -> commands",
        ] {
            assert!(edges.contains(known), "no edge {known:?} in {edges:#?}");
        }
        Ok(())
    }

    #[test]
    fn a_dependency_on_a_higher_or_unknown_crate_is_a_violation() {
        let crates = [
            CrateDeps {
                name: "low".into(),
                deps: vec![("high".into(), "dev".into())],
            },
            CrateDeps {
                name: "high".into(),
                deps: vec![("low".into(), "normal".into())],
            },
            CrateDeps {
                name: "new".into(),
                deps: vec![],
            },
        ];
        let problems = layer_violations(&crates, &[&["low"], &["high", "absent"]]);
        assert_eq!(
            problems,
            [
                "crate `low` (layer 0) depends on `high` (layer 1, dev dependency): a crate may depend only on crates of lower layers",
                "crate `new` is not in the layer table: add it to the layer table (LAYERS in tests/suite/architecture.rs) in the layer above everything it depends on",
            ]
        );
    }
}
