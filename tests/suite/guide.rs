//! The guide (`docs/src/`) says only what the binary prints. Its Rust examples are doctests of
//! the `stacks` crate; this module checks the rest. A block is checked by the marker on the
//! line above it:
//!
//! - `<!-- check: run -->`: a transcript; each `$ cargo run -p stacks -- ARGS` is run with
//!   the stacks binary in the chapter's own folder (empty but for `src/`, as in a new cargo
//!   project), in order, and every line shown under it (but `…`, which stands for lines left
//!   out) must be in what it printed;
//! - `<!-- file: NAME -->`: the block is written to NAME in that folder first (an HCL module,
//!   a usage file);
//! - `<!-- check: written PATH -->`: the block is exactly the file the commands wrote;
//! - `<!-- check: PATH -->`: an error message copied from a snapshot (or a compile-fail
//!   `.stderr`) of the repository: every line shown is a line of that file;
//! - `<!-- check: tests/suite/NAME.rs -->`: a transcript that test runs (the emulator's),
//!   which must read this chapter.
//!
//! A transcript (a text block with `$ ` lines) without a marker fails, as does a chapter in
//! `docs/src/` that `SUMMARY.md` does not list or the `stacks` crate does not compile.

use std::path::Path;
use std::process::{Command, Stdio};

use oxiform_tests::workspace_root;

const STACKS: &str = env!("CARGO_BIN_EXE_oxiform-stacks");

/// The command prefix a transcript shows; the rest of the line is the arguments.
const PREFIX: &str = "$ cargo run -p stacks -- ";

/// One fenced block of a chapter, with the marker above it.
#[derive(Debug)]
struct Block {
    line: usize,
    marker: Option<String>,
    body: String,
}

impl Block {
    /// The lines it shows, without `…` and blank lines.
    fn shown(&self) -> impl Iterator<Item = &str> {
        self.body
            .lines()
            .filter(|l| l.trim() != "…" && !l.trim().is_empty())
    }
}

/// The chapters `docs/src/SUMMARY.md` lists, in order.
fn chapters() -> Vec<String> {
    let summary = std::fs::read_to_string(workspace_root().join("docs/src/SUMMARY.md"))
        .unwrap_or_else(|e| panic!("docs/src/SUMMARY.md: {e}"));
    summary
        .lines()
        .filter_map(|l| l.split_once("](").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once(')').map(|(file, _)| file.to_owned()))
        .collect()
}

fn read_chapter(name: &str) -> String {
    std::fs::read_to_string(workspace_root().join("docs/src").join(name))
        .unwrap_or_else(|e| panic!("docs/src/{name}: {e}"))
}

/// Every fenced block of `text`, with the `<!-- … -->` marker on the line just above it.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    let mut previous: Option<&str> = None;
    while let Some((n, line)) = lines.next() {
        if line.starts_with("```") {
            let marker = previous
                .and_then(|p| p.strip_prefix("<!-- "))
                .and_then(|p| p.strip_suffix(" -->"))
                .map(str::to_owned);
            let mut body = String::new();
            for (_, inner) in lines.by_ref() {
                if inner.starts_with("```") {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            blocks.push(Block {
                line: n + 1,
                marker,
                body,
            });
            previous = None;
        } else {
            previous = Some(line);
        }
    }
    blocks
}

/// Runs the stacks binary in `dir` as a user would from a shell: stdout then stderr.
fn run(dir: &Path, args: &str) -> String {
    let output = Command::new(STACKS)
        .args(args.split_whitespace())
        .current_dir(dir)
        .env_remove("OXIFORM_EMULATOR_URL")
        .env_remove("OXIFORM_PLUGIN_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{STACKS} {args}: {e}"));
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Checks one chapter's marked blocks; returns how many it checked.
fn check_chapter(name: &str) -> usize {
    let text = read_chapter(name);
    // As in a new cargo project: commands may write into `src/`.
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(work.path().join("src")).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for block in blocks(&text) {
        let place = format!("docs/src/{name}:{}", block.line);
        let is_transcript = block.body.lines().any(|l| l.starts_with("$ "));
        let Some(marker) = &block.marker else {
            assert!(
                !is_transcript,
                "{place}: a transcript without a `<!-- check: … -->` marker"
            );
            continue;
        };
        checked += 1;
        if let Some(file) = marker.strip_prefix("file: ") {
            let path = work.path().join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&path, &block.body).unwrap_or_else(|e| panic!("{e}"));
        } else if marker == "check: run" {
            check_transcript(&place, work.path(), &block);
        } else if let Some(file) = marker.strip_prefix("check: written ") {
            let written = std::fs::read_to_string(work.path().join(file))
                .unwrap_or_else(|e| panic!("{place}: the commands wrote no {file}: {e}"));
            assert_eq!(
                block.body, written,
                "{place}: the block is not the {file} the commands wrote"
            );
        } else if let Some(path) = marker.strip_prefix("check: ") {
            let file = std::fs::read_to_string(workspace_root().join(path))
                .unwrap_or_else(|e| panic!("{place}: {path}: {e}"));
            if path.ends_with(".rs") {
                assert!(
                    file.contains(&format!("docs/src/{name}")),
                    "{place}: {path} is said to run this transcript but does not read docs/src/{name}"
                );
                continue;
            }
            let lines: Vec<&str> = file.lines().map(str::trim_end).collect();
            for shown in block.shown() {
                assert!(
                    lines.contains(&shown.trim_end()),
                    "{place}: the guide shows\n  {shown}\nbut {path} has no such line: copy the message again from it"
                );
            }
        } else {
            panic!("{place}: unknown marker `<!-- {marker} -->`");
        }
    }
    checked
}

