//! # oxiform-convert
//!
//! Converts Terraform HCL (`.tf` files) into a Rust module of typed oxiform builders: one
//! function `pub fn build(stack: &mut Stack)` and the cargo features of the facade it needs.
//!
//! The HCL is parsed by `hcl-edit` (never a parser of our own), and every type, argument and
//! block is looked up in the model the generator of `oxiform-aws` builds from the provider
//! schema (`oxiform_codegen::model`), so the Rust names, the required arguments (`…Args` or
//! one positional argument), the block types and the accessors are exactly the generated
//! ones. References become handle accessors (`aws_s3_bucket.archive.arn` →
//! `archive.arn()`), keeping the graph's edges; string templates become `template!`.
//!
//! What cannot be typed yet is kept as a raw expression (`Expr::raw_with_deps`, the
//! resources it references still its dependencies), marked `// TODO(convert)` in the Rust
//! and reported as a warning with its file and line: nothing is dropped silently. Input that
//! Terraform itself would refuse (invalid HCL, an unknown resource type or argument) is an
//! error, with the file, the line and, where it helps, the closest names.
//!
//! ```
//! use oxiform_convert::{convert, Source};
//!
//! let hcl = r#"
//! resource "aws_sqs_queue" "events" {
//!   name = "events"
//! }
//! "#;
//! let converted = convert(&[Source::new("main.tf", hcl)]).map_err(|e| e[0].to_string())?;
//! assert!(converted.rust.contains(r#"SqsQueue::new().name("events")"#));
//! assert_eq!(converted.features, ["sqs"]);
//! # Ok::<(), String>(())
//! ```

mod catalog;
mod emit;
mod lower;
mod module_sources;
mod raw_share;
mod source;
mod state;
mod tf_json;

use std::path::Path;

use oxiform_core::diagnostic::{Diagnostic, Place};

pub use catalog::{catalog, Catalog};
/// Managed resource, data source or ephemeral resource (the generator's kinds).
pub use oxiform_codegen::model::Kind;
pub use raw_share::RawShare;
pub use source::Source;
pub use state::{convert_state, convert_state_hcl, state_to_hcl, StateHcl};

/// What [`convert`] writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The Rust module: imports and `pub fn build(stack: &mut Stack)`, formatted by rustfmt.
    pub rust: String,
    /// The cargo features of the facade (`oxiform`) the module needs, sorted: one per AWS
    /// service it uses.
    pub features: Vec<String>,
    /// What was kept as raw HCL or not converted, each with its file and line.
    pub warnings: Vec<Diagnostic>,
    /// How many of the input's expressions were kept as raw HCL.
    pub raw: RawShare,
}

/// Converts `sources` (the `.tf` and `.tf.json` files of one Terraform module) into one Rust
/// module.
///
/// Deterministic: the same sources give byte-identical output. On any error nothing is
/// returned but every error found (each parse error, unknown type and unknown argument).
pub fn convert(sources: &[Source]) -> Result<Converted, Vec<Diagnostic>> {
    let catalog = catalog().map_err(|e| vec![e])?;
    convert_with(catalog, sources)
}

/// [`convert`] with a given [`Catalog`].
pub fn convert_with(catalog: &Catalog, sources: &[Source]) -> Result<Converted, Vec<Diagnostic>> {
    // `.tf.json` files as the HCL Terraform reads them the same way.
    let mut hcl = Vec::with_capacity(sources.len());
    let mut errors = Vec::new();
    for s in sources {
        if s.name.ends_with(".tf.json") {
            match tf_json::to_hcl(catalog, s) {
                Ok(h) => hcl.push(h),
                Err(e) => errors.push(e),
            }
        } else {
            hcl.push(s.clone());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let module = lower::lower(catalog, &hcl)?;
    let (text, features) = emit::module(&module);
    let rust = emit::rustfmt(&text).map_err(|e| vec![e])?;
    Ok(Converted {
        rust,
        features,
        warnings: module.warnings,
        raw: module.raw,
    })
}

/// Reads what `convert PATH` reads: a `.tf` or `.tf.json` file, every `.tf` and `.tf.json`
/// file of a directory (sorted by name; not its subdirectories) and those of the modules it
/// calls (a local `./…` folder, or where `terraform init` downloaded it), or standard input
/// for `-` (HCL). Names are shown relative to `path`'s directory. [`convert`] reads a source whose
/// name ends in `.tf.json` as Terraform's JSON syntax.
pub fn read_sources(path: &Path) -> Result<Vec<Source>, Diagnostic> {
    let io = |p: &Path, e: std::io::Error| {
        Diagnostic::error(e.to_string())
            .lead("cannot read")
            .place(Place::new().address(p.display().to_string()))
    };
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| io(path, e))?;
        return Ok(vec![Source::new("<stdin>", text)]);
    }
    if path.is_dir() {
        let mut out = module_sources::read_dir(path, "")?;
        if out.is_empty() {
            return Err(Diagnostic::error("it holds no `.tf` or `.tf.json` file")
                .lead("nothing to convert in")
                .place(Place::new().address(path.display().to_string())));
        }
        // The modules it calls, named by their folder (`modules/db/main.tf`).
        let modules = module_sources::module_sources(path, &out)?;
        out.extend(modules);
        return Ok(out);
    }
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    Ok(vec![Source::new(path.display().to_string(), text)])
}
