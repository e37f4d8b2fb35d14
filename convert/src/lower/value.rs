//! Expressions: literals, lists, maps, templates, references; raw HCL (with a TODO) for
//! what has no typed form.

use super::*;

impl Lowerer<'_> {
    /// A value as Rust; `None` for `null` (the argument stays unset).
    pub(super) fn value(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        let ty = match want {
            Want::Ty(t) => t,
            Want::Part => Ty::Prim(Prim::String),
        };
        // Parentheses are counted as what they hold.
        if !matches!(e, Expression::Parenthesis(_)) {
            self.raw_share.expressions += 1;
        }
        Some(match e {
            Expression::Null(_) => return None,
            Expression::Parenthesis(p) => return self.value(src, p.inner(), want, field),
            Expression::Bool(b) => {
                let b = *b.value();
                match ty {
                    Ty::Prim(Prim::Bool) if want != Want::Part => Code::lit(b.to_string()),
                    Ty::Prim(Prim::String) => Code::lit(rust_str(&b.to_string())),
                    _ => self.raw(src, e, ty, field, None),
                }
            }
            Expression::Number(n) => match (ty, want) {
                (_, Want::Part) | (Ty::Prim(Prim::String), _) => {
                    Code::lit(rust_str(&n.to_string()))
                }
                (Ty::Prim(Prim::Int), _) => match n.as_i64() {
                    Some(i) => Code::lit(int_literal(i)),
                    None => self.raw(
                        src,
                        e,
                        ty,
                        field,
                        Some("a fraction where the provider wants an integer"),
                    ),
                },
                (Ty::Prim(Prim::Float), _) => match n.as_f64() {
                    Some(f) => Code::lit(float_literal(f)),
                    None => self.raw(src, e, ty, field, None),
                },
                (Ty::Prim(Prim::Number), _) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => Code::lit(int_literal(i)),
                    (None, Some(f)) => Code::lit(float_literal(f)),
                    _ => self.raw(src, e, ty, field, None),
                },
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::String(s) => self.string(src, e, s.as_str(), ty, want, field),
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                self.template(src, e, &elements, ty, want, field)
            }
            Expression::Array(items) => match ty {
                Ty::List(p) if want != Want::Part => {
                    let mut codes = Vec::new();
                    for item in items.iter() {
                        match self.value(src, item, Want::Ty(type_of_prim(p)), field) {
                            Some(c) => codes.push(c),
                            None => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a list with a null element"),
                                ))
                            }
                        }
                    }
                    if codes.is_empty() {
                        Code::expr(format!("Vec::<Value<{}>>::new()", rust_type(Ty::Prim(p))))
                    } else if codes.iter().all(|c| c.literal) {
                        let texts: Vec<String> = codes.into_iter().map(|c| c.text).collect();
                        Code::lit(format!("vec![{}]", texts.join(", ")))
                    } else {
                        let t = rust_type(Ty::Prim(p));
                        let texts: Vec<String> = codes
                            .into_iter()
                            .map(|c| format!("Value::<{t}>::from({})", c.text))
                            .collect();
                        Code::expr(format!("vec![{}]", texts.join(", ")))
                    }
                }
                // Of mixed types: each element typed (`call.rs`).
                Ty::Json if want != Want::Part => match self.mixed(src, e, field) {
                    Some(code) => Code::expr(code),
                    None => self.raw(src, e, ty, field, None),
                },
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::Object(o) => match ty {
                Ty::Map(p) if want != Want::Part => {
                    let mut entries = Vec::new();
                    for (k, v) in o.iter() {
                        let key = match k {
                            ObjectKey::Ident(id) => id.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_owned(),
                            _ => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a map with a computed key"),
                                ))
                            }
                        };
                        match self.value(src, v.expr(), Want::Ty(type_of_prim(p)), field) {
                            Some(c) => entries.push((key, c)),
                            None => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a map with a null value"),
                                ))
                            }
                        }
                    }
                    let t = rust_type(Ty::Prim(p));
                    if entries.is_empty() {
                        Code::expr(format!("Map::<{t}>::new()"))
                    } else {
                        let all_literal = entries.iter().all(|(_, c)| c.literal);
                        let texts: Vec<String> = entries
                            .into_iter()
                            .map(|(k, c)| {
                                if all_literal {
                                    format!("({}, {})", rust_str(&k), c.text)
                                } else {
                                    format!("({}, Value::<{t}>::from({}))", rust_str(&k), c.text)
                                }
                            })
                            .collect();
                        Code {
                            text: format!("[{}]", texts.join(", ")),
                            literal: all_literal,
                        }
                    }
                }
                Ty::Json if want != Want::Part => match self.mixed(src, e, field) {
                    Some(code) => Code::expr(code),
                    None => self.raw(src, e, ty, field, Some("a map with a computed key")),
                },
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::Traversal(t) => self.traversal(src, e, t, ty, want, field),
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str().to_owned();
                if name == "jsonencode"
                    && f.name.namespace.is_empty()
                    && want == Want::Ty(Ty::Prim(Prim::String))
                {
                    if let (Some(arg), 1) = (f.args.iter().next(), f.args.len()) {
                        return Some(self.jsonencode(src, e, arg, field));
                    }
                }
                // A typed call (`call.rs`) or, a provider function or `f(args...)`, raw.
                match self.call(src, f, ty, want, field) {
                    Some(code) => code,
                    None => self.raw(
                        src,
                        e,
                        ty,
                        field,
                        Some(&format!("the function call `{name}(…)`")),
                    ),
                }
            }
            Expression::HeredocTemplate(_) => self.raw(src, e, ty, field, Some("a heredoc")),
            Expression::Conditional(c) => self.conditional(src, c, ty, want, field),
            // Only a grouping `for` (`...`) has no typed form (`for_expr.rs`).
            Expression::ForExpr(f) => match self.for_expr(src, f, ty, want, field) {
                Some(code) => code,
                None => self.raw(
                    src,
                    e,
                    ty,
                    field,
                    Some("a grouping `for` expression (`...`)"),
                ),
            },
            Expression::BinaryOp(op) => self.binary(src, op, ty, want, field),
            Expression::UnaryOp(op) => match (&op.expr, *op.operator.value()) {
                // `-1`: a negative literal.
                (Expression::Number(n), hcl_edit::expr::UnaryOperator::Neg)
                    if matches!(ty, Ty::Prim(Prim::Int | Prim::Float | Prim::Number))
                        && want != Want::Part =>
                {
                    match (n.as_i64(), n.as_f64()) {
                        (Some(i), _) if ty != Ty::Prim(Prim::Float) => Code::lit(int_literal(-i)),
                        (_, Some(f)) => Code::lit(float_literal(-f)),
                        _ => self.unary(src, op, ty, want, field),
                    }
                }
                _ => self.unary(src, op, ty, want, field),
            },
            Expression::Variable(v) => match self.scoped(src, v.as_str(), &[], ty, want, field) {
                Some(code) => code,
                None => self.raw(src, e, ty, field, None),
            },
        })
    }

    pub(super) fn string(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        s: &str,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        if want == Want::Part {
            return Code::lit(rust_str(s));
        }
        match ty {
            Ty::Prim(Prim::String) => Code::lit(rust_str(s)),
            Ty::Prim(Prim::Bool) if s == "true" || s == "false" => Code::lit(s.to_owned()),
            Ty::Prim(Prim::Int) | Ty::Prim(Prim::Number) if s.parse::<i64>().is_ok() => {
                Code::lit(int_literal(s.parse::<i64>().unwrap_or_default()))
            }
            Ty::Prim(Prim::Float) | Ty::Prim(Prim::Number)
                if s.parse::<f64>().is_ok_and(f64::is_finite) =>
            {
                Code::lit(float_literal(s.parse::<f64>().unwrap_or_default()))
            }
            _ => self.raw(
                src,
                e,
                ty,
                field,
                Some("a string where the provider wants another type"),
            ),
        }
    }

    pub(super) fn template(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        elements: &[&Element],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        // `"${x}"` alone is `x`.
        if let [Element::Interpolation(i)] = elements {
            return match self.value(src, &i.expr, want, field) {
                Some(c) => c,
                None => self.raw(src, e, ty, field, None),
            };
        }
        let mut format = String::new();
        let mut args: Vec<String> = Vec::new();
        for el in elements {
            match el {
                Element::Literal(text) => {
                    let text: &str = text;
                    if text.contains('{') || text.contains('}') {
                        format.push_str("{}");
                        args.push(rust_str(text));
                    } else {
                        format.push_str(text);
                    }
                }
                Element::Interpolation(i) => {
                    self.inst.folded = None;
                    let Some(c) = self.value(src, &i.expr, Want::Part, field) else {
                        return self.raw(src, e, ty, field, Some("`null` in a template"));
                    };
                    // `each.key` of an unrolled instance: its text, in place (`instances.rs`).
                    match self.inst.folded.take() {
                        Some(text) if !text.contains(['{', '}']) => format.push_str(&text),
                        _ => {
                            format.push_str("{}");
                            args.push(c.text);
                        }
                    }
                }
                Element::Directive(_) => {
                    return self.raw(src, e, ty, field, Some("a template directive (`%{…}`)"));
                }
            }
        }
        if args.is_empty() {
            // Every interpolation was substituted: plain text.
            return self.string(src, e, &format, ty, want, field);
        }
        let mut text = format!("template!({}", rust_str(&format));
        for a in args {
            text.push_str(", ");
            text.push_str(&a);
        }
        text.push(')');
        if want != Want::Part && ty != Ty::Prim(Prim::String) {
            text.push_str(".cast()");
        }
        Code::expr(text)
    }

    pub(super) fn traversal(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        t: &hcl_edit::expr::Traversal,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        // A name a `for` expression binds (`for_expr.rs`).
        if let Expression::Variable(root) = &t.expr {
            let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
            if let Some(code) = self.scoped(src, root.as_str(), &ops, ty, want, field) {
                return code;
            }
        }
        // `count`/`each` and instances of resources (`instances.rs`).
        if let Some(code) = self.instance_traversal(src, e, t, ty, want, field) {
            return code;
        }
        let Expression::Variable(root) = &t.expr else {
            // Into a literal or a call's result: `["a", "b"][count.index]`, `f(x).attr`.
            let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
            let base = match &t.expr {
                Expression::Array(_) | Expression::Object(_) => self.mixed(src, &t.expr, field),
                Expression::FuncCall(_) | Expression::Parenthesis(_) => self
                    .value(src, &t.expr, Want::Ty(Ty::Json), field)
                    .map(|c| c.text),
                _ => None,
            };
            return match base.and_then(|b| self.chain(src, b, &ops, ty, want, field)) {
                Some(code) => code,
                None => self.raw(src, e, ty, field, None),
            };
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        // Terraform's named values.
        if let ("path", [TraversalOperator::GetAttr(a)])
        | ("terraform", [TraversalOperator::GetAttr(a)]) = (root.as_str(), ops.as_slice())
        {
            let f = match (root.as_str(), a.as_str()) {
                ("path", "module") => Some("path_module"),
                ("terraform", "workspace") => Some("workspace"),
                _ => None,
            };
            if let Some(f) = f {
                let cast = want != Want::Part && ty != Ty::Prim(Prim::String);
                return Code::expr(format!("func::{f}(){}", if cast { ".cast()" } else { "" }));
            }
        }
        // Into a variable's or local's value: `var.service.name`.
        if let ("var" | "local", [first, rest @ ..]) = (root.as_str(), ops.as_slice()) {
            let found = get_attr(first).and_then(|n| {
                let (key, named) = if root.as_str() == "var" {
                    (format!("var:{n}"), self.vars.get(n))
                } else {
                    (format!("local:{n}"), self.locals.get(n))
                };
                named.map(|v| (key, v.ident.clone()))
            });
            if let (Some((key, ident)), false) = (found, rest.is_empty()) {
                if let Some(code) = self.chain(src, ident, rest, ty, want, field) {
                    self.deps.insert(key);
                    return code;
                }
            }
        }
        let named = match (root.as_str(), ops.as_slice()) {
            ("var", [op]) => {
                get_attr(op).and_then(|n| self.vars.get(n).map(|v| (format!("var:{n}"), v.clone())))
            }
            ("local", [op]) => get_attr(op).and_then(|n| {
                self.locals
                    .get(n)
                    .map(|v| (format!("local:{n}"), v.clone()))
            }),
            _ => None,
        };
        if let Some((key, named)) = named {
            self.deps.insert(key);
            let same = named.ty == ty && !named.cast;
            return Code::expr(if (want == Want::Part && !named.cast) || same {
                format!("&{}", named.ident)
            } else {
                format!("{}.clone().cast()", named.ident)
            });
        }
        if let Some((res, attr, rest)) = self.resource_attr(t) {
            if rest.is_empty() {
                let accessor = if HANDLE_METHODS.contains(&attr.rust.as_str()) {
                    format!("{}_", attr.rust)
                } else {
                    attr.rust.clone()
                };
                let key = self.reference_key(t).unwrap_or_default();
                let ident = res.ident.clone();
                self.deps.insert(key);
                let cast = want != Want::Part && attr.ty != ty;
                return Code::expr(format!(
                    "{ident}.{accessor}(){}",
                    if cast { ".cast()" } else { "" }
                ));
            }
            return self.raw(
                src,
                e,
                ty,
                field,
                Some("a reference into an attribute's value"),
            );
        }
        // A reference to a resource of this module with an unknown attribute.
        if let Some(key) = self.reference_key(t) {
            if let Some(address) = key.strip_prefix("resource:") {
                let skip = if address.starts_with("data.") { 2 } else { 1 };
                if let Some(name) = ops.get(skip).and_then(|o| get_attr(o)) {
                    let res = &self.resources[address];
                    if res.model.body.blocks.iter().any(|b| b.tf == name) {
                        // `metric_transformation[0].name`: nested blocks have no accessor.
                        return self.raw(
                            src,
                            e,
                            ty,
                            field,
                            Some("a reference into a nested block"),
                        );
                    }
                    let close = closest(name, res.model.body.attrs.iter().map(|a| a.tf.as_str()));
                    let mut d = Diagnostic::error(format!(
                        "`{}` has no attribute `{name}`",
                        res.model.tf_type
                    ))
                    .lead("unknown attribute")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .field(field.to_owned())
                            .file(src.file, src.line(e.span())),
                    );
                    if !close.is_empty() {
                        d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                    }
                    self.error(d);
                    return Code::expr("todo!()".to_owned());
                }
            }
        }
        // A module call's output (`module.rs`).
        if root.as_str() == "module" {
            if let Some(code) = self.module_output(src, &ops, ty, want, field) {
                return code;
            }
        }
        let why = match root.as_str() {
            "var" | "local" => "a reference into a variable's or local's value",
            "count" | "each" => "`count` and `each` are not converted yet",
            "module" => "module outputs are not converted yet",
            _ => "an expression",
        };
        self.raw(src, e, ty, field, Some(why))
    }

    /// Raw HCL: `Expr::<T>::raw_with_deps("…", vec![a.node()])`, a TODO and a warning.
    pub(super) fn raw(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        ty: Ty,
        field: &str,
        why: Option<&str>,
    ) -> Code {
        let text = self.raw_text_after_unrolling(src.slice(e.span()).unwrap_or("null"));
        let mut refs = Refs {
            l: self,
            found: BTreeSet::new(),
        };
        refs.visit_expr(e);
        // In a module's function the module's names are not the converted ones.
        let renamed = self.module_mode && !refs.found.is_empty();
        let nodes = self.raw_dependencies(refs.found);
        let what = why.unwrap_or("an expression of a type the argument does not take");
        // This node was counted when read; its subtree is counted here, all of it raw.
        let mut counted = Nodes(0);
        counted.visit_expr(e);
        self.raw_share.expressions += counted.0.saturating_sub(1);
        self.raw_share.raw += counted.0;
        let what = if renamed {
            format!(
                "{what} is kept as raw HCL, whose names of the module's variables, locals and \
                 resources are not those of the converted function: rewrite it with the \
                 function's bindings, or terraform refuses it"
            )
        } else {
            format!("{what} is kept as raw HCL")
        };
        self.todo(src, e.span(), field, &what);
        self.raw_code(text, nodes, ty, field)
    }

    /// The Rust handles of the resources raw HCL references (`x.node()`), recorded as the
    /// current declaration's dependencies.
    pub(super) fn raw_dependencies(&mut self, found: BTreeSet<String>) -> Vec<String> {
        let mut nodes = Vec::new();
        for key in found {
            // A variable or local named in raw HCL needs no Rust binding: terraform resolves
            // it by name (binding it would leave an unused `let`, which `-D warnings` refuses).
            for (key, ident) in self.bindings_of(&key) {
                nodes.push(format!("{ident}.node()"));
                self.deps.insert(key);
            }
        }
        nodes
    }

    /// `Expr::<T>::raw_with_deps(text, nodes)`, in a `let` of its own when it is long.
    pub(super) fn raw_code(
        &mut self,
        text: String,
        nodes: Vec<String>,
        ty: Ty,
        field: &str,
    ) -> Code {
        let t = rust_type(ty);
        let long = text.contains('\n') || text.len() > 40;
        let literal = if long {
            raw_str(&text)
        } else {
            rust_str(&text)
        };
        let code = if nodes.is_empty() {
            format!("Expr::<{t}>::raw({literal})")
        } else {
            format!(
                "Expr::<{t}>::raw_with_deps({literal}, vec![{}])",
                nodes.join(", ")
            )
        };
        if !long {
            return Code::expr(code);
        }
        // Too long to read inside a builder chain: a `let` of its own, before it.
        let last = field.rsplit('.').next().unwrap_or(field);
        let wanted = if self.base.is_empty() {
            rust_ident(last)
        } else {
            format!("{}_{}", self.base, rust_ident(last).trim_end_matches('_'))
        };
        let name = self.take(wanted);
        self.pre.push(format!("let {name} = {code};"));
        // Used once, where it was: moved, not borrowed.
        Code::expr(name)
    }
}
