//! Variable type constraints: `type = map(number)` read into a [`VarType`], which says the
//! Rust type a variable is declared with, the type its uses see, its default as a Rust
//! value, and the struct an `object({…})` becomes.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::Span;
use oxiform_codegen::model::{Prim, Ty};
use oxiform_codegen::names::pascal;

use super::input::Src;
use super::rust_tokens::{float_literal, raw_str, rust_ident, rust_str};

/// A variable's type constraint, as Terraform reads it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum VarType {
    /// `string`.
    String,
    /// `number`: `f64` when some number of the default is a fraction, else `i64`.
    Number { float: bool },
    /// `bool`.
    Bool,
    /// `list(T)`.
    List(Box<VarType>),
    /// `set(T)`.
    Set(Box<VarType>),
    /// `map(T)`.
    Map(Box<VarType>),
    /// `object({…})`: a struct of the converted module.
    Object(Object),
    /// `tuple([…])`.
    Tuple(Vec<VarType>),
    /// `any`, or a constraint no Rust type says (a tuple of more than four).
    Any,
}

/// An `object({…})` constraint: the struct it becomes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Object {
    /// The Rust struct's name.
    pub name: String,
    /// Its attributes, in the order written.
    pub fields: Vec<Field>,
}

/// One attribute of an object constraint.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Field {
    /// The Terraform name.
    pub tf: String,
    /// The Rust field name.
    pub rust: String,
    /// Its type.
    pub ty: VarType,
    /// `optional(T)` or `optional(T, default)`: an `Option<T>` left out when `None`.
    pub optional: bool,
    /// The HCL of `optional`'s default, written back into the constraint.
    pub default: Option<String>,
}

/// The primitive type keywords, for the error about another word.
const KEYWORDS: &[&str] = &[
    "string", "number", "bool", "list", "set", "map", "object", "tuple", "any",
];

/// Reads a type constraint. `float`: some number of the default is a fraction. `name` is
/// the struct name an object takes (nested objects append their attribute's name). `src`
/// gives the text of `optional` defaults. An error says what was not understood.
pub(super) fn parse(
    e: &Expression,
    float: bool,
    name: &str,
    src: Src<'_>,
) -> Result<VarType, String> {
    match e {
        Expression::Parenthesis(p) => parse(p.inner(), float, name, src),
        Expression::Variable(v) => match v.as_str() {
            "string" => Ok(VarType::String),
            "number" => Ok(VarType::Number { float }),
            "bool" => Ok(VarType::Bool),
            "any" => Ok(VarType::Any),
            // Terraform 0.11's bare collections hold `any`.
            "list" => Ok(VarType::List(Box::new(VarType::Any))),
            "set" => Ok(VarType::Set(Box::new(VarType::Any))),
            "map" => Ok(VarType::Map(Box::new(VarType::Any))),
            other => Err(format!("`{other}` is not a type")),
        },
        Expression::FuncCall(f) => {
            let args: Vec<&Expression> = f.args.iter().collect();
            let kind = f.name.name.as_str();
            match (kind, args.as_slice()) {
                ("list", [t]) => Ok(VarType::List(Box::new(parse(t, float, name, src)?))),
                ("set", [t]) => Ok(VarType::Set(Box::new(parse(t, float, name, src)?))),
                ("map", [t]) => Ok(VarType::Map(Box::new(parse(t, float, name, src)?))),
                ("tuple", [Expression::Array(items)]) => {
                    let items = items
                        .iter()
                        .map(|t| parse(t, float, name, src))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(if items.len() > 4 {
                        VarType::Any
                    } else {
                        VarType::Tuple(items)
                    })
                }
                ("object", [Expression::Object(o)]) => {
                    let mut fields = Vec::new();
                    for (k, v) in o.iter() {
                        let tf = match k {
                            ObjectKey::Ident(id) => id.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_owned(),
                            _ => return Err("an object attribute's name is not a name".into()),
                        };
                        let inner = format!("{name}{}", pascal(&tf));
                        let (ty, optional, default) = match v.expr() {
                            Expression::FuncCall(o) if o.name.name.as_str() == "optional" => {
                                let a: Vec<&Expression> = o.args.iter().collect();
                                match a.as_slice() {
                                    [t] => (parse(t, float, &inner, src)?, true, None),
                                    [t, d] => (
                                        parse(t, float, &inner, src)?,
                                        true,
                                        Some(src.slice(d.span()).unwrap_or("null").to_owned()),
                                    ),
                                    _ => return Err("`optional` takes a type and a default".into()),
                                }
                            }
                            other => (parse(other, float, &inner, src)?, false, None),
                        };
                        fields.push(Field {
                            rust: rust_ident(&tf),
                            tf,
                            ty,
                            optional,
                            default,
                        });
                    }
                    Ok(VarType::Object(Object {
                        name: name.to_owned(),
                        fields,
                    }))
                }
                (other, _) if KEYWORDS.contains(&other) => {
                    Err(format!("`{other}(…)` with these arguments is not a type"))
                }
                (other, _) => Err(format!("`{other}(…)` is not a type")),
            }
        }
        _ => Err("this expression is not a type".into()),
    }
}

