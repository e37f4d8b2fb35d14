//! The every-type oracle: Rust that adds one instance of every generated type to a stack,
//! from only its required arguments and blocks, for a test to pass through
//! `terraform validate`.
//!
//! The values are references to variables of the right Terraform type (`var.s` a string,
//! `var.n` a number, …), not literals: terraform type-checks them against the schema all
//! the same, while the provider's value validators (ARN formats, enums) skip unknown
//! values, which placeholder literals would fail for reasons that say nothing about the
//! generated code.

use std::fmt::Write as _;

use crate::model::{Attr, BlockField, BlockModel, Kind, Prim, Ty, TypeModel};

/// The variables the generated code refers to, with their Terraform types.
pub const VARIABLES: &[(&str, &str)] = &[
    ("s", "string"),
    ("n", "number"),
    ("b", "bool"),
    ("ls", "list(string)"),
    ("ln", "list(number)"),
    ("lb", "list(bool)"),
    ("ms", "map(string)"),
    ("mn", "map(number)"),
    ("mb", "map(bool)"),
    ("j", "any"),
];

fn var(p: Prim) -> &'static str {
    match p {
        Prim::String => "s",
        Prim::Int | Prim::Float | Prim::Number => "n",
        Prim::Bool => "b",
    }
}

/// An expression of the attribute's Rust type reading the variable of its Terraform type.
fn value(a: &Attr) -> String {
    let name = match a.ty {
        Ty::Prim(p) => var(p).to_owned(),
        Ty::List(p) => format!("l{}", var(p)),
        Ty::Map(p) => format!("m{}", var(p)),
        Ty::Json => "j".to_owned(),
    };
    format!("v::<{}>(\"{name}\")", a.ty.inner())
}

fn required_attrs(model: &BlockModel) -> Vec<&Attr> {
    model
        .attrs
        .iter()
        .filter(|a| a.argument && a.required)
        .collect()
}

fn required_blocks(model: &BlockModel) -> Vec<&BlockField> {
    model.blocks.iter().filter(|b| b.required).collect()
}

/// The constructor call of a type or block at `path` (a Rust path) with body `model`.
fn construct(t: &TypeModel, path: &str, model: &BlockModel, block_prefix: &str) -> String {
    enum M<'a> {
        A(&'a Attr),
        B(&'a BlockField),
    }
    let mut members: Vec<(&str, &str, M<'_>)> = required_attrs(model)
        .into_iter()
        .map(|a| (a.tf.as_str(), a.rust.as_str(), M::A(a)))
        .chain(
            required_blocks(model)
                .into_iter()
                .map(|b| (b.tf.as_str(), b.rust.as_str(), M::B(b))),
        )
        .collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    let expr = |m: &M<'_>, positional: bool| -> String {
        match m {
            M::A(a) if a.sensitive && !positional => format!("{}.into_sensitive()", value(a)),
            M::A(a) if !positional => format!("{}.into()", value(a)),
            M::A(a) => value(a),
            M::B(b) => {
                let block_path = format!("{block_prefix}{}", t.block_name(b));
                let one = construct(t, &block_path, &b.model, block_prefix);
                if b.multi {
                    let copies = vec![one; b.min_items.max(1) as usize];
                    format!("vec![{}]", copies.join(", "))
                } else {
                    one
                }
            }
        }
    };
    match members.as_slice() {
        [] => format!("{path}::new()"),
        [(_, _, m)] => format!("{path}::new({})", expr(m, true)),
        many => {
            let fields: Vec<String> = many
                .iter()
                .map(|(_, rust, m)| format!("{rust}: {}", expr(m, false)))
                .collect();
            format!("{path}::new({path}Args {{ {} }})", fields.join(", "))
        }
    }
}

/// The source of `every_type.rs`: `pub fn add_every_type(stack: &mut Stack)`.
pub fn every_type(header: &str, models: &[&TypeModel]) -> String {
    let mut out = String::from(header);
    out.push_str(
        "//! One instance of every generated resource, data source and ephemeral resource type,\n\
         //! from its required arguments only (see `aws/codegen/src/oracle.rs`).\n\
         #![allow(deprecated, missing_docs, clippy::vec_init_then_push)]\n\
         use oxiform::prelude::*;\n\
         use oxiform::secret::IntoSensitive;\n\
         use oxiform::value::{Json, Number};\n\n\
         fn v<T>(name: &str) -> Expr<T> {\n    Expr::raw(format!(\"var.{name}\"))\n}\n\n",
    );
    out.push_str("/// The variables the instances read, name and Terraform type.\npub const VARIABLES: &[(&str, &str)] = &[");
    for (name, ty) in VARIABLES {
        let _ = write!(out, "(\"{name}\", \"{ty}\"), ");
    }
    out.push_str("];\n\n");
    let _ = writeln!(
        out,
        "/// How many types `add_every_type` adds.\npub const TYPES: usize = {};\n",
        models.len()
    );
    out.push_str("/// Adds one instance of every type to `stack`, each named `t`.\npub fn add_every_type(stack: &mut Stack) {\n");
    for t in models {
        let path = format!("oxiform::aws::{}::{}", t.service, t.rust_name);
        let block_prefix = format!("oxiform::aws::{}::{}::", t.service, t.module);
        let kind = match t.kind {
            Kind::Managed => "",
            Kind::Data => " // data",
            Kind::Ephemeral => " // ephemeral",
            Kind::Provider => " // provider",
        };
        let _ = writeln!(
            out,
            "    stack.add(\"t\", {});{kind}",
            construct(t, &path, &t.body, &block_prefix)
        );
    }
    out.push_str("}\n");
    out
}
