//! The names `for` expressions bind, which the lowering keeps in scope while their bodies
//! are lowered (`for_expr.rs`). Apart so that the lowering's state can hold them without
//! naming the module that lowers `for` expressions.

use oxiform_codegen::model::Ty;

/// A name a `for` expression binds, while its body is lowered.
#[derive(Clone)]
pub(super) struct Scoped {
    /// The HCL name.
    pub name: String,
    /// The closure's parameter.
    pub ident: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the body read it (an unread parameter is `_`).
    pub used: bool,
}