/// Whether some number in `e` (a default) is a fraction.
pub(super) fn has_fraction(e: &Expression) -> bool {
    match e {
        Expression::Number(n) => n.as_i64().is_none(),
        Expression::Array(a) => a.iter().any(has_fraction),
        Expression::Object(o) => o.iter().any(|(_, v)| has_fraction(v.expr())),
        Expression::Parenthesis(p) => has_fraction(p.inner()),
        _ => false,
    }
}

/// The type a variable without `type` has: its default's, `string` when it has none.
pub(super) fn of_default(default: Option<&Expression>) -> VarType {
    match default {
        Some(Expression::Bool(_)) => VarType::Bool,
        Some(Expression::Number(n)) => VarType::Number {
            float: n.as_i64().is_none(),
        },
        Some(Expression::String(_)) | None => VarType::String,
        Some(_) => VarType::Any,
    }
}

impl VarType {
    /// The Rust type the variable is declared with.
    pub fn rust(&self) -> String {
        match self {
            VarType::String => "String".into(),
            VarType::Number { float: false } => "i64".into(),
            VarType::Number { float: true } => "f64".into(),
            VarType::Bool => "bool".into(),
            VarType::List(t) => format!("Vec<{}>", t.rust()),
            VarType::Set(t) if t.ordered() => {
                format!("std::collections::BTreeSet<{}>", t.rust())
            }
            // A set of what has no order in Rust: a `Vec`, the constraint written apart.
            VarType::Set(t) => format!("Vec<{}>", t.rust()),
            VarType::Map(t) => format!("std::collections::BTreeMap<String, {}>", t.rust()),
            VarType::Object(o) => o.name.clone(),
            VarType::Tuple(items) => {
                let items: Vec<String> = items.iter().map(VarType::rust).collect();
                format!("({},)", items.join(", "))
            }
            VarType::Any => "oxiform::value::Json".into(),
        }
    }

    /// Whether the Rust type has an order (`BTreeSet` needs one).
    fn ordered(&self) -> bool {
        match self {
            VarType::String | VarType::Number { float: false } | VarType::Bool => true,
            VarType::List(t) | VarType::Set(t) | VarType::Map(t) => t.ordered(),
            _ => false,
        }
    }

    /// The type constraint, as Terraform reads it.
    pub fn constraint(&self) -> String {
        match self {
            VarType::String => "string".into(),
            VarType::Number { .. } => "number".into(),
            VarType::Bool => "bool".into(),
            VarType::List(t) => format!("list({})", t.constraint()),
            VarType::Set(t) => format!("set({})", t.constraint()),
            VarType::Map(t) => format!("map({})", t.constraint()),
            VarType::Object(o) => {
                let fields: Vec<String> = o
                    .fields
                    .iter()
                    .map(|f| {
                        let t = f.ty.constraint();
                        let t = match (&f.default, f.optional) {
                            (Some(d), _) => format!("optional({t}, {d})"),
                            (None, true) => format!("optional({t})"),
                            (None, false) => t,
                        };
                        format!("{} = {t}", f.tf)
                    })
                    .collect();
                format!("object({{{}}})", fields.join(", "))
            }
            VarType::Tuple(items) => {
                let items: Vec<String> = items.iter().map(VarType::constraint).collect();
                format!("tuple([{}])", items.join(", "))
            }
            VarType::Any => "any".into(),
        }
    }

