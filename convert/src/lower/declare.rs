//! First pass: the names references resolve to (resources, variables, locals, providers)
//! and the types of expressions as far as they can be told.

use super::*;

impl<'a> Lowerer<'a> {
    /// First pass: the names every reference resolves to.
    pub(super) fn declare(&mut self, tops: &[Top<'_>]) {
        self.known = super::dynamic::known_values(tops);
        if self.module_mode {
            // A module's variables are what its caller gives, not their defaults: nothing
            // is unrolled over them.
            self.known.retain(|k, _| !k.starts_with("var."));
        }
        let mut names: Vec<(String, String)> = Vec::new(); // (address, wanted ident)
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for top in tops {
            let b = top.block;
            let kind = match b.ident.as_str() {
                "resource" => Kind::Managed,
                "data" => Kind::Data,
                _ => continue,
            };
            let (Some(tf_type), Some(name)) = (label(b, 0), label(b, 1)) else {
                continue;
            };
            if instances::is_foreign_type(tf_type) {
                let address = if kind == Kind::Data {
                    format!("data.{tf_type}.{name}")
                } else {
                    format!("{tf_type}.{name}")
                };
                self.declare_untyped(top.src, b, &address);
                continue;
            }
            let Some(model) = self.cat.get(kind, tf_type) else {
                self.unknown_type(top.src, b, kind, tf_type, name);
                continue;
            };
            let address = if kind == Kind::Data {
                format!("data.{tf_type}.{name}")
            } else {
                format!("{tf_type}.{name}")
            };
            *counts.entry(name.to_owned()).or_default() += 1;
            names.push((address.clone(), name.to_owned()));
            self.resources.insert(
                address,
                Res {
                    ident: String::new(),
                    model,
                },
            );
        }
        for (address, name) in &names {
            let Some(module) = self.resources.get(address).map(|r| r.model.module.clone()) else {
                continue;
            };
            let wanted = if counts.get(name).copied().unwrap_or(0) > 1 {
                rust_ident(&module).trim_end_matches('_').to_owned() + "_" + &rust_ident(name)
            } else {
                rust_ident(name)
            };
            let ident = self.take(wanted);
            if let Some(res) = self.resources.get_mut(address) {
                res.ident = ident;
            }
        }
        // `count` and `for_each`: unrolled when the collection is known (a literal or a
        // variable's default).
        let defaults: BTreeMap<String, Expression> = tops
            .iter()
            .filter(|t| t.block.ident.as_str() == "variable" && !self.module_mode)
            .filter_map(|t| {
                let name = label(t.block, 0)?;
                let default = t.block.body.get_attribute("default")?;
                Some((name.to_owned(), default.value.clone()))
            })
            .collect();
        for top in tops {
            let b = top.block;
            let (Some(tf_type), Some(name)) = (label(b, 0), label(b, 1)) else {
                continue;
            };
            let address = match b.ident.as_str() {
                "resource" => format!("{tf_type}.{name}"),
                "data" => format!("data.{tf_type}.{name}"),
                _ => continue,
            };
            if self.resources.contains_key(&address) || self.inst.untyped.contains_key(&address) {
                self.declare_instances(top.src, &address, name, &b.body, &defaults);
            }
        }
        for top in tops {
            let b = top.block;
            match b.ident.as_str() {
                "variable" => {
                    let Some(name) = label(b, 0) else { continue };
                    let vt = self.declare_variable_type(top.src, b, name);
                    let (ty, cast) = vt.uses();
                    // A module's input is a `Value` of the type uses see (`module.rs`).
                    let cast = cast && !self.module_mode;
                    self.var_types.insert(name.to_owned(), vt);
                    let ident =
                        self.take(format!("var_{}", rust_ident(name).trim_end_matches('_')));
                    self.vars.insert(name.to_owned(), Named { ident, ty, cast });
                }
                "provider" if label(b, 0) != Some("aws") => {
                    // Another provider's configuration (`instances.rs`).
                    self.declare_foreign_provider(b);
                }
                "provider" => {
                    let alias = b
                        .body
                        .get_attribute("alias")
                        .and_then(|a| match &a.value {
                            Expression::String(s) => Some(s.as_str().to_owned()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    let wanted = if alias.is_empty() {
                        "aws".to_owned()
                    } else {
                        format!("aws_{}", rust_ident(&alias).trim_end_matches('_'))
                    };
                    let ident = self.take(wanted);
                    self.providers.insert(alias, ident);
                }
                _ => {}
            }
        }
        // Locals: types inferred in input order, twice so that a local may use a later one.
        let locals: Vec<(String, &Expression)> = tops
            .iter()
            .filter(|t| t.block.ident.as_str() == "locals")
            .flat_map(|t| {
                t.block
                    .body
                    .attributes()
                    .map(|a| (a.key.as_str().to_owned(), &a.value))
            })
            .collect();
        for (name, _) in &locals {
            let ident = self.take(format!("local_{}", rust_ident(name).trim_end_matches('_')));
            self.locals.insert(
                name.clone(),
                Named {
                    ident,
                    ty: Ty::Json,
                    cast: false,
                },
            );
        }
        for _ in 0..2 {
            for (name, e) in &locals {
                let ty = self.infer(e);
                if let Some(n) = self.locals.get_mut(name) {
                    n.ty = ty;
                }
            }
        }
    }

    /// The type of an expression, as far as it can be told without evaluating it; `Json`
    /// when it cannot.
    pub(super) fn infer(&self, e: &Expression) -> Ty {
        match e {
            Expression::String(_) | Expression::StringTemplate(_) => Ty::Prim(Prim::String),
            Expression::HeredocTemplate(_) => Ty::Prim(Prim::String),
            Expression::Bool(_) => Ty::Prim(Prim::Bool),
            Expression::Number(n) => {
                if n.as_i64().is_some() {
                    Ty::Prim(Prim::Int)
                } else {
                    Ty::Prim(Prim::Float)
                }
            }
            Expression::Array(a) => {
                if a.iter().all(|x| self.infer(x) == Ty::Prim(Prim::String)) {
                    Ty::List(Prim::String)
                } else {
                    Ty::Json
                }
            }
            Expression::Object(o) => {
                if o.iter()
                    .all(|(_, v)| self.infer(v.expr()) == Ty::Prim(Prim::String))
                {
                    Ty::Map(Prim::String)
                } else {
                    Ty::Json
                }
            }
            // A name a `for` expression binds.
            Expression::Variable(v) => self.scope_type(v.as_str()).unwrap_or(Ty::Json),
            Expression::Traversal(t) => {
                let Expression::Variable(root) = &t.expr else {
                    return Ty::Json;
                };
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
                if let Some(ty) = self.scope_type(root.as_str()) {
                    return if ops.is_empty() { ty } else { Ty::Json };
                }
                match (root.as_str(), ops.as_slice()) {
                    ("module", [call, out]) => get_attr(call)
                        .zip(get_attr(out))
                        .and_then(|(c, o)| self.module_output_type(c, o))
                        .unwrap_or(Ty::Json),
                    ("var", [op]) => get_attr(op)
                        .and_then(|n| self.vars.get(n))
                        .map_or(Ty::Json, |v| v.ty),
                    ("local", [op]) => get_attr(op)
                        .and_then(|n| self.locals.get(n))
                        .map_or(Ty::Json, |v| v.ty),
                    _ => match self.resource_attr(t) {
                        Some((_, attr, rest)) if rest.is_empty() => attr.ty,
                        _ => Ty::Json,
                    },
                }
            }
            Expression::Parenthesis(p) => self.infer(p.inner()),
            Expression::FuncCall(f) if f.name.namespace.is_empty() => {
                let first = f.args.iter().next().map_or(Ty::Json, |a| self.infer(a));
                match f.name.name.as_str() {
                    "format" | "join" | "file" | "templatefile" | "cidrsubnet" | "upper"
                    | "lower" | "replace" | "trimspace" | "substr" | "jsonencode" | "title"
                    | "trim" | "trimprefix" | "trimsuffix" | "formatdate" | "md5" | "sha256"
                    | "base64encode" | "cidrhost" | "tostring" | "basename" | "dirname" => {
                        Ty::Prim(Prim::String)
                    }
                    "length" | "tonumber" | "max" | "min" | "floor" | "ceil" => Ty::Prim(Prim::Int),
                    "split" => Ty::List(Prim::String),
                    "tobool" | "contains" | "can" | "startswith" | "endswith" => {
                        Ty::Prim(Prim::Bool)
                    }
                    "concat" | "toset" | "tolist" | "distinct" | "compact" | "sort" | "merge"
                    | "tomap" | "coalesce" | "try" => first,
                    "keys" => Ty::List(Prim::String),
                    "element" | "one" => match first {
                        Ty::List(p) => Ty::Prim(p),
                        _ => Ty::Json,
                    },
                    "lookup" => match first {
                        Ty::Map(p) => Ty::Prim(p),
                        _ => Ty::Json,
                    },
                    "values" => match first {
                        Ty::Map(p) => Ty::List(p),
                        _ => Ty::Json,
                    },
                    _ => Ty::Json,
                }
            }
            Expression::Conditional(c) => {
                let (a, b) = (self.infer(&c.true_expr), self.infer(&c.false_expr));
                if a == b || matches!(c.false_expr, Expression::Null(_)) {
                    a
                } else if matches!(c.true_expr, Expression::Null(_)) {
                    b
                } else {
                    Ty::Json
                }
            }
            Expression::BinaryOp(op) => {
                use hcl_edit::expr::BinaryOperator as B;
                match op.operator.value() {
                    B::Plus | B::Minus | B::Mul | B::Div | B::Mod => {
                        match (self.infer(&op.lhs_expr), self.infer(&op.rhs_expr)) {
                            (Ty::Prim(Prim::Int), Ty::Prim(Prim::Int)) => Ty::Prim(Prim::Int),
                            _ => Ty::Prim(Prim::Float),
                        }
                    }
                    _ => Ty::Prim(Prim::Bool),
                }
            }
            Expression::UnaryOp(op) => match op.operator.value() {
                hcl_edit::expr::UnaryOperator::Not => Ty::Prim(Prim::Bool),
                hcl_edit::expr::UnaryOperator::Neg => self.infer(&op.expr),
            },
            Expression::ForExpr(f) if !f.grouping => {
                match (self.infer(&f.value_expr), &f.key_expr) {
                    (Ty::Prim(p), None) => Ty::List(p),
                    (Ty::Prim(p), Some(_)) => Ty::Map(p),
                    _ => Ty::Json,
                }
            }
            _ => Ty::Json,
        }
    }

    /// The key of the declaration a traversal references, if it is one of this module's.
    pub(super) fn reference_key(&self, t: &hcl_edit::expr::Traversal) -> Option<String> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        let first = ops.first().and_then(|o| get_attr(o));
        match root.as_str() {
            "var" => first
                .filter(|n| self.vars.contains_key(*n))
                .map(|n| format!("var:{n}")),
            "local" => first
                .filter(|n| self.locals.contains_key(*n))
                .map(|n| format!("local:{n}")),
            "data" => {
                let name = ops.get(1).and_then(|o| get_attr(o))?;
                let address = format!("data.{}.{name}", first?);
                (self.resources.contains_key(&address) || self.inst.untyped.contains_key(&address))
                    .then(|| format!("resource:{address}"))
            }
            tf_type => {
                let address = format!("{tf_type}.{}", first?);
                (self.resources.contains_key(&address) || self.inst.untyped.contains_key(&address))
                    .then(|| format!("resource:{address}"))
            }
        }
    }

    /// `T.N.attr…` or `data.T.N.attr…`: the resource, its attribute, and the operators
    /// after it.
    pub(super) fn resource_attr<'t>(
        &self,
        t: &'t hcl_edit::expr::Traversal,
    ) -> Option<(&Res<'a>, &'a Attr, Vec<&'t TraversalOperator>)> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        let (address, rest) = if root.as_str() == "data" {
            let (Some(ty), Some(name)) = (
                ops.first().and_then(|o| get_attr(o)),
                ops.get(1).and_then(|o| get_attr(o)),
            ) else {
                return None;
            };
            (format!("data.{ty}.{name}"), &ops[2..])
        } else {
            let name = ops.first().and_then(|o| get_attr(o))?;
            (format!("{}.{name}", root.as_str()), &ops[1..])
        };
        let res = self.resources.get(&address)?;
        let attr_name = rest.first().and_then(|o| get_attr(o))?;
        let attr = res.model.body.attrs.iter().find(|a| a.tf == attr_name)?;
        Some((res, attr, rest[1..].to_vec()))
    }

    pub(super) fn use_type(&mut self, model: &TypeModel) {
        self.imports.insert(format!(
            "oxiform::aws::{}::{}",
            model.service, model.rust_name
        ));
        self.features.insert(model.service.clone());
    }

    pub(super) fn use_blocks(&mut self, model: &TypeModel) {
        if model.kind == Kind::Provider {
            self.imports
                .insert(format!("oxiform::aws::provider::{}", model.module));
        } else {
            self.imports
                .insert(format!("oxiform::aws::{}::{}", model.service, model.module));
        }
    }
}

impl Lowerer<'_> {
    /// A variable's type: its `type`, or its default's; an error for a constraint
    /// Terraform would refuse (then `string`, so that the rest still converts).
    fn declare_variable_type(&mut self, src: Src<'_>, b: &Block, name: &str) -> vartype::VarType {
        let default = b.body.get_attribute("default").map(|a| &a.value);
        let Some(t) = b.body.get_attribute("type") else {
            return vartype::of_default(default);
        };
        let float = default.is_some_and(vartype::has_fraction);
        let mut struct_name = pascal(name);
        if self
            .resources
            .values()
            .any(|r| r.model.rust_name == struct_name)
        {
            // Not the name of a builder this module imports.
            struct_name.push_str("Input");
        }
        match vartype::parse(&t.value, float, &struct_name, src) {
            Ok(vt) => vt,
            Err(what) => {
                self.error(
                    Diagnostic::error(what)
                        .lead("invalid type constraint")
                        .place(
                            Place::new()
                                .address(format!("var.{name}"))
                                .field("type")
                                .file(src.file, src.line(t.span())),
                        )
                        .hint(
                            "a type is `string`, `number`, `bool`, `any`, `list(T)`, `set(T)`, \
                             `map(T)`, `object({name = T, other = optional(T, default)})` or \
                             `tuple([T, …])`",
                        ),
                );
                vartype::VarType::String
            }
        }
    }
}
