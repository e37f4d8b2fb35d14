//! The root's `module` blocks: the folder each calls, read before the root is lowered (the
//! folders are converted first), and the converted function each calls, kept in the
//! lowering's state. Apart from `module.rs`, which lowers the calls with the lowering's
//! helpers, so that the lowering can hold these without naming it back.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::Span;
use oxiform_core::diagnostic::{Diagnostic, Place};

use super::input::{label, Top};
use super::lowered::ModuleFn;
use crate::module_sources::{downloaded_dirs, is_local, join};
use crate::source::Source;

/// A `module` block of the root: the function it calls, or why it cannot.
#[derive(Clone)]
pub(super) struct Call {
    /// The Rust binding of its outputs (`module_network`).
    pub ident: String,
    /// Which of the converted functions it calls.
    pub function: Option<usize>,
}

/// What a module's conversion knows of the functions (the root's calls, by name).
pub(super) struct Functions<'f> {
    /// The module folders converted into functions.
    pub list: &'f [ModuleFn],
    /// Call name → index in `list`, or the error the call gets.
    pub calls: BTreeMap<String, Result<usize, Diagnostic>>,
}

impl Functions<'_> {
    /// No functions: for a module's own conversion.
    pub fn none() -> Self {
        Functions {
            list: &[],
            calls: BTreeMap::new(),
        }
    }
}

/// The folder each `module` block of `tops` calls: `Ok(dir)`, or the error it gets; with
/// the call's place, for an error about the folder.
pub(super) fn call_dirs(
    tops: &[Top<'_>],
    modules_json: Option<&Source>,
) -> BTreeMap<String, (Place, Result<String, Diagnostic>)> {
    let downloaded = modules_json.map_or_else(Vec::new, |s| downloaded_dirs(&s.text));
    let mut out = BTreeMap::new();
    for top in tops.iter().filter(|t| t.block.ident.as_str() == "module") {
        let Some(name) = label(top.block, 0) else {
            continue;
        };
        let place = Place::new()
            .address(format!("module.{name}"))
            .file(top.src.file, top.src.line(top.block.span()));
        let source = match top.block.body.get_attribute("source").map(|a| &a.value) {
            Some(Expression::String(s)) => s.as_str().to_owned(),
            _ => {
                let e = Diagnostic::error("a module call needs `source`, a literal string")
                    .lead("missing argument")
                    .place(place.clone().field("source"));
                out.insert(name.to_owned(), (place, Err(e)));
                continue;
            }
        };
        let dir = if is_local(&source) {
            Some(join("", &source))
        } else {
            downloaded
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, dir)| dir.clone())
        };
        out.insert(
            name.to_owned(),
            (
                place.clone(),
                dir.ok_or_else(|| {
                    Diagnostic::error(format!(
                    "its source `{source}` is not a local folder (`./…`) and `terraform init` has \
                     not downloaded it (no entry `{name}` in `.terraform/modules/modules.json`)"
                ))
                    .lead("module not found")
                    .place(place.clone().field("source"))
                    .hint(
                        "run `terraform init` in the root module's folder and convert the folder \
                     (not a file), or copy the module under `./modules/` and call it there",
                    )
                }),
            ),
        );
    }
    out
}