    /// Whether the Rust type's own constraint differs from this one (a set held as a
    /// `Vec`), so that the declaration writes it with `.type_constraint(…)`.
    pub fn constraint_apart(&self) -> bool {
        match self {
            VarType::Set(t) => !t.ordered() || t.constraint_apart(),
            VarType::List(t) | VarType::Map(t) => t.constraint_apart(),
            VarType::Tuple(items) => items.iter().any(VarType::constraint_apart),
            // The struct's `TfType` writes its whole constraint.
            _ => false,
        }
    }

    /// The type uses see, as setters want it, and whether they cast to it.
    pub fn uses(&self) -> (Ty, bool) {
        let prim = |t: &VarType| match t {
            VarType::String => Some(Prim::String),
            VarType::Number { float: false } => Some(Prim::Int),
            VarType::Number { float: true } => Some(Prim::Float),
            VarType::Bool => Some(Prim::Bool),
            _ => None,
        };
        match self {
            VarType::String | VarType::Number { .. } | VarType::Bool => {
                (Ty::Prim(prim(self).unwrap_or(Prim::String)), false)
            }
            VarType::List(t) | VarType::Set(t) => match prim(t) {
                Some(p) => (Ty::List(p), true),
                None => (Ty::Json, true),
            },
            VarType::Map(t) => match prim(t) {
                Some(p) => (Ty::Map(p), true),
                None => (Ty::Json, true),
            },
            VarType::Any => (Ty::Json, false),
            VarType::Object(_) | VarType::Tuple(_) => (Ty::Json, true),
        }
    }

    /// Every object struct this type declares, outermost first.
    pub fn objects(&self) -> Vec<&Object> {
        match self {
            VarType::Object(o) => {
                let mut out = vec![o];
                for f in &o.fields {
                    out.extend(f.ty.objects());
                }
                out
            }
            VarType::List(t) | VarType::Set(t) | VarType::Map(t) => t.objects(),
            VarType::Tuple(items) => items.iter().flat_map(VarType::objects).collect(),
            _ => Vec::new(),
        }
    }

