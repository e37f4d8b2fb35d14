//! What lowering gives the writer (`emit.rs`): the module's Rust statements and what they
//! need, and the module folders converted into functions, each a module of its own. Apart
//! so that the lowering of module calls (`module.rs`) and the lowering's state can share
//! them without naming each other.

use std::collections::BTreeSet;

use oxiform_codegen::model::Ty;
use oxiform_core::diagnostic::Diagnostic;

use crate::raw_share::RawShare;

/// One Rust statement of `build`, with what it needs before it.
#[derive(Debug, Clone)]
pub(crate) struct Decl {
    /// What other declarations reference it by: `resource:aws_s3_bucket.a`, `var:x`, ….
    pub key: String,
    /// Where it goes among equals: providers and the backend, variables, the rest, outputs.
    pub rank: u8,
    /// `TODO(convert)` lines written above it.
    pub todos: Vec<String>,
    /// `let` statements of raw expressions too long to read inline, before it.
    pub pre: Vec<String>,
    /// The Rust variable it is bound to, when something references it.
    pub binding: String,
    /// The statement's right-hand side (or the whole statement when nothing binds it).
    pub code: String,
    /// Keys of the declarations it references.
    pub deps: BTreeSet<String>,
}

/// The converted module before it is written out.
#[derive(Debug)]
pub(crate) struct Module {
    /// Declarations, in the order they are written.
    pub decls: Vec<Decl>,
    /// Keys some other declaration references (their results are bound to a variable).
    pub used: BTreeSet<String>,
    /// `use` paths.
    pub imports: BTreeSet<String>,
    /// Facade features.
    pub features: BTreeSet<String>,
    /// Source names.
    pub sources: Vec<String>,
    /// The provider version.
    pub version: String,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Items after `build` (structs of object variables).
    pub items: Vec<String>,
    /// The module folders the root calls, each a function (`module.rs`).
    pub functions: Vec<ModuleFn>,
    /// Expressions read, and kept raw.
    pub raw: RawShare,
}

/// One variable of a module: a field of its inputs struct.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The variable's name.
    pub tf: String,
    /// The field.
    pub rust: String,
    /// Its type (a `Value<ty>`).
    pub ty: Ty,
    /// No default: the field is not an `Option`.
    pub required: bool,
    /// Its description, for the field's doc.
    pub doc: String,
}

/// One output of a module: a field of its outputs struct.
#[derive(Debug, Clone)]
pub(crate) struct OutputField {
    /// The output's name.
    pub tf: String,
    /// The field.
    pub rust: String,
    /// Its type (an `Expr<ty>`).
    pub ty: Ty,
}

/// A module folder converted into a function.
#[derive(Debug)]
pub(crate) struct ModuleFn {
    /// The folder, relative to the root (`modules/queue`).
    pub dir: String,
    /// The function's name (`queue_module`).
    pub name: String,
    /// The inputs struct (`QueueInputs`).
    pub inputs_struct: String,
    /// The outputs struct (`QueueOutputs`).
    pub outputs_struct: String,
    /// Its variables.
    pub inputs: Vec<Input>,
    /// Its outputs.
    pub outputs: Vec<OutputField>,
    /// Its body.
    pub body: Module,
}