/// Runs each command of a transcript and checks the lines shown under it.
fn check_transcript(place: &str, dir: &Path, block: &Block) {
    let mut commands: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in block.body.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            let args = line.strip_prefix(PREFIX).unwrap_or_else(|| {
                panic!("{place}: `{command}`: a transcript runs `{PREFIX}…` only")
            });
            commands.push((args, Vec::new()));
        } else if let Some((_, lines)) = commands.last_mut() {
            if line.trim() != "…" && !line.trim().is_empty() {
                lines.push(line);
            }
        }
    }
    assert!(
        !commands.is_empty(),
        "{place}: a transcript with no command"
    );
    for (args, lines) in commands {
        let printed = run(dir, args);
        for line in lines {
            assert!(
                printed.contains(line),
                "{place}: the guide says `{args}` prints\n  {line}\nbut it printed:\n{printed}"
            );
        }
    }
}

#[test]
fn every_chapter_is_in_the_summary_and_compiled_as_doctests() {
    let listed = chapters();
    let glue = std::fs::read_to_string(workspace_root().join("stacks/cli/src/lib.rs"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut on_disk: Vec<String> = std::fs::read_dir(workspace_root().join("docs/src"))
        .unwrap_or_else(|e| panic!("docs/src: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "SUMMARY.md")
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        on_disk, sorted,
        "docs/src and SUMMARY.md list other chapters"
    );
    for chapter in &listed {
        assert!(
            glue.contains(&format!("include_str!(\"../../../docs/src/{chapter}\")")),
            "docs/src/{chapter} is not included as doctests in stacks/cli/src/lib.rs"
        );
    }
}

#[test]
fn every_transcript_and_message_of_the_guide_is_what_the_binary_prints() {
    let mut checked = 0;
    for chapter in chapters() {
        checked += check_chapter(&chapter);
    }
    assert!(checked >= 30, "only {checked} blocks checked");
}

#[test]
fn links_between_chapters_name_chapters_that_exist() {
    let listed = chapters();
    for chapter in &listed {
        let text = read_chapter(chapter);
        for (_, rest) in text.match_indices("](").map(|(i, _)| text.split_at(i + 2)) {
            let target = rest.split(')').next().unwrap_or_default();
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") {
                continue;
            }
            let exists = if file.starts_with("../../") {
                workspace_root()
                    .join(file.trim_start_matches("../../"))
                    .exists()
            } else {
                listed.iter().any(|c| c == file)
            };
            assert!(
                exists,
                "docs/src/{chapter}: a link to {target}, which does not exist"
            );
            if let Some((_, anchor)) = target.split_once('#') {
                if !file.starts_with("../../") {
                    assert!(
                        anchors(&read_chapter(file)).iter().any(|a| a == anchor),
                        "docs/src/{chapter}: a link to {target}, but {file} has no heading `#{anchor}`"
                    );
                }
            }
        }
    }
}

/// The anchors of a chapter's headings, as mdBook makes them: lowercase letters, digits, `_`
/// and `-`, whitespace as `-`, everything else dropped.
fn anchors(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            let title = line.trim_start_matches('#').trim();
            anchors.push(
                title
                    .chars()
                    .filter_map(|c| {
                        if c.is_alphanumeric() || c == '_' || c == '-' {
                            Some(c.to_ascii_lowercase())
                        } else if c.is_whitespace() {
                            Some('-')
                        } else {
                            None
                        }
                    })
                    .collect(),
            );
        }
    }
    anchors
}

/// The README is a front door: at most about 8 KB, the two set-up commands `.ci/run` runs, a
/// link to every chapter of the guide, to `ARCHITECTURE.md` and to `bench/README.md`.
#[test]
fn the_readme_is_a_front_door_to_every_chapter() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    assert!(
        readme.len() <= 8 * 1024,
        "README.md is {} bytes: keep it a front door (at most 8 KiB) and move the rest into a chapter of docs/src/",
        readme.len()
    );
    for command in ["cargo run -p stacks -- synth", "cargo test --workspace"] {
        assert!(
            readme.contains(command),
            "README.md does not say `{command}`"
        );
    }
    for chapter in chapters().iter().filter(|c| *c != "introduction.md") {
        assert!(
            readme.contains(&format!("(docs/src/{chapter})")),
            "README.md's table of chapters has no link to docs/src/{chapter}"
        );
    }
    for page in ["ARCHITECTURE.md", "bench/README.md"] {
        assert!(
            readme.contains(&format!("({page})")),
            "README.md does not link {page}"
        );
    }
}