    /// A default as a Rust value of [`VarType::rust`]; `None` when it does not fit.
    pub fn literal(&self, e: &Expression) -> Option<String> {
        match (self, e) {
            (_, Expression::Parenthesis(p)) => self.literal(p.inner()),
            (VarType::String, Expression::String(s)) => {
                Some(format!("{}.to_owned()", rust_str(s.as_str())))
            }
            (VarType::Number { float: false }, Expression::Number(n)) => {
                n.as_i64().map(|i| format!("{i}_i64"))
            }
            (VarType::Number { float: true }, Expression::Number(n)) => {
                n.as_f64().map(|f| format!("{}_f64", float_literal(f)))
            }
            (VarType::Bool, Expression::Bool(b)) => Some(b.value().to_string()),
            (VarType::List(t), Expression::Array(items)) => {
                let items = items
                    .iter()
                    .map(|i| t.literal(i))
                    .collect::<Option<Vec<_>>>()?;
                Some(format!("vec![{}]", items.join(", ")))
            }
            (VarType::Set(t), Expression::Array(items)) => {
                let items = items
                    .iter()
                    .map(|i| t.literal(i))
                    .collect::<Option<Vec<_>>>()?;
                Some(if t.ordered() {
                    format!("std::collections::BTreeSet::from([{}])", items.join(", "))
                } else {
                    format!("vec![{}]", items.join(", "))
                })
            }
            (VarType::Map(t), Expression::Object(o)) => {
                let mut entries = Vec::new();
                for (k, v) in o.iter() {
                    let key = object_key(k)?;
                    entries.push(format!(
                        "({}.to_owned(), {})",
                        rust_str(&key),
                        t.literal(v.expr())?
                    ));
                }
                Some(format!(
                    "std::collections::BTreeMap::from([{}])",
                    entries.join(", ")
                ))
            }
            (VarType::Object(obj), Expression::Object(o)) => {
                let mut given: BTreeMap<String, &Expression> = BTreeMap::new();
                for (k, v) in o.iter() {
                    given.insert(object_key(k)?, v.expr());
                }
                let mut fields = Vec::new();
                for f in &obj.fields {
                    let value = match (given.remove(&f.tf), f.optional) {
                        (Some(Expression::Null(_)) | None, true) => "None".to_owned(),
                        (Some(v), true) => format!("Some({})", f.ty.literal(v)?),
                        (Some(v), false) => f.ty.literal(v)?,
                        // Terraform refuses a default without a required attribute.
                        (None, false) => return None,
                    };
                    fields.push(format!("{}: {value}", f.rust));
                }
                if !given.is_empty() {
                    return None;
                }
                Some(format!("{} {{ {} }}", obj.name, fields.join(", ")))
            }
            (VarType::Tuple(types), Expression::Array(items)) => {
                let items: Vec<&Expression> = items.iter().collect();
                if items.len() != types.len() {
                    return None;
                }
                let values = types
                    .iter()
                    .zip(items)
                    .map(|(t, i)| t.literal(i))
                    .collect::<Option<Vec<_>>>()?;
                Some(format!("({},)", values.join(", ")))
            }
            (VarType::Any, e) => Some(format!(
                "oxiform::value::Json(oxiform::serde_json::json!({}))",
                json_literal(e)?
            )),
            _ => None,
        }
    }
}

fn object_key(k: &ObjectKey) -> Option<String> {
    match k {
        ObjectKey::Ident(id) => Some(id.as_str().to_owned()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// A literal HCL value as the tokens of `serde_json::json!`.
fn json_literal(e: &Expression) -> Option<String> {
    Some(match e {
        Expression::Null(_) => "null".into(),
        Expression::Bool(b) => b.value().to_string(),
        Expression::Number(n) => n.to_string(),
        Expression::String(s) => rust_str(s.as_str()),
        Expression::Parenthesis(p) => json_literal(p.inner())?,
        Expression::Array(a) => {
            let items = a.iter().map(json_literal).collect::<Option<Vec<_>>>()?;
            format!("[{}]", items.join(", "))
        }
        Expression::Object(o) => {
            let mut entries = Vec::new();
            for (k, v) in o.iter() {
                entries.push(format!(
                    "{}: {}",
                    rust_str(&object_key(k)?),
                    json_literal(v.expr())?
                ));
            }
            format!("{{{}}}", entries.join(", "))
        }
        _ => return None,
    })
}

/// The struct an object constraint becomes, with its `TfType`.
pub(super) fn struct_item(o: &Object, var: &str, constraint: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "/// An object of `var.{var}`.\n\
         #[derive(Debug, Clone, PartialEq, oxiform::serde::Serialize)]\n\
         #[serde(crate = \"oxiform::serde\")]\npub struct {} {{\n",
        o.name
    ));
    for f in &o.fields {
        let t = f.ty.rust();
        out.push_str(&format!("    /// `{}`.\n", f.tf));
        if f.rust != f.tf {
            out.push_str(&format!("    #[serde(rename = {})]\n", rust_str(&f.tf)));
        }
        if f.optional {
            out.push_str("    #[serde(skip_serializing_if = \"Option::is_none\")]\n");
            out.push_str(&format!("    pub {}: Option<{t}>,\n", f.rust));
        } else {
            out.push_str(&format!("    pub {}: {t},\n", f.rust));
        }
    }
    out.push_str("}\n\n");
    out.push_str(&format!(
        "impl oxiform::stack::TfType for {} {{\n    fn type_constraint() -> String {{\n        {}.to_owned()\n    }}\n}}\n",
        o.name,
        raw_str(constraint)
    ));
    out
}
